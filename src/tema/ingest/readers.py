"""Readers for the file formats users have: text, Markdown, PDF, Word and survey tables.

Every reader returns a `Source`: the document text as tema will see it, plus what is
needed to trace a unit back to where it came from:

- PDF: `pages`, the offset in `text` where each page starts (page 1 starts at 0); a unit's
  page is the last page that starts at or before the unit's start offset.
- Word: `headings`, the spans of the paragraphs Word marks as headings.
- CSV/XLSX survey answers: `answers`, one entry per answer with its span in `text`, its
  row number in the file (as a spreadsheet shows it: the header is row 1) and the row's
  other columns. Answers are joined with a blank line, and the spans are the units: each
  answer is one unit, never merged with or split from its neighbours. Tables are read by
  `tema.io.tables`, which detects their delimiter and encoding.

A file that cannot give text (an encrypted PDF, a scanned PDF without a text layer)
raises `UnreadableFile`; ingest warns, names the file and goes on with the batch.

Reading a format's own structure lives in a module per format (`tema.ingest.pdf`,
`tema.ingest.word`, `tema.ingest.markdown`); this module picks the reader by suffix, makes
a `Source` of what it gives, and reads plain text and survey tables itself.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from tema.errors import InputError, UnreadableFile
from tema.io.encodings import decode_text
from tema.io.excel import EXCEL_ERRORS, rows_hold, warn_unread_sheets
from tema.io.files import office_binary_reason
from tema.io.tables import (
    TABLE_SUFFIXES,
    Table,
    column_key,
    read_bytes,
    read_table,
    require_file,
)

TEXT_TYPES = (".txt", ".md")
TEXT_SUFFIXES = frozenset(TEXT_TYPES)
# Every type ingest reads, in the order a user is told them (`types_read`): the one list
# the app and the report name them from.
READ_TYPES: tuple[str, ...] = (*TEXT_TYPES, ".pdf", ".docx", *sorted(TABLE_SUFFIXES))
SUFFIXES = frozenset(READ_TYPES)
# Word's and Excel's binary formats before 2007, and what to save them as.
OLD_OFFICE = {".doc": ".docx", ".xls": ".xlsx"}
# Text columns tried in order when neither the manifest nor the command names one.
DEFAULT_TEXT_COLUMNS = ("svar", "answer", "text", "tekst")
# A column holding the question each answer replies to (first found, ignoring case and
# spaces): classification reads an answer with its question, as a sentence with its
# section heading (tema.classify.context).
QUESTION_COLUMNS = ("spørsmål", "sporsmal", "question")
# Between two answers of a survey table, and between the paragraphs of a Word file.
ANSWER_SEPARATOR = "\n\n"
BULLET = "• "
# How a user names a workbook's sheet to read in the pipeline (tema classify FILE: --sheet).
NAME_SHEET_IN_MANIFEST = "name the sheet to read in the manifest's sheet column"


@dataclass(frozen=True)
class Source:
    """The text of one file and where its parts came from."""

    text: str
    pages: list[int] = field(default_factory=list)
    answers: list[dict[str, Any]] = field(default_factory=list)
    # Spans (start, end) in `text` of the paragraphs the file marks as headings (Word's
    # heading styles): segmentation takes each for a heading whatever its words.
    headings: list[list[int]] = field(default_factory=list)
    # PDF pages (1-based) whose text is left out: damaged, or scanned among text pages.
    unread_pages: list[int] = field(default_factory=list)
    # A workbook's other visible sheets that hold text, not read (`Answers.unread_sheets`).
    unread_sheets: list[str] = field(default_factory=list)


def types_read(last: str = "and") -> str:
    """The types ingest reads, as a user is told them: ".txt, .md, … and .xlsx" (`last`: the
    word before the last type, "og" in Norwegian)."""
    types = READ_TYPES
    return f"{', '.join(types[:-1])} {last} {types[-1]}"


def unknown_type_reason(suffix: str) -> str:
    """Why a file with the ending `suffix` ("" for none) is not read (skipped.csv's reason;
    `tema.report.model_text.SKIP_PATTERNS` knows it)."""
    return f"unknown file type {suffix or '(none)'!r}; tema reads {types_read()}"


def read_source(
    path: str | Path,
    text_columns: Sequence[str] = DEFAULT_TEXT_COLUMNS,
    sheet: str | None = None,
) -> Source:
    """Read one file by its suffix; unknown, empty or unreadable files are errors."""
    path = Path(path)
    require_file(path)
    suffix = path.suffix.lower()
    if suffix in OLD_OFFICE:
        raise UnreadableFile(path, _old_office_reason(path, OLD_OFFICE[suffix]))
    if suffix not in SUFFIXES:
        raise UnreadableFile(path, unknown_type_reason(path.suffix))
    if suffix == ".md":
        from tema.ingest.markdown import markdown_lines

        source = _from_lines(markdown_lines(decode_text(read_bytes(path), path)))
    elif suffix in TEXT_SUFFIXES:
        source = Source(decode_text(read_bytes(path), path))
    elif suffix == ".pdf":
        source = read_pdf(path)
    elif suffix == ".docx":
        source = read_docx(path)
    else:
        source = read_survey_table(path, text_columns, sheet)
    if not source.text.strip():
        raise UnreadableFile(path, "is empty")
    return source


def _old_office_reason(path: Path, modern: str) -> str:
    """Why a .doc or .xls file is not read, as for one renamed .docx or .xlsx; a file that
    is not a binary Office file inside (a web page saved as .xls) is named by its suffix."""
    return office_binary_reason(path, modern) or (
        f"is an old Office file type ({path.suffix}): open it and save it as {modern}"
    )


# --- PDF ------------------------------------------------------------------------------------
def read_pdf(path: Path) -> Source:
    """The text layer of a PDF (`tema.ingest.pdf`), pages joined by a line break, with page
    start offsets and the pages left out (damaged, or scanned among text pages)."""
    from tema.ingest.pdf import pdf_text

    pdf = pdf_text(path)
    return Source(pdf.text, pages=pdf.pages, unread_pages=pdf.unread_pages)


def page_of(pages: Sequence[int], offset: int) -> int | None:
    """The 1-based page that holds `offset`, or None for documents without pages."""
    import bisect

    return bisect.bisect_right(pages, offset) if pages else None


# --- Word -----------------------------------------------------------------------------------
def read_docx(path: Path) -> Source:
    """Paragraphs of a .docx in order (`tema.ingest.word`): headings as lines, list items as
    "• " bullets, a table row by row (`_from_lines`)."""
    from tema.ingest.word import docx_lines

    return _from_lines(docx_lines(path))


def _from_lines(lines: Sequence[tuple[str, str]]) -> Source:
    """A document of (kind, text) lines, as Word's and Markdown's readers give them:
    paragraphs separated by a blank line, consecutive list items by a line break (a list
    stays one block of bullets), items as "• " bullets (numbered ones as typed), headings
    marked as headings."""
    from tema.ingest.markdown import NUMBERED
    from tema.ingest.word import HEADING, ITEM

    parts: list[str] = []
    headings: list[list[int]] = []
    offset = 0
    for index, (kind, text) in enumerate(lines):
        if index:
            same_list = kind in (ITEM, NUMBERED) and lines[index - 1][0] == kind
            parts.append("\n" if same_list else ANSWER_SEPARATOR)
            offset += len(parts[-1])
        parts.append(BULLET + text if kind == ITEM else text)
        if kind == HEADING:
            headings.append([offset, offset + len(text)])
        offset += len(parts[-1])
    return Source("".join(parts), headings=headings)


# --- survey tables --------------------------------------------------------------------------
@dataclass(frozen=True)
class Answer:
    """One non-blank answer of a survey table: its row as a spreadsheet shows it (the
    header is row 1), its text, and the row's other non-empty columns."""

    row: int
    text: str
    metadata: dict[str, str]


