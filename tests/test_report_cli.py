"""`tema ingest` and `tema report` as a user runs them, on small files the test writes."""

from __future__ import annotations

import json
import shutil
import warnings
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from tema.classify.card import bound
from tema.cli.main import app

REPO = Path(__file__).resolve().parent.parent
runner = CliRunner()
THEMES = ["education", "employers", "discrimination", "housing", "voluntary", "other"]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copy(REPO / "params.yaml", tmp_path / "params.yaml")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write_batch(project: Path, shares: dict[str, int], year: str, folder: str = "") -> None:
    """documents.jsonl, classified.csv, a model card and CV predictions for one batch."""
    base = project / folder if folder else project
    (base / "data" / "interim").mkdir(parents=True, exist_ok=True)
    (base / "data" / "processed").mkdir(parents=True, exist_ok=True)
    documents = [
        {
            "doc": f"{name}.txt",
            "file": f"{name}.txt",
            "meeting": f"Møte {name}",
            "region": region,
            "date": f"{year}-0{month}-01",
            "text": "x" * 10_000,
            "extra": {},
        }
        for name, region, month in (("bodo", "Nord", 3), ("alta", "Nord", 4), ("oslo", "Øst", 5))
    ]
    with open(base / "data" / "interim" / "documents.jsonl", "w", encoding="utf-8") as handle:
        for document in documents:
            handle.write(json.dumps(document, ensure_ascii=False) + "\n")
    rows = []
    for theme, count in shares.items():
        for number in range(count):
            doc = documents[number % 3]["doc"]
            rows.append(
                {
                    "doc": doc,
                    "unit": len(rows),
                    "start": len(rows),
                    "end": len(rows) + 1,
                    "kind": "sentence",
                    "section": "",
                    "text": f"Innspill {theme} {number}",
                    "repeat_of": "",
                    "theme": theme,
                    "confidence": 0.9 - number / 1000,
                    "second_theme": "",
                    "uncertain": number % 10 == 0,
                }
            )
    pd.DataFrame(rows).to_csv(base / "data" / "processed" / "classified.csv", index=False)
    (project / "models").mkdir(exist_ok=True)
    card = {
        "description": "Test",
        "cross_validation": {"macro_f1": {"value": 0.87, "ci_low": 0.85, "ci_high": 0.89}},
    }
    # Bound as `tema train` binds it: the report refuses a card edited after training.
    (project / "models" / "theme_classifier.card.json").write_text(json.dumps(bound(card)))
    (project / "metrics").mkdir(exist_ok=True)
    oof = pd.DataFrame({"label": THEMES * 10, "theme": THEMES * 10})
    oof.to_csv(project / "metrics" / "cv_predictions.csv", index=False)


def test_ingest_reports_skipped_files_and_exits_zero(project: Path):
    from test_pdf import make_pdf

    raw = project / "data" / "raw"
    raw.mkdir(parents=True)
    (raw / "manifest.csv").write_text(
        "file,meeting,region,date\nbodo.txt,Bodø,Nord,2018-03-14\nskannet.pdf,Alta,Nord,\n",
        encoding="utf-8",
    )
    (raw / "bodo.txt").write_text("Vi trenger flere boliger.\n", encoding="utf-8")
    make_pdf(raw / "skannet.pdf", [[]])
    with warnings.catch_warnings():  # the command prints warnings as "warning: ..." lines
        warnings.simplefilter("always")
        result = runner.invoke(app, ["ingest", "--quiet"])
    assert result.exit_code == 0, result.output
    assert "warning: data/raw/skannet.pdf: has no text layer" in result.output
    assert "lest: 1 dokument → data/interim/documents.jsonl" in result.output
    assert "hoppet over: 1 fil (står i data/interim/skipped.csv): skannet.pdf" in result.output
    skipped = pd.read_csv(project / "data" / "interim" / "skipped.csv")
    assert skipped["file"].str.endswith("skannet.pdf").all()


@pytest.mark.parametrize(("language", "word"), [("nb", "Korrigert andel"), ("en", "Adjusted")])
def test_report_writes_every_file(project: Path, language: str, word: str):
    write_batch(project, {"housing": 30, "education": 20, "other": 10}, "2018")
    result = runner.invoke(app, ["report", "--language", language])
    assert result.exit_code == 0, result.output
    assert word in result.output  # the count table
    reports = project / "reports"
    for name in ("theme_counts.csv", "units.csv", "report.xlsx", "report.html"):
        assert (reports / name).is_file(), name
    counts = pd.read_csv(reports / "theme_counts.csv")
    assert set(counts["level"]) == {"all", "region", "meeting", "document"}
    housing = counts[(counts["level"] == "all") & (counts["theme"] == "housing")].iloc[0]
    assert (housing["count"], housing["share"], housing["adjusted_share"]) == (30, 0.5, 0.5)
    assert housing["ci_low"] < 0.5 < housing["ci_high"]


