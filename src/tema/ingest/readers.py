"""Readers for the file formats users have: text, Markdown, PDF, Word and survey tables.

Every reader returns a `Source`: the document text as tema will see it, plus what is
needed to trace a unit back to where it came from:

- PDF: `pages`, the offset in `text` where each page starts (page 1 starts at 0); a unit's
  page is the last page that starts at or before the unit's start offset.
- CSV/XLSX survey answers: `answers`, one entry per answer with its span in `text`, its
  row number in the file (as a spreadsheet shows it: the header is row 1) and the row's
  other columns. Answers are joined with a blank line, and the spans are the units: each
  answer is one unit, never merged with or split from its neighbours.

A file that cannot give text (an encrypted PDF, a scanned PDF without a text layer)
raises `UnreadableFile`; ingest warns, names the file and goes on with the batch.
"""

from __future__ import annotations

import csv
import io
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tema.errors import InputError

TEXT_SUFFIXES = frozenset({".txt", ".md"})
TABLE_SUFFIXES = frozenset({".csv", ".tsv", ".xlsx"})
SUFFIXES = TEXT_SUFFIXES | TABLE_SUFFIXES | {".pdf", ".docx"}
# Text columns tried in order when neither the manifest nor the command names one.
DEFAULT_TEXT_COLUMNS = ("svar", "answer", "text", "tekst")
# Between two answers of a survey table, and between the paragraphs of a Word file.
ANSWER_SEPARATOR = "\n\n"
BULLET = "• "
# Bytes that only appear when UTF-8 was decoded as Latin-1/cp1252 somewhere upstream
# ("Ã¸" for "ø"); such text is repaired rather than passed on garbled.
_MOJIBAKE_MARKERS = ("Ã¸", "Ã¥", "Ã¦", "Ã˜", "Ã…", "Ã†", "Ã©")


class UnreadableFile(InputError):
    """A file with no text tema can read; the batch goes on without it."""


@dataclass(frozen=True)
class Source:
    """The text of one file and where its parts came from."""

    text: str
    pages: list[int] = field(default_factory=list)
    answers: list[dict[str, Any]] = field(default_factory=list)


def decode_text(raw: bytes, path: str | Path, warn: bool = True) -> str:
    """Decode bytes as UTF-8 (with or without BOM), else cp1252 (Windows exports); repair
    double-encoded text.

    `warn`: say so when a file is read as cp1252. Tables do not: Excel in a Norwegian
    locale saves "CSV" in cp1252, so there it is the normal case, not a sign of trouble.
    Bytes with NUL in them are not text in any encoding tema reads (an image or a program
    renamed to .txt): they are refused rather than turned into pages of garbage units.
    """
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    if b"\x00" in raw:
        raise UnreadableFile(path, "is a binary file, not text")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
        if warn:
            warnings.warn(f"{path}: not UTF-8; read as Windows-1252 (Latin-1)", stacklevel=2)
    if any(marker in text for marker in _MOJIBAKE_MARKERS):
        import ftfy  # wordfreq's dependency; repairs UTF-8 that was decoded as Latin-1

        text = ftfy.fix_encoding(text)
    return text


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(path, f"cannot be read: {exc.strerror}") from exc


