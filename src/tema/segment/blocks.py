"""Lines grouped into layout blocks: a paragraph, a bullet item, a pull quote, a heading ...

``group_lines`` reads the classified lines of ``tema.segment.lines`` in order and decides
where a block ends; the rules are listed in its docstring and in docs/segmentation.md.
It works on raw offsets only: ``tema.segment.clean`` cleans each block afterwards.
"""

from __future__ import annotations

import re
from dataclasses import replace

from tema.segment import nb_rules, titles
from tema.segment.lines import Line

# Longest block; a longer run of lines without a blank line is cut into several blocks.
# Small enough that a spaCy batch of such blocks stays small in memory.
MAX_BLOCK_CHARS = 5_000

Group = tuple[str, list[Line]]  # (kind before heading detection, lines)
# A line at least this long and 1.5 times the longest line of a pull quote is body text.
PULL_QUOTE_BODY_CHARS = 40


def _closes_quote(raw: str, line: Line) -> bool:
    """True when ``line`` ends with a closing quote mark ("... mitt mål’’")."""
    content = raw[line.start : line.end].strip()
    inner = content.strip("’'”»‘“« ")
    return bool(inner) and content.endswith(("’’", "''", "”", "»"))


def _starts_or_answers_question(raw: str, current: list[Line], content: str) -> bool:
    """A question line of notes ("Hva fungerer ikke?") after a line without final
    punctuation, or the answer below a question line, unless the answer line opens with
    a reporting verb ("… i arbeidslivet?\nspurte Karadaki.")."""
    previous = raw[current[-1].start : current[-1].end]
    if nb_rules.is_question_line(content):
        return not nb_rules.ENDS_WITH_ANY_PUNCTUATION.search(previous)
    if nb_rules.is_question_line(previous.strip()):
        first = content.split(maxsplit=1)[0].strip(",.").lower() if content else ""
        return first not in nb_rules.REPORTING_VERBS
    return False


def _starts_text_block(
    raw: str,
    current: list[Line],
    current_kind: str,
    line: Line,
    content: str,
    previous_ends_sentence: bool,
    current_chars: int,
) -> bool:
    """Whether text ``line`` starts a new block rather than continuing ``current``."""
    if line.frame_start and (previous_ends_sentence or current_kind == "quote"):
        return True  # a new text frame after a finished sentence or a pull quote
    if current_kind == "quote":
        # Pull quotes are set in a narrow column: a much longer line is body text that
        # the extraction put right after the quote.
        longest = max(len(raw[q.start : q.end].strip()) for q in current)
        return len(content) >= PULL_QUOTE_BODY_CHARS and len(content) > 1.5 * longest
    if current_kind == "bullet" and previous_ends_sentence:
        return bool(nb_rules.STARTS_UPPER.match(content))  # body text after a list
    if nb_rules.LABEL_LINE.match(content):
        return True  # "Kontakt: ...", "Svar 2: ...": a new field of the notes
    if current_kind == "bullet" and titles.ends_short_title(raw, current[-1], line, content):
        # Body text right below a short item or a numbered section title; or below the
        # short last line of a wrapped one (the lines of a wrapped item are full width
        # but its last).
        return True
    if current_kind == "text" and titles.ends_short_title(
        raw, current[-1], line, content, alone=len(current) == 1
    ):
        return True
    if current_kind in ("text", "bullet") and _starts_or_answers_question(raw, current, content):
        return True
    # Bound the block size, at a sentence end if there is one soon.
    if current_chars > MAX_BLOCK_CHARS and previous_ends_sentence:
        return True
    return current_chars > 2 * MAX_BLOCK_CHARS


def group_lines(raw: str, lines: list[Line], pdf: bool = False) -> list[Group]:
    """Group lines into layout blocks ``(kind, lines)``; kinds before heading detection.

    A blank line ends a block; a link, noise, bullet, pull-quote, footnote or programme
    line starts one, and so do a labelled line ("Kontakt: ..."), a question line of notes
    and its answer; a row of a table is one; an indented capitalised line after a
    finished sentence starts a new text frame, and so does body text right below a short
    title line. A block that starts
    in lower case after one that did not end its sentence continues it, over any page
    furniture between them (PDF extraction puts blank lines inside wrapped paragraphs and
    bullet items, and page breaks inside sentences). Lone numbered lines become titles
    and runs of unmarked points become items (``_numbered_titles_as_text``,
    ``_unmarked_list_items``). In text extracted from a PDF (``pdf``), which has no blank
    line around a heading, a short title line below a finished sentence is split off the
    paragraph above it (``_title_below``); in typed text, where the writer sets the blank
    lines, such a line is a point of its own and stays with the sentences before it, but
    for one word at the end of a block (``titles.word_title_below``).
    """
    grouping = _Grouping(raw, pdf)
    for line in lines:
        grouping.read(line)
    grouping.end_block()
    return _unmarked_list_items(raw, _numbered_titles_as_text(raw, grouping.groups))


