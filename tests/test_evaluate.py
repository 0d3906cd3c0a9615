"""Stage `evaluate`: per-theme scores, plot tables and a deterministic learning curve."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from conftest import THEMES
from tema.train.evaluate import (
    calibration_rows,
    confusion_rows,
    evaluate,
    learning_curve,
    per_theme_scores,
)


@pytest.fixture(scope="module")
def trained(trained_tiny):
    return trained_tiny


def test_per_theme_scores_count_every_theme():
    truth = np.array(["a", "a", "b", "c"], dtype=object)
    predicted = np.array(["a", "b", "b", "a"], dtype=object)
    scores = per_theme_scores(truth, predicted, ["a", "b", "c"])
    assert scores["a"] == {"precision": 0.5, "recall": 0.5, "f1": 0.5, "support": 2}
    assert scores["c"]["f1"] == 0.0


def test_metrics_and_plot_tables(trained):
    labeled, model, oof = trained
    metrics = evaluate(oof, model.card, THEMES)
    assert set(metrics["per_theme"]) == set(THEMES)
    assert metrics["n_labeled"] == len(labeled)
    assert list(confusion_rows(oof).columns) == ["actual", "predicted"]
    calibration = calibration_rows(oof)
    assert calibration["units"].sum() == len(oof)


def test_learning_curve_grows_in_labels_and_is_deterministic(trained, train_settings):
    labeled = trained[0]
    first = learning_curve(labeled, THEMES, train_settings, [0.5, 1.0])
    again = learning_curve(labeled, THEMES, train_settings, [0.5, 1.0])
    pd.testing.assert_frame_equal(first, again)
    assert list(first.columns) == ["labels", "macro_f1"]
    assert first["labels"].is_monotonic_increasing
    assert first["macro_f1"].between(0, 1).all()