class Answers(NamedTuple):
    """What `read_answers` reads of a survey table: its header, its text column, its
    answers, and a workbook's other visible sheets that hold text, not read (names as
    the workbook spells them)."""

    header: list[str]
    column: str
    answers: list[Answer]
    unread_sheets: list[str]


def read_answers(
    path: Path,
    text_columns: Sequence[str],
    sheet: str | None = None,
    name_sheet: str = NAME_SHEET_IN_MANIFEST,
) -> Answers:
    """A survey table's header, its text column and its answers; blank answers are left out.

    The one way tema reads answers: ingest (`read_survey_table`) and `tema classify` of a table
    both use it, so a table gives the same answers to both. The text column is the
    first of `text_columns` the table has (ignoring case and spaces). `name_sheet`: how the
    caller's user names another sheet, for the warning about the sheets not read (which
    are also returned, for the report to name).
    """
    table = read_table(path, sheet)
    rows = table.rows
    column = choose_text_column(path, table, text_columns)
    if table.unread_sheets:
        warn_unread_sheets(path, table.unread_sheets, name_sheet)
    header = _name_unnamed(table.header, rows)
    index = header.index(column)
    answers = []
    destroyed: list[tuple[int, str]] = []
    for row_number, row in rows:
        text = row[index].strip() if index < len(row) else ""
        if text in EXCEL_ERRORS:
            destroyed.append((row_number, text))
            continue
        if not text:
            continue
        metadata = {
            name: value
            for position, (name, value) in enumerate(zip(header, row, strict=False))
            if position != index and name and value != ""
        }
        answers.append(Answer(row_number, text, metadata))
    if destroyed:
        _warn_error_values(path, column, destroyed)
    if not answers:
        if any(cell.strip() for _, row in rows for cell in row):
            # Text in other columns: most likely the wrong column was chosen, which the
            # user must see rather than the file being left out.
            raise InputError(
                path,
                f"column {column!r} has no answers, but other columns have text: name the "
                "text column in the manifest's text_column column (or --text-column)",
            )
        raise UnreadableFile(path, f"column {column!r} has no answers")
    return Answers(header, column, answers, list(table.unread_sheets))


