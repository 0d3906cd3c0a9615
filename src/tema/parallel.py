"""Streaming and multi-core execution for `tema segment` and `tema classify`.

Large inputs are cut into chunks (documents for segmentation, rows of the units CSV for
classification); each chunk is processed on its own and its rows are appended to the
output file as soon as it is done, so memory holds a few chunks, never the whole corpus.
With ``jobs > 1`` the chunks are spread over worker processes, at most ``2 × jobs``
chunks in flight, and the results are written in input order, so the output is
byte-identical to a run with ``jobs=1``.

Workers are forked from the process that has already loaded the spaCy pipeline, word
list and classifier (the model's hash was checked by ``tema.model.load_model`` before it
was unpickled, once, in the parent): nothing is loaded or unpickled again in a worker.

``FastPredictor`` gives the same probabilities as ``ThemeModel.predict`` (asserted in the
tests), faster: the text is normalised once instead of once per vectorizer, and the
character n-grams (``char_wb``, which never cross a word boundary) are counted per word
with a cache, since the same words recur all the time.
"""

from __future__ import annotations

import collections
import csv
import gc
import multiprocessing
import os
from array import array
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from tema.files import atomic_write

if TYPE_CHECKING:  # tema.model imports scikit-learn, which `tema segment` never needs
    from tema.model import ThemeModel

# Rows of the units CSV per classification chunk, characters of raw text per segmentation
# chunk: large enough that per-chunk overhead is small, small enough for flat memory.
CLASSIFY_CHUNK_ROWS = 20_000
SEGMENT_CHUNK_CHARS = 1_000_000
# Distinct words whose character n-grams are cached (then the cache starts again).
WORD_CACHE_SIZE = 200_000

# Set in the parent before the workers are forked; read by the worker functions.
_STATE: dict[str, Any] = {}


def available_jobs(jobs: int | None) -> int:
    """``jobs`` as a worker count: 0 or negative means all cores."""
    if jobs is None or jobs <= 0:
        return os.cpu_count() or 1
    return jobs


def ordered_map(function: Callable, chunks: Iterable, jobs: int = 1) -> Iterator:
    """``function(chunk)`` for each chunk, in input order, over ``jobs`` forked processes.

    At most ``2 × jobs`` chunks are read ahead, so a long input stream is never held in
    memory. ``function`` must be a module-level function; it sees ``_STATE`` as it was
    when this generator started.
    """
    jobs = available_jobs(jobs)
    # What is loaded before the stream starts (word list, spaCy pipeline, model) lives as
    # long as the stream: frozen, the garbage collector no longer walks it on every full
    # collection (the word list's sets hold 1.3 million words, ≈ 10 % of segmentation
    # time), and forked workers keep sharing its memory pages instead of copying them
    # when a collection touches them.
    gc.freeze()
    try:
        if jobs == 1 or "fork" not in multiprocessing.get_all_start_methods():
            for chunk in chunks:
                yield function(chunk)
            return
        yield from _map_over_processes(function, chunks, jobs)
    finally:
        gc.unfreeze()


def _map_over_processes(function: Callable, chunks: Iterable, jobs: int) -> Iterator:
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        pending: collections.deque = collections.deque()
        try:
            for chunk in chunks:
                pending.append(pool.submit(function, chunk))
                if len(pending) >= 2 * jobs:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            for future in pending:
                future.cancel()


@dataclass(frozen=True)
class CsvRows:
    """Rows of a table as CSV text without the header line, with the table's columns.

    Workers send their rows back rendered: pandas takes ≈ 10 µs a row to render CSV, and
    done in the main process, which also reads the input and writes the file, that was
    a core's worth of work the workers waited for at 1M units.
    """

    columns: tuple[str, ...]
    text: str
    count: int


def render_csv(frame: pd.DataFrame) -> CsvRows:
    text = frame.to_csv(index=False, header=False, lineterminator="\n")
    return CsvRows(tuple(frame.columns), text, len(frame))