def read_source(
    path: str | Path,
    text_columns: Sequence[str] = DEFAULT_TEXT_COLUMNS,
    sheet: str | None = None,
) -> Source:
    """Read one file by its suffix; unknown, empty or unreadable files are errors."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise UnreadableFile(
            path,
            f"unknown file type {path.suffix or '(none)'!r}; "
            f"tema reads {', '.join(sorted(SUFFIXES))}",
        )
    if suffix in TEXT_SUFFIXES:
        source = Source(decode_text(_read_bytes(path), path))
    elif suffix == ".pdf":
        source = read_pdf(path)
    elif suffix == ".docx":
        source = read_docx(path)
    else:
        source = read_table(path, text_columns, sheet)
    if not source.text.strip():
        raise UnreadableFile(path, "is empty")
    return source


# --- PDF ------------------------------------------------------------------------------------
def read_pdf(path: Path) -> Source:
    """The text layer of a PDF, pages joined by a line break, with page start offsets."""
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    # pypdf logs recoverable oddities of real-world PDFs; they are not the user's concern.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(_read_bytes(path)))
        if reader.is_encrypted:
            # Many PDFs are "encrypted" only against editing, with an empty open password.
            try:
                opened = reader.decrypt("")
            except Exception as exc:  # pypdf raises several types for unsupported schemes
                raise UnreadableFile(path, f"is encrypted and cannot be opened ({exc})") from exc
            if not opened:
                raise UnreadableFile(
                    path, "is encrypted (password protected); save an unprotected copy"
                )
        texts = [(page.extract_text() or "") for page in reader.pages]
    except PdfReadError as exc:
        raise UnreadableFile(path, f"is not a readable PDF ({exc})") from exc
    if not any(text.strip() for text in texts):
        raise UnreadableFile(
            path,
            f"has no text layer ({len(texts)} page(s), probably scanned); "
            "run OCR on it (e.g. ocrmypdf) and ingest the result",
        )
    pages, parts, offset = [], [], 0
    for text in texts:
        text = text.rstrip()
        pages.append(offset)
        parts.append(text)
        offset += len(text) + 1  # the "\n" that joins pages
    return Source("\n".join(parts), pages=pages)


def page_of(pages: Sequence[int], offset: int) -> int | None:
    """The 1-based page that holds `offset`, or None for documents without pages."""
    import bisect

    return bisect.bisect_right(pages, offset) if pages else None


# --- Word -----------------------------------------------------------------------------------
def read_docx(path: Path) -> Source:
    """Paragraphs of a .docx in order: headings as lines, list items as "• " bullets.

    Paragraphs are separated by a blank line, consecutive list items by a line break (a
    list stays one block of bullets). Table cells are read as paragraphs.
    """
    import zipfile

    import docx
    from docx.opc.exceptions import OpcError
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError, OpcError) as exc:
        raise UnreadableFile(path, f"is not a readable Word (.docx) file ({exc})") from exc

    lines: list[tuple[bool, str]] = []  # (is list item, text)

    def add_paragraph(paragraph: Paragraph) -> None:
        text = paragraph.text.strip()
        if text:
            lines.append((_is_list_item(paragraph), text))

    for block in document.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                for cell in row.cells:
                    for paragraph in cell.paragraphs:
                        add_paragraph(paragraph)
        else:
            add_paragraph(block)
    parts: list[str] = []
    for index, (is_item, text) in enumerate(lines):
        if index:
            parts.append("\n" if is_item and lines[index - 1][0] else ANSWER_SEPARATOR)
        parts.append(BULLET + text if is_item else text)
    return Source("".join(parts))


def _is_list_item(paragraph) -> bool:
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    if style.lower().startswith(("list", "liste")):
        return True
    properties = paragraph._p.pPr
    return properties is not None and properties.numPr is not None


# --- survey tables --------------------------------------------------------------------------
@dataclass(frozen=True)
class Answer:
    """One non-blank answer of a survey table: its row as a spreadsheet shows it (the
    header is row 1), its text, and the row's other non-empty columns."""

    row: int
    text: str
    metadata: dict[str, str]


def read_answers(
    path: Path, text_columns: Sequence[str], sheet: str | None = None
) -> tuple[list[str], str, list[Answer]]:
    """A survey table's header, its text column and its answers; blank answers are left out.

    The one way tema reads answers: ingest (`read_table`) and `tema classify` of a table
    both use it, so a table gives the same answers to both. The text column is the
    first of `text_columns` the table has (ignoring case and spaces).
    """
    header, rows = read_rows(path, sheet)
    column = choose_text_column(path, header, text_columns)
    index = header.index(column)
    answers = []
    for row_number, row in rows:
        text = row[index].strip() if index < len(row) else ""
        if not text:
            continue
        metadata = {
            name: value
            for position, (name, value) in enumerate(zip(header, row, strict=False))
            if position != index and name and value != ""
        }
        answers.append(Answer(row_number, text, metadata))
    if not answers:
        raise InputError(path, f"column {column!r} has no answers")
    return header, column, answers


