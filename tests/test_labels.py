"""Labelled data is validated at the border: every error names the file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import THEMES, tiny_rows, write_labeled_csv
from tema.errors import InputError
from tema.labels.store import find_near_duplicates, load_labeled, read_label_file

GOOD = {
    "id": "a1",
    "text": "Flere lærlingplasser i kommunen",
    "label": "education",
    "second_label": "",
    "batch": "b1",
    "annotator": "x",
}


def test_bundled_labeled_data_is_valid_and_large_enough():
    labeled = load_labeled(Path("data/labeled"), THEMES)
    counts = labeled["label"].value_counts()
    assert len(labeled) >= 1800
    assert all(counts[theme] >= 250 for theme in THEMES if theme != "other")
    assert counts["other"] >= 400


def test_loads_rows_with_file_and_line(tiny_labeled_dir: Path):
    labeled = load_labeled(tiny_labeled_dir, THEMES)
    assert len(labeled) == len(tiny_rows())
    assert labeled["line"].iloc[0] == 2  # line 1 is the header
    assert labeled["file"].iloc[0].endswith("tiny.csv")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"text": "   "}, "empty text"),
        ({"label": "health"}, "unknown theme 'health'"),
        ({"second_label": "sport"}, "unknown second_label 'sport'"),
        # A label fixed by hand as a person names the theme: say ids are wanted, and where
        # to find them (before: only the list of ids).
        ({"label": "Bolig"}, "a labelled file holds theme ids, not names"),
        ({"second_label": "Annet"}, "a labelled file holds theme ids, not names"),
        ({"second_label": "education"}, "second_label repeats label"),
        ({"batch": ""}, "empty batch"),
        ({"id": ""}, "empty id"),
    ],
)
def test_bad_row_names_file_and_line(tmp_path: Path, change: dict, message: str):
    rows = [GOOD, {**GOOD, "id": "a2", "text": "Kortere ventetid på norskkurs", **change}]
    path = write_labeled_csv(tmp_path / "round1.csv", rows)
    with pytest.raises(InputError) as error:
        read_label_file(path, THEMES)
    assert error.value.line == 3
    assert str(path) in str(error.value)
    assert message in str(error.value)


def test_a_survey_round_is_read_and_an_unknown_kind_named(tmp_path: Path):
    question = {
        **GOOD,
        "text": "Hva bør endres i norskopplæringen?",
        "doc": "s1",
        "kind": "heading",
    }
    answer = {**GOOD, "id": "a2", "text": "mer tid", "doc": "s1", "kind": "answer"}
    path = write_labeled_csv(tmp_path / "survey.csv", [question, answer])
    assert read_label_file(path, THEMES)["kind"].tolist() == ["heading", "answer"]
    caption = {**answer, "kind": "caption"}
    path = write_labeled_csv(tmp_path / "bad.csv", [question, caption])
    with pytest.raises(InputError, match="kind 'caption' of a document row") as error:
        read_label_file(path, THEMES)
    assert error.value.line == 3


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("id,text,batch", r"missing column\(s\) label, second_label, annotator; expected id, "),
        # Saved by Excel in a Norwegian locale: every column is there, joined by ";".
        ("id;text;label;second_label;batch;annotator", "is separated by ';', not by commas"),
        ("id;text;label;second_label;batch;annotator;doc;kind", "is separated by ';'"),
        ("id\ttext\tlabel\tsecond_label\tbatch\tannotator", "is separated by tabs"),
        ("id;text;label;batch", r"missing column\(s\) id, text, label, second_label"),
    ],
)
def test_a_missing_column_or_another_delimiter_is_reported(
    tmp_path: Path, header: str, message: str
):
    path = tmp_path / "bad.csv"
    path.write_text(f"{header}\n1;Hei;education;;b1;x\n", encoding="utf-8")
    with pytest.raises(InputError, match=message) as error:
        read_label_file(path, THEMES)
    assert (error.value.path, error.value.line) == (str(path), 1)


@pytest.mark.parametrize(
    ("second", "message"),
    [
        ({"id": "a1", "text": "Noe helt annet om bolig"}, "duplicate id 'a1'"),
        ({"id": "a2", "text": "flere lærlingplasser i kommunen!"}, "same text as"),
        ({"id": "a2", "text": "Flere lærlingplasser i kommunene"}, "nearly the same text as"),
    ],
)
def test_duplicates_across_files_are_refused(tmp_path: Path, second: dict, message: str):
    write_labeled_csv(tmp_path / "a.csv", [GOOD])
    write_labeled_csv(tmp_path / "b.csv", [{**GOOD, **second}])
    with pytest.raises(InputError) as error:
        load_labeled(tmp_path, THEMES)
    assert message in str(error.value)
    assert "b.csv" in str(error.value) and "a.csv" in str(error.value)


def test_different_texts_are_not_near_duplicates():
    texts = ["Flere lærlingplasser i kommunen", "Bostøtte må ikke falle bort", "Velkommen"]
    assert find_near_duplicates(texts) == (None, None)


def test_empty_folder_is_an_error(tmp_path: Path):
    with pytest.raises(InputError, match=r"no labelled \.csv files"):
        load_labeled(tmp_path, THEMES)
