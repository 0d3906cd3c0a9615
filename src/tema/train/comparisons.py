"""The comparisons the promotion gate chooses from: two models scored on the same units.

`compare_on_units` scores both models' predictions of the same labelled units (F1 per theme
and macro-F1, with paired bootstrap intervals); `holdout_comparison` and
`shared_oof_comparison` pick those units (a held-out file, or the units both
cross-validations predicted); `compare_cards` falls back on each card's own cross-validated
scores. `tema.train.promote` decides with them; `tema compare-models` shows them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from tema.errors import TemaError
from tema.labels.store import normalise_for_comparison, read_label_file
from tema.train.verdict import Comparison, GateText


def _f1_from_counts(tp: np.ndarray, fp: np.ndarray, fn: np.ndarray) -> np.ndarray:
    denominator = 2 * tp + fp + fn
    return np.divide(
        2 * tp, denominator, out=np.zeros_like(denominator, dtype=float), where=denominator > 0
    )


def _weighted_f1(
    weights: np.ndarray, truth: np.ndarray, predicted: np.ndarray, themes: list[str]
) -> np.ndarray:
    """Per-theme F1 under each row of unit weights (bootstrap counts): shape (rows, themes)."""
    tp = np.stack([weights @ ((truth == t) & (predicted == t)) for t in themes], axis=1)
    fp = np.stack([weights @ ((truth != t) & (predicted == t)) for t in themes], axis=1)
    fn = np.stack([weights @ ((truth == t) & (predicted != t)) for t in themes], axis=1)
    return _f1_from_counts(tp.astype(float), fp.astype(float), fn.astype(float))


def compare_on_units(
    truth,
    current,
    candidate,
    themes: list[str],
    basis: str,
    description: str,
    seed: int = 0,
    resamples: int = 1000,
) -> Comparison:
    """Both models' predictions of the same units: F1s with paired bootstrap intervals."""
    truth = np.asarray(truth, dtype=object)
    current = np.asarray(current, dtype=object)
    candidate = np.asarray(candidate, dtype=object)
    n = len(truth)
    rng = np.random.default_rng(seed)
    weights = np.vstack(
        [np.ones(n)] + [np.bincount(rng.integers(0, n, n), minlength=n) for _ in range(resamples)]
    )
    old = _weighted_f1(weights, truth, current, themes)
    new = _weighted_f1(weights, truth, candidate, themes)
    old_macro, new_macro = old.mean(axis=1), new.mean(axis=1)

    def interval(values: np.ndarray) -> tuple[float, float]:
        low, high = np.percentile(values[1:], [2.5, 97.5])
        return round(float(low), 4), round(float(high), 4)

    change = new_macro - old_macro
    macro = {
        "current": round(float(old_macro[0]), 4),
        "candidate": round(float(new_macro[0]), 4),
        "change": round(float(change[0]), 4),
    }
    macro["current_ci_low"], macro["current_ci_high"] = interval(old_macro)
    macro["candidate_ci_low"], macro["candidate_ci_high"] = interval(new_macro)
    macro["change_ci_low"], macro["change_ci_high"] = interval(change)
    per_theme = {}
    for index, theme in enumerate(themes):
        difference = new[:, index] - old[:, index]
        low, high = interval(difference)
        per_theme[theme] = {
            "current": round(float(old[0, index]), 4),
            "candidate": round(float(new[0, index]), 4),
            "change": round(float(difference[0]), 4),
            "change_ci_low": low,
            "change_ci_high": high,
            "support": int(np.sum(truth == theme)),
        }
    return Comparison(basis, description, n, macro, per_theme)


def compare_cards(current: dict, candidate: dict, themes: list[str]) -> Comparison:
    """Each card's own cross-validated scores (each on its own label set)."""

    def cv(card: dict) -> dict:
        try:
            return card["cross_validation"]
        except KeyError as exc:
            raise TemaError("model card without cross_validation scores") from exc

    old, new = cv(current), cv(candidate)
    macro = {
        "current": old["macro_f1"]["value"],
        "current_ci_low": old["macro_f1"]["ci_low"],
        "current_ci_high": old["macro_f1"]["ci_high"],
        "candidate": new["macro_f1"]["value"],
        "candidate_ci_low": new["macro_f1"]["ci_low"],
        "candidate_ci_high": new["macro_f1"]["ci_high"],
        "change": round(new["macro_f1"]["value"] - old["macro_f1"]["value"], 4),
    }
    per_theme = {}
    for theme in themes:
        a = old.get("per_theme_f1", {}).get(theme)
        b = new.get("per_theme_f1", {}).get(theme)
        if a is None or b is None:
            continue
        per_theme[theme] = {
            "current": a["value"],
            "current_ci_low": a["ci_low"],
            "current_ci_high": a["ci_high"],
            "candidate": b["value"],
            "candidate_ci_low": b["ci_low"],
            "candidate_ci_high": b["ci_high"],
            "change": round(b["value"] - a["value"], 4),
        }
    same_data = current.get("training_data_sha256") == candidate.get("training_data_sha256")
    description = (
        GateText.make("cards_same")
        if same_data
        else GateText.make(
            "cards_other",
            old=current.get("n_training_units"),
            new=candidate.get("n_training_units"),
        )
    )
    return Comparison("cross-validation cards", description, None, macro, per_theme)


def shared_oof_comparison(
    current_oof: pd.DataFrame,
    candidate_oof: pd.DataFrame,
    themes: list[str],
    seed: int,
    resamples: int,
) -> Comparison | None:
    """The units both cross-validations predicted, with the same text and label."""
    needed = {"id", "text", "label", "theme"}
    if not needed <= set(current_oof.columns) or not needed <= set(candidate_oof.columns):
        return None
    merged = current_oof[["id", "text", "label", "theme"]].merge(
        candidate_oof[["id", "text", "label", "theme"]],
        on=["id", "text", "label"],
        suffixes=("_current", "_candidate"),
    )
    if merged.empty or merged["label"].nunique() < 2:
        return None
    return compare_on_units(
        merged["label"],
        merged["theme_current"],
        merged["theme_candidate"],
        themes,
        "shared out-of-fold",
        GateText.make("shared_oof", n=len(merged)),
        seed,
        resamples,
    )


def holdout_comparison(
    path: Path,
    current_model: Any,
    candidate_model: Any,
    labeled: pd.DataFrame,
    themes: list[str],
    seed: int,
    resamples: int,
) -> Comparison:
    holdout = read_label_file(path, themes)
    trained_on = set(labeled["text"].map(normalise_for_comparison))
    holdout = holdout[~holdout["text"].map(normalise_for_comparison).isin(trained_on)]
    if holdout.empty:
        raise TemaError(f"{path}: every held-out unit is also in the training labels")
    texts = holdout["text"].tolist()
    return compare_on_units(
        holdout["label"],
        current_model.predict(texts)["theme"],
        candidate_model.predict(texts)["theme"],
        themes,
        "holdout",
        f"{len(holdout)} held-out units in {path} that neither model trained on",
        seed,
        resamples,
    )
