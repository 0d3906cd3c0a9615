"""tema.report.names: a report that names documents as their owners know them (the browser
app's uploads, stored under safe names), while its tables keep the stored names."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest

from tema.report.names import shown_counts_csv, shown_file
from test_report import visible_text
from test_report_cli import REPO, write_batch

# The batch of test_report_cli.write_batch, as a user of the app would have sent its files.
NAMES = {
    "bodo.txt": 'Innspill fra møte i "Bodø".txt',
    "alta.txt": "Alta: referat?.txt",
}


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "params.yaml").write_bytes((REPO / "params.yaml").read_bytes())
    write_batch(tmp_path, {"housing": 30, "education": 20, "other": 10}, "2018")
    # A file ingest skipped, one with a page and one with a sheet it did not read, named by
    # their paths.
    pd.DataFrame({"file": [str(tmp_path / "data/raw/skannet.pdf")], "reason": ["is empty"]}).to_csv(
        tmp_path / "data/interim/skipped.csv", index=False
    )
    documents = tmp_path / "data/interim/documents.jsonl"
    lines = [json.loads(line) for line in documents.read_text(encoding="utf-8").splitlines()]
    lines[0].update(file=str(tmp_path / "data/raw/bodo.txt"), unread_pages=[2])
    lines[1].update(file=str(tmp_path / "data/raw/alta.txt"), unread_sheets=["Møte 2"])
    documents.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return tmp_path


def test_the_report_names_documents_as_sent_and_its_tables_as_stored(project: Path):
    from tema.config import load_config
    from tema.report.stage import run

    config = load_config(project / "params.yaml")
    names = {**NAMES, "skannet.pdf": "Skannet «høring».pdf"}
    run(config, names=names)
    sheets = pd.read_excel("reports/report.xlsx", sheet_name=None, dtype=str)
    documents = set(sheets["Dokumenter"].iloc[:, 0])
    assert documents == {'Innspill fra møte i "Bodø".txt', "Alta: referat?.txt", "oslo.txt"}
    review = sheets["Usikre"]
    assert set(review["Dokument"]) == {
        'Innspill fra møte i "Bodø".txt',
        "Alta: referat?.txt",
        "oslo.txt",
    }
    method = " ".join(sheets["Metode"].fillna("").to_numpy().ravel())
    assert "Skannet «høring».pdf: filen er tom" in method
    page = visible_text(Path("reports/report.html").read_text(encoding="utf-8"))
    assert 'Innspill fra møte i "Bodø".txt' in page and "bodo.txt" not in page
    assert "Skannet «høring».pdf: filen er tom" in page and "raw/skannet" not in page
    assert 'Innspill fra møte i "Bodø".txt: side 2' in page
    assert "Alta: referat?.txt: arket «Møte 2» ble ikke lest" in page and "raw/alta" not in page
    assert "Alta: referat?.txt: arket «Møte 2» ble ikke lest" in method
    # The tables join with the earlier stages by the stored names.
    units = pd.read_csv("reports/units.csv", keep_default_na=False)
    assert set(units["doc"]) == {"bodo.txt", "alta.txt", "oslo.txt"}
    counts = pd.read_csv("reports/theme_counts.csv", keep_default_na=False)
    assert set(counts.loc[counts["level"] == "document", "key"]) == set(units["doc"])


def test_without_names_the_report_names_the_files():
    assert shown_file("data/raw/tom.txt", {}) == "data/raw/tom.txt"
    assert shown_file("/app/runs/r/raw/a_b.txt", {"a_b.txt": "a?b.txt"}) == "a?b.txt"


@pytest.mark.parametrize(
    ("file", "shown"),
    [
        # Ingest names a file it read by its path in the raw folder: by its document's name.
        ("/app/runs/r/raw/Notat-2.txt", "Notat.txt (lagret som Notat-2.txt)"),
        ("runs/r/raw/Notat.txt", "Notat.txt"),
        # A file refused as it came in never reached the raw folder: named as it was sent,
        # never taken for the document saved under that name.
        ("Notat-2.txt", "Notat-2.txt"),
        ("Notat.txt", "Notat.txt"),
        ("", ""),
    ],
)
def test_only_a_file_in_the_raw_folder_is_named_by_its_documents_name(file, shown):
    names = {"Notat.txt": "Notat.txt", "Notat-2.txt": "Notat.txt (lagret som Notat-2.txt)"}
    assert shown_file(file, names) == shown


def test_the_counts_table_renames_only_document_keys_and_keeps_the_rest_as_written():
    written = (
        "level,key,theme,count,share\n"
        "all,all,housing,3,0.75\n"
        "meeting,bodo.txt,housing,3,0.75\n"  # a meeting that happens to be called so
        "document,bodo.txt,housing,3,0.75\n"
        "document,oslo.txt,other,1,0.25\n"
    )
    renamed = shown_counts_csv(written, {"bodo.txt": 'Møte "Bodø", mars.txt'})
    frame = pd.read_csv(io.StringIO(renamed), keep_default_na=False, dtype=str)
    assert list(frame["key"]) == ["all", "bodo.txt", 'Møte "Bodø", mars.txt', "oslo.txt"]
    assert renamed.splitlines()[3] == 'document,"Møte ""Bodø"", mars.txt",housing,3,0.75'
    assert renamed.replace('"Møte ""Bodø"", mars.txt"', "bodo.txt") == written
