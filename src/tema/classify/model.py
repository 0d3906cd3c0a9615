"""The theme classifier: a scikit-learn estimator, its model card, and safe save/load.

`ThemeClassifier` follows scikit-learn's conventions (fit / predict / predict_proba).
`ThemeModel` is what users get from `load_model`: the fitted classifier together with
its card, whose `predict(texts)` returns the fields tema writes for every unit. Its
TF-IDF probabilities come from `tema.classify.predictor.LinearThemePredictor`, which gives the
scikit-learn pipeline's results faster; `save_model` also writes that predictor's arrays,
so `tema classify` can use them without scikit-learn (`tema.classify.predictor.load_predictor`).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.utils.validation import check_is_fitted

from tema.classify.card import (
    card_path_for,
    check_library_versions,
    checked_card,
    library_versions,
    predictor_path_for,
    verified_bytes,
)

# Moved to tema.classify.card and tema.classify.predictor (which need no scikit-learn);
# still importable from here, as are decide and normalise_text.
from tema.classify.card import model_path_for as model_path_for
from tema.classify.card import read_card as read_card
from tema.classify.context import sharpen
from tema.classify.predictor import PREDICTION_COLUMNS as PREDICTION_COLUMNS
from tema.classify.predictor import (
    PREDICTOR_FORMAT,
    DecisionRule,
    LinearThemePredictor,
    arrays_from_classifier,
    as_texts,
    normalise_text,
    save_arrays,
)
from tema.classify.predictor import (
    decide as decide,
)
from tema.errors import ModelError
from tema.io.files import atomic_write, sha256_of, write_json

# Libraries whose version must match between training and loading: a pickled
# estimator from another scikit-learn may load yet predict differently.
PINNED_LIBRARIES = ("scikit-learn", "numpy", "scipy", "joblib")
# "none": TF-IDF only (fast); "cascade": embeddings for the units TF-IDF is unsure of.
EMBEDDING_MODES = ("none", "cascade")
# How the cascade pools the two models' probabilities (ThemeClassifier).
POOLINGS = ("mean", "geometric")
# Card entries about the predictor file (tema.classify.predictor), and what its scope means.
PREDICTOR_CARD_KEYS = ("predictor_file", "predictor_sha256", "predictor_scope")
PREDICTOR_SCOPES = {
    "model": "gives the model's predictions",
    "tfidf_stage": "the TF-IDF stage only; the cascade is classified with the model file",
    "none": "its format only; this layout is classified with the model file",
}


class ThemeClassifier(ClassifierMixin, BaseEstimator):
    """Word and character n-gram TF-IDF, a linear model, and calibrated probabilities.

    Character n-grams carry Norwegian compounds ("arbeidsgiver", "arbeidsgiveransvar")
    that word features split into unrelated tokens.

    With `embeddings="cascade"` a second model, logistic regression on multilingual
    sentence embeddings (see `tema.classify.embeddings`), is fitted too. It knows words the
    labelled units never use, but embeds only ≈ 25 units/s here, so it is asked only
    about the units the fast model is unsure of (confidence below `cascade_below`);
    for those the two models' probabilities are pooled: by their mean (`pooling="mean"`,
    the default; `tema train` then fits a temperature that sharpens the pool, see
    `cascade_parts`) or by their geometric mean (`geometric_pool`).
    """

    def __init__(
        self,
        c: float = 4.0,
        word_ngram_max: int = 2,
        char_ngram_min: int = 2,
        char_ngram_max: int = 5,
        calibration: str = "sigmoid",
        calibration_folds: int = 5,
        embeddings: str = "none",
        cascade_below: float = 0.8,
        embedding_c: float = 10.0,
        embedding_cache: str | None = None,
        embedding_prefix: str = "query",
        pooling: str = "mean",
        second_label_weight: float = 0.0,
        random_state: int = 0,
    ) -> None:
        self.c = c
        self.word_ngram_max = word_ngram_max
        self.char_ngram_min = char_ngram_min
        self.char_ngram_max = char_ngram_max
        self.calibration = calibration
        self.calibration_folds = calibration_folds
        self.embeddings = embeddings
        self.cascade_below = cascade_below
        self.embedding_c = embedding_c
        self.embedding_cache = embedding_cache
        self.embedding_prefix = embedding_prefix
        self.pooling = pooling
        self.second_label_weight = second_label_weight
        self.random_state = random_state

    def _calibrated(self, c: float) -> CalibratedClassifierCV:
        linear = LogisticRegression(
            C=c, max_iter=3000, class_weight="balanced", random_state=self.random_state
        )
        return CalibratedClassifierCV(linear, method=self.calibration, cv=self.calibration_folds)

    def _build(self) -> Pipeline:
        features = FeatureUnion(
            [
                (
                    "words",
                    TfidfVectorizer(
                        preprocessor=normalise_text,
                        ngram_range=(1, self.word_ngram_max),
                        sublinear_tf=True,
                        min_df=1,
                    ),
                ),
                (
                    "chars",
                    TfidfVectorizer(
                        preprocessor=normalise_text,
                        analyzer="char_wb",
                        ngram_range=(self.char_ngram_min, self.char_ngram_max),
                        sublinear_tf=True,
                        min_df=2,
                    ),
                ),
            ]
        )
        return Pipeline([("features", features), ("classifier", self._calibrated(self.c))])

    def _build_embedding_model(self) -> Pipeline:
        from tema.classify.embeddings import E5Embedder  # the embedding package is optional

        return Pipeline(
            [
                (
                    "embeddings",
                    E5Embedder(cache_dir=self.embedding_cache, prefix=self.embedding_prefix),
                ),
                ("classifier", self._calibrated(self.embedding_c)),
            ]
        )

    def fit(self, texts, labels, second_labels=None) -> ThemeClassifier:
        """Fit on `texts` and their `labels`.

        With `second_label_weight` > 0, a unit with a second label (`second_labels`, ""
        for none) is also learned as an example of that theme, at that weight: an
        equivalent of multi-label training that keeps one calibrated distribution.
        """
        if self.embeddings not in EMBEDDING_MODES:
            raise ValueError(
                f"embeddings must be one of {', '.join(EMBEDDING_MODES)}, got {self.embeddings!r}"
            )
        if self.pooling not in POOLINGS:
            raise ValueError(f"pooling must be one of {', '.join(POOLINGS)}, got {self.pooling!r}")
        texts = as_texts(texts)
        labels = np.asarray(labels, dtype=object)
        if len(texts) != len(labels):
            raise ValueError(f"{len(texts)} texts but {len(labels)} labels")
        weighting: dict[str, np.ndarray] = {}
        if second_labels is not None and getattr(self, "second_label_weight", 0.0) > 0:
            second_labels = np.asarray(as_texts(second_labels), dtype=object)
            extra = np.flatnonzero(second_labels != "")
            texts = texts + [texts[i] for i in extra]
            labels = np.concatenate([labels, second_labels[extra]])
            weighting["classifier__sample_weight"] = np.concatenate(
                [np.ones(len(texts) - len(extra)), np.full(len(extra), self.second_label_weight)]
            )
        self.pipeline_ = self._build().fit(texts, labels, **weighting)
        self.classes_ = self.pipeline_.classes_
        self.embedding_pipeline_ = (
            self._build_embedding_model().fit(texts, labels, **weighting)
            if self.embeddings == "cascade"
            else None
        )
        return self

    def predict_proba(self, texts) -> np.ndarray:
        check_is_fitted(self, "pipeline_")
        texts = as_texts(texts)
        return self.cascade(texts, self.pipeline_.predict_proba(texts))

    def cascade(self, texts: list[str], probabilities: np.ndarray) -> np.ndarray:
        """The TF-IDF `probabilities` of `texts`, with the embedding model's pooled in
        where they are unsure (unchanged without the cascade)."""
        return self.cascade_parts(texts, probabilities)[0]

    def cascade_parts(
        self, texts: list[str], probabilities: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """`cascade`, and which units were pooled (a boolean mask).

        A pool is sharpened by `pool_temperature_`, which `tema train` fits on the
        out-of-fold pools (1 until then): the mean of two calibrated models is
        under-confident where they agree.
        """
        pooled = np.zeros(len(probabilities), dtype=bool)
        if getattr(self, "embedding_pipeline_", None) is None or not texts:
            return probabilities, pooled
        unsure = np.flatnonzero(probabilities.max(axis=1) < self.cascade_below)
        pooled[unsure] = True
        if len(unsure):
            second_opinion = self.embedding_pipeline_.predict_proba([texts[i] for i in unsure])
            # Models saved before `pooling` was a parameter pooled geometrically.
            if getattr(self, "pooling", "geometric") == "mean":
                pool = (probabilities[unsure] + second_opinion) / 2
            else:
                pool = geometric_pool(probabilities[unsure], second_opinion)
            probabilities[unsure] = sharpen(pool, getattr(self, "pool_temperature_", 1.0))
        return probabilities, pooled

    def predict(self, texts) -> np.ndarray:
        return self.classes_[np.argmax(self.predict_proba(texts), axis=1)]


def geometric_pool(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """Combine two models' class probabilities by their normalised geometric mean.

    The arithmetic mean of two calibrated models is under-confident where they agree;
    the geometric mean is sharper and measured better calibrated in grouped CV
    (expected calibration error 0.092 against 0.108, docs/classifier.md).
    """
    pooled = np.sqrt(np.clip(first, 1e-12, None) * np.clip(second, 1e-12, None))
    return pooled / pooled.sum(axis=1, keepdims=True)


@dataclass
class ThemeModel:
    """A fitted classifier with the card that describes and guards it."""

    classifier: ThemeClassifier
    card: dict[str, Any]

    @property
    def uncertainty_threshold(self) -> float:
        return float(self.card["uncertainty_threshold"])

    @property
    def second_theme_threshold(self) -> float:
        return float(self.card["second_theme_threshold"])

    @property
    def classes(self) -> np.ndarray:
        return self.classifier.classes_

    @property
    def uses_embeddings(self) -> bool:
        """Whether predictions run the e5 encoder (multi-threaded, never in a fork)."""
        return getattr(self.classifier, "embedding_pipeline_", None) is not None

    @property
    def rule(self) -> DecisionRule:
        return DecisionRule.from_card(self.card)

    def predict(self, texts) -> pd.DataFrame:
        """One row per text: theme, confidence, second_theme, uncertain."""
        texts = as_texts(texts)
        probabilities = self.predict_proba(texts) if texts else np.empty((0, 0))
        return self.rule.apply(probabilities, self.classes)

    def predict_proba(self, texts) -> np.ndarray:
        """The classifier's `predict_proba`, with the TF-IDF stage computed faster."""
        texts = as_texts(texts)
        linear = self._linear_predictor
        if linear is None:
            return self.classifier.predict_proba(texts)
        return self.classifier.cascade(texts, linear.predict_proba(texts))

    @cached_property
    def _linear_predictor(self) -> LinearThemePredictor | None:
        """The TF-IDF stage as plain arrays; None for a layout it cannot reproduce
        (isotonic calibration), which then runs through scikit-learn."""
        try:
            arrays = arrays_from_classifier(self.classifier)
        except ModelError:
            return None
        return LinearThemePredictor(
            arrays, self.uncertainty_threshold, self.second_theme_threshold, self.rule
        )


