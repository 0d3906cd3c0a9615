"""The label store under concurrent writers (the browser app's requirement on it).

`tema labels import` run twice at the same moment, with two annotators' labels for the
same units, must lose nothing and break nothing: the labelled folder still loads, each
unit is labelled once, and a unit the two labelled differently is in the conflicts file.
These tests call the store directly, without the app's own lock (tema.serve.pipeline).
"""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pandas as pd
import pytest

from conftest import THEMES, tiny_rows, write_labeled_csv
from tema.labels.exchange import import_labels
from tema.labels.store import load_labeled
from tema.params import Theme

THEME_SET = [Theme(theme, theme, theme) for theme in THEMES]
NEW_TEXTS = [
    "Flere leiligheter for store familier i Tromsø sentrum",
    "Kveldskurs i norsk for dem som jobber turnus",
    "Bedriftene i Mo i Rana bør ta inn lærlinger med fluktbakgrunn",
    "Hatefulle ytringer på nett skremmer unge fra å delta",
]


def _import(path: Path, labeled: Path, annotator: str, conflicts: Path, start) -> None:
    start.wait(timeout=30)  # both imports begin at the same moment
    import_labels(path, labeled, THEME_SET, annotator, conflicts)


def _write_incoming(path: Path, labels: list[str]) -> Path:
    frame = pd.DataFrame({"text": NEW_TEXTS, "label": labels})
    frame.to_csv(path, index=False)
    return path


def _import_through_the_app(
    path: Path, labeled: Path, annotator: str, conflicts: Path, start
) -> None:
    from tema.serve import pipeline

    project = _project(labeled, conflicts)
    start.wait(timeout=30)
    pipeline.import_labels(project, path, annotator, labeled.parent / "import.lock")


def _project(labeled: Path, conflicts: Path):
    """The app's view of a project whose labels are `labeled` (params.yaml beside it)."""
    import yaml

    from serve_helpers import REPO
    from tema.serve.pipeline import Project

    params = yaml.safe_load((REPO / "params.yaml").read_text(encoding="utf-8"))
    params["train"]["labeled_dir"] = str(labeled)
    params["labels"]["conflicts"] = str(conflicts)
    params["themes"] = [{"id": t, "nb": t, "en": t} for t in THEMES]
    path = labeled.parent / "params.yaml"
    path.write_text(yaml.safe_dump(params, allow_unicode=True), encoding="utf-8")
    return Project.load(path)


# The store's own lock (file lock, idempotent, conflicts kept aside) is being added on
# main for issue #16; until it lands, two plain `tema labels import` at once can both write
# a file and then both remove it again. This test must pass once it is there.
@pytest.mark.xfail(reason="label store lock not on main yet (issue #16)", strict=False)
@pytest.mark.parametrize("round_", range(3))
def test_two_imports_at_once_lose_nothing_and_keep_conflicts_aside(tmp_path: Path, round_: int):
    _race(tmp_path, _import)


@pytest.mark.parametrize("round_", range(2))
def test_two_imports_through_the_app_at_once_lose_nothing(tmp_path: Path, round_: int):
    """The app serialises its imports (tema.serve.pipeline.import_labels' lock)."""
    _race(tmp_path, _import_through_the_app)


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
    # Importing both files again changes nothing.
    assert all(worker.exitcode == 0 for worker in workers)
    before = sorted(p.read_bytes() for p in labeled.glob("*.csv"))
    for path, who in ((kari, "kari"), (ola, "ola")):
        import_labels(path, labeled, THEME_SET, who, conflicts)
    assert sorted(p.read_bytes() for p in labeled.glob("*.csv")) == before
    assert len(pd.read_csv(conflicts)) == 1
