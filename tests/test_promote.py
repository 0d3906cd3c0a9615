"""The promotion gate: the rule that decides, and the check of the new labels."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tema.train.promote import check_new_labels, judge, new_units
from tema.train.verdict import Comparison, format_comparison

THEMES = ["a", "b", "c"]


def comparison(current: float, low: float, candidate: float, themes: dict) -> Comparison:
    return Comparison(
        "test",
        "",
        None,
        {
            "current": current,
            "current_ci_low": low,
            "current_ci_high": current + 0.02,
            "candidate": candidate,
            "change": candidate - current,
        },
        {
            t: {"current": old, "candidate": new, "change": new - old}
            for t, (old, new) in themes.items()
        },
    )


@pytest.mark.parametrize(
    ("macro", "themes", "reasons"),
    [
        ((0.80, 0.78, 0.82), {"a": (0.8, 0.9), "b": (0.8, 0.76)}, []),
        ((0.80, 0.78, 0.79), {"a": (0.8, 0.75)}, []),  # exactly 0.05: allowed
        ((0.80, 0.78, 0.77), {"a": (0.8, 0.8)}, ["macro-F1 0.770 is below"]),
        ((0.80, 0.78, 0.85), {"a": (0.9, 0.84)}, ["a F1 drops by 0.060"]),
        (
            (0.80, 0.78, 0.70),
            {"a": (0.9, 0.5), "b": (0.9, 0.9)},
            ["macro-F1 0.700", "a F1 drops by 0.400"],
        ),
    ],
)
def test_gate_rule(macro, themes, reasons):
    found = judge(comparison(*macro, themes), max_theme_drop=0.05)
    assert len(found) == len(reasons)
    for reason, expected in zip(found, reasons, strict=True):
        assert reason.startswith(expected)


class Guesser:
    """A 'current model' that is 80% sure of the first letter of each text."""

    class classifier:  # mimics ThemeModel.classifier
        classes_ = np.array(THEMES, dtype=object)

        @classmethod
        def predict_proba(cls, texts):
            rows = np.full((len(texts), 3), 0.1)
            for i, text in enumerate(texts):
                rows[i, THEMES.index(text[0])] = 0.8
            return rows


@pytest.mark.parametrize(
    ("wrong", "suspect"),
    [(0, False), (8, False), (20, True), (40, True)],  # of 40 new labels; 80% expected right
)
def test_new_labels_far_below_the_models_confidence_are_suspect(wrong: int, suspect: bool):
    texts = [f"{THEMES[i % 3]} tekst {i}" for i in range(40)]
    labels = [THEMES[(i + (1 if i < wrong else 0)) % 3] for i in range(40)]
    new = pd.DataFrame({"id": range(40), "text": texts, "label": labels})
    check = check_new_labels(Guesser(), new, max_shortfall=0.15, z_limit=3.0)
    assert check["expected_from_confidence"] == pytest.approx(0.8)
    assert bool(check["suspect"]) is suspect


def test_new_labels_of_a_theme_the_current_model_lacks_are_not_suspect():
    # Before: the first labels of a theme added to params.yaml never matched the current
    # model's guess (it has no such theme), so the gate held them as suspect and kept the
    # old model: a new theme could not be taken into use without --force.
    texts = [f"{THEMES[i % 3]} tekst {i}" for i in range(40)]
    labels = [THEMES[i % 3] if i < 10 else "health" for i in range(40)]
    new = pd.DataFrame({"id": range(40), "text": texts, "label": labels})
    check = check_new_labels(Guesser(), new, max_shortfall=0.15, z_limit=3.0)
    assert check["n_new_units"] == 10 and check["agree_with_current_model"] == 1.0
    assert not check["suspect"]
    only_new_theme = new.assign(label="health")
    assert check_new_labels(Guesser(), only_new_theme, max_shortfall=0.15, z_limit=3.0) is None


def test_new_units_are_those_the_current_cv_did_not_have():
    current = pd.DataFrame({"id": ["1", "2"], "text": ["a", "b"], "label": ["a", "b"]})
    candidate = pd.DataFrame(
        {"id": ["1", "2", "3"], "text": ["a", "b", "c"], "label": ["a", "c", "c"]}
    )
    assert new_units(current, candidate)["id"].tolist() == ["2", "3"]


def test_the_verdict_is_printed_in_norwegian_and_recorded_in_english():
    from tema.train.verdict import Verdict, format_verdict

    reasons = judge(comparison(0.80, 0.78, 0.70, {"a": (0.9, 0.5)}), max_theme_drop=0.05)
    verdict = Verdict(False, "rejected", reasons, comparison(0.80, 0.78, 0.70, {"a": (0.9, 0.5)}))
    record = {"candidate_model": "models/candidate/theme_classifier.skops"}
    norwegian = format_verdict(verdict, record, "nb")
    assert "IKKE TATT I BRUK" in norwegian
    assert "makro-F1 0,700 er under den gjeldende modellens 95 %-intervall" in norwegian
    assert "F1 for a faller med 0,400 (0,900 → 0,500; høyst 0,05 tillatt)" in norwegian
    assert "gjeldende" in norwegian and "NOT PROMOTED" not in norwegian
    # Norwegian numbers: a true minus for a fall, never a hyphen.
    assert "\u22120,400" in norwegian and "-0,4" not in norwegian
    english = format_verdict(verdict, record, "en")
    assert "NOT PROMOTED" in english and "a F1 drops by 0.400" in english
    # What metrics/promotion.json records stays English (and plain strings).
    assert [str(reason) for reason in reasons][1].startswith("a F1 drops by 0.400")


def test_gate_sentences_count_in_norwegian_style_and_record_plain_numbers():
    from tema.train.verdict import GateText, say

    text = GateText.make("shared_oof", n=1354)
    assert say(text, "nb").startswith("de 1 354 merkede innspillene")
    assert str(text).startswith("the 1354 labelled units")


def test_no_change_is_never_printed_as_a_negative_zero():
    table = format_comparison(comparison(0.8001, 0.78, 0.8, {"a": (0.9, 0.8999)}), "nb")
    assert "\u22120,000" not in table and "-0,000" not in table
    assert table.count("+0,000") == 2


def test_the_new_labels_line_counts_in_norwegian_style():
    from tema.train.verdict import Verdict, format_verdict

    check = {"n_new_units": 1354, "agree_with_current_model": 0.5, "expected_from_confidence": 0.6}
    verdict = Verdict(True, "promoted", [], None, new_labels=check)
    assert "nye merkinger: 1 354," in format_verdict(verdict, {}, "nb")
    assert "new labels: 1354," in format_verdict(verdict, {}, "en")
