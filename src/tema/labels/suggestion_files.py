"""The files of a `tema suggest` round: the units picked, written for the annotators.

`write_suggestions` writes the CSV, the XLSX (with a theme drop-down, each text fitted to
an Excel cell) and the Label Studio import tasks (`label_studio_tasks`, the model's guess
as a pre-annotation) with their labelling interface; `output_paths` names them.
`tema.labels.suggest` picks the units.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from tema.config import Theme
from tema.io.files import EXCEL_MAX_CELL_CHARS, as_text_cell, atomic_write, fit_cell, write_csv
from tema.labels.label_studio import label_studio_config, write_label_studio_tasks

# The end of a text cut to fit an Excel cell (a survey answer is one unit, of any length).
CUT_NOTE = (
    " … [kuttet: en Excel-celle rommer ikke mer; hele teksten står i .csv- og "
    ".labelstudio.json-filen, sett tema der / cut: an Excel cell holds no more; the whole "
    "text is in the .csv and .labelstudio.json files, label it there]"
)


def output_paths(csv_path: str | Path) -> dict[str, Path]:
    csv_path = Path(csv_path)
    stem = csv_path.with_suffix("")
    return {
        "csv": csv_path,
        "xlsx": stem.with_suffix(".xlsx"),
        "label_studio": stem.with_name(stem.name + ".labelstudio.json"),
        "label_studio_config": stem.with_name(stem.name + ".labelstudio.xml"),
    }


def write_suggestions(
    suggestions: pd.DataFrame,
    csv_path: str | Path,
    themes: Sequence[Theme],
    model_version: str = "",
) -> dict[str, Path]:
    """CSV, XLSX (with a theme drop-down) and Label Studio import JSON plus its interface."""
    paths = output_paths(csv_path)
    write_csv(suggestions, paths["csv"])
    _write_xlsx(suggestions, paths["xlsx"], themes)
    names = {theme.id: theme.nb for theme in themes}  # as the interface offers them
    tasks = label_studio_tasks(suggestions, model_version, names)
    write_label_studio_tasks(tasks, paths["label_studio"])
    with atomic_write(paths["label_studio_config"]) as handle:
        handle.write(label_studio_config(themes))
    return paths


def _write_xlsx(suggestions: pd.DataFrame, path: Path, themes: Sequence[Theme]) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    with (
        atomic_write(path, mode="wb") as handle,
        pd.ExcelWriter(handle, engine="openpyxl") as writer,
    ):
        # The themes by their Norwegian names, as the drop-down offers them (the import
        # reads a name as its theme; the CSV and Label Studio keep the ids).
        names = {theme.id: theme.nb for theme in themes}
        named = suggestions.copy()
        for column in ("label", "second_label"):
            named[column] = [names.get(value, value) for value in named[column]]
        _fit_to_excel(named).to_excel(writer, sheet_name="suggestions", index=False)
        pd.DataFrame([{"id": t.id, "nb": t.nb, "en": t.en} for t in themes]).to_excel(
            writer, sheet_name="themes", index=False
        )
        sheet = writer.sheets["suggestions"]
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                as_text_cell(cell)
        sheet.freeze_panes = "A2"
        sheet.column_dimensions["B"].width = 80
        sheet.column_dimensions["E"].width = 40  # section
        if len(suggestions):
            last = len(suggestions) + 1
            listed = f"themes!$B$2:$B${len(themes) + 1}"  # the `nb` column of the themes sheet
            for column in ("C", "D"):  # label, second_label
                # A warning, not a stop: a theme's id or English name is read as well.
                check = DataValidation(
                    type="list",
                    formula1=listed,
                    allow_blank=True,
                    errorStyle="warning",
                    error="Velg et tema fra listen (ark «themes»).",
                )
                check.add(f"{column}2:{column}{last}")
                sheet.add_data_validation(check)


def _fit_to_excel(suggestions: pd.DataFrame) -> pd.DataFrame:
    """The suggestions as Excel cells hold them: a longer text is cut, with `CUT_NOTE`.

    A unit cut so has no label pre-filled: a label belongs on the whole text, and
    `tema labels import` refuses a label on a text that is not its unit's (the id is made
    from the whole text), so the unit is labelled in the CSV or Label Studio instead."""
    fitted = suggestions.copy()
    cut = fitted["text"].astype(str).str.len() > EXCEL_MAX_CELL_CHARS
    fitted.loc[cut, ["label", "second_label"]] = ""
    for column in fitted.columns:
        fitted[column] = [
            fit_cell(value, CUT_NOTE) if isinstance(value, str) else value
            for value in fitted[column]
        ]
    return fitted


def label_studio_tasks(
    suggestions: pd.DataFrame, model_version: str = "", names: Mapping[str, str] | None = None
) -> list[dict[str, Any]]:
    """Label Studio import tasks, the model's guess as a pre-annotation (prediction), each
    theme by its name in `names` (the choice the interface offers for it)."""
    names = names or {}
    tasks = []
    for row in suggestions.itertuples(index=False):
        result = [
            {
                "from_name": "theme",
                "to_name": "text",
                "type": "choices",
                "value": {"choices": [names.get(row.model_theme, row.model_theme)]},
            }
        ]
        if row.model_second_theme:
            result.append(
                {
                    "from_name": "second_theme",
                    "to_name": "text",
                    "type": "choices",
                    "value": {
                        "choices": [names.get(row.model_second_theme, row.model_second_theme)]
                    },
                }
            )
        tasks.append(
            {
                "data": {
                    "text": row.text,
                    "section": str(row.section),
                    "suggestion_id": row.id,
                    "meeting": str(row.meeting),
                    "doc": str(row.doc),
                    "unit": str(row.unit),
                },
                "predictions": [
                    {
                        "model_version": model_version,
                        "score": float(row.model_confidence),
                        "result": result,
                    }
                ],
            }
        )
    return tasks
