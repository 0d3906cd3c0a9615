"""dvc.yaml names the model's files as tema does (tema.config.ModelFiles): the train
stage's outs, and every stage's deps on them."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from tema.config import load_config

REPO = Path(__file__).resolve().parent.parent


def _resolved(entries: list) -> set[Path]:
    """dvc.yaml paths with `${section.key}` filled in from params.yaml."""
    params = yaml.safe_load((REPO / "params.yaml").read_text(encoding="utf-8"))

    def value(match: re.Match[str]) -> str:
        node = params
        for key in match.group(1).split("."):
            node = node[key]
        return str(node)

    names = [next(iter(entry)) if isinstance(entry, dict) else entry for entry in entries]
    return {Path(re.sub(r"\$\{([\w.]+)\}", value, name)) for name in names}


def _stages() -> dict:
    return yaml.safe_load((REPO / "dvc.yaml").read_text(encoding="utf-8"))["stages"]


def test_train_outs_are_the_model_files_tema_writes():
    config = load_config(REPO / "params.yaml")
    files = config.train.model_files
    outs = _resolved(_stages()["train"]["outs"]) - {config.train.cv_predictions}
    assert outs == {files.model, files.predictor, files.card, files.card_md}


def test_classify_and_evaluate_depend_on_the_model_files_tema_reads():
    files = load_config(REPO / "params.yaml").train.model_files
    assert {files.model, files.predictor, files.card} <= _resolved(_stages()["classify"]["deps"])
    assert files.card in _resolved(_stages()["evaluate"]["deps"])


def test_every_path_dvc_yaml_spells_out_is_one_tema_derives_from_params():
    # dvc.yaml takes its paths from params.yaml (${...}), except the model's files, which
    # DVC templating cannot derive from train.model. Before, only the train, classify and
    # evaluate stages' copies were checked: report's dep on the model card could name a
    # file tema no longer writes (train.model moved) and DVC would not rerun the report.
    files = load_config(REPO / "params.yaml").train.model_files
    derived = {files.model, files.predictor, files.card, files.card_md}
    spelt = {
        (name, Path(path))
        for name, stage in _stages().items()
        for key in ("deps", "outs")
        for path in (next(iter(e)) if isinstance(e, dict) else e for e in stage.get(key, []))
        if "${" not in path and not path.startswith("src/")
    }
    assert {(name, path) for name, path in spelt if path not in derived} == set()
    assert ("report", files.card) in spelt
