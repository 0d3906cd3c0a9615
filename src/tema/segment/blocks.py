"""Lines grouped into layout blocks: a paragraph, a bullet item, a pull quote, a heading ...

``group_lines`` reads the classified lines of ``tema.segment.lines`` in order and decides
where a block ends; the rules are listed in its docstring and in docs/segmentation.md.
Over the blocks it made, ``tema.segment.lists`` decides which are the items of a list
(points typed without markers) and which numbered line is a title. It works on raw
offsets only: ``tema.segment.clean`` cleans each block afterwards.
"""

from __future__ import annotations

from dataclasses import replace

from tema.segment import nb_layout, nb_sentences, nb_words, titles
from tema.segment.lines import Group, Line
from tema.segment.lists import (
    introduced_point_count,
    numbered_titles_as_text,
    trailing_point_count,
    unmarked_list_items,
)

# Longest block; a longer run of lines without a blank line is cut into several blocks.
# Small enough that a spaCy batch of such blocks stays small in memory.
MAX_BLOCK_CHARS = 5_000

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
    if nb_layout.is_question_line(content):
        return not nb_sentences.ENDS_WITH_ANY_PUNCTUATION.search(previous)
    if nb_layout.is_question_line(previous.strip()):
        first = content.split(maxsplit=1)[0].strip(",.").lower() if content else ""
        return first not in nb_layout.REPORTING_VERBS
    return False