def read_table(path: Path, text_columns: Sequence[str], sheet: str | None = None) -> Source:
    """Survey answers: one answer per row from the first text column found, rest kept."""
    _header, _column, found = read_answers(path, text_columns, sheet)
    parts, answers, offset = [], [], 0
    for answer in found:
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
    return Source(ANSWER_SEPARATOR.join(parts), answers=answers)


def choose_text_column(path: Path, header: Sequence[str], candidates: Sequence[str]) -> str:
    """The first candidate that is a column (ignoring case and spaces); else a clear error."""
    by_name = {name.strip().casefold(): name for name in header}
    for candidate in candidates:
        if candidate.strip().casefold() in by_name:
            return by_name[candidate.strip().casefold()]
    raise InputError(
        path,
        f"no text column: looked for {', '.join(repr(c) for c in candidates)}; "
        f"the columns are {', '.join(repr(h) for h in header) or '(none)'}. "
        "Name the column in the manifest's text_column column, with --text-column "
        "(tema classify) or in params.yaml ingest.text_columns",
        line=1,
    )


Rows = list[tuple[int, list[str]]]  # (line number in the file, cells)


def read_rows(path: Path, sheet: str | None = None) -> tuple[list[str], Rows]:
    """A CSV/TSV/XLSX table as its header and (line number, cells) rows."""
    return _xlsx_rows(path, sheet) if path.suffix.lower() == ".xlsx" else _csv_rows(path)


# Field delimiters a table may use: Excel in a Norwegian locale saves "CSV" with ";".
DELIMITERS = (";", "\t", ",")


def _csv_rows(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    text = decode_text(_read_bytes(path), path, warn=False)
    delimiter = "\t" if path.suffix.lower() == ".tsv" else detect_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [name.strip() for name in next(reader)]
    except StopIteration:
        raise InputError(path, "is empty") from None
    except csv.Error as exc:
        raise InputError(path, f"is not a readable table: {exc}", line=1) from exc
    rows = []
    try:
        for row in reader:
            rows.append((reader.line_num, row))
    except csv.Error as exc:
        raise InputError(path, f"is not a readable table: {exc}", line=reader.line_num) from exc
    return header, rows


def detect_delimiter(text: str) -> str:
    """The delimiter of a delimited table, from its header line: the one of `DELIMITERS`
    it has most of outside quotes. The header decides because answers are free text, full
    of commas, while column names are not. A header with none of them is one column: then
    nothing splits a row (an answer's commas stay in the answer)."""
    unquoted = re.sub(r'"[^"]*"', "", text.split("\n", 1)[0])
    counts = {delimiter: unquoted.count(delimiter) for delimiter in DELIMITERS}
    best = max(DELIMITERS, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else "\x1f"


def _xlsx_rows(path: Path, sheet: str | None) -> tuple[list[str], list[tuple[int, list[str]]]]:
    import zipfile

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise InputError(path, f"is not a readable Excel (.xlsx) file ({exc})") from exc
    try:
        if sheet:
            if sheet not in workbook.sheetnames:
                raise InputError(
                    path, f"no sheet {sheet!r}; the sheets are {', '.join(workbook.sheetnames)}"
                )
            worksheet = workbook[sheet]
        else:
            worksheet = workbook.worksheets[0]
        values = worksheet.iter_rows(values_only=True)
        first = next(values, None)
        if first is None:
            raise InputError(path, "is empty")
        header = [_cell_text(value).strip() for value in first]
        rows = [
            (number, [_cell_text(value) for value in row])
            for number, row in enumerate(values, start=2)
        ]
    finally:
        workbook.close()
    return header, rows


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10] if getattr(value, "hour", 0) == 0 else value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
