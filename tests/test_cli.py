"""The `tema` command as a user meets it: clear one-line errors, nothing corrupted."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from conftest import tiny_rows, write_labeled_csv
from tema.cli.main import app

REPO = Path(__file__).resolve().parent.parent
runner = CliRunner()


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A scratch project folder with the real params.yaml and a tiny raw and labelled set."""
    shutil.copy(REPO / "params.yaml", tmp_path / "params.yaml")
    raw = tmp_path / "data" / "raw"
    raw.mkdir(parents=True)
    (raw / "bodo.txt").write_text(
        "Bolig\n\nVi trenger flere kommunale boliger.\n", encoding="utf-8"
    )
    (raw / "manifest.csv").write_text(
        "file,meeting,region,date\nbodo.txt,Bodø,Nord,2018-03-14\n", encoding="utf-8"
    )
    labeled = tmp_path / "data" / "labeled"
    labeled.mkdir(parents=True)
    write_labeled_csv(labeled / "tiny.csv", tiny_rows())
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_help_lists_every_stage():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for stage in ("ingest", "segment", "train", "evaluate", "classify", "report"):
        assert stage in result.output


def test_missing_params_file_is_one_clear_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["ingest"])
    assert result.exit_code == 1
    assert "params.yaml: parameter file not found" in result.output
    assert "Traceback" not in result.output


def test_ingest_writes_documents(project: Path):
    result = runner.invoke(app, ["ingest"])
    assert result.exit_code == 0, result.output
    assert "lest: 1 dokument → " in result.output
    assert (project / "data" / "interim" / "documents.jsonl").is_file()


def test_bad_manifest_fails_and_keeps_the_previous_output(project: Path):
    assert runner.invoke(app, ["ingest"]).exit_code == 0
    documents = project / "data" / "interim" / "documents.jsonl"
    before = documents.read_bytes()
    (project / "data" / "raw" / "manifest.csv").write_text(
        "file,meeting,region,date\nbodo.txt,Bodø,Nord,14/03/2018\n", encoding="utf-8"
    )
    result = runner.invoke(app, ["ingest"])
    assert result.exit_code == 1
    assert "manifest.csv, line 2" in result.output
    assert documents.read_bytes() == before


def test_bad_label_file_fails_naming_file_and_line(project: Path):
    bad = project / "data" / "labeled" / "round2.csv"
    write_labeled_csv(
        bad,
        [
            {
                "id": "x1",
                "text": "Noe nytt om bolig",
                "label": "bolig",
                "batch": "b9",
                "annotator": "t",
            }
        ],
    )
    result = runner.invoke(app, ["train"])
    assert result.exit_code == 1
    assert "round2.csv, line 2: unknown theme 'bolig'" in result.output
    assert not (project / "models").exists()


def test_classify_finds_the_text_column_of_an_excel_csv(project: Path):
    """Excel in a Norwegian locale: `;`, Windows-1252; the column is found as ingest finds it
    (params ingest.text_columns), and a blank answer gets no theme, as in ingest."""
    (project / "svar.csv").write_bytes(
        "kommune;svar\nBodø;Startlån og bostøtte\nAlta;\nHamar;Arbeidsgivere må ansette\n".encode(
            "cp1252"
        )
    )
    assert runner.invoke(app, ["train"]).exit_code == 0
    result = runner.invoke(app, ["classify", "svar.csv", "-o", "ut.csv"])
    assert result.exit_code == 0, result.output
    output = pd.read_csv(project / "ut.csv", dtype=str, keep_default_na=False)
    assert output["text"].tolist() == ["Startlån og bostøtte", "Arbeidsgivere må ansette"]
    assert output["row"].tolist() == ["2", "4"]
    assert output["kommune"].tolist() == ["Bodø", "Hamar"]


