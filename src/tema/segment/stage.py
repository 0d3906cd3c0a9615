"""Segmentation stage: raw report text -> units a person would sort.

A unit is one sentence, one bullet item (split further when it holds several sentences),
one heading, or one non-input element (pull quote, photo caption, link, noise). Units
carry offsets into the raw decoded text, so every unit can be traced back to its source.

How it works (details in docs/segmentation.md):

1. ``tema.segment.clean`` cuts the raw text into layout blocks (paragraphs, bullet items, pull
   quotes, links, headings ...) and cleans each one with an offset map.
2. Blocks that can hold several sentences go through a spaCy pipeline: by default the
   sentence recogniser trained on UD Norwegian Bokmål that tema ships in
   ``models/nb_senter``. The Norwegian rules of ``tema.segment.nb_rules`` (abbreviations,
   ordinals, years, «», colons) then correct its sentence starts (``rule_sentence_starts``;
   also available as the spaCy component ``tema_nb_sentence_rules_v1``).
3. Each sentence span is mapped back to the raw text; a pull quote that repeats body text
   is linked to the unit it repeats (``repeat_of``).
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy
import pandas as pd
import spacy
from spacy.attrs import IDX, LENGTH, SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from tema.segment import nb_rules
from tema.segment.clean import (
    DEFAULT_LEXICON,
    Block,
    as_lexicon,
    iter_blocks,
    normalise_for_matching,
)

UNIT_KINDS = ("heading", "sentence", "bullet", "quote", "caption", "url", "noise", "answer")
# The unit kind of one survey answer: taken whole from ingest, never split or merged.
ANSWER_KIND = "answer"
# Body text: the kinds of unit a pull quote can repeat. (Which kinds are counted as input
# is the report stage's setting, params.yaml `report.counted_kinds`.)
BODY_KINDS = frozenset({"sentence", "bullet"})
FRAME_COLUMNS = ("doc", "unit", "start", "end", "kind", "section", "text", "repeat_of")

DEFAULT_SPACY_MODEL = "models/nb_senter"
# Name that selects spaCy's rule-based sentencizer on a blank Norwegian pipeline: the
# baseline, and a pipeline that needs no model files at all.
SENTENCIZER = "sentencizer"
# spaCy forbids dots in component names, so the namespace is written with underscores.
RULES_COMPONENT = "tema_nb_sentence_rules_v1"

# Block kinds whose text is split into sentences, and the unit kind of their sentences.
_SPLIT_BLOCKS = {"paragraph": "sentence", "bullet": "bullet", "heading": "heading"}
# A unit longer than this (text without sentence punctuation) is cut at spaces.
MAX_UNIT_CHARS = 1_000
# A block with no sentence punctuation before its end holds one sentence, unless it is
# long: only then can the model's unpunctuated sentence starts matter (run-on notes), so
# only then is the block worth the spaCy pipeline's time (docs/segmentation.md, speed).
MODEL_MIN_WORDS_WITHOUT_PUNCTUATION = 40
# Unmarked pull quotes: a block with this many words that repeats body text.
MIN_REPEAT_WORDS = 8
MAX_REPEAT_WORDS = 60  # pull quotes are short
# How many body units either side of a pull quote are searched for the text it repeats.
REPEAT_SEARCH_UNITS = 400


@dataclass(frozen=True)
class Unit:
    """One unit of a document; ``start``/``end`` are raw-text offsets, ``text`` is cleaned,
    ``repeat_of`` is the index of the body unit a pull quote repeats."""

    unit: int
    start: int
    end: int
    kind: str
    section: str
    text: str
    repeat_of: int | None = None


# --- Norwegian sentence rules as a spaCy component ----------------------------------------
def _starts_like_sentence(text: str) -> bool:
    """A capital, a digit, an opening quote, a dialogue dash or a bullet; also an opening
    bracket before a capital ("(Og dette ...)")."""
    return bool(nb_rules.STARTS_UPPER.match(text)) or text[:1] in _SENTENCE_OPENERS


# Also a bullet: PDF extraction may run list items into one line ("... vil. • Debatten").
_SENTENCE_OPENERS = frozenset(
    nb_rules.OPENING_QUOTES | set(nb_rules.DASH_BULLET_CHARS) | set(nb_rules.BULLET_CHARS)
)
# Tokens whose last (or first) character is one of these may trigger a rule.
_RULE_TRIGGERS = frozenset(".!?…:;,»«”“’‘\"'()[]–—-" + nb_rules.SUPERSCRIPT_DIGITS)
_START, _NOT_START = 1, -1
_HAS_ALNUM = re.compile(r"\w")
_CAPITAL = re.compile(rf"[{nb_rules.UPPER}]")


def _sentence_start_decision(
    before: str,
    word: str,
    closed: str,
    model_start: bool,
    unpunctuated_starts: bool = True,
    colon_continues: bool = True,
) -> bool:
    """Whether ``word`` starts a sentence, given the token ``before`` it and the token
    ``closed`` before that; ``model_start`` is the statistical model's decision, which is
    followed where no punctuation decides only if ``unpunctuated_starts``;
    ``colon_continues`` says whether a colon ``before`` continues its sentence after a
    capital (``_colon_continues_sentence``)."""
    before = before.rstrip(nb_rules.SUPERSCRIPT_DIGITS) or before  # "bakgrunn.¹ Neste"
    if word in nb_rules.CLOSING_MARKS or word in ".,;:!?)":
        return False  # closing quotes, brackets and punctuation stay with their sentence
    if before in nb_rules.OPENING_QUOTES or before in "(":
        return False
    if nb_rules.is_abbreviation(before):
        # "f.eks.", "bl.a." never end a sentence; "m.m.", "osv." may, before a capital.
        return before.lower() in nb_rules.SENTENCE_END_ABBREVIATIONS and _starts_like_sentence(word)
    if nb_rules.NUMBER_WITH_STOP.match(before) and word.lower() in nb_rules.ORDINAL_FOLLOWERS:
        return False  # "17. mai", "3. klasse"
    if nb_rules.YEAR_WITH_STOP.match(before) or before in nb_rules.SENTENCE_FINAL:
        return _starts_like_sentence(word)  # "... i 2017. Neste år ..."
    if before in nb_rules.CLOSING_MARKS:
        return closed in nb_rules.SENTENCE_FINAL and _starts_like_sentence(word)
    if before == ":":
        # Direct speech or a quotation after a colon is a sentence of its own, and so is a
        # capitalised sentence after a clause or a label ("... var sikker på to ting: Han
        # skulle ...", "Status: Det er ..."), unless the colon continues the sentence.
        if word[:1] in _SENTENCE_OPENERS:
            return True
        return not colon_continues and bool(_CAPITAL.match(word))
    if len(before) > 1 and before.endswith(".") and _starts_like_sentence(word):
        return True  # "i P1. Hun ...", "nummer 14. Bjørn ...": not an abbreviation (above)
    if model_start and unpunctuated_starts and _HAS_ALNUM.search(before):
        # Without sentence punctuation before it, a sentence starts only at a capital.
        return bool(_CAPITAL.match(word))
    return False


def rule_sentence_starts(
    text: str, table: numpy.ndarray, *, unpunctuated_starts: bool = True
) -> numpy.ndarray:
    """Sentence starts corrected with the Norwegian rules in ``tema.segment.nb_rules``.

    ``table`` holds one row per token of a doc over ``text``: SENT_START (1 start, -1 not,
    0 unknown), IDX and LENGTH, as from ``doc.to_array([SENT_START, IDX, LENGTH])``.
    Each rule is a case where the rule is more reliable than a statistical model. Only
    tokens next to punctuation or marked as a start are looked at, through offsets and
    string slices rather than spaCy Token objects: the rules must not slow tema down.
    """
    if len(table) < 2:
        return numpy.full(len(table), _START, dtype=numpy.int64)
    model_starts, offsets, lengths = (table[:, column].tolist() for column in range(3))
    sent_starts = list(model_starts)
    # A plain loop: blocks are short, and numpy's per-call cost outweighs its speed there.
    candidates = [
        i
        for i in range(1, len(offsets))
        if model_starts[i] == _START
        or text[offsets[i] : offsets[i] + 1] in _RULE_TRIGGERS
        or text[offsets[i - 1] + max(lengths[i - 1], 1) - 1] in _RULE_TRIGGERS
    ]

    def word(i: int) -> str:
        return text[offsets[i] : offsets[i] + lengths[i]]

    sentence_begin = 0  # the token that starts the sentence being read
    for i in candidates:
        current = word(i)
        if not current or current.isspace():
            continue
        previous_index = i - 1
        while previous_index > 0 and word(previous_index).isspace():
            previous_index -= 1
        before = word(previous_index)
        closed = word(previous_index - 1) if previous_index >= 1 else ""
        if before == "." and _attached(offsets, lengths, previous_index):
            # spaCy's exceptions are case-sensitive: "jf." is one token, "Jf." two.
            abbreviation = closed + "."
            if closed[:1].isupper() and abbreviation.lower() in nb_rules.ABBREVIATIONS:
                before = abbreviation
                closed = word(previous_index - 2) if previous_index >= 2 else ""
        if current == "(" and i + 1 < len(offsets) and _attached(offsets, lengths, i + 1):
            current += word(i + 1)  # "(Og dette ...)": the bracket opens a sentence
        model_start = model_starts[i] == _START
        if previous_index == 0 and nb_rules.NUMBER_WITH_STOP.match(before):
            decision = False  # a number opens the block: "2. Utdanning og kvalifisering"
        else:
            colon_continues = before == ":" and _colon_continues_sentence(
                [word(k) for k in range(sentence_begin, previous_index)]
            )
            decision = _sentence_start_decision(
                before, current, closed, model_start, unpunctuated_starts, colon_continues
            )
        sent_starts[i] = _START if decision else _NOT_START
        if decision:
            sentence_begin = i
    sent_starts[0] = _START
    return numpy.array(sent_starts, dtype=numpy.int64)


def _colon_continues_sentence(lead: list[str]) -> bool:
    """Whether a colon after the tokens ``lead`` (its sentence so far) continues the
    sentence after a capital: after a name ("Ola Nordmann: Han mener ..." is one unit to
    sort), an input label ("Svar 2: Mer kurs"), or a verb whose complement follows
    ("oppskriften er: Ha motivasjon ...")."""
    words = [token for token in lead if _HAS_ALNUM.search(token)]
    if not words or words[-1].lower() in nb_rules.COLON_COMPLEMENT_VERBS:
        return True
    if nb_rules.has_input_label(" ".join(words) + ":"):
        return True
    return nb_rules.is_name(words)


def _attached(offsets: list[int], lengths: list[int], i: int) -> bool:
    """True when token ``i`` follows token ``i - 1`` with no space between them."""
    return i >= 1 and offsets[i - 1] + lengths[i - 1] == offsets[i]


def apply_sentence_rules(doc: Doc) -> Doc:
    """spaCy component ``tema_nb_sentence_rules_v1``: ``rule_sentence_starts`` on a doc.

    tema's segmentation applies the rules itself (without the cost of ``doc.text`` and a
    write-back); the component is for using tema's rules in a plain spaCy pipeline.
    """
    if len(doc) == 0:
        return doc
    table = doc.to_array([SENT_START, IDX, LENGTH]).astype(numpy.int64)
    sent_starts = rule_sentence_starts(doc.text, table)
    if (sent_starts != table[:, 0]).any():
        doc.from_array([SENT_START], sent_starts.astype(numpy.uint64).reshape(-1, 1))
    return doc


def add_sentence_rules(nlp: Language) -> Language:
    """Add tema's Norwegian sentence rules as the last component of ``nlp``."""
    _ensure_rules_component_registered()
    if not nlp.has_pipe(RULES_COMPONENT):
        nlp.add_pipe(RULES_COMPONENT, last=True)
    return nlp


