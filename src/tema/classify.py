"""Stage `classify`: give every unit a theme, a calibrated confidence and an uncertain flag."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from tema.predictor import PREDICTION_COLUMNS

OUTPUT_COLUMNS = ("doc", "unit", "text", *PREDICTION_COLUMNS)


def classify_units(units: pd.DataFrame, model: Any) -> pd.DataFrame:
    """The units with theme, confidence, second_theme and uncertain added, in input order.

    `model` is what ``tema.predictor.load_predictor`` returns, or a
    ``tema.model.ThemeModel``: its ``predict_proba``, ``classes`` and decision ``rule``
    are used. Units of a segmented document (with `doc` and `kind` columns, in reading
    order) are read in their context when the model card says how (`tema.context`). A
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


def read_table_units(path: str | Path, text_column: str) -> pd.DataFrame:
    """A CSV/TSV/XLSX table of answers as units: one unit per row (blank ones too, so output
    rows match input rows), the text from `text_column`, the other columns kept."""
    from tema.readers import choose_text_column, read_rows  # only tables need it: ≈ 5 ms

    path = Path(path)
    header, rows = read_rows(path)
    column = choose_text_column(path, header, [text_column])
    width = len(header)
    table = pd.DataFrame(
        [(cells + [""] * width)[:width] for _, cells in rows], columns=header, dtype=str
    )
    units = table.rename(columns={column: "text"})
    units = units.drop(columns=[c for c in ("doc", "unit") if c in units.columns])
    units.insert(0, "unit", range(len(units)))
    units.insert(0, "doc", path.name)
    return units
