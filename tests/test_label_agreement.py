"""`tema labels agreement`: Cohen's kappa between two annotators (tema.labels.agreement)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from tema.cli.main import app
from tema.labels.agreement import agreement, kappa

REPO = Path(__file__).resolve().parent.parent
THEMES = ["a", "b", "c"]


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
    assert disagreements[["text", "label_a", "label_b"]].to_dict("records") == [
        {"text": "Fire", "label_a": "a", "label_b": "b"}
    ]


AGREEMENT_LINES = {
    "nb": (
        "Cohens kappa, a.csv mot b.csv, 4 innspill merket av begge",
        "Bolig                            1,000",
        "1 uenighet\nuenighetene → disagree.csv",
    ),
    "en": (
        "Cohen's kappa, a.csv vs b.csv, 4 units labelled by both",
        "Housing                          1.000",
        "1 disagreement\ndisagreements → disagree.csv",
    ),
}


@pytest.mark.parametrize("language", ["nb", "en"])
def test_agreement_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, language: str):
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
    command = ["--language", language, "labels", "agreement", "a.csv", "b.csv"]
    result = CliRunner().invoke(app, [*command, "-o", "disagree.csv"])
    assert result.exit_code == 0, result.output
    title, housing, ending = AGREEMENT_LINES[language]
    assert result.output.startswith(title)
    # Themes by name, numbers in the language's style.
    assert any(line.startswith(housing) for line in result.output.splitlines())
    assert result.output.endswith(ending + "\n")
    assert (tmp_path / "disagree.csv").is_file()


def test_run_compares_two_files_and_writes_the_disagreements(tmp_path: Path):
    from tema.config import load_config
    from tema.labels import agreement as stage

    config = load_config(REPO / "params.yaml")
    (tmp_path / "a.csv").write_text(
        "text,label,second_label\nFlere boliger,housing,\n"
        "Rasisme,Holdninger og diskriminering,Arbeidsgivere\n",
        encoding="utf-8",
    )
    # b's rows in another order, and with a second label only in the agreed one.
    (tmp_path / "b.csv").write_text(
        "text,label,second_label\nRasisme,other,\nFlere boliger,Bolig,employers\n",
        encoding="utf-8",
    )
    result = stage.run(config, tmp_path / "a.csv", tmp_path / "b.csv", tmp_path / "d.csv")
    assert result.n_units == 2 and result.output == tmp_path / "d.csv"
    # Each annotator's labels and row, so the two can find it in their own file.
    assert pd.read_csv(tmp_path / "d.csv", keep_default_na=False).to_dict("records") == [
        {
            "text": "Rasisme",
            "label_a": "discrimination",
            "second_label_a": "employers",
            "where_a": "line 3",
            "label_b": "other",
            "second_label_b": "",
            "where_b": "line 2",
        }
    ]
    assert stage.run(config, tmp_path / "a.csv", tmp_path / "b.csv").output is None


def test_two_files_without_a_shared_unit_are_named(tmp_path: Path):
    from tema.config import load_config
    from tema.errors import InputError
    from tema.labels import agreement as stage

    config = load_config(REPO / "params.yaml")
    (tmp_path / "kari.csv").write_text("text,label\nFlere boliger,housing\n", encoding="utf-8")
    (tmp_path / "ola.csv").write_text("text,label\nRasisme,other\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"kari\.csv: has no unit \(text\) in common with .*ola"):
        stage.run(config, tmp_path / "kari.csv", tmp_path / "ola.csv")


def write_lines(path: Path, *rows: str) -> Path:
    path.write_text("\n".join(["text,label", *rows]) + "\n", encoding="utf-8")
    return path


def test_a_text_given_twice_with_another_label_names_the_file_and_both_lines(tmp_path: Path):
    from tema.config import load_config
    from tema.errors import InputError
    from tema.labels import agreement as stage

    config = load_config(REPO / "params.yaml")
    kari = write_lines(
        tmp_path / "kari.csv",
        "Flere boliger,housing",
        "Mer norsk,education",
        "flere boliger!,other",
    )
    ola = write_lines(tmp_path / "ola.csv", "Flere boliger,housing", "Mer norsk,education")
    message = r"kari\.csv, line 4: the same text .* as line 2 with another label: 'other' here"
    with pytest.raises(InputError, match=message):
        stage.run(config, kari, ola)
    # The second file too; another second label is another label.
    kari = write_lines(kari, "Flere boliger,housing", "Mer norsk,education")
    (tmp_path / "ola.csv").write_text(
        "text,label,second_label\nMer norsk,education,\nFlere boliger,housing,\n"
        "Flere boliger,housing,employers\n",
        encoding="utf-8",
    )
    message = r"ola\.csv, line 4: .* as line 3 .*'housing' \(second label 'employers'\) here"
    with pytest.raises(InputError, match=message):
        stage.run(config, kari, ola)


@pytest.mark.parametrize(
    ("language", "line"),
    [
        ("nb", "kari.csv: 1 rad gjentok teksten og merkingen til en rad over (telt én gang)"),
        ("en", "kari.csv: 1 row repeated the text and labels of a row above (counted once)"),
    ],
)
def test_a_text_given_twice_with_the_same_label_counts_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, language: str, line: str
):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "params.yaml").write_text(
        (REPO / "params.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    write_lines(tmp_path / "kari.csv", "Ja,housing", "Mer norsk,education", "ja.,housing")
    write_lines(tmp_path / "ola.csv", "Ja,other", "Mer norsk,education")
    command = ["--language", language, "labels", "agreement", "kari.csv", "ola.csv"]
    result = CliRunner().invoke(app, command)
    assert result.exit_code == 0, result.output
    assert line in result.output.splitlines()
    assert "2 " in result.output.splitlines()[0]  # two units labelled by both, not three


def test_a_row_pasted_twice_whole_counts_in_the_repeated_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """A row given twice with its id (pasted twice in Excel) is one unit, and the closing
    line counts the repeat as it counts a text repeated without an id."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "params.yaml").write_text(
        (REPO / "params.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (tmp_path / "kari.csv").write_text(
        "id,text,label\ns-1,Ja,housing\ns-2,Mer norsk,education\ns-1,Ja,housing\n"
        "s-3,Flere boliger,housing\ns-4,flere boliger!,housing\n",
        encoding="utf-8",
    )
    write_lines(tmp_path / "ola.csv", "Ja,other", "Mer norsk,education", "Flere boliger,housing")
    command = ["--language", "en", "labels", "agreement", "kari.csv", "ola.csv"]
    result = CliRunner().invoke(app, command)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "kari.csv: 2 rows repeated the text and labels of a row above (counted once)" in lines
    assert "3 " in lines[0]  # three units labelled by both


