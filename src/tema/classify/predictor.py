"""Classification with the saved TF-IDF model's plain arrays: fast, and without scikit-learn.

`tema train` saves, beside the skops model file, a predictor file
(``theme_classifier.predictor.npz``): the fitted model's numbers as plain numpy arrays —
vocabularies, idf weights, and per calibration fold the logistic regression's
coefficients and the sigmoid calibrator's a and b (`tema.classify.export` reads them from
the fitted model). It is read with ``allow_pickle=False`` (nothing is unpickled) after its
hash is checked against the model card (`tema.classify.persist.load_predictor`).
`LinearThemePredictor` computes the model's probabilities from it with numpy (and scipy
for large inputs) in scikit-learn's order of floating-point operations, so they are
identical to the model's own (asserted in tests/test_predictor.py). `tema classify` thus
needs neither scikit-learn (≈ 1.8 s to import) nor the model file.

It is also faster per unit: each distinct word's n-gram columns are looked up once and
cached (case folding and the number rule act within a word), word n-grams that span
words are looked up by their token ids in a hash index, the counting, TF-IDF weighting
and normalisation run on whole chunks in numpy, and one sparse product scores all
calibration folds.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Mapping
from itertools import chain, repeat
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from tema.classify.decision import DecisionRule
from tema.classify.text import BULLET, as_texts, normalise_word, tokenize
from tema.errors import ModelError

# Version of the predictor file's layout; a file of another version is refused.
PREDICTOR_FORMAT = 1
# Distinct words whose n-gram columns are cached (then the cache starts again).
WORD_CACHE_SIZE = 200_000
# Texts featurised at once, fewer if `row × n_features + column` would overflow int32
# (int32 keys sort twice as fast as int64).
BATCH_TEXTS = 20_000
# From this many texts the sparse product and the sigmoids run in scipy, which is faster
# but takes ≈ 0.15 s to import; a small input (one document) is scored sooner without.
SCIPY_MIN_TEXTS = 2_000


def char_wb_ngrams(word: str, min_n: int, max_n: int) -> list[str]:
    """scikit-learn's ``char_wb`` n-grams of one word (``_char_wb_ngrams``): those of the
    word padded with a space each side; a padded word shorter than n is taken once."""
    padded = f" {word} "
    grams = []
    for n in range(min_n, max_n + 1):
        if len(padded) <= n:
            grams.append(padded)
            break
        grams += [padded[start : start + n] for start in range(len(padded) - n + 1)]
    return grams


class _WordCache(dict):
    """Raw word → its entry (`LinearThemePredictor._word_entry`), made on first look-up."""

    def __init__(self, entry: Callable[[str], bytes]) -> None:
        super().__init__()
        self._entry = entry

    def __missing__(self, word: str) -> bytes:
        self[word] = entry = self._entry(word)
        return entry


def expit(x: np.ndarray) -> np.ndarray:
    """scipy.special.expit of a (rows, columns) array: ``1 / (1 + exp(-x))``, for few
    rows computed here with the C library's exp, as scipy's (numpy's own vectorised exp
    may differ in the last bit)."""
    if len(x) >= SCIPY_MIN_TEXTS:
        from scipy.special import expit as scipy_expit

        return scipy_expit(x)
    minus_x = (-x).ravel().tolist()
    try:
        exp = np.fromiter(map(math.exp, minus_x), dtype=np.float64, count=len(minus_x))
    except OverflowError:  # exp(-x) beyond the largest float: inf, as in C
        exp = np.array([_exp_or_inf(value) for value in minus_x], dtype=np.float64)
    return 1.0 / (1.0 + exp.reshape(x.shape))


def _exp_or_inf(value: float) -> float:
    try:
        return math.exp(value)
    except OverflowError:
        return math.inf


class CsrArrays(NamedTuple):
    """A sparse matrix as scipy's csr_matrix holds it (without importing scipy)."""

    values: np.ndarray
    columns: np.ndarray
    indptr: np.ndarray
    n_columns: int


