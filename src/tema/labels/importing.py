"""Adding labels to `data/labeled/`: `tema labels import`, and every other writer of labels.

An import never changes or removes a label that is already there. Each import that
brings something new becomes one new file in `data/labeled/` (its own CV batch), with
the annotator and the date; a unit already labelled with another theme is a conflict,
written to the conflicts file for someone to decide. Importing the conflicts file itself
applies the decisions written in it (`tema.labels.conflicts`): the one way a stored label
changes, as a person decided. Importing the same labels twice
changes nothing the second time: every row is then already labelled, and a conflict
already listed from the same source path is not listed again.

Writers may run at the same time (two annotators saving in the browser app, an import
from the command line): `add_labels` holds an exclusive lock on the label store (a lock
file beside the labelled folder, `filelock`, which works on Linux, macOS and Windows)
from reading the existing labels to writing the new file and the conflicts, so each
writer sees the labels of the writers before it. The new file is validated together
with the existing ones before anything is written. Each file is written atomically, one
after the other (the conflicts first, then the new labels): a failure between the two
leaves conflicts listed without their labels, and importing again adds the labels.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from filelock import FileLock, Timeout

from tema.config import Config, Theme
from tema.errors import TemaError
from tema.io.files import ascii_letters, write_csv
from tema.labels.conflicts import CONFLICT_COLUMNS, Decisions, append_conflicts, apply_decisions
from tema.labels.exchange import IncomingLabel, check_suggested_texts, read_incoming_file
from tema.labels.store import (
    LABEL_COLUMNS,
    NEAR_DUPLICATE_SIMILARITY,
    check_folder,
    load_labeled,
    nearest_texts,
    normalise_for_comparison,
    text_profiles,
)

# Written beside the columns the loader reads; the loader ignores them.
IMPORT_COLUMNS = (*LABEL_COLUMNS, "labeled_on", "source", "source_id")
# How long a writer waits for another to finish before giving up with a message.
LOCK_TIMEOUT_SECONDS = 120.0
_SLUG = re.compile(r"[^a-z0-9._-]+")


@dataclass
class ImportResult:
    source: Path
    batch: str
    written: Path | None = None
    added: pd.DataFrame = field(default_factory=pd.DataFrame)
    already_labelled: int = 0
    unlabelled: int = 0
    conflicts: pd.DataFrame = field(default_factory=pd.DataFrame)
    conflicts_path: Path | None = None
    conflicts_known: int = 0  # of `conflicts`, those the conflicts file already listed
    # Importing the conflicts file itself: the decisions applied (`tema.labels.conflicts`).
    decisions: Decisions | None = None


def run(config: Config, file: str | Path, annotator: str | None) -> ImportResult:
    """`tema labels import FILE --annotator NAME`, with the folders of `config`; FILE the
    conflicts file (`labels.conflicts`) applies its decisions."""
    return import_labels(
        file, config.train.labeled_dir, config.themes, annotator, config.labels.conflicts
    )


def file_hash(path: str | Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def labels_hash(incoming: Sequence[IncomingLabel]) -> str:
    """A digest of labels given without a file (the browser app's saves), as `file_hash`."""
    digest = hashlib.sha256()
    for row in incoming:
        digest.update(f"{row.text}\0{row.label}\0{row.second_label}\0{row.source_id}\n".encode())
    return digest.hexdigest()


def annotator_slug(annotator: str) -> str:
    slug = _SLUG.sub("-", ascii_letters(annotator.strip())).strip("-.")
    if not slug:
        raise TemaError(f"annotator {annotator!r} has no letters or digits; give a name")
    return slug


def lock_path(labeled_dir: str | Path) -> Path:
    """The lock file of a labelled folder: beside it, so that DVC's hash of it is untouched."""
    labeled_dir = Path(labeled_dir)
    return labeled_dir.parent / f".{labeled_dir.name}.lock"


@contextlib.contextmanager
def store_lock(labeled_dir: str | Path, timeout: float = LOCK_TIMEOUT_SECONDS) -> Iterator[None]:
    """Hold the label store's lock (other threads and processes wait for it)."""
    path = lock_path(labeled_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with FileLock(path, timeout=timeout):
            yield
    except Timeout as error:
        raise TemaError(
            f"{labeled_dir}: another import has held the labels for {timeout:.0f} s; "
            f"try again (if no tema is running, delete {path})"
        ) from error


def import_labels(
    path: str | Path,
    labeled_dir: str | Path,
    themes: Sequence[Theme],
    annotator: str | None,
    conflicts_path: str | Path,
    today: date | None = None,
) -> ImportResult:
    """Add an annotator's file of labels to `labeled_dir`; see the module docstring. The
    conflicts file itself (`conflicts_path`) is not labels: its decisions are applied."""
    path, conflicts_path = Path(path), Path(conflicts_path)
    if path.is_file() and conflicts_path.is_file() and path.samefile(conflicts_path):
        with store_lock(labeled_dir):
            decisions = apply_decisions(conflicts_path, labeled_dir, themes, today)
        return ImportResult(path, "", conflicts_path=conflicts_path, decisions=decisions)
    if annotator is None:
        raise TemaError(f"{path}: say who labelled it (--annotator NAME)")
    annotator_slug(annotator)  # a bad name stops before the file is read
    incoming = read_incoming_file(path, themes)
    check_suggested_texts(path, incoming.rows)
    result = add_labels(
        incoming.rows,
        labeled_dir,
        themes,
        annotator,
        conflicts_path,
        source=path,
        digest=file_hash(path)[:8],
        today=today,
    )
    result.unlabelled = incoming.unlabelled
    return result


def add_labels(
    incoming: Sequence[IncomingLabel],
    labeled_dir: str | Path,
    themes: Sequence[Theme],
    annotator: str,
    conflicts_path: str | Path,
    source: Path,
    digest: str | None = None,
    today: date | None = None,
) -> ImportResult:
    """Add labelled units to `labeled_dir` as one new file, under the label store's lock.

    `source` names where the labels came from (the annotator's file, or what the
    browser app says); `digest` (default: of the labels) names the new file and batch.
    """
    labeled_dir, conflicts_path = Path(labeled_dir), Path(conflicts_path)
    theme_ids = [theme.id for theme in themes]
    slug = annotator_slug(annotator)
    today = today or date.today()
    digest = digest or labels_hash(incoming)[:8]
    batch = f"imp-{today:%Y%m%d}-{digest}"
    target = labeled_dir / f"import-{today:%Y-%m-%d}-{slug}-{digest}.csv"
    result = ImportResult(source=source, batch=batch, conflicts_path=conflicts_path)
    with store_lock(labeled_dir):
        existing = _existing_labels(labeled_dir, theme_ids)
        accepted, conflicts, result.already_labelled = _sort_incoming(
            list(incoming), existing, source, annotator, today
        )
        result.conflicts = pd.DataFrame(conflicts, columns=list(CONFLICT_COLUMNS))
        if accepted:
            result.added = _new_rows(accepted, existing, target, batch, annotator, source, today)
            # The folder must still train: checked with the new rows before they are written.
            check_folder(_with_new_file(existing, result.added, target))
        if len(result.conflicts):
            result.conflicts_known = append_conflicts(result.conflicts, conflicts_path)
        if accepted:
            write_csv(result.added, target)
            result.written = target
    return result


def _existing_labels(labeled_dir: Path, theme_ids: list[str]) -> pd.DataFrame:
    if not any(labeled_dir.glob("*.csv")):
        return pd.DataFrame(columns=[*LABEL_COLUMNS, "file", "line"])
    return load_labeled(labeled_dir, theme_ids)


def _new_rows(
    accepted: list[IncomingLabel],
    existing: pd.DataFrame,
    target: Path,
    batch: str,
    annotator: str,
    source: Path,
    today: date,
) -> pd.DataFrame:
    """The new file's rows: ids `<batch>-001…`, the annotator, the date and the source."""
    if target.exists():  # same file, same day, yet new rows: the folder was edited by hand
        raise TemaError(f"{target} already exists; move it aside or import under another name")
    width = max(3, len(str(len(accepted))))
    taken = set(existing["id"])
    rows = []
    for number, row in enumerate(accepted, start=1):
        unit_id = f"{batch}-{number:0{width}d}"
        if unit_id in taken:  # a hash collision with an earlier import: refuse, change nothing
            raise TemaError(f"{target}: id {unit_id} is already used in {target.parent}")
        rows.append(
            {
                "id": unit_id,
                "text": row.text,
                "label": row.label,
                "second_label": row.second_label,
                "batch": batch,
                "annotator": annotator.strip(),
                "labeled_on": today.isoformat(),
                "source": f"{source.name} {row.where}",
                "source_id": row.source_id,
            }
        )
    return pd.DataFrame(rows, columns=list(IMPORT_COLUMNS))


def _with_new_file(existing: pd.DataFrame, added: pd.DataFrame, target: Path) -> pd.DataFrame:
    """The folder as `load_labeled` will read it once `added` is written to `target`."""
    new = added.assign(file=str(target), line=np.arange(2, len(added) + 2))
    both = pd.concat([existing, new], ignore_index=True)
    order = both["file"].map(lambda name: Path(name).name)
    return both.iloc[np.argsort(order.to_numpy(), kind="stable")].reset_index(drop=True)


def _sort_incoming(
    incoming: list[IncomingLabel],
    existing: pd.DataFrame,
    source: Path,
    annotator: str,
    today: date,
) -> tuple[list[IncomingLabel], list[dict[str, Any]], int]:
    """Split incoming rows into new ones, conflicts and already-labelled ones.

    Compared with the existing labels and with the rows accepted before it in the
    same file: the same text (normalised) or a near copy with the same label is
    already labelled; with another label it is a conflict.
    """
    if not incoming:
        return [], [], 0
    matcher = _Matcher(incoming, existing, source)
    accepted: list[IncomingLabel] = []
    conflicts: list[dict[str, Any]] = []
    already = 0
    for index, row in enumerate(incoming):
        match = matcher.match(index)
        if match is None:
            accepted.append(row)
            matcher.accept(index)
            continue
        kind, score, other = match
        if other["existing_label"] == row.label:
            already += 1
            continue
        conflicts.append(
            {
                "text": row.text,
                "new_label": row.label,
                "new_second_label": row.second_label,
                "annotator": annotator.strip(),
                "source": str(source),
                "source_where": row.where,
                "match": kind,
                "similarity": round(score, 3),
                **other,
                "found_on": today.isoformat(),
                "decision": "",
            }
        )
    return accepted, conflicts, already


class _Matcher:
    """What an incoming row matches: an existing label, or a row accepted before it."""

    def __init__(self, incoming: list[IncomingLabel], existing: pd.DataFrame, source: Path) -> None:
        texts = [row.text for row in incoming]
        self.incoming = incoming
        self.existing = existing
        self.source = source
        self.by_key = {
            normalise_for_comparison(text): index
            for index, text in enumerate(existing["text"].tolist())
        }
        self.nearest, self.similarity = nearest_texts(texts, existing["text"].tolist())
        vectors = text_profiles().fit(texts).transform(texts)
        self.within = (vectors @ vectors.T).toarray()
        self.accepted_index: list[int] = []
        self.accepted_keys: dict[str, int] = {}

    def accept(self, index: int) -> None:
        self.accepted_index.append(index)
        self.accepted_keys[normalise_for_comparison(self.incoming[index].text)] = index

    def match(self, index: int) -> tuple[str, float, dict[str, Any]] | None:
        """(kind, similarity, the other label) of the first match, in order of precedence."""
        key = normalise_for_comparison(self.incoming[index].text)
        if key in self.by_key:
            return "same text", 1.0, _existing_match(self.existing, self.by_key[key])
        if self.nearest[index] >= 0 and self.similarity[index] > NEAR_DUPLICATE_SIMILARITY:
            nearest = _existing_match(self.existing, int(self.nearest[index]))
            return "near copy", float(self.similarity[index]), nearest
        if key in self.accepted_keys:
            earlier = self.incoming[self.accepted_keys[key]]
            return "same text in this file", 1.0, _incoming_match(earlier, self.source)
        if self.accepted_index:
            scores = self.within[index, self.accepted_index]
            best = int(np.argmax(scores))
            if scores[best] > NEAR_DUPLICATE_SIMILARITY:
                earlier = self.incoming[self.accepted_index[best]]
                return (
                    "near copy in this file",
                    float(scores[best]),
                    _incoming_match(earlier, self.source),
                )
        return None


def _existing_match(existing: pd.DataFrame, index: int) -> dict[str, Any]:
    row = existing.iloc[index]
    return {
        "existing_text": row["text"],
        "existing_label": row["label"],
        "existing_second_label": row["second_label"],
        "existing_id": row["id"],
        "existing_where": f"{row['file']}, line {row['line']}",
    }


def _incoming_match(row: IncomingLabel, source: Path) -> dict[str, Any]:
    return {
        "existing_text": row.text,
        "existing_label": row.label,
        "existing_second_label": row.second_label,
        "existing_id": row.source_id,
        "existing_where": f"{source}, {row.where}",
    }
