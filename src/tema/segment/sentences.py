"""Sentence boundaries: the spaCy pipeline and the Norwegian rules that correct it.

``load_pipeline`` loads the pipeline that proposes sentence starts: by default the
sentence recogniser trained on UD Norwegian Bokmål that tema ships in ``models/nb_senter``
(built by the ``senter`` stage, ``tema.segment.senter``). The Norwegian rules of
``tema.segment.nb_sentences`` (abbreviations, ordinals, years, «», colons) then correct its
sentence starts (``rule_sentence_starts`` in ``tema.segment.sentence_starts``; also
available as the spaCy component ``tema_nb_sentence_rules_v1``), and ``sentence_spans``
gives the corrected sentences of a parsed block as character spans.
"""

from __future__ import annotations

from pathlib import Path
from typing import cast

import numpy
import spacy
from spacy.attrs import IDX, LENGTH, SENT_START
from spacy.language import Language
from spacy.tokens import Doc
from thinc.types import Ints2d

from tema.segment import nb_sentences
from tema.segment.sentence_starts import START, rule_sentence_starts

DEFAULT_SPACY_MODEL = "models/nb_senter"
# Name that selects spaCy's rule-based sentencizer on a blank Norwegian pipeline: the
# baseline, and a pipeline that needs no model files at all.
SENTENCIZER = "sentencizer"
# spaCy forbids dots in component names, so the namespace is written with underscores.
RULES_COMPONENT = "tema_nb_sentence_rules_v1"


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
        column = cast(Ints2d, sent_starts.astype(numpy.uint64).reshape(-1, 1))
        doc.from_array([SENT_START], column)
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
                f" ({error}). Rebuild it with `tema senter` or point spacy_model at"
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


# --- Sentence spans -----------------------------------------------------------------------
def sentence_spans(
    doc: Doc, text: str, *, unpunctuated_starts: bool = True
) -> list[tuple[int, int]]:
    """Character spans of the sentences of ``doc`` over ``text`` (its text, passed in
    because ``doc.text`` is rebuilt token by token), after the Norwegian rules, without
    outer spaces. Text written in lower case (``nb_sentences.written_in_lower_case``) is
    split at sentence ends before lower-case words too."""
    if len(doc) == 0:
        return []
    table = doc.to_array([SENT_START, IDX, LENGTH]).astype(numpy.int64)
    sent_starts = rule_sentence_starts(
        text,
        table,
        unpunctuated_starts=unpunctuated_starts,
        lower_case=nb_sentences.written_in_lower_case(text),
    )
    starts = [0, *(numpy.flatnonzero(sent_starts[1:] == START) + 1).tolist()]
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