def test_report_says_when_from_which_batch_and_with_which_model(project: Path):
    from datetime import datetime

    from tema.numbers import date_text

    write_batch(project, {"housing": 30, "education": 20, "other": 10}, "2018")
    card_path = project / "models" / "theme_classifier.card.json"
    card = json.loads(card_path.read_text())
    card.update(
        created="2026-12-06T18:57:24+00:00",
        n_training_units=5751,
        training_data_sha256="5747b9c7f2c4d8c5",
        model_sha256="9aa30f2f3678934b",
    )
    card_path.write_text(json.dumps(bound(card)))
    pd.DataFrame({"file": ["data/raw/skannet.pdf"], "reason": ["is empty"]}).to_csv(
        project / "data" / "interim" / "skipped.csv", index=False
    )
    assert runner.invoke(app, ["report", "--quiet"]).exit_code == 0
    page = (project / "reports" / "report.html").read_text(encoding="utf-8")
    about = page.split("<ul class='about'>")[1].split("</ul>")[0].replace("\u00a0", " ")
    assert f"Laget {date_text(datetime.now().astimezone(), 'nb')} kl. " in about
    assert "Innspill: 4 filer i mappen data/raw; 1 av dem kunne ikke leses" in about
    assert "Lest: 3 dokumenter; telt: 60 innspill." in about
    assert (
        "Modell: trent 6. desember 2026 på 5 751 håndmerkede innspill "
        "(merkede data 5747b9c7f2c4); modell-ID 9aa30f2f3678."
    ) in about


def test_report_compare_two_batches(project: Path):
    write_batch(project, {"housing": 30, "education": 30}, "2017")
    assert runner.invoke(app, ["report", "-q", "--out-dir", "r2017"]).exit_code == 0
    write_batch(project, {"housing": 45, "education": 15}, "2018")
    assert runner.invoke(app, ["report", "-q", "--out-dir", "r2018"]).exit_code == 0
    result = runner.invoke(app, ["report", "--compare", "r2017", "r2018"])
    assert result.exit_code == 0, result.output
    assert "r2017" in result.output and "+25,0 p.p." in result.output  # Norwegian numbers
    table = pd.read_csv(project / "reports_compare" / "compare.csv")
    housing = table[(table["level"] == "all") & (table["theme"] == "housing")].iloc[0]
    assert housing["change"] == 0.25
    assert 0 < housing["change_ci_low"] < 0.25 < housing["change_ci_high"]
    page = (project / "reports_compare" / "compare.html").read_text(encoding="utf-8")
    assert "Endring i andeler mellom r2017 og r2018" in page and "<svg" in page


def test_compare_of_a_missing_report_is_one_clear_line(project: Path):
    result = runner.invoke(app, ["report", "--compare", "borte", "vekk"])
    assert result.exit_code == 1
    assert "borte: not found (give a report folder" in result.output
    assert "Traceback" not in result.output


def test_show_before_any_report_says_there_is_none_yet_and_how_to_make_one(project: Path):
    result = runner.invoke(app, ["report", "--show"])
    assert result.exit_code == 1
    assert (
        "reports/theme_counts.csv: no report yet; `tema report` (or `make run`) makes one"
        in result.output
    )
    assert "No such file" not in result.output and "Traceback" not in result.output


