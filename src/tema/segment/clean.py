"""Clean-up of text extracted from PDF reports, keeping a map back to the raw text.

The raw text is cut into lines (``tema.segment.lines``), the lines are grouped into
*blocks* (a paragraph, one bullet item, a pull quote, a link line, a heading ...:
``tema.segment.blocks``), and each block is cleaned here:

* whitespace runs and line breaks become one space;
* a word hyphenated across a line break is rejoined ("interes-/senter" -> "interessenter")
  unless the hyphen belongs to the word ("NAV-/tiltak") or to a suspended compound
  ("Utdannings-/og" -> "Utdannings- og"); the decision uses a Norwegian word list
  (``tema.segment.words``, ``tema.segment.lexicon``);
* kerning gaps inside words ("distri butøren", "inte greringskonferanse") are closed where
  the text shows the artefact: a piece that is no word on its own, or (in a document that
  shows letter-spaced extraction) a joined word far more common than its pieces
  ("skatte betalere"); words typed apart stay apart ("Språkkravene er");
* control characters and soft hyphens are dropped, UTF-8 misread as Latin-1 ("Ã¸") is
  repaired, ligatures are written as their letters (``tema.segment.characters``).

Every character of a block's cleaned text remembers the raw span it came from: the
offset map of ``tema.segment.offsets`` (``Block``).

``iter_blocks`` is the entry point: lines, blocks, clean-up and block kinds
(``tema.segment.headings``) in one pass.
All functions are pure. The word list is loaded lazily (``load_lexicon``) and cached.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import replace

from tema.segment import nb_layout, nb_words
from tema.segment.blocks import group_lines
from tema.segment.characters import character_fixes
from tema.segment.furniture import page_furniture
from tema.segment.headings import classify_text_block
from tema.segment.lexicon import Lexicon, as_lexicon
from tema.segment.lines import Line, item_marker_of_bullet, split_lines
from tema.segment.offsets import Block, Builder, apply_edits
from tema.segment.titles import points_below_sentence
from tema.segment.words import (
    GAP_IF_LETTER_SPACED,
    NO_GAP,
    WORD_PAIR,
    LetterSpacing,
    hyphen_joint,
    remembered_gap_evidence,
)

_L = nb_words.LETTERS
# The word before a line-end hyphen and the one after the break ("18-" / "åringer",
# "2016-" / "2017": digits too).
_LAST_WORD = re.compile(rf"([{_L}\d]+)$")
_FIRST_WORD = re.compile(rf"([{_L}\d]+)")  # used with match(): anchored at pos


def _line_edits(
    raw: str,
    start: int,
    end: int,
    lexicon: Lexicon,
    letter_spacing: LetterSpacing,
    *,
    words_end: int,
    first_word_is_fragment: bool,
) -> list[tuple[int, int, str]]:
    """Edits ``(start, end, replacement)`` that clean ``raw[start:end]``, in order.

    Kerning gaps are looked for in ``raw[start:words_end]`` (which includes a held-back
    line-end hyphen, so that the fragment before it is not taken for a word). The first
    word is skipped when it is the second half of a word hyphenated across lines.
    """
    segment = raw[start:end]
    edits: list[tuple[int, int, str]] = []
    words = raw[start:words_end]
    known = lexicon.known
    gap_spans = None  # positions are looked up only for the rare pair that is a gap
    # findall and finditer yield the same matches in the same order: findall is the
    # cheap pass over every word pair of the line.
    for index, (left, _gap, right) in enumerate(WORD_PAIR.findall(words)):
        left, right = left.lower(), right.lower()
        if left in known and right in known and left + right not in lexicon:
            continue  # the common case, decided without the full check: two known words
        evidence = remembered_gap_evidence(left, right, lexicon)
        if evidence == NO_GAP or (evidence == GAP_IF_LETTER_SPACED and not letter_spacing.shown):
            continue
        if gap_spans is None:
            gap_spans = [match.span(2) for match in WORD_PAIR.finditer(words)]
        gap_start, gap_end = gap_spans[index]
        if first_word_is_fragment and index == 0 and WORD_PAIR.match(words):
            continue
        edits.append((start + gap_start, start + gap_end, ""))
    edits.extend(
        (start + fix_start, start + fix_end, replacement)
        for fix_start, fix_end, replacement in character_fixes(segment)
    )
    if len(edits) > 1:
        edits.sort(key=lambda edit: (edit[0], edit[2] != ""))
    return edits


def _region(raw: str, line: Line) -> tuple[int, int]:
    """Raw span of a line's content: no outer whitespace."""
    start, end = line.start, line.end
    segment = raw[start:end]
    start += len(segment) - len(segment.lstrip())
    end -= len(segment) - len(segment.rstrip())
    return start, max(start, end)


def _without_marker(raw: str, line: Line, region: tuple[int, int]) -> tuple[int, int]:
    """A line's content region (``_region``) without its bullet marker."""
    start, end = region
    marker = item_marker_of_bullet(raw[line.start : line.end])
    if marker:
        start = max(start, line.start + marker.end())
    return start, max(start, end)


# A hyphen that ends a line after a letter, held back until the next line's first word is
# known: ("hard", the word before it) or ("soft", "") for a soft hyphen.
Hyphen = tuple[str, str]


