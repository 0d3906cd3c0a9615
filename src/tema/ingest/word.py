"""Word (.docx) files: the text a reader of the document sees, in reading order.

python-docx's own `Paragraph.text` reads only the runs directly under a paragraph, so text
that real documents keep elsewhere would be lost without a word: insertions of tracked
changes that were never accepted (`w:ins`, `w:moveTo`), content controls of templates
(`w:sdt`), smart tags, fields' results, and symbols (`w:sym`). This reader walks the XML
itself and keeps every run a reader sees; it leaves out hidden text (`w:vanish`), deleted
and moved-away text (`w:del`, `w:moveFrom`), the fallback copy of a drawing
(`mc:Fallback`), comments, footnotes and headers and footers. Text boxes are read as
paragraphs of their own after the paragraph they stand in.

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

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_TEXT_BOX = f"{_W}txbxContent"
_CONTROL_CONTENT = f"{_W}sdtContent"
# Runs under these are not what the document says now (tracked deletions and moves).
_REMOVED = frozenset({f"{_W}del", f"{_W}moveFrom"})
# Under these, text says again what is read elsewhere: a drawing's fallback copy, and a
# text box (read as paragraphs of its own).
_ELSEWHERE = frozenset({f"{_MC}Fallback", _TEXT_BOX})
# Elements that only wrap paragraphs, tables or rows: content controls and custom XML.
_WRAPPERS = frozenset({f"{_W}sdt", f"{_W}customXml"})
# How far a style's "based on" chain is followed (a damaged file may loop it).
MAX_STYLE_DEPTH = 20
# The values of w:val that switch a Word on/off property on (w:val absent is on too).
_ON = frozenset({"1", "true", "on"})
# The bit of w:tblLook's w:val (older files) that applies a table style's first-row format.
FIRST_ROW_LOOK = 0x0020

# The Symbol font's codes 0x20–0xFE as Unicode (Adobe's Symbol encoding, the Greek letters
# and angle brackets as letters and brackets); "\0" where a code draws no character of its
# own (a piece of a tall bracket, or nothing).
SYMBOL_FONT = (
    " !∀#∃%&∋()∗+,−./0123456789:;<=>?≅ΑΒΧΔΕΦΓΗΙϑΚΛΜΝΟΠΘΡΣΤΥςΩΞΨΖ[∴]⊥_"
    "\0αβχδεφγηιϕκλμνοπθρστυϖωξψζ{|}∼" + "\0" * 33
    + "€ϒ′≤⁄∞ƒ♣♦♥♠↔←↑→↓°±″≥×∝∂•÷≠≡≈…\0\0↵ℵℑℜ℘⊗⊕∅∩∪⊃⊇⊄⊂⊆∈∉∠∇®©™∏√⋅¬∧∨⇔⇐⇑⇒⇓"
    "◊〈®©™∑" + "\0" * 11 + "〉∫⌠\0⌡" + "\0" * 9
)  # fmt: skip

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

    for child in _wrapped(container, (f"{_W}p", f"{_W}tbl")):
        if child.tag == f"{_W}p":
            paragraph = Paragraph(child, parent)
            text = paragraph_text(child).strip()
            if text:
                yield _kind(paragraph), text
            for box in _text_boxes(child):
                yield from _block_lines(box, parent)
        else:
            yield from _table_lines(Table(child, parent))


def _placeholder(control: Any) -> bool:
    """A content control that shows its placeholder text, not text someone wrote."""
    properties = control.find(f"{_W}sdtPr")
    return properties is not None and properties.find(f"{_W}showingPlcHdr") is not None


def paragraph_text(paragraph: Any) -> str:
    """The text of a `w:p` element as a reader sees it: every run that is not hidden,
    deleted, moved away, a drawing's fallback copy, inside a text box or a control's
    placeholder."""
    parts = []
    for run in paragraph.iter(f"{_W}r"):
        if not _hidden(run) and not _inside(run, paragraph, is_run=True):
            parts.append(_run_text(run))
    return "".join(parts)


def _hidden(run: Any) -> bool:
    """A run formatted as hidden text (w:vanish; Word's "Skjult", Ctrl+Shift+H), which Word
    does not show or print: notes to oneself, a template's instructions. Only the run's own
    formatting is read, as Word's font dialog sets it; a character style that hides text
    is not followed."""
    properties = run.find(f"{_W}rPr")
    return properties is not None and _switched_on(properties.find(f"{_W}vanish"))


def _inside(element: Any, paragraph: Any, is_run: bool) -> bool:
    """Whether `element` of `paragraph` stands in something that hides it: for a run
    (`is_run`), deleted or moved text, a fallback copy, a text box, a placeholder; for a
    text box, a fallback copy or another text box (read with that box). Hidden text
    (w:vanish) is a run's own property, not where it stands: `_hidden`."""
    element = element.getparent()
    while element is not None and element is not paragraph:
        tag = element.tag
        if tag in _ELSEWHERE:
            return True
        if is_run and (
            tag in _REMOVED or (tag == _CONTROL_CONTENT and _placeholder(element.getparent()))
        ):
            return True
        element = element.getparent()
    return False


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
        elif tag == f"{_W}sym":
            parts.append(_symbol_text(child))
    return "".join(parts)


def _symbol_text(symbol: Any) -> str:
    """The character of a `w:sym` (Insert > Symbol): a Symbol-font code (stored as F020–F0FE,
    or 0020–00FE) as its Unicode character ("≥" for F0B3); any other code as stored, which
    for Wingdings and other picture fonts is a private-use character, as PDF extraction
    gives their bullets too (segmentation knows those); "" for a damaged code."""
    code = _hex_value(symbol.get(f"{_W}char"))
    if code is None or code < 0x20 or 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
        return ""
    symbol_code = code & 0xFF
    if (
        (symbol.get(f"{_W}font") or "").strip().lower() == "symbol"
        and code >> 8 in (0x00, 0xF0)
        and 0x20 <= symbol_code < 0x20 + len(SYMBOL_FONT)
        and SYMBOL_FONT[symbol_code - 0x20] != "\0"
    ):
        return SYMBOL_FONT[symbol_code - 0x20]
    return chr(code)


def _text_boxes(paragraph: Any) -> list[Any]:
    """The text boxes anchored in a paragraph, each once (not its drawing's fallback copy,
    not a box inside another box: that one is read with its box)."""
    return [box for box in paragraph.iter(_TEXT_BOX) if not _inside(box, paragraph, is_run=False)]


def _kind(paragraph: Any) -> str:
    """HEADING for a heading style or an outline level (a numbered heading too); PARAGRAPH
    where numbering is removed (numbering 0, whatever the style); ITEM for a list style or
    numbering on the paragraph or its style; else PARAGRAPH."""
    styles = _style_chain(paragraph.style)
    name = ((styles[0].name if styles else "") or "").lower()
    level = _inherited(paragraph, styles, "outlineLvl")
    if name.startswith(HEADING_STYLES) or (
        level is not None and level.get(f"{_W}val", str(BODY_TEXT_LEVEL)) != str(BODY_TEXT_LEVEL)
    ):
        return HEADING
    numbering = _inherited(paragraph, styles, "numPr")
    number = numbering.find(f"{_W}numId") if numbering is not None else None
    if number is not None and number.get(f"{_W}val") == "0":
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
        properties = element.find(f"{_W}pPr")
        found = properties.find(f"{_W}{name}") if properties is not None else None
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

    row_elements = list(_wrapped(table._tbl, (f"{_W}tr",)))
    rows = [
        [
            lines
            for cell in _wrapped(row, (f"{_W}tc",))
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


def _wrapped(element: Any, tags: tuple[str, ...]) -> Iterator[Any]:
    """The children of `element` with one of `tags`, in order, also those inside content
    controls and custom XML (a template wraps paragraphs so, a repeating section of a form
    its rows); not a control that still shows its placeholder."""
    for child in element.iterchildren():
        if child.tag in tags:
            yield child
        elif child.tag in _WRAPPERS and not _placeholder(child):
            content = child.find(_CONTROL_CONTENT)
            yield from _wrapped(content if content is not None else child, tags)


def _continues_merge(cell: Any) -> bool:
    """A cell that a vertically merged cell above it spans (Word keeps it, empty)."""
    properties = cell.find(f"{_W}tcPr")
    merge = properties.find(f"{_W}vMerge") if properties is not None else None
    return merge is not None and merge.get(f"{_W}val", "continue") != "restart"


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

    properties = first.find(f"{_W}trPr")
    if properties is not None and _switched_on(properties.find(f"{_W}tblHeader")):
        return HEADING
    runs = [
        run
        for cell in _wrapped(first, (f"{_W}tc",))
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
    properties = table._tbl.find(f"{_W}tblPr")  # a converter's table may have none
    look = properties.find(f"{_W}tblLook") if properties is not None else None
    if look is None:
        return False
    flag = look.get(f"{_W}firstRow")
    if flag is None:  # older files: a hexadecimal bit mask, 0x0020 the first row
        flag = "1" if (_hex_value(look.get(f"{_W}val")) or 0) & FIRST_ROW_LOOK else "0"
    if flag not in _ON:
        return False
    for style in _style_chain(table.style):
        for conditional in style.element.findall(f"{_W}tblStylePr"):
            if conditional.get(f"{_W}type") == "firstRow":
                bold = conditional.find(f"{_W}rPr/{_W}b")
                if bold is not None:
                    return _switched_on(bold)
    return False


def _switched_on(toggle: Any) -> bool:
    """Whether a Word on/off property (w:b, w:vanish, w:tblHeader …) is present and on: it
    is on without a w:val, and off with w:val "0", "false" or "off"."""
    return toggle is not None and toggle.get(f"{_W}val", "1") in _ON


def _hex_value(text: str | None) -> int | None:
    """The number a hexadecimal attribute value writes; None for none or a damaged one."""
    try:
        return int(text or "", 16)
    except ValueError:
        return None
