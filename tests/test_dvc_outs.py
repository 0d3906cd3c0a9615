"""dvc.yaml names the model's files as tema does (tema.config.ModelFiles): the train
stage's outs, and the classify and evaluate stages' deps on them."""

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
