"""Stage `evaluate`: metrics and plots from the cross-validated predictions of `train`.

`run` writes DVC metrics (``evaluate.metrics_dir``/metrics.json) and plot data
(confusion.csv, calibration.csv, learning_curve.csv), including a learning curve that
shows whether more labels would still pay.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from sklearn.metrics import precision_recall_fscore_support

from tema.classify.card import read_checked_card
from tema.config import Config, TrainSettings
from tema.errors import TemaError
from tema.io.files import write_csv, write_json
from tema.labels.store import load_labeled
from tema.train.metrics import calibration_table, macro_f1
from tema.train.stage import grouped_folds, make_classifier, warm_embedding_cache


@dataclass(frozen=True)
class EvaluateResult:
    metrics: Path
    plots: Path  # the folder of the plot tables


def run(config: Config, *, quiet: bool = True) -> EvaluateResult:
    """Metrics and plot tables from ``train.cv_predictions`` and the model card, and the
    learning curve refitted on ``train.labeled_dir`` (a progress bar unless `quiet`)."""
    settings = config.train
    out = config.evaluate.metrics_dir
    try:
        oof = pd.read_csv(settings.cv_predictions, keep_default_na=False)
    except (OSError, ValueError) as error:
        raise TemaError(f"{settings.cv_predictions}: cannot be read ({error})") from error
    card = read_checked_card(settings.model_files.card)
    labeled = load_labeled(settings.labeled_dir, config.theme_ids)
    write_json(evaluate(oof, card, config.theme_ids), out / "metrics.json")
    write_csv(confusion_rows(oof), out / "confusion.csv")
    write_csv(calibration_rows(oof), out / "calibration.csv")
    curve = learning_curve(
        labeled, config.theme_ids, settings, config.evaluate.learning_curve_fractions, quiet
    )
    write_csv(curve, out / "learning_curve.csv")
    return EvaluateResult(out / "metrics.json", out)


def per_theme_scores(truth: np.ndarray, predicted: np.ndarray, themes: list[str]) -> dict:
    precision, recall, f1, support = precision_recall_fscore_support(
        truth, predicted, labels=themes, zero_division=0
    )
    return {
        theme: {
            "precision": round(float(p), 4),
            "recall": round(float(r), 4),
            "f1": round(float(f), 4),
            "support": int(s),
        }
        for theme, p, r, f, s in zip(themes, precision, recall, f1, support, strict=True)
    }


def confusion_rows(oof: pd.DataFrame) -> pd.DataFrame:
    """One row per unit (actual, predicted): the form DVC's confusion template reads."""
    return pd.DataFrame({"actual": oof["label"], "predicted": oof["theme"]})


def calibration_rows(oof: pd.DataFrame) -> pd.DataFrame:
    correct = (oof["label"] == oof["theme"]).to_numpy()
    return pd.DataFrame(calibration_table(oof["confidence"].to_numpy(), correct))


def learning_curve(
    labeled: pd.DataFrame,
    themes: list[str],
    settings: TrainSettings,
    fractions: list[float],
    quiet: bool = True,
    description: str = "evaluate",
) -> pd.DataFrame:
    """Grouped-CV macro-F1 when training on a fraction of each training fold (a progress
    bar over the fits unless `quiet`; see `tema.progress`)."""
    from tema.progress import progress

    folds = grouped_folds(labeled, settings)
    texts = labeled["text"].to_numpy(dtype=object)
    labels = labeled["label"].to_numpy(dtype=object)
    rng = np.random.default_rng(settings.seed)
    splits = list(folds.split(texts, labels, labeled["batch"]))
    warm_embedding_cache(texts, settings)
    # Draw every subset first, in a fixed order, so the curve does not depend on how
    # the fits below are spread over cores.
    runs = []
    for fraction in fractions:
        for train_index, test_index in splits:
            size = max(round(fraction * len(train_index)), 6 * len(themes))
            subset = rng.choice(train_index, size=min(size, len(train_index)), replace=False)
            if len(set(labels[subset])) == len(themes):
                runs.append((fraction, subset, test_index))

    def fit_and_score(subset: np.ndarray, test_index: np.ndarray) -> float:
        classifier = make_classifier(settings).fit(texts[subset], labels[subset])
        return macro_f1(themes)(labels[test_index], classifier.predict(texts[test_index]))

    fits = Parallel(n_jobs=settings.jobs, return_as="generator")(
        delayed(fit_and_score)(subset, test_index) for _, subset, test_index in runs
    )
    scores = list(progress(fits, description, len(runs), quiet))
    rows = []
    for fraction in fractions:
        mine = [
            (len(run[1]), score)
            for run, score in zip(runs, scores, strict=True)
            if run[0] == fraction
        ]
        if mine:
            rows.append(
                {
                    "labels": int(np.mean([size for size, _ in mine])),
                    "macro_f1": round(float(np.mean([score for _, score in mine])), 4),
                }
            )
    return pd.DataFrame(rows)


def evaluate(oof: pd.DataFrame, card: dict[str, Any], themes: list[str]) -> dict[str, Any]:
    """Headline metrics: the card's cross-validated figures plus per-theme detail."""
    cv = card["cross_validation"]
    return {
        "macro_f1": cv["macro_f1"]["value"],
        "macro_f1_ci": [cv["macro_f1"]["ci_low"], cv["macro_f1"]["ci_high"]],
        "accuracy": cv["accuracy"]["value"],
        "expected_calibration_error": cv["expected_calibration_error"]["value"],
        "accuracy_when_confident": cv["accuracy_when_confident"],
        "flagged_share": cv["flagged_share"],
        "uncertainty_threshold": card["uncertainty_threshold"],
        "n_labeled": len(oof),
        "per_theme": per_theme_scores(
            oof["label"].to_numpy(dtype=object), oof["theme"].to_numpy(dtype=object), themes
        ),
    }
