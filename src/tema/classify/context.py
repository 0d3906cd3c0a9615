"""Reading a unit in its context: the units around it and its section heading.

About one in five units of a real report cannot be sorted from its own words ("Hun fikk
tilbud om fast stilling etter tre måneder.", "Det tar ofte over ett år."); the heading
above it and its neighbours decide. Given every unit's class probabilities in reading
order, `with_context` adds to each counted unit the mean probabilities of its counted
neighbours (up to ``reach`` on each side, in the same section) and those of its section
heading, then sharpens the sum by a temperature:

    p' ∝ (p + neighbour_weight · mean(p of neighbours) + heading_weight · p of heading) ^ (1/T)

A survey answer has no neighbours (the answers of a table are not read in sequence), but
where the table has a question column the question plays the heading's part, with a weight
and temperature of its own (a question decides an elliptic answer, "Mer tid til det",
far more often than a report's heading decides a sentence). The question lends only its
theme probabilities: a general question ("Andre innspill?") reads as `other`, which says
nothing about the theme of the answers it collects:

    p' ∝ (p + question_weight · p of question, its `other` set to 0) ^ (1/T_question)

The numbers are not tuned by hand: `fit_context` picks them by the log-loss of the
out-of-fold probabilities of the labelled *document rounds* (labelled units written as
short documents or surveys, with `doc` and `kind` columns; docs/labeling.md), and `tema
train` writes them on the model card. Units without context (a table of texts, an answer
without a question, the first unit of a section with no neighbours) keep their own
probabilities.

Sections are read from the order of the units, not from their `section` column: a
heading row starts a section, a new document starts one too. So training (labelled
document rounds, which have no `section` column) and classification (`tema segment`'s
units) see the same structure. A labelled survey is a heading row (the question) followed
by its answers; in classification an answer's question is its `section`, which
`with_questions` turns into such a heading row.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any

import numpy as np

# The unit kinds that are read for their content and can lend it to a neighbour.
CONTENT_KINDS = ("sentence", "bullet")
HEADING_KIND = "heading"
ANSWER_KIND = "answer"
# The class that names no theme (LABELS.md: "none of the above").
NO_THEME = "other"
# Marks the doc of an answer without a question in a `QuestionLayout` (a name no real
# document has: file names cannot hold NUL).
_UNASKED = "\x00unasked"
# The grid `fit_context` searches: small on purpose (≈ 700 document units to fit on).
NEIGHBOUR_WEIGHTS = (0.0, 0.25, 0.5, 0.75, 1.0, 1.5)
HEADING_WEIGHTS = (0.0, 0.1, 0.25, 0.5)
TEMPERATURES = (0.33, 0.5, 0.7, 1.0)
QUESTION_WEIGHTS = (0.0, 0.25, 0.5, 1.0, 1.5, 2.0, 3.0)
# The floor of a probability under the log in the log-loss.
_EPSILON = 1e-6


@dataclass(frozen=True)
class ContextWeights:
    """How much a unit's neighbours and heading count (see the module docstring)."""

    reach: int = 2
    neighbour_weight: float = 0.0
    heading_weight: float = 0.0
    temperature: float = 1.0
    question_weight: float = 0.0
    question_temperature: float = 1.0

    def as_dict(self) -> dict[str, float | int]:
        return asdict(self)

    @classmethod
    def from_dict(cls, values: dict) -> ContextWeights:
        return cls(
            reach=int(values["reach"]),
            neighbour_weight=float(values["neighbour_weight"]),
            heading_weight=float(values["heading_weight"]),
            temperature=float(values["temperature"]),
            # Cards written before questions were read have neither.
            question_weight=float(values.get("question_weight", 0.0)),
            question_temperature=float(values.get("question_temperature", 1.0)),
        )


@dataclass(frozen=True)
class Context:
    """For each unit: its neighbours' mean probabilities and its heading's, where it has
    them; for each survey answer, its question's."""

    neighbours: np.ndarray
    has_neighbours: np.ndarray
    heading: np.ndarray
    has_heading: np.ndarray
    question: np.ndarray
    has_question: np.ndarray

    @property
    def has_context(self) -> np.ndarray:
        """The content units (sentences, bullets) that have neighbours or a heading."""
        return self.has_neighbours | self.has_heading


