"""tema.serve.pipeline: a batch through the stages' run(config, …) in its own folder, and
training through the gated train stage, as the app's jobs run them (in this process)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from conftest import write_meeting_batch
from serve_helpers import make_project
from tema.config import Config, load_config
from tema.serve import pipeline
from tema.serve.annotations import Decision

pytestmark = pytest.mark.slow  # the whole pipeline on a batch, and four trainings

NEW_UNITS = [
    ("Flere utleieboliger for store familier i Alta", "housing"),
    ("Norskkurs på kveldstid for dem som jobber skift", "education"),
    ("Bedriftene bør ta inn lærlinger med fluktbakgrunn", "employers"),
]


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("served")
    return make_project(root / "project", root / "lexicon")


@pytest.fixture
def config(project: Path, monkeypatch: pytest.MonkeyPatch) -> Config:
    monkeypatch.chdir(project)  # the paths of params.yaml are relative to the project
    return load_config(Path("params.yaml"))


def steps_seen(calls: list[tuple[str, int, int | None]], step: str) -> list[int]:
    return [done for name, done, _ in calls if name == step]


def test_a_batch_runs_through_the_stages_into_its_own_folder(config: Config):
    calls: list[tuple[str, int, int | None]] = []

    def progress(step: str, done: int, total: int | None) -> None:
        calls.append((step, done, total))

    trained = pipeline.train(config, progress)
    assert trained.verdict.status == "first model" and pipeline.model_exists(config)
    assert steps_seen(calls, "train") == [0, 1, 2, 3]
    files = pipeline.BatchFiles.in_folder(Path("data/serve/batches/b/runs/r"))
    write_meeting_batch(files.raw_dir)
    batch = pipeline.batch_config(config, files)
    assert pipeline.ingest(batch).documents == 4
    n_units = pipeline.segment(batch, progress)
    assert n_units > 0 and steps_seen(calls, "segment")[-1] == 4  # each document seen
    assert pipeline.classify(batch, progress) == n_units
    assert steps_seen(calls, "classify")[-1] == n_units
    reported = pipeline.report(batch, "nb", source="Innspillmøter 2018")
    assert reported.n_units > 0
    assert "Innspillmøter 2018" in (files.report_dir / "report.html").read_text(encoding="utf-8")
    picked = pipeline.suggest(batch, files.suggestions, n=5)
    queue = pd.read_csv(files.suggestions, keep_default_na=False)
    assert len(queue) == len(picked.suggestions) == 5 and {"doc", "unit"} <= set(queue.columns)
    for path in (files.documents, files.skipped, files.units, files.classified):
        assert path.is_file()
    # Nothing of the pipeline's own files was written: only the batch's.
    for path in (
        config.ingest.documents,
        config.segment.units,
        config.classify.classified,
        config.report.out_dir,
        config.labels.suggestions,
    ):
        assert not path.exists(), path


def test_the_own_score_is_read_where_training_put_the_candidate(
    config: Config, monkeypatch: pytest.MonkeyPatch
):
    """Saved labels count as the users' own; a rejected candidate's predictions are read
    from beside it, a promoted one's from the pipeline's file."""
    from tema.train import promote

    decisions = [
        Decision(f"d{n}", "", "kari", "label", "b", "notes.txt", n, text, label)
        for n, (text, label) in enumerate(NEW_UNITS)
    ]
    saved = pipeline.save_labels(config, "kari", decisions)
    assert len(saved.added) == 3 and set(saved.added["source"].str[:10]) == {"tema serve"}
    if not pipeline.model_exists(config):
        pipeline.train(config)
    monkeypatch.setattr(promote, "judge", lambda comparison, drop: ["a reason"])
    rejected = pipeline.train(config)
    assert rejected.verdict.status == "rejected"
    assert rejected.saved_to.parent == config.promote.candidate_dir
    own = pipeline.own_score(config, rejected)
    assert own is not None and own["n"] == 3
    forced = config.model_copy(
        update={"promote": config.promote.model_copy(update={"force": True})}
    )
    promoted = pipeline.train(forced)
    assert promoted.verdict.status == "forced"
    own = pipeline.own_score(config, promoted)
    assert own is not None and own["n"] == 3
