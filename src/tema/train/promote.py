"""The promotion gate: a newly trained model replaces the current one only if it is no worse.

Both models are scored on the **same units with the same labels**, chosen in this order:

1. `holdout`: a fixed labelled file (the `data/labeled/` format) that neither model
   trains on — the fairest comparison; units whose text is also in the training labels
   are left out of it.
2. `shared out-of-fold`: the units both models' cross-validations scored, i.e. the
   labelled units that were already there last time (same id, text and label), each
   predicted by a model that never saw it: the current model's out-of-fold predictions
   (`metrics/cv_predictions.csv`) against the candidate's. It answers "do the new
   labels help predict the labels we already trusted?" — a poisoned label file makes
   the candidate worse here.
3. `cross-validation cards`: when there is nothing shared, each model's own CV score,
   on different label sets (stated as such in the verdict).

The candidate is rejected if its macro-F1 falls below the lower end of the current
model's 95% interval, or if any theme's F1 drops by more than `max_theme_drop`.

A few wrong labels among thousands barely move those scores, so the new labels are
checked too: the current model has never seen them, and its probabilities are
calibrated, so the share of new labels that match its guess should be close to its
mean confidence on them (lower confidence on the hard units `tema suggest` picks lowers
the expectation too). If the observed share is more than `new_label_max_shortfall`
below it and more than `new_label_z` standard errors below it, the new labels are held
back as suspect (a poisoned or mixed-up file).

The comparisons themselves (the scores and their intervals) are in `tema.train.comparisons`.
"""

from __future__ import annotations

import warnings
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from tema.classify.card import EarlierVersionModelError, read_checked_card
from tema.config import ModelFiles, PromoteSettings
from tema.errors import ModelError, TemaError
from tema.train.comparisons import (
    compare_cards,
    holdout_comparison,
    shared_oof_comparison,
)
from tema.train.verdict import Comparison, GateText, Verdict

if TYPE_CHECKING:
    from tema.classify.model import ThemeModel


def judge(comparison: Comparison, max_theme_drop: float) -> list[str]:
    """Reasons to reject the candidate (empty: it may replace the current model)."""
    reasons: list[str] = []
    macro = comparison.macro
    if macro["candidate"] < macro["current_ci_low"]:
        reasons.append(
            GateText.make(
                "macro_below",
                candidate=(macro["candidate"], 3),
                low=(macro["current_ci_low"], 3),
                high=(macro["current_ci_high"], 3),
            )
        )
    for theme, scores in comparison.per_theme.items():
        if scores["current"] - scores["candidate"] > max_theme_drop + 1e-9:
            reasons.append(
                GateText.make(
                    "theme_drop",
                    theme=theme,
                    drop=(scores["current"] - scores["candidate"], 3),
                    old=(scores["current"], 3),
                    new=(scores["candidate"], 3),
                    limit=(max_theme_drop, 2),
                )
            )
    return reasons


def new_units(current_oof: pd.DataFrame, candidate_oof: pd.DataFrame) -> pd.DataFrame:
    """Rows of the candidate's OOF that the current cross-validation did not have."""
    key = ["id", "text", "label"]
    known = current_oof[key].astype(str).drop_duplicates()
    merged = candidate_oof.astype({c: str for c in key}).merge(
        known, on=key, how="left", indicator=True
    )
    return merged[merged["_merge"] == "left_only"].drop(columns="_merge")


def check_new_labels(
    current_model: Any, new: pd.DataFrame, max_shortfall: float, z_limit: float
) -> dict[str, Any] | None:
    """How often the new labels match the current model's guess, against its confidence:
    suspect when the share is more than `max_shortfall` and `z_limit` standard errors
    below what the confidence expects. Labels of a theme the current model does not know
    (one added to `themes` since) cannot match its guess and are not judged."""
    classes = np.asarray(current_model.classifier.classes_, dtype=object)
    new = new[new["label"].isin(set(classes))]
    if len(new) == 0:
        return None
    texts = new["text"].tolist()
    probabilities = current_model.classifier.predict_proba(texts)
    guessed = classes[probabilities.argmax(axis=1)]
    confidence = probabilities.max(axis=1)
    observed = float(np.mean(guessed == new["label"].to_numpy(dtype=object)))
    expected = float(np.mean(confidence))
    spread = float(np.sqrt(np.sum(confidence * (1 - confidence)))) / len(new)
    z = (observed - expected) / spread if spread > 0 else 0.0
    suspect = expected - observed > max_shortfall and z < -z_limit
    return {
        "n_new_units": len(new),
        "agree_with_current_model": round(observed, 4),
        "expected_from_confidence": round(expected, 4),
        "z": round(z, 2),
        "suspect": int(suspect),
    }


