"""Streaming and multi-core execution: the chunked, multi-process machinery the stages share.

Large inputs are cut into chunks (documents for segmentation, rows of the units CSV for
classification: `tema.classify.stage`); each chunk is processed on its own and its rows
are appended to the output file as soon as it is done, so memory holds a few chunks,
never the whole corpus. With ``jobs > 1`` the chunks are spread over worker processes, at
most ``2 × jobs`` chunks in flight, and the results are written in input order, so the
output is byte-identical to a run with ``jobs=1``.

Workers are forked from the process that has already loaded what they need (the spaCy
pipeline and word list, the classifier): nothing is loaded again in a worker.
"""

from __future__ import annotations

import collections
import csv
import gc
import io
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from tema.io.files import atomic_write

if TYPE_CHECKING:
    import pandas as pd

# Characters of raw text per segmentation chunk: large enough that per-chunk overhead is
# small, small enough for flat memory.
SEGMENT_CHUNK_CHARS = 1_000_000

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


def rows_csv(rows: list[tuple], columns: tuple[str, ...]) -> CsvRows:
    """Rows of plain values (strings, integers, None for a missing value) as CSV text,
    byte for byte as ``render_csv`` renders the same values in a table: the csv module
    with pandas' dialect, without building the table (half the time a row)."""
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerows(rows)
    return CsvRows(columns, text.getvalue(), len(rows))


def write_csv_chunks(chunks: Iterable[pd.DataFrame | CsvRows], path: str | Path, columns) -> int:
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
class _Text(Protocol):
    @property
    def text(self) -> str: ...


D = TypeVar("D", bound=_Text)


def document_chunks(
    documents: Iterable[D], max_chars: int = SEGMENT_CHUNK_CHARS
) -> Iterator[list[D]]:
    """Ingested documents in lists of about ``max_chars`` characters (a longer document
    is a chunk of its own; units are numbered per document, so chunks are independent)."""
    chunk: list[D] = []
    size = 0
    for document in documents:
        chunk.append(document)
        size += len(document.text)
        if size >= max_chars:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def _segment_chunk(documents: list[Any]) -> CsvRows:
    return _STATE["segment"](documents)


def segment_stream(
    documents: Iterable[D], segment: Callable[[list[D]], CsvRows], jobs: int = 1
) -> Iterator[CsvRows]:
    """Unit tables of ingested documents as CSV rows, chunk by chunk, in document order.

    ``segment`` turns a list of documents into the CSV rows of their unit table: a loaded
    segmenter's ``csv_rows`` (``tema.segment.stage.Segmenter``), whose pipeline and word
    list are loaded before any worker is forked and are shared with the workers, not
    loaded again."""
    _STATE["segment"] = segment
    chunks = document_chunks(documents, SEGMENT_CHUNK_CHARS)  # read now: tests lower it
    yield from ordered_map(_segment_chunk, chunks, jobs)