def pinned_libraries(classifier: ThemeClassifier) -> tuple[str, ...]:
    """The libraries whose version a saved classifier depends on."""
    from tema.classify.embeddings import EMBEDDING_PACKAGE

    uses_embeddings = getattr(classifier, "embeddings", "none") != "none"
    return PINNED_LIBRARIES + ((EMBEDDING_PACKAGE,) if uses_embeddings else ())


def save_model(model: ThemeModel, path: str | Path) -> None:
    """Write the estimator, its predictor file, then its card with both files' hashes.

    The card goes last: a run killed before it leaves the old card, which refuses the
    new files by their hashes. A classifier whose layout the predictor cannot reproduce
    (isotonic calibration) gets a predictor file that holds only its format, and the
    card's ``predictor_scope`` "none": the file always exists, as `dvc.yaml` declares it,
    and `tema classify` uses the pickled model.
    """
    path = Path(path)
    _forget_process_ids(model.classifier)
    with atomic_write(path, mode="wb") as handle:
        joblib.dump(model.classifier, handle, compress=3)
    predictor_path = predictor_path_for(path)
    try:
        arrays = arrays_from_classifier(model.classifier)
        cascade = getattr(model.classifier, "embedding_pipeline_", None) is not None
        scope = "tfidf_stage" if cascade else "model"
    except ModelError:
        arrays, scope = {"format": np.array(PREDICTOR_FORMAT)}, "none"
    save_arrays(arrays, predictor_path)
    card = {
        **{key: value for key, value in model.card.items() if key not in PREDICTOR_CARD_KEYS},
        "model_file": path.name,
        "model_sha256": sha256_of(path),
        "predictor_file": predictor_path.name,
        "predictor_sha256": sha256_of(predictor_path),
        "predictor_scope": scope,
        "library_versions": library_versions(pinned_libraries(model.classifier)),
    }
    write_json(card, card_path_for(path))
    with atomic_write(path.with_name(path.stem + ".card.md")) as handle:
        handle.write(render_card_markdown(card))


