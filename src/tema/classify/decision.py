"""From class probabilities to the columns tema writes for every unit: theme, confidence,
second theme and the uncertain flag, by the rule the model card records (`DecisionRule`).

Shared by the scikit-learn model (`tema.classify.model.ThemeModel`) and the plain-array
predictor (`tema.classify.predictor.LinearThemePredictor`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from tema.classify.context import ContextWeights, no_theme_column, with_context

PREDICTION_COLUMNS = ("theme", "confidence", "second_theme", "uncertain")
# The unit kinds a reader counts (report.counted_kinds): the batch whose least confident
# units are flagged (`DecisionRule`). A table of texts without kinds counts every row.
COUNTED_KINDS = ("sentence", "bullet", "answer")

Probabilities = npt.NDArray[np.float64]


def decide(
    probabilities: Probabilities,
    classes: npt.NDArray[Any],
    uncertainty_threshold: float,
    second_theme_threshold: float,
) -> pd.DataFrame:
    """Turn class probabilities into theme, confidence, second theme and the uncertain flag."""
    if len(probabilities) == 0:
        return pd.DataFrame({column: [] for column in PREDICTION_COLUMNS})
    order = np.argsort(-probabilities, axis=1)
    rows = np.arange(len(probabilities))
    best = probabilities[rows, order[:, 0]]
    runner_up = (
        probabilities[rows, order[:, 1]] if probabilities.shape[1] > 1 else np.zeros(len(rows))
    )
    second_candidates = (
        classes[order[:, 1]] if probabilities.shape[1] > 1 else np.full(len(rows), "")
    )
    return pd.DataFrame(
        {
            "theme": classes[order[:, 0]],
            "confidence": np.round(best, 4),
            "second_theme": np.where(runner_up >= second_theme_threshold, second_candidates, ""),
            "uncertain": best < uncertainty_threshold,
        }
    )


def least_confident_until(
    confidence: Probabilities, target_accuracy: float, max_share: float
) -> npt.NDArray[np.bool_]:
    """The least confident units to set aside so that the mean confidence of the rest —
    their expected accuracy, for calibrated probabilities — reaches `target_accuracy`;
    never more than `max_share` of the units (rounded up)."""
    count = len(confidence)
    flagged = np.zeros(count, dtype=bool)
    if count == 0:
        return flagged
    order = np.argsort(confidence, kind="stable")
    ascending = confidence[order]
    # Mean confidence of the units left after setting aside the k least confident.
    rest_sums = ascending.sum() - np.concatenate([[0.0], np.cumsum(ascending)[:-1]])
    rest_means = rest_sums / np.arange(count, 0, -1)
    reached = np.flatnonzero(rest_means >= target_accuracy)
    limit = math.ceil(max_share * count)
    set_aside = min(int(reached[0]) if len(reached) else count, limit)
    flagged[order[:set_aside]] = True
    return flagged


@dataclass(frozen=True)
class DecisionRule:
    """How a model's class probabilities become the columns tema writes, as its card says.

    - `context` reads each unit with its neighbours and heading, and a survey answer with
      its question (`tema.classify.context`), where the units come in reading order with
      their `doc` and `kind`;
    - a unit is uncertain when its confidence is below `uncertainty_threshold`, or when it
      is among the least confident units of its batch that must be set aside for the rest
      to reach `flag_until_accuracy` (at most `max_flagged_share` of the batch).
    """

    uncertainty_threshold: float
    second_theme_threshold: float
    context: ContextWeights | None = None
    flag_until_accuracy: float | None = None
    max_flagged_share: float = 0.3

    @classmethod
    def from_card(cls, card: Mapping[str, Any]) -> DecisionRule:
        flagging = card.get("flagging") or {}
        return cls(
            uncertainty_threshold=float(card["uncertainty_threshold"]),
            second_theme_threshold=float(card["second_theme_threshold"]),
            context=ContextWeights.from_dict(card["context"]) if card.get("context") else None,
            flag_until_accuracy=flagging.get("until_accuracy"),
            max_flagged_share=float(flagging.get("max_share", 0.3)),
        )

    def probabilities(
        self,
        raw: Probabilities,
        classes: npt.NDArray[Any],
        docs: Sequence[str] | None = None,
        kinds: Sequence[str] | None = None,
    ) -> Probabilities:
        """The model's probabilities (columns: `classes`), read in context where there is
        one."""
        if self.context is not None and docs is not None and kinds is not None:
            return with_context(raw, docs, kinds, self.context, no_theme_column(classes))
        return raw

    def apply(
        self,
        raw: Probabilities,
        classes: npt.NDArray[Any],
        docs: Sequence[str] | None = None,
        kinds: Sequence[str] | None = None,
    ) -> pd.DataFrame:
        """The `PREDICTION_COLUMNS` of every unit."""
        probabilities = self.probabilities(raw, classes, docs, kinds)
        decided = decide(
            probabilities, classes, self.uncertainty_threshold, self.second_theme_threshold
        )
        if self.flag_until_accuracy is not None and len(probabilities):
            # The batch is the units a reader counts: headings, captions and the like
            # neither take a share of the flags nor make the rest look surer.
            counted = (
                np.isin(np.asarray(kinds, dtype=object), COUNTED_KINDS)
                if kinds is not None
                else np.ones(len(probabilities), dtype=bool)
            )
            flagged = np.zeros(len(probabilities), dtype=bool)
            flagged[counted] = least_confident_until(
                probabilities[counted].max(axis=1),
                self.flag_until_accuracy,
                self.max_flagged_share,
            )
            decided["uncertain"] |= flagged
        return decided
