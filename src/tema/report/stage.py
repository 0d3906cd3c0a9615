"""Stage `report`: theme counts per document, meeting and region, with examples.

Only units of the counted kinds (sentences, bullet items and survey answers) count as
input; headings, pull quotes, captions, links and noise do not, and neither does a pull
quote that repeats body text.

The classified units are streamed in chunks (`build_report`), so a batch of any size runs
in bounded memory: each chunk gets its provenance (meeting, region, date, page, survey
row), is appended to `units.csv` and is added to running counts (`Tally`). What the HTML
and Excel reports need besides the counts is kept bounded too: the best example
candidates per theme and the least confident uncertain units.

Every share carries a 95% Wilson interval, and `adjusted_share` corrects the raw share for
the classifier's known confusions (adjusted classify-and-count): with C[i, j] the
cross-validated P(predicted j | true i), observed shares q satisfy q = p C, so the
estimate of the true shares is p = q C⁻¹, clipped at 0 and renormalised.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import norm

from tema.errors import InputError
from tema.params import Theme

LEVELS = ("all", "region", "meeting", "document")
# Imported (user-labelled) units needed before their confusions replace the team's.
MIN_IMPORTED_UNITS = 60
# `period` rows (shares over time) are kept apart from the four levels of theme_counts.
PERIOD = "period"
COUNT_COLUMNS = (
    "level", "key", "theme", "count", "share", "ci_low", "ci_high", "adjusted_share", "uncertain",
)  # fmt: skip
UNIT_COLUMNS = (
    "doc", "meeting", "region", "date", "page", "row", "unit", "start", "end", "kind",
    "section", "text", "theme", "confidence", "second_theme", "uncertain", "metadata",
)  # fmt: skip
PROVENANCE_COLUMNS = ("doc", "meeting", "region", "date")
ALL_KEY = "alle"
UNKNOWN_KEY = "(ukjent)"
CHUNK_ROWS = 50_000
# Candidates kept per theme while streaming, from which the examples are chosen.
EXAMPLE_CANDIDATES = 60


# --- which units count ----------------------------------------------------------------------
def counted_units(classified: pd.DataFrame, counted_kinds: Iterable[str]) -> pd.DataFrame:
    """The units that count as input: of a counted kind and not a repeat of other text."""
    keep = classified["kind"].isin(list(counted_kinds))
    if "repeat_of" in classified.columns:
        keep &= classified["repeat_of"].isna()
    return classified[keep].reset_index(drop=True)


# --- intervals and adjustment ---------------------------------------------------------------
def wilson_interval(
    count: np.ndarray, total: np.ndarray, level: float = 0.95
) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for a share; stays inside [0, 1] even for small groups."""
    z = norm.ppf(0.5 + level / 2.0)
    count = np.asarray(count, dtype=float)
    total = np.asarray(total, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(total > 0, count / total, 0.0)
        centre = (share + z * z / (2 * total)) / (1 + z * z / total)
        half = (
            z
            * np.sqrt(share * (1 - share) / total + z * z / (4 * total * total))
            / (1 + z * z / total)
        )
    # The interval always contains the share; min/max only undo floating-point rounding.
    low = np.minimum(np.nan_to_num(centre - half), share)
    high = np.maximum(np.nan_to_num(centre + half, nan=1.0), share)
    return np.clip(low, 0, 1), np.clip(high, 0, 1)


def confusion_from_cv(cv_predictions: pd.DataFrame, theme_ids: Sequence[str]) -> pd.DataFrame:
    """P(predicted | true) from cross-validated predictions (columns `label`, `theme`).

    Rows are true themes, columns predicted themes. A theme without labelled units gets
    an identity row (no correction is possible for it).
    """
    missing = {"label", "theme"} - set(cv_predictions.columns)
    if missing:
        raise InputError("cv_predictions", f"missing column(s) {', '.join(sorted(missing))}")
    table = pd.crosstab(cv_predictions["label"], cv_predictions["theme"])
    table = table.reindex(index=list(theme_ids), columns=list(theme_ids), fill_value=0)
    matrix = table.to_numpy(dtype=float)
    totals = matrix.sum(axis=1, keepdims=True)
    identity = np.eye(len(theme_ids))
    matrix = np.where(totals > 0, matrix / np.where(totals > 0, totals, 1), identity)
    return pd.DataFrame(matrix, index=list(theme_ids), columns=list(theme_ids))


def confusion_for_correction(
    cv_predictions: pd.DataFrame, theme_ids: Sequence[str]
) -> pd.DataFrame:
    """The confusions the report corrects shares with, and (in ``attrs["basis"]``) where
    they come from.

    Confusions measured on the team's own writing are optimistic for real input (grouped
    CV accuracy ≈ 0.9 against ≈ 0.8 on real reports), so once users have labelled at
    least MIN_IMPORTED_UNITS units of their own batches (`tema labels import`, column
    `origin` "imported"), their cross-validated predictions give the confusions instead
    (basis "imported"); before that, all labelled units do (basis "team").
    """
    imported = (
        cv_predictions[cv_predictions["origin"] == "imported"]
        if "origin" in cv_predictions.columns
        else cv_predictions.iloc[:0]
    )
    basis = "imported" if len(imported) >= MIN_IMPORTED_UNITS else "team"
    confusion = confusion_from_cv(imported if basis == "imported" else cv_predictions, theme_ids)
    confusion.attrs["basis"] = basis
    confusion.attrs["units"] = len(imported) if basis == "imported" else len(cv_predictions)
    return confusion


def adjust_shares(observed: np.ndarray, confusion: np.ndarray) -> np.ndarray:
    """True-share estimates from observed shares (rows): p = q C⁻¹, clipped, renormalised."""
    observed = np.atleast_2d(np.asarray(observed, dtype=float))
    adjusted = np.clip(observed @ np.linalg.pinv(confusion), 0.0, None)
    sums = adjusted.sum(axis=1, keepdims=True)
    return np.where(sums > 0, adjusted / np.where(sums > 0, sums, 1), observed)


# --- counting -------------------------------------------------------------------------------
def _keys(units: pd.DataFrame, level: str) -> pd.Series:
    if level == "all":
        return pd.Series(ALL_KEY, index=units.index)
    column = "doc" if level == "document" else level
    if column not in units.columns:
        return pd.Series(UNKNOWN_KEY, index=units.index)
    return units[column].fillna("").astype(str).replace("", UNKNOWN_KEY)


def raw_counts(units: pd.DataFrame, levels: Sequence[str] = LEVELS) -> pd.DataFrame:
    """Counts and uncertain counts per level, key and theme (no shares yet)."""
    frames = []
    for level in levels:
        grouped = units.assign(key=_keys(units, level), _u=units["uncertain"].astype(int))
        table = grouped.groupby(["key", "theme"], sort=False).agg(
            count=("theme", "size"), uncertain=("_u", "sum")
        )
        frames.append(table.reset_index().assign(level=level))
    if not frames:
        return pd.DataFrame(columns=["level", "key", "theme", "count", "uncertain"])
    return pd.concat(frames, ignore_index=True)[["level", "key", "theme", "count", "uncertain"]]


def finish_counts(
    raw: pd.DataFrame, theme_ids: Sequence[str], confusion: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The long count table: every theme for every key, with share, interval and adjusted."""
    theme_ids = list(theme_ids)
    frames = []
    levels = [lvl for lvl in (*LEVELS, PERIOD) if lvl in set(raw["level"])]
    for level in levels:
        part = raw[raw["level"] == level]
        counts = part.pivot_table(
            index="key", columns="theme", values="count", aggfunc="sum", fill_value=0
        ).reindex(columns=theme_ids, fill_value=0)
        uncertain = part.pivot_table(
            index="key", columns="theme", values="uncertain", aggfunc="sum", fill_value=0
        ).reindex(index=counts.index, columns=theme_ids, fill_value=0)
        totals = counts.sum(axis=1).to_numpy(dtype=float)[:, None]
        shares = np.where(totals > 0, counts.to_numpy() / np.where(totals > 0, totals, 1), 0.0)
        if confusion is None:
            adjusted = np.full(shares.shape, np.nan)
        else:
            adjusted = adjust_shares(shares, confusion.loc[theme_ids, theme_ids].to_numpy())
        low, high = wilson_interval(counts.to_numpy(), np.broadcast_to(totals, shares.shape))
        keys = np.repeat(counts.index.to_numpy(dtype=object), len(theme_ids))
        frames.append(
            pd.DataFrame(
                {
                    "level": level,
                    "key": keys,
                    "theme": np.tile(theme_ids, len(counts)),
                    "count": counts.to_numpy().ravel().astype(int),
                    "share": shares.ravel().round(4),
                    "ci_low": low.ravel().round(4),
                    "ci_high": high.ravel().round(4),
                    "adjusted_share": adjusted.ravel().round(4),
                    "uncertain": uncertain.to_numpy().ravel().astype(int),
                }
            )
        )
    if not frames:
        return pd.DataFrame(columns=list(COUNT_COLUMNS))
    return pd.concat(frames, ignore_index=True)[list(COUNT_COLUMNS)]


def theme_counts(
    units: pd.DataFrame, theme_ids: Sequence[str], confusion: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Long table: for every level and key, each theme's count, share and 95% interval."""
    return finish_counts(raw_counts(units), theme_ids, confusion)


def period_of(dates: Iterable[str]) -> tuple[str, int] | None:
    """How to group dates over time: ("year", 4), ("month", 7), ("date", 10) or None."""
    dates = {d for d in dates if d}
    for name, width in (("year", 4), ("month", 7), ("date", 10)):
        if len({d[:width] for d in dates}) > 1:
            return name, width
    return None


def representative_examples(
    units: pd.DataFrame, theme_ids: Sequence[str], per_theme: int
) -> pd.DataFrame:
    """The most confident, not uncertain units of each theme, one per document where possible."""
    confident = units[~units["uncertain"].astype(bool)].sort_values(
        "confidence", ascending=False, kind="stable"
    )
    picks = []
    for theme in theme_ids:
        of_theme = confident[confident["theme"] == theme]
        spread = of_theme.drop_duplicates("doc")
        picks.append(pd.concat([spread, of_theme.drop(spread.index)]).head(per_theme))
    return pd.concat(picks) if picks else units.head(0)


# --- streaming ------------------------------------------------------------------------------
@dataclass
class Batch:
    """Where the counted input came from, and when the report was made."""

    made: datetime
    input_dir: str = ""
    n_files: int = 0  # files in the batch: documents read + files skipped
    n_skipped: int = 0


@dataclass
class Summary:
    """Everything the HTML and Excel reports show, small whatever the batch size."""

    counts: pd.DataFrame
    over_time: pd.DataFrame
    period: str | None
    examples: pd.DataFrame
    review: pd.DataFrame
    n_units: int
    n_documents: int
    n_uncertain: int
    confusion: pd.DataFrame | None = None
    skipped: list[dict[str, str]] = field(default_factory=list)
    # Documents read by ingest (also those without counted units); None when not known.
    n_documents_read: int | None = None
    batch: Batch | None = None


class Tally:
    """Running counts over chunks of counted units with provenance."""

    def __init__(self, review_limit: int = 200) -> None:
        self.counts: Counter = Counter()
        self.uncertain: Counter = Counter()
        self.documents: set[str] = set()
        self.n_units = 0
        self.n_uncertain = 0
        self.review_limit = review_limit
        self.candidates: pd.DataFrame | None = None
        self.review: pd.DataFrame | None = None

    def add(self, units: pd.DataFrame) -> None:
        if units.empty:
            return
        units = units.assign(uncertain=units["uncertain"].astype(bool))
        levels = (*LEVELS, PERIOD) if "date" in units.columns else LEVELS
        dated = units.assign(period=units["date"]) if "date" in units.columns else units
        raw = raw_counts(dated, levels)
        for row in raw.itertuples(index=False):
            self.counts[(row.level, row.key, row.theme)] += int(row.count)
            self.uncertain[(row.level, row.key, row.theme)] += int(row.uncertain)
        self.documents.update(units["doc"].astype(str).unique())
        self.n_units += len(units)
        self.n_uncertain += int(units["uncertain"].sum())
        confident = units[~units["uncertain"]]
        top = (
            confident.sort_values("confidence", ascending=False, kind="stable")
            .groupby("theme", sort=False)
            .head(EXAMPLE_CANDIDATES)
        )
        self.candidates = _keep_top(self.candidates, top, "confidence", False, EXAMPLE_CANDIDATES)
        unsure = units[units["uncertain"]].nsmallest(self.review_limit, "confidence")
        self.review = _keep_top(self.review, unsure, "confidence", True, None, self.review_limit)

    def raw(self) -> pd.DataFrame:
        rows = [
            (level, key, theme, count, self.uncertain[(level, key, theme)])
            for (level, key, theme), count in self.counts.items()
        ]
        return pd.DataFrame(rows, columns=["level", "key", "theme", "count", "uncertain"])

    def summary(
        self, theme_ids: Sequence[str], confusion: pd.DataFrame | None, per_theme: int
    ) -> Summary:
        raw = self.raw()
        if raw.empty:
            raw = pd.DataFrame(
                [("all", ALL_KEY, theme, 0, 0) for theme in theme_ids],
                columns=["level", "key", "theme", "count", "uncertain"],
            )
        dated = raw[(raw["level"] == PERIOD) & (raw["key"] != UNKNOWN_KEY)]
        period = period_of(dated["key"])
        over_time = pd.DataFrame(columns=list(COUNT_COLUMNS))
        if period is not None:
            grouped = dated.assign(key=dated["key"].str[: period[1]])
            over_time = finish_counts(grouped, theme_ids, confusion)
        counts = finish_counts(raw[raw["level"] != PERIOD], theme_ids, confusion)
        candidates = self.candidates if self.candidates is not None else pd.DataFrame()
        examples = (
            representative_examples(candidates, theme_ids, per_theme)
            if not candidates.empty
            else candidates
        )
        review = self.review if self.review is not None else pd.DataFrame()
        if not review.empty:
            review = review.sort_values("confidence", kind="stable").reset_index(drop=True)
        return Summary(
            counts=counts,
            over_time=over_time,
            period=period[0] if period else None,
            examples=examples,
            review=review,
            n_units=self.n_units,
            n_documents=len(self.documents),
            n_uncertain=self.n_uncertain,
            confusion=confusion,
        )


def _keep_top(
    kept: pd.DataFrame | None,
    new: pd.DataFrame,
    column: str,
    ascending: bool,
    per_theme: int | None,
    limit: int | None = None,
) -> pd.DataFrame:
    frames = [frame for frame in (kept, new) if frame is not None and not frame.empty]
    if not frames:
        return new
    both = pd.concat(frames, ignore_index=True).sort_values(
        column, ascending=ascending, kind="stable"
    )
    if per_theme is not None:
        both = both.groupby("theme", sort=False).head(per_theme)
    if limit is not None:
        both = both.head(limit)
    return both.reset_index(drop=True)


def summarise(
    units: pd.DataFrame,
    theme_ids: Sequence[str],
    confusion: pd.DataFrame | None = None,
    per_theme: int = 3,
    review_limit: int = 200,
) -> Summary:
    """The summary of counted units held in memory (small batches, tests)."""
    tally = Tally(review_limit)
    tally.add(units)
    return tally.summary(theme_ids, confusion, per_theme)


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
    from tema.io.files import atomic_write, write_csv
    from tema.progress import progress

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


def format_count_table(counts: pd.DataFrame, themes: list[Theme], language: str = "nb") -> str:
    """The overall counts as a plain-text table for the terminal."""
    from tema.numbers import Style
    from tema.report.words import TEXTS

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
