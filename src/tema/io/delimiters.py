"""The delimiter of a delimited table, and the check that it split every row as it should.

Excel in a Norwegian locale saves "CSV" with ";" and quotes only cells that hold a ";", so
a column name or an answer holds commas unquoted; other programs write "," or a tab.
`detect_delimiter` decides from the header and the rows after it; a first line "sep=;"
(written for Excel, which honours it) declares it (`declared_delimiter`). `check_widths`
refuses a row that an unquoted delimiter may have split.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from tema.errors import InputError

# Field delimiters a table may use: Excel in a Norwegian locale saves "CSV" with ";".
DELIMITERS = (";", "\t", ",")
# The delimiter of a header without any of `DELIMITERS`: a character no text holds, so
# that nothing splits a row of a one-column table (an answer's commas stay in it).
ONE_COLUMN = "\x1f"
# The rows after the header, and the characters of the text's start, that decide the
# delimiter (`detect_delimiter`).
_SNIFF_ROWS = 20
_SNIFF_CHARS = 1 << 16
# The first line some exporters write for Excel: the delimiter, declared ("sep=;").
_DECLARATION = re.compile(r"sep=([^\r\n\"])\r?(?:\n|$)")

Rows = list[tuple[int, list[str]]]  # (line the row starts on, cells)


def declared_delimiter(text: str) -> str | None:
    """The delimiter a first line "sep=;" declares (None without one). The line is no row
    of the table: its reader skips it."""
    found = _DECLARATION.match(text)
    return found[1] if found else None


def detect_delimiter(text: str) -> str:
    """The delimiter of a delimited table: of the `DELIMITERS` its header line has outside
    quotes, the one that splits the most of the next `_SNIFF_ROWS` rows into as many fields
    as the header; on a tie, the one the header has most of, then ";" (Excel). The header
    has the say because answers are free text, full of commas, and column names seldom;
    the rows settle it for a question with commas as a column name (Excel in a Norwegian
    locale does not quote it: "svar;Hva synes du om kurs, praksis og jobb?"). A header
    with none of them is one column (`ONE_COLUMN`)."""
    unquoted = re.sub(r'"[^"]*"', "", text.split("\n", 1)[0])
    candidates = [delimiter for delimiter in DELIMITERS if delimiter in unquoted]
    if len(candidates) < 2:
        return candidates[0] if candidates else ONE_COLUMN
    head = text[:_SNIFF_CHARS]
    return max(
        candidates,
        key=lambda delimiter: (
            _rows_as_wide_as_header(head, delimiter),
            unquoted.count(delimiter),
            -DELIMITERS.index(delimiter),
        ),
    )


def _rows_as_wide_as_header(text: str, delimiter: str) -> int:
    """How many of the first `_SNIFF_ROWS` non-blank rows after the header `delimiter`
    splits into as many fields as the header (empty ones past it aside)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    agree = 0
    try:
        width = len(next(reader))
        rows = (cells for cells in reader if cells)
        for _count, cells in zip(range(_SNIFF_ROWS), rows, strict=False):
            filled = len(cells) == width or not any(c.strip() for c in cells[width:])
            agree += len(cells) >= width and filled
    except (StopIteration, csv.Error):  # the end of the text, or a quote left open
        pass
    return agree


def check_widths(path: Path, header: list[str], rows: Rows, delimiter: str) -> None:
    """Refuse a row with more fields than the header where that may have moved text. An
    unquoted delimiter inside an answer ("Flere boliger; og lavere husleie") splits it in
    two, and the text after it goes into the next column: the row has one field more than
    the header, and what the last column held is beyond it. When that was text, it would
    be lost; when it was empty, the row still reads a wrong answer. So a longer row is
    read only when its fields beyond the header are empty and every row as wide as the
    header is as long as it: an exporter that ends every line with a delimiter. (Spreadsheets
    also leave out empty cells at a row's end: a shorter row is read as it is.)"""
    width = len(header)
    full = [(line, len(cells)) for line, cells in rows if len(cells) >= width]
    narrowest = min((count for _line, count in full), default=width)
    for line, cells in rows:
        extra = [cell for cell in cells[width:] if cell.strip()]
        if extra:
            raise InputError(
                path,
                f"{len(cells)} fields but the header has {width}; text beyond the last "
                f"column ({extra[0]!r}) would be lost. Put cells holding the delimiter in "
                "quotes",
                line=line,
                code="text_beyond",
                fields=len(cells),
                width=width,
                text=extra[0],
            )
        if len(cells) > narrowest:
            other = next(at for at, count in full if count == narrowest)
            shorter = "" if narrowest == width else f" and line {other} has {narrowest}"
            raise InputError(
                path,
                f"{len(cells)} fields but the header has {width}{shorter}; an unquoted "
                f"{_shown(delimiter)} in a cell moves the text after it into the next "
                "column. Put cells holding the delimiter in quotes",
                line=line,
                code="moved_text" if narrowest == width else "moved_text_other",
                fields=len(cells),
                width=width,
                delimiter=delimiter,
                **({} if narrowest == width else {"other": other, "narrowest": narrowest}),
            )


def _shown(delimiter: str) -> str:
    return "tab" if delimiter == "\t" else repr(delimiter)
