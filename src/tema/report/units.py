"""units.csv: the classified units with where each came from, and reading them back.

`read_classified_chunks` streams `classify.classified` in chunks (a missing or damaged file
named); `Provenance` gives each unit its document's meeting, region and date, its page
(PDF) or survey row, and the metadata of its answer or document, in the columns
`UNIT_COLUMNS` of units.csv; `uncertain_units` reads the uncertain units of a written
units.csv back (for the review sheet of report.xlsx). The stage (`tema.report.stage`)
writes units.csv from these.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from tema.errors import InputError

UNIT_COLUMNS = (
    "doc", "meeting", "region", "date", "page", "row", "unit", "start", "end", "kind",
    "section", "text", "theme", "confidence", "second_theme", "uncertain", "metadata",
)  # fmt: skip
CHUNK_ROWS = 50_000


@dataclass
class _Provenance:
    meeting: str
    region: str
    date: str
    pages: np.ndarray
    answer_starts: np.ndarray
    answer_rows: list[int]
    answer_metadata: list[str]
    extra: str


class Provenance:
    """Where each document came from, without its text (small enough for any batch)."""

    def __init__(self, documents: Iterable[Any]) -> None:
        self.by_doc: dict[str, _Provenance] = {}
        # File → its PDF pages that were not read (tema.ingest.stage.Document.unread_pages).
        self.unread_pages: dict[str, list[int]] = {}
        # File → its workbook's sheets that were not read (Document.unread_sheets).
        self.unread_sheets: dict[str, list[str]] = {}
        for d in documents:
            if getattr(d, "unread_pages", None):
                self.unread_pages[d.file] = list(d.unread_pages)
            if getattr(d, "unread_sheets", None):
                self.unread_sheets[d.file] = list(d.unread_sheets)
            answers = getattr(d, "answers", None) or []
            self.by_doc[d.doc] = _Provenance(
                meeting=d.meeting,
                region=d.region,
                date=d.date,
                pages=np.asarray(getattr(d, "pages", None) or [], dtype=np.int64),
                answer_starts=np.asarray([a["start"] for a in answers], dtype=np.int64),
                answer_rows=[int(a["row"]) for a in answers],
                answer_metadata=[
                    json.dumps(a.get("metadata", {}), ensure_ascii=False)
                    if a.get("metadata")
                    else ""
                    for a in answers
                ],
                extra=json.dumps(d.extra, ensure_ascii=False) if d.extra else "",
            )

    def attach(self, units: pd.DataFrame) -> pd.DataFrame:
        """Units with meeting, region, date, page, row and metadata (columns UNIT_COLUMNS)."""
        units = units.copy()
        docs = units["doc"].astype(str)
        known = {doc: self.by_doc[doc] for doc in docs.unique() if doc in self.by_doc}
        for column in ("meeting", "region", "date"):
            units[column] = docs.map({d: getattr(p, column) for d, p in known.items()}).fillna("")
        page = pd.Series(pd.NA, index=units.index, dtype="Int64")
        row = pd.Series(pd.NA, index=units.index, dtype="Int64")
        metadata = docs.map({d: p.extra for d, p in known.items()}).fillna("")
        starts = (
            pd.to_numeric(units["start"], errors="coerce").fillna(0).astype(np.int64)
            if "start" in units.columns
            else pd.Series(0, index=units.index)
        )
        for doc, index in units.groupby(docs, sort=False).groups.items():
            source = known.get(doc)
            if source is None:
                continue
            offsets = starts.loc[index].to_numpy()
            if len(source.pages):
                page.loc[index] = np.searchsorted(source.pages, offsets, side="right")
            if len(source.answer_starts):
                which = np.clip(
                    np.searchsorted(source.answer_starts, offsets, side="right") - 1, 0, None
                )
                row.loc[index] = [source.answer_rows[i] for i in which]
                metadata.loc[index] = [source.answer_metadata[i] for i in which]
        units["page"], units["row"], units["metadata"] = page, row, metadata
        for column in UNIT_COLUMNS:
            if column not in units.columns:
                units[column] = ""
        return units[list(UNIT_COLUMNS)]


def read_classified_chunks(
    path: str | Path, chunk_rows: int = CHUNK_ROWS
) -> Iterator[pd.DataFrame]:
    """Stream the classified units in chunks, with a clear error for a missing/bad file."""
    path = Path(path)
    if not path.is_file():
        raise InputError(path, "not found (run `tema classify` first)")
    try:
        # `with`: a report stopped by a bad row (or a reader left unfinished) closes the file.
        with pd.read_csv(
            path,
            keep_default_na=False,
            na_values={"repeat_of": [""]},
            chunksize=chunk_rows,
            dtype={"doc": str, "text": str, "kind": str, "section": str, "second_theme": str},
        ) as reader:
            for chunk in reader:
                missing = {"doc", "kind", "text", "theme", "confidence", "uncertain"} - set(chunk)
                if missing:
                    raise InputError(path, f"missing column(s) {', '.join(sorted(missing))}", 1)
                if chunk["uncertain"].dtype != bool:
                    flags = chunk["uncertain"].astype(str).str.lower()
                    chunk["uncertain"] = flags.isin(["true", "1"])
                yield chunk
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise InputError(path, f"cannot be read: {exc}") from exc


def uncertain_units(units_csv: str | Path, chunk_rows: int = CHUNK_ROWS) -> Iterator[pd.DataFrame]:
    """All uncertain units of a written units.csv, in chunks (for the review sheet)."""
    # Names are text as written: a region "03" or a meeting "0301" must not come back as 3.
    text_columns = ("doc", "meeting", "region", "date", "kind", "section", "text", "theme",
                    "second_theme", "metadata")  # fmt: skip
    for chunk in pd.read_csv(
        units_csv,
        keep_default_na=False,
        chunksize=chunk_rows,
        dtype=dict.fromkeys(text_columns, str),
    ):
        flags = chunk["uncertain"]
        if flags.dtype != bool:
            flags = flags.astype(str).str.lower().isin(["true", "1"])
        yield chunk[flags]
