"""Units from cleaned blocks: sentences mapped back to raw offsets, pull quotes linked.

A unit is one sentence, one bullet item (split further when it holds several sentences),
one heading, or one non-input element (pull quote, photo caption, link, noise). Units
carry offsets into the raw decoded text, so every unit can be traced back to its source.
``document_units`` builds the units of one document from its blocks (``tema.segment.clean``)
and their sentence spans (``tema.segment.sentences``); a pull quote that repeats body text
is linked to the unit it repeats (``repeat_of``). ``unit_rows`` gives the rows of the unit
table (``FRAME_COLUMNS``) that ``tema segment`` writes, ``units_to_frame`` the same as a table.
"""

from __future__ import annotations

import bisect
import functools
import itertools
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from tema.segment import nb_sentences, nb_words
from tema.segment.offsets import Block

if TYPE_CHECKING:
    import pandas as pd

UNIT_KINDS = (
    "heading", "sentence", "bullet", "quote", "caption", "url", "noise", "answer", "table"
)  # fmt: skip
# The unit kind of one survey answer: taken whole from ingest, never split or merged.
ANSWER_KIND = "answer"
# Body text: the kinds of unit a pull quote can repeat. (Which kinds are counted as input
# is the report stage's setting, params.yaml `report.counted_kinds`.)
BODY_KINDS = frozenset({"sentence", "bullet"})
FRAME_COLUMNS = ("doc", "unit", "start", "end", "kind", "section", "text", "repeat_of")

# Block kinds whose text is split into sentences, and the unit kind of their sentences: a
# row of a table that holds input is an item, as a Word table's row is (tema.ingest.word);
# one that does not (a table's block of kind "table") is one unit, kept and not counted.
SPLIT_BLOCKS = {"paragraph": "sentence", "bullet": "bullet", "heading": "heading", "row": "bullet"}
# A unit longer than this (text without sentence punctuation) is cut at spaces.
MAX_UNIT_CHARS = 1_000
# Unmarked pull quotes: a block with this many words that repeats body text.
MIN_REPEAT_WORDS = 8
MAX_REPEAT_WORDS = 60  # pull quotes are short
# How many body units either side of a pull quote are searched for the text it repeats.
REPEAT_SEARCH_UNITS = 400

Span = tuple[int, int]


@dataclass(frozen=True)
class Unit:
    """One unit of a document; ``start``/``end`` are raw-text offsets, ``text`` is cleaned,
    ``repeat_of`` is the index of the body unit a pull quote repeats."""

    unit: int
    start: int
    end: int
    kind: str
    section: str
    text: str
    repeat_of: int | None = None


