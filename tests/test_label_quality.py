"""`tema labels audit` and `tema labels agreement`."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from tema.cli import app
from tema.labels.quality import agreement, audit, kappa

REPO = Path(__file__).resolve().parent.parent
THEMES = ["a", "b", "c"]


def oof_frame(n: int = 90, flipped: tuple[int, ...] = (3, 17, 40)) -> pd.DataFrame:
    """Out-of-fold probabilities of a good model; the units in `flipped` carry a wrong label."""
    rng = np.random.default_rng(0)
    truth = np.array(THEMES * (n // 3))
    probabilities = rng.dirichlet([1, 1, 1], size=n) * 0.2
    for i, label in enumerate(truth):
        probabilities[i, THEMES.index(label)] += 0.8
    labels = truth.copy()
    for i in flipped:
        labels[i] = THEMES[(THEMES.index(truth[i]) + 1) % 3]
    frame = pd.DataFrame(probabilities, columns=[f"p_{t}" for t in THEMES])
    frame.insert(0, "label", labels)
    frame.insert(0, "text", [f"tekst {i}" for i in range(n)])
    frame.insert(0, "id", [f"u{i}" for i in range(n)])
    frame["batch"] = "b1"
    return frame


def test_audit_finds_the_flipped_labels_and_where_they_live():
    oof = oof_frame()
    labeled = pd.DataFrame(
        {
            "id": oof["id"],
            "annotator": "kari",
            "file": "data/labeled/x.csv",
            "line": range(2, len(oof) + 2),
        }
    )
    flagged = audit(oof, labeled)
    assert set(flagged["id"]) == {"u3", "u17", "u40"}
    assert flagged["rank"].tolist() == [1, 2, 3]
    assert (flagged["p_label"] < flagged["p_suggested"]).all()
    row = flagged.set_index("id").loc["u3"]
    assert row["where"] == "data/labeled/x.csv, line 5" and row["annotator"] == "kari"
    assert row["suggested_label"] == "a"


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        (["a", "b", "a", "b"], ["a", "b", "a", "b"], 1.0),
        (["a", "a", "b", "b"], ["a", "b", "a", "b"], 0.0),
        (["a", "b", "a", "b"], ["b", "a", "b", "a"], -1.0),
        # 0.7 observed, 0.5 by chance
        (list("aaaaabbbbb"), list("aaaabbbbba"), (0.8 - 0.5) / 0.5),
    ],
)
def test_kappa_known_values(first, second, expected):
    assert kappa(np.array(first), np.array(second)) == pytest.approx(expected)


def test_kappa_is_undefined_when_only_one_label_is_used():
    assert math.isnan(kappa(np.array(["a", "a"]), np.array(["a", "a"])))


def test_agreement_per_theme_and_overall_on_shared_units():
    first = pd.DataFrame(
        {"text": ["En", "To", "Tre", "Fire", "Bare hos A"], "label": ["a", "b", "c", "a", "b"]}
    )
    second = pd.DataFrame(
        {"text": ["en.", "To", "Tre", "Fire", "Bare hos B"], "label": ["a", "b", "c", "b", "c"]}
    )
    table, disagreements = agreement(first, second, THEMES, resamples=200)
    overall = table.set_index("theme").loc["overall"]
    assert overall["units"] == 4 and overall["agreement"] == 0.75
    assert overall["ci_low"] <= overall["kappa"] <= overall["ci_high"]
    assert table.set_index("theme").loc["c", "kappa"] == 1.0
    assert disagreements.to_dict("records") == [{"text": "Fire", "label_a": "a", "label_b": "b"}]


def test_agreement_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "params.yaml").write_text(
        (REPO / "params.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    rows = [
        ("Flere boliger", "housing", "housing"),
        ("Mer norsk", "education", "education"),
        ("Rasisme", "discrimination", "other"),
        ("Lunsj", "other", "other"),
    ]
    for name, column in (("a.csv", 1), ("b.csv", 2)):
        lines = ["text,label"] + [f"{r[0]},{r[column]}" for r in rows]
        (tmp_path / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(
        app, ["labels", "agreement", "a.csv", "b.csv", "-o", "disagree.csv"]
    )
    assert result.exit_code == 0, result.output
    assert "4 units labelled by both" in result.output
    assert "1 disagreement(s)" in result.output
    assert "housing" in result.output and (tmp_path / "disagree.csv").is_file()
