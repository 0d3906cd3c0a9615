"""Documents by the names their readers know them by, in what the report shows.

The pipeline names a document by its file in the raw folder (`doc`), and its tables
(units.csv, theme_counts.csv) keep that name: it is how they join with each other and with
the earlier stages. A caller whose files are stored under other names than their owners
gave them (the browser app keeps each upload under a safe name) passes `names` (document
→ name to show), and report.html and report.xlsx show those names: in the document
sheet, beside each example and uncertain unit, in the list of skipped files, of unread
PDF pages and of workbook sheets not read. A document not in `names` keeps its own name.
"""

from __future__ import annotations

import csv
import dataclasses
import io
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from tema.report.summary import Summary

if TYPE_CHECKING:
    from tema.report.model_text import LeftOut

Names = Mapping[str, str]


def shown_summary(summary: Summary, names: Names) -> Summary:
    """`summary` with each document by its name in `names`, for report.html and .xlsx."""
    if not names:
        return summary
    counts = summary.counts.copy()
    documents = counts["level"] == "document"
    counts.loc[documents, "key"] = _renamed(counts.loc[documents, "key"], names)
    return dataclasses.replace(
        summary,
        counts=counts,
        examples=shown_units(summary.examples, names),
        review=shown_units(summary.review, names),
        **shown_left_out(summary, names),
    )


def shown_left_out(left: LeftOut, names: Names) -> dict[str, Any]:
    """The input not in the counts (skipped files, unread pages and sheets: the fields of
    `tema.report.model_text.LeftOut`) with each file by its name in `names`, by field."""
    return {
        "skipped": [{**item, "file": shown_file(item["file"], names)} for item in left.skipped],
        "unread_pages": {shown_file(f, names): pages for f, pages in left.unread_pages.items()},
        "unread_sheets": {shown_file(f, names): sheets for f, sheets in left.unread_sheets.items()},
    }


def shown_units(units: pd.DataFrame, names: Names) -> pd.DataFrame:
    """Units (rows of units.csv) with their `doc` by its name in `names`."""
    if not names or "doc" not in units.columns:
        return units
    return units.assign(doc=_renamed(units["doc"], names))


def shown_chunks(chunks: Iterable[pd.DataFrame], names: Names) -> Iterator[pd.DataFrame]:
    for chunk in chunks:
        yield shown_units(chunk, names)


def shown_file(file: str, names: Names) -> str:
    """A skipped file or one with unread pages or sheets (a path: ingest names the file it
    read) by its document's name in `names`; as it is when its document is not there.

    A file named without a folder never reached the raw folder: the browser app refused it
    as it came in and names it as it was sent (`tema.serve.left_out.refused_skip`). It is
    shown as it is, never taken for the document stored under that name (two files sent
    as "Notat.txt" are kept as "Notat.txt" and "Notat-2.txt"; an empty one sent as
    "Notat-2.txt" is not the second "Notat.txt")."""
    if not file or Path(file).name == file:
        return file
    return names.get(Path(file).name, file)


def shown_counts_csv(text: str, names: Names) -> str:
    """theme_counts.csv (as `tema report` wrote it) with the `key` of each document row by
    its name in `names`; every other cell as written."""
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows or not names:
        return text
    header = rows[0]
    level, key = header.index("level"), header.index("key")
    for row in rows[1:]:
        if len(row) == len(header) and row[level] == "document":
            row[key] = names.get(row[key], row[key])
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def _renamed(docs: pd.Series, names: Names) -> pd.Series:
    return docs.astype(str).map(lambda doc: names.get(doc, doc))
