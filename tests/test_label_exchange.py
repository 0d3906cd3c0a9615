"""tema.labels.exchange: every format of an annotator's file, read and validated."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tema.errors import InputError
from tema.labels.exchange import read_incoming_file
from test_label_import import (
    NEW,
    THEMES,
    WRITERS,
    label_studio_export,
    label_studio_min,
    write_csv_file,
)


@pytest.mark.parametrize("fmt", sorted(WRITERS))
def test_every_format_reads_text_label_and_second_label(tmp_path: Path, fmt: str):
    path = WRITERS[fmt](tmp_path / "in", NEW)
    read = read_incoming_file(path, THEMES)
    assert [(r.text, r.label, r.second_label) for r in read.rows] == NEW
    assert read.unlabelled == 0


def test_json_errors_name_the_task(tmp_path: Path):
    path = label_studio_export(tmp_path / "ls.json", [("Tekst om skole", "skole", "")])
    with pytest.raises(InputError, match=r"task 1 \(id 1\): unknown theme 'skole'"):
        read_incoming_file(path, THEMES)
    broken = tmp_path / "bad.jsonl"
    broken.write_text('{"text": "a", "label": ["housing"]}\n{"text": \n', encoding="utf-8")
    with pytest.raises(InputError) as error:
        read_incoming_file(broken, THEMES)
    assert error.value.line == 2


def test_a_json_file_that_is_no_label_studio_export_is_refused(tmp_path: Path):
    # Before: read as one task without text or labels, "0 new", and exit 0.
    path = tmp_path / "noe.json"
    path.write_text('{"a": 1}', encoding="utf-8")
    with pytest.raises(InputError, match="task 1: neither 'data' nor 'text'"):
        read_incoming_file(path, THEMES)


def test_a_task_id_given_twice_names_both_tasks(tmp_path: Path):
    path = label_studio_min(tmp_path / "ls.json", [NEW[0], NEW[1]])
    tasks = json.loads(path.read_text(encoding="utf-8"))
    tasks[1]["id"] = tasks[0]["id"]
    path.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    twice = r"task 2 \(id 0\): duplicate id '0' \(also at task 1 \(id 0\)\)"
    with pytest.raises(InputError, match=twice):
        read_incoming_file(path, THEMES)


def test_display_names_blank_and_unlabelled_rows(tmp_path: Path):
    path = write_csv_file(
        tmp_path / "names.csv",
        [
            {"text": "Flere kommunale boliger", "label": "Bolig"},
            {"text": "Frivillige driver leksehjelp", "label": "voluntary sector"},
            {"text": "", "label": ""},
            {"text": "Ikke merket ennå", "label": ""},
        ],
    )
    read = read_incoming_file(path, THEMES)
    assert [r.label for r in read.rows] == ["housing", "voluntary"]
    assert read.unlabelled == 1


# How annotators write a theme in a file edited by hand (LABELS.md's headings, Excel's
# non-breaking spaces, words without æ ø å) → the theme id it means.
WRITTEN_THEMES = [
    ("Utdannings- og kvalifiseringsløpet", "education"),  # LABELS.md's heading
    ("utdannings- og kvalifiseringslopet", "education"),  # without ø
    ("Utdannings og kvalifiseringsløpet", "education"),  # hyphen left out
    ("Frivillig\u00a0sektor", "voluntary"),  # Excel's non-breaking space
    ("Frivillig  sektor", "voluntary"),  # two spaces
    ("Holdninger og  diskriminering ", "discrimination"),
    (" bolig ", "housing"),
    ("ANNET", "other"),
]


@pytest.mark.parametrize(("written", "theme"), WRITTEN_THEMES)
def test_a_theme_is_read_as_annotators_write_it(tmp_path: Path, written: str, theme: str):
    # Before: "unknown theme 'Utdannings- og kvalifiseringsløpet'", the heading LABELS.md
    # gives the theme, and a name with Excel's non-breaking space, stopped the import.
    path = write_csv_file(tmp_path / "kari.csv", [{"text": "Tekst", "label": written}])
    rows = read_incoming_file(path, THEMES).rows
    assert [r.label for r in rows] == [theme]


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("Frivilig sektor", "Frivillig sektor"),
        ("Boilg", "Bolig"),
        ("educaton", "education"),
        ("Arbeidsgiver", "Arbeidsgivere"),
        ("Utdanning", "Utdanning og kvalifisering"),  # one word of one theme's name
        ("diskriminering", "Holdninger og diskriminering"),
    ],
)
def test_a_misspelt_theme_names_the_theme_it_is_closest_to(
    tmp_path: Path, written: str, meant: str
):
    path = write_csv_file(tmp_path / "kari.csv", [{"text": "Tekst", "label": written}])
    with pytest.raises(InputError, match=f"unknown theme '{written}' \\(did you mean '{meant}'"):
        read_incoming_file(path, THEMES)


def test_a_theme_renamed_in_params_still_reads_its_former_name(tmp_path: Path):
    """Renamed "Bolig" → "Bolig og bosetting" with `also: [Bolig]`: files labelled with the
    old name still import; without `also` the old name is refused, naming the new one."""
    renamed = [
        theme.model_copy(update={"nb": "Bolig og bosetting", "also": ("Bolig",)})
        if theme.id == "housing"
        else theme
        for theme in THEMES
    ]
    path = write_csv_file(tmp_path / "kari.csv", [{"text": "Tekst", "label": "bolig"}])
    (row,) = read_incoming_file(path, renamed).rows
    assert row.label == "housing"
    forgotten = [theme.model_copy(update={"also": ()}) for theme in renamed]
    with pytest.raises(InputError, match="did you mean 'Bolig og bosetting'"):
        read_incoming_file(path, forgotten)


def test_a_second_label_equal_to_the_label_says_to_clear_it(tmp_path: Path):
    # `tema suggest` pre-fills the model's second guess: changing `label` to it left
    # "second_label repeats label 'other'" without saying what to do.
    path = write_csv_file(
        tmp_path / "kari.csv", [{"text": "Tekst", "label": "Annet", "second_label": "other"}]
    )
    with pytest.raises(InputError, match=r"line 2: .*clear second_label"):
        read_incoming_file(path, THEMES)


def test_a_row_copied_twice_is_one_unit(tmp_path: Path):
    # Before: a row pasted twice in Excel (same id, text and label) stopped the import as
    # "duplicate id" without saying what to do; it is one unit, labelled once.
    row = {"id": "s-2be945bfb5", "text": "Flere kommunale boliger", "label": "Bolig"}
    other = {"id": "s-0000000001", "text": "Frivillige driver leksehjelp", "label": ""}
    path = write_csv_file(tmp_path / "kari.csv", [row, other, row, other])
    read = read_incoming_file(path, THEMES)
    assert [(r.text, r.label, r.where) for r in read.rows] == [
        ("Flere kommunale boliger", "housing", "line 2")
    ]
    assert (read.unlabelled, read.repeated) == (1, 2)


@pytest.mark.parametrize("again", ["housing", "bolig ", "BOLIG", "Housing"])
def test_a_row_copied_twice_with_the_theme_written_another_way_is_one_unit(
    tmp_path: Path, again: str
):
    # Before: the same id, text and theme, written "Bolig" on one row and "housing" on the
    # other, stopped the import as "duplicate id", though both rows say the same.
    first = {"id": "s-2be945bfb5", "text": "Flere kommunale boliger", "label": "Bolig"}
    path = write_csv_file(tmp_path / "kari.csv", [first, {**first, "label": again}])
    read = read_incoming_file(path, THEMES)
    assert [(r.text, r.label, r.where) for r in read.rows] == [
        ("Flere kommunale boliger", "housing", "line 2")
    ]
    assert (read.unlabelled, read.repeated) == (0, 1)


def test_an_unknown_theme_on_a_row_copied_twice_names_its_line(tmp_path: Path):
    first = {"id": "s-2be945bfb5", "text": "Flere kommunale boliger", "label": "Bolig"}
    path = write_csv_file(tmp_path / "kari.csv", [first, {**first, "label": "Boilg"}])
    with pytest.raises(InputError, match=r"unknown theme 'Boilg' \(did you mean 'Bolig'") as error:
        read_incoming_file(path, THEMES)
    assert error.value.line == 3 and str(path) in str(error.value)


def test_an_id_on_two_different_rows_says_which_to_keep(tmp_path: Path):
    rows = [
        {"id": "s-2be945bfb5", "text": "Flere kommunale boliger", "label": "Bolig"},
        {"id": "s-2be945bfb5", "text": "Flere kommunale boliger", "label": "Annet"},
    ]
    path = write_csv_file(tmp_path / "kari.csv", rows)
    with pytest.raises(InputError, match=r"line 3: duplicate id .* \(also at line 2\).*delete"):
        read_incoming_file(path, THEMES)


def test_a_renamed_column_is_named_with_the_columns_the_file_has(tmp_path: Path):
    # Before: "missing column(s) label" alone, with the column renamed `tema` in Excel.
    path = write_csv_file(tmp_path / "kari.csv", [{"id": "s-1", "text": "Tekst", "tema": "Bolig"}])
    missing = r"line 1: missing column\(s\) label; .*has id, text, tema"
    with pytest.raises(InputError, match=missing):
        read_incoming_file(path, THEMES)
