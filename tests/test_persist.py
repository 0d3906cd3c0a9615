"""`tema classify` and `tema train` refuse a model whose files were changed, and never run
code planted in them: an edited card, an edited model or predictor file, a pickle in place
of the model (also with a card forged to match it), a skops file holding a type tema does
not trust. A model saved by an earlier tema is not loaded: `train` replaces it with a
warning, `classify` asks for a retrained one."""

from __future__ import annotations

import hashlib
import json
import pickle
import shutil
import warnings
from pathlib import Path

import pandas as pd
import pytest
import skops.io as sio
import yaml
from typer.testing import CliRunner

from conftest import TINY_LABELED, tiny_rows, write_labeled_csv
from tema.classify.card import BINDING_KEY, bound
from tema.classify.persist import TRUSTED_TYPES
from tema.cli.main import app
from tema.config import ModelFiles

REPO = Path(__file__).resolve().parent.parent
FILES = ModelFiles.beside(Path("models/theme_classifier.skops"))
runner = CliRunner()


class Planted:
    """What an attacker plants: unpickling (`__reduce__`) or constructing it
    (`__setstate__`) writes the marker file."""

    def __init__(self, marker: Path) -> None:
        self.marker = str(marker)

    def __reduce__(self):
        return (Path.touch, (Path(self.marker),))

    def __setstate__(self, state: dict) -> None:
        Path(state["marker"]).touch()


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project folder with a model trained by `tema train` and units to classify."""
    root = tmp_path_factory.mktemp("project")
    params = yaml.safe_load((REPO / "params.yaml").read_text(encoding="utf-8"))
    params["train"].update(cv_folds=3, jobs=1)
    params["train"]["classifier"].update(calibration_folds=2, embeddings="none")
    params["evaluate"]["learning_curve_fractions"] = [1.0]
    (root / "params.yaml").write_text(yaml.safe_dump(params, allow_unicode=True), "utf-8")
    (root / "data" / "labeled").mkdir(parents=True)
    write_labeled_csv(root / "data" / "labeled" / "tiny.csv", tiny_rows())
    units = root / params["segment"]["units"]
    units.parent.mkdir(parents=True)
    texts = [text for texts in TINY_LABELED.values() for text in texts]
    pd.DataFrame({"doc": "d", "unit": range(len(texts)), "text": texts}).to_csv(units, index=False)
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)
        result = runner.invoke(app, ["train"])
    assert result.exit_code == 0, result.output
    return root


@pytest.fixture
def project(template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "project"
    shutil.copytree(template, root)
    monkeypatch.chdir(root)
    return root


def invoke(*args: str):
    return runner.invoke(app, list(args))


def refused(command: str, message: str) -> str:
    """Run `command`; it must fail with one line naming the problem."""
    result = invoke(command)
    assert result.exit_code == 1, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert lines[-1].startswith("error: "), result.output
    assert message in lines[-1], result.output
    assert "Traceback" not in result.output
    return lines[-1]


def forge_card(model: bytes) -> None:
    """What a careful forger does: the card's model hash and binding recomputed."""
    card = json.loads(FILES.card.read_text(encoding="utf-8"))
    card["model_sha256"] = hashlib.sha256(model).hexdigest()
    FILES.card.write_text(json.dumps(bound(card)), encoding="utf-8")


COMMANDS = ["classify", "train"]


def test_the_card_binds_itself_and_both_files(project: Path):
    card = json.loads(FILES.card.read_text(encoding="utf-8"))
    assert card["model_file"] == "theme_classifier.skops"
    assert card["model_sha256"] == hashlib.sha256(FILES.model.read_bytes()).hexdigest()
    assert card["predictor_sha256"] == hashlib.sha256(FILES.predictor.read_bytes()).hexdigest()
    assert bound(card)[BINDING_KEY] == card[BINDING_KEY]
    assert "skops" in card["library_versions"] and "joblib" not in card["library_versions"]
    # skops trusts nothing of the model beyond its defaults and TRUSTED_TYPES.
    untrusted = sio.get_untrusted_types(data=FILES.model.read_bytes())
    assert set(untrusted) <= set(TRUSTED_TYPES)


