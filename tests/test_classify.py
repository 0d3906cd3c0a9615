from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from conftest import TINY_LABELED
from tema.classify import classify_units, read_table_units
from tema.errors import InputError
from tema.model import ThemeClassifier, ThemeModel


@pytest.fixture(scope="module")
def model() -> ThemeModel:
    texts = [text for texts in TINY_LABELED.values() for text in texts]
    labels = [label for label, texts in TINY_LABELED.items() for _ in texts]
    classifier = ThemeClassifier(calibration_folds=2).fit(texts, labels)
    return ThemeModel(classifier, {"uncertainty_threshold": 0.3, "second_theme_threshold": 0.3})


def test_one_output_row_per_input_row_in_order(tmp_path: Path, model: ThemeModel):
    table = tmp_path / "svar.tsv"
    table.write_text(
        "respondent\tsvar\tkommune\n1\tFlere kommunale boliger\tBodø\n"
        "2\t\tAlta\n3\tArbeidsgivere må ansette flere\tHamar\n",
        encoding="utf-8",
    )
    units = read_table_units(table, "svar")
    classified = classify_units(units, model)
    assert classified["unit"].tolist() == [0, 1, 2]
    assert classified["kommune"].tolist() == ["Bodø", "Alta", "Hamar"]  # metadata kept
    assert classified["doc"].unique().tolist() == ["svar.tsv"]
    assert classified.loc[0, "theme"] == "housing"
    assert classified.loc[2, "theme"] == "employers"
    assert bool(classified.loc[1, "uncertain"])  # an empty answer cannot be sorted


def test_missing_text_column_lists_the_columns(tmp_path: Path):
    table = tmp_path / "svar.csv"
    table.write_text("id,answer\n1,Hei\n", encoding="utf-8")
    with pytest.raises(InputError, match="looked for 'svar'; the columns are 'id', 'answer'"):
        read_table_units(table, "svar")


def test_classify_keeps_unit_columns(model: ThemeModel):
    units = pd.DataFrame(
        {
            "doc": ["a.txt"] * 2,
            "unit": [0, 1],
            "kind": ["heading", "bullet"],
            "text": ["Bolig", "Startlån til flere"],
        }
    )
    classified = classify_units(units, model)
    assert list(classified.columns[:4]) == ["doc", "unit", "kind", "text"]
    assert {"theme", "confidence", "second_theme", "uncertain"} <= set(classified.columns)


def test_a_unit_without_a_theme_of_its_own_is_read_with_its_neighbours(model: ThemeModel):
    # "Det tar ofte over ett år." names no theme; between two housing sentences, the card's
    # context weights make it housing. Without them it is whatever its own words suggest.
    units = pd.DataFrame(
        {
            "doc": ["notat.txt"] * 4,
            "unit": [0, 1, 2, 3],
            "kind": ["heading", "sentence", "sentence", "sentence"],
            "text": ["Bolig", "Flere kommunale boliger til flyktninger",
                     "Det tar ofte over ett år.", "Startlån og bostøtte til flere familier"],
        }
    )
    with_context = ThemeModel(
        model.classifier,
        {**model.card, "context": {"reach": 2, "neighbour_weight": 1.5, "heading_weight": 0.5,
                                   "temperature": 0.5}},
    )
    assert classify_units(units, with_context).loc[2, "theme"] == "housing"
    alone = model.predict(["Det tar ofte over ett år."])
    assert classify_units(units, model).loc[2, "theme"] == alone.loc[0, "theme"]
    # A table of answers has no reading order: each answer keeps its own theme.
    answers = units.drop(columns=["doc", "kind"])
    assert classify_units(answers, with_context).loc[2, "theme"] == alone.loc[0, "theme"]


def test_the_least_confident_units_of_a_batch_are_flagged_until_the_rest_is_sure(
    model: ThemeModel,
):
    known = [text for texts in TINY_LABELED.values() for text in texts][:12]
    texts = [*known, "Vi snakket om mye forskjellig", "Det var en fin dag", "Takk for sist"]
    units = pd.DataFrame({"doc": "svar.csv", "unit": range(len(texts)), "text": texts})
    strict = ThemeModel(
        model.classifier, {**model.card, "flagging": {"until_accuracy": 0.99, "max_share": 0.2}}
    )
    flagged = classify_units(units, strict)
    # At most 20 % (rounded up) are set aside, and they are the least confident ones.
    assert flagged["uncertain"].sum() == 3
    assert flagged.loc[flagged["uncertain"], "confidence"].max() <= (
        flagged.loc[~flagged["uncertain"], "confidence"].min()
    )
    assert classify_units(units, model)["uncertain"].sum() < 3
