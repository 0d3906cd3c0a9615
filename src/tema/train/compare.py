"""`tema compare-models`: per-theme F1 change between two models, with 95 % intervals.

By their cards (each card's cross-validated predictions summary) or, given a labelled file
that neither model trained on, by scoring both on it.
"""

from __future__ import annotations

from pathlib import Path

from tema.config import Config
from tema.train.verdict import Comparison


def run(config: Config, old: Path, new: Path, on: Path | None = None) -> Comparison:
    """The comparison of model `old` with model `new` (cards or model files)."""
    from tema.classify.card import model_path_of, read_checked_card
    from tema.train import comparisons

    theme_ids = config.theme_ids
    if on is None:
        return comparisons.compare_cards(read_checked_card(old), read_checked_card(new), theme_ids)
    from tema.classify.persist import load_model
    from tema.labels.store import read_label_file
    from tema.train.verdict import GateText

    current, candidate = (
        load_model(path if path.suffix != ".json" else model_path_of(path)) for path in (old, new)
    )
    units = read_label_file(on, theme_ids)
    texts = units["text"].tolist()
    return comparisons.compare_on_units(
        units["label"],
        current.predict(texts)["theme"],
        candidate.predict(texts)["theme"],
        theme_ids,
        "labelled file",
        GateText.make("units_of", n=len(units), file=on),
    )
