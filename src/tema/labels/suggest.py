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

The files the picks are written to are made in `tema.labels.suggestion_files`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from tema.config import Config, LabelsSettings
from tema.errors import InputError
from tema.io.tables import read_frame
from tema.labels.exchange import suggestion_id
from tema.labels.store import (
    NEAR_DUPLICATE_SIMILARITY,
    load_labeled,
    nearest_texts,
    normalise_for_comparison,
)
from tema.labels.store import text_profiles as _profiles
from tema.labels.suggestion_files import output_paths, write_suggestions

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