@pytest.mark.parametrize(
    ("command", "output", "message"),
    [
        (["classify", "svar.csv"], "svar.csv", "is also the input"),
        (["classify", "svar.csv"], "svar.xlsx", "give the output a .csv name"),
        (["segment", "notat.txt"], "notat.txt", "give the output a .csv name"),
        # the same file by another path (a table given to segment is read too)
        (["segment", "notat.csv"], "./units/../notat.csv", "is also the input"),
    ],
)
def test_an_output_that_would_replace_an_input_or_lie_about_its_format_is_refused(
    project: Path, command: list[str], output: str, message: str
):
    (project / "svar.csv").write_text("svar\nStartlån og bostøtte\n", encoding="utf-8")
    (project / "notat.txt").write_text("- Flere lærlingplasser.\n", encoding="utf-8")
    (project / "notat.csv").write_text("svar\nMer leksehjelp\n", encoding="utf-8")
    (project / "units").mkdir()
    before = {path.name: path.read_bytes() for path in project.iterdir() if path.is_file()}
    result = runner.invoke(app, [*command, "-o", output])
    assert result.exit_code == 1 and message in result.output, result.output
    after = {path.name: path.read_bytes() for path in project.iterdir() if path.is_file()}
    assert after == before


def test_train_then_classify_a_table(project: Path):
    result = runner.invoke(app, ["train"])
    assert result.exit_code == 0, result.output
    assert "kryssvalidert makro-F1" in result.output
    (project / "svar.tsv").write_text(
        "svar\tfritekst\nStartlån og bostøtte\tx\nArbeidsgivere må ansette\ty\n",
        encoding="utf-8",
    )
    result = runner.invoke(
        app, ["classify", "svar.tsv", "--text-column", "fritekst", "-o", "ut.csv"]
    )
    assert result.exit_code == 0, result.output
    output = (project / "ut.csv").read_text(encoding="utf-8").splitlines()
    # As segmented units: each answer's kind, and its question (none here) as its section.
    assert output[0].split(",")[:6] == ["doc", "unit", "row", "kind", "section", "text"]
    assert [line.split(",")[5] for line in output[1:]] == ["x", "y"]


def test_classify_reads_the_sheet_named_with_sheet(project: Path):
    """`tema classify FILE` has no manifest: --sheet names the sheet of every workbook
    given; a sheet it does not have is an error naming the file and its sheets."""
    from test_classify import two_meetings

    two_meetings(project / "svar.xlsx")
    (project / "notat.csv").write_text("svar\nFlere lærlingplasser\n", encoding="utf-8")
    assert runner.invoke(app, ["train"]).exit_code == 0
    result = runner.invoke(
        app, ["classify", "svar.xlsx", "notat.csv", "--sheet", "Alta", "-o", "ut.csv"]
    )
    assert result.exit_code == 0, result.output
    output = pd.read_csv(project / "ut.csv", dtype=str, keep_default_na=False)
    assert output["text"].tolist() == [
        "Arbeidsgivere må ansette flere",
        "Mer norskopplæring på jobben",
        "Flere lærlingplasser",  # a CSV has no sheets: read as it is
    ]
    result = runner.invoke(app, ["classify", "svar.xlsx", "--sheet", "Tana", "-o", "ut2.csv"])
    assert result.exit_code == 1
    assert "svar.xlsx: no sheet 'Tana'; the sheets are 'Bodø', 'Alta'" in result.output
    assert not (project / "ut2.csv").exists()
    # no workbook to take the sheet from: said, rather than --sheet being ignored
    result = runner.invoke(app, ["classify", "notat.csv", "--sheet", "Alta"])
    assert result.exit_code == 1
    assert "--sheet names a sheet of an .xlsx file, and no FILE given is one" in result.output


def test_classify_without_a_model_says_how_to_get_one(project: Path):
    (project / "svar.tsv").write_text("svar\nHei\n", encoding="utf-8")
    result = runner.invoke(app, ["classify", "svar.tsv", "--text-column", "svar"])
    assert result.exit_code == 1
    assert "model file not found" in result.output


def all_commands(command, path=()):
    yield path, command
    for name, sub in (getattr(command, "commands", None) or {}).items():
        yield from all_commands(sub, (*path, name))