def write_csv_chunks(
    chunks: Iterable[pd.DataFrame | CsvRows], path: str | Path, columns
) -> int:
    """Write tables (frames, or rows already rendered by ``render_csv``) one after
    another as one CSV, with the first one's header (atomically: the old file stays until
    the last row is written); an empty stream gives a file with the header only.
    Returns the number of rows written."""
    rows = 0
    with atomic_write(path) as handle:
        header_written = False
        for chunk in chunks:
            rendered = chunk if isinstance(chunk, CsvRows) else render_csv(chunk)
            if not header_written:
                _write_header(handle, rendered.columns)
                header_written = True
            handle.write(rendered.text)
            rows += rendered.count
        if not header_written:
            _write_header(handle, columns)
    return rows


def _write_header(handle, columns) -> None:
    # The csv module quotes as pandas' to_csv does (QUOTE_MINIMAL, '"' doubled).
    csv.writer(handle, lineterminator="\n").writerow(list(columns))


# --- Segmentation -------------------------------------------------------------------------
def document_chunks(documents: Iterable, max_chars: int = SEGMENT_CHUNK_CHARS) -> Iterator[list]:
    """Ingested documents in lists of about ``max_chars`` characters (a longer document
    is a chunk of its own; units are numbered per document, so chunks are independent)."""
    chunk: list = []
    size = 0
    for document in documents:
        chunk.append(document)
        size += len(document.text)
        if size >= max_chars:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def _segment_chunk(documents: list) -> CsvRows:
    from tema.segment import segment_ingested, units_to_frame

    units = units_to_frame(segment_ingested(documents, _STATE["nlp"], **_STATE["options"]))
    return render_csv(units)


def segment_stream(documents: Iterable, nlp, jobs: int = 1, **options) -> Iterator[CsvRows]:
    """Unit tables (``tema.segment.FRAME_COLUMNS``) of ingested documents as CSV rows,
    chunk by chunk, in document order; the word list is loaded once, before any worker
    starts."""
    from tema.clean import as_lexicon

    options = {**options, "lexicon": as_lexicon(options.get("lexicon"))}
    _STATE.update(nlp=nlp, options=options)
    chunks = document_chunks(documents, SEGMENT_CHUNK_CHARS)  # read now: tests lower it
    yield from ordered_map(_segment_chunk, chunks, jobs)


