"""One reader for the tables people give tema: CSV, TSV and Excel workbooks.

A "CSV" comes as Excel saves it in a Norwegian locale (";" between fields, Windows-1252)
as often as with "," in UTF-8, so the encoding and the delimiter are detected, the same
way for the tables people give tema: survey answers and manifests (ingest), annotators'
label files (`tema labels import`); and for tema's own outputs read back (`read_frame`,
`read_frame_chunks`) where a stage reads them through here. (`data/labeled/*.csv`, tema's
own UTF-8 comma format, is read by `tema.labels.store` with `csv`.) Every error names the
file and, where known, the line.

- Encoding (`tema.io.encodings`): UTF-16 with or without its byte-order mark, UTF-8 with
  or without one, Mac OS Roman where its Norwegian letters show it, else Windows-1252
  (which decodes any byte); a UTF-8 file with a few Windows-1252 bytes in it is read as
  UTF-8 with those bytes as Windows-1252. A warning names the file (and lines) wherever
  the encoding is a guess. Other bytes with NUL in them are no text at all.
- Delimiter (`tema.io.delimiters`): declared by a first line "sep=;", else the one of
  `DELIMITERS` in the header line that splits the rows after it as it splits the header;
  a `.tsv` file is tab-separated whatever its header holds. A row with more fields than
  the header, where that may have moved text, is refused (`check_widths`).
- Excel (`.xlsx`, `.xlsm`, `tema.io.excel`): the first sheet or a named one, every cell as
  text as a Norwegian Excel shows it by its number format ("25 %", "1 500", "14.03.2024",
  "3,5"), and beside the text the date of each date cell (`Table.dates`).
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tema.errors import InputError, UnreadableFile
from tema.io.delimiters import DELIMITERS, check_widths, declared_delimiter, detect_delimiter
from tema.io.encodings import decode, decode_text

if TYPE_CHECKING:
    import pandas as pd

# The table files tema takes as input (ingest's survey tables and manifests, classify's FILEs).
TABLE_SUFFIXES = frozenset({".csv", ".tsv", ".xlsx"})
# Workbooks read with openpyxl; every other suffix is read as delimited text.
EXCEL_SUFFIXES = frozenset({".xlsx", ".xlsm"})
# Bytes of the file's start that decide the encoding and delimiter of a streamed table.
_SNIFF_BYTES = 1 << 16
# The first rows searched for a header below a title (`Table.header_below`).
_HEADER_SEARCH_ROWS = 10
_ANY_DELIMITER = re.compile("|".join(map(re.escape, DELIMITERS)))
# Where pandas' parser says it failed ("Expected 3 fields in line 5, saw 4").
_PANDAS_LINE = re.compile(r"\bline (\d+)")

Row = tuple[int, list[str]]  # (line number in the file, cells)


@dataclass(frozen=True)
class Table:
    """A table's header and its rows, each with the line it starts on (a spreadsheet's
    row number for a workbook: the header is row 1). The header has a name, no two of its
    columns share one, and a delimited row has no more fields than the header but empty
    ones that every such row ends with (`read_table` refuses the rest)."""

    header: list[str]
    rows: list[Row]
    # 2 under a "sep=;" line (`tema.io.delimiters.declared_delimiter`).
    header_line: int = 1
    # A workbook read without a named sheet: its other visible sheets that hold text.
    unread_sheets: tuple[str, ...] = ()
    # A workbook's date cells by (line, column index): the date as YYYY-MM-DD whatever
    # format shows it ("14. mars 2024", "14.03.24"), for a column that must be a date.
    dates: Mapping[tuple[int, int], str] = field(default_factory=dict)

    def require(self, path: str | Path, names: Iterable[str], advice: str = "") -> None:
        """Refuse (naming the header's line) a file tema wrote and a person edited, when
        columns tema needs to read it back are gone; `advice` says what to do."""
        missing = [name for name in names if name not in self.header]
        if missing:
            raise InputError(
                path,
                f"the column(s) {', '.join(missing)} that tema wrote are gone{advice}",
                line=self.header_line,
                code="columns_gone",
                missing=missing,
            )

    def header_below(self, names: Iterable[str]) -> str:
        """When the header lacks the columns `names` but one of the first rows has one of
        them (a title above the table, or blank lines), advice to say so: the header row
        must be the first; else "". A row is searched in its cells and in their parts split
        by any of `DELIMITERS` (the title decided the delimiter: perhaps none)."""
        line = self.header_row(names)
        if line is None:
            return ""
        return (
            f". Line {line} looks like the header: the header row (the column "
            "names) must be the first row; delete the rows above it"
        )

    def header_row(self, names: Iterable[str]) -> int | None:
        """The line of the first of the first rows that has one of the columns `names`
        (the header below a title, `header_below`), else None."""
        wanted = {column_key(name) for name in names}
        for line, cells in self.rows[:_HEADER_SEARCH_ROWS]:
            parts = [part for cell in cells for part in _ANY_DELIMITER.split(cell)]
            if wanted & {column_key(part) for part in parts}:
                return line
        return None

    def frame(self) -> pd.DataFrame:
        """The rows as a frame of text cells under the header (a short row padded with "")."""
        import pandas as pd

        width = len(self.header)
        cells = [row[:width] + [""] * (width - len(row)) for _line, row in self.rows]
        return pd.DataFrame(cells, columns=self.header, dtype=str)


def require_file(path: Path) -> None:
    """A file named to be read that is not there, or is a folder, is an `InputError` that
    says so: the readers of Word, PDF and Excel files would call it damaged."""
    if path.is_dir():
        raise InputError(path, "is a folder, not a file", code="is_folder")
    if not path.exists():
        raise InputError(path, "not found", code="not_found")


def read_bytes(path: Path) -> bytes:
    """The bytes of a file; an unreadable one is an `InputError` naming it."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(
            path, f"cannot be read: {exc.strerror}", code="cannot_read", detail=exc.strerror
        ) from exc


