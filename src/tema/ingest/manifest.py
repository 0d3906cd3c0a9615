"""The manifest of a batch: which meeting, region and date each file is from.

A `manifest.csv` or `manifest.xlsx` in the batch's folder, one row per file (columns
`file, meeting, region, date`, or their Norwegian names `fil, møte, region, dato`
(`NORWEGIAN_COLUMNS`), then any of the user's own). Rows are matched to the
folder's files by exact name, else ignoring case and Unicode composition where that is
unambiguous (`match_rows`); dates are read as people write them (`meeting_date`).
"""

from __future__ import annotations

import calendar
import re
import warnings
from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import NamedTuple

from tema.errors import InputError
from tema.io.tables import TABLE_SUFFIXES, Table, column_key, read_table
from tema.numbers import MONTHS

MANIFEST_COLUMNS = ("file", "meeting", "region", "date")
# A folder's own manifest: never a document of the batch.
MANIFEST_NAMES = ("manifest.csv", "manifest.xlsx")
# Optional manifest columns that steer how a file is read rather than describe it.
TEXT_COLUMN = "text_column"
SHEET = "sheet"
# The columns tema reads by name, whatever their case ("File", "Date"); other columns are
# the user's own and keep their spelling.
KNOWN_COLUMNS = (*MANIFEST_COLUMNS, TEXT_COLUMN, SHEET)
# The Norwegian (bokmål) names of those columns, which a manifest may use instead: a
# civil servant writes `fil;møte;region;dato`. Each is read as the English name it is
# listed under, compared ignoring case and with æ, ø and å also written ae, o and a
# ("mote", as a keyboard without them writes it). "region" is one word in both languages.
NORWEGIAN_COLUMNS: dict[str, tuple[str, ...]] = {
    "file": ("fil", "filnavn"),
    "meeting": ("møte", "møtenavn"),
    "region": (),
    "date": ("dato", "møtedato"),
    TEXT_COLUMN: ("tekstkolonne", "svarkolonne"),
    SHEET: ("ark", "regneark"),
}
_FOLD_LETTERS = str.maketrans({"æ": "ae", "ø": "o", "å": "a"})


def _folded(name: str) -> str:
    return column_key(name).translate(_FOLD_LETTERS)


_COLUMN_OF = {
    _folded(name): english
    for english, norwegian in NORWEGIAN_COLUMNS.items()
    for name in (english, *norwegian)
}


# A meeting date as people write it: ISO, or the Norwegian day.month.year; a date cell of
# a spreadsheet that also holds a time of day comes as "14.03.2024 10:00" in a CSV that
# Norwegian Excel saved (a time written "10.00", as Norwegian spells it, too). A workbook's
# date cell is read by its date (`Table.dates`), whatever its format shows.
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_NORWEGIAN_DATE = re.compile(
    r"(\d{1,2})\.(\d{1,2})\.(\d{4})(?: +(\d{1,2})([:.])(\d{2})(?:\5(\d{2}))?)?"
)
# A date in a spreadsheet cell formatted as General (or a number) reaches tema as the
# number Excel stores: days since 1899-12-30. Only five-digit day numbers from 1990 to 2099
# are read so: no meeting code or year looks like that.
# A fraction is the time of day: "45730,5" as Norwegian Excel shows it, "45730.5" in English.
_SPREADSHEET_DAY = re.compile(r"(\d{5})(?:[.,]\d+)?")
_SPREADSHEET_EPOCH = date(1899, 12, 30)
_SPREADSHEET_DAYS = range(
    (date(1990, 1, 1) - _SPREADSHEET_EPOCH).days, (date(2100, 1, 1) - _SPREADSHEET_EPOCH).days
)


def meeting_date(text: str) -> str | None:
    """`text` as an ISO date (YYYY-MM-DD) if it is a date written YYYY-MM-DD or DD.MM.YYYY
    ("14.03.2025", "4.3.2025"), each with or without a time of day ("14.03.2025 10:00"),
    which is left out, or Excel's day number
    of a date in a General cell ("45730", 1990–2099), else None. Reports group by the ISO
    form."""
    text = text.strip()
    day_number = _SPREADSHEET_DAY.fullmatch(text)
    if day_number is not None and int(day_number[1]) in _SPREADSHEET_DAYS:
        return (_SPREADSHEET_EPOCH + timedelta(days=int(day_number[1]))).isoformat()
    iso = _ISO_DATE.fullmatch(text)
    if iso is not None:
        try:
            return datetime.fromisoformat(text).date().isoformat()
        except ValueError:
            return None
    found = _NORWEGIAN_DATE.fullmatch(text)
    if found is None:
        return None
    day, month, year = (int(part) for part in found.group(1, 2, 3))
    hour, minute, second = (int(part or 0) for part in found.group(4, 6, 7))
    try:
        return datetime(year, month, day, hour, minute, second).date().isoformat()
    except ValueError:  # no such day, or no such time of day
        return None


