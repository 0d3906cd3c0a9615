"""Counting: theme counts per level and group, with shares, intervals and corrected shares.

Only units of the counted kinds (sentences, bullet items and survey answers) count as
input; headings, pull quotes, captions, links, noise and table rows without input do
not, and neither does a pull quote that repeats body text (`counted_units`).

`Tally` adds up chunks of counted units, so a batch of any size is counted in bounded
memory; besides the counts it keeps only the best example candidates per theme and the
least confident uncertain units, which is all the HTML and Excel reports need
(`tema.report.summary.Summary`). Each share's 95% interval and its correction for the
classifier's known confusions are `tema.report.shares`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from tema.report.shares import adjust_shares, wilson_interval
from tema.report.summary import Summary

LEVELS = ("all", "region", "meeting", "document")
# `period` rows (shares over time) are kept apart from the four levels of theme_counts.
PERIOD = "period"
COUNT_COLUMNS = (
    "level", "key", "theme", "count", "share", "ci_low", "ci_high", "adjusted_share", "uncertain",
)  # fmt: skip
RAW_COLUMNS = ["level", "key", "theme", "count", "uncertain"]
ALL_KEY = "alle"
UNKNOWN_KEY = "(ukjent)"
# Candidates kept per theme while streaming, from which the examples are chosen.
EXAMPLE_CANDIDATES = 60


# --- which units count ----------------------------------------------------------------------
def counted_units(classified: pd.DataFrame, counted_kinds: Iterable[str]) -> pd.DataFrame:
    """The units that count as input: of a counted kind and not a repeat of other text."""
    keep = classified["kind"].isin(list(counted_kinds))
    if "repeat_of" in classified.columns:
        keep &= classified["repeat_of"].isna()
    return classified[keep].reset_index(drop=True)


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
        return pd.DataFrame(columns=RAW_COLUMNS)
    return pd.concat(frames, ignore_index=True)[RAW_COLUMNS]


def finish_counts(
    raw: pd.DataFrame, theme_ids: Sequence[str], confusion: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The long count table: every theme for every key, with share, interval and adjusted."""
    theme_ids = list(theme_ids)
    levels = [lvl for lvl in (*LEVELS, PERIOD) if lvl in set(raw["level"])]
    frames = [
        _level_counts(raw[raw["level"] == level], level, theme_ids, confusion) for level in levels
    ]
    if not frames:
        return pd.DataFrame(columns=list(COUNT_COLUMNS))
    return pd.concat(frames, ignore_index=True)[list(COUNT_COLUMNS)]


def _level_counts(
    part: pd.DataFrame, level: str, theme_ids: list[str], confusion: pd.DataFrame | None
) -> pd.DataFrame:
    """The rows of one level of the long count table."""
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
    return pd.DataFrame(
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


def theme_counts(
    units: pd.DataFrame, theme_ids: Sequence[str], confusion: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Long table: for every level and key, each theme's count, share and 95% interval."""
    return finish_counts(raw_counts(units), theme_ids, confusion)


def period_of(dates: Iterable[str]) -> tuple[str, int] | None:
    """How to group dates over time: ("year", 4), ("month", 7), ("date", 10) or None."""
    given = {d for d in dates if d}
    for name, width in (("year", 4), ("month", 7), ("date", 10)):
        if len({d[:width] for d in given}) > 1:
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
class Tally:
    """Running counts over chunks of counted units with provenance."""

    def __init__(self, review_limit: int = 200) -> None:
        self.counts: Counter[tuple[str, str, str]] = Counter()
        self.uncertain: Counter[tuple[str, str, str]] = Counter()
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
        return pd.DataFrame(rows, columns=RAW_COLUMNS)

    def summary(
        self, theme_ids: Sequence[str], confusion: pd.DataFrame | None, per_theme: int
    ) -> Summary:
        raw = self.raw()
        if raw.empty:
            raw = pd.DataFrame(
                [("all", ALL_KEY, theme, 0, 0) for theme in theme_ids], columns=RAW_COLUMNS
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
        undated = raw[(raw["level"] == PERIOD) & (raw["key"] == UNKNOWN_KEY)]
        return Summary(
            counts=counts,
            over_time=over_time,
            period=period[0] if period else None,
            n_undated=int(undated["count"].sum()),
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
