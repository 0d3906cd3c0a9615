"""`tema labels agreement`: how far two annotators who labelled the same units agree.

Cohen's kappa, overall and per theme (theme vs. not that theme), with bootstrap 95%
intervals; units are matched on their normalised text.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from tema.config import Config
from tema.errors import InputError, TemaError
from tema.io.files import write_csv
from tema.labels.exchange import read_annotations
from tema.labels.store import normalise_for_comparison


def kappa(first: np.ndarray, second: np.ndarray) -> float:
    """Cohen's kappa; NaN when chance agreement is total (both gave one label only)."""
    first, second = np.asarray(first), np.asarray(second)
    if len(first) == 0:
        return float("nan")
    categories = np.unique(np.concatenate([first, second]))
    observed = float(np.mean(first == second))
    expected = float(sum(np.mean(first == c) * np.mean(second == c) for c in categories))
    if expected >= 1.0:
        return float("nan")
    return (observed - expected) / (1.0 - expected)


def _interval(values: list[float]) -> tuple[float, float]:
    finite = np.asarray([v for v in values if np.isfinite(v)])
    if len(finite) == 0:
        return float("nan"), float("nan")
    low, high = np.percentile(finite, [2.5, 97.5])
    return float(low), float(high)


def paired_units(first: pd.DataFrame, second: pd.DataFrame) -> pd.DataFrame:
    """The units both annotators labelled (matched on normalised text)."""
    a = first.assign(key=first["text"].map(normalise_for_comparison))
    b = second.assign(key=second["text"].map(normalise_for_comparison))
    a = a.drop_duplicates("key")
    b = b.drop_duplicates("key")
    return a[["key", "text", "label"]].merge(b[["key", "label"]], on="key", suffixes=("_a", "_b"))


def agreement(
    first: pd.DataFrame,
    second: pd.DataFrame,
    themes: list[str],
    seed: int = 0,
    resamples: int = 1000,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Kappa overall and per theme with 95% bootstrap intervals; and the disagreements."""
    pairs = paired_units(first, second)
    if pairs.empty:
        raise TemaError("the two files have no unit (text) in common")
    a = pairs["label_a"].to_numpy(dtype=str)
    b = pairs["label_b"].to_numpy(dtype=str)
    rng = np.random.default_rng(seed)
    samples = [rng.integers(0, len(a), len(a)) for _ in range(resamples)]

    def row(name: str, x: np.ndarray, y: np.ndarray, n_labelled: int) -> dict[str, Any]:
        low, high = _interval([kappa(x[s], y[s]) for s in samples])
        return {
            "theme": name,
            "kappa": round(kappa(x, y), 4),
            "ci_low": round(low, 4),
            "ci_high": round(high, 4),
            "agreement": round(float(np.mean(x == y)), 4),
            "units": n_labelled,
        }

    rows = [row("overall", a, b, len(a))]
    for theme in themes:
        rows.append(row(theme, a == theme, b == theme, int(np.sum((a == theme) | (b == theme)))))
    table = pd.DataFrame(rows)
    disagreements = pairs[pairs["label_a"] != pairs["label_b"]][["text", "label_a", "label_b"]]
    return table, disagreements.reset_index(drop=True)


def format_agreement(table: pd.DataFrame, n_units: int, names: tuple[str, str]) -> str:
    lines = [
        f"Cohen's kappa, {names[0]} vs {names[1]}, {n_units} units labelled by both "
        "(95% bootstrap intervals; per theme: that theme vs. the rest)",
        f"{'theme':<16}{'kappa':>8}  {'95% CI':<15}{'agree':>7}{'units':>7}",
    ]
    for r in table.itertuples(index=False):
        interval = f"{r.ci_low:.2f}–{r.ci_high:.2f}" if np.isfinite(r.ci_low) else "–"
        value = f"{r.kappa:.3f}" if np.isfinite(r.kappa) else "n/a"
        lines.append(f"{r.theme:<16}{value:>8}  {interval:<15}{r.agreement:>7.2f}{r.units:>7}")
    return "\n".join(lines)


@dataclass(frozen=True)
class AgreementResult:
    """Kappa per theme, the disagreements, the units both labelled, where the list went."""

    table: pd.DataFrame
    disagreements: pd.DataFrame
    n_units: int
    output: Path | None


def run(config: Config, first: Path, second: Path, output: Path | None = None) -> AgreementResult:
    """Compare two annotators' files (any import format); write the disagreements to
    `output` if given."""
    a = read_annotations(first, config.themes)
    b = read_annotations(second, config.themes)
    if paired_units(a, b).empty:
        raise InputError(first, f"has no unit (text) in common with {second}")
    table, disagreements = agreement(a, b, config.theme_ids)
    if output is not None:
        write_csv(disagreements, output)
    return AgreementResult(table, disagreements, int(table.iloc[0]["units"]), output)