def _ensure_rules_component_registered() -> None:
    if RULES_COMPONENT not in Language.factories:
        Language.component(RULES_COMPONENT, func=apply_sentence_rules)


def load_pipeline(spacy_model: str = DEFAULT_SPACY_MODEL) -> Language:
    """Load the spaCy pipeline that finds sentence boundaries.

    tema's Norwegian rules are applied on top by ``segment_documents``; to get them in a
    plain spaCy pipeline, use ``add_sentence_rules``.

    ``spacy_model`` is a path to a saved pipeline directory (relative to the current
    working directory), the name of an installed pipeline package such as
    ``nb_core_news_sm``, or ``"sentencizer"`` for spaCy's rule-based sentencizer.
    """
    path = Path(spacy_model)
    if spacy_model == SENTENCIZER:
        nlp = spacy.blank("nb")
        nlp.add_pipe("sentencizer")
    elif path.is_dir():
        try:
            nlp = spacy.load(path)
        except (OSError, ValueError, KeyError) as error:
            raise ValueError(
                f"spacy_model {spacy_model!r}: could not load the pipeline in {path.resolve()}"
                f" ({error}). Rebuild it with scripts/train_senter.py or point spacy_model at"
                " another pipeline."
            ) from error
    elif spacy.util.is_package(spacy_model):
        nlp = _load_official_pipeline(spacy_model)
    else:
        raise ValueError(
            f"spacy_model {spacy_model!r} is neither a pipeline directory (looked in "
            f"{path.resolve()}) nor an installed spaCy pipeline package. Run tema from the "
            "repository root so the shipped models/nb_senter is found, give the path of a "
            "saved pipeline, install an official one (python -m spacy download "
            f"nb_core_news_sm), or use {SENTENCIZER!r} for the rule-based baseline."
        )
    if not (nlp.has_pipe("senter") or nlp.has_pipe("parser") or nlp.has_pipe("sentencizer")):
        raise ValueError(
            f"spacy_model {spacy_model!r} has no component that sets sentence boundaries "
            "(senter, parser or sentencizer)."
        )
    return nlp


