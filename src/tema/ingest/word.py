"""Word (.docx) files: the text a reader of the document sees, in reading order.

The paragraphs and tables of the body (and of content controls, text boxes and table
cells) become lines. A paragraph's text is what Word shows of it (`tema.ingest.word_text`:
tracked insertions, content controls and symbols kept; hidden, deleted and moved-away
text, drawings' fallback copies and placeholders left out); comments, footnotes and
headers and footers are not read. Text boxes are read as paragraphs of their own after
the paragraph they stand in.

Each line says what Word says it is: a heading (a heading style or outline level, and a
table's header row), a list item (numbering, or a list style), or a paragraph. Segmentation
takes Word's headings as headings; for other paragraphs it judges from the text, as for
any document (people also make headings by typing them in bold).

A table is read row by row. A row whose cells each hold one paragraph is one item, its
cells joined by " | " ("Bolig | Flere utleieboliger"): a reader reads the row as one line.
A cell of several paragraphs or list items holds several points ("Gruppe 1" beside four
bullets); joined, they would be one unit and three of them missing from the counts. So
such a row gives the cells before that cell as one line, the row's label, which
segmentation judges from its words (a short label, "Gruppe 1", is a heading: not
counted, and the section of the points below it; a sentence is counted), and then each
paragraph or list item of that cell and the cells after it as an item of its own. Every
point keeps its text as written, without a label put before it, and is counted once. The
cost: a label heading is the section of what follows it up to the next heading, also the
rows and text after the table. A table's first row is its header only where Word shows
one (`_header_kind`); a header is never counted, so tema does not guess one.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tema.errors import UnreadableFile
from tema.ingest.word_text import (
    ON,
    W,
    hex_value,
    paragraph_text,
    switched_on,
    text_boxes,
    wrapped,
)
from tema.io.encodings import renamed_text_reason
from tema.io.files import office_binary_reason

# Between the cells of a Word table's row, which tema reads as one line.
CELL_SEPARATOR = " | "
# Paragraph styles that are headings (English and Norwegian Word name them so); a
# numbered heading is a heading, not a list item.
HEADING_STYLES = ("heading", "overskrift", "title", "tittel")
# The kinds of line: what Word says a paragraph is.
PARAGRAPH, ITEM, HEADING = "paragraph", "item", "heading"
# Word's outline levels are 0–8 for headings; 9 is body text.
BODY_TEXT_LEVEL = 9
# How far a style's "based on" chain is followed (a damaged file may loop it).
MAX_STYLE_DEPTH = 20
# The bit of w:tblLook's w:val (older files) that applies a table style's first-row format.
FIRST_ROW_LOOK = 0x0020


WordLine = tuple[str, str]  # (PARAGRAPH, ITEM or HEADING; its text)


def docx_lines(path: Path) -> list[WordLine]:
    """The paragraphs (with their text boxes) and table rows of a .docx, in order."""
    import docx
    from docx.opc.exceptions import OpcError
    from lxml.etree import XMLSyntaxError

    try:
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, zlib.error, KeyError, ValueError, OpcError, XMLSyntaxError) as exc:
        reason = office_binary_reason(path, ".docx") or renamed_text_reason(path, "Word")
        raise UnreadableFile(
            path, reason or f"is not a readable Word (.docx) file ({exc})"
        ) from exc
    return list(_block_lines(document.element.body, document._body))


def _block_lines(container: Any, parent: Any) -> Iterator[WordLine]:
    """Lines of the paragraphs and tables in `container` (the body, a content control, a
    text box, a table cell), content controls opened; a control still showing its
    placeholder ("Klikk her for å skrive inn tekst") holds nothing anyone wrote."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for child in wrapped(container, (f"{W}p", f"{W}tbl")):
        if child.tag == f"{W}p":
            paragraph = Paragraph(child, parent)
            text = paragraph_text(child).strip()
            if text:
                yield _kind(paragraph), text
            for box in text_boxes(child):
                yield from _block_lines(box, parent)
        else:
            yield from _table_lines(Table(child, parent))


def _kind(paragraph: Any) -> str:
    """HEADING for a heading style or an outline level (a numbered heading too); PARAGRAPH
    where numbering is removed (numbering 0, whatever the style); ITEM for a list style or
    numbering on the paragraph or its style; else PARAGRAPH."""
    styles = _style_chain(paragraph.style)
    name = ((styles[0].name if styles else "") or "").lower()
    level = _inherited(paragraph, styles, "outlineLvl")
    if name.startswith(HEADING_STYLES) or (
        level is not None and level.get(f"{W}val", str(BODY_TEXT_LEVEL)) != str(BODY_TEXT_LEVEL)
    ):
        return HEADING
    numbering = _inherited(paragraph, styles, "numPr")
    number = numbering.find(f"{W}numId") if numbering is not None else None
    if number is not None and number.get(f"{W}val") == "0":
        return PARAGRAPH  # Word's "numbering removed"
    if name.startswith(("list", "liste")) or numbering is not None:
        return ITEM
    return PARAGRAPH


def _style_chain(style: Any) -> list[Any]:
    """A style (of a paragraph or a table; None for none) and the styles it is based on,
    each once (a damaged file can base a style on itself)."""
    chain: list[Any] = []
    while style is not None and len(chain) < MAX_STYLE_DEPTH:
        if any(style.element is seen.element for seen in chain):
            break
        chain.append(style)
        style = style.base_style
    return chain


def _inherited(paragraph: Any, styles: list[Any], name: str) -> Any:
    """The paragraph property `name` (w:pPr/w:<name>) of the paragraph, else of the first
    style in its chain that sets it."""
    for element in (paragraph._p, *(style.element for style in styles)):
        properties = element.find(f"{W}pPr")
        found = properties.find(f"{W}{name}") if properties is not None else None
        if found is not None:
            return found
    return None