class DateFault(NamedTuple):
    """Why a text is no date (`date_fault`): `kind` is "form" (not written YYYY-MM-DD or
    DD.MM.YYYY) or the part that does not exist: "year" (0), "month" (`month`, not 1–12),
    "day" (0), "days" (past the `days` days of `month` in `year`) or "time" (the time of
    day)."""

    kind: str
    year: int = 0
    month: int = 0
    days: int = 0


def date_fault(text: str) -> DateFault:
    """Why `text`, which `meeting_date` does not read, is no date: a date written in its
    form that does not exist is told apart from one in another form, which the user fixes
    differently. Data, worded per language by the CLI (`why_not_a_date`) and the app."""
    text = text.strip()
    norwegian, iso = _NORWEGIAN_DATE.fullmatch(text), _ISO_DATE.fullmatch(text)
    if norwegian is not None:
        day, month, year = (int(part) for part in norwegian.group(1, 2, 3))
    elif iso is not None:
        year, month, day = (int(part) for part in iso.group(1, 2, 3))
    else:
        return DateFault("form")
    if year < 1:
        return DateFault("year")
    if not 1 <= month <= 12:
        return DateFault("month", year, month)
    days = calendar.monthrange(year, month)[1]
    if day < 1:
        return DateFault("day", year, month, days)
    if day > days:
        return DateFault("days", year, month, days)
    return DateFault("time", year, month, days)


_WHY_NOT = {
    "form": "is not YYYY-MM-DD (or DD.MM.YYYY)",
    "year": "does not exist: there is no year 0",
    "month": "does not exist: there is no month {month}",
    "day": "does not exist: there is no day 0",
    "days": "does not exist: {month_name} {year} has {days} days",
    "time": "does not exist: there is no such time of day (the clock goes 00:00 to 23:59)",
}


def month_name(month: int, language: str) -> str:
    """The name of month `month` (1–12) in `language` ("nb" or "en"); "" for no month."""
    names = MONTHS.get(language, MONTHS["nb"])
    return names[month - 1] if 1 <= month <= len(names) else ""


def why_not_a_date(text: str) -> str:
    """`date_fault` in English, as the rest of a sentence ("is not YYYY-MM-DD …")."""
    fault = date_fault(text)
    return _WHY_NOT[fault.kind].format(**fault._asdict(), month_name=month_name(fault.month, "en"))


def find_manifest(raw_dir: str | Path) -> Path | None:
    """The manifest of a folder of documents: its manifest.csv or manifest.xlsx (or none)."""
    raw_dir = Path(raw_dir)
    found = [raw_dir / name for name in MANIFEST_NAMES if (raw_dir / name).is_file()]
    if len(found) > 1:
        raise InputError(
            raw_dir,
            f"has both {found[0].name} and {found[1].name}; keep one manifest",
            code="two_manifests",
            first=found[0].name,
            second=found[1].name,
        )
    return found[0] if found else None


