"""Stage `classify`: give every unit a theme, a calibrated confidence and an uncertain flag."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from tema.classify.decision import PREDICTION_COLUMNS

OUTPUT_COLUMNS = ("doc", "unit", "text", *PREDICTION_COLUMNS)
# Columns a table's own columns may not overwrite: the unit's place, and the predictions.
RESERVED = frozenset({"doc", "unit", "row", "text", *PREDICTION_COLUMNS})


def classify_units(units: pd.DataFrame, model: Any) -> pd.DataFrame:
    """The units with theme, confidence, second_theme and uncertain added, in input order.

    `model` is what ``tema.classify.predictor.load_predictor`` returns, or a
    ``tema.classify.model.ThemeModel``: its ``predict_proba``, ``classes`` and decision ``rule``
    are used. Units of a segmented document (with `doc` and `kind` columns, in reading
    order) are read in their context when the model card says how (`tema.classify.context`). A
    unit with no text cannot be sorted: it keeps its row (so output rows match input rows)
    and is flagged uncertain.
    """
    texts = units["text"].fillna("").astype(str)
    has_structure = {"doc", "kind"} <= set(units.columns)
    predictions = model.rule.apply(
        model.predict_proba(texts.tolist()),
        model.classes,
        units["doc"].astype(str).tolist() if has_structure else None,
        units["kind"].astype(str).tolist() if has_structure else None,
    )
    predictions.index = units.index
    predictions["uncertain"] = predictions["uncertain"] | (texts.str.strip() == "")
    return pd.concat(
        [units.drop(columns=list(PREDICTION_COLUMNS), errors="ignore"), predictions], axis=1
    )


def read_table_units(
    path: str | Path, text_columns: Sequence[str], sheet: str | None = None
) -> pd.DataFrame:
    """A CSV/TSV/XLSX table of answers as units, read as ingest reads it
    (``tema.ingest.readers.read_answers``): one unit per non-blank answer, the text from the
    first of `text_columns` the table has, `row` its row in the file (the header is row
    1), the other columns kept."""
    from tema.ingest.readers import read_answers  # only tables need it: ≈ 5 ms

    path = Path(path)
    header, column, answers = read_answers(path, text_columns, sheet)
    others = [name for name in header if name and name != column and name not in RESERVED]
    units = pd.DataFrame(
        [
            [path.name, number, answer.row, answer.text]
            + [answer.metadata.get(name, "") for name in others]
            for number, answer in enumerate(answers)
        ],
        columns=["doc", "unit", "row", "text", *others],
        dtype=object,
    )
    return units.astype({"unit": "int64", "row": "int64"})
