"""Word (.docx) files: the text a reader of the document sees, in reading order.

python-docx's own `Paragraph.text` reads only the runs directly under a paragraph, so text
that real documents keep elsewhere would be lost without a word: insertions of tracked
changes that were never accepted (`w:ins`, `w:moveTo`), content controls of templates
(`w:sdt`), smart tags, and fields' results. This reader walks the XML itself and keeps
every run a reader sees; it leaves out deleted and moved-away text (`w:del`,
`w:moveFrom`), the fallback copy of a drawing (`mc:Fallback`), comments, footnotes and
headers and footers. Text boxes are read as paragraphs of their own after the paragraph
they stand in.

Each line says what Word says it is: a heading (a heading style or outline level, and a
table's header row), a list item (numbering, or a list style), or a paragraph. Segmentation
takes Word's headings as headings; for other paragraphs it judges from the text, as for
any document (people also make headings by typing them in bold).
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tema.errors import UnreadableFile
from tema.io.files import office_binary_reason

# Between the cells of a Word table's row, which tema reads as one line.
CELL_SEPARATOR = " | "
# A first row whose every cell is a label this short (and without final punctuation) is
# the table's header ("Tema | Innspill").
MAX_HEADER_CELL_WORDS = 4
# Paragraph styles that are headings (English and Norwegian Word name them so); a
# numbered heading is a heading, not a list item.
HEADING_STYLES = ("heading", "overskrift", "title", "tittel")
# The kinds of line: what Word says a paragraph is.
PARAGRAPH, ITEM, HEADING = "paragraph", "item", "heading"
# Word's outline levels are 0–8 for headings; 9 is body text.
BODY_TEXT_LEVEL = 9

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
# Runs under these are not what the document says now, or say it a second time.
_HIDDEN = frozenset({f"{_W}del", f"{_W}moveFrom", f"{_MC}Fallback", f"{_W}txbxContent"})
_TEXT_BOX = f"{_W}txbxContent"

Line = tuple[str, str]  # (PARAGRAPH, ITEM or HEADING; its text)


def docx_lines(path: Path) -> list[Line]:
    """The paragraphs (with their text boxes) and table rows of a .docx, in order."""
    import docx
    from docx.opc.exceptions import OpcError

    try:
        document = docx.Document(str(path))
        return list(_block_lines(document.element.body, document._body))
    except (zipfile.BadZipFile, zlib.error, KeyError, ValueError, OpcError) as exc:
        reason = office_binary_reason(path, ".docx")
        raise UnreadableFile(
            path, reason or f"is not a readable Word (.docx) file ({exc})"
        ) from exc
    except Exception as exc:  # lxml's XMLSyntaxError: a damaged document.xml
        if type(exc).__name__ != "XMLSyntaxError":
            raise
        raise UnreadableFile(path, f"is not a readable Word (.docx) file ({exc})") from exc


def _block_lines(container: Any, parent: Any) -> Iterator[Line]:
    """Lines of the paragraphs and tables in `container` (the body, a content control, a
    text box), content controls opened."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for child in container.iterchildren():
        if child.tag == f"{_W}p":
            paragraph = Paragraph(child, parent)
            text = paragraph_text(child).strip()
            if text:
                yield _kind(paragraph), text
            for box in _text_boxes(child):
                yield from _block_lines(box, parent)
        elif child.tag == f"{_W}tbl":
            yield from _table_lines(Table(child, parent))
        elif child.tag in (f"{_W}sdt", f"{_W}customXml"):
            content = child.find(f"{_W}sdtContent")
            yield from _block_lines(content if content is not None else child, parent)


def paragraph_text(paragraph: Any) -> str:
    """The text of a `w:p` element as a reader sees it: every run that is not deleted,
    moved away, a drawing's fallback copy or inside a text box."""
    parts = []
    for run in paragraph.iter(f"{_W}r"):
        if _visible(run, paragraph):
            parts.append(_run_text(run))
    return "".join(parts)


def _visible(run: Any, paragraph: Any) -> bool:
    element = run.getparent()
    while element is not None and element is not paragraph:
        if element.tag in _HIDDEN:
            return False
        element = element.getparent()
    return True


def _run_text(run: Any) -> str:
    parts = []
    for child in run.iterchildren():
        tag = child.tag
        if tag == f"{_W}t":
            parts.append(child.text or "")
        elif tag in (f"{_W}tab", f"{_W}ptab"):
            parts.append("\t")
        elif tag == f"{_W}br":
            # A page or column break inside a paragraph still separates words.
            parts.append(" " if child.get(f"{_W}type") in ("page", "column") else "\n")
        elif tag == f"{_W}cr":
            parts.append("\n")
        elif tag == f"{_W}noBreakHyphen":
            parts.append("-")
    return "".join(parts)