def _name_unnamed(header: Sequence[str], rows: Sequence[tuple[int, Sequence[str]]]) -> list[str]:
    """The header with a column that has data but no name named by its spreadsheet letter
    (`column_C`): what a person typed there is kept with the answer like any other column."""
    named = list(header)
    for position, name in enumerate(header):
        if name or not any(position < len(row) and row[position].strip() for _, row in rows):
            continue
        from openpyxl.utils import get_column_letter  # only for a table that needs it

        named[position] = f"column_{get_column_letter(position + 1)}"
    return named


def _warn_error_values(path: Path, column: str, found: Sequence[tuple[int, str]]) -> None:
    """A formula's error value ("#NAME?", "#NAVN?") where an answer should be is no answer,
    but it is seldom blank either: Excel takes an answer typed with "=", "+" or "-" first
    ("- flere boliger") for a formula, and shows its error instead. Left out, and said."""
    values = ", ".join(sorted({value for _row, value in found}))
    warnings.warn(
        f"{path}: in column {column!r}, {rows_hold([row for row, _value in found])} a "
        f"formula's error value ({values}), not an answer; left out. Excel turns an answer "
        'that starts with "=", "+" or "-" into a formula: check those cells',
        stacklevel=3,
    )


def read_survey_table(path: Path, text_columns: Sequence[str], sheet: str | None = None) -> Source:
    """Survey answers: one answer per row from the first text column found, rest kept;
    a workbook's other sheets that hold text are named as not read."""
    table = read_answers(path, text_columns, sheet)
    parts: list[str] = []
    answers: list[dict[str, Any]] = []
    offset = 0
    for answer in table.answers:
        if parts:
            offset += len(ANSWER_SEPARATOR)
        answers.append(
            {
                "start": offset,
                "end": offset + len(answer.text),
                "row": answer.row,
                "metadata": answer.metadata,
            }
        )
        parts.append(answer.text)
        offset += len(answer.text)
    return Source(ANSWER_SEPARATOR.join(parts), answers=answers, unread_sheets=table.unread_sheets)


def find_column(header: Iterable[str], candidates: Sequence[str]) -> str | None:
    """The first candidate that is a column of `header`, as the header spells it (compared
    by `tema.io.tables.column_key`); None when none is."""
    by_name = {column_key(name): name for name in header}
    for candidate in candidates:
        if column_key(candidate) in by_name:
            return by_name[column_key(candidate)]
    return None


def question_of(metadata: Mapping[str, str]) -> str:
    """The question an answer replies to: the value of its row's first `QUESTION_COLUMNS`
    column that is not blank ("" when there is none)."""
    column = find_column(
        [name for name, value in metadata.items() if value.strip()], QUESTION_COLUMNS
    )
    return metadata[column].strip() if column is not None else ""


def choose_text_column(path: Path, table: Table, candidates: Sequence[str]) -> str:
    """The first candidate that is a column (ignoring case and spaces); else a clear error,
    which says so when the header is not the table's first row (a title above it)."""
    column = find_column(table.header, candidates)
    if column is not None:
        return column
    advice = table.header_below(candidates) or (
        ". Name the column in the manifest's text_column column, with --text-column "
        "(tema classify) or in params.yaml ingest.text_columns"
    )
    raise InputError(
        path,
        f"no text column: looked for {', '.join(repr(c) for c in candidates)}; "
        f"the columns are {', '.join(repr(h) for h in table.header) or '(none)'}{advice}",
        line=table.header_line,
    )
