"""The comparisons the promotion gate and `tema compare-models` use: both models scored on
the same units (paired bootstrap), on the units both cross-validations shared, or by cards."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tema.train.comparisons import compare_cards, compare_on_units, shared_oof_comparison
from tema.train.promote import judge
from tema.train.verdict import format_comparison

THEMES = ["a", "b", "c"]


def test_paired_comparison_on_the_same_units():
    truth = np.array(list("aabbcc") * 10, dtype=object)
    current = truth.copy()
    current[:12] = "c"  # the current model gets some a and b wrong
    result = compare_on_units(truth, current, truth, THEMES, "x", "y", seed=1, resamples=300)
    assert result.macro["candidate"] == 1.0 and result.macro["current"] < 1.0
    assert result.macro["change_ci_low"] > 0  # a clear gain, even paired-bootstrapped
    assert result.per_theme["c"]["support"] == 20
    assert result.n_units == 60
    assert not judge(result, 0.05)
    backwards = compare_on_units(truth, truth, current, THEMES, "x", "y", resamples=300)
    assert judge(backwards, 0.05)
    assert "95% CI of change" in format_comparison(result)


def test_shared_oof_uses_only_units_with_the_same_text_and_label():
    current = pd.DataFrame(
        {
            "id": ["1", "2", "3", "4"],
            "text": ["t1", "t2", "t3", "t4"],
            "label": ["a", "b", "a", "b"],
            "theme": ["a", "b", "b", "b"],
        }
    )
    candidate = pd.DataFrame(
        {
            "id": ["1", "2", "3", "4", "5"],
            "text": ["t1", "t2", "t3", "t4 changed", "t5"],
            "label": ["a", "b", "a", "b", "a"],
            "theme": ["a", "b", "a", "a", "a"],
        }
    )
    result = shared_oof_comparison(current, candidate, ["a", "b"], seed=0, resamples=50)
    assert result is not None and result.n_units == 3
    assert result.macro["candidate"] == 1.0


def test_card_comparison_says_the_label_sets_differ():
    def card(value: float, sha: str, n: int) -> dict:
        score = {"value": value, "ci_low": value - 0.02, "ci_high": value + 0.02}
        return {
            "training_data_sha256": sha,
            "n_training_units": n,
            "cross_validation": {"macro_f1": score, "per_theme_f1": {t: score for t in THEMES}},
        }

    result = compare_cards(card(0.8, "x", 100), card(0.85, "y", 150), THEMES)
    assert "100 vs 150 units: not the same test" in result.description
    assert result.per_theme["a"]["change"] == pytest.approx(0.05)
    assert not judge(result, 0.05)
    assert "0.85" in format_comparison(result)