def test_ingest_of_another_folder_reads_its_inputs_and_writes_beside_its_output(project: Path):
    """An ad-hoc batch: its own manifest (not data/raw's), its skipped.csv beside -o; the
    pipeline's files are not touched, and the pipeline's report lists only its own."""
    raw = project / "data" / "raw"
    raw.mkdir(parents=True)
    (raw / "manifest.csv").write_text(
        "file,meeting,region,date\nbodo.txt,Bodø,Nord,2018-03-14\n", encoding="utf-8"
    )
    (raw / "bodo.txt").write_text("Vi trenger flere boliger.\n", encoding="utf-8")
    assert runner.invoke(app, ["ingest", "-q"]).exit_code == 0
    pipeline = {p: p.read_bytes() for p in (project / "data" / "interim").iterdir()}
    batch = project / "batch7"
    batch.mkdir()
    (batch / "manifest.csv").write_text(
        "file,meeting,region,date\nalta.txt,Alta,Nord,2019-01-02\nbilde.png,Alta,Nord,\n",
        encoding="utf-8",
    )
    (batch / "alta.txt").write_text("Språkkafé på biblioteket.\n", encoding="utf-8")
    (batch / "bilde.png").write_bytes(b"\x89PNG")
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        result = runner.invoke(app, ["ingest", "batch7", "-q", "-o", "out/documents.jsonl"])
    assert result.exit_code == 0, result.output
    assert "står i out/skipped.csv" in result.output
    [document] = read_jsonl(project / "out" / "documents.jsonl")
    assert (document["doc"], document["meeting"]) == ("alta.txt", "Alta")
    skipped = pd.read_csv(project / "out" / "skipped.csv")
    assert skipped["file"].str.endswith("bilde.png").tolist() == [True]
    assert {p: p.read_bytes() for p in (project / "data" / "interim").iterdir()} == pipeline

    # The folder's manifest may also be an Excel workbook.
    (batch / "manifest.csv").unlink()
    write_xlsx_manifest(batch / "manifest.xlsx", [("alta.txt", "Alta (xlsx)", "Nord")])
    (batch / "bilde.png").unlink()
    result = runner.invoke(app, ["ingest", "batch7", "-q", "-o", "out/documents.jsonl"])
    assert result.exit_code == 0, result.output
    [document] = read_jsonl(project / "out" / "documents.jsonl")
    assert (document["meeting"], document["date"]) == ("Alta (xlsx)", "2019-01-02")


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def write_xlsx_manifest(path: Path, rows: list[tuple[str, str, str]]) -> None:
    from datetime import datetime

    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["file", "meeting", "region", "date"])
    for file, meeting, region in rows:
        workbook.active.append([file, meeting, region, datetime(2019, 1, 2)])  # a date cell
    workbook.save(path)