class _Grouping:
    """``group_lines`` under way: the blocks so far and the block being read (``current``,
    of kind ``kind``, ``chars`` raw characters long)."""

    def __init__(self, raw: str, pdf: bool) -> None:
        self.raw = raw
        self.pdf = pdf
        self.groups: list[Group] = []
        self.current: list[Line] = []
        self.kind = ""
        self.chars = 0
        self.after_blank = True

    def close(self) -> None:
        """End the block being read."""
        if self.current:
            if all(line.kind == "marker" for line in self.current):
                # A bullet with no text after it is noise, cleaned as the text it is.
                self.kind = "noise"
                self.current = [replace(line, kind="noise") for line in self.current]
            self.groups.append((self.kind, self.current))
        self.current, self.kind, self.chars = [], "", 0

    def end_block(self) -> None:
        """End the block being read where the writer of typed text ends it (a blank line,
        the end of the text): a one-word title below its sentence is a block of its own."""
        typed_text = not self.pdf and self.kind == "text"
        self._close_apart(titles.word_title_below(self.raw, self.current) if typed_text else 0)

    def read(self, line: Line) -> None:
        """Put the next line into a block."""
        if line.kind == "blank":
            self.end_block()
            self.after_blank = True
        elif line.kind == "noise":
            self.close()
            self.groups.append(("noise", [line]))
            self.after_blank = True  # page furniture breaks the text like a blank line
        else:
            self._place(line)
            self.chars += line.end - line.start
            self.after_blank = False

    def _place(self, line: Line) -> None:
        if line.kind in ("url", "row", "table"):  # a link, a row of a table: a block each
            self._close_apart(
                titles.list_title(self.raw, self.current) if line.kind != "url" else 0
            )
            self.groups.append((line.kind, [line]))
        elif line.kind in ("bullet", "marker", "quote"):
            self._start_item(line)
        elif len(self.current) == 1 and self.current[0].kind == "marker":
            self.current.append(line)  # the text of an item whose bullet stands above it
        elif line.kind in ("footnote", "programme") or self._after_closed_quote():
            # A footnote, a programme item, or text after a closed pull quote starts a
            # text block.
            self.close()
            self.current, self.kind = [line], "text"
        elif not self.current:
            self._continue_or_start_text(line)
        elif self._starts_text_block(line):
            # A heading after a list, or between two paragraphs of a PDF: its extraction
            # gives no blank line around it; in typed text only a short or numbered one.
            titled = self.kind == "bullet" or self.pdf
            self._close_apart(
                titles.title_below(self.raw, self.current)
                if titled
                else titles.typed_title_below(self.raw, self.current)
            )
            self.current, self.kind = [line], "text"
        else:
            self.current.append(line)

    def _start_item(self, line: Line) -> None:
        """A bullet item or a pull quote starts a block; the last line of the block before
        it may be the list's title (``_list_title``), a block of its own."""
        self._close_apart(titles.list_title(self.raw, self.current) if line.kind != "quote" else 0)
        self.current, self.kind = [line], "quote" if line.kind == "quote" else "bullet"

    def _close_apart(self, title_lines: int) -> None:
        """End the block being read, its last ``title_lines`` lines a block of their own:
        the title of what follows, not the end of what went before."""
        self.close()
        if title_lines:
            kind, lines_before = self.groups[-1]
            self.groups[-1] = (kind, lines_before[:-title_lines])
            self.groups.append(("text", lines_before[-title_lines:]))

    def _after_closed_quote(self) -> bool:
        return self.kind == "quote" and _closes_quote(self.raw, self.current[-1])

    def _continue_or_start_text(self, line: Line) -> None:
        """After a blank line: text in lower case continues the last text or bullet block
        if that did not end its sentence; otherwise it starts a text block. Page furniture
        (page numbers, running headers) between the parts of a sentence broken across
        pages is passed over: it falls inside the joint."""
        continued = len(self.groups) - 1
        while continued > 0 and self.groups[continued][0] == "noise":
            continued -= 1
        if self.after_blank and continued >= 0 and self._continues(line, self.groups[continued]):
            self.kind, lines = self.groups[continued]
            del self.groups[continued:]
            self.current = [*lines, line]
        else:
            self.current, self.kind = [line], "text"

    def _continues(self, line: Line, group: Group) -> bool:
        kind, lines = group
        content = self.raw[line.start : line.end].strip()
        return (
            kind in ("text", "bullet")
            and bool(
                nb_rules.STARTS_LOWER.match(content) or nb_rules.opens_with_closing_mark(content)
            )
            and not nb_rules.ENDS_WITH_ANY_PUNCTUATION.search(
                self.raw, lines[-1].start, lines[-1].end
            )
        )

    def _starts_text_block(self, line: Line) -> bool:
        last = self.current[-1]
        return _starts_text_block(
            self.raw,
            self.current,
            self.kind,
            line,
            self.raw[line.start : line.end].strip(),
            bool(nb_rules.ENDS_WITH_TERMINAL.search(self.raw, last.start, last.end)),
            self.chars,
        )


