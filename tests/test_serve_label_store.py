"""The label store under concurrent writers (the browser app's requirement on it).

`tema labels import` run twice at the same moment, with two annotators' labels for the
same units, must lose nothing and break nothing: the labelled folder still loads, each
unit is labelled once, and a unit the two labelled differently is in the conflicts file.
The app has no lock of its own: its saves (tema.serve.pipeline.save_labels) and the
command's imports wait for each other on the store's lock (tema.labels.importing).
"""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pandas as pd
import pytest

from conftest import THEMES, tiny_rows, write_labeled_csv
from tema.config import Theme
from tema.labels.importing import import_labels
from tema.labels.store import load_labeled

THEME_SET = [Theme(id=theme, nb=theme, en=theme) for theme in THEMES]
NEW_TEXTS = [
    "Flere leiligheter for store familier i Tromsø sentrum",
    "Kveldskurs i norsk for dem som jobber turnus",
    "Bedriftene i Mo i Rana bør ta inn lærlinger med fluktbakgrunn",
    "Hatefulle ytringer på nett skremmer unge fra å delta",
]


def _import(path: Path, labeled: Path, annotator: str, conflicts: Path, start=None) -> None:
    if start is not None:
        start.wait(timeout=30)  # both imports begin at the same moment
    import_labels(path, labeled, THEME_SET, annotator, conflicts)


def _write_incoming(path: Path, labels: list[str]) -> Path:
    frame = pd.DataFrame({"text": NEW_TEXTS, "label": labels})
    frame.to_csv(path, index=False)
    return path


def _save_through_the_app(
    path: Path, labeled: Path, annotator: str, conflicts: Path, start=None
) -> None:
    """The annotator's labels in `path`, saved as the app saves its label decisions."""
    from tema.serve import pipeline
    from tema.serve.annotations import Decision

    config = _config(labeled, conflicts, labeled.parent / f"params-{annotator}.yaml")
    rows = pd.read_csv(path, keep_default_na=False)
    decisions = [
        Decision(f"d-{annotator}-{n}", "", annotator, "label", "b", "notes.txt", n, text, label)
        for n, (text, label) in enumerate(zip(rows["text"], rows["label"], strict=True))
    ]
    if start is not None:
        start.wait(timeout=30)
    pipeline.save_labels(config, annotator, decisions)


def _config(labeled: Path, conflicts: Path, path: Path):
    """The config of a project whose labels are `labeled` (its params file: `path`)."""
    import yaml

    from serve_helpers import REPO
    from tema.config import load_config

    params = yaml.safe_load((REPO / "params.yaml").read_text(encoding="utf-8"))
    params["train"]["labeled_dir"] = str(labeled)
    params["labels"]["conflicts"] = str(conflicts)
    params["themes"] = [{"id": t, "nb": t, "en": t} for t in THEMES]
    path.write_text(yaml.safe_dump(params, allow_unicode=True), encoding="utf-8")
    return load_config(path)


@pytest.mark.parametrize("round_", range(3))
def test_two_imports_at_once_lose_nothing_and_keep_conflicts_aside(tmp_path: Path, round_: int):
    _race(tmp_path, _import)


@pytest.mark.parametrize("round_", range(2))
def test_two_imports_through_the_app_at_once_lose_nothing(tmp_path: Path, round_: int):
    """Two annotators' saves in the app at once (the store's lock serialises them)."""
    _race(tmp_path, _save_through_the_app)


def _race(tmp_path: Path, target) -> None:
    labeled = tmp_path / "labeled"
    labeled.mkdir()
    write_labeled_csv(labeled / "tiny.csv", tiny_rows())
    conflicts = tmp_path / "conflicts.csv"
    kari = _write_incoming(tmp_path / "kari.csv", ["housing", "education", "employers", "other"])
    ola = _write_incoming(
        tmp_path / "ola.csv", ["housing", "education", "employers", "discrimination"]
    )
    context = multiprocessing.get_context("fork")
    start = context.Barrier(2)
    workers = [
        context.Process(target=target, args=(path, labeled, who, conflicts, start))
        for path, who in ((kari, "kari"), (ola, "ola"))
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    folder = load_labeled(labeled, THEMES)  # still loads: no duplicate text, no duplicate id
    new = folder[folder["text"].isin(NEW_TEXTS)]
    assert sorted(new["text"]) == sorted(NEW_TEXTS)  # each unit labelled once, none lost
    disputed = pd.read_csv(conflicts, keep_default_na=False)
    assert len(disputed) == 1
    assert set(disputed[["new_label", "existing_label"]].iloc[0]) == {"other", "discrimination"}
    # Importing both files again (the same way) changes nothing.
    assert all(worker.exitcode == 0 for worker in workers)
    before = sorted(p.read_bytes() for p in labeled.glob("*.csv"))
    for path, who in ((kari, "kari"), (ola, "ola")):
        target(path, labeled, who, conflicts)
    assert sorted(p.read_bytes() for p in labeled.glob("*.csv")) == before
    assert len(pd.read_csv(conflicts)) == 1