def test_one_file_given_for_both_annotators_is_refused(tmp_path: Path):
    from tema.config import load_config
    from tema.errors import InputError
    from tema.labels import agreement as stage

    config = load_config(REPO / "params.yaml")
    kari = write_lines(tmp_path / "kari.csv", "Flere boliger,housing", "Mer norsk,education")
    (tmp_path / "runde").mkdir()
    with pytest.raises(InputError, match=r"kari\.csv: is the same file as .*kari\.csv"):
        stage.run(config, kari, tmp_path / "runde" / ".." / "kari.csv")
    # A copy under another name: kappa 1 from one person, too.
    copy = tmp_path / "ola.csv"
    copy.write_bytes(kari.read_bytes())
    with pytest.raises(InputError, match=r"ola\.csv: has exactly the content of .*kari\.csv"):
        stage.run(config, kari, copy)


def test_a_file_without_labelled_rows_is_named(tmp_path: Path):
    from tema.config import load_config
    from tema.errors import InputError
    from tema.labels import agreement as stage

    config = load_config(REPO / "params.yaml")
    kari = write_lines(tmp_path / "kari.csv", "Flere boliger,housing", "Mer norsk,education")
    ola = write_lines(tmp_path / "ola.csv", "Flere boliger,", "Mer norsk,")
    message = r"ola\.csv: holds no labelled rows \(2 rows have a text but no label yet\)"
    with pytest.raises(InputError, match=message):
        stage.run(config, kari, ola)
    with pytest.raises(InputError, match=r"^.*tom\.csv: holds no labelled rows$"):
        stage.run(config, write_lines(tmp_path / "tom.csv"), kari)


def test_the_disagreements_name_a_label_studio_task(tmp_path: Path):
    import json

    from tema.config import load_config
    from tema.labels import agreement as stage

    config = load_config(REPO / "params.yaml")

    def task(number: int, text: str, theme: str) -> dict:
        result = [{"from_name": "theme", "value": {"choices": [theme]}}]
        return {"id": number, "data": {"text": text}, "annotations": [{"result": result}]}

    tasks = [task(41, "Flere boliger", "housing"), task(42, "Mer norsk", "education")]
    (tmp_path / "kari.json").write_text(json.dumps(tasks), encoding="utf-8")
    ola = write_lines(tmp_path / "ola.csv", "Mer norsk,other", "Flere boliger,housing")
    result = stage.run(config, tmp_path / "kari.json", ola)
    assert result.disagreements[["where_a", "where_b"]].values.tolist() == [
        ["task 2 (id 42)", "line 2"]
    ]


def test_the_disagreements_never_overwrite_an_annotators_file(tmp_path: Path):
    from tema.config import load_config
    from tema.errors import InputError
    from tema.labels import agreement as stage

    config = load_config(REPO / "params.yaml")
    kari = write_lines(tmp_path / "kari.csv", "Flere boliger,housing", "Mer norsk,education")
    ola = write_lines(tmp_path / "ola.csv", "Flere boliger,other", "Mer norsk,education")
    before = ola.read_bytes()
    with pytest.raises(InputError, match=r"ola\.csv: is the second annotator's file"):
        stage.run(config, kari, ola, tmp_path / "." / "ola.csv")
    assert ola.read_bytes() == before


def test_the_disagreements_go_to_a_csv_name_only(tmp_path: Path):
    from tema.config import load_config
    from tema.errors import InputError
    from tema.labels import agreement as stage

    config = load_config(REPO / "params.yaml")
    kari = write_lines(tmp_path / "kari.csv", "Flere boliger,housing", "Mer norsk,education")
    ola = write_lines(tmp_path / "ola.csv", "Flere boliger,other", "Mer norsk,education")
    with pytest.raises(InputError, match=r"uenighet\.xlsx: the disagreements are written as CSV"):
        stage.run(config, kari, ola, tmp_path / "uenighet.xlsx")
    assert not (tmp_path / "uenighet.xlsx").exists()
    assert stage.run(config, kari, ola, tmp_path / "uenighet.CSV").output.is_file()