# --- Classification -----------------------------------------------------------------------
class FastPredictor:
    """``ThemeModel.predict`` with the TF-IDF features computed faster, same results.

    Falls back to the model's own ``predict`` for a classifier it does not know how to
    speed up (the embedding cascade, or another feature layout).
    """

    def __init__(self, model: ThemeModel) -> None:
        from tema.model import normalise_text

        self.model = model
        self._normalise = normalise_text
        self._fast = False
        classifier = model.classifier
        if getattr(classifier, "embedding_pipeline_", None) is not None:
            return
        pipeline = getattr(classifier, "pipeline_", None)
        try:
            union = pipeline.named_steps["features"]
            vectorizers = dict(union.transformer_list)
            words, chars = vectorizers["words"], vectorizers["chars"]
        except (AttributeError, KeyError, TypeError):
            return
        expected = [("words", "word"), ("chars", "char_wb")]
        if [(name, v.analyzer) for name, v in union.transformer_list] != expected:
            return
        if union.transformer_weights or any(
            v.preprocessor is not normalise_text or v.binary or v.stop_words is not None
            for v in (words, chars)
        ):
            return
        self._words, self._chars = words, chars
        self._tokenize = words.build_tokenizer()
        self._final = pipeline.steps[-1][1]
        self._char_cache: dict[str, array] = {}
        self._fast = True

    def predict_proba(self, texts: list[str]) -> np.ndarray:
        if not self._fast:
            return self.model.classifier.predict_proba(texts)
        normalised = [self._normalise(text) for text in texts]
        features = sp.hstack(
            [self._word_features(normalised), self._char_features(normalised)]
        ).tocsr()
        return self._final.predict_proba(features)

    def predict(self, texts) -> pd.DataFrame:
        """One row per text: theme, confidence, second_theme, uncertain."""
        from tema.model import _as_texts, decide

        texts = _as_texts(texts)
        if not self._fast:
            return self.model.predict(texts)
        probabilities = self.predict_proba(texts) if texts else np.empty((0, 0))
        return decide(
            probabilities,
            self.model.classifier.classes_,
            self.model.uncertainty_threshold,
            self.model.second_theme_threshold,
        )

    def _word_features(self, normalised: list[str]):
        vectorizer = self._words
        vocabulary = vectorizer.vocabulary_
        tokenize = self._tokenize
        # Typed arrays rather than lists: numpy copies their buffer instead of converting.
        indices, indptr = array("i"), array("i", [0])
        min_n, max_n = vectorizer.ngram_range
        get, append = vocabulary.get, indices.append
        for text in normalised:
            tokens = tokenize(text)
            # The n-grams of scikit-learn's `_word_ngrams`, without building their list.
            for n in range(min_n, max_n + 1):
                # Shifted copies of the token list, zipped to the shortest: the n-grams.
                shifted = (tokens[i:] for i in range(n))
                grams = tokens if n == 1 else map(" ".join, zip(*shifted, strict=False))
                for gram in grams:
                    index = get(gram)
                    if index is not None:
                        append(index)
            indptr.append(len(indices))
        return self._tfidf(vectorizer, indices, indptr)

    def _char_features(self, normalised: list[str]):
        vectorizer = self._chars
        cache = self._char_cache
        indices, indptr = array("i"), array("i", [0])
        for text in normalised:
            # Normalised text has single spaces: split() gives the words `char_wb` sees.
            for word in text.split():
                found = cache.get(word)
                if found is None:
                    found = self._word_char_features(word)
                indices.extend(found)  # array to array: a memory copy
            indptr.append(len(indices))
        return self._tfidf(vectorizer, indices, indptr)

    def _word_char_features(self, word: str) -> array:
        vectorizer = self._chars
        vocabulary = vectorizer.vocabulary_
        grams = vectorizer._char_wb_ngrams(word)
        found = array("i", [vocabulary[g] for g in grams if g in vocabulary])
        if len(self._char_cache) >= WORD_CACHE_SIZE:
            self._char_cache.clear()
        self._char_cache[word] = found
        return found

    @staticmethod
    def _tfidf(vectorizer, indices: array, indptr: array):
        """The vectorizer's TF-IDF of the counted features, as its own transform gives."""
        counts = sp.csr_matrix(
            (
                np.ones(len(indices), dtype=vectorizer.dtype),
                np.frombuffer(indices, dtype=np.int32).copy(),
                np.frombuffer(indptr, dtype=np.int32).copy(),
            ),
            shape=(len(indptr) - 1, len(vectorizer.vocabulary_)),
            dtype=vectorizer.dtype,
        )
        counts.sum_duplicates()  # sorts the indices, as CountVectorizer's matrices are
        return vectorizer._tfidf.transform(counts, copy=False)


def classify_frame(units: pd.DataFrame, predictor: FastPredictor) -> pd.DataFrame:
    from tema.classify import classify_units

    return classify_units(units, predictor)


def _classify_chunk(units: pd.DataFrame) -> pd.DataFrame:
    return classify_frame(units, _STATE["predictor"])


def read_units_chunks(path: str | Path, rows: int = CLASSIFY_CHUNK_ROWS) -> Iterator[pd.DataFrame]:
    """The units CSV of `tema segment` in chunks of ``rows`` rows, typed as it was written
    (text columns stay text, ``repeat_of`` an integer or empty in every chunk)."""
    from tema.errors import TemaError

    path = Path(path)
    try:
        header = pd.read_csv(path, nrows=0).columns
        dtypes = {c: "string" for c in ("doc", "kind", "section", "text") if c in header}
        if "repeat_of" in header:
            dtypes["repeat_of"] = "Int64"
        reader = pd.read_csv(
            path, keep_default_na=False, na_values={"repeat_of": [""]}, dtype=dtypes,
            chunksize=rows,
        )  # fmt: skip
        yield from reader
    except (OSError, ValueError, pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        raise TemaError(f"{path}: cannot be read ({error})") from error


def classify_stream(
    chunks: Iterable[pd.DataFrame], model: ThemeModel, jobs: int = 1
) -> Iterator[pd.DataFrame]:
    """Classified unit tables, chunk by chunk, in input order."""
    _STATE["predictor"] = FastPredictor(model)
    yield from ordered_map(_classify_chunk, chunks, jobs)