def sections(docs: Sequence[str], kinds: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Per unit in reading order: a section number, and the row of its heading (-1: none).

    A heading starts a section (and belongs to it), and so does a new document.
    """
    count = len(kinds)
    section = np.zeros(count, dtype=np.int64)
    heading_row = np.full(count, -1, dtype=np.int64)
    number, current_heading, previous_doc = 0, -1, None
    for row, (doc, kind) in enumerate(zip(docs, kinds, strict=True)):
        if doc != previous_doc:
            number, current_heading, previous_doc = number + 1, -1, doc
        if kind == HEADING_KIND:
            number, current_heading = number + 1, row
        section[row] = number
        heading_row[row] = current_heading
    return section, heading_row


def no_theme_column(classes: Iterable[Any]) -> int | None:
    """The column of `NO_THEME` among `classes` (None when there is no such class)."""
    names = [str(name) for name in classes]
    return names.index(NO_THEME) if NO_THEME in names else None


def read_context(
    probabilities: np.ndarray,
    docs: Sequence[str],
    kinds: Sequence[str],
    reach: int,
    no_theme: int | None = None,
) -> Context:
    """The neighbour, heading and question probabilities of every unit (zeros where it has
    none); a question's without its column `no_theme` (see the module docstring)."""
    section, heading_row = sections(docs, kinds)
    kind = np.asarray(kinds, dtype=object)
    content = np.isin(kind, CONTENT_KINDS)
    count = len(probabilities)
    total = np.zeros_like(probabilities)
    neighbours = np.zeros(count)
    # Shifted sums instead of a loop over units: a neighbour at distance d counts when it
    # is content and in the same section.
    for distance in itertools.chain(range(-reach, 0), range(1, reach + 1)):
        source = np.arange(count) + distance
        valid = (source >= 0) & (source < count)
        rows = np.flatnonzero(valid)
        sources = source[valid]
        counts = content[sources] & (section[sources] == section[rows])
        total[rows[counts]] += probabilities[sources[counts]]
        neighbours[rows[counts]] += 1
    has_neighbours = content & (neighbours > 0)
    mean = np.divide(
        total, neighbours[:, None], out=np.zeros_like(total), where=neighbours[:, None] > 0
    )
    has_heading = content & (heading_row >= 0)
    heading = np.zeros_like(probabilities)
    heading[has_heading] = probabilities[heading_row[has_heading]]
    has_question = (kind == ANSWER_KIND) & (heading_row >= 0)
    question = np.zeros_like(probabilities)
    question[has_question] = probabilities[heading_row[has_question]]
    if no_theme is not None:
        question[:, no_theme] = 0.0
    return Context(
        neighbours=np.where(has_neighbours[:, None], mean, 0.0),
        has_neighbours=has_neighbours,
        heading=heading,
        has_heading=has_heading,
        question=question,
        has_question=has_question,
    )


def combine(probabilities: np.ndarray, context: Context, weights: ContextWeights) -> np.ndarray:
    """`probabilities` with the context added where a unit has some (module docstring)."""
    pooled = (
        probabilities
        + weights.neighbour_weight * context.neighbours
        + weights.heading_weight * context.heading
    )
    pooled = pooled / pooled.sum(axis=1, keepdims=True)
    sharpened = sharpen(pooled, weights.temperature)
    read = np.where(context.has_context[:, None], sharpened, probabilities)
    if not context.has_question.any():  # a report: no survey answer to read
        return read
    answered = probabilities + weights.question_weight * context.question
    answered = sharpen(answered / answered.sum(axis=1, keepdims=True), weights.question_temperature)
    return np.where(context.has_question[:, None], answered, read)


def with_context(
    probabilities: np.ndarray,
    docs: Sequence[str],
    kinds: Sequence[str],
    weights: ContextWeights,
    no_theme: int | None = None,
) -> np.ndarray:
    """Each unit's probabilities read in its context (units in reading order; `no_theme`:
    the column of `NO_THEME`)."""
    if len(probabilities) == 0:
        return probabilities
    context = read_context(probabilities, docs, kinds, weights.reach, no_theme)
    return combine(probabilities, context, weights)


def sharpen(probabilities: np.ndarray, temperature: float) -> np.ndarray:
    """Probabilities raised to 1/temperature and normalised (temperature 1: unchanged)."""
    if temperature == 1.0 or len(probabilities) == 0:
        return probabilities
    powered = np.power(np.clip(probabilities, _EPSILON, None), 1.0 / temperature)
    return powered / powered.sum(axis=1, keepdims=True)


def log_loss(probabilities: np.ndarray, truth_columns: np.ndarray) -> float:
    """Mean negative log-probability of the true class."""
    chosen = probabilities[np.arange(len(truth_columns)), truth_columns]
    return float(-np.mean(np.log(np.clip(chosen, _EPSILON, None))))


def fit_temperature(probabilities: np.ndarray, truth_columns: np.ndarray) -> float:
    """The temperature (of a small grid) that gives the lowest log-loss.

    Pooling two calibrated models by their mean makes the pool under-confident where they
    agree; a temperature below 1 sharpens it back.
    """
    grid = (0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.2, 1.5)
    losses = [log_loss(sharpen(probabilities, t), truth_columns) for t in grid]
    return grid[int(np.argmin(losses))]


def fit_context(
    probabilities: np.ndarray,
    truth_columns: np.ndarray,
    docs: Sequence[str],
    kinds: Sequence[str],
    reach: int = 2,
    heading_weights: Sequence[float] = HEADING_WEIGHTS,
    no_theme: int | None = None,
) -> tuple[ContextWeights, dict[str, float]]:
    """The weights of the grid with the lowest log-loss on the content units that have
    context, and the log-loss without and with them (for the model card).

    `probabilities` are out-of-fold probabilities of document-round units in reading order.
    `heading_weights=(0.0,)` reads neighbours only. The question weight and temperature are
    fitted on the answers that have a question (labelled surveys), after the rest.
    """
    context = read_context(probabilities, docs, kinds, reach, no_theme)
    best = ContextWeights(reach=reach)
    fit: dict[str, float] = {"units": 0}
    scored = context.has_context
    if scored.any():
        candidates = (
            ContextWeights(reach, neighbour, heading, temperature)
            for neighbour, heading, temperature in itertools.product(
                NEIGHBOUR_WEIGHTS, heading_weights, TEMPERATURES
            )
        )
        best, without, loss = _lowest_loss(
            best, candidates, probabilities, truth_columns, context, scored
        )
        fit = {"units": int(scored.sum()), "log_loss_without": without, "log_loss_with": loss}
    # Answers are read with their question only, so its weights are fitted on their own.
    asked = context.has_question
    if asked.any():
        candidates = (
            replace(best, question_weight=weight, question_temperature=temperature)
            for weight, temperature in itertools.product(QUESTION_WEIGHTS, TEMPERATURES)
        )
        best, without, loss = _lowest_loss(
            best, candidates, probabilities, truth_columns, context, asked
        )
        fit |= {
            "answers": int(asked.sum()),
            "answer_log_loss_without": without,
            "answer_log_loss_with": loss,
        }
    return best, fit


def _lowest_loss(
    start: ContextWeights,
    candidates: Iterable[ContextWeights],
    probabilities: np.ndarray,
    truth_columns: np.ndarray,
    context: Context,
    scored: np.ndarray,
) -> tuple[ContextWeights, float, float]:
    """Of `start` and `candidates`, the weights with the lowest log-loss on the `scored`
    units, with the log-loss of their own probabilities and the lowest (both rounded)."""
    truth = truth_columns[scored]
    best, best_loss = start, log_loss(probabilities[scored], truth)
    without = best_loss
    for weights in candidates:
        loss = log_loss(combine(probabilities, context, weights)[scored], truth)
        if loss < best_loss - 1e-9:
            best, best_loss = weights, loss
    return best, round(without, 4), round(best_loss, 4)


@dataclass(frozen=True)
class QuestionLayout:
    """Units with each survey answer's question put before it as a heading row (the layout
    of a labelled survey): the texts, docs and kinds to read in context, where the units
    themselves are in it (`rows`) and where the questions are (`questions`)."""

    texts: list[str]
    docs: list[str]
    kinds: list[str]
    rows: np.ndarray
    questions: list[int]


def with_questions(
    texts: Sequence[str], docs: Sequence[str], kinds: Sequence[str], questions: Sequence[str]
) -> QuestionLayout:
    """`texts` in reading order, with a heading row holding the question before each run
    of answers (kind ``answer``) that reply to the same question in the same document.

    `questions` is each unit's question ("" for none, and ignored for other kinds): the
    `section` column that `tema segment` and `tema classify` of a table record for answers.
    An answer without a question is read without one, never with the question of the
    answers before it: its doc is marked in the layout, so that it stands in a section of
    its own (answers take no neighbours, so nothing else changes).
    """
    layout = QuestionLayout([], [], [], np.zeros(len(texts), dtype=np.int64), [])
    previous: tuple[str, str] | None = None
    for row, (text, doc, kind, question) in enumerate(
        zip(texts, docs, kinds, questions, strict=True)
    ):
        asked = (doc, question) if kind == ANSWER_KIND and question else None
        if asked is not None and asked != previous:
            layout.questions.append(len(layout.texts))
            layout.texts.append(question)
            layout.docs.append(doc)
            layout.kinds.append(HEADING_KIND)
        previous = asked
        layout.rows[row] = len(layout.texts)
        layout.texts.append(text)
        layout.docs.append(doc + _UNASKED if kind == ANSWER_KIND and asked is None else doc)
        layout.kinds.append(kind)
    return layout