def _numbered_titles_as_text(raw: str, groups: list[Group]) -> list[Group]:
    """A numbered line that stands alone ("2. Utdanning og kvalifisering": no list item
    right before or after it, no punctuation at the end of its lines) is a section title, not a
    one-item list: it becomes a text group, which ``classify_text_block`` calls a heading."""
    titled = list(groups)
    for index, (kind, lines) in enumerate(groups):
        if kind != "bullet" or not nb_rules.SECTION_NUMBER_LINE.match(
            raw[lines[0].start : lines[0].end]
        ):
            continue
        neighbours = groups[index - 1 : index] + groups[index + 1 : index + 2]
        if any(neighbour_kind == "bullet" for neighbour_kind, _ in neighbours):
            continue
        # A title wrapped over two lines ("4. Arbeidsgivernes erfaringer … i /
        # distriktene") is a title too; any punctuation, or more lines and words, makes
        # it an item or a sentence.
        words = sum(len(raw[ln.start : ln.end].split()) for ln in lines)
        if (
            len(lines) > 2
            or words > 2 * titles.LIST_TITLE_WORDS
            or any(nb_rules.ENDS_WITH_ANY_PUNCTUATION.search(raw, ln.start, ln.end) for ln in lines)
        ):
            continue
        titled[index] = ("text", lines)
    return titled


# Notes often list their points one per line, without markers or full stops. This many
# such lines in a row are list items, not a heading: report headings come one or two
# together (a title and a subtitle), never three.
MIN_UNMARKED_ITEMS = 3
_ENDS_WITH_PAGE_NUMBER = re.compile(r"\s\d{1,4}$")
_BLANK_LINE = re.compile(r"\n[ \t]*\r?\n")


def _is_unmarked_item(raw: str, line: Line) -> bool:
    """A capitalised text line without final punctuation that could be a list item (not a
    numbered title, a contents line with its page number, or a hyphenated line end)."""
    content = raw[line.start : line.end].strip()
    return (
        line.kind == "text"
        and bool(nb_rules.STARTS_UPPER.match(content))
        and not nb_rules.ENDS_WITH_ANY_PUNCTUATION.search(content)
        and not content.endswith(("-", "\u00ad", "–"))
        and not nb_rules.SECTION_NUMBER_LINE.match(content)
        and not _ENDS_WITH_PAGE_NUMBER.search(content)
    )


def _unmarked_list_items(raw: str, groups: list[Group]) -> list[Group]:
    """Lines of notes that list points without markers become bullet items: a run of text
    blocks whose lines all look like items (``_is_unmarked_item``), ``MIN_UNMARKED_ITEMS``
    lines or more in all, gives one item per line (points with or without blank lines
    between them; otherwise they would be taken for one long heading, and headings are not
    counted as input). Two blocks of several lines each with a blank line between them are
    two runs (a title and a subtitle over two points); a block of prose among them parts
    the run (``_run_groups``). A line above such points that ends
    in a colon is their introduction ("Hva fungerer ikke:"); a line in capitals, or a
    one-line block set apart by a blank line from points of several lines, is a title
    (``_list_title_lines``)."""
    pieces = [piece for group in groups for piece in _introduced_points(raw, group)]
    items: list[Group] = []
    run: list[Group] = []
    for piece in [*pieces, ("end", [])]:
        item_like = piece[0] == "text" and all(_is_unmarked_item(raw, line) for line in piece[1])
        if item_like and (not run or _same_run(raw, run[-1][1], piece[1])):
            run.append(piece)
            continue
        items.extend(_run_groups(raw, run, followed=piece[0] != "end"))
        run = [piece] if item_like else []
        if not item_like and piece[0] != "end":
            items.append(piece)
    return items


