"""Stage `classify`: give every unit a theme, a calibrated confidence and an uncertain flag.

`run` is the whole stage, as dvc.yaml's `tema classify`, the CLI and the browser app run
it: the model is checked against its card and loaded (`tema.classify.persist.load_predictor`:
the plain-array predictor, or the skops model for the e5 cascade) before any input is
read; the segmented units CSV is then streamed in chunks over ``classify.jobs`` worker
processes (`tema.parallel`) and written, in input order, to ``classify.classified``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from tema.classify.card import check_themes
from tema.classify.context import ANSWER_KIND, with_questions
from tema.classify.decision import PREDICTION_COLUMNS
from tema.classify.persist import load_predictor
from tema.config import Config, ModelFiles
from tema.errors import InputError, TemaError
from tema.io.files import check_output
from tema.parallel import CsvRows, ordered_map, render_csv, write_csv_chunks

OUTPUT_COLUMNS = ("doc", "unit", "text", *PREDICTION_COLUMNS)
# Rows of the units CSV per chunk: large enough that per-chunk overhead is small, small
# enough for flat memory, and enough chunks that two workers finish together (100,000
# units in 5 chunks kept one worker busy for a chunk after the other was done).
CHUNK_ROWS = 10_000

# What `run` sees of its chunks (a progress bar, say); the chunks must pass through.
ChunkWatcher = Callable[[Iterable[pd.DataFrame]], Iterable[pd.DataFrame]]

# The loaded model, set in the parent before the workers are forked (`classify_stream`).
_WORKER: dict[str, Any] = {}


@dataclass(frozen=True)
class ClassifyResult:
    output: Path
    count: int


def run(
    config: Config,
    *,
    units: Iterable[pd.DataFrame] | None = None,
    output: Path | None = None,
    model: Path | None = None,
    jobs: int | None = None,
    watch: ChunkWatcher | None = None,
    sources: Sequence[Path] = (),
) -> ClassifyResult:
    """Classify ``segment.units`` (or the chunks `units`, read from the files `sources`)
    into ``classify.classified`` (or `output`, a .csv that is none of the inputs) with the
    model at ``train.model`` (or `model`), over ``classify.jobs`` (or `jobs`) processes.
    Another model must name its own output: the pipeline's file holds the pipeline
    model's themes."""
    if output is not None:
        check_output(output, sources if units is not None else [config.segment.units])
    if model is not None and units is None and output is None:
        raise TemaError(
            f"--model {model} without -o would overwrite the pipeline's "
            f"{config.classify.classified} with another model's themes; "
            "name the output with -o FILE"
        )
    predictor = _predictor(config, model)
    chunks: Iterable[pd.DataFrame] = (
        read_units_chunks(config.segment.units) if units is None else units
    )
    if watch is not None:
        chunks = watch(chunks)
    chunks = whole_documents(chunks)
    output = output or config.classify.classified
    jobs = config.classify.jobs if jobs is None else jobs
    rows = classify_stream(chunks, predictor, jobs, rendered=True)
    return ClassifyResult(output, write_csv_chunks(rows, output, OUTPUT_COLUMNS))


def classify_frame(
    config: Config, units: Iterable[pd.DataFrame], model: Path | None = None
) -> pd.DataFrame:
    """The `OUTPUT_COLUMNS` of the units in `units`, in this process (a table to show)."""
    predictor = _predictor(config, model)
    frames = [classify_units(chunk, predictor) for chunk in whole_documents(units)]
    return pd.concat(frames, ignore_index=True)[list(OUTPUT_COLUMNS)]


def _predictor(config: Config, model: Path | None) -> Any:
    files = config.train.model_files if model is None else ModelFiles.beside(model)
    predictor = load_predictor(files.model)
    check_themes(predictor.classes, config, files.model)
    # Only a cascade model (not the plain-array predictor, which has no encoder) keeps
    # embeddings; asked by name so that the fast path never imports scikit-learn.
    if hasattr(predictor, "keep_embeddings_in"):
        predictor.keep_embeddings_in(config.train.classifier.embedding_cache)
    return predictor


def classify_units(units: pd.DataFrame, model: Any) -> pd.DataFrame:
    """The units with theme, confidence, second_theme and uncertain added, in input order.

    `model` is what ``tema.classify.persist.load_predictor`` returns, or a
    ``tema.classify.model.ThemeModel``: its ``predict_proba``, ``classes`` and decision ``rule``
    are used. Units of a segmented document (with `doc` and `kind` columns, in reading
    order) are read in their context when the model card says how (`tema.classify.context`);
    a survey answer with its question (its `section`). A unit with no text cannot be
    sorted: it keeps its row (so output rows match input rows) and is flagged uncertain.
    """
    texts = units["text"].fillna("").astype(str)
    if not {"doc", "kind"} <= set(units.columns):
        predictions = model.rule.apply(model.predict_proba(texts.tolist()), model.classes)
    else:
        docs, kinds = units["doc"].astype(str).tolist(), units["kind"].astype(str).tolist()
        questions = (
            units["section"].fillna("").astype(str).where(units["kind"] == ANSWER_KIND, "")
            if "section" in units.columns
            else pd.Series("", index=units.index)
        )
        if (questions != "").any():
            predictions = _read_with_questions(model, texts.tolist(), docs, kinds, questions)
        else:
            predictions = model.rule.apply(
                model.predict_proba(texts.tolist()), model.classes, docs, kinds
            )
    predictions.index = units.index
    predictions["uncertain"] = predictions["uncertain"] | (texts.str.strip() == "")
    return pd.concat(
        [units.drop(columns=list(PREDICTION_COLUMNS), errors="ignore"), predictions], axis=1
    )


