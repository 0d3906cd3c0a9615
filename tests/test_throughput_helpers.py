"""Streaming and --jobs give the same results; killed runs and bad model files leave the
previous outputs intact. (The predictor's identity with the model: tests/test_predictor.py.)"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from conftest import TINY_LABELED
from tema import parallel
from tema.classify import classify_units
from tema.cli import app
from tema.model import ThemeClassifier, ThemeModel, save_model

REPO = Path(__file__).resolve().parent.parent
runner = CliRunner()
TEXTS = [text for texts in TINY_LABELED.values() for text in texts]
LABELS = [label for label, texts in TINY_LABELED.items() for _ in texts]


@pytest.fixture(scope="module")
def fitted() -> ThemeModel:
    classifier = ThemeClassifier(calibration_folds=2).fit(TEXTS, LABELS)
    card = {"uncertainty_threshold": 0.4, "second_theme_threshold": 0.25}
    return ThemeModel(classifier=classifier, card=card)


@pytest.fixture
def project(tmp_path: Path, fitted: ThemeModel, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder with params.yaml (the repo's, paths made absolute), a saved model and a
    units CSV of a few thousand units."""
    params = yaml.safe_load((REPO / "params.yaml").read_text(encoding="utf-8"))
    params["segment"]["spacy_model"] = str(REPO / params["segment"]["spacy_model"])
    params["segment"]["units"] = str(tmp_path / "units.csv")
    params["train"]["model"] = str(tmp_path / "model.joblib")
    params["classify"]["classified"] = str(tmp_path / "classified.csv")
    (tmp_path / "params.yaml").write_text(yaml.safe_dump(params), encoding="utf-8")
    save_model(fitted, tmp_path / "model.joblib")
    texts = [*TEXTS, "", "  ", "123", "007", "Bolig og arbeid, igjen."] * 80
    units = pd.DataFrame(
        {
            "doc": [f"d{i // 100}" for i in range(len(texts))],
            "unit": [i % 100 for i in range(len(texts))],
            "start": 0, "end": 1, "kind": "sentence", "section": "007",
            "text": texts,
            "repeat_of": [i - 1 if i % 7 == 0 else None for i in range(len(texts))],
        }
    ).astype({"repeat_of": "Int64"})  # fmt: skip
    units.to_csv(tmp_path / "units.csv", index=False, lineterminator="\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_ordered_map_keeps_input_order_over_processes():
    chunks = [list(range(i, i + 3)) for i in range(0, 60, 3)]
    assert list(parallel.ordered_map(sum, chunks, jobs=2)) == [sum(c) for c in chunks]
    assert list(parallel.ordered_map(sum, iter([]), jobs=2)) == []


def test_write_csv_chunks_writes_a_header_for_no_rows(tmp_path: Path):
    path = tmp_path / "out.csv"
    assert parallel.write_csv_chunks(iter([]), path, ["doc", "text"]) == 0
    assert path.read_text(encoding="utf-8") == "doc,text\n"


def _invoke(*args: str) -> str:
    result = runner.invoke(app, ["--params", "params.yaml", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_classify_streams_in_chunks_with_the_same_output(
    project: Path, fitted: ThemeModel, monkeypatch: pytest.MonkeyPatch
):
    units = pd.read_csv(project / "units.csv", keep_default_na=False, dtype={"text": str})
    expected = classify_units(units, fitted)
    monkeypatch.setattr(parallel, "CLASSIFY_CHUNK_ROWS", 333)
    _invoke("classify", "--jobs", "1")
    one = (project / "classified.csv").read_bytes()
    _invoke("classify", "--jobs", "2")
    assert (project / "classified.csv").read_bytes() == one
    got = pd.read_csv(
        project / "classified.csv", keep_default_na=False, dtype={"text": str, "section": str}
    )
    assert len(got) == len(units)
    assert got["theme"].tolist() == expected["theme"].tolist()
    assert got["confidence"].tolist() == expected["confidence"].tolist()
    assert got["text"].tolist() == units["text"].tolist()  # "007" stays text
    assert got["section"].astype(str).eq("007").all()


def test_segment_jobs_give_the_same_units(project: Path, monkeypatch: pytest.MonkeyPatch):
    raw = (REPO / "data" / "raw").glob("*.txt")
    files = [str(p) for p in sorted(raw)]
    monkeypatch.setattr(parallel, "SEGMENT_CHUNK_CHARS", 5_000)
    _invoke("segment", *files, "-o", "one.csv", "--jobs", "1")
    output = _invoke("segment", *files, "-o", "two.csv", "--jobs", "2")
    assert (project / "one.csv").read_bytes() == (project / "two.csv").read_bytes()
    assert f"fra {len(files)} dokumenter" in output


@pytest.mark.parametrize("damage", ["tamper", "truncate"])
@pytest.mark.parametrize("file", ["model.joblib", "model.predictor.npz"])
def test_a_damaged_model_is_refused_and_nothing_is_written(project: Path, file: str, damage: str):
    _invoke("classify")
    before = (project / "classified.csv").read_bytes()
    damaged = project / file
    data = damaged.read_bytes()
    damaged.write_bytes(data[:-10] if damage == "truncate" else data[:100] + b"X" + data[101:])
    result = runner.invoke(app, ["--params", "params.yaml", "classify"])
    assert result.exit_code == 1
    assert f"{damaged}: file hash" in result.output
    assert "does not match the card" in result.output
    assert (project / "classified.csv").read_bytes() == before


def _kill_mid_run(command: list[str], output: Path, cwd: Path) -> None:
    """Start `command`, wait until it has started writing (its temporary file exists),
    then SIGKILL it and its workers."""
    process = subprocess.Popen(
        command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline and process.poll() is None:
            if any(output.parent.glob(f".{output.name}.*.tmp")):
                break
            time.sleep(0.05)
        assert process.poll() is None, "the run finished before it could be killed"
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@pytest.mark.parametrize("stage", ["classify", "segment"])
def test_a_killed_run_keeps_the_previous_output_and_the_next_run_recovers(
    project: Path, stage: str
):
    tema = [sys.executable, "-m", "tema", "--params", "params.yaml"]
    if stage == "classify":
        big = pd.read_csv(project / "units.csv", keep_default_na=False)
        pd.concat([big] * 60).to_csv(project / "units.csv", index=False)  # ≈ 35,000 units
        command, output = [*tema, "classify", "--jobs", "2"], project / "classified.csv"
    else:
        text = "\n\n".join(p.read_text(encoding="utf-8") for p in (REPO / "data/raw").glob("*.txt"))
        (project / "big.txt").write_text(text * 40, encoding="utf-8")
        command = [*tema, "segment", "big.txt", "-o", "units_out.csv", "--jobs", "2"]
        output = project / "units_out.csv"
    output.write_text("previous output\n", encoding="utf-8")
    _kill_mid_run(command, output, project)
    assert output.read_text(encoding="utf-8") == "previous output\n"
    # The killed run's temporary file may be left behind; it is never read.
    finished = subprocess.run(command, cwd=project, capture_output=True, text=True, timeout=600)
    assert finished.returncode == 0, finished.stderr
    assert output.read_text(encoding="utf-8").startswith("doc,unit,")