def _forget_process_ids(root: Any) -> None:
    """Drop what scikit-learn's vectorizers keep of this process: `_stop_words_id`, the
    memory address of their stop-word list (only a cache key for a consistency check).
    Pickled, it made the same model a different file in every run, and dvc.lock, which
    records the model's hash, changed with it."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        item = stack.pop()
        if id(item) in seen or isinstance(item, str | bytes | int | float | np.ndarray):
            continue
        seen.add(id(item))
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)
        elif hasattr(item, "__dict__") and not isinstance(item, type):
            vars(item).pop("_stop_words_id", None)
            stack.extend(vars(item).values())


def load_model(path: str | Path = "models/theme_classifier.joblib") -> ThemeModel:
    """Load a saved model after checking its hash and library versions against its card.

    The file is never unpickled before the checks: unpickling runs code, so a tampered
    file must be refused before it is opened by joblib.
    """
    path = Path(path)
    card = checked_card(path)
    data = verified_bytes(path, card, "model_sha256")
    # The base libraries always, plus any other the card names (the embedding package).
    names = tuple(dict.fromkeys([*PINNED_LIBRARIES, *card.get("library_versions", {})]))
    check_library_versions(path, card, names)
    classifier = joblib.load(io.BytesIO(data))
    return ThemeModel(classifier=classifier, card=card)


def _flagging_lines(card: dict[str, Any]) -> list[str]:
    flagging = card.get("flagging") or {}
    if flagging.get("until_accuracy") is None:
        return []
    return [
        f"- also uncertain: the least confident units of a batch, until the mean confidence "
        f"of the rest reaches {flagging['until_accuracy']} (at most "
        f"{flagging.get('max_share', 0.3):.0%} of the batch)"
    ]


def _fitted_lines(card: dict[str, Any]) -> list[str]:
    """The numbers fitted on out-of-fold predictions: pool temperature, context weights."""
    lines = []
    if card.get("pool_temperature") not in (None, 1.0):
        lines.append(
            f"- pooled TF-IDF and e5 probabilities sharpened by temperature "
            f"{card['pool_temperature']} (fitted on out-of-fold pools)"
        )
    context = card.get("context")
    if context:
        fit = context.get("fitted_on", {})
        lines.append(
            f"- context: neighbours within {context['reach']} units weigh "
            f"{context['neighbour_weight']}, the section heading {context['heading_weight']}, "
            f"temperature {context['temperature']} (fitted on {fit.get('units', 0)} units of the "
            f"labelled document rounds; log-loss {fit.get('log_loss_without')} → "
            f"{fit.get('log_loss_with')})"
        )
    return lines


def render_card_markdown(card: dict[str, Any]) -> str:
    """A human-readable model card."""
    cv = card.get("cross_validation", {})
    lines = [
        f"# Model card: {card.get('name', 'tema theme classifier')}",
        "",
        card.get("description", ""),
        "",
        "## Training data",
        f"- labelled units: {card.get('n_training_units')}",
        f"- per theme: {', '.join(f'{k} {v}' for k, v in card.get('label_counts', {}).items())}",
        f"- training data SHA-256: `{card.get('training_data_sha256')}`",
        "",
        "## Cross-validated quality",
        f"- scheme: {cv.get('scheme', '')}",
    ]
    for name in ("macro_f1", "accuracy", "expected_calibration_error"):
        metric = cv.get(name)
        if metric:
            lines.append(
                f"- {name}: {metric['value']:.3f} "
                f"(95% CI {metric['ci_low']:.3f}–{metric['ci_high']:.3f})"
            )
    per_theme = cv.get("per_theme_f1", {})
    if per_theme:
        lines += ["", "| theme | F1 | 95% CI |", "|---|---|---|"]
        lines += [
            f"| {theme} | {m['value']:.3f} | {m['ci_low']:.3f}–{m['ci_high']:.3f} |"
            for theme, m in per_theme.items()
        ]
    lines += [
        "",
        "## Decision rule",
        f"- uncertain below confidence {card.get('uncertainty_threshold')} "
        f"(chosen for precision ≥ {card.get('target_precision')} among confident units; "
        f"{cv.get('flagged_share', float('nan')):.1%} flagged in cross-validation)",
        *_flagging_lines(card),
        f"- second theme when its probability ≥ {card.get('second_theme_threshold')}",
        *_fitted_lines(card),
        "",
        "## Files and versions",
        f"- model file: `{card.get('model_file')}`, SHA-256 `{card.get('model_sha256')}`",
        *(
            [
                f"- predictor file (plain arrays for `tema classify`; "
                f"{PREDICTOR_SCOPES.get(card['predictor_scope'], card['predictor_scope'])}): "
                f"`{card['predictor_file']}`, SHA-256 `{card.get('predictor_sha256')}`"
            ]
            if card.get("predictor_file")
            else []
        ),
        *[f"- {name}: {value}" for name, value in card.get("library_versions", {}).items()],
        "",
    ]
    return "\n".join(lines)