def _delimiter_of(path: Path, text: str) -> str:
    return "\t" if path.suffix.lower() == ".tsv" else detect_delimiter(text)


def read_table(path: str | Path, sheet: str | None = None) -> Table:
    """A CSV/TSV/Excel table: its header (names stripped) and its rows of text cells.

    `sheet` names a workbook's sheet (default: the first). An empty file, a malformed
    one, or a sheet that is not there is an `InputError` naming the file (and line)."""
    path = Path(path)
    require_file(path)
    if path.suffix.lower() in EXCEL_SUFFIXES:
        return _read_workbook(path, sheet)
    return _read_delimited(path)


def _read_delimited(path: Path) -> Table:
    text = decode_text(read_bytes(path), path, warn=False)
    declared = declared_delimiter(text)
    delimiter = declared or _delimiter_of(path, text)
    # strict: a quote left open would otherwise swallow every line after it into one cell.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    header_line = 2 if declared else 1
    try:
        if declared:
            next(reader)  # "sep=;" is no row of the table
        header = [name.strip() for name in next(reader)]
    except StopIteration:
        raise UnreadableFile(path, "is empty", code="empty") from None
    except csv.Error as exc:
        raise InputError(
            path,
            f"is not a readable table: {exc}",
            line=header_line,
            code="not_a_table",
            detail=str(exc),
        ) from exc
    rows: list[Row] = []
    start = reader.line_num + 1  # a quoted cell may span lines: a row is where it starts
    try:
        for cells in reader:
            rows.append((start, cells))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise InputError(
            path, f"is not a readable table: {exc}", line=start, code="not_a_table", detail=str(exc)
        ) from exc
    table = Table(header, rows, header_line)
    _check_header(path, table)
    check_widths(path, header, rows, delimiter)
    return table


def column_key(name: str) -> str:
    """A column name as tema compares it: ignoring case, surrounding spaces and Unicode
    composition (a Mac writes "å" as "a" and a combining ring)."""
    return unicodedata.normalize("NFC", name.strip()).casefold()


def _check_header(path: Path, table: Table) -> None:
    """A header without names, above rows with text: blank lines or an empty row above the
    header. Two columns of one name (`column_key`): which of them a reader takes would be
    a silent choice."""
    if not any(table.header):
        if not any(cell.strip() for _line, cells in table.rows for cell in cells):
            raise UnreadableFile(path, "is empty", code="empty")
        raise InputError(
            path,
            "has no column names in its first row: the header row (the column names) must "
            "be the first row; delete the empty rows above it",
            line=table.header_line,
            code="no_header",
        )
    seen: set[str] = set()
    for name in table.header:
        key = column_key(name)
        if key and key in seen:
            raise InputError(
                path,
                f"the column {name!r} appears twice in the header",
                line=table.header_line,
                code="column_twice",
                column=name,
            )
        seen.add(key)