def sparse_dot(matrix: CsrArrays, dense: np.ndarray) -> np.ndarray:
    """``matrix @ dense`` with each row's terms added one by one in column order, from
    zero, as scipy's csr_matvecs does (which scikit-learn's LogisticRegression uses)."""
    values, columns, indptr, n_columns = matrix
    n_rows = len(indptr) - 1
    if n_rows >= SCIPY_MIN_TEXTS:
        import scipy.sparse as sp

        return sp.csr_matrix((values, columns, indptr), shape=(n_rows, n_columns)) @ dense
    # The same sums in numpy: add term p of every row that has one, p = 0, 1, …; with
    # the rows longest first, those that have one are a prefix.
    lengths = np.diff(indptr)
    longest_first = np.argsort(-lengths, kind="stable")
    first_terms = indptr[:-1][longest_first]
    rows_longer_than = np.searchsorted(-lengths[longest_first], -np.arange(lengths.max(initial=0)))
    product = np.zeros((n_rows, dense.shape[1]))
    for term, rows in enumerate(rows_longer_than):
        at = first_terms[:rows] + term
        product[:rows] += values[at, np.newaxis] * dense[columns[at]]
    result = np.empty_like(product)
    result[longest_first] = product
    return result


def _lengths(sequences: list) -> np.ndarray:
    return np.fromiter(map(len, sequences), dtype=np.int32, count=len(sequences))