def test_help_shows_flags_as_flags_and_the_defaults_of_params_yaml(project: Path):
    import typer

    for path, _ in all_commands(typer.main.get_command(app)):
        result = runner.invoke(app, [*path, "--help"])
        assert result.exit_code == 0, (path, result.output)
        assert "<bool>" not in result.output, (path, result.output)  # --quiet, not --quiet <bool>
    report = runner.invoke(app, ["report", "--help"]).output
    assert re.search(r"-q, --quiet\s+Only the closing line", report)
    segment = runner.invoke(app, ["segment", "--help"]).output
    assert re.search(r"-q, --quiet\s+No progress bar", segment)
    assert "nb, report.language in params.yaml" in " ".join(report.split())
    suggest = " ".join(runner.invoke(app, ["suggest", "--help"]).output.split())
    assert "[default: (200, labels.suggest_n in params.yaml)]" in suggest
    audit = " ".join(runner.invoke(app, ["labels", "audit", "--help"]).output.split())
    assert "(data/label_review/audit.csv, labels.audit in params.yaml)" in audit
    # The defaults shown are those of the params file in use.
    params = yaml.safe_load((project / "params.yaml").read_text(encoding="utf-8"))
    params["labels"]["suggest_n"] = 50
    (project / "other.yaml").write_text(yaml.safe_dump(params), encoding="utf-8")
    other = runner.invoke(app, ["--params", "other.yaml", "suggest", "--help"]).output
    assert "(50, labels.suggest_n in other.yaml)" in " ".join(other.split())


def test_classify_help_names_every_format_it_reads():
    text = " ".join(runner.invoke(app, ["classify", "--help"]).output.split())
    for suffix in (".txt", ".md", ".pdf", ".docx", ".csv", ".tsv", ".xlsx"):
        assert suffix in text, suffix


def test_every_long_stage_shows_a_progress_bar_on_a_terminal(project: Path, monkeypatch):
    import tema.progress

    monkeypatch.setattr(tema.progress, "enabled", lambda quiet=False: not quiet)  # a terminal
    bars = {}
    for stage, arguments in (
        ("ingest", []),
        ("segment", ["--spacy-model", str(REPO / "models" / "nb_senter")]),
        ("train", []),
        ("evaluate", []),
        ("classify", []),
    ):
        result = runner.invoke(app, [stage, *arguments])
        assert result.exit_code == 0, result.output
        bars[stage] = result.stderr
        quiet = runner.invoke(app, [stage, *arguments, "--quiet"])
        assert quiet.exit_code == 0 and f"{stage}:" not in quiet.stderr
    assert "segment:   0%" in bars["segment"] and "dokumenter" in bars["segment"]
    assert "train: kryssvalidering og trening (0/3)" in bars["train"]
    assert "evaluate:   0%" in bars["evaluate"]
    assert "classify: " in bars["classify"] and "enheter" in bars["classify"]


def test_progress_bars_only_on_a_terminal_and_not_in_ci(monkeypatch):
    import io
    import sys

    from tema.progress import enabled, progress

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setattr(sys, "stderr", Terminal())
    assert enabled() and not enabled(quiet=True)
    assert list(progress(range(3), "segment", total=3)) == [0, 1, 2]
    assert "segment:   0%" in sys.stderr.getvalue()
    monkeypatch.setenv("CI", "true")  # CI systems that fake a terminal
    assert not enabled()
    monkeypatch.setenv("CI", "")
    monkeypatch.setattr(sys, "stderr", io.StringIO())  # DVC logs, pipes
    assert not enabled()


def test_classify_refuses_a_model_trained_on_other_themes(project: Path):
    # Before: a theme added to params.yaml after training was classified into by no unit,
    # and the report said "Helse 0 % (0–2 %)", as if no one had raised it.
    assert runner.invoke(app, ["train"]).exit_code == 0
    params = yaml.safe_load((project / "params.yaml").read_text(encoding="utf-8"))
    params["themes"].insert(-1, {"id": "health", "nb": "Helse", "en": "Health"})
    (project / "params.yaml").write_text(yaml.safe_dump(params), encoding="utf-8")
    (project / "svar.csv").write_text("svar\nFlere fastleger\n", encoding="utf-8")
    result = runner.invoke(app, ["classify", "svar.csv", "-o", "ut.csv"])
    assert result.exit_code == 1
    assert "was trained on other themes than `themes` in params.yaml" in result.output
    assert "not in the model: health" in result.output and "tema train" in result.output
    assert "Traceback" not in result.output and not (project / "ut.csv").exists()