@pytest.mark.parametrize("command", COMMANDS)
def test_an_edited_card_is_refused(project: Path, command: str):
    card = json.loads(FILES.card.read_text(encoding="utf-8"))
    card["uncertainty_threshold"] = 0.0  # an edit by hand, hashes left as they were
    FILES.card.write_text(json.dumps(card, indent=2), encoding="utf-8")
    before = FILES.model.read_bytes()
    refused(command, "the model card was changed after training")
    assert FILES.model.read_bytes() == before  # `train` replaced nothing


# What shows a card's figures: the report's model section, `tema evaluate`'s metrics and
# `tema compare-models` (by cards) refuse an edited card too, so no edited score is shown.
@pytest.mark.parametrize(
    "command",
    [["evaluate"], ["compare-models", str(FILES.card), str(FILES.card)]],
    ids=["evaluate", "compare-models"],
)
def test_figures_from_an_edited_card_are_refused(project: Path, command: list[str]):
    card = json.loads(FILES.card.read_text(encoding="utf-8"))
    card["cross_validation"]["macro_f1"]["value"] = 0.99
    FILES.card.write_text(json.dumps(card, indent=2), encoding="utf-8")
    result = invoke(*command)
    assert result.exit_code == 1, result.output
    last = [line for line in result.output.splitlines() if line.strip()][-1]
    assert last.startswith("error: ") and "the model card was changed after training" in last


def test_the_report_refuses_an_edited_card(project: Path):
    raw = project / "data" / "raw"
    raw.mkdir(parents=True)
    (raw / "notat.txt").write_text("- Flere plasser i norskopplæringen.\n", encoding="utf-8")
    manifest = "file,meeting,region,date\nnotat.txt,Innspillmøte Bodø,Nord-Norge,2026-03-02\n"
    (raw / "manifest.csv").write_text(manifest, encoding="utf-8")
    params = yaml.safe_load(Path("params.yaml").read_text(encoding="utf-8"))
    params["segment"]["spacy_model"] = str(REPO / "models" / "nb_senter")
    Path("params.yaml").write_text(yaml.safe_dump(params, allow_unicode=True), "utf-8")
    for stage in ("ingest", "segment", "classify"):
        done = invoke(stage)
        assert done.exit_code == 0, done.output
    made = invoke("report", "--quiet")
    assert made.exit_code == 0, made.output
    card = json.loads(FILES.card.read_text(encoding="utf-8"))
    card["cross_validation"]["macro_f1"]["value"] = 0.99
    FILES.card.write_text(json.dumps(card, indent=2), encoding="utf-8")
    refused("report", "the model card was changed after training")


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("which", ["model", "predictor"])
def test_an_edited_model_or_predictor_file_is_refused(project: Path, command: str, which: str):
    path = FILES.model if which == "model" else FILES.predictor
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    line = refused(command, "does not match the card")
    assert str(path) in line


@pytest.mark.parametrize("command", COMMANDS)
def test_a_pickle_planted_in_place_of_the_model_never_runs(project: Path, command: str):
    marker = project / "owned"
    FILES.model.write_bytes(pickle.dumps(Planted(marker)))
    refused(command, "does not match the card")
    assert not marker.exists()


@pytest.mark.parametrize("command", COMMANDS)
def test_a_planted_pickle_with_a_forged_card_never_runs(project: Path, command: str):
    marker = project / "owned"
    planted = pickle.dumps(Planted(marker))
    FILES.model.write_bytes(planted)
    forge_card(planted)
    refused(command, "not a skops model file")
    assert not marker.exists()


def test_a_skops_file_with_an_untrusted_type_is_refused_before_construction(project: Path):
    marker = project / "owned"
    planted = sio.dumps({"classifier": Planted(marker)})
    FILES.model.write_bytes(planted)
    forge_card(planted)
    refused("train", "holds types tema does not trust")
    assert not marker.exists()
    # `tema classify` with a TF-IDF model checks the model file's hash and format but
    # classifies from the predictor file: the planted file is never loaded.
    assert invoke("classify").exit_code == 0
    assert not marker.exists()


def damage_current_model(how: str) -> None:
    """A model folder as a sync conflict, a lost file or a library upgrade leaves it."""
    if how == "model truncated":
        FILES.model.write_bytes(FILES.model.read_bytes()[:100])
    elif how == "card lost":
        FILES.card.unlink()
    elif how == "card cut":  # a sync conflict wrote half of it
        FILES.card.write_bytes(FILES.card.read_bytes()[:50])
    else:  # scikit-learn upgraded since the model was trained
        card = json.loads(FILES.card.read_text(encoding="utf-8"))
        card["library_versions"]["scikit-learn"] = "1.0.0"
        FILES.card.write_text(json.dumps(bound(card)), encoding="utf-8")


