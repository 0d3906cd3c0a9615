"""`tema suggest`: uncertain, varied units spread over meetings and themes."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from tema.config import load_config
from tema.labels.exchange import read_incoming_file
from tema.labels.suggest import (
    SuggestSettings,
    candidate_units,
    select,
    suggest,
    suggestion_id,
)
from tema.labels.suggestion_files import write_suggestions

REPO = Path(__file__).resolve().parent.parent
THEMES = load_config(REPO / "params.yaml").themes


def settings(n: int) -> SuggestSettings:
    """n picks with the weights these tests were written for (those of params.yaml)."""
    return SuggestSettings(n=n, diversity_weight=0.5, meeting_weight=0.3)


def units(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"doc": doc, "unit": n, "kind": kind, "text": text, "repeat_of": np.nan}
            for n, (doc, kind, text) in enumerate(rows)
        ]
    )


def test_candidates_are_counted_unlabelled_and_unique():
    frame = units(
        [
            ("a", "sentence", "Flere boliger til store familier i byen"),
            ("a", "heading", "Bolig"),  # not a counted kind
            ("b", "sentence", "Flere boliger til store familier i byen!"),  # same text
            ("b", "bullet", "Norskkurs på kveldstid for dem som er i jobb"),  # labelled
            ("b", "answer", "Norskkurs på kveldstid for dem som er i jobb."),  # near copy
            ("c", "answer", "Idrettslaget trenger flere trenere"),
            ("c", "answer", "Noe som ble sagt i et annet dokument først"),
        ]
    )
    frame.loc[6, "repeat_of"] = 3.0  # as `tema.io.tables.read_frame` reads it: NaN or a number
    kept = candidate_units(
        frame, ["norskkurs på kveldstid for dem som er i jobb"], ["sentence", "bullet", "answer"]
    )
    assert kept["text"].tolist() == [
        "Flere boliger til store familier i byen",
        "Idrettslaget trenger flere trenere",
    ]


def test_select_goes_round_themes_meetings_and_skips_near_copies():
    texts = [
        "Kommunen bør kjøpe flere små leiligheter",
        "Kommunen bør kjøpe flere små leiligheter i sentrum",  # nearly the one above
        "Norskkurs på kveldstid for dem som jobber",
        "Arbeidsgivere må tørre å ansette",
        "Idrettslaget trenger trenere",
        "Fordommer møter vi overalt",
        "Lunsjen var god",
        "Startlån til unge familier",
    ]
    frame = pd.DataFrame(
        {"text": texts, "meeting": ["m1", "m1", "m1", "m1", "m2", "m2", "m2", "m2"]}
    )
    uncertainty = np.array([0.9, 0.89, 0.8, 0.7, 0.3, 0.2, 0.6, 0.1])
    guessed = np.array(["a", "a", "a", "a", "a", "b", "b", "b"], dtype=object)
    picked = select(frame, uncertainty, guessed, settings(4))
    assert len(picked) == len(set(picked)) == 4
    assert set(guessed[picked]) == {"a", "b"}  # both themes
    assert set(frame["meeting"].iloc[picked]) == {"m1", "m2"}  # both meetings
    assert 0 in picked and 1 not in picked  # the near copy loses to something new
    assert select(frame, uncertainty, guessed, settings(50)) != []
    assert len(select(frame, uncertainty, guessed, settings(50))) == 8


def classified(rows: list[tuple[str, str, str]], sections: list[str] | None = None) -> pd.DataFrame:
    """What `tema classify` writes for `rows`: a housing guess where the text says
    "bolig", with its confidence read in context as the report counted it."""
    frame = units(rows)
    housing = frame["text"].str.contains("bolig")
    frame["section"] = sections or ""
    frame["theme"] = np.where(housing, "housing", "other")
    frame["confidence"] = np.where(housing, 0.55, 0.9)
    frame["second_theme"] = np.where(housing, "other", "")
    frame["uncertain"] = housing
    return frame


def test_suggest_writes_csv_xlsx_and_label_studio_that_import_reads(tmp_path: Path):
    frame = classified(
        [
            ("a", "sentence", "Startlån og boliger for unge"),
            ("b", "sentence", "Møtet ble avsluttet med kaffe"),
            ("b", "sentence", "Kommunale boliger må pusses opp"),
        ]
    )
    out = suggest(frame, [], ["sentence"], settings(3), meetings={"a": "Bodø", "b": "Tromsø"})
    assert out["label"].tolist()[0] == "housing"  # the guess is pre-filled
    assert set(out["meeting"]) == {"Bodø", "Tromsø"}
    assert out["id"].tolist()[0] == suggestion_id(out["text"].tolist()[0])
    paths = write_suggestions(out, tmp_path / "s" / "next.csv", THEMES, "abc123")
    assert {p.name for p in paths.values()} == {
        "next.csv",
        "next.xlsx",
        "next.labelstudio.json",
        "next.labelstudio.xml",
    }
    sheet = load_workbook(paths["xlsx"]).worksheets[0]
    assert [cell.value for cell in sheet[1]][:3] == ["id", "text", "label"]
    tasks = json.loads(paths["label_studio"].read_text(encoding="utf-8"))
    assert tasks[0]["predictions"][0]["result"][0]["value"]["choices"] == ["Bolig"]
    assert 'name="second_theme"' in paths["label_studio_config"].read_text(encoding="utf-8")
    # An annotator who accepts the guesses: each exported file reads back as labels.
    for path in (paths["csv"], paths["xlsx"]):
        rows = read_incoming_file(path, THEMES).rows
        assert [r.label for r in rows] == out["label"].tolist()
    for task in tasks:  # Label Studio: predictions become annotations once accepted
        task["annotations"] = task.pop("predictions")
    accepted = tmp_path / "export.json"
    accepted.write_text(json.dumps(tasks), encoding="utf-8")
    rows = read_incoming_file(accepted, THEMES).rows
    assert [(r.label, r.second_label) for r in rows] == list(
        zip(out["label"], out["second_label"], strict=True)
    )


def test_suggested_text_that_looks_like_a_formula_stays_text_and_imports(tmp_path: Path):
    frame = classified([("a", "sentence", "=1+2 boliger i hver bydel")])
    out = suggest(frame, [], ["sentence"], settings(1))
    paths = write_suggestions(out, tmp_path / "next.csv", THEMES)
    cell = load_workbook(paths["xlsx"]).worksheets[0]["B2"]
    assert (cell.value, cell.data_type) == ("=1+2 boliger i hver bydel", "s")
    rows = read_incoming_file(paths["xlsx"], THEMES).rows
    assert [(r.text, r.label) for r in rows] == [("=1+2 boliger i hver bydel", "housing")]


def test_suggest_offers_what_classify_counted_with_the_section_to_read_it_by():
    frame = classified(
        [
            ("s", "answer", "Mer av det"),
            ("s", "answer", "Flere kommunale boliger"),
            ("s", "answer", "Takk for møtet"),
        ],
        sections=["Hva mener du om boligtilbudet?", "Hva mener du om boligtilbudet?", ""],
    )
    # Read with its question, "Mer av det" was counted as housing, and not surely.
    frame.loc[0, ["theme", "confidence", "second_theme"]] = ["housing", 0.51, ""]
    out = suggest(frame, [], ["answer"], settings(3)).set_index("text")
    assert out.loc["Mer av det", ["label", "model_confidence", "section"]].tolist() == [
        "housing",
        0.51,
        "Hva mener du om boligtilbudet?",
    ]
    assert out.loc["Mer av det", "uncertainty"] == pytest.approx(0.49)
    # The least sure of a theme is offered first.
    assert out.index[0] == "Mer av det"


def test_nothing_to_suggest_gives_an_empty_table():
    frame = classified([("a", "heading", "Bolig")])
    out = suggest(frame, [], ["sentence"], settings(5))
    assert out.empty and "label" in out.columns


def test_the_settings_come_from_params_and_n_from_the_command_line():
    labels = load_config(REPO / "params.yaml").labels
    assert SuggestSettings.from_config(labels) == SuggestSettings(
        n=labels.suggest_n,
        diversity_weight=labels.diversity_weight,
        meeting_weight=labels.meeting_weight,
    )
    assert SuggestSettings.from_config(labels, n=7).n == 7


def test_a_unit_longer_than_an_excel_cell_cannot_be_labelled_on_its_cut_text(
    tmp_path: Path, tiny_labeled_dir: Path
):
    """A survey answer is one unit of any length; an Excel cell holds 32,767 characters."""
    from openpyxl import load_workbook as load

    from tema.errors import InputError
    from tema.labels.importing import import_labels

    long_answer = " ".join(f"Kommunale boliger nr. {n} må pusses opp." for n in range(1200))
    frame = classified([("a", "answer", long_answer), ("a", "answer", "Flere boliger i sentrum")])
    out = suggest(frame, [], ["answer"], settings(2))
    paths = write_suggestions(out, tmp_path / "next.csv", THEMES)
    workbook = load(paths["xlsx"])
    sheet = workbook["suggestions"]
    by_id = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    cut = by_id[suggestion_id(long_answer)]
    # cut to fit, saying so, and not pre-filled: the label is set where the whole text is
    assert len(cut[1].value) == 32_767 and cut[1].value.endswith("label it there]")
    assert long_answer.startswith(cut[1].value[:32_000])
    assert (cut[2].value, cut[3].value) == (None, None)
    assert pd.read_csv(paths["csv"])["text"].str.len().max() == len(long_answer)
    labeled, conflicts = tiny_labeled_dir, tmp_path / "conflicts.csv"
    # as written: the cut unit is unlabelled, the other imports
    result = import_labels(paths["xlsx"], labeled, THEMES, "kari", conflicts)
    assert result.added["text"].tolist() == ["Flere boliger i sentrum"]
    assert result.unlabelled == 1
    # an annotator who labels the cut text anyway: refused, naming the row; nothing written
    cut[2].value = "housing"
    workbook.save(tmp_path / "kari.xlsx")
    before = sorted(labeled.iterdir())
    with pytest.raises(InputError, match=r"kari\.xlsx, line \d: the text is not the text of"):
        import_labels(tmp_path / "kari.xlsx", labeled, THEMES, "kari", conflicts)
    assert sorted(labeled.iterdir()) == before
    # … and labelled on the whole text (Label Studio), it imports under its id
    tasks = json.loads(paths["label_studio"].read_text(encoding="utf-8"))
    for task in tasks:
        task["annotations"] = task.pop("predictions")
    (tmp_path / "export.json").write_text(json.dumps(tasks), encoding="utf-8")
    result = import_labels(tmp_path / "export.json", labeled, THEMES, "kari", conflicts)
    assert result.added["text"].tolist() == [long_answer]
    assert result.added["source_id"].tolist() == [suggestion_id(long_answer)]


def test_the_xlsx_offers_and_reads_the_norwegian_theme_names(tmp_path: Path):
    # Before: the workbook's drop-down held the ids ("housing") and Excel refused a theme
    # typed by its Norwegian name ("Bolig"), which `tema labels import` reads.
    frame = classified([("a", "sentence", "Startlån og boliger for unge")])
    out = suggest(frame, [], ["sentence"], settings(1))
    paths = write_suggestions(out, tmp_path / "next.csv", THEMES)
    workbook = load_workbook(paths["xlsx"])
    sheet = workbook.worksheets[0]
    assert (sheet["C2"].value, sheet["D2"].value) == ("Bolig", "Annet")
    (rule, _) = sheet.data_validations.dataValidation
    listed = workbook["themes"][rule.formula1.split("!")[1].replace("$", "")]
    assert [cell.value for (cell,) in listed] == [theme.nb for theme in THEMES]
    assert rule.errorStyle == "warning"  # an id or an English name can still be typed
    sheet["C2"] = "Frivillig sektor"
    workbook.save(tmp_path / "kari.xlsx")
    rows = read_incoming_file(tmp_path / "kari.xlsx", THEMES).rows
    assert [(r.label, r.second_label) for r in rows] == [("voluntary", "other")]


def test_label_studio_shows_the_themes_by_their_norwegian_names(tmp_path: Path):
    # Before: the interface's choices were the ids ("housing"), the Norwegian name only a
    # hint; an annotator now picks "Bolig", and the import reads it as housing.
    frame = classified([("a", "sentence", "Startlån og boliger for unge")])
    out = suggest(frame, [], ["sentence"], settings(1))
    paths = write_suggestions(out, tmp_path / "next.csv", THEMES)
    interface = paths["label_studio_config"].read_text(encoding="utf-8")
    assert '<Choice value="Bolig" hint="Housing"/>' in interface
    tasks = json.loads(paths["label_studio"].read_text(encoding="utf-8"))
    guesses = [item["value"]["choices"] for item in tasks[0]["predictions"][0]["result"]]
    assert guesses == [["Bolig"], ["Annet"]]
    for task in tasks:  # the guesses accepted as they stand
        task["annotations"] = task.pop("predictions")
    accepted = tmp_path / "export.json"
    accepted.write_text(json.dumps(tasks), encoding="utf-8")
    rows = read_incoming_file(accepted, THEMES).rows
    assert [(r.label, r.second_label) for r in rows] == [("housing", "other")]


def test_label_studio_reads_an_interface_whose_theme_names_hold_xml_characters():
    # Before: a name with "&" or a quote went into the XML as it stood, and Label Studio
    # refused the interface as not well-formed.
    from xml.etree import ElementTree

    from tema.config import Theme
    from tema.labels.label_studio import label_studio_config

    themes = [
        Theme(id="work", nb="Arbeid & inkludering", en='Work "and" inclusion'),
        Theme(id="other", nb="Annet", en="Other"),
    ]
    view = ElementTree.fromstring(label_studio_config(themes))
    choices = [(c.get("value"), c.get("hint")) for c in view.iter("Choice")]
    assert choices[:2] == [("Arbeid & inkludering", 'Work "and" inclusion'), ("Annet", "Other")]
