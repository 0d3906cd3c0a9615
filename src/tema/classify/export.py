"""The plain arrays of a fitted ``ThemeClassifier``'s TF-IDF stage, for the predictor file.

`arrays_from_classifier` reads scikit-learn's fitted attributes — some of them private
(``calibrated_classifiers_``, the calibrators' ``a_`` and ``b_``) — and checks that the
layout is one `tema.classify.predictor.LinearThemePredictor` reproduces exactly. It is the
one place that depends on scikit-learn's internals; it imports nothing of scikit-learn
itself (it reads attributes and type names), so a change there fails here, with a
ModelError, and not in the predictor.
"""

from __future__ import annotations

from itertools import chain
from typing import Any

import numpy as np
import numpy.typing as npt

from tema.classify.predictor import PREDICTOR_FORMAT
from tema.classify.text import TOKEN_PATTERN, normalise_text
from tema.errors import ModelError

Arrays = dict[str, npt.NDArray[Any]]


def _joined(strings: list[str], what: str) -> npt.NDArray[np.uint8]:
    joined = "\n".join(strings)
    _require(joined.count("\n") == max(len(strings) - 1, 0), f"its {what} contain newlines")
    return np.frombuffer(joined.encode("utf-8"), dtype=np.uint8)


def arrays_from_classifier(classifier: Any) -> Arrays:
    """The plain arrays of a fitted ``ThemeClassifier``'s TF-IDF pipeline (``pipeline_``),
    for `LinearThemePredictor` and the predictor file.

    Reads attributes only. A layout the predictor does not reproduce exactly (other
    features, isotonic calibration, another estimator) is a ModelError.
    """
    try:
        (_, union), (_, calibrated) = classifier.pipeline_.steps
        names = [name for name, _ in union.transformer_list]
        words, chars = (vectorizer for _, vectorizer in union.transformer_list)
        folds = calibrated.calibrated_classifiers_
    except (AttributeError, TypeError, ValueError) as error:
        raise ModelError(f"not a fitted TF-IDF theme classifier ({error})") from error
    _require(
        names == ["words", "chars"] and not union.transformer_weights,
        "its features are not the union of words and chars TF-IDF",
    )
    for vectorizer, analyzer in ((words, "word"), (chars, "char_wb")):
        _require(
            type(vectorizer).__name__ == "TfidfVectorizer"
            and vectorizer.analyzer == analyzer
            and vectorizer.preprocessor is normalise_text
            and vectorizer.tokenizer is None
            and vectorizer.token_pattern == TOKEN_PATTERN
            and vectorizer.stop_words is None
            and not vectorizer.binary
            and vectorizer.input == "content"
            and vectorizer.dtype is np.float64
            and vectorizer.norm == "l2"
            and vectorizer.use_idf
            and vectorizer.sublinear_tf,
            f"its {analyzer} vectorizer has other settings",
        )
    classes = np.asarray(calibrated.classes_)
    n_decisions = 1 if len(classes) == 2 else len(classes)
    _require(
        type(calibrated).__name__ == "CalibratedClassifierCV" and len(folds) >= 1,
        "its classifier is not a fitted CalibratedClassifierCV",
    )
    for fold in folds:
        estimator = fold.estimator
        _require(
            fold.method == "sigmoid"
            and type(estimator).__name__ == "LogisticRegression"
            and np.array_equal(estimator.classes_, classes)
            and estimator.coef_.shape == (n_decisions, len(words.idf_) + len(chars.idf_))
            and len(fold.calibrators) == n_decisions
            and all(type(c).__name__ == "_SigmoidCalibration" for c in fold.calibrators),
            "it is not sigmoid-calibrated logistic regression over all classes",
        )
    return {
        "format": np.array(PREDICTOR_FORMAT),
        "classes": classes.astype(str),
        **_word_arrays(words),
        "char_ngrams": _joined(_in_column_order(chars.vocabulary_), "character n-grams"),
        "char_ngram_range": np.array(chars.ngram_range),
        "char_idf": np.asarray(chars.idf_, dtype=np.float64),
        "coef": np.ascontiguousarray(
            np.stack([f.estimator.coef_.T for f in folds], axis=1), dtype=np.float64
        ),
        "intercept": np.stack(
            [np.broadcast_to(f.estimator.intercept_, (n_decisions,)) for f in folds]
        ).astype(np.float64),
        "sigmoid_a": np.array([[c.a_ for c in f.calibrators] for f in folds], dtype=np.float64),
        "sigmoid_b": np.array([[c.b_ for c in f.calibrators] for f in folds], dtype=np.float64),
    }


def _require(condition: bool, problem: str) -> None:
    if not condition:
        raise ModelError(f"the predictor cannot reproduce this classifier: {problem}")


def _word_arrays(vectorizer: Any) -> Arrays:
    """The word vocabulary as its distinct tokens and, per column, its n-gram's token ids."""
    token_lists = [gram.split(" ") for gram in _in_column_order(vectorizer.vocabulary_)]
    min_n, max_n = vectorizer.ngram_range
    _require(
        all(min_n <= len(tokens) <= max_n for tokens in token_lists),
        "its word vocabulary has n-grams outside its ngram_range",
    )
    tokens = list(dict.fromkeys(chain.from_iterable(token_lists)))
    token_ids = dict(zip(tokens, range(len(tokens)), strict=True))
    ngrams = np.full((len(token_lists), max(map(len, token_lists), default=1)), -1, np.int32)
    for column, gram_tokens in enumerate(token_lists):
        ngrams[column, : len(gram_tokens)] = [token_ids[token] for token in gram_tokens]
    return {
        "word_tokens": _joined(tokens, "word tokens"),
        "word_ngrams": ngrams,
        "word_idf": np.asarray(vectorizer.idf_, dtype=np.float64),
    }


def _in_column_order(vocabulary: dict[str, int]) -> list[str]:
    grams = sorted(vocabulary, key=vocabulary.__getitem__)
    columns = [int(vocabulary[gram]) for gram in grams]
    _require(columns == list(range(len(grams))), "its vocabulary columns are not 0 … n-1")
    return grams