@pytest.mark.parametrize("how", ["model truncated", "card lost", "card cut", "libraries upgraded"])
def test_a_current_model_that_fails_its_checks_is_replaced_by_train_force(project: Path, how: str):
    """`tema train` refuses a current model it cannot check or load (it would compare the new
    model with it), and says how to go on: `--force` replaces it, with a warning."""
    damage_current_model(how)
    before = {path: path.read_bytes() for path in FILES.model.parent.iterdir() if path.is_file()}
    for command in ("train", "classify"):
        if how != "libraries upgraded" or command == "train":  # classify reads the arrays
            refused(command, "`tema train --force`")
    after = {path: path.read_bytes() for path in FILES.model.parent.iterdir() if path.is_file()}
    assert after == before  # the refusal replaced nothing
    with warnings.catch_warnings():  # shown by the CLI as one line, not raised
        warnings.simplefilter("always")
        result = invoke("train", "--force")
    assert result.exit_code == 0, result.output
    assert "warning: " in result.output and "replaced without a comparison" in result.output
    promotion = json.loads(Path("metrics/promotion.json").read_text(encoding="utf-8"))
    assert promotion["status"] == "first model"
    assert promotion["reasons"][0].startswith("no comparable current model")
    assert invoke("classify").exit_code == 0


# Pickles an earlier tema could have left: one referring to its old module `tema.model`
# (unpickled, it fails to import), one that would write the marker if unpickled.
EARLIER = {
    "old module": lambda marker: b"ctema.model\nThemeClassifier\n)\x81.",
    "planted": lambda marker: pickle.dumps(Planted(marker)),
}


def earlier_version_model(project: Path, kind: str) -> Path:
    """What an earlier tema left: models/theme_classifier.joblib, a pickle, and a card
    that matches it but binds nothing (cards had no binding then)."""
    old = project / "models" / "theme_classifier.joblib"
    data = EARLIER[kind](project / "owned")
    old.write_bytes(data)
    card = json.loads(FILES.card.read_text(encoding="utf-8"))
    del card[BINDING_KEY]
    card.update(model_file=old.name, model_sha256=hashlib.sha256(data).hexdigest())
    card["library_versions"]["joblib"] = "1.4.2"
    FILES.card.write_text(json.dumps(card, indent=2), encoding="utf-8")
    for path in (FILES.model, FILES.predictor):
        path.unlink()
    return old


@pytest.mark.parametrize("kind", sorted(EARLIER))
@pytest.mark.parametrize("configured", ["skops", "joblib"])
def test_train_replaces_a_model_of_an_earlier_tema_with_a_warning(
    project: Path, configured: str, kind: str
):
    old = earlier_version_model(project, kind)
    # The new params name theme_classifier.skops; a user's own may still name the .joblib.
    model = FILES.model if configured == "skops" else old.relative_to(project)
    with warnings.catch_warnings():  # shown by the CLI as one line, not raised
        warnings.simplefilter("always")
        result = invoke("train", "--model", str(model))
    assert result.exit_code == 0, result.output
    assert "warning: " in result.output and "saved by an earlier version of tema" in result.output
    assert "Traceback" not in result.output
    promotion = json.loads(Path("metrics/promotion.json").read_text(encoding="utf-8"))
    assert promotion["status"] == "first model"
    assert promotion["reasons"][0].startswith("no comparable current model")
    assert not (project / "owned").exists()
    assert set(sio.get_untrusted_types(file=model)) <= set(TRUSTED_TYPES)  # skops now
    assert invoke("classify", "--model", str(model), "-o", "out.csv").exit_code == 0


@pytest.mark.parametrize("kind", sorted(EARLIER))
def test_classify_asks_for_a_retrained_model_of_an_earlier_tema(project: Path, kind: str):
    old = earlier_version_model(project, kind)
    refused("classify", "earlier version of tema")
    result = invoke("classify", "--model", str(old), "-o", "out.csv")
    assert result.exit_code == 1 and "earlier version of tema" in result.output
    assert not (project / "owned").exists()