def _starts_text_block(
    raw: str,
    current: list[Line],
    current_kind: str,
    line: Line,
    content: str,
    previous_ends_sentence: bool,
    current_chars: int,
    points_go_on: bool = False,
) -> bool:
    """Whether text ``line`` starts a new block rather than continuing ``current``
    (``points_go_on``: ``line`` is one more point of typed notes, ``titles.points_go_on``,
    so a short line above it is no title)."""
    if line.frame_start and (previous_ends_sentence or current_kind == "quote"):
        return True  # a new text frame after a finished sentence or a pull quote
    if current_kind == "quote":
        # Pull quotes are set in a narrow column: a much longer line is body text that
        # the extraction put right after the quote.
        longest = max(len(raw[q.start : q.end].strip()) for q in current)
        return len(content) >= PULL_QUOTE_BODY_CHARS and len(content) > 1.5 * longest
    if current_kind == "bullet" and previous_ends_sentence:
        return bool(nb_words.STARTS_UPPER.match(content))  # body text after a list
    if nb_layout.LABEL_LINE.match(content):
        return True  # "Kontakt: ...", "Svar 2: ...": a new field of the notes
    if current_kind == "bullet" and titles.ends_short_title(raw, current[-1], line, content):
        # Body text right below a short item or a numbered section title; or below the
        # short last line of a wrapped one (the lines of a wrapped item are full width
        # but its last).
        return True
    if (
        current_kind == "text"
        and not points_go_on
        and titles.ends_short_title(raw, current[-1], line, content, alone=len(current) == 1)
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
    and runs of unmarked points become items (``tema.segment.lists``). In text extracted
    from a PDF (``pdf``), which has no blank line around a heading, a short title line
    below a finished sentence is split off the paragraph above it
    (``titles.title_below``); in typed text, where the writer sets the blank lines, such
    a line is a point of its own and stays with the sentences before it, but
    for one word at the end of a block (``titles.word_title_below``); two or more such
    points that end a block, or that body text or a list follows straight below, are
    items, one a point (``lists.trailing_point_count``; below a colon,
    ``lists.introduced_point_count``, also one point there with body text below it),
    and names below a sentence are a block of their own (``titles.names_below_sentence``);
    a closing greeting and the names below it are a heading (``_Grouping._signs``).
    """
    grouping = _Grouping(raw, pdf)
    for index, line in enumerate(lines):
        grouping.following = lines[index + 1] if index + 1 < len(lines) else None
        grouping.read(line)
    grouping.end_block()
    return unmarked_list_items(raw, numbered_titles_as_text(raw, grouping.groups))


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
        # The line after the one being read (None at the end of the text): whether typed
        # points go on below it (``titles.points_go_on``).
        self.following: Line | None = None

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
        the end of the text): short points below its last sentence are items, one each
        (``lists.trailing_point_count``); a one-word title below its sentence is a block
        of its own."""
        typed_text = not self.pdf and self.kind == "text"
        points = trailing_point_count(self.raw, self.current) if typed_text else 0
        if points:
            self._close_points(points)
        elif typed_text:
            self._close_apart(
                titles.word_title_below(self.raw, self.current)
                or titles.names_below_sentence(self.raw, self.current)
            )
        else:
            self.close()

    def _close_points(self, points: int) -> None:
        """End the block being read, its last ``points`` lines an item each."""
        self._close_apart(points)
        _kind, lines = self.groups.pop()
        self.groups.extend(("bullet", [line]) for line in lines)

    def _points_above(self, lines: list[Line], below: Line | None) -> int:
        """In typed text, how many of the last ``lines`` of the text block being read are
        points with body text or a list ``below`` straight under them, no blank line
        between: points below a sentence (``lists.trailing_point_count``) or a colon
        (``lists.introduced_point_count``), items, as where a blank line ends the block
        ("… i kommunen." / "Mer praksis" / "Bedre tolketjeneste" / "Neste punkt er
        bolig." or "- Flere boliger"); 0: none. Body text is a capitalised line that is
        no such point (``titles.body_below_points``)."""
        if self.pdf or self.kind != "text" or below is None:
            return 0
        body = below.kind == "text" and titles.body_below_points(
            self.raw[below.start : below.end].strip()
        )
        if not body and below.kind not in ("bullet", "marker"):
            return 0
        # One point a colon announces, body text below it: a point (over a list, it may
        # be the list's title); one word there is the body's title (``_end_above_body``).
        one_word_title = body and titles.word_title_below_colon(self.raw, lines)
        introduced = introduced_point_count(self.raw, lines, least=1 if body else 2)
        introduced = 0 if one_word_title and introduced == 1 else introduced
        return trailing_point_count(self.raw, lines) or introduced

    def _end_above_body(self, line: Line) -> bool:
        """In typed text, end the text block being read where body text or a list ``line``
        follows points (``_points_above``: each an item) or, for body text, names below a
        sentence (``titles.names_below_sentence``) or one word below a colon
        (``titles.word_title_below_colon``: a block of their own); False: not ended."""
        if points := self._points_above(self.current, line):
            self._close_points(points)
            return True
        if self.pdf or self.kind != "text" or line.kind != "text":
            return False
        if not titles.body_below_points(self.raw[line.start : line.end].strip()):
            return False
        title = titles.names_below_sentence(self.raw, self.current) or (
            titles.word_title_below_colon(self.raw, self.current)
        )
        if title:
            self._close_apart(title)
        return bool(title)

    def read(self, line: Line) -> None:
        """Put the next line into a block."""
        if line.kind == "blank":
            self.end_block()
            self.after_blank = True
        elif line.kind == "cell":  # the rest of wrapped cells: in its row's block
            self.groups[-1][1].append(line)
            self.after_blank = False
        elif line.kind == "noise":
            self.close()
            self.groups.append(("noise", [line]))
            self.after_blank = True  # page furniture breaks the text like a blank line
        else:
            self._place(line)
            self.chars += line.end - line.start
            self.after_blank = False

    def _place(self, line: Line) -> None:
        if self._signs(line):
            return
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
        elif self._end_above_body(line):
            self.current, self.kind = [line], "text"  # points or names above it
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

    def _signs(self, line: Line) -> bool:
        """In typed text, whether ``line`` was placed as part of a signature: a closing
        greeting ("Med vennlig hilsen", ``nb_layout.is_greeting``) ends the block above
        it, as a blank line does, and starts a heading (not input) that the names one a
        line below it (``nb_sentences.is_name``) join; any other line ends it."""
        content = self.raw[line.start : line.end].strip()
        if self.kind == "heading":
            if line.kind == "text" and nb_sentences.is_name(content.split()):
                self.current.append(line)
                return True
            self.close()
        if self.pdf or line.kind != "text" or not nb_layout.is_greeting(content):
            return False
        self.end_block()
        self.current, self.kind = [line], "heading"
        return True

    def _start_item(self, line: Line) -> None:
        """A bullet item or a pull quote starts a block; the last line of the block before
        it may be the list's title (``_list_title``), a block of its own."""
        if line.kind == "quote":
            self.close()
        elif not self._end_above_body(line):  # points straight above the list: items
            self._close_apart(titles.list_title(self.raw, self.current))
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
                nb_words.STARTS_LOWER.match(content) or nb_layout.opens_with_closing_mark(content)
            )
            and not nb_sentences.ENDS_WITH_ANY_PUNCTUATION.search(
                self.raw, lines[-1].start, lines[-1].end
            )
        )

    def _starts_text_block(self, line: Line) -> bool:
        last = self.current[-1]
        typed_points = (
            not self.pdf
            and self.kind == "text"
            and (
                titles.points_go_on(self.raw, self.current, line, self.following)
                or bool(self._points_above([*self.current, line], self.following))
            )
        )
        return _starts_text_block(
            self.raw,
            self.current,
            self.kind,
            line,
            self.raw[line.start : line.end].strip(),
            bool(nb_sentences.ENDS_WITH_TERMINAL.search(self.raw, last.start, last.end)),
            self.chars,
            typed_points,
        )
