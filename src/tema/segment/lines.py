"""The lines of raw text, each with its raw offsets and its kind.

A line is blank, a link, noise (page numbers, contents lines, running headers and
footers, page furniture found by ``tema.segment.furniture``), a bullet item or a bullet
alone on its line (``marker``), a pull quote, a footnote, a programme item, a row of a
table saved as text (``row``, ``table``) or the rest of its wrapped cells (``cell``), or
text. Lines longer than ``MAX_LINE_CHARS`` are cut into pieces. ``tema.segment.blocks``
groups the lines.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

from tema.segment import nb_layout, nb_sentences, nb_words

# Longest line handled as one piece; longer ones (a file without line breaks) are cut at
# whitespace so memory and spaCy's max_length stay bounded.
MAX_LINE_CHARS = 2_500
# Control characters, soft hyphens and zero-width marks: a line of them is noise, and
# the clean-up drops them (tema.segment.clean).
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u200b-\u200d\u2060\ufeff]")
_NOISE_LINE = re.compile(r"^\W*\d{1,4}\W*$|^[\W_]*$")


@dataclass(frozen=True)
class Line:
    """One line of raw text: ``start``/``end`` exclude the line break."""

    start: int
    end: int
    # blank, url, noise, bullet, marker, quote, footnote, programme, row, table, text;
    # cell: the rest of the wrapped cells of the row above it (its block's)
    kind: str
    frame_start: bool  # indented and capitalised: a new text frame in PDF extraction


# The lines of one layout block and its kind before heading detection (tema.segment.blocks).
Group = tuple[str, list[Line]]


def classify_line(content: str) -> str:
    """Kind of one raw line (without its line break)."""
    stripped = content.strip()
    if not stripped:
        return "blank" if not CONTROL.search(content) else "noise"
    if nb_layout.URL_LINE.match(stripped):
        return "url"
    if stripped.startswith(nb_layout.PULL_QUOTE_OPENERS[:3]):
        return "quote"  # also a line with only the opening marks: the quote follows
    if len(stripped) == 1 and nb_layout.LONE_BULLET_LINE.match(content):
        return "marker"  # the item's text follows on the next line
    if _NOISE_LINE.match(stripped):
        return "noise"
    # Cheap character tests first: most lines are none of these, and this runs per line.
    first, last = stripped[0], stripped[-1]
    if last.isdigit() and (
        nb_layout.PAGE_LABEL_LINE.match(stripped) or nb_layout.TOC_LINE.search(stripped)
    ):
        return "noise"
    if (last.isdigit() or first.isdigit()) and nb_layout.RUNNING_HEADER_LINE.search(content):
        return "noise"
    if first in nb_sentences.SUPERSCRIPT_DIGITS and nb_layout.FOOTNOTE_LINE.match(content):
        return "footnote"
    if (first.isdigit() or first == "K") and nb_layout.PROGRAMME_LINE.match(content):
        return "programme"
    if item_marker(content):
        return "bullet"
    if stripped.startswith(nb_layout.PULL_QUOTE_OPENERS):
        return "quote"
    return "text"


def item_marker(content: str) -> re.Match[str] | None:
    """The bullet, dash or number that opens a list item line, if it is one; also a bullet
    glyph without the space after it ("•Flere boliger")."""
    return (
        nb_layout.BULLET_LINE.match(content)
        or nb_layout.GLUED_BULLET_LINE.match(content)
        or nb_layout.DASH_BULLET_LINE.match(content)
        or nb_layout.NUMBERED_ITEM_LINE.match(content)
    )


def item_marker_of_bullet(content: str) -> re.Match[str] | None:
    """`item_marker`, or the dash or number of a lower-case item that a run of them made
    a bullet, the letter of a lettered item that its list made one, or the dash without
    its space ("-Flere boliger") of an item that a run of them made one (``split_lines``)."""
    return (
        item_marker(content)
        or nb_layout.LETTERED_ITEM_LINE.match(content)
        or nb_layout.LOWER_DASH_ITEM_LINE.match(content)
        or nb_layout.GLUED_RUN_ITEM_LINE.match(content)
        or _lower_case_number(content)
    )


def _lower_case_number(content: str) -> re.Match[str] | None:
    """The number of a lower-case numbered item ("1. flere …"), not an ordinal ("17. mai",
    "3. klasse")."""
    numbered = nb_layout.LOWER_NUMBERED_ITEM_LINE.match(content)
    return numbered if numbered and numbered[2] not in nb_sentences.ORDINAL_FOLLOWERS else None


_SENTENCE_END_THEN_SPACE = re.compile(r"[.!?…][»”’\"')\]]*(?= +[\"«(]*[A-ZÆØÅ\d])")


def _split_long(start: int, end: int, text: str) -> Iterator[tuple[int, int]]:
    """Cut the line ``text[start:end]`` into pieces of at most MAX_LINE_CHARS: after the
    last likely sentence end in the second half of the piece (a full stop not after an
    abbreviation: "som Dr. Donsbach"), else at the last space."""
    while end - start > MAX_LINE_CHARS:
        window_start, window_end = start + MAX_LINE_CHARS // 2, start + MAX_LINE_CHARS
        sentence_ends = [
            match
            for match in _SENTENCE_END_THEN_SPACE.finditer(text, window_start, window_end)
            if not _after_abbreviation(text, match.start())
        ]
        if sentence_ends:
            sentence_end = sentence_ends[-1]
            cut = sentence_end.end()
        else:
            space = text.rfind(" ", window_start, window_end)
            cut = space if space > 0 else window_end
        yield start, cut
        start = cut
    yield start, end


def _after_abbreviation(text: str, stop: int) -> bool:
    """True when the full stop at ``text[stop]`` ends an abbreviation ("Dr.", "f.eks.")."""
    if text[stop] != ".":
        return False
    low = max(0, stop - 20)  # abbreviations are short
    word_start = max(text.rfind(" ", low, stop), text.rfind("\n", low, stop), low - 1) + 1
    return nb_sentences.is_abbreviation(text[word_start : stop + 1].lstrip('«("“'))


def split_lines(text: str, furniture: frozenset[int] = frozenset()) -> list[Line]:
    """The lines of ``text`` with raw offsets and their kind; lines that start at an
    offset in ``furniture`` (``tema.segment.furniture.page_furniture``) are noise."""
    lines = []
    position = 0
    for with_break in text.splitlines(keepends=True):
        content = with_break.rstrip("\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
        line_end = position + len(content)
        for start, end in _split_long(position, line_end, text):
            piece = text[start:end]
            kind = "noise" if start in furniture else classify_line(piece)
            frame_start = (
                kind != "blank"
                and piece[:1] in (" ", "\t")
                and bool(nb_words.STARTS_UPPER.match(piece.lstrip()))
            )
            lines.append(Line(start, end, kind, frame_start))
        position += len(with_break)
    lines = _glued_run_items(text, _table_rows(text, lines, furniture))
    return _lettered_items(text, _lower_case_items(text, lines))


# A table saved as text (tabs in a .txt, a PDF's column gaps): this many lines or more in a
# row, each of as many cells, are its rows.
MIN_TABLE_ROWS = 2
_WORD_OF_THREE = re.compile(r"[^\W\d_]{3,}")


def _table_rows(text: str, lines: list[Line], furniture: frozenset[int]) -> list[Line]:
    """Lines of a table saved as text become its rows: MIN_TABLE_ROWS lines or more in a
    row, each of the same number of cells (two or more, ``nb_layout.CELL_GAP`` between
    them). A row is ``row`` (input) or ``table`` (not input) as ``_row_kinds`` decides."""
    kinds: dict[int, str] = {}
    run: list[tuple[int, list[str]]] = []
    wrapped: dict[int, int] = {}  # a line holding the rest of wrapped cells: its row's index
    for index, line in enumerate([*lines, Line(len(text), len(text), "end", False)]):
        cells = _cells(text, line, furniture)
        if cells and (not run or len(cells) == len(run[0][1])):
            run.append((index, cells))
            continue
        if run and _wrapped_rest(text, lines[run[-1][0]], line, len(run[0][1]), furniture):
            wrapped[index] = run[-1][0]
            continue
        if len(run) >= MIN_TABLE_ROWS:
            rows = [row for _index, row in run]
            kinds.update(zip((index for index, _row in run), _row_kinds(rows), strict=True))
            kinds.update((rest, "cell") for rest, row in wrapped.items() if row in kinds)
        run = [(index, cells)] if cells else []
        wrapped = {}
    return [replace(line, kind=kinds[i]) if i in kinds else line for i, line in enumerate(lines)]


def _wrapped_rest(text: str, row: Line, line: Line, width: int, furniture: frozenset[int]) -> bool:
    """Whether ``line`` holds the rest of cells of ``row`` that a narrow column wrapped
    (pdftotext -layout: "Bolig   Flere utleieboliger for   Kommunen" / "        store
    familier"): a text line of fewer cells than the table's ``width``, indented, with no
    tab, each of its cells starting where a cell of ``row`` but the first does, and
    opening with a lower-case letter, as the rest of a cell's words does; a line that
    opens with a capital may be a row whose first cell is empty, or text below the table."""
    content = text[line.start : line.end]
    if (
        line.kind != "text"
        or line.start in furniture
        or "\t" in content
        or "\t" in text[row.start : row.end]
    ):
        return False
    columns = _cell_columns(content)
    row_columns = _cell_columns(text[row.start : row.end])
    return (
        0 < len(columns) < width
        and all(column in row_columns[1:] for column in columns)
        and bool(nb_words.STARTS_LOWER.match(content.lstrip()))
    )


def _cell_columns(content: str) -> list[int]:
    """Where the cells of a line gapped with spaces start (their columns)."""
    stripped = content.lstrip(" ")
    columns = [len(content) - len(stripped)]
    columns.extend(gap.end() for gap in nb_layout.CELL_GAP.finditer(content, columns[0]))
    return [column for column in columns if column < len(content.rstrip())]


def _cells(text: str, line: Line, furniture: frozenset[int]) -> list[str]:
    """The cells of a line that may be a row of a table, if it has two or more: a text
    line, or a noise line that holds a letter or a digit and is no page furniture (a row
    that ends in a number looks like a running header: "Privat      30")."""
    if line.kind not in ("text", "noise") or line.start in furniture:
        return []
    content = text[line.start : line.end].strip()  # an indent is no empty cell
    cells = nb_layout.CELL_GAP.split(content)
    return cells if len(cells) >= 2 and any(c.isalnum() for c in content) else []


def _row_kinds(rows: list[list[str]]) -> list[str]:
    """``row`` for a row of a table that holds input, a cell of prose (two words or more,
    one in lower case: "Flere utleieboliger"); ``table`` for one that does not: a header
    of labels ("Tema", "Innspill"), a row of figures (all cells but the first without a
    word of three letters: "Offentlig", "25", "42 %"), and the first row of a table whose
    other rows are all figures (its header: "Sektor", "2019", "2020")."""
    figures = [not any(_WORD_OF_THREE.search(cell) for cell in row[1:]) for row in rows]
    kinds = [
        "row" if not figure and any(_prose(cell) for cell in row) else "table"
        for row, figure in zip(rows, figures, strict=True)
    ]
    if all(figures[1:]):
        kinds[0] = "table"
    return kinds


def _prose(cell: str) -> bool:
    """Whether a table cell holds prose: two words or more, one in lower case."""
    words = nb_words.WORD.findall(cell)
    return len(words) >= 2 and any(word[0].islower() for word in words)


def _lower_case_items(text: str, lines: list[Line]) -> list[Line]:
    """Text lines that open with a dash or a number before a lower-case word become list
    items: dashes where two or more follow each other (blank lines between allowed) or one
    stands on its own after a blank line ("Bolig" / "" / "- lang ventetid"); numbers where
    two or more follow each other in order ("1. flere …", "2. bedre …"). A dash a line
    break put first ("… og" / "– som flere sa – …") follows its text directly, and a
    number before a lower-case word may be an ordinal ("3. klasse")."""
    items: set[int] = set()
    dashes: list[int] = []
    numbers: list[tuple[int, int]] = []  # (line index, its number)
    for index, line in enumerate([*lines, Line(len(text), len(text), "end", False)]):
        if line.kind == "blank":
            continue
        content = text[line.start : line.end]
        numbered = _lower_case_number(content) if line.kind == "text" else None
        if numbered:
            if numbers and int(numbered[1]) != numbers[-1][1] + 1:
                numbers = []
            numbers.append((index, int(numbered[1])))
        else:
            if len(numbers) >= 2:
                items.update(index for index, _number in numbers)
            numbers = []
        if line.kind == "text" and nb_layout.LOWER_DASH_ITEM_LINE.match(content):
            dashes.append(index)
            continue
        if len(dashes) >= 2 or (len(dashes) == 1 and _opens_a_block(text, lines, dashes[0])):
            items.update(dashes)
        dashes = []
    return [replace(line, kind="bullet") if i in items else line for i, line in enumerate(lines)]


def _glued_run_items(text: str, lines: list[Line]) -> list[Line]:
    """Text lines that open with a dash or a middle dot directly before a capital ("-Flere
    boliger": the space lost in typing or by pdftotext), or with a dash directly before a
    lower-case word ("-flere boliger"), become list items where two or more lines that
    open with such a mark, with or without the space (``nb_layout.RUN_ITEM_LINE``),
    follow each other, blank lines between allowed, and lines in lower case below one
    before a capital (``nb_layout.CAPITAL_RUN_ITEM_LINE``: its wrapped rest, "-Flere
    boliger" / "for unge" / "-Bedre tolketjeneste"). One alone stays text: a dash a line
    break put first, a hyphen ("NAV" / "-kontoret"), or a reply ("-Nei, sa hun")."""
    items: set[int] = set()
    run: list[int] = []
    wrapped = False  # a line in lower case here is the wrapped rest of the run's last item
    for index, line in enumerate([*lines, Line(len(text), len(text), "end", False)]):
        if line.kind == "blank":
            continue
        content = text[line.start : line.end]
        if line.kind in ("text", "bullet") and nb_layout.RUN_ITEM_LINE.match(content):
            run.append(index)
            wrapped = bool(nb_layout.CAPITAL_RUN_ITEM_LINE.match(content))
            continue
        if wrapped and line.kind == "text" and nb_words.STARTS_LOWER.match(content.lstrip()):
            continue
        if len(run) >= 2:
            items.update(index for index in run if lines[index].kind == "text")
        run, wrapped = [], False
    return [replace(line, kind="bullet") if i in items else line for i, line in enumerate(lines)]


def _lettered_items(text: str, lines: list[Line]) -> list[Line]:
    """Text lines that open with a letter and a full stop before a capital ("a. Flere
    boliger") become list items where they are plausibly a list: an "a." or a roman "i."
    opens one, and the next letter ("b." after "a.", "v." after "iv.") goes on with it
    within ``nb_layout.MAX_LETTERED_ITEM_LINES`` lines. Any other is a one-letter
    abbreviation that a line break put first ("s. Ordet", "f. Hansen", "e. Kr.")."""
    previous, since = "", 0  # the letters of the last item of the list, lines since it
    marked: list[Line] = []
    for line in lines:
        content = text[line.start : line.end]
        lettered = nb_layout.LETTERED_ITEM_LINE.match(content) if line.kind == "text" else None
        roman = nb_layout.ROMAN_ITEM_LINE.match(content) if line.kind == "bullet" else None
        since += line.kind != "blank"
        if lettered and (
            lettered[1] in nb_layout.FIRST_ITEM_LETTERS
            or (since <= nb_layout.MAX_LETTERED_ITEM_LINES and lettered[1] == _next(previous))
        ):
            line = replace(line, kind="bullet")
        marker = lettered or roman
        if line.kind == "bullet" and marker:
            previous, since = marker[1], 0
        marked.append(line)
    return marked


def _next(letters: str) -> str:
    """The letter of the item after an item lettered ``letters`` ("a" → "b", "iv" → "v")."""
    if len(letters) == 1:
        return chr(ord(letters[0]) + 1)
    return nb_layout.ROMAN_NEXT_LETTER.get(letters, "")


def _opens_a_block(text: str, lines: list[Line], index: int) -> bool:
    """Whether the line at ``index`` comes first, or after a blank line below a line that
    does not run on into it (a heading, a finished sentence; not "… og" or "… hastet,")."""
    if index == 0:
        return True
    if lines[index - 1].kind != "blank":
        return False
    above = next((line for line in reversed(lines[:index]) if line.kind != "blank"), None)
    if above is None:
        return True
    return not nb_layout.runs_on(text[above.start : above.end])
