"""Checking the labels themselves: likely mislabelled units, and agreement between annotators.

`audit` uses confident learning (Northcutt et al., via `cleanlab.filter.find_label_issues`)
on the out-of-fold probabilities of `tema train`: a unit is flagged when the model,
never trained on it, is confidently sure it belongs to another theme than its label,
beyond what the per-theme confusion rates make expected. Flagged units are candidates
for a second look, not errors: the review file says where each lives.

`agreement` gives Cohen's kappa between two annotators who labelled the same units,
overall and per theme (theme vs. not that theme), with bootstrap 95% intervals.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from tema.errors import TemaError
from tema.labels.store import normalise_for_comparison

AUDIT_COLUMNS = (
    "rank",
    "id",
    "text",
    "label",
    "suggested_label",
    "p_label",
    "p_suggested",
    "batch",
    "annotator",
    "where",
    "decision",
)


def audit(oof: pd.DataFrame, labeled: pd.DataFrame | None = None) -> pd.DataFrame:
    """Likely mislabelled units, most suspicious first (lowest probability of their label)."""
    from cleanlab.filter import find_label_issues

    classes = sorted(column[2:] for column in oof.columns if column.startswith("p_"))
    if not classes:
        raise TemaError("the cross-validated predictions have no p_<theme> columns")
    unknown = sorted(set(oof["label"]) - set(classes))
    if unknown:
        raise TemaError(f"labels without a probability column: {', '.join(unknown)}")
    probabilities = oof[[f"p_{theme}" for theme in classes]].to_numpy(dtype=float)
    probabilities = probabilities / probabilities.sum(axis=1, keepdims=True)
    given = np.searchsorted(classes, oof["label"].to_numpy(dtype=str))
    issues = find_label_issues(
        labels=given, pred_probs=probabilities, return_indices_ranked_by="self_confidence"
    )
    rows = np.asarray(issues, dtype=int)
    suggested = probabilities[rows].argmax(axis=1)
    where = pd.Series("", index=oof.index)
    annotator = pd.Series("", index=oof.index)
    if labeled is not None and len(labeled):
        known = labeled.set_index("id")
        ids = oof["id"].astype(str)
        found = ids.isin(known.index)
        where[found] = [f"{known.at[i, 'file']}, line {known.at[i, 'line']}" for i in ids[found]]
        annotator[found] = [known.at[i, "annotator"] for i in ids[found]]
    return pd.DataFrame(
        {
            "rank": np.arange(1, len(rows) + 1),
            "id": oof["id"].to_numpy()[rows],
            "text": oof["text"].to_numpy()[rows] if "text" in oof else "",
            "label": oof["label"].to_numpy()[rows],
            "suggested_label": np.asarray(classes, dtype=object)[suggested],
            "p_label": np.round(probabilities[rows, given[rows]], 4),
            "p_suggested": np.round(probabilities[rows, suggested], 4),
            "batch": oof["batch"].to_numpy()[rows] if "batch" in oof else "",
            "annotator": annotator.to_numpy()[rows],
            "where": where.to_numpy()[rows],
            "decision": "",
        },
        columns=list(AUDIT_COLUMNS),
    )


# --------------------------------------------------------------------------- agreement


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

    def row(name: str, x: np.ndarray, y: np.ndarray, n_labelled: int) -> dict:
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