def _cut_long(span: tuple[int, int], text: str, max_chars: int) -> list[tuple[int, int]]:
    """Cut a span longer than ``max_chars`` at spaces (text without sentence punctuation)."""
    start, end = span
    pieces = []
    while end - start > max_chars:
        cut = text.rfind(" ", start + max_chars // 2, start + max_chars)
        cut = cut if cut > start else start + max_chars
        pieces.append((start, cut))
        start = cut
        while start < end and text[start] == " ":
            start += 1
    pieces.append((start, end))
    return pieces


def _join_after_colons(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join spans split after a colon: in a heading, what follows a colon is its subtitle
    ("Parallellsesjon 2: Hva kan organisasjonene bidra med?")."""
    joined: list[tuple[int, int]] = []
    for start, end in spans:
        if joined and text[: joined[-1][1]].endswith(":"):
            joined[-1] = (joined[-1][0], end)
        else:
            joined.append((start, end))
    return joined


def _block_units(
    raw: str, block: Block, sentence_spans: list[Span] | None, max_unit_chars: int
) -> list[tuple[int, int, str, str]]:
    """``(start, end, kind, text)`` of the units in one block, raw offsets."""
    if sentence_spans is None:
        text = block.text.strip() if block.kind not in ("noise",) else raw[block.start : block.end]
        return [(block.start, block.end, block.kind, text)]
    kind = SPLIT_BLOCKS[block.kind]
    if block.kind == "heading":
        sentence_spans = _join_after_colons(block.text, sentence_spans)
    spans = [
        piece for span in sentence_spans for piece in _cut_long(span, block.text, max_unit_chars)
    ]
    if not spans:
        return [(block.start, block.end, kind, block.text.strip())]
    raw_spans = [block.raw_span(clean_start, clean_end) for clean_start, clean_end in spans]
    starts = [start for start, _end in raw_spans]
    ends = [end for _start, end in raw_spans]
    starts[0] = block.start  # the bullet marker and anything dropped before belong here
    ends[-1] = block.end
    # Raw characters dropped by the clean-up between two units (control characters) are
    # given to the unit before them, so that no visible character falls outside a unit.
    for index in range(len(spans) - 1):
        ends[index] += len(raw[ends[index] : starts[index + 1]].rstrip())
    return [
        (start, end, kind, block.text[clean_start:clean_end])
        for start, end, (clean_start, clean_end) in zip(starts, ends, spans, strict=True)
    ]


def _word_count(text: str) -> int:
    return len(nb_words.WORD.findall(text))


def normalise_for_matching(text: str) -> str:
    """Lower-case letters only, no spaces: to find a pull quote in the body text even when
    one of them has kerning gaps ("selv tillit") the other has not."""
    return "".join(nb_words.WORD.findall(text.lower()))


class _BodyText:
    """The letters of a document's body units, joined, for finding the text a pull quote
    repeats (letters only and no separator, so that a quote may run over two sentences)."""

    def __init__(self, units: list[Unit], blocks_of_units: list[int]) -> None:
        self.units = [unit for unit in units if unit.kind in BODY_KINDS]
        self._positions = [unit.unit for unit in self.units]
        self._blocks_of_units = blocks_of_units

    @functools.cached_property
    def _index(self) -> tuple[list[int], str]:
        """Where each body unit starts in the joined text, and the joined text; built on
        the first quote, as most documents have none."""
        normalised = [normalise_for_matching(unit.text) for unit in self.units]
        starts = list(itertools.accumulate((len(text) for text in normalised), initial=0))
        return starts, "".join(normalised)

    def find(self, words: str, around: int, skip_block: int | None = None) -> int | None:
        """The body unit near unit ``around`` where ``words`` (normalised) start, outside
        block ``skip_block``; None if there is none."""
        starts, joined = self._index
        # Search only near the quote: layouts put pull quotes beside the text they repeat.
        low = bisect.bisect_left(self._positions, around - REPEAT_SEARCH_UNITS)
        high = bisect.bisect_right(self._positions, around + REPEAT_SEARCH_UNITS)
        end = starts[high] if high < len(starts) else None
        position = joined.find(words, starts[low], end)
        while position >= 0:
            candidate = self.units[bisect.bisect_right(starts, position) - 1].unit
            if skip_block is None or self._blocks_of_units[candidate] != skip_block:
                return candidate
            position = joined.find(words, position + 1, end)
        return None


def _marked_quote_target(quote: Unit, body: _BodyText) -> int | None:
    """The body unit that a pull quote marked with ’’ repeats, if it has three words."""
    if _word_count(quote.text) < 3:
        return None
    return body.find(normalise_for_matching(quote.text), quote.unit)


def _unmarked_quote_target(block: list[Unit], block_index: int, body: _BodyText) -> int | None:
    """The body unit that the units of a text block repeat word for word, elsewhere; a
    block that ends a sentence, or is too short or too long for a pull quote, repeats none."""
    if nb_sentences.ENDS_WITH_TERMINAL.search(block[-1].text):
        return None
    text = " ".join(unit.text for unit in block)
    if not MIN_REPEAT_WORDS <= _word_count(text) <= MAX_REPEAT_WORDS:
        return None
    return body.find(normalise_for_matching(text), block[0].unit, skip_block=block_index)


def _find_repeats(
    by_block: dict[int, list[Unit]], body: _BodyText
) -> tuple[dict[int, int], dict[int, int]]:
    """Marked pull quotes (unit → the unit it repeats) and blocks that repeat body text
    (block → the unit it repeats)."""
    marked: dict[int, int] = {}
    unmarked: dict[int, int] = {}
    for block_index, block in by_block.items():
        first = block[0]
        if first.kind == "quote":
            target = _marked_quote_target(first, body)
            if target is not None:
                marked[first.unit] = target
        elif first.kind in ("sentence", "heading"):
            target = _unmarked_quote_target(block, block_index, body)
            if target is not None:
                unmarked[block_index] = target
    return marked, unmarked


def _renumbered(kept: list[Unit], count_before: int) -> list[Unit]:
    """Units renumbered after merging (``repeat_of`` points at the same units)."""
    if len(kept) == count_before:
        return kept
    new_index = {unit.unit: index for index, unit in enumerate(kept)}
    return [
        replace(
            unit,
            unit=new_index[unit.unit],
            repeat_of=None if unit.repeat_of is None else new_index.get(unit.repeat_of),
        )
        for unit in kept
    ]


def _link_repeats(units: list[Unit], blocks_of_units: list[int]) -> list[Unit]:
    """Mark pull quotes that repeat body text: ``repeat_of`` = the unit they repeat.

    Pull quotes marked with ’’ are already of kind quote; a block that is not marked but
    repeats a stretch of body text elsewhere word for word (and does not end a sentence,
    as pull quotes are cut short) becomes a quote too.
    """
    body = _BodyText(units, blocks_of_units)
    if not body.units:
        return units
    by_block: dict[int, list[Unit]] = {}
    for unit in units:
        by_block.setdefault(blocks_of_units[unit.unit], []).append(unit)
    marked, unmarked = _find_repeats(by_block, body)
    # A repeat of text that is itself taken for a repeat (the same passage twice, or text
    # with no words, like "xxxx…") is body text: a quote must point at body text.
    unmarked = {
        block: target for block, target in unmarked.items()
        if blocks_of_units[target] not in unmarked
    }  # fmt: skip
    result: list[Unit | None] = list(units)
    for unit_index, target in marked.items():
        if blocks_of_units[target] not in unmarked:
            result[unit_index] = replace(units[unit_index], repeat_of=target)
    for block_index, target in unmarked.items():
        block = by_block[block_index]
        first, last = block[0], block[-1]
        text = " ".join(unit.text for unit in block)
        result[first.unit] = Unit(
            first.unit, first.start, last.end, "quote", first.section, text, target
        )
        for member in block[1:]:
            result[member.unit] = None
    return _renumbered([unit for unit in result if unit is not None], len(result))


def document_units(
    raw: str, blocks_and_spans: Iterable[tuple[Block, list[Span] | None]], max_unit_chars: int
) -> list[Unit]:
    """Units of one document from its blocks, each with its sentence spans in the block's
    cleaned text (None for a block that is one unit whatever it holds)."""
    units: list[Unit] = []
    block_of_unit: list[int] = []
    section = ""
    for block_index, (block, spans) in enumerate(blocks_and_spans):
        for start, end, kind, text in _block_units(raw, block, spans, max_unit_chars):
            if kind == "heading":
                section = text
            units.append(Unit(len(units), start, end, kind, section, text))
            block_of_unit.append(block_index)
    return _link_repeats(units, block_of_unit)


UnitRow = tuple[str, int, int, int, str, str, str, int | None]


def unit_rows(pairs: Iterable[tuple[str, Unit]]) -> list[UnitRow]:
    """One row per ``(doc, unit)``, its values in the order of ``FRAME_COLUMNS``."""
    return [
        (doc_id, u.unit, u.start, u.end, u.kind, u.section, u.text, u.repeat_of)
        for doc_id, u in pairs
    ]


def units_to_frame(pairs: Iterable[tuple[str, Unit]]) -> pd.DataFrame:
    """A table with one row per unit and columns ``FRAME_COLUMNS``."""
    # Imported here: `tema segment` writes its rows as CSV text without pandas, and
    # starts a quarter of a second sooner for not importing it.
    import pandas as pd

    frame = pd.DataFrame(unit_rows(pairs), columns=list(FRAME_COLUMNS))
    frame = frame.astype(
        {"doc": "string", "unit": "int64", "start": "int64", "end": "int64", "kind": "string",
         "section": "string", "text": "string", "repeat_of": "Int64"}
    )  # fmt: skip
    return frame