class LinearThemePredictor:
    """The TF-IDF theme model's predictions from its plain arrays
    (``tema.classify.export.arrays_from_classifier``).

    ``predict_proba`` gives the probabilities of the model's TF-IDF pipeline, and
    ``predict`` the columns of its `DecisionRule`, as ``tema.classify.model.ThemeModel``
    does.
    """

    def __init__(
        self,
        arrays: Mapping[str, np.ndarray],
        uncertainty_threshold: float,
        second_theme_threshold: float,
        rule: DecisionRule | None = None,
    ) -> None:
        _check_format(arrays)
        tokens = _strings(arrays["word_tokens"])
        char_ngrams = _strings(arrays["char_ngrams"])
        _check_shapes(arrays, len(tokens), len(char_ngrams))
        self.classes = arrays["classes"].astype(object)
        self.uncertainty_threshold = float(uncertainty_threshold)
        self.second_theme_threshold = float(second_theme_threshold)
        self.rule = rule or DecisionRule(self.uncertainty_threshold, self.second_theme_threshold)
        word_ngrams = arrays["word_ngrams"]  # token ids per word column, -1 padded
        self._n_words = len(word_ngrams)
        self._n_features = self._n_words + len(char_ngrams)
        self._batch_texts = max(1, min(BATCH_TEXTS, (2**31 - 1) // self._n_features - 1))
        self._token_ids = dict(zip(tokens, range(len(tokens)), strict=True))
        # Token ids are 0 … T-1; T stands for every other token (in no n-gram).
        self._unknown_token = len(tokens)
        lengths = (word_ngrams >= 0).sum(axis=1)
        unigrams = np.flatnonzero(lengths == 1)
        unigram_tokens = [tokens[token_id] for token_id in word_ngrams[unigrams, 0].tolist()]
        self._unigram_columns = dict(zip(unigram_tokens, unigrams.tolist(), strict=True))
        # Longer word n-grams may span words: for each n, an index of their numbers
        # (`_ngram_numbers`; pandas looks many up at once in a hash table), and columns.
        self._spanning_ngrams: dict[int, tuple[pd.Index, np.ndarray]] = {}
        for n in range(2, word_ngrams.shape[1] + 1):
            columns = np.flatnonzero(lengths == n).astype(np.int32)
            numbers = pd.Index(self._ngram_numbers(word_ngrams[columns].T[:n].astype(np.int64)))
            if not numbers.is_unique:
                raise ModelError(f"the word {n}-grams are not distinct")
            if len(columns):
                self._spanning_ngrams[n] = (numbers, columns)
        self._char_columns = dict(
            zip(char_ngrams, range(self._n_words, self._n_features), strict=True)
        )
        self._char_ngram_range = tuple(int(n) for n in arrays["char_ngram_range"])
        self._words = _WordCache(self._word_entry)
        self._idf = np.concatenate([arrays["word_idf"], arrays["char_idf"]])
        coef = arrays["coef"]  # (features, folds, decision columns)
        _, self._n_folds, self._n_decisions = coef.shape
        # Every fold's coefficients side by side: one sparse product scores all folds.
        self._weights = coef.reshape(len(coef), -1)
        self._intercepts = arrays["intercept"].reshape(-1)
        self._sigmoid_a = arrays["sigmoid_a"].reshape(-1)
        self._sigmoid_b = arrays["sigmoid_b"].reshape(-1)

    def predict(self, texts) -> pd.DataFrame:
        """One row per text: theme, confidence, second_theme, uncertain."""
        return self.rule.apply(self.predict_proba(texts), self.classes)

    def predict_proba(self, texts) -> np.ndarray:
        """Class probabilities, columns in the order of `classes`."""
        texts = as_texts(texts)
        if not texts:
            return np.empty((0, len(self.classes)))
        # LogisticRegression.decision_function of every fold, then each fold's sigmoid
        # calibrators (_SigmoidCalibration.predict), element by element as scikit-learn.
        decisions = np.concatenate(
            [
                sparse_dot(self.features(texts[start : start + self._batch_texts]), self._weights)
                for start in range(0, len(texts), self._batch_texts)
            ]
        )
        decisions += self._intercepts
        return self._mean_over_folds(expit(-(self._sigmoid_a * decisions + self._sigmoid_b)))

    def features(self, texts: list[str]) -> CsrArrays:
        """The model's TF-IDF matrix: word then character n-gram columns, each vectorizer's
        part of a row scaled to unit length, as its FeatureUnion gives."""
        keys = self._ngram_keys(texts)
        # Sorted, as CountVectorizer's matrices are, so that the sums below (and the
        # sparse product) add in scikit-learn's order.
        keys.sort()
        first = np.empty(len(keys), dtype=bool)  # the first of equal keys
        first[:1] = True
        np.not_equal(keys[1:], keys[:-1], out=first[1:])
        repeats = np.flatnonzero(~first)
        keys = keys[first]
        indptr = np.searchsorted(keys, np.arange(len(texts) + 1, dtype=np.int32) * self._n_features)
        rows = np.repeat(np.arange(len(texts), dtype=np.int32), np.diff(indptr))
        columns = keys - rows * self._n_features
        # TfidfTransformer.transform: tf = log(count) + 1 (sublinear) times idf, then the
        # l2 norm. tf is exactly 1 for a count of 1: only the few repeated keys need more.
        values = self._idf[columns]
        # The k-th repeat (from 0), at position j, repeats key j - k - 1 of the unique keys.
        repeated, extra = np.unique(repeats - np.arange(1, len(repeats) + 1), return_counts=True)
        values[repeated] *= np.log(extra + 1.0) + 1.0
        # The norm of each (row, vectorizer) part: bincount adds the squares one by one
        # in index order, as inplace_csr_row_normalize_l2 does.
        parts = 2 * rows + (columns >= self._n_words)
        norms = np.sqrt(np.bincount(parts, weights=values * values, minlength=2 * len(texts)))
        values /= norms[parts]
        return CsrArrays(values, columns, indptr.astype(np.int32), self._n_features)

    def _ngram_keys(self, texts: list[str]) -> np.ndarray:
        """``row × n_features + column`` (int32) of every n-gram in the vocabularies."""
        if len(self._words) >= WORD_CACHE_SIZE:
            self._words.clear()
        word_lists = list(map(str.split, map(BULLET.sub, repeat(""), texts)))
        entries = list(map(self._words.__getitem__, chain.from_iterable(word_lists)))
        values = np.frombuffer(b"".join(entries), dtype=np.int32)
        word_rows = np.repeat(np.arange(len(texts), dtype=np.int32), _lengths(word_lists))
        rows = np.repeat(word_rows, _lengths(entries) // 4)
        is_token = values >= self._n_features
        own, tokens = np.flatnonzero(~is_token), np.flatnonzero(is_token)
        keys = [rows.take(own) * self._n_features + values.take(own)]
        token_ids = values.take(tokens).astype(np.int64) - self._n_features
        token_rows = rows.take(tokens)
        for n, (numbers, columns) in self._spanning_ngrams.items():
            count = len(token_ids) - n + 1
            if count <= 0:
                break
            # Every run of n tokens, as a number; those within one text that are known.
            found = self._ngram_numbers([token_ids[start : start + count] for start in range(n)])
            at = numbers.get_indexer(found)
            known = (at >= 0) & (token_rows[:count] == token_rows[n - 1 :])
            keys.append(token_rows[:count][known] * self._n_features + columns[at[known]])
        return np.concatenate(keys)

    def _ngram_numbers(self, token_ids) -> np.ndarray:
        """n-grams as numbers: the ids of their tokens (n arrays: first tokens, second
        tokens, …) as the digits of a number in base T + 1."""
        number = token_ids[0]
        for ids in token_ids[1:]:
            number = number * (self._unknown_token + 1) + ids
        return number

    def _word_entry(self, raw_word: str) -> bytes:
        """A raw word's cache entry (int32 bytes): the columns of the n-grams it gives on
        its own — its tokens' unigrams and its ``char_wb`` n-grams — then
        n_features + the id of each of its tokens, for the n-grams that span words."""
        word = normalise_word(raw_word)
        tokens = tokenize(word)
        grams = char_wb_ngrams(word, *self._char_ngram_range)
        columns = [*map(self._unigram_columns.get, tokens), *map(self._char_columns.get, grams)]
        token_ids = [self._token_ids.get(token, self._unknown_token) for token in tokens]
        entry = [column for column in columns if column is not None]
        entry += [self._n_features + token_id for token_id in token_ids]
        return np.array(entry, dtype=np.int32).tobytes()

    def _mean_over_folds(self, calibrated: np.ndarray) -> np.ndarray:
        """CalibratedClassifierCV.predict_proba from every fold's calibrated sigmoids:
        each fold's probabilities normalised, then their mean, in scikit-learn's order."""
        n_texts, n_classes = len(calibrated), len(self.classes)
        mean = np.zeros((n_texts, n_classes))
        for fold in range(self._n_folds):
            fold_columns = calibrated[:, fold * self._n_decisions : (fold + 1) * self._n_decisions]
            if n_classes == 2:  # one decision column: the second class
                probabilities = np.zeros((n_texts, 2))
                probabilities[:, 1] = fold_columns[:, 0]
                probabilities[:, 0] = 1.0 - probabilities[:, 1]
            else:
                probabilities = np.ascontiguousarray(fold_columns)
                denominator = np.sum(probabilities, axis=1)[:, np.newaxis]
                # All calibrators at zero: the uniform distribution instead.
                uniform = np.full_like(probabilities, 1 / n_classes)
                probabilities = np.divide(
                    probabilities, denominator, out=uniform, where=denominator != 0
                )
            probabilities[(probabilities > 1.0) & (probabilities <= 1.0 + 1e-5)] = 1.0
            mean += probabilities
        mean /= self._n_folds
        return mean


# --- The predictor file ------------------------------------------------------------------
# Its arrays. Strings (word tokens, character n-grams in column order) are stored
# "\n"-joined as UTF-8 bytes: tokens and n-grams of normalised text hold no newline.
ARRAYS = (
    "format", "classes", "word_tokens", "word_ngrams", "word_idf", "char_ngrams",
    "char_ngram_range", "char_idf", "coef", "intercept", "sigmoid_a", "sigmoid_b",
)  # fmt: skip
# Arrays of shape (folds, decision columns), beside "coef" (features, folds, decision columns).
_PER_DECISION_ARRAYS = ("intercept", "sigmoid_a", "sigmoid_b")


def _strings(data: np.ndarray) -> list[str]:
    return data.tobytes().decode("utf-8").split("\n") if len(data) else []


def _check_format(arrays: Mapping[str, np.ndarray]) -> None:
    missing = [name for name in ARRAYS if name not in arrays]
    if missing:
        raise ModelError(f"not a predictor file: no {', '.join(missing)}")
    if arrays["format"].shape != () or int(arrays["format"]) != PREDICTOR_FORMAT:
        raise ModelError(f"predictor file format {arrays['format']}, not {PREDICTOR_FORMAT}")


def _check_shapes(arrays: Mapping[str, np.ndarray], n_tokens: int, n_char_ngrams: int) -> None:
    """Refuse arrays that do not fit together (or would overflow the integer keys)."""
    n_classes = len(arrays["classes"])
    word_ngrams, coef = arrays["word_ngrams"], arrays["coef"]
    n_features = len(word_ngrams) + n_char_ngrams
    fits = (
        n_classes >= 2
        and word_ngrams.ndim == 2
        and word_ngrams.dtype.kind == "i"
        and len(word_ngrams) == len(arrays["word_idf"])
        and word_ngrams.max(initial=0) < n_tokens
        and n_char_ngrams == len(arrays["char_idf"])
        and arrays["char_ngram_range"].shape == (2,)
        and coef.ndim == 3
        and coef.shape[::2] == (n_features, 1 if n_classes == 2 else n_classes)
        and coef.shape[1] >= 1
        and all(arrays[name].shape == coef.shape[1:] for name in _PER_DECISION_ARRAYS)
        # Keys of two rows (row × n_features + column) and word-cache entries
        # (n_features + token id) fit in int32; n-gram numbers (token ids in base T + 1)
        # in int64.
        and 2 * (n_features + n_tokens) < 2**31
        and (n_tokens + 1) ** word_ngrams.shape[1] < 2**63
    )
    if not fits:
        raise ModelError("the predictor file's arrays do not fit together")


def read_arrays(data: bytes, path: Path) -> dict[str, np.ndarray]:
    """The arrays of a predictor file's (hash-checked) content; never unpickles."""
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as npz:
            return {name: npz[name] for name in npz.files}
    except (OSError, ValueError) as error:
        raise ModelError(f"{path}: not a readable predictor file ({error})") from error