def _run_groups(raw: str, run: list[Group], followed: bool) -> list[Group]:
    """The groups of a run of blocks that look like unmarked points: one item per line
    (``_list_title_lines``) where they hold ``MIN_UNMARKED_ITEMS`` lines or more, but for
    a block of prose among them (``_is_prose``: sentences whose last full stop notes left
    out), which is a paragraph and parts the run; the lines on either side of it are
    points where enough stand together, else text (a short line over the prose is its
    title: "Bolig" / "" / "Ventetiden er lang. Mange bor trangt")."""
    if sum(len(lines) for _kind, lines in run) < MIN_UNMARKED_ITEMS:
        return run
    groups: list[Group] = []
    part: list[Group] = []
    for piece in [*run, ("end", [])]:
        if piece[0] != "end" and not _is_prose(raw, piece[1]):
            part.append(piece)
            continue
        if sum(len(lines) for _kind, lines in part) >= MIN_UNMARKED_ITEMS:
            groups.extend(_list_title_lines(raw, part, followed or piece[0] != "end"))
        else:
            groups.extend(part)
        part = []
        if piece[0] != "end":
            groups.append(("paragraph", piece[1]))
    return groups


def _is_prose(raw: str, lines: list[Line]) -> bool:
    """Whether a block is prose, not points: most of its lines hold a sentence end before
    more text (``nb_rules.holds_sentence_end``); one point of a list may hold two."""
    prose = sum(nb_rules.holds_sentence_end(raw[line.start : line.end]) for line in lines)
    return 2 * prose > len(lines)


def _same_run(raw: str, before: list[Line], after: list[Line]) -> bool:
    """Whether two blocks of unmarked points are one run: not when both have several lines
    and a blank line stands between them."""
    apart = _blank_between(raw, before[-1], after[0])
    return not (apart and len(before) >= 2 and len(after) >= 2)


def _blank_between(raw: str, upper: Line, lower: Line) -> bool:
    """Whether a blank line stands between two lines of ``raw``."""
    return bool(_BLANK_LINE.search(raw, upper.end, lower.start))


def _introduced_points(raw: str, group: Group) -> list[Group]:
    """A text block of a capitalised line ending in a colon ("Hva fungerer ikke:") over two
    or more unmarked points: the introduction, then each point an item."""
    kind, lines = group
    if kind != "text" or len(lines) < MIN_UNMARKED_ITEMS:
        return [group]
    opening = raw[lines[0].start : lines[0].end].strip()
    if (
        opening.endswith(":")
        and nb_rules.STARTS_UPPER.match(opening)
        and all(_is_unmarked_item(raw, line) for line in lines[1:])
    ):
        return [("text", lines[:1]), *(("bullet", [line]) for line in lines[1:])]
    return [group]


def _list_title_lines(raw: str, run: list[Group], followed: bool) -> list[Group]:
    """The lines of a run of unmarked points, one item each, but for a block's first line
    that is a title: all in capitals ("GRUPPE 1 – ARBEID"), or a one-line block set apart
    by a blank line from points of several lines, above them ("Forslag fra gruppe 3" /
    "" / "Flere boliger" / "Mer praksis") or below them, last of the run, when text
    follows the run (the title of that text: "Bakgrunn" / "" / "Prosjektet startet …")."""
    items: list[Group] = []
    for index, (_kind, lines) in enumerate(run):
        following = run[index + 1][1] if index + 1 < len(run) else []
        preceding = run[index - 1][1] if index else []
        first = raw[lines[0].start : lines[0].end]
        letters = [character for character in first if character.isalpha()]
        above_points = len(following) >= 2 and _blank_between(raw, lines[0], following[0])
        below_points = (
            followed
            and not following
            and len(preceding) >= 2
            and _blank_between(raw, preceding[-1], lines[0])
        )
        set_apart = len(lines) == 1 and (above_points or below_points)
        capitals = len(letters) >= 3 and all(character.isupper() for character in letters)
        for position, line in enumerate(lines):
            title = position == 0 and (capitals or set_apart)
            items.append(("text" if title else "bullet", [line]))
    return items
