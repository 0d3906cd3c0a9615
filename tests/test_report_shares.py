"""tema.report.shares: 95% intervals, corrected shares and the confusions they use."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tema.report.shares import (
    MIN_IMPORTED_UNITS,
    adjust_shares,
    confusion_for_correction,
    confusion_from_cv,
    wilson_interval,
)
from test_report import THEME_IDS


@pytest.mark.parametrize(("count", "total"), [(0, 10), (10, 10), (3, 7), (0, 0)])
def test_wilson_interval_contains_the_share_and_stays_in_bounds(count: int, total: int):
    low, high = wilson_interval(np.array([count]), np.array([total]))
    share = count / total if total else 0.0
    assert 0.0 <= low[0] <= share <= high[0] <= 1.0


def test_adjusted_shares_undo_a_known_confusion():
    confusion = np.array([[0.8, 0.2, 0.0], [0.1, 0.9, 0.0], [0.0, 0.3, 0.7]])
    true = np.array([[0.5, 0.3, 0.2], [0.1, 0.1, 0.8]])
    observed = true @ confusion
    assert np.allclose(adjust_shares(observed, confusion), true)
    # Impossible observations are clipped at zero and renormalised.
    clipped = adjust_shares(np.array([0.0, 1.0, 0.0]), confusion)
    assert (clipped >= 0).all() and np.isclose(clipped.sum(), 1.0)


def test_confusion_from_cross_validated_predictions():
    oof = pd.DataFrame(
        {
            "label": ["education"] * 4 + ["housing"] * 2,
            "theme": ["education", "education", "education", "housing", "housing", "housing"],
        }
    )
    confusion = confusion_from_cv(oof, THEME_IDS)
    assert confusion.loc["education"].tolist() == [0.75, 0.25, 0.0]
    assert confusion.loc["housing"].tolist() == [0.0, 1.0, 0.0]
    assert confusion.loc["other"].tolist() == [0.0, 0.0, 1.0]  # no labels: identity


def test_the_correction_uses_the_users_own_labels_once_there_are_enough():
    team = pd.DataFrame(
        {"label": ["education"] * 10, "theme": ["education"] * 10, "origin": "team"}
    )
    # Imported (user-labelled) units of real input: the model gets half of them wrong.
    imported = pd.DataFrame(
        {
            "label": ["education"] * MIN_IMPORTED_UNITS,
            "theme": ["education", "housing"] * (MIN_IMPORTED_UNITS // 2),
            "origin": "imported",
        }
    )
    too_few = confusion_for_correction(pd.concat([team, imported[:10]]), THEME_IDS)
    assert too_few.attrs == {"basis": "team", "units": 20}
    enough = confusion_for_correction(pd.concat([team, imported]), THEME_IDS)
    assert enough.attrs == {"basis": "imported", "units": MIN_IMPORTED_UNITS}
    assert enough.loc["education"].tolist() == [0.5, 0.5, 0.0]
