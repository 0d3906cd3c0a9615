from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import accuracy_score, f1_score

from tema.train.metrics import (
    calibration_table,
    choose_uncertainty_threshold,
    classification_scores,
    expected_calibration_error,
)


def test_classification_scores_agree_with_scikit_learn():
    rng = np.random.default_rng(3)
    labels = ["a", "b", "c"]
    truth = rng.choice(labels, 300)
    predicted = np.where(rng.random(300) < 0.7, truth, rng.choice(labels, 300))
    scores = classification_scores(truth, predicted, labels, resamples=200)
    assert scores["macro_f1"]["value"] == pytest.approx(
        f1_score(truth, predicted, average="macro"), abs=1e-4
    )
    assert scores["accuracy"]["value"] == pytest.approx(accuracy_score(truth, predicted), abs=1e-4)
    for label in labels:
        interval = scores["per_theme_f1"][label]
        assert interval["ci_low"] <= interval["value"] <= interval["ci_high"]


def test_a_theme_never_predicted_scores_zero():
    scores = classification_scores(["a", "b"], ["a", "a"], ["a", "b", "c"], resamples=10)
    assert scores["per_theme_f1"]["b"]["value"] == 0.0


@pytest.mark.parametrize(
    ("confidence", "correct", "expected"),
    [
        ([0.9, 0.9], [1, 1], 0.1),
        ([0.5, 0.5], [1, 0], 0.0),
        ([1.0, 1.0], [0, 0], 1.0),
    ],
)
def test_expected_calibration_error(confidence, correct, expected):
    error = expected_calibration_error(np.array(confidence), np.array(correct))
    assert error == pytest.approx(expected)


def test_calibration_table_counts_every_unit():
    table = calibration_table(np.array([0.15, 0.95, 0.92]), np.array([0, 1, 1]))
    assert sum(row["units"] for row in table) == 3


@pytest.mark.parametrize(
    ("confidence", "correct", "target", "threshold"),
    [
        ([0.9, 0.8, 0.7, 0.6], [1, 1, 0, 0], 0.9, 0.8),  # cut below the last right answer
        ([0.9, 0.8, 0.7, 0.6], [1, 1, 1, 1], 0.9, 0.6),  # everything right: flag nothing
        ([0.9, 0.8], [0, 0], 0.9, 1.0),  # nothing reaches the target
        ([0.9, 0.8, 0.7, 0.6], [1, 0, 1, 1], 0.75, 0.6),  # running precision 3/4 at the end
    ],
)
def test_uncertainty_threshold_is_the_lowest_cut_meeting_the_target(
    confidence, correct, target, threshold
):
    chosen = choose_uncertainty_threshold(np.array(confidence), np.array(correct), target)
    assert chosen == threshold
