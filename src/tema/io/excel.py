"""Excel workbooks (`.xlsx`, `.xlsm`) read as tables, for `tema.io.tables.read_table`.

Every cell is read as text as the spreadsheet shows it (`cell_text`): dates as YYYY-MM-DD,
whole numbers without ".0".
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from tema.errors import InputError, UnreadableFile
from tema.io.files import office_binary_reason

# What a formula cell holds when its formula fails ("#N/A"): no one wrote it.
EXCEL_ERRORS = frozenset(
    {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#SPILL!", "#CALC!",
     "#GETTING_DATA", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!"}
)  # fmt: skip

Rows = list[tuple[int, list[str]]]  # (row number as the spreadsheet shows it, cells)


def read_sheet(path: Path, sheet: str | None) -> tuple[list[str], Rows]:
    """The header (names stripped) and rows of `sheet` (default: the first visible sheet)
    of the workbook `path`, every cell as text; the header is row 1. A damaged workbook,
    or an old binary one renamed, is `UnreadableFile`."""
    import zipfile
    import zlib

    from openpyxl import load_workbook

    damaged = (zipfile.BadZipFile, zlib.error, KeyError, ValueError, OSError)
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except damaged as exc:
        reason = office_binary_reason(path, ".xlsx")
        raise UnreadableFile(
            path, reason or f"is not a readable Excel (.xlsx) file ({exc})"
        ) from exc
    try:
        return _sheet_rows(path, workbook, sheet)
    except damaged as exc:  # read-only mode reads the sheet as it goes: damage shows late
        raise UnreadableFile(path, f"is not a readable Excel (.xlsx) file ({exc})") from exc
    finally:
        workbook.close()


def _sheet_rows(path: Path, workbook: Any, sheet: str | None) -> tuple[list[str], Rows]:
    if sheet and sheet not in workbook.sheetnames:
        raise InputError(
            path, f"no sheet {sheet!r}; the sheets are {', '.join(workbook.sheetnames)}"
        )
    worksheet = workbook[sheet] if sheet else _first_visible(workbook)
    # Some exporters write a wrong size into the sheet, which read-only mode trusts:
    # columns or rows beyond it would be lost.
    worksheet.reset_dimensions()
    values = worksheet.iter_rows(values_only=True)
    first = next(values, None)
    if first is None:
        raise UnreadableFile(path, "is empty")
    header = [cell_text(value).strip() for value in first]
    rows = [
        (number, [cell_text(value) for value in row]) for number, row in enumerate(values, start=2)
    ]
    return header, rows


def _first_visible(workbook: Any) -> Any:
    """The first sheet a user sees: a hidden sheet (a list of choices behind a form, say)
    is not the data."""
    for worksheet in workbook.worksheets:
        if getattr(worksheet, "sheet_state", "visible") == "visible":
            return worksheet
    return workbook.worksheets[0]


def cell_text(value: Any) -> str:
    """A workbook cell as the spreadsheet shows it: dates as YYYY-MM-DD (a time only when
    there is one), whole numbers without ".0", nothing and a formula's error value as ""."""
    if value is None or value in EXCEL_ERRORS:
        return ""
    if hasattr(value, "isoformat"):
        text: str = value.isoformat()
        return text[:10] if getattr(value, "hour", 0) == 0 else text
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value)
    # Excel stores some characters of a cell's text escaped ("_x000D_" for the carriage
    # return of text pasted from Windows), and openpyxl leaves them so.
    return _EXCEL_ESCAPE.sub(_unescape, text).replace("\r\n", "\n") if "_x" in text else text


_EXCEL_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _unescape(found: re.Match[str]) -> str:
    code = int(found.group(1), 16)
    # Half of a surrogate pair is no character on its own: left as Excel wrote it.
    return found.group(0) if 0xD800 <= code <= 0xDFFF else chr(code)
