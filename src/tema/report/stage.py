"""Stage `report`: theme counts per document, meeting and region, with examples.

The classified units are streamed in chunks (`build_report`), so a batch of any size runs
in bounded memory: each chunk gets its provenance (meeting, region, date, page, survey
row), is appended to `units.csv` and is added to running counts (`tema.report.tally`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from tema.errors import InputError
from tema.io.files import atomic_write, write_csv
from tema.numbers import Style
from tema.params import Theme
from tema.progress import progress
from tema.report.tally import Summary, Tally, counted_units
from tema.report.words import TEXTS

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
        for d in documents:
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
        reader = pd.read_csv(
            path,
            keep_default_na=False,
            na_values={"repeat_of": [""]},
            chunksize=chunk_rows,
            dtype={"doc": str, "text": str, "kind": str, "section": str, "second_theme": str},
        )
        for chunk in reader:
            missing = {"doc", "kind", "text", "theme", "confidence", "uncertain"} - set(chunk)
            if missing:
                raise InputError(path, f"missing column(s) {', '.join(sorted(missing))}", 1)
            if chunk["uncertain"].dtype != bool:
                chunk["uncertain"] = chunk["uncertain"].astype(str).str.lower().isin(["true", "1"])
            yield chunk
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise InputError(path, f"cannot be read: {exc}") from exc


def build_report(
    classified: str | Path,
    documents: Iterable[Any],
    out_dir: str | Path,
    theme_ids: Sequence[str],
    counted_kinds: Iterable[str],
    confusion: pd.DataFrame | None = None,
    per_theme: int = 3,
    review_limit: int = 200,
    chunk_rows: int = CHUNK_ROWS,
    quiet: bool = True,
) -> Summary:
    """Stream classified units into units.csv and the counts; write theme_counts.csv."""
    out_dir = Path(out_dir)
    provenance = Provenance(documents)
    counted_kinds = list(counted_kinds)
    tally = Tally(review_limit)
    with atomic_write(out_dir / "units.csv") as handle:
        header = True
        chunks = read_classified_chunks(classified, chunk_rows)
        for chunk in progress(chunks, "report", None, quiet, unit="chunk"):
            units = provenance.attach(counted_units(chunk, counted_kinds))
            units.to_csv(handle, index=False, header=header, lineterminator="\n")
            header = False
            tally.add(units)
        if header:
            pd.DataFrame(columns=list(UNIT_COLUMNS)).to_csv(handle, index=False)
    summary = tally.summary(theme_ids, confusion, per_theme)
    summary.n_documents_read = len(provenance.by_doc)
    write_csv(summary.counts, out_dir / "theme_counts.csv")
    write_csv(summary.over_time, out_dir / "theme_over_time.csv")
    return summary


def uncertain_units(units_csv: str | Path, chunk_rows: int = CHUNK_ROWS) -> Iterator[pd.DataFrame]:
    """All uncertain units of a written units.csv, in chunks (for the review sheet)."""
    for chunk in pd.read_csv(
        units_csv, keep_default_na=False, chunksize=chunk_rows, dtype={"text": str, "doc": str}
    ):
        flags = chunk["uncertain"]
        if flags.dtype != bool:
            flags = flags.astype(str).str.lower().isin(["true", "1"])
        yield chunk[flags]


def format_count_table(counts: pd.DataFrame, themes: Sequence[Theme], language: str = "nb") -> str:
    """The overall counts as a plain-text table for the terminal."""
    words = TEXTS[language]
    style = Style(language)
    name = {theme.id: getattr(theme, language) for theme in themes}
    overall = counts[counts["level"] == "all"]
    width = max(len(n) for n in name.values()) + 2
    lines = [
        f"{words['theme']:<{width}}{words['count']:>8}{words['share']:>8}  "
        f"{words['interval']:<16}{words['adjusted']}"
    ]
    for row in overall.itertuples():
        lines.append(
            f"{name.get(row.theme, row.theme):<{width}}{style.num(row.count):>8}"
            f"{style.pct(row.share):>8}  {style.pct_range(row.ci_low, row.ci_high):<16}"
            f"{style.pct(row.adjusted_share)}"
        )
    return "\n".join(lines)
