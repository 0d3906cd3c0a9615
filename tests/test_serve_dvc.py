"""After labels and a retraining in the browser app, `dvc repro` still works and settles.

A scratch DVC project (the tests' own meeting input, the tiny labelled set, the fast
path) is run with `dvc repro`; then the app's own code labels three units of the
pipeline's batch, imports them and retrains, as the retrain button does. `dvc repro`
must then rerun training, succeed, and find nothing to do the time after.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

from conftest import tiny_rows, write_labeled_csv, write_meeting_batch, write_senter_lock
from test_pipeline import BIN, REPO, run, stages_rerun

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("served")
    write_meeting_batch(root / "data" / "raw")
    for name in ("src", "models/nb_senter"):
        shutil.copytree(
            REPO / name, root / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info")
        )
    (root / "data" / "labeled").mkdir(parents=True)
    write_labeled_csv(root / "data" / "labeled" / "tiny.csv", tiny_rows())
    shutil.copy(REPO / "dvc.yaml", root / "dvc.yaml")
    write_senter_lock(REPO, root)  # the sentence model is checked, not trained
    params = yaml.safe_load((REPO / "params.yaml").read_text(encoding="utf-8"))
    params["segment"]["jobs"] = params["classify"]["jobs"] = 1
    params["train"].update(jobs=1, cv_folds=3)
    params["train"]["classifier"].update(embeddings="none", embedding_cache="")
    # train.context stays: dvc.yaml names it as a param of train. The tiny set has no
    # document rounds, so its weights are fitted on no unit (and come out zero).
    params["evaluate"]["learning_curve_fractions"] = [0.5, 1.0]
    params["promote"]["resamples"] = 200
    (root / "params.yaml").write_text(yaml.safe_dump(params, allow_unicode=True), encoding="utf-8")
    for name in (".gitignore", ".dvcignore"):
        shutil.copy(REPO / name, root / name)
    run(["git", "init", "-q"], root)
    run([str(BIN / "dvc"), "init", "-q"], root)
    run([str(BIN / "dvc"), "config", "core.analytics", "false"], root)
    run([sys.executable, str(REPO / "scripts" / "repro.py")], root)
    return root


def test_dvc_repro_after_labels_and_a_retraining_in_the_app(
    project: Path, monkeypatch: pytest.MonkeyPatch
):
    from tema.serve.state import AppState, ServeSettings
    from tema.serve.tasks import Context, retrain

    monkeypatch.chdir(project)
    state = AppState.create(ServeSettings(data_dir=Path("data/serve"), run_jobs=False))
    units = pd.read_csv(project / "reports" / "units.csv", keep_default_na=False)
    for row, theme in zip(
        units.head(3).itertuples(), ("housing", "employers", "other"), strict=True
    ):
        state.log.record("kari", "label", ("pipeline", row.doc, row.unit), row.text, theme)
    job = state.jobs.submit("retrain")
    result = retrain(Context(state.config, state.settings.data_dir, job))
    imported = result["imports"][0]
    # The test's meeting input repeats some labelled sentences: those are already labelled.
    assert imported["added"] >= 1
    assert imported["added"] + imported["already"] + imported["conflicts"] == 3
    assert result["status"] in {"promoted", "rejected"}
    # Scored on the users' own units: read back from where training put its predictions.
    assert result["own"]["n"] == imported["added"]
    assert len(list((project / "data" / "labeled").glob("import-*-kari-*.csv"))) == 1
    # dvc sees the new labels: training runs again (and classify and report too if the
    # model changed), everything succeeds, and the next `dvc repro` has nothing to do.
    assert {"train", "evaluate"} <= stages_rerun(project)
    assert stages_rerun(project) == set()
