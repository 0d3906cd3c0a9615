"""Excel workbooks (`.xlsx`, `.xlsm`) read as tables, for `tema.io.tables.read_table`.

Every cell is read as text as a Norwegian Excel shows it (`cell_text`, by the cell's
number format: `tema.io.cell_format`): "25 %", "1 500", "14.03.2024", "SANN"; a formula's
error value ("#N/A", Norwegian "#I/T") as written, so that the reader of a column can tell
a destroyed answer from a blank one. The date of each date cell is kept beside the text
(`Sheet.dates`) for a reader that needs the date whatever format shows it (a manifest's
date column). A formula is read by the result the spreadsheet saved with it; a workbook
written by a script has none, and the cells it leaves empty are named in a warning
(`_unsaved_formula_rows`).
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, NamedTuple

from tema.errors import InputError, UnreadableFile
from tema.io.cell_format import shown
from tema.io.files import office_binary_reason
from tema.messages import numbered

# What a formula cell holds when its formula fails: no one wrote it. Excel writes them in
# the language of its menus; Norwegian Excel (and Nynorsk's "#NAMN?") keeps "#NULL!",
# "#DIV/0!", "#REF!" and "#NUM!" as in English: Microsoft's Norwegian help for FEIL.TYPE
# (ERROR.TYPE) lists #NULL!, #DIV/0!, #VERDI!, #REF!, #NAVN?, #NUM!, #I/T, #HENTER_DATA,
# so "#TALL!" and "#BRUDD!" (Danish-like guesses) are not Norwegian error values.
EXCEL_ERRORS = frozenset(
    {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#SPILL!", "#CALC!",
     "#GETTING_DATA", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!",
     "#VERDI!", "#NAVN?", "#NAMN?", "#I/T", "#OVERFLYT!", "#HENTER_DATA", "#FELT!",
     "#BLOKKERT!"}
)  # fmt: skip

Rows = list[tuple[int, list[str]]]  # (row number as the spreadsheet shows it, cells)
# The date of each date cell, YYYY-MM-DD, by (row number, column index).
Dates = dict[tuple[int, int], str]


class Sheet(NamedTuple):
    header: list[str]
    rows: Rows
    # Without a named sheet: the other visible sheets that hold text (`_sheets_left`).
    left: list[str]
    dates: Dates


# A formula element in a sheet's XML (`<f>`, `<f t="shared" …/>`, `<x:f>`): only a sheet
# that has one is parsed again to look for formulas without a saved result.
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")
_CHUNK = 1 << 20


def read_sheet(path: Path, sheet: str | None) -> Sheet:
    """The header (names stripped) and rows of `sheet` (default: the first visible sheet)
    of the workbook `path`, every cell as text, the header row 1, and the dates of its date
    cells; and, without `sheet`, the other visible sheets that hold text (`_sheets_left`).
    A damaged workbook, or an old binary one renamed, is `UnreadableFile`."""
    import zipfile
    import zlib

    from openpyxl import load_workbook

    damaged = (zipfile.BadZipFile, zlib.error, KeyError, ValueError, OSError)
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except damaged as exc:
        reason = office_binary_reason(path, ".xlsx")
        raise UnreadableFile(
            path,
            reason or f"is not a readable Excel (.xlsx) file ({exc})",
            code="old_office" if reason else "bad_xlsx",
            detail=str(exc),
        ) from exc
    try:
        return _sheet_rows(path, workbook, sheet)
    except damaged as exc:  # read-only mode reads the sheet as it goes: damage shows late
        raise UnreadableFile(
            path,
            f"is not a readable Excel (.xlsx) file ({exc})",
            code="bad_xlsx",
            detail=str(exc),
        ) from exc
    finally:
        workbook.close()


def _sheet_rows(path: Path, workbook: Any, sheet: str | None) -> Sheet:
    if sheet and sheet not in workbook.sheetnames:
        # Quoted: a sheet's name may hold spaces and commas ("Møte 1, Bodø").
        names = ", ".join(repr(name) for name in workbook.sheetnames)
        raise InputError(
            path,
            f"no sheet {sheet!r}; the sheets are {names}",
            code="no_sheet",
            sheet=sheet,
            sheets=list(workbook.sheetnames),
        )
    worksheet = workbook[sheet] if sheet else _first_visible(workbook)
    # Some exporters write a wrong size into the sheet, which read-only mode trusts:
    # columns or rows beyond it would be lost.
    worksheet.reset_dimensions()
    cells = worksheet.iter_rows()
    first = next(cells, None)
    if first is None:
        raise UnreadableFile(path, "is empty", code="empty")
    header = [cell_text(cell.value, cell.number_format).strip() for cell in first]
    rows: Rows = []
    dates: Dates = {}
    for number, row in enumerate(cells, start=2):
        rows.append((number, [cell_text(cell.value, cell.number_format) for cell in row]))
        for column, cell in enumerate(row):
            if isinstance(cell.value, datetime):  # a time of day alone is a `time`
                dates[number, column] = cell.value.date().isoformat()
    left = [] if sheet else _sheets_left(workbook, worksheet)
    unsaved = _unsaved_formula_rows(worksheet)
    if unsaved:
        warnings.warn(
            f"{path}, sheet {worksheet.title!r}: {rows_hold(unsaved)} a formula "
            "whose result is not saved in the file (written by a program, not by Excel), "
            "read as empty. Open the file in Excel or LibreOffice and save it, then run again",
            stacklevel=4,
        )
    return Sheet(header, rows, left, dates)


def warn_unread_sheets(path: Path, names: Sequence[str], name_sheet: str) -> None:
    """Warn that the visible sheets `names` of the workbook `path` hold text that was not
    read (`Sheet.left`); `name_sheet` says how to read one of them instead ("name the sheet
    to read in the manifest's sheet column"), which depends on the command."""
    listed = ", ".join(repr(name) for name in names)
    warnings.warn(
        f"{path}: only the first visible sheet is read; the sheet(s) {listed} also hold text, "
        f"which is left out. Save each sheet as a file of its own, or {name_sheet}",
        stacklevel=3,
    )


def _sheets_left(workbook: Any, read: Any) -> list[str]:
    """The visible sheets other than the one read that hold text below their first row
    (answers to a second form, a second meeting). Hidden sheets are not data (a list of
    choices behind a form)."""
    return [
        worksheet.title
        for worksheet in workbook.worksheets
        if worksheet is not read and _visible(worksheet) and _holds_text_below_header(worksheet)
    ]


def _holds_text_below_header(worksheet: Any) -> bool:
    worksheet.reset_dimensions()  # as for the sheet read: a wrong saved size hides rows
    for row in worksheet.iter_rows(min_row=2, values_only=True):
        if any(cell_text(value).strip() for value in row):
            return True
    return False


def _first_visible(workbook: Any) -> Any:
    """The first sheet a user sees: a hidden sheet (a list of choices behind a form, say)
    is not the data."""
    return next(filter(_visible, workbook.worksheets), workbook.worksheets[0])


def _visible(worksheet: Any) -> bool:
    return getattr(worksheet, "sheet_state", "visible") == "visible"


def _unsaved_formula_rows(worksheet: Any) -> list[int]:
    """The rows with a formula cell that has no saved result: openpyxl reads such a cell
    as empty (it does not calculate), the same as a cell with nothing in it, so only the
    sheet's XML tells them apart. A spreadsheet program saves every result with its
    formula; a formula whose result is empty text is saved with type "str"."""
    from xml.etree.ElementTree import iterparse

    # openpyxl's read-only sheets open their XML; with another kind there is none to read.
    source = getattr(worksheet, "_get_source", None)
    if source is None or not _has_formula(source):
        return []
    rows: list[int] = []
    row = 0
    with source() as xml:
        for _event, element in iterparse(xml):
            tag = element.tag.rpartition("}")[2]
            if tag == "row":
                row = int(element.get("r") or row + 1)
                element.clear()  # a large sheet is read row by row, not held whole
            elif tag == "c" and _unsaved_formula(element):
                number = re.sub(r"\D", "", element.get("r") or "")
                rows.append(int(number) if number else row + 1)
    return sorted(set(rows))


def _has_formula(source: Any) -> bool:
    """Whether a sheet's XML holds a formula, read in chunks (most sheets have none)."""
    tail = b""
    with source() as xml:
        while chunk := xml.read(_CHUNK):
            if _FORMULA_TAG.search(tail + chunk):
                return True
            tail = chunk[-16:]
    return False


def _unsaved_formula(cell: Any) -> bool:
    children = {child.tag.rpartition("}")[2]: child for child in cell}
    if "f" not in children or cell.get("t") == "str":
        return False
    value = children.get("v")
    return value is None or not value.text


def rows_hold(rows: Sequence[int]) -> str:
    """The start of a message naming rows: "row 3 holds", "rows 3, 7 hold" (the first
    ten, and how many more: `tema.messages.numbered`)."""
    return f"{numbered('row', rows)} {'holds' if len(rows) == 1 else 'hold'}"


def cell_text(value: Any, number_format: str | None = "General") -> str:
    """A workbook cell as a Norwegian Excel shows it (`tema.io.cell_format.shown`): a
    number or a date by its number format ("25 %", "14.03.2024"), nothing as "", a text
    and a formula's error value (`EXCEL_ERRORS`) as written."""
    if not isinstance(value, str):
        return shown(value, number_format)
    text = value
    # Excel stores some characters of a cell's text escaped ("_x000D_" for the carriage
    # return of text pasted from Windows), and openpyxl leaves them so.
    return _EXCEL_ESCAPE.sub(_unescape, text).replace("\r\n", "\n") if "_x" in text else text


_EXCEL_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _unescape(found: re.Match[str]) -> str:
    code = int(found.group(1), 16)
    # Half of a surrogate pair is no character on its own: left as Excel wrote it.
    return found.group(0) if 0xD800 <= code <= 0xDFFF else chr(code)
