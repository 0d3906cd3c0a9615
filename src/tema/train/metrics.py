"""Quality measures shared by training, evaluation and the benchmarks."""

from __future__ import annotations

import numpy as np
from sklearn.metrics import f1_score


def expected_calibration_error(
    confidence: np.ndarray, correct: np.ndarray, bins: int = 10
) -> float:
    """Mean gap between stated confidence and observed accuracy, weighted by bin size."""
    confidence = np.asarray(confidence, dtype=float)
    correct = np.asarray(correct, dtype=float)
    if len(confidence) == 0:
        return float("nan")
    edges = np.linspace(0.0, 1.0, bins + 1)
    which = np.clip(np.digitize(confidence, edges[1:-1], right=True), 0, bins - 1)
    error = 0.0
    for b in range(bins):
        members = which == b
        if members.any():
            error += members.mean() * abs(confidence[members].mean() - correct[members].mean())
    return float(error)


def calibration_table(confidence: np.ndarray, correct: np.ndarray, bins: int = 10) -> list[dict]:
    """Per confidence bin: mean confidence, observed accuracy and size (for the plot)."""
    confidence = np.asarray(confidence, dtype=float)
    correct = np.asarray(correct, dtype=float)
    edges = np.linspace(0.0, 1.0, bins + 1)
    which = np.clip(np.digitize(confidence, edges[1:-1], right=True), 0, bins - 1)
    table = []
    for b in range(bins):
        members = which == b
        if members.any():
            table.append(
                {
                    "confidence": round(float(confidence[members].mean()), 4),
                    "accuracy": round(float(correct[members].mean()), 4),
                    "units": int(members.sum()),
                }
            )
    return table


def _interval(value: float | np.ndarray, samples: np.ndarray, level: float) -> dict[str, float]:
    tail = (1.0 - level) / 2.0
    return {
        "value": round(float(value), 4),
        "ci_low": round(float(np.nanquantile(samples, tail)), 4),
        "ci_high": round(float(np.nanquantile(samples, 1.0 - tail)), 4),
    }


def _scores_from_confusion(confusion: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per-class F1, macro-F1 and accuracy for a stack of confusion matrices (…, k, k)."""
    true_positive = np.diagonal(confusion, axis1=-2, axis2=-1)
    predicted = confusion.sum(axis=-2)
    actual = confusion.sum(axis=-1)
    denominator = predicted + actual
    f1 = np.where(denominator > 0, 2 * true_positive / np.maximum(denominator, 1), 0.0)
    accuracy = true_positive.sum(axis=-1) / np.maximum(confusion.sum(axis=(-2, -1)), 1)
    return f1, f1.mean(axis=-1), accuracy


def classification_scores(
    truth,
    predicted,
    labels: list[str],
    *,
    resamples: int = 1000,
    seed: int = 0,
    level: float = 0.95,
) -> dict:
    """Macro-F1, accuracy and per-label F1, each with a percentile bootstrap interval.

    Resampling units and recounting one confusion matrix per resample is what makes
    a thousand resamples take milliseconds rather than seconds.
    """
    index = {label: i for i, label in enumerate(labels)}
    k = len(labels)
    truth_codes = np.array([index.get(t, -1) for t in truth])
    predicted_codes = np.array([index.get(p, -1) for p in predicted])
    known = (truth_codes >= 0) & (predicted_codes >= 0)
    cells = truth_codes[known] * k + predicted_codes[known]
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, len(cells), (resamples, len(cells)))
    offsets = np.arange(resamples)[:, None] * (k * k)
    stacked = np.bincount((cells[picks] + offsets).ravel(), minlength=resamples * k * k)
    f1, macro, accuracy = _scores_from_confusion(stacked.reshape(resamples, k, k))
    full_f1, full_macro, full_accuracy = _scores_from_confusion(
        np.bincount(cells, minlength=k * k).reshape(k, k)
    )
    return {
        "macro_f1": _interval(full_macro, macro, level),
        "accuracy": _interval(full_accuracy, accuracy, level),
        "per_theme_f1": {
            label: _interval(full_f1[i], f1[:, i], level) for i, label in enumerate(labels)
        },
    }


def calibration_error_interval(
    confidence, correct, *, resamples: int = 1000, seed: int = 0, level: float = 0.95
) -> dict[str, float]:
    """Expected calibration error with a percentile bootstrap interval."""
    confidence = np.asarray(confidence, dtype=float)
    correct = np.asarray(correct, dtype=float)
    rng = np.random.default_rng(seed)
    samples = np.array(
        [
            expected_calibration_error(confidence[pick], correct[pick])
            for pick in rng.integers(0, len(confidence), (resamples, len(confidence)))
        ]
    )
    return _interval(expected_calibration_error(confidence, correct), samples, level)


def macro_f1(labels: list[str]):
    """Macro-F1 over a fixed label set, so a theme that is never predicted still counts."""

    def score(truth, predicted) -> float:
        return f1_score(truth, predicted, labels=labels, average="macro", zero_division=0)

    return score


def choose_uncertainty_threshold(
    confidence: np.ndarray, correct: np.ndarray, target_precision: float
) -> float:
    """Lowest confidence cut at which units at or above it are right ≥ target_precision.

    Scans cuts from the most confident unit down and keeps the lowest cut that still
    meets the target, so as few units as possible are flagged for review.
    """
    confidence = np.asarray(confidence, dtype=float)
    correct = np.asarray(correct, dtype=float)
    order = np.argsort(-confidence, kind="stable")
    running_accuracy = np.cumsum(correct[order]) / np.arange(1, len(order) + 1)
    meets = np.flatnonzero(running_accuracy >= target_precision)
    if len(meets) == 0:
        return 1.0
    return round(float(confidence[order][meets[-1]]), 4)