def _text_boxes(paragraph: Any) -> list[Any]:
    """The text boxes anchored in a paragraph, each once (not its drawing's fallback copy,
    not a box inside another box: that one is read with its box)."""
    boxes = []
    for box in paragraph.iter(_TEXT_BOX):
        element = box.getparent()
        inside = False
        while element is not None and element is not paragraph:
            if element.tag in (f"{_MC}Fallback", _TEXT_BOX):
                inside = True
                break
            element = element.getparent()
        if not inside:
            boxes.append(box)
    return boxes


def _kind(paragraph: Any) -> str:
    """HEADING for a heading style or an outline level (a numbered heading too); ITEM for
    a list style or numbering on the paragraph or its style (numbering 0 is Word's
    "numbering removed"); else PARAGRAPH."""
    style = paragraph.style
    name = ((style.name if style is not None else "") or "").lower()
    level = _inherited(paragraph, "outlineLvl")
    if name.startswith(HEADING_STYLES) or (
        level is not None and level.get(f"{_W}val", str(BODY_TEXT_LEVEL)) != str(BODY_TEXT_LEVEL)
    ):
        return HEADING
    if name.startswith(("list", "liste")):
        return ITEM
    numbering = _inherited(paragraph, "numPr")
    if numbering is None:
        return PARAGRAPH
    number = numbering.find(f"{_W}numId")
    return ITEM if number is None or number.get(f"{_W}val") != "0" else PARAGRAPH


def _inherited(paragraph: Any, name: str) -> Any:
    """The paragraph property `name` (w:pPr/w:<name>) of the paragraph, else of its style or
    the styles that style is based on."""
    found = _property(paragraph._p, name)
    style = paragraph.style
    while found is None and style is not None:
        found = _property(style.element, name)
        style = style.base_style
    return found


def _property(element: Any, name: str) -> Any:
    properties = element.find(f"{_W}pPr")
    return properties.find(f"{_W}{name}") if properties is not None else None


def _table_lines(table: Any) -> list[Line]:
    """A Word table as lines: each row one list item, its non-empty cells joined by
    CELL_SEPARATOR, so that a row of input is one unit however many columns it has; a
    header row is a heading, of the rows under it (never counted).

    Cell by cell, the header's labels and a first column of topics ("Bolig") would be
    counted as input of their own, and a run of short cells would turn the document's
    own heading above the table into a list item.
    """
    rows: list[list[str]] = []
    seen: set[Any] = set()  # the cell elements read (held, so each keeps its identity)
    for row in table.rows:
        cells: list[str] = []
        for cell in row.cells:
            # python-docx repeats a merged cell once per grid column it spans and once per
            # row it spans: the same cell element, which two cells of equal text are not.
            if cell._tc in seen:
                continue
            seen.add(cell._tc)
            text = " ".join(text for _, text in _block_lines(cell._tc, cell))
            if text:
                cells.append(text)
        rows.append(cells)
    filled = [cells for cells in rows if cells]
    if not filled:
        return []
    header = bool(rows[0]) and len(rows) > 1 and _is_header(table, rows)
    lines = [(HEADING, CELL_SEPARATOR.join(rows[0]))] if header else []
    lines.extend((ITEM, CELL_SEPARATOR.join(cells)) for cells in filled[1 if header else 0 :])
    return lines


def _is_header(table: Any, rows: list[list[str]]) -> bool:
    """Whether a table's first row (of several) is its header.

    Word says so when the row repeats as the header on each page, or when all its text is
    bold. Otherwise its cells must be short labels without final punctuation and the rows
    below must read differently (a longer cell or a sentence), or be empty (a template):
    a table of short rows alike ("Bolig | Flere boliger") has no header.
    """

    def label_like(cell: str) -> bool:
        return len(cell.split()) <= MAX_HEADER_CELL_WORDS and not cell.endswith(
            (".", "!", "?", ":")
        )

    first = table.rows[0]
    properties = first._tr.trPr
    if properties is not None and properties.find(f"{_W}tblHeader") is not None:
        return True
    runs = [
        run for cell in first.cells for p in cell.paragraphs for run in p.runs if run.text.strip()
    ]
    if runs and all(run.bold for run in runs):
        return True
    below = [cell for cells in rows[1:] for cell in cells]
    return all(label_like(cell) for cell in rows[0]) and (
        not below or not all(label_like(cell) for cell in below)
    )