def _table_lines(table: Any) -> list[WordLine]:
    """A Word table as lines: each row one list item, its non-empty cells joined by
    CELL_SEPARATOR, so that a row of input is one unit however many columns it has; a
    row with a cell of several paragraphs or list items as several lines (`_row_lines`);
    a header row is one line above them: a heading where Word marks it as the header row,
    else (its text shows bold) a plain line that segmentation judges (it takes a short
    label for a heading).

    Cell by cell, the header's labels and a first column of topics ("Bolig") would be
    counted as input of their own, and a run of short cells would turn the document's
    own heading above the table into a list item.
    """
    from docx.table import _Cell

    row_elements = list(wrapped(table._tbl, (f"{W}tr",)))
    rows = [
        [
            lines
            for cell in wrapped(row, (f"{W}tc",))
            # A cell that a merged cell above spans is read once, there.
            if not _continues_merge(cell)
            and (lines := list(_block_lines(cell, _Cell(cell, table))))
        ]
        for row in row_elements
    ]
    if not any(rows):
        return []
    header = _header_kind(row_elements[0], table) if rows[0] and len(rows) > 1 else None
    lines = []
    if header:
        # A header cell of several lines is one label wrapped by hand; it is never counted.
        labels = (" ".join(text for _, text in cell) for cell in rows[0])
        lines.append((header, CELL_SEPARATOR.join(labels)))
    for cells in rows[1 if header else 0 :]:
        lines.extend(_row_lines(cells))
    return lines


def _row_lines(cells: list[list[WordLine]]) -> list[WordLine]:
    """The lines of a table row whose non-empty cells hold `cells` (each its lines): one
    item of the cells joined by CELL_SEPARATOR where each cell holds one line; else the
    cells before the first cell of several lines (the row's label: a group, a topic) as one
    plain line that segmentation judges, then every line of the cells from there on its own
    (`_point_lines`)."""
    first_of_several = next((index for index, lines in enumerate(cells) if len(lines) > 1), None)
    if first_of_several is None:
        return [(ITEM, CELL_SEPARATOR.join(lines[0][1] for lines in cells))] if cells else []
    label = CELL_SEPARATOR.join(lines[0][1] for lines in cells[:first_of_several])
    points = [line for lines in cells[first_of_several:] for line in _point_lines(lines)]
    return [(PARAGRAPH, label), *points] if label else points


def _point_lines(lines: list[WordLine]) -> list[WordLine]:
    """The lines of a cell as points of the table: each an item, also a plain paragraph (a
    cell is input however its lines are typed, and a short paragraph judged from its words
    would be taken for a heading, not counted); Word's headings stay headings, and a plain
    paragraph right before a list item stays a paragraph: the list's introduction, judged
    from its words as above a list in the body ("Gruppe 1" is a heading)."""
    points = []
    for index, (kind, text) in enumerate(lines):
        introduces = kind == PARAGRAPH and index + 1 < len(lines) and lines[index + 1][0] == ITEM
        points.append((kind if kind == HEADING or introduces else ITEM, text))
    return points


def _continues_merge(cell: Any) -> bool:
    """A cell that a vertically merged cell above it spans (Word keeps it, empty)."""
    properties = cell.find(f"{W}tcPr")
    merge = properties.find(f"{W}vMerge") if properties is not None else None
    return merge is not None and merge.get(f"{W}val", "continue") != "restart"


def _header_kind(first: Any, table: Any) -> str | None:
    """How a table's first row (of several) is its header: HEADING when Word marks it as
    the header row (repeated on each page); PARAGRAPH when all its text shows bold (bold
    runs, or the table style's first-row formatting); else None, a row of input.

    Only what Word shows decides: a first row of short labels over longer rows ("Bolig |
    Flere utleieboliger" over "Arbeid | Arbeidsgivere bør …") is as often input as a
    header, and a header is never counted, so a guess from the words would drop input.
    An unmarked header ("Tema | Innspill") is counted as a row instead: visible, not lost.
    """
    from docx.table import _Cell

    properties = first.find(f"{W}trPr")
    if properties is not None and switched_on(properties.find(f"{W}tblHeader")):
        return HEADING
    runs = [
        run
        for cell in wrapped(first, (f"{W}tc",))
        for paragraph in _Cell(cell, table).paragraphs
        for run in paragraph.runs
        if run.text.strip()
    ]
    if runs and (_style_bolds_first_row(table) or all(run.bold for run in runs)):
        return PARAGRAPH
    return None


def _style_bolds_first_row(table: Any) -> bool:
    """Whether the table's style sets its first row in bold (as Word's built-in "Grid
    Table" and "List Table" designs do) and the table applies that formatting (Word's
    "Header Row" option, w:tblLook)."""
    properties = table._tbl.find(f"{W}tblPr")  # a converter's table may have none
    look = properties.find(f"{W}tblLook") if properties is not None else None
    if look is None:
        return False
    flag = look.get(f"{W}firstRow")
    if flag is None:  # older files: a hexadecimal bit mask, 0x0020 the first row
        flag = "1" if (hex_value(look.get(f"{W}val")) or 0) & FIRST_ROW_LOOK else "0"
    if flag not in ON:
        return False
    for style in _style_chain(table.style):
        for conditional in style.element.findall(f"{W}tblStylePr"):
            if conditional.get(f"{W}type") == "firstRow":
                bold = conditional.find(f"{W}rPr/{W}b")
                if bold is not None:
                    return switched_on(bold)
    return False