def current_model(files: ModelFiles, force: bool = False) -> tuple[ThemeModel | None, GateText]:
    """The model to compare a candidate with, or None and why there is none. One whose files
    fail their checks stops training, unless `force` (which overrides the gate anyway); then,
    like an earlier tema's (a pickle), it is never loaded and is replaced, with a warning."""
    from tema.classify.persist import load_model

    try:
        if files.model.is_file():
            return load_model(files.model), GateText.make("no_current")
        if files.card.is_file():  # an earlier tema's card, beside its .joblib model?
            read_checked_card(files.card)
    except EarlierVersionModelError as error:
        warnings.warn(
            f"{error.card_path}: the current model was saved by an earlier version of tema "
            "(a pickle, which tema never loads); it is not compared with the new model, "
            "which replaces it",
            stacklevel=2,
        )
        return None, GateText.make("earlier", error=f"{error.card_path} (an earlier tema's)")
    except ModelError as error:
        if not force:
            raise
        warnings.warn(
            f"{error.problem}; the current model is replaced without a comparison (--force)",
            stacklevel=2,
        )
        return None, GateText.make("unusable", path=files.model)
    return None, GateText.make("no_current")


def evaluate_candidate(
    candidate: ThemeModel,
    candidate_oof: pd.DataFrame,
    labeled: pd.DataFrame,
    themes: list[str],
    current: tuple[ThemeModel | None, GateText],
    current_oof: pd.DataFrame | None,
    settings: PromoteSettings,
    force: bool = False,
    seed: int = 0,
) -> Verdict:
    """Compare the candidate with the `current` model (`current_model`; its out-of-fold
    predictions `current_oof`) and decide (see module docstring)."""
    model, why_none = current
    force = force or settings.force
    if model is None:
        return Verdict(True, "first model", [why_none], None)
    comparison = None
    if settings.holdout is not None:
        if not settings.holdout.is_file():
            raise TemaError(f"{settings.holdout}: held-out file (promote.holdout) not found")
        comparison = holdout_comparison(
            settings.holdout, model, candidate, labeled, themes, seed, settings.resamples
        )
    if comparison is None and current_oof is not None:
        comparison = shared_oof_comparison(
            current_oof, candidate_oof.astype(str), themes, seed, settings.resamples
        )
    if comparison is None:
        comparison = compare_cards(model.card, candidate.card, themes)
    reasons = judge(comparison, settings.max_theme_drop)
    new_labels = None
    if current_oof is not None:
        new_labels = check_new_labels(
            model,
            new_units(current_oof, candidate_oof),
            settings.new_label_max_shortfall,
            settings.new_label_z,
        )
    if new_labels and new_labels["suspect"]:
        reasons.append(
            GateText.make(
                "suspect",
                n=new_labels["n_new_units"],
                agree=(new_labels["agree_with_current_model"], "%"),
                expected=(new_labels["expected_from_confidence"], "%"),
                z=(new_labels["z"], 1),
            )
        )
    if not reasons:
        return Verdict(True, "promoted", [], comparison, new_labels)
    if force:
        return Verdict(True, "forced", reasons, comparison, new_labels)
    return Verdict(False, "rejected", reasons, comparison, new_labels)


def verdict_record(
    verdict: Verdict, candidate_model: Path | None, max_theme_drop: float
) -> dict[str, Any]:
    """promotion.json: the decision, and the numbers `dvc metrics diff` can compare."""
    record: dict[str, Any] = {
        # When: here and not in the model card, which is an output of `train` and must be
        # the same bytes for the same labels (dvc.lock records its hash).
        "decided_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "status": verdict.status,
        "promoted": int(verdict.promote),
        "reasons": verdict.reasons,
        "candidate_model": str(candidate_model) if candidate_model else None,
        "max_theme_drop": max_theme_drop,
    }
    comparison = verdict.comparison
    if comparison is not None:
        record.update(
            {
                "basis": comparison.basis,
                "basis_description": comparison.description,
                "n_units": comparison.n_units,
                "macro_f1": comparison.macro,
                "per_theme_f1": comparison.per_theme,
            }
        )
    if verdict.new_labels is not None:
        record["new_labels"] = verdict.new_labels
    return record