def test_segment_of_another_batch_writes_beside_its_documents(project: Path):
    batch = project / "batch7"
    batch.mkdir()
    (batch / "alta.txt").write_text("Språkkafé på biblioteket. Flere boliger.\n", encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        result = runner.invoke(app, ["ingest", "batch7", "-q", "-o", "out/documents.jsonl"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        app, ["segment", "--documents", "out/documents.jsonl", "--spacy-model", "sentencizer"]
    )
    assert result.exit_code == 0, result.output
    assert "→ out/units.csv" in result.output
    assert pd.read_csv(project / "out" / "units.csv")["doc"].tolist() == ["alta.txt"] * 2
    assert not (project / "data" / "interim" / "units.csv").exists()


def test_classify_with_another_model_never_overwrites_the_pipeline_output(project: Path):
    result = runner.invoke(app, ["classify", "--model", "other/model.joblib"])
    assert result.exit_code == 1
    assert "--model other/model.joblib without -o would overwrite" in result.output
    assert not (project / "data" / "processed").exists()


def test_closing_lines_are_norwegian_and_english_on_request(project: Path, monkeypatch):
    write_batch(project, {"housing": 3000, "education": 700}, "2018")
    result = runner.invoke(app, ["report", "-q"])
    assert result.exit_code == 0, result.output
    assert "3 700 innspill, 370 usikre; rapport → reports/report.html" in result.output
    assert "Bolig" not in result.output  # quiet (the DVC stage): no table, `make run` shows it
    shown = runner.invoke(app, ["report", "--show"])
    assert "Bolig" in shown.output and "81 %" in shown.output
    assert "rapport → reports/report.html" in shown.output
    english = runner.invoke(app, ["--language", "en", "report", "--show"])
    assert "Housing" in english.output and "81%" in english.output
    assert "report → reports/report.html" in english.output
    monkeypatch.setenv("TEMA_LANGUAGE", "en")
    result = runner.invoke(app, ["report", "-q"])
    assert "3,700 units, 370 uncertain; report → reports/report.html" in result.output
    bad = runner.invoke(app, ["--language", "de", "report", "--show"])
    assert bad.exit_code == 1 and "unknown language 'de'" in bad.output


def write_workbook(path: Path, sheets: dict[str, list[str]]) -> None:
    """A workbook with one sheet of answers (column `svar`) per entry of `sheets`."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, answers in sheets.items():
        worksheet = workbook.create_sheet(title)
        worksheet.append(["svar"])
        for answer in answers:
            worksheet.append([answer])
    workbook.save(path)


def report_of_raw_folder(project: Path, language: str) -> tuple[str, list[tuple]]:
    """`tema ingest` and `tema segment` of data/raw, the units classified by hand (no model
    to train), then `tema report`: the visible text of report.html and the rows of
    report.xlsx's method sheet."""
    from openpyxl import load_workbook

    from test_report import visible_text

    with warnings.catch_warnings():  # the commands print warnings as "warning: ..." lines
        warnings.simplefilter("always")
        for args in (["ingest", "-q"], ["segment", "-q", "--spacy-model", "sentencizer"]):
            result = runner.invoke(app, args)
            assert result.exit_code == 0, result.output
    units = pd.read_csv(project / "data" / "interim" / "units.csv", keep_default_na=False)
    units = units.assign(theme="housing", confidence=0.9, second_theme="", uncertain=False)
    (project / "data" / "processed").mkdir(parents=True)
    units.to_csv(project / "data" / "processed" / "classified.csv", index=False)
    (project / "models").mkdir()
    card = {"cross_validation": {"macro_f1": {"value": 0.87, "ci_low": 0.85, "ci_high": 0.89}}}
    (project / "models" / "theme_classifier.card.json").write_text(json.dumps(bound(card)))
    (project / "metrics").mkdir()
    pd.DataFrame({"label": THEMES, "theme": THEMES}).to_csv(
        project / "metrics" / "cv_predictions.csv", index=False
    )
    result = runner.invoke(app, ["report", "-q", "--language", language])
    assert result.exit_code == 0, result.output
    page = (project / "reports" / "report.html").read_text(encoding="utf-8")
    method = load_workbook(project / "reports" / "report.xlsx").worksheets[-1]
    return visible_text(page), [row[:2] for row in method.iter_rows(values_only=True)]


@pytest.mark.parametrize(
    ("language", "heading", "line"),
    [
        (
            "nb",
            "Ark som ikke ble lest",
            "data/raw/svar.xlsx: arkene «Møte 2» og «Bodø & <Alta>» ble ikke lest, så "
            "svarene der er ikke med i tellingen (velg arket som skal leses i kolonnen «ark» "
            "i manifestet, eller lagre hvert ark som en egen fil)",
        ),
        (
            "en",
            "Sheets that were not read",
            "data/raw/svar.xlsx: the sheets “Møte 2” and “Bodø & <Alta>” were not read, so "
            "their answers are not counted (name the sheet to read in the manifest's sheet "
            "column, or save each sheet as a file of its own)",
        ),
    ],
)
def test_the_report_names_the_sheets_of_a_workbook_that_were_not_read(
    project: Path, language: str, heading: str, line: str
):
    """Answers on a workbook's other sheets were named only in a terminal warning, which
    the browser app does not show: the counts left them out without the report saying so."""
    raw = project / "data" / "raw"
    raw.mkdir(parents=True)
    write_workbook(
        raw / "svar.xlsx",
        {
            "Møte 1": ["Vi trenger flere boliger.", "Bedre norskkurs."],
            "Møte 2": ["Flere lærlingplasser."],
            "Bodø & <Alta>": ["Billigere boliger."],
        },
    )
    text, method = report_of_raw_folder(project, language)
    assert f"{heading} {line}" in text
    assert (heading, line) in method
    documents = read_jsonl(project / "data" / "interim" / "documents.jsonl")
    assert documents[0]["unread_sheets"] == ["Møte 2", "Bodø & <Alta>"]


def test_a_workbook_of_one_sheet_has_no_sheets_left_unread_in_the_report(project: Path):
    raw = project / "data" / "raw"
    raw.mkdir(parents=True)
    write_workbook(raw / "svar.xlsx", {"Møte 1": ["Vi trenger flere boliger."]})
    text, method = report_of_raw_folder(project, "nb")
    assert "Vi trenger flere boliger." in text  # the answer was read and counted
    assert "Ark som ikke ble lest" not in text
    assert not [row for row in method if row[0] == "Ark som ikke ble lest"]


def test_report_refuses_a_model_trained_without_a_theme_added_since(project: Path):
    # Before: a theme added to params.yaml after training was reported as "Helse 0 %
    # (0–2 %)", as if no one had raised it, though the model could never choose it.
    write_batch(project, {theme: 5 for theme in THEMES}, "2018")
    card = {"description": "Test", "themes": THEMES, "cross_validation": {}}
    (project / "models" / "theme_classifier.card.json").write_text(json.dumps(bound(card)))
    params = (project / "params.yaml").read_text(encoding="utf-8")
    added = params.replace(
        "  - {id: other,", "  - {id: health, nb: Helse, en: Health}\n  - {id: other,", 1
    )
    (project / "params.yaml").write_text(added, encoding="utf-8")
    result = runner.invoke(app, ["report"])
    assert result.exit_code == 1
    assert "was trained on other themes than `themes` in params.yaml" in result.output
    assert "not in the model: health" in result.output
    assert not (project / "reports").exists()
    (project / "params.yaml").write_text(params, encoding="utf-8")
    assert runner.invoke(app, ["report"]).exit_code == 0
