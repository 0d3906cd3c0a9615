"""Stage `segment`: raw report text -> units a person would sort.

A unit is one sentence, one bullet item (split further when it holds several sentences),
one heading, or one non-input element (pull quote, photo caption, link, noise); a survey
answer is one unit as it is. Units carry offsets into the raw decoded text, so every
unit can be traced back to its source.

How it works (details in docs/segmentation.md):

1. ``tema.segment.clean`` cuts the raw text into layout blocks (paragraphs, bullet items,
   pull quotes, links, headings ...) and cleans each one with an offset map.
2. Blocks that can hold several sentences go through a spaCy pipeline, whose sentence
   starts the Norwegian rules correct (``tema.segment.sentences``).
3. ``tema.segment.units`` maps each sentence span back to the raw text and links a pull
   quote that repeats body text to the unit it repeats (``repeat_of``).

``run`` is the stage as `tema segment` and dvc.yaml run it: ingested documents (or files)
in, the unit table (``tema.segment.units.FRAME_COLUMNS``) out, streamed in chunks over
worker processes (``tema.parallel``).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from spacy.language import Language
from spacy.tokens import Doc

from tema.errors import TemaError
from tema.ingest.readers import question_of
from tema.io.files import check_output
from tema.parallel import CsvRows, rows_csv
from tema.segment.clean import iter_blocks
from tema.segment.lexicon import DEFAULT_LEXICON, Lexicon, as_lexicon, load_lexicon
from tema.segment.offsets import Block
from tema.segment.sentences import load_pipeline, sentence_spans, stripped_span
from tema.segment.units import (
    ANSWER_KIND,
    FRAME_COLUMNS,
    MAX_UNIT_CHARS,
    SPLIT_BLOCKS,
    Span,
    Unit,
    document_units,
    unit_rows,
    units_to_frame,
)

if TYPE_CHECKING:
    import pandas as pd

    from tema.config import Config, SegmentSettings
    from tema.ingest.stage import Document

# What `run` lets see of the documents it reads (a progress display); they must pass through.
DocumentWatcher = Callable[[Iterable["Document"]], Iterable["Document"]]

# A block with no sentence punctuation before its end holds one sentence, unless it is
# long: only then can the model's unpunctuated sentence starts matter (run-on notes), so
# only then is the block worth the spaCy pipeline's time (docs/segmentation.md, speed).
MODEL_MIN_WORDS_WITHOUT_PUNCTUATION = 40
# Sentence punctuation that the rules can start a sentence after, and what may end a block.
_INNER_PUNCTUATION = re.compile(r"[.!?…:]")
_BLOCK_END_CHARS = " \t\n\r\f\v\u00a0.!?…:;,»”’\"')]"


def _needs_model(block: Block) -> bool:
    """Whether a block may hold more than one sentence, so that it goes through spaCy.

    Sentence starts inside a block follow sentence punctuation (the rules decide those)
    or, in long unpunctuated text, where the model finds one; any other block is one
    sentence, and its span is its stripped text (``_whole_block_span``).
    """
    if block.kind not in SPLIT_BLOCKS:
        return False  # quotes, captions, links, noise, tables: one unit whatever they hold
    text = block.text
    if _INNER_PUNCTUATION.search(text.rstrip(_BLOCK_END_CHARS)):
        return True
    # Clean block text has one space between words: words = spaces + 1.
    words = text.strip().count(" ") + 1
    return block.kind != "heading" and words >= MODEL_MIN_WORDS_WITHOUT_PUNCTUATION


def _whole_block_span(text: str) -> list[Span]:
    """The one sentence span of a block that needs no model: its text without outer spaces."""
    span = stripped_span(text, 0, len(text))
    return [span] if span else []


def _block_sentence_spans(block: Block, doc: Doc | None) -> list[Span] | None:
    """Sentence spans of a block in its cleaned text; None for blocks that are not split."""
    if block.kind not in SPLIT_BLOCKS:
        return None
    if doc is None:
        return _whole_block_span(block.text)
    # A heading is split at sentence punctuation only, never where the model guesses a
    # sentence starts ("Parallellsesjon 4 Fra utsatt til ...").
    return sentence_spans(doc, block.text, unpunctuated_starts=block.kind != "heading")


def segment_documents(
    documents: Iterable[
        tuple[str, str]
        | tuple[str, str, Sequence[int]]
        | tuple[str, str, Sequence[int], Sequence[Sequence[int]]]
    ],
    nlp: Language,
    *,
    batch_size: int = 128,
    lexicon: str | Mapping[str, float] = DEFAULT_LEXICON,
    max_heading_words: int = 25,
    max_unit_chars: int = MAX_UNIT_CHARS,
) -> Iterator[tuple[str, Unit]]:
    """Segment ``(doc_id, raw_text)`` pairs, streaming ``(doc_id, unit)`` pairs in order.
    A third item, the offsets where the pages of a PDF start, lets running headers and
    footers be found (``tema.segment.furniture.page_furniture``); a fourth, the spans
    ``(start, end)`` of paragraphs the file marks as headings (Word's heading styles),
    makes them headings whatever their words.

    Options: ``batch_size`` (blocks per spaCy batch), ``lexicon`` (a word list name from
    ``tema.segment.lexicon.LEXICON_SOURCES`` or a loaded one), ``max_heading_words``
    (longest text block without final punctuation taken as a heading), ``max_unit_chars``
    (longer units, from text without sentence punctuation, are cut at spaces).

    The blocks of all documents go through ``nlp.pipe`` as one stream, so that spaCy
    batches across document borders; blocks are cleaned as the stream is read, so memory
    holds one document's units and spaCy's batch, not all blocks of a long text.
    """
    words = as_lexicon(lexicon)  # once, not per document
    blocks = (
        (number, doc_id, raw, block)
        for number, (doc_id, raw, *marks) in enumerate(documents)
        for block in iter_blocks(raw, words, max_heading_words, *marks)
    )
    # Two views of one stream: one feeds spaCy, one assembles units. tee buffers only the
    # blocks that spaCy has read ahead (about one batch).
    # Each block with whether it goes through spaCy, decided once for both views below.
    marked = ((item, _needs_model(item[3])) for item in blocks)
    for_spacy, for_units = itertools.tee(marked)
    parsed = nlp.pipe(
        (item[3].text for item, model in for_spacy if model),
        batch_size=batch_size,
    )

    def with_spans(
        items: Iterable[tuple[tuple[int, str, str, Block], bool]],
    ) -> Iterator[tuple[Block, list[Span] | None]]:
        for (*_, block), model in items:
            yield block, _block_sentence_spans(block, next(parsed) if model else None)

    for _number, group in itertools.groupby(for_units, key=lambda marked: marked[0][0]):
        document = iter(group)
        first = next(document)
        doc_id, raw = first[0][1], first[0][2]
        for unit in document_units(
            raw, with_spans(itertools.chain([first], document)), max_unit_chars
        ):
            yield doc_id, unit


def segment_ingested(
    documents: Iterable[Document], nlp: Language, **options: Any
) -> Iterator[tuple[str, Unit]]:
    """Units of ingested documents (``tema.ingest.stage.Document``): survey answers as they
    are, other text segmented by ``segment_documents`` with ``options``.

    Each survey answer is one unit of kind ``answer`` (its span is kept from ingest), so
    answers are never merged or split, and a short answer without a full stop is not
    mistaken for a heading. Its section is the question it replies to, where the table
    has a question column (``tema.ingest.readers.QUESTION_COLUMNS``). Runs of ordinary
    documents are streamed together.
    """
    for is_table, group in itertools.groupby(documents, key=lambda d: bool(d.answers)):
        if not is_table:
            yield from segment_documents(
                ((d.doc, d.text, d.pages, d.headings) for d in group), nlp, **options
            )
            continue
        for document in group:
            for number, answer in enumerate(document.answers):
                start, end = answer["start"], answer["end"]
                text = document.text[start:end]
                question = question_of(answer.get("metadata") or {})
                yield document.doc, Unit(number, start, end, ANSWER_KIND, question, text)


def segment_text(text: str, nlp: Language, **options: Any) -> list[Unit]:
    """Units of one raw text, in order (see ``segment_documents`` for the options)."""
    return [unit for _doc_id, unit in segment_documents([("", text)], nlp, **options)]


@dataclass(frozen=True)
class Segmenter:
    """What segmenting needs, loaded once: the spaCy pipeline, the word list, and the
    settings of params.yaml's ``segment`` section (``SegmentSettings``)."""

    nlp: Language
    lexicon: Lexicon
    max_heading_words: int
    max_unit_chars: int
    batch_size: int

    @classmethod
    def load(cls, settings: SegmentSettings, spacy_model: str | None = None) -> Segmenter:
        """The pipeline ``spacy_model`` (default ``segment.spacy_model``) and the word list
        ``segment.lexicon``, kept in ``segment.lexicon_cache``; the pipeline is loaded
        first, so that a wrong model is reported before the word list is built."""
        name = spacy_model or settings.spacy_model
        try:
            nlp = load_pipeline(name)
        except (OSError, ValueError) as error:
            raise TemaError(str(error)) from error
        lexicon = load_lexicon(settings.lexicon, cache_dir=settings.lexicon_cache)
        return cls(
            nlp, lexicon, settings.max_heading_words, settings.max_unit_chars, settings.batch_size
        )

    def units(self, documents: Iterable[Document]) -> Iterator[tuple[str, Unit]]:
        """``(doc, unit)`` of ingested documents, in order (``segment_ingested``)."""
        return segment_ingested(
            documents,
            self.nlp,
            lexicon=self.lexicon,
            max_heading_words=self.max_heading_words,
            max_unit_chars=self.max_unit_chars,
            batch_size=self.batch_size,
        )

    def frame(self, documents: Iterable[Document]) -> pd.DataFrame:
        """The unit table (``FRAME_COLUMNS``) of ingested documents."""
        return units_to_frame(self.units(documents))

    def csv_rows(self, documents: Iterable[Document]) -> CsvRows:
        """The unit table of ingested documents as CSV rows (what `tema segment` writes)."""
        return rows_csv(unit_rows(self.units(documents)), FRAME_COLUMNS)


@dataclass(frozen=True)
class SegmentResult:
    """What `run` did: `units` units from `documents` documents, written to `output`; or,
    for files without an output, not written but returned as `table`."""

    units: int
    documents: int
    output: Path | None
    table: pd.DataFrame | None = None


def run(
    config: Config,
    files: Sequence[Path] | None = None,
    documents: Path | None = None,
    output: Path | None = None,
    spacy_model: str | None = None,
    jobs: int | None = None,
    *,
    quiet: bool = True,
    language: str | None = None,
    watch: DocumentWatcher | None = None,
) -> SegmentResult:
    """The `segment` stage: cut documents into units and write the unit table (CSV).

    The input is `files` (text files and tables, read as ingest reads them, without a
    manifest) or else the documents file that `tema ingest` wrote (`documents`, default
    `ingest.documents`). The output is `output`; without it, the units of `files` are
    not written but returned (`SegmentResult.table`), and those of a `documents` file
    given here go to `units.csv` beside it, never into the pipeline's `segment.units`,
    which is the output otherwise. Documents are streamed in chunks over `jobs` worker
    processes (default `segment.jobs`; 0: all cores), and the file is written
    atomically. `quiet`: no progress bar; `language` (default `report.language`) names
    the documents on it. `watch` sees the documents as they are read (the browser app's
    progress display); they must pass through it.
    """
    from tema import parallel
    from tema.ingest.stage import document_count, documents_from_files, read_documents
    from tema.messages import NOUNS
    from tema.progress import progress

    settings = config.segment
    if output is not None:
        check_output(output, files or [documents or config.ingest.documents])
    segmenter = Segmenter.load(settings, spacy_model)
    if files:
        source = documents_from_files(files, config.ingest.text_columns)
        total: int | None = len(files)
        if output is None:
            table = segmenter.frame(source)
            return SegmentResult(len(table), len(files), None, table)
    else:
        total = document_count(documents or config.ingest.documents)
        source = read_documents(documents or config.ingest.documents)
    if output is None:
        # Another batch's documents give units beside them, not the pipeline's units.
        output = documents.with_name("units.csv") if documents else settings.units
    counter = _Counted(source if watch is None else watch(source))
    noun = NOUNS[language or config.report.language]["document"][1]
    chunks = parallel.segment_stream(
        progress(counter, "segment", total, quiet, unit=noun),
        segmenter.csv_rows,
        settings.jobs if jobs is None else jobs,
    )
    count = parallel.write_csv_chunks(chunks, output, FRAME_COLUMNS)
    return SegmentResult(count, counter.count, output)


class _Counted:
    """The documents of a stream, counted as they are read."""

    def __init__(self, documents: Iterable[Document]) -> None:
        self._documents = documents
        self.count = 0

    def __iter__(self) -> Iterator[Document]:
        for document in self._documents:
            self.count += 1
            yield document