def _load_official_pipeline(name: str) -> Language:
    """An installed pipeline with only the components needed for sentence boundaries."""
    nlp = spacy.load(name)
    boundary = "senter" if "senter" in nlp.component_names else "parser"
    keep = {boundary}
    if "tok2vec" in nlp.component_names:
        # Keep the shared tok2vec only if the boundary component listens to it.
        listeners = getattr(nlp.get_pipe("tok2vec"), "listening_components", [boundary])
        if boundary in listeners:
            keep.add("tok2vec")
    for pipe_name in nlp.component_names:
        if pipe_name in keep:
            nlp.enable_pipe(pipe_name)
        else:
            nlp.disable_pipe(pipe_name)
    return nlp


# --- From blocks to units -----------------------------------------------------------------
def _sentence_spans(
    doc: Doc, text: str, *, unpunctuated_starts: bool = True
) -> list[tuple[int, int]]:
    """Character spans of the sentences of ``doc`` over ``text`` (its text, passed in
    because ``doc.text`` is rebuilt token by token), after the Norwegian rules, without
    outer spaces."""
    if len(doc) == 0:
        return []
    table = doc.to_array([SENT_START, IDX, LENGTH]).astype(numpy.int64)
    sent_starts = rule_sentence_starts(text, table, unpunctuated_starts=unpunctuated_starts)
    starts = [0, *(numpy.flatnonzero(sent_starts[1:] == _START) + 1).tolist()]
    ends = [*starts[1:], len(doc)]
    offsets, lengths = table[:, 1].tolist(), table[:, 2].tolist()
    spans = (
        stripped_span(text, offsets[first], offsets[stop - 1] + lengths[stop - 1])
        for first, stop in zip(starts, ends, strict=True)
    )
    return [span for span in spans if span is not None]


