"""Active learning: which unlabelled units are worth labelling next.

Candidates are the classified units of the counted kinds whose text is not labelled
yet (nor a near copy of a labelled text). The pick is greedy and deterministic:

- **uncertainty**: 1 − the confidence `tema classify` gave the unit, read in its context
  as the report counted it, so the units the report flags for reading come first; a
  unit the model is unsure of teaches it the most;
- **diversity**: minus `diversity_weight` × the highest similarity (character
  n-grams) to a unit already picked, so near-identical sentences are not picked twice;
- **spread over meetings**: minus `meeting_weight` × how far the unit's meeting is
  towards its fair share (n / meetings) of the picks;
- **spread over themes**: picks go round the model's guessed themes in turn, the best
  scored unit of each theme first, so every theme gets new examples.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from tema.config import Config, LabelsSettings, Theme
from tema.errors import InputError
from tema.io.files import EXCEL_MAX_CELL_CHARS, as_text_cell, atomic_write, fit_cell, write_csv
from tema.io.tables import read_frame
from tema.labels.exchange import suggestion_id
from tema.labels.label_studio import label_studio_config, write_label_studio_tasks
from tema.labels.store import (
    NEAR_DUPLICATE_SIMILARITY,
    load_labeled,
    nearest_texts,
    normalise_for_comparison,
)
from tema.labels.store import text_profiles as _profiles

SUGGESTION_COLUMNS = (
    "id",
    "text",
    "label",
    "second_label",
    # The heading the unit stands under, or the question a survey answer replies to: a
    # unit that refers back takes its theme from there (LABELS.md).
    "section",
    "model_theme",
    "model_confidence",
    "model_second_theme",
    "uncertainty",
    "meeting",
    "doc",
    "unit",
    "kind",
    "comment",
)


# The end of a text cut to fit an Excel cell (a survey answer is one unit, of any length).
CUT_NOTE = (
    " … [kuttet: en Excel-celle rommer ikke mer; hele teksten står i .csv- og "
    ".labelstudio.json-filen, sett tema der / cut: an Excel cell holds no more; the whole "
    "text is in the .csv and .labelstudio.json files, label it there]"
)

# What `tema classify` adds to every unit, and suggest reads back.
CLASSIFIED_COLUMNS = ("text", "theme", "confidence", "second_theme")


@dataclass(frozen=True)
class SuggestSettings:
    """How many units to pick, and the weights of the score (see the module docstring)."""

    n: int
    diversity_weight: float
    meeting_weight: float

    @classmethod
    def from_config(cls, labels: LabelsSettings, n: int | None = None) -> SuggestSettings:
        """`labels:` of params.yaml; `n` (when given) instead of `labels.suggest_n`."""
        return cls(
            n=labels.suggest_n if n is None else n,
            diversity_weight=labels.diversity_weight,
            meeting_weight=labels.meeting_weight,
        )


@dataclass(frozen=True)
class SuggestResult:
    """The units picked, and the files written: csv, xlsx, label_studio, label_studio_config."""

    suggestions: pd.DataFrame
    files: dict[str, Path]


def run(
    config: Config,
    *,
    n: int | None = None,
    output: Path | None = None,
    model: Path | None = None,
    overwrite: bool = False,
) -> SuggestResult:
    """`tema suggest`: pick from the pipeline's classified units (`classify.classified`)
    those worth labelling next, and write them to `output` (default `labels.suggestions`)
    and the files beside it. The guesses are those of `tema classify`; the model in use
    (or `model`) only stamps its id on the Label Studio predictions.

    Files of an earlier round are never replaced unless `overwrite`: an annotator may be
    filling them in, and a new round would erase their labels without a trace.
    """
    from tema.classify.card import checked_card
    from tema.config import ModelFiles

    output = output or config.labels.suggestions
    earlier = [path for path in output_paths(output).values() if path.exists()]
    if earlier and not overwrite:
        raise InputError(
            earlier[0],
            "already exists, perhaps with an annotator's labels in it: import it first "
            "(`tema labels import`), write the new round elsewhere (-o), or replace it "
            "with --overwrite",
        )
    classified = read_frame(config.classify.classified)
    missing = [name for name in CLASSIFIED_COLUMNS if name not in classified.columns]
    if missing:
        raise InputError(
            config.classify.classified,
            f"has no column(s) {', '.join(missing)}: not the output of `tema classify`",
            line=1,
        )
    labeled = load_labeled(config.train.labeled_dir, config.theme_ids)
    card = checked_card(ModelFiles.beside(model or config.train.model))
    suggestions = suggest(
        classified,
        labeled["text"].tolist(),
        config.report.counted_kinds,
        SuggestSettings.from_config(config.labels, n),
        meetings_of(config.ingest.documents),
    )
    files = write_suggestions(
        suggestions,
        output,
        config.themes,
        str(card.get("model_sha256", ""))[:12],
    )
    return SuggestResult(suggestions, files)


def meetings_of(documents: Path) -> dict[str, str]:
    """doc → meeting from the ingested documents (empty if they are not there)."""
    from tema.ingest.stage import read_documents

    if not documents.is_file():
        return {}
    return {document.doc: document.meeting for document in read_documents(documents)}


def candidate_units(
    classified: pd.DataFrame, labeled_texts: list[str], counted_kinds: list[str]
) -> pd.DataFrame:
    """Counted, not-yet-labelled units, each text once (first occurrence kept)."""
    frame = classified.copy()
    if "kind" in frame:
        frame = frame[frame["kind"].isin(counted_kinds)]
    if "repeat_of" in frame:  # a unit repeated from another document is labelled there
        repeat = frame["repeat_of"]
        frame = frame[repeat.isna() | repeat.astype(str).str.strip().isin(["", "nan"])]
    frame = frame[frame["text"].astype(str).str.strip() != ""]
    keys = frame["text"].astype(str).map(normalise_for_comparison)
    labelled = {normalise_for_comparison(text) for text in labeled_texts}
    frame = frame[(keys != "") & ~keys.isin(labelled) & ~keys.duplicated()]
    if len(frame) and labeled_texts:
        _, similarity = nearest_texts(frame["text"].astype(str).tolist(), list(labeled_texts))
        frame = frame[similarity <= NEAR_DUPLICATE_SIMILARITY]
    return frame.reset_index(drop=True)


def select(
    candidates: pd.DataFrame,
    uncertainty: np.ndarray,
    guessed: np.ndarray,
    settings: SuggestSettings,
) -> list[int]:
    """Indices of the picked candidates, in the order picked (see the module docstring)."""
    n = min(settings.n, len(candidates))
    if n <= 0:
        return []
    texts = candidates["text"].astype(str).tolist()
    vectors = _profiles().fit_transform(texts)
    meetings = candidates["meeting"].astype(str).to_numpy()
    meeting_ids, meeting_of = np.unique(meetings, return_inverse=True)
    fair_share = max(1, math.ceil(n / len(meeting_ids)))
    picked_per_meeting = np.zeros(len(meeting_ids))
    closest = np.zeros(len(candidates))  # highest similarity to anything picked
    available = np.ones(len(candidates), dtype=bool)
    themes = sorted(set(guessed), key=lambda theme: (-np.sum(guessed == theme), theme))
    picked: list[int] = []
    turn = 0
    while len(picked) < n:
        theme = themes[turn % len(themes)]
        turn += 1
        pool = np.flatnonzero(available & (guessed == theme))
        if len(pool) == 0:
            if not available.any():
                break
            continue
        score = (
            uncertainty[pool]
            - settings.diversity_weight * closest[pool]
            - settings.meeting_weight * picked_per_meeting[meeting_of[pool]] / fair_share
        )
        best = int(pool[np.argmax(score)])  # argmax: the first of equals, so deterministic
        picked.append(best)
        available[best] = False
        picked_per_meeting[meeting_of[best]] += 1
        closest = np.maximum(closest, (vectors @ vectors[best].T).toarray().ravel())
    return picked


def suggest(
    classified: pd.DataFrame,
    labeled_texts: list[str],
    counted_kinds: list[str],
    settings: SuggestSettings,
    meetings: dict[str, str] | None = None,
) -> pd.DataFrame:
    """The units to label next, with the theme `tema classify` gave them (the one the
    report counted, read in context) pre-filled as `label`."""
    candidates = candidate_units(classified, labeled_texts, counted_kinds)
    if candidates.empty:
        return pd.DataFrame(columns=list(SUGGESTION_COLUMNS))
    doc = candidates["doc"].astype(str) if "doc" in candidates else pd.Series("", candidates.index)
    candidates["meeting"] = doc.map(lambda name: (meetings or {}).get(name, name))
    confidence = pd.to_numeric(candidates["confidence"], errors="coerce").fillna(0.0)
    uncertainty = 1.0 - confidence.to_numpy(dtype=float)
    guessed = candidates["theme"].astype(str).to_numpy(dtype=object)
    order = select(candidates, uncertainty, guessed, settings)
    chosen = candidates.iloc[order].reset_index(drop=True)
    second = chosen["second_theme"].fillna("").astype(str)
    section = chosen["section"] if "section" in chosen else pd.Series("", index=chosen.index)
    return pd.DataFrame(
        {
            "id": chosen["text"].astype(str).map(suggestion_id),
            "text": chosen["text"].astype(str),
            "label": chosen["theme"].astype(str),
            "second_label": second,
            "section": section.fillna("").astype(str),
            "model_theme": chosen["theme"].astype(str),
            "model_confidence": chosen["confidence"],
            "model_second_theme": second,
            "uncertainty": np.round(uncertainty[order], 4),
            "meeting": chosen["meeting"],
            "doc": doc.iloc[order].to_numpy() if len(order) else [],
            "unit": chosen.get("unit", ""),
            "kind": chosen.get("kind", ""),
            "comment": "",
        },
        columns=list(SUGGESTION_COLUMNS),
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