def _read_workbook(path: Path, sheet: str | None) -> Table:
    from tema.io.excel import read_sheet

    header, rows, left, dates = read_sheet(path, sheet)
    table = Table(header, rows, unread_sheets=tuple(left), dates=dates)
    _check_header(path, table)
    return table


# --- Tables tema wrote, typed by pandas -------------------------------------------------------
def read_frame(
    path: str | Path,
    *,
    empty_is_missing: tuple[str, ...] = ("repeat_of",),
    dtype: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """A delimited table as a pandas frame with pandas' column types (numbers as numbers).

    For the tables tema writes and reads back (theme counts, classified units, the
    skipped files …): an empty cell stays "" except in the columns `empty_is_missing`,
    where it is missing (a unit's `repeat_of`). `dtype` types the columns it names that
    the table has."""
    import pandas as pd

    path = Path(path)
    text, _encoding = decode(read_bytes(path), path)
    delimiter = _delimiter_of(path, text)
    with _parse_errors(path):
        frame: pd.DataFrame = pd.read_csv(
            io.StringIO(text), **_pandas_options(text, delimiter, empty_is_missing, dtype)
        )
    return frame


def read_frame_chunks(
    path: str | Path,
    rows: int,
    *,
    empty_is_missing: tuple[str, ...] = ("repeat_of",),
    dtype: Mapping[str, str] | None = None,
) -> Iterator[pd.DataFrame]:
    """`read_frame` in frames of `rows` rows, streamed: memory holds one chunk.

    A streamed file is not decoded as a whole first, as `read_frame` does it: its encoding
    and delimiter are decided from its first 64 kB (`decode`, `detect_delimiter`), and a
    byte further on that is not in that encoding is an error naming the file."""
    import pandas as pd

    path = Path(path)
    try:
        with open(path, "rb") as handle:
            head = handle.read(_SNIFF_BYTES)
    except OSError as exc:
        raise InputError(
            path, f"cannot be read: {exc.strerror}", code="cannot_read", detail=exc.strerror
        ) from exc
    text, encoding = decode(_without_cut_character(head), path)
    options = _pandas_options(text, _delimiter_of(path, text), empty_is_missing, dtype)
    with _parse_errors(path):
        reader = pd.read_csv(path, encoding=encoding, chunksize=rows, **options)
        with reader:
            yield from reader


def _without_cut_character(head: bytes) -> bytes:
    """The first bytes of a file without a UTF-8 character cut off at their end."""
    for back in range(1, min(4, len(head)) + 1):
        byte = head[-back]
        if byte < 0x80:
            return head  # ASCII: nothing is cut
        if byte >= 0xC0:  # the lead byte of a character of 2, 3 or 4 bytes
            length = 2 if byte < 0xE0 else 3 if byte < 0xF0 else 4
            return head if length <= back else head[:-back]
    return head


def _pandas_options(
    text: str, delimiter: str, empty_is_missing: tuple[str, ...], dtype: Mapping[str, str] | None
) -> dict[str, Any]:
    header = next(csv.reader(io.StringIO(text.split("\n", 1)[0]), delimiter=delimiter), [])
    return {
        "sep": delimiter,
        "keep_default_na": False,
        "na_values": {column: [""] for column in empty_is_missing},
        "dtype": {name: kind for name, kind in (dtype or {}).items() if name in header} or None,
    }


@contextlib.contextmanager
def _parse_errors(path: Path) -> Iterator[None]:
    """pandas' parse errors as `InputError`s naming the file and, where pandas says, the line."""
    import pandas as pd

    try:
        yield
    except pd.errors.EmptyDataError:
        raise InputError(path, "is empty", code="empty") from None
    except UnicodeDecodeError as exc:
        raise InputError(
            path,
            f"cannot be read: not the encoding of its start ({exc})",
            code="encoding_changes",
            detail=str(exc),
        ) from exc
    except (pd.errors.ParserError, ValueError) as exc:
        match = _PANDAS_LINE.search(str(exc))
        line = int(match[1]) if match else None
        raise InputError(
            path, f"cannot be read ({exc})", line, code="not_a_table", detail=str(exc)
        ) from exc
    except OSError as exc:
        detail = exc.strerror or str(exc)
        raise InputError(
            path, f"cannot be read: {detail}", code="cannot_read", detail=detail
        ) from exc
