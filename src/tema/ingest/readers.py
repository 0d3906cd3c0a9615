"""Readers for the file formats users have: text, Markdown, PDF, Word and survey tables.

Every reader returns a `Source`: the document text as tema will see it, plus what is
needed to trace a unit back to where it came from:

- PDF: `pages`, the offset in `text` where each page starts (page 1 starts at 0); a unit's
  page is the last page that starts at or before the unit's start offset.
- CSV/XLSX survey answers: `answers`, one entry per answer with its span in `text`, its
  row number in the file (as a spreadsheet shows it: the header is row 1) and the row's
  other columns. Answers are joined with a blank line, and the spans are the units: each
  answer is one unit, never merged with or split from its neighbours. Tables are read by
  `tema.io.tables`, which detects their delimiter and encoding.

A file that cannot give text (an encrypted PDF, a scanned PDF without a text layer)
raises `UnreadableFile`; ingest warns, names the file and goes on with the batch.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tema.errors import InputError, UnreadableFile
from tema.io.tables import TABLE_SUFFIXES, column_key, decode_text, read_bytes, read_table

TEXT_SUFFIXES = frozenset({".txt", ".md"})
SUFFIXES = TEXT_SUFFIXES | TABLE_SUFFIXES | {".pdf", ".docx"}
# Text columns tried in order when neither the manifest nor the command names one.
DEFAULT_TEXT_COLUMNS = ("svar", "answer", "text", "tekst")
# A column holding the question each answer replies to (first found, ignoring case and
# spaces): classification reads an answer with its question, as a sentence with its
# section heading (tema.classify.context).
QUESTION_COLUMNS = ("spørsmål", "sporsmal", "question")
# Between two answers of a survey table, and between the paragraphs of a Word file.
ANSWER_SEPARATOR = "\n\n"
BULLET = "• "


@dataclass(frozen=True)
class Source:
    """The text of one file and where its parts came from."""

    text: str
    pages: list[int] = field(default_factory=list)
    answers: list[dict[str, Any]] = field(default_factory=list)


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


# --- PDF ------------------------------------------------------------------------------------
def read_pdf(path: Path) -> Source:
    """The text layer of a PDF, pages joined by a line break, with page start offsets."""
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    # pypdf logs recoverable oddities of real-world PDFs; they are not the user's concern.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(read_bytes(path)))
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
    pages: list[int] = []
    parts: list[str] = []
    offset = 0
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
    list stays one block of bullets). A table is read row by row (`_table_lines`).
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
            lines.extend(_table_lines(block))
        else:
            add_paragraph(block)
    parts: list[str] = []
    for index, (is_item, text) in enumerate(lines):
        if index:
            parts.append("\n" if is_item and lines[index - 1][0] else ANSWER_SEPARATOR)
        parts.append(BULLET + text if is_item else text)
    return Source("".join(parts))


# Between the cells of a Word table's row, which tema reads as one line.
CELL_SEPARATOR = " | "
# A first row whose every cell is a label this short (and without final punctuation) is
# the table's header ("Tema | Innspill").
MAX_HEADER_CELL_WORDS = 4


def _table_lines(table) -> list[tuple[bool, str]]:
    """A Word table as (is list item, text) lines: each row one list item, its non-empty
    cells joined by CELL_SEPARATOR, so that a row of input is one unit however many
    columns it has; a header row is one plain line, which segmentation takes for the
    heading of the rows under it (never counted).

    Cell by cell, the header's labels and a first column of topics ("Bolig") would be
    counted as input of their own, and a run of short cells would turn the document's
    own heading above the table into a list item.
    """
    rows: list[list[str]] = []
    for row in table.rows:
        cells: list[str] = []
        previous = None
        for cell in row.cells:
            # python-docx repeats a merged cell once per grid column it spans: the same
            # cell element, which two neighbouring cells of equal text are not.
            if previous is not None and cell._tc is previous._tc:
                continue
            previous = cell
            text = " ".join(p.text.strip() for p in cell.paragraphs if p.text.strip())
            if text:
                cells.append(text)
        rows.append(cells)
    filled = [cells for cells in rows if cells]
    if not filled:
        return []
    header = bool(rows[0]) and len(rows) > 1 and _is_header(table, rows)
    lines = [(False, CELL_SEPARATOR.join(rows[0]))] if header else []
    lines.extend((True, CELL_SEPARATOR.join(cells)) for cells in filled[1 if header else 0 :])
    return lines


def _is_header(table, rows: list[list[str]]) -> bool:
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

    from docx.oxml.ns import qn

    first = table.rows[0]
    properties = first._tr.trPr
    if properties is not None and properties.find(qn("w:tblHeader")) is not None:
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

    The one way tema reads answers: ingest (`read_survey_table`) and `tema classify` of a table
    both use it, so a table gives the same answers to both. The text column is the
    first of `text_columns` the table has (ignoring case and spaces).
    """
    table = read_table(path, sheet)
    header, rows = table.header, table.rows
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


def read_survey_table(path: Path, text_columns: Sequence[str], sheet: str | None = None) -> Source:
    """Survey answers: one answer per row from the first text column found, rest kept."""
    _header, _column, found = read_answers(path, text_columns, sheet)
    parts: list[str] = []
    answers: list[dict[str, Any]] = []
    offset = 0
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


def choose_text_column(path: Path, header: Sequence[str], candidates: Sequence[str]) -> str:
    """The first candidate that is a column (ignoring case and spaces); else a clear error."""
    column = find_column(header, candidates)
    if column is not None:
        return column
    raise InputError(
        path,
        f"no text column: looked for {', '.join(repr(c) for c in candidates)}; "
        f"the columns are {', '.join(repr(h) for h in header) or '(none)'}. "
        "Name the column in the manifest's text_column column, with --text-column "
        "(tema classify) or in params.yaml ingest.text_columns",
        line=1,
    )