def stripped_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """``start, end`` narrowed to ``text[start:end]`` without outer spaces; None if blank."""
    piece = text[start:end]
    stripped = piece.strip()
    if not stripped:
        return None
    start += len(piece) - len(piece.lstrip())
    return start, start + len(stripped)


# Sentence punctuation that the rules can start a sentence after, and what may end a block.
_INNER_PUNCTUATION = re.compile(r"[.!?…:]")
_BLOCK_END_CHARS = " \t\n\r\f\v\u00a0.!?…:;,»”’\"')]"


def _needs_model(block: Block) -> bool:
    """Whether a block may hold more than one sentence, so that it goes through spaCy.

    Sentence starts inside a block follow sentence punctuation (the rules decide those)
    or, in long unpunctuated text, where the model finds one; any other block is one
    sentence, and its span is its stripped text (``_whole_block_span``).
    """
    if block.kind not in _SPLIT_BLOCKS:
        return False  # quotes, captions, links and noise are one unit whatever they hold
    text = block.text
    if _INNER_PUNCTUATION.search(text.rstrip(_BLOCK_END_CHARS)):
        return True
    # Clean block text has one space between words: words = spaces + 1.
    words = text.strip().count(" ") + 1
    return block.kind != "heading" and words >= MODEL_MIN_WORDS_WITHOUT_PUNCTUATION


