"""Stage `classify`: give every unit a theme, a calibrated confidence and an uncertain flag."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from tema.errors import InputError
from tema.model import PREDICTION_COLUMNS, ThemeModel

OUTPUT_COLUMNS = ("doc", "unit", "text", *PREDICTION_COLUMNS)


def classify_units(units: pd.DataFrame, model: ThemeModel) -> pd.DataFrame:
    """The units with theme, confidence, second_theme and uncertain added, in input order.

    A unit with no text cannot be sorted: it keeps its row (so output rows match input
    rows) and is flagged uncertain.
    """
    texts = units["text"].fillna("").astype(str)
    predictions = model.predict(texts.tolist())
    predictions.index = units.index
    predictions["uncertain"] = predictions["uncertain"] | (texts.str.strip() == "")
    return pd.concat(
        [units.drop(columns=list(PREDICTION_COLUMNS), errors="ignore"), predictions], axis=1
    )


def read_table_units(path: str | Path, text_column: str) -> pd.DataFrame:
    """A CSV/TSV of answers as units: one row per input row, other columns kept."""
    path = Path(path)
    separator = "\t" if path.suffix.lower() == ".tsv" else ","
    try:
        table = pd.read_csv(
            path, sep=separator, dtype=str, keep_default_na=False, encoding="utf-8-sig"
        )
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InputError(
            path, f"cannot be read as a {'TSV' if separator == chr(9) else 'CSV'} table: {exc}"
        ) from exc
    if text_column not in table.columns:
        raise InputError(
            path, f"no column {text_column!r}; columns are {', '.join(table.columns)}", line=1
        )
    units = table.rename(columns={text_column: "text"})
    units = units.drop(columns=[c for c in ("doc", "unit") if c in units.columns])
    units.insert(0, "unit", range(len(units)))
    units.insert(0, "doc", path.name)
    return units
