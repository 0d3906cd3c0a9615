"""Reading a unit in its context: the units around it and its section heading.

About one in five units of a real report cannot be sorted from its own words ("Hun fikk
tilbud om fast stilling etter tre måneder.", "Det tar ofte over ett år."); the heading
above it and its neighbours decide. Given every unit's class probabilities in reading
order, `with_context` adds to each counted unit the mean probabilities of its counted
neighbours (up to ``reach`` on each side, in the same section) and those of its section
heading, then sharpens the sum by a temperature:

    p' ∝ (p + neighbour_weight · mean(p of neighbours) + heading_weight · p of heading) ^ (1/T)

The three numbers are not tuned by hand: `fit_context` picks them by the log-loss of the
out-of-fold probabilities of the labelled *document rounds* (labelled units written as
short documents, with `doc` and `kind` columns; docs/labeling.md), and `tema train`
writes them on the model card. Units without context (survey answers, a table of texts,
the first unit of a section with no neighbours) keep their own probabilities.

Sections are read from the order of the units, not from their `section` column: a
heading row starts a section, a new document starts one too. So training (labelled
document rounds, which have no `section` column) and classification (`tema segment`'s
units) see the same structure.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np

# The unit kinds that are read for their content and can lend it to a neighbour.
CONTENT_KINDS = ("sentence", "bullet")
HEADING_KIND = "heading"
# The grid `fit_context` searches: small on purpose (≈ 700 document units to fit on).
NEIGHBOUR_WEIGHTS = (0.0, 0.25, 0.5, 0.75, 1.0, 1.5)
HEADING_WEIGHTS = (0.0, 0.1, 0.25, 0.5)
TEMPERATURES = (0.33, 0.5, 0.7, 1.0)
# The floor of a probability under the log in the log-loss.
_EPSILON = 1e-6


@dataclass(frozen=True)
class ContextWeights:
    """How much a unit's neighbours and heading count (see the module docstring)."""

    reach: int = 2
    neighbour_weight: float = 0.0
    heading_weight: float = 0.0
    temperature: float = 1.0

    def as_dict(self) -> dict[str, float | int]:
        return asdict(self)

    @classmethod
    def from_dict(cls, values: dict) -> ContextWeights:
        return cls(
            reach=int(values["reach"]),
            neighbour_weight=float(values["neighbour_weight"]),
            heading_weight=float(values["heading_weight"]),
            temperature=float(values["temperature"]),
        )


@dataclass(frozen=True)
class Context:
    """For each unit: its neighbours' mean probabilities and its heading's, where it has them."""

    neighbours: np.ndarray
    has_neighbours: np.ndarray
    heading: np.ndarray
    has_heading: np.ndarray

    @property
    def has_context(self) -> np.ndarray:
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


def read_context(
    probabilities: np.ndarray, docs: Sequence[str], kinds: Sequence[str], reach: int
) -> Context:
    """The neighbour and heading probabilities of every unit (zeros where it has none)."""
    section, heading_row = sections(docs, kinds)
    content = np.isin(np.asarray(kinds, dtype=object), CONTENT_KINDS)
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
    return Context(
        neighbours=np.where(has_neighbours[:, None], mean, 0.0),
        has_neighbours=has_neighbours,
        heading=heading,
        has_heading=has_heading,
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
    return np.where(context.has_context[:, None], sharpened, probabilities)


def with_context(
    probabilities: np.ndarray,
    docs: Sequence[str],
    kinds: Sequence[str],
    weights: ContextWeights,
) -> np.ndarray:
    """Each unit's probabilities read in its context (units in reading order)."""
    if len(probabilities) == 0:
        return probabilities
    return combine(probabilities, read_context(probabilities, docs, kinds, weights.reach), weights)


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
) -> tuple[ContextWeights, dict[str, float]]:
    """The weights of the grid with the lowest log-loss on the content units that have
    context, and the log-loss without and with them (for the model card).

    `probabilities` are out-of-fold probabilities of document-round units in reading order.
    `heading_weights=(0.0,)` reads neighbours only.
    """
    context = read_context(probabilities, docs, kinds, reach)
    scored = context.has_context
    if not scored.any():
        return ContextWeights(reach=reach), {"units": 0}
    truth = truth_columns[scored]
    best, best_loss = ContextWeights(reach=reach), log_loss(probabilities[scored], truth)
    without = best_loss
    for neighbour, heading, temperature in itertools.product(
        NEIGHBOUR_WEIGHTS, heading_weights, TEMPERATURES
    ):
        weights = ContextWeights(reach, neighbour, heading, temperature)
        loss = log_loss(combine(probabilities, context, weights)[scored], truth)
        if loss < best_loss - 1e-9:
            best, best_loss = weights, loss
    return best, {
        "units": int(scored.sum()),
        "log_loss_without": round(without, 4),
        "log_loss_with": round(best_loss, 4),
    }