def clean_lines(
    raw: str,
    lines: list[Line],
    kind: str,
    lexicon: Lexicon,
    letter_spacing: LetterSpacing | None = None,
) -> Block:
    """Clean a run of lines of one block into a ``Block`` with its offset map
    (``letter_spacing``: of the document ``raw``; found from ``raw`` if not given)."""
    if letter_spacing is None:
        letter_spacing = LetterSpacing(raw, lexicon)
    builder = Builder()
    regions = [_region(raw, line) for line in lines]
    block_start, block_end = regions[0][0], regions[-1][1]
    # After each line: where the joint to the next line starts in the raw text, and the
    # hyphen (if any) held back at its end.
    pending_joint: tuple[int, Hyphen | None] | None = None
    for index, line in enumerate(lines):
        if line.kind == "marker":
            continue  # a bullet alone on its line: the block's span starts at it
        start, end = regions[index]
        if index == 0 and kind == "bullet":
            start, end = _without_marker(raw, line, regions[0])
        if start >= end:
            continue
        if pending_joint is not None:
            joint_start, held_back = pending_joint
            builder.replace(_joint(raw, start, end, held_back, lexicon), joint_start, start)
        # A line ending in letter + hyphen may end with a hyphenated word: hold the hyphen
        # back and decide once the next line's first word is known.
        hyphen = _line_end_hyphen(raw, start, end) if index + 1 < len(lines) else None
        edits = _line_edits(
            raw,
            start,
            end - 1 if hyphen else end,
            lexicon,
            letter_spacing,
            words_end=end,
            first_word_is_fragment=pending_joint is not None and pending_joint[1] is not None,
        )
        end = end - 1 if hyphen else end
        apply_edits(builder, raw, start, end, edits)
        pending_joint = (end, hyphen)
    if pending_joint is not None and pending_joint[1] is not None:
        # The block ends with a held-back hyphen (the next line was not part of it).
        builder.copy(raw, pending_joint[0], pending_joint[0] + 1)
    text = builder.text()
    return Block(
        kind=kind,
        start=block_start,
        end=max(block_start, block_end),
        text=text,
        piece_starts=builder.piece_starts,
        pieces=builder.pieces,
        frame_start=lines[0].frame_start,
    )


def _joint(raw: str, start: int, end: int, hyphen: Hyphen | None, lexicon: Lexicon) -> str:
    """What replaces the line break (and the hyphen held back before it) in front of the
    line ``raw[start:end]``: a space, nothing, or what ``hyphen_joint`` decides."""
    if hyphen is None:
        # No space before punctuation that goes on from the line before ("Nordland" /
        # ". Det er …").
        return "" if nb_layout.opens_with_closing_mark(raw[start : start + 2]) else " "
    if hyphen[0] == "soft":
        return ""
    first = _FIRST_WORD.match(raw, start, end)
    return hyphen_joint(hyphen[1], first.group(1), lexicon) if first else "- "


def _line_end_hyphen(raw: str, start: int, end: int) -> Hyphen | None:
    """The hyphen that ends the line ``raw[start:end]`` right after a word, if there is one."""
    if end - start < 2 or raw[end - 1] not in "-\u00ad":
        return None
    last = _LAST_WORD.search(raw, start, end - 1)
    if not last or last.end() != end - 1:
        return None
    return ("soft", "") if raw[end - 1] == "\u00ad" else ("hard", last.group(1))


def iter_blocks(
    raw: str,
    lexicon: str | Mapping[str, float] | None = None,
    max_heading_words: int = 25,
    pages: Sequence[int] = (),
    headings: Collection[Sequence[int]] = (),
) -> Iterator[Block]:
    """Cleaned, classified layout blocks of ``raw``, in order, one at a time (``lexicon``:
    anything ``as_lexicon`` takes; ``pages``: where the pages of a PDF start, used to
    find running headers and footers; a PDF shows letter-spaced extraction, so weaker
    evidence closes a kerning gap in it: ``kerning_gap_evidence``; ``headings``: the spans
    of paragraphs that the file itself marks as headings, taken for headings whatever
    their words, unless a block joined more text to one (a PDF rule: a line in lower
    case continues the block before it) or it is longer than any heading)."""
    lexicon = as_lexicon(lexicon)
    letter_spacing = LetterSpacing(raw, lexicon, is_pdf=bool(pages))
    marked = {(start, end) for start, end in headings}
    raw_lines = split_lines(raw, page_furniture(raw, pages))
    for kind, lines in group_lines(raw, raw_lines, pdf=bool(pages)):
        block = clean_lines(raw, lines, kind, lexicon, letter_spacing)
        if block.start >= block.end:
            continue  # only characters Python counts as white space ("\x1f")
        if (
            (block.start, block.end) in marked
            and kind not in ("url", "noise")
            and len(block.text.split()) <= max_heading_words
        ):
            block = replace(block, kind="heading")
        elif kind == "text":
            points = not pages and points_below_sentence(raw, lines)
            block = replace(block, kind=classify_text_block(block, max_heading_words, points))
        elif kind in ("url", "noise"):
            # Kept as they are: not input, but nothing is silently dropped.
            block = replace(block, kind=kind)
        yield block


def clean_blocks(
    raw: str,
    lexicon: str | Mapping[str, float] | None = None,
    max_heading_words: int = 25,
    pages: Sequence[int] = (),
) -> list[Block]:
    """All blocks of ``raw`` (see ``iter_blocks`` and the module docstring)."""
    return list(iter_blocks(raw, lexicon, max_heading_words, pages))