def read_manifest(path: str | Path, keep_bad_dates: bool = False) -> dict[str, dict[str, str]]:
    """Manifest rows by file name; checks columns, duplicates and dates.

    A CSV (comma, semicolon or tab; UTF-8 or Windows-1252, as Excel saves it) or an
    .xlsx (its first sheet), read by the same reader as survey tables. Dates are given
    in ISO form; one that is not a date stops the reading, or with `keep_bad_dates` (the
    browser app's form, which checks what it shows) is kept as written.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(path, "manifest not found", code="manifest_not_found")
    if path.suffix.lower() not in TABLE_SUFFIXES:
        raise InputError(path, "a manifest is a .csv or .xlsx table", code="manifest_type")
    table = read_table(path)
    names = column_names(path, table)
    missing = [c for c in MANIFEST_COLUMNS if c not in names]
    if missing:
        written = [name.strip() for name in table.header if name.strip()]
        norwegian = [(NORWEGIAN_COLUMNS[c] or (c,))[0] for c in MANIFEST_COLUMNS]
        below = table.header_row(_all_names(missing))
        raise InputError(
            path,
            f"missing column(s) {', '.join(missing)}; expected {', '.join(MANIFEST_COLUMNS)} "
            f"or in Norwegian {', '.join(norwegian)} "
            f"(the header has {', '.join(repr(name) for name in written) or 'no columns'})"
            f"{table.header_below(_all_names(missing))}",
            line=table.header_line,
            code="missing_columns_below" if below else "missing_columns",
            missing=missing,
            expected=list(MANIFEST_COLUMNS),
            norwegian=norwegian,
            header=written,
            **({"below": below} if below else {}),
        )
    rows: dict[str, dict[str, str]] = {}
    date_column = names.index("date")
    for line, cells in table.rows:
        if not any(cell.strip() for cell in cells):
            continue  # a blank row (Excel leaves them)
        row = dict(zip(names, cells + [""] * (len(names) - len(cells)), strict=False))
        # A workbook's date cell is read by its date, not by the text its format shows
        # ("14. mars 2024"), which `meeting_date` may not read.
        row["date"] = table.dates.get((line, date_column), row["date"])
        record = _check_manifest_row(path, line, row, rows, keep_bad_dates)
        rows[record["file"]] = record
    return rows


def column_names(path: Path, table: Table) -> list[str]:
    """The manifest's column names as tema reads them: each of `KNOWN_COLUMNS`, written in
    English or Norwegian in any case, by its English name; the user's own as written. Two
    names for one column ("file" and "fil") are refused: which of them to read would be a
    silent choice."""
    names: list[str] = []
    for written in table.header:
        name = _COLUMN_OF.get(_folded(written), written.strip())
        if name and name in names:
            first = table.header[names.index(name)].strip()
            raise InputError(
                path,
                f"the columns {first!r} and {written.strip()!r} are both the {name} column "
                "(one in English, one in Norwegian, or two spellings); keep one",
                line=table.header_line,
                code="same_column",
                first=first,
                second=written.strip(),
                column=name,
            )
        names.append(name)
    return names


def _all_names(columns: Iterable[str]) -> list[str]:
    """The English and Norwegian names of `columns`."""
    return [name for column in columns for name in (column, *NORWEGIAN_COLUMNS[column])]


def same_file(name: str) -> str:
    """A file name as a manifest row and a file in the folder are matched when their exact
    names differ: ignoring case (Windows does) and Unicode composition (a Mac stores "ø"
    decomposed)."""
    return column_key(name)


def match_rows(files: Iterable[str], rows: Iterable[str]) -> dict[str, str]:
    """Each file's manifest row (file name → the row's `file`): the row of its exact name;
    else the row whose name is its name by `same_file`, when no other file or row has that
    name too (on a disk that tells "Notat.txt" from "notat.txt", each needs its own row)."""
    files, rows = list(files), list(rows)
    exact = set(rows)
    matched = {name: name for name in files if name in exact}
    files_by_key = Counter(same_file(name) for name in files)
    rows_by_key: dict[str, list[str]] = {}
    for row in rows:
        rows_by_key.setdefault(same_file(row), []).append(row)
    for name in files:
        key = same_file(name)
        # One file and one row of that name: the row is not another file's exact name.
        candidates = rows_by_key.get(key, [])
        if name not in matched and files_by_key[key] == 1 and len(candidates) == 1:
            matched[name] = candidates[0]
    return matched


def _check_manifest_row(
    path: Path, line: int, row: dict, seen: dict, keep_bad_dates: bool = False
) -> dict[str, str]:
    record = {key: (value or "").strip() for key, value in row.items() if key}
    if not record["file"]:
        raise InputError(path, "empty file name", line, code="empty_file_name")
    if record["file"] in seen:
        raise InputError(
            path,
            f"{record['file']!r} is listed twice",
            line,
            code="listed_twice",
            file=record["file"],
        )
    if not record["meeting"]:
        # As for a file the manifest leaves out: a blank group in the report's counts by
        # meeting would hide which document its units came from.
        record["meeting"] = Path(record["file"]).stem
        warnings.warn(
            f"{path}, line {line}: empty meeting for {record['file']!r}; "
            "meeting taken from the file name",
            stacklevel=2,
        )
    if record["date"]:
        iso = meeting_date(record["date"])
        if iso is None and not keep_bad_dates:
            raise InputError(
                path,
                f"date {record['date']!r} {why_not_a_date(record['date'])}",
                line,
                code="bad_date",
                date=record["date"],
            )
        record["date"] = iso or record["date"]
    return record


def line_of(manifest_path: str | Path, name: str) -> int | None:
    """The line (or sheet row) of the manifest that lists the file `name`."""
    table = read_table(manifest_path)
    column = column_names(Path(manifest_path), table).index("file")
    for line, cells in table.rows:
        if column < len(cells) and cells[column].strip() == name:
            return line
    return None
