"""Shares: 95% Wilson intervals, and shares corrected for the classifier's known confusions.

Every share carries a 95% Wilson interval, and `adjust_shares` corrects the raw share for
the classifier's known confusions (adjusted classify-and-count): with C[i, j] the
cross-validated P(predicted j | true i), observed shares q satisfy q = p C, so the
estimate of the true shares is p = q C⁻¹, clipped at 0 and renormalised. Which confusions
the report uses (the team's, or the users' own once there are enough) is
`confusion_for_correction`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy.stats import norm

from tema.errors import InputError

# Imported (user-labelled) units needed before their confusions replace the team's.
MIN_IMPORTED_UNITS = 60

Floats = npt.NDArray[np.float64]


def wilson_interval(count: Any, total: Any, level: float = 0.95) -> tuple[Floats, Floats]:
    """Wilson score interval for a share; stays inside [0, 1] even for small groups."""
    z = float(norm.ppf(0.5 + level / 2.0))
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


def adjust_shares(observed: Any, confusion: Any) -> Floats:
    """True-share estimates from observed shares (rows): p = q C⁻¹, clipped, renormalised."""
    observed = np.atleast_2d(np.asarray(observed, dtype=float))
    adjusted = np.clip(observed @ np.linalg.pinv(confusion), 0.0, None)
    sums = adjusted.sum(axis=1, keepdims=True)
    result: Floats = np.where(sums > 0, adjusted / np.where(sums > 0, sums, 1), observed)
    return result
