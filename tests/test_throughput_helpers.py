"""Streaming and --jobs give the same results; killed runs and bad model files leave the
previous outputs intact. (The predictor's identity with the model: tests/test_predictor.py.)"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from conftest import (
    MEETING_REPORTS,
    TINY_LABELED,
    tiny_rows,
    write_labeled_csv,
    write_meeting_batch,
    write_senter_lock,
)
from tema import parallel
from tema.classify import stage as classify_stage
from tema.classify.model import ThemeClassifier, ThemeModel
from tema.classify.persist import save_model
from tema.classify.stage import classify_units
from tema.cli import app

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
    params["train"]["model"] = str(tmp_path / "model.skops")
    params["classify"]["classified"] = str(tmp_path / "classified.csv")
    (tmp_path / "params.yaml").write_text(yaml.safe_dump(params), encoding="utf-8")
    save_model(fitted, tmp_path / "model.skops")
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
    monkeypatch.setattr(classify_stage, "CHUNK_ROWS", 333)
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
    raw = write_meeting_batch(project / "raw").glob("*.txt")
    files = [str(p) for p in sorted(raw)]
    monkeypatch.setattr(parallel, "SEGMENT_CHUNK_CHARS", 5_000)
    _invoke("segment", *files, "-o", "one.csv", "--jobs", "1")
    output = _invoke("segment", *files, "-o", "two.csv", "--jobs", "2")
    assert (project / "one.csv").read_bytes() == (project / "two.csv").read_bytes()
    assert f"fra {len(files)} dokumenter" in output


@pytest.mark.parametrize("damage", ["tamper", "truncate"])
@pytest.mark.parametrize("file", ["model.skops", "model.predictor.npz"])
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
        text = "\n\n".join(MEETING_REPORTS.values())
        (project / "big.txt").write_text(text * 400, encoding="utf-8")
        command = [*tema, "segment", "big.txt", "-o", "units_out.csv", "--jobs", "2"]
        output = project / "units_out.csv"
    output.write_text("previous output\n", encoding="utf-8")
    _kill_mid_run(command, output, project)
    assert output.read_text(encoding="utf-8") == "previous output\n"
    # The killed run's temporary file may be left behind; it is never read.
    finished = subprocess.run(command, cwd=project, capture_output=True, text=True, timeout=600)
    assert finished.returncode == 0, finished.stderr
    assert output.read_text(encoding="utf-8").startswith("doc,unit,")


@pytest.fixture(scope="module")
def dvc_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small DVC project run once: the repo's dvc.yaml and code, the tests' own meeting
    input and tiny labelled set."""
    root = tmp_path_factory.mktemp("dvc_project")
    write_meeting_batch(root / "data" / "raw")
    (root / "data" / "labeled").mkdir(parents=True)
    write_labeled_csv(root / "data" / "labeled" / "tiny.csv", tiny_rows())
    for name in ("src", "models/nb_senter"):
        shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "dvc.yaml", root / "dvc.yaml")
    write_senter_lock(REPO, root)  # the sentence model is checked, not trained
    params = yaml.safe_load((REPO / "params.yaml").read_text(encoding="utf-8"))
    params["train"].update(cv_folds=3, jobs=1)
    params["train"]["classifier"]["calibration_folds"] = 2
    params["evaluate"]["learning_curve_fractions"] = [1.0]
    (root / "params.yaml").write_text(yaml.safe_dump(params, allow_unicode=True), encoding="utf-8")
    for command in (["git", "init", "-q"], [DVC, "init", "-q"], [DVC, "repro"]):
        subprocess.run(command, cwd=root, check=True, capture_output=True, env=_env(root))
    return root


DVC = str(Path(sys.executable).parent / "dvc")


def _env(root: Path, kill_stage: str = "") -> dict[str, str]:
    """PATH with a `tema` that, for `kill_stage`, says it has started and then waits: DVC
    has by then done what it does before a stage runs (it deletes non-persistent outputs)."""
    wrapper = root.parent / f"{root.name}-bin"
    wrapper.mkdir(exist_ok=True)
    script = wrapper / "tema"
    script.write_text(
        "#!/bin/sh\n"
        f'if [ "$1" = "{kill_stage}" ]; then touch "{root}/.stage-started"; sleep 120; fi\n'
        f'exec "{Path(sys.executable).parent / "tema"}" "$@"\n',
        encoding="utf-8",
    )
    script.chmod(0o755)
    return {**os.environ, "PATH": f"{wrapper}{os.pathsep}{os.environ['PATH']}"}


def _outputs(root: Path) -> dict[str, bytes]:
    folders = ("data/interim", "data/processed", "models", "metrics", "reports")
    return {
        str(path.relative_to(root)): path.read_bytes()
        for folder in folders
        for path in sorted((root / folder).rglob("*"))
        if path.is_file() and "nb_senter" not in path.parts and "lexicon_cache" not in path.parts
    }


@pytest.mark.slow
@pytest.mark.parametrize("stage", ["train", "segment", "evaluate", "classify", "report"])
def test_a_killed_pipeline_run_keeps_every_output(dvc_project: Path, stage: str):
    """`dvc repro` killed at the start of a stage (SIGKILL): every output of the last run is
    still there, unchanged (metrics/promotion.json too), and the next run completes."""
    root = dvc_project
    before = _outputs(root)
    assert "metrics/promotion.json" in before and "data/interim/units.csv" in before
    # A change that makes `stage` the first to run.
    if stage == "classify":
        # classify.jobs is no param of the stage (any number of processes writes the same
        # bytes): a change to the stage's own code reruns it.
        source = root / "src" / "tema" / "classify" / "stage.py"
        source.write_text(source.read_text(encoding="utf-8") + "\n# changed\n", "utf-8")
    else:
        params = yaml.safe_load((root / "params.yaml").read_text(encoding="utf-8"))
        section, key, value = {
            "train": ("train", "target_precision", 0.85),
            "segment": ("segment", "max_unit_chars", 900),
            "evaluate": ("evaluate", "learning_curve_fractions", [0.9]),
            "report": ("report", "examples_per_theme", 2),
        }[stage]
        params[section][key] = value
        (root / "params.yaml").write_text(
            yaml.safe_dump(params, allow_unicode=True), encoding="utf-8"
        )
    marker = root / ".stage-started"
    marker.unlink(missing_ok=True)
    process = subprocess.Popen(
        [DVC, "repro"], cwd=root, env=_env(root, stage), start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        while not marker.exists() and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert marker.exists(), f"the {stage} stage never started"
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    after = _outputs(root)
    assert sorted(after) == sorted(before)
    assert after == before
    finished = subprocess.run([DVC, "repro"], cwd=root, env=_env(root), capture_output=True,
                              text=True, timeout=600)  # fmt: skip
    assert finished.returncode == 0, finished.stdout + finished.stderr