def _read_with_questions(
    model: Any, texts: list[str], docs: list[str], kinds: list[str], questions: pd.Series
) -> pd.DataFrame:
    """The predictions of units some of which are survey answers with a question: read in
    the layout of a labelled survey (`tema.classify.context.with_questions`)."""
    layout = with_questions(texts, docs, kinds, questions.tolist())
    probabilities = np.empty((len(layout.texts), len(model.classes)))
    probabilities[layout.rows] = model.predict_proba(texts)
    # A question recurs before every run of its answers (a table sorted by respondent has
    # a run per answer): each distinct one is classified once.
    asked = [layout.texts[row] for row in layout.questions]
    distinct = pd.Index(asked).unique()
    probabilities[layout.questions] = model.predict_proba(distinct.tolist())[
        distinct.get_indexer(asked)
    ]
    read = model.rule.apply(probabilities, model.classes, layout.docs, layout.kinds)
    return read.iloc[layout.rows]


def read_units_chunks(path: str | Path, rows: int | None = None) -> Iterator[pd.DataFrame]:
    """The units CSV of `tema segment` in chunks of ``rows`` rows (`CHUNK_ROWS`), typed as
    it was written (text columns stay text, ``repeat_of`` an integer or empty in every
    chunk); a file without a `text` column is an `InputError` naming its header line."""
    from tema.io.tables import read_frame_chunks

    types = {"doc": "string", "kind": "string", "section": "string", "text": "string"}
    chunks = read_frame_chunks(path, rows or CHUNK_ROWS, dtype={**types, "repeat_of": "Int64"})
    for chunk in chunks:
        if "text" not in chunk.columns:
            # Checked here, not in the workers: a missing column is the file's, with its line.
            raise InputError(
                path,
                "no column 'text' (the units' text); the columns are "
                + ", ".join(repr(str(name)) for name in chunk.columns),
                1,
            )
        yield chunk


def whole_documents(chunks: Iterable[pd.DataFrame]) -> Iterator[pd.DataFrame]:
    """The chunks of a units table cut at document borders, so that each unit is read
    with its neighbours: the rows of a chunk's last document wait for the next chunk.

    A document longer than a chunk is still cut (a chunk that is all one document is
    passed on whole), so memory holds at most two chunks. Units without a `doc` column
    have no neighbours and pass as they are."""
    carried: pd.DataFrame | None = None
    for read in chunks:
        chunk = read if carried is None else pd.concat([carried, read])
        carried = None
        if "doc" not in chunk.columns or chunk.empty:
            yield chunk
            continue
        docs = chunk["doc"].astype(str).to_numpy()
        others = np.flatnonzero(docs != docs[-1])
        last_start = int(others[-1]) + 1 if len(others) else 0
        if last_start == 0:
            yield chunk
            continue
        yield chunk.iloc[:last_start]
        carried = chunk.iloc[last_start:]
    if carried is not None:
        yield carried


def _classify_chunk(units: pd.DataFrame) -> pd.DataFrame:
    return classify_units(units, _WORKER["predictor"])


def _classify_chunk_rendered(units: pd.DataFrame) -> CsvRows:
    return render_csv(_classify_chunk(units))


def classify_stream(
    chunks: Iterable[pd.DataFrame], predictor: Any, jobs: int = 1, rendered: bool = False
) -> Iterator[pd.DataFrame | CsvRows]:
    """Classified unit tables, chunk by chunk, in input order; `predictor` is what
    ``tema.classify.persist.load_predictor`` returns (anything with ``predict(texts)``). With
    ``rendered``, as CSV rows (``tema.parallel.render_csv``) for ``write_csv_chunks``.

    The workers are forked from this process after the model is loaded (its files
    checked against the card here, once): nothing is loaded again in a worker. A model
    with the e5 cascade classifies in this process, whatever `jobs` says: the encoder
    already runs on every core (OpenMP), and an OpenMP runtime that has run in a process
    hangs in the processes forked from it (a process that trains, then classifies, as
    tests/test_cli.py does).
    """
    _WORKER["predictor"] = predictor
    worker: Callable[[pd.DataFrame], pd.DataFrame | CsvRows] = (
        _classify_chunk_rendered if rendered else _classify_chunk
    )
    if getattr(predictor, "uses_embeddings", False):
        jobs = 1
    yield from ordered_map(worker, chunks, jobs)
