"""End to end: `dvc repro` on a temporary copy of the bundled data, as `make run` does it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

from conftest import write_meeting_batch, write_senter_lock

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
pytestmark = pytest.mark.slow
LABEL_ROUNDS = (
    "b01-b03_innspillmote_notes.csv",
    "b37-b39_administrative_statements.csv",
    "b49-b51_documents_reports.csv",
)


def run(command: list[str], cwd: Path) -> str:
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("project")
    # The meeting input is the test's own, never the user's data/raw; the labelled data
    # and the sentence model are the project's (they train and segment as in `make run`).
    write_meeting_batch(root / "data" / "raw")
    for name in ("src", "models/nb_senter"):
        shutil.copytree(
            REPO / name, root / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info")
        )
    # Three of the project's labelling rounds (≈ 1,000 units, nine batches, every theme,
    # one document round for the context weights): the wiring is the same as with all of
    # them, and training takes a sixth of the time.
    (root / "data" / "labeled").mkdir(parents=True)
    for name in LABEL_ROUNDS:
        shutil.copy(REPO / "data" / "labeled" / name, root / "data" / "labeled" / name)
    shutil.copy(REPO / "dvc.yaml", root / "dvc.yaml")
    write_senter_lock(REPO, root)  # the sentence model is checked, not trained
    params = yaml.safe_load((REPO / "params.yaml").read_text(encoding="utf-8"))
    # Fewer folds and learning-curve points: this test checks the wiring, not the model.
    params["train"]["cv_folds"] = 3
    params["evaluate"]["learning_curve_fractions"] = [0.5, 1.0]
    # The fast TF-IDF path: the e5 cascade is tested on its own (tests/test_model.py,
    # tests/test_cli.py); here it would only embed every labelled unit once more.
    params["train"]["classifier"]["embeddings"] = "none"
    (root / "params.yaml").write_text(yaml.safe_dump(params, allow_unicode=True), encoding="utf-8")
    shutil.copy(REPO / ".gitignore", root / ".gitignore")  # what the project versions
    run(["git", "init", "-q"], root)
    run([str(BIN / "dvc"), "init", "-q"], root)
    run([str(BIN / "dvc"), "config", "core.analytics", "false"], root)
    shutil.copy(REPO / ".dvcignore", root / ".dvcignore")  # what DVC does not hash
    # As `make run` does it: DVC without its hints, then the table.
    output = run([sys.executable, str(REPO / "scripts" / "repro.py")], root)
    output += run([str(BIN / "tema"), "report", "--show"], root)
    (root / "make_run.txt").write_text(output, encoding="utf-8")
    return root


def test_make_run_prints_the_table_once_and_no_dvc_hints(project: Path):
    output = (project / "make_run.txt").read_text(encoding="utf-8")
    assert "Running stage 'report'" in output
    assert output.count("Korrigert andel") == 1  # the table's header
    for hint in ("git add", "autostage", "dvc push"):
        assert hint not in output


def stages_rerun(root: Path) -> set[str]:
    """Run `dvc repro` and return the stages it ran (not the ones it skipped)."""
    output = run([str(BIN / "dvc"), "repro"], root)
    return {line.split("'")[1] for line in output.splitlines() if line.startswith("Running stage")}


def test_report_counts_match_the_classified_units(project: Path):
    params = yaml.safe_load((project / "params.yaml").read_text(encoding="utf-8"))
    classified = pd.read_csv(project / "data/processed/classified.csv", keep_default_na=False)
    counted = classified[
        classified["kind"].isin(params["report"]["counted_kinds"]) & (classified["repeat_of"] == "")
    ]
    assert set(counted["kind"]) >= {"sentence", "bullet", "answer"}
    counts = pd.read_csv(project / "reports/theme_counts.csv")
    overall = counts[counts["level"] == "all"].set_index("theme")["count"]
    expected = counted["theme"].value_counts().reindex(overall.index, fill_value=0)
    assert overall.to_dict() == expected.to_dict()
    per_document = counts[counts["level"] == "document"].groupby("key")["count"].sum()
    assert per_document.to_dict() == counted.groupby("doc").size().to_dict()
    assert len(per_document) == 4


def test_outputs_of_every_stage_exist(project: Path):
    for path in (
        "data/interim/documents.jsonl",
        "data/interim/units.csv",
        "models/theme_classifier.skops",
        "models/theme_classifier.card.json",
        "metrics/metrics.json",
        "metrics/confusion.csv",
        "reports/report.html",
    ):
        assert (project / path).is_file(), path
    assert "Temarapport" in (project / "reports/report.html").read_text(encoding="utf-8")


def test_nothing_reruns_when_nothing_changed(project: Path):
    assert stages_rerun(project) == set()


def test_editing_labels_reruns_training_but_not_segmentation(project: Path):
    labeled = next((project / "data/labeled").glob("*.csv"))
    original = labeled.read_text(encoding="utf-8")
    labeled.write_text(
        original + "zz-001,Et helt nytt innspill om startlån,housing,,zz,test\n", encoding="utf-8"
    )
    assert stages_rerun(project) == {"train", "evaluate", "classify", "report"}


def test_editing_a_raw_document_reruns_segmentation_but_not_training(project: Path):
    document = project / "data/raw/innspillmote-bodo-2018.txt"
    original = document.read_text(encoding="utf-8")
    document.write_text(original + "\nEt nytt avsnitt om bolig.\n", encoding="utf-8")
    assert stages_rerun(project) == {"ingest", "segment", "classify", "report"}


def test_a_fresh_clone_stays_clean_after_a_run(project: Path, tmp_path: Path):
    """Versioned are the inputs, dvc.lock and the evaluation metrics; every output is the
    same bytes for the same inputs (no time stamps, no absolute paths), and what depends
    on the workspace's history (metrics/promotion.json) is not versioned. So a clone's
    first `dvc repro`, which reruns everything, changes no versioned file."""
    git = ["git", "-c", "user.name=test", "-c", "user.email=test@example.org"]
    run([*git, "add", "-A"], project)
    run([*git, "commit", "-q", "-m", "a run"], project)
    clone = tmp_path / "clone"
    run(["git", "clone", "-q", str(project), str(clone)], tmp_path)
    run([str(BIN / "dvc"), "repro"], clone)
    assert run(["git", "status", "--porcelain"], clone) == ""