def _whole_block_span(text: str) -> list[tuple[int, int]]:
    """The one sentence span of a block that needs no model: its text without outer spaces."""
    span = stripped_span(text, 0, len(text))
    return [span] if span else []


def _cut_long(span: tuple[int, int], text: str, max_chars: int) -> list[tuple[int, int]]:
    """Cut a span longer than ``max_chars`` at spaces (text without sentence punctuation)."""
    start, end = span
    pieces = []
    while end - start > max_chars:
        cut = text.rfind(" ", start + max_chars // 2, start + max_chars)
        cut = cut if cut > start else start + max_chars
        pieces.append((start, cut))
        start = cut
        while start < end and text[start] == " ":
            start += 1
    pieces.append((start, end))
    return pieces


def _join_after_colons(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join spans split after a colon: in a heading, what follows a colon is its subtitle
    ("Parallellsesjon 2: Hva kan organisasjonene bidra med?")."""
    joined: list[tuple[int, int]] = []
    for start, end in spans:
        if joined and text[: joined[-1][1]].endswith(":"):
            joined[-1] = (joined[-1][0], end)
        else:
            joined.append((start, end))
    return joined


def _block_units(
    raw: str, block: Block, sentence_spans: list[tuple[int, int]] | None, max_unit_chars: int
) -> list[tuple[int, int, str, str]]:
    """``(start, end, kind, text)`` of the units in one block, raw offsets."""
    if sentence_spans is None:
        text = block.text.strip() if block.kind not in ("noise",) else raw[block.start : block.end]
        return [(block.start, block.end, block.kind, text)]
    kind = _SPLIT_BLOCKS[block.kind]
    if block.kind == "heading":
        sentence_spans = _join_after_colons(block.text, sentence_spans)
    spans = [
        piece for span in sentence_spans for piece in _cut_long(span, block.text, max_unit_chars)
    ]
    if not spans:
        return [(block.start, block.end, kind, block.text.strip())]
    units = []
    for index, (clean_start, clean_end) in enumerate(spans):
        start, end = block.raw_span(clean_start, clean_end)
        if index == 0:
            start = block.start  # the bullet marker and anything dropped before belong here
        if index == len(spans) - 1:
            end = block.end
        units.append([start, end, kind, block.text[clean_start:clean_end]])
    # Raw characters dropped by the clean-up between two units (control characters) are
    # given to the unit before them, so that no visible character falls outside a unit.
    for before, after in itertools.pairwise(units):
        gap = raw[before[1] : after[0]]
        before[1] += len(gap.rstrip())
    return [(start, end, kind, text) for start, end, kind, text in units]


def _word_count(text: str) -> int:
    return len(nb_rules.WORD.findall(text))


def _link_repeats(units: list[Unit], blocks_of_units: list[int]) -> list[Unit]:
    """Mark pull quotes that repeat body text: ``repeat_of`` = the unit they repeat.

    Pull quotes marked with ’’ are already of kind quote; a block that is not marked but
    repeats a stretch of body text elsewhere word for word (and does not end a sentence,
    as pull quotes are cut short) becomes a quote too.
    """
    body = [u for u in units if u.kind in BODY_KINDS]
    if not body:
        return units
    body_positions = [u.unit for u in body]
    result = list(units)
    starts: list[int] = []
    joined = ""

    def find_repeat(words: str, skip_block: int | None, around: int) -> int | None:
        nonlocal starts, joined
        if not starts:  # built on the first quote: most documents have none
            normalised = [normalise_for_matching(u.text) for u in body]
            # Letters only and no separator, so that a quote may run over two sentences.
            starts = list(itertools.accumulate((len(text) for text in normalised), initial=0))
            joined = "".join(normalised)
        # Search only near the quote: layouts put pull quotes beside the text they repeat.
        low = bisect.bisect_left(body_positions, around - REPEAT_SEARCH_UNITS)
        high = bisect.bisect_right(body_positions, around + REPEAT_SEARCH_UNITS)
        position = joined.find(words, starts[low], starts[high] if high < len(starts) else None)
        while position >= 0:
            index = bisect.bisect_right(starts, position) - 1
            candidate = body[index].unit
            if skip_block is None or blocks_of_units[candidate] != skip_block:
                return candidate
            position = joined.find(
                words, position + 1, starts[high] if high < len(starts) else None
            )
        return None

    by_block: dict[int, list[int]] = {}
    for unit in units:
        by_block.setdefault(blocks_of_units[unit.unit], []).append(unit.unit)
    marked: dict[int, int] = {}  # unit of a marked pull quote → the unit it repeats
    unmarked: dict[int, int] = {}  # block that repeats body text → the unit it repeats
    for block_index, members in by_block.items():
        first = units[members[0]]
        if first.kind == "quote":
            if _word_count(first.text) >= 3:
                target = find_repeat(normalise_for_matching(first.text), None, first.unit)
                if target is not None:
                    marked[first.unit] = target
        elif first.kind in ("sentence", "heading"):
            if nb_rules.ENDS_WITH_TERMINAL.search(units[members[-1]].text):
                continue
            text = " ".join(units[m].text for m in members)
            if not MIN_REPEAT_WORDS <= _word_count(text) <= MAX_REPEAT_WORDS:
                continue
            target = find_repeat(normalise_for_matching(text), block_index, first.unit)
            if target is not None:
                unmarked[block_index] = target
    # A repeat of text that is itself taken for a repeat (the same passage twice, or text
    # with no words, like "xxxx…") is body text: a quote must point at body text.
    unmarked = {
        block: target for block, target in unmarked.items()
        if blocks_of_units[target] not in unmarked
    }  # fmt: skip
    for unit, target in marked.items():
        if blocks_of_units[target] not in unmarked:
            result[unit] = replace(units[unit], repeat_of=target)
    for block_index, target in unmarked.items():
        members = by_block[block_index]
        first, last = units[members[0]], units[members[-1]]
        text = " ".join(units[m].text for m in members)
        result[first.unit] = Unit(
            first.unit, first.start, last.end, "quote", first.section, text, target
        )
        for member in members[1:]:
            result[member] = None  # type: ignore[call-overload]
    kept = [unit for unit in result if unit is not None]
    if len(kept) == len(result):
        return kept
    # Renumber units after merging and keep repeat_of pointing at the same units.
    new_index = {unit.unit: index for index, unit in enumerate(kept)}
    return [
        replace(
            unit,
            unit=new_index[unit.unit],
            repeat_of=None if unit.repeat_of is None else new_index.get(unit.repeat_of),
        )
        for unit in kept
    ]


def _block_sentence_spans(block: Block, doc: Doc | None) -> list[tuple[int, int]] | None:
    """Sentence spans of a block in its cleaned text; None for blocks that are not split."""
    if block.kind not in _SPLIT_BLOCKS:
        return None
    if doc is None:
        return _whole_block_span(block.text)
    # A heading is split at sentence punctuation only, never where the model guesses a
    # sentence starts ("Parallellsesjon 4 Fra utsatt til ...").
    return _sentence_spans(doc, block.text, unpunctuated_starts=block.kind != "heading")


def _document_units(
    raw: str, blocks_and_docs: Iterable[tuple[Block, Doc | None]], max_unit_chars: int
) -> list[Unit]:
    """Units of one document from its blocks, each with its parsed doc if it went through
    the spaCy pipeline."""
    units: list[Unit] = []
    block_of_unit: list[int] = []
    section = ""
    for block_index, (block, doc) in enumerate(blocks_and_docs):
        spans = _block_sentence_spans(block, doc)
        for start, end, kind, text in _block_units(raw, block, spans, max_unit_chars):
            if kind == "heading":
                section = text
            units.append(Unit(len(units), start, end, kind, section, text))
            block_of_unit.append(block_index)
    return _link_repeats(units, block_of_unit)


def segment_documents(
    documents: Iterable[tuple[str, str] | tuple[str, str, Sequence[int]]],
    nlp: Language,
    *,
    batch_size: int = 128,
    lexicon: str | Mapping[str, float] = DEFAULT_LEXICON,
    max_heading_words: int = 25,
    max_unit_chars: int = MAX_UNIT_CHARS,
) -> Iterator[tuple[str, Unit]]:
    """Segment ``(doc_id, raw_text)`` pairs, streaming ``(doc_id, unit)`` pairs in order.
    A third item, the offsets where the pages of a PDF start, lets running headers and
    footers be found (``tema.segment.clean.page_furniture``).

    Options: ``batch_size`` (blocks per spaCy batch), ``lexicon`` (a word list name from
    ``tema.segment.clean.LEXICON_SOURCES`` or a loaded one), ``max_heading_words`` (longest text
    block without final punctuation taken as a heading), ``max_unit_chars`` (longer units,
    from text without sentence punctuation, are cut at spaces).

    The blocks of all documents go through ``nlp.pipe`` as one stream, so that spaCy
    batches across document borders; blocks are cleaned as the stream is read, so memory
    holds one document's units and spaCy's batch, not all blocks of a long text.
    """
    lexicon = as_lexicon(lexicon)  # once, not per document
    blocks = (
        (number, doc_id, raw, block)
        for number, (doc_id, raw, *pages) in enumerate(documents)
        for block in iter_blocks(raw, lexicon, max_heading_words, *pages)
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

    def with_docs(items):
        for (*_, block), model in items:
            yield block, next(parsed) if model else None

    for _number, group in itertools.groupby(for_units, key=lambda marked: marked[0][0]):
        document = iter(group)
        first = next(document)
        doc_id, raw = first[0][1], first[0][2]
        for unit in _document_units(
            raw, with_docs(itertools.chain([first], document)), max_unit_chars
        ):
            yield doc_id, unit


def segment_ingested(documents: Iterable, nlp: Language, **options) -> Iterator[tuple[str, Unit]]:
    """Units of ingested documents (``tema.ingest.stage.Document``): survey answers as they are,
    other text segmented by ``segment_documents`` with ``options``.

    Each survey answer is one unit of kind ``answer`` (its span is kept from ingest), so
    answers are never merged or split, and a short answer without a full stop is not
    mistaken for a heading. Runs of ordinary documents are streamed together.
    """
    for is_table, run in itertools.groupby(documents, key=lambda d: bool(d.answers)):
        if not is_table:
            yield from segment_documents(((d.doc, d.text, d.pages) for d in run), nlp, **options)
            continue
        for document in run:
            for number, answer in enumerate(document.answers):
                start, end = answer["start"], answer["end"]
                text = document.text[start:end]
                yield document.doc, Unit(number, start, end, ANSWER_KIND, "", text)


def segment_text(text: str, nlp: Language, **options) -> list[Unit]:
    """Units of one raw text, in order (see ``segment_documents`` for the options)."""
    return [unit for _doc_id, unit in segment_documents([("", text)], nlp, **options)]


def units_to_frame(pairs: Iterable[tuple[str, Unit]]) -> pd.DataFrame:
    """A table with one row per unit and columns ``FRAME_COLUMNS``."""
    rows = [
        (doc_id, u.unit, u.start, u.end, u.kind, u.section, u.text, u.repeat_of)
        for doc_id, u in pairs
    ]
    frame = pd.DataFrame(rows, columns=list(FRAME_COLUMNS))
    frame = frame.astype(
        {"doc": "string", "unit": "int64", "start": "int64", "end": "int64", "kind": "string",
         "section": "string", "text": "string", "repeat_of": "Int64"}
    )  # fmt: skip
    return frame
