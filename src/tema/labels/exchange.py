"""Labels in and out: reading annotators' files and adding them to `data/labeled/`.

An import never changes or removes a label that is already there. Each import that
brings something new becomes one new file in `data/labeled/` (its own CV batch), with
the annotator and the date; a unit already labelled with another theme is a conflict,
written to a conflicts file for someone to decide. Importing the same file twice
changes nothing the second time: every row is then already labelled.

Formats (chosen by the file suffix):

- `.csv` / `.tsv` / `.xlsx`: a header row with at least `text` and `label`;
  `second_label` and `id` are read when present, other columns are ignored.
- `.json`: a Label Studio export — a list of tasks, each with `data.text` and
  `annotations[].result[].value.choices` (a control named like `second…` gives the
  second label) — or Label Studio's JSON-MIN export (flat `text` and `label`/`theme`).
- `.jsonl`: doccano's text-classification export, one `{"text": …, "label": [...]}`
  per line (`labels` is accepted too); a second label in the list is the second label.

A label may be written as the theme id or its Norwegian or English name.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from tema.errors import InputError, TemaError
from tema.io.files import atomic_write, write_csv
from tema.io.tables import read_table
from tema.labels.store import (
    LABEL_COLUMNS,
    NEAR_DUPLICATE_SIMILARITY,
    load_labeled,
    nearest_texts,
    normalise_for_comparison,
    text_profiles,
)
from tema.params import Theme

# Written beside the columns the loader reads; the loader ignores them.
IMPORT_COLUMNS = (*LABEL_COLUMNS, "labeled_on", "source", "source_id")
CONFLICT_COLUMNS = (
    "text",
    "new_label",
    "new_second_label",
    "annotator",
    "source",
    "source_where",
    "match",
    "similarity",
    "existing_text",
    "existing_label",
    "existing_second_label",
    "existing_id",
    "existing_where",
    "found_on",
    "decision",
)
# Where a row of an incoming file is, for messages: ("line", 5) or ("task", 3).
_SLUG = re.compile(r"[^a-z0-9._-]+")


@dataclass(frozen=True)
class IncomingLabel:
    """One labelled unit as an annotator's file gives it (labels already resolved)."""

    text: str
    label: str
    second_label: str
    source_id: str
    where: str  # "line 5", "task 3": what a person opens to find the row
    line: int | None = None


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

    def summary(self) -> str:
        parts = [f"{len(self.added)} new labelled unit(s)"]
        if self.written is not None:
            parts[0] += f" → {self.written} (batch {self.batch})"
        parts.append(f"{self.already_labelled} already labelled (skipped)")
        if self.unlabelled:
            parts.append(f"{self.unlabelled} row(s) without a label (skipped)")
        if len(self.conflicts):
            parts.append(
                f"{len(self.conflicts)} conflict(s) with existing labels → {self.conflicts_path} "
                "(decide them there; nothing was overwritten)"
            )
        else:
            parts.append("no conflicts")
        return "; ".join(parts)


# --------------------------------------------------------------------------- reading


def label_lookup(themes: list[Theme]) -> dict[str, str]:
    """Theme id, Norwegian and English name (case-insensitive) → theme id."""
    lookup: dict[str, str] = {}
    for theme in themes:
        for name in (theme.en, theme.nb, theme.id):
            lookup[name.strip().casefold()] = theme.id
    return lookup


def read_incoming(path: str | Path, themes: list[Theme]) -> tuple[list[IncomingLabel], int]:
    """The labelled rows of an annotator's file, validated; and the count of unlabelled rows.

    Blank rows are ignored; a row with a text but no label is counted as unlabelled
    (not yet done). An unknown theme, a label without a text, a second label equal
    to the label, an id given twice or a malformed file stops with the file and the line.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(path, "file not found")
    suffix = path.suffix.lower()
    try:
        if suffix in (".csv", ".tsv", ".txt"):
            raw = _read_delimited(path)
        elif suffix in (".xlsx", ".xlsm"):
            raw = _read_xlsx(path)
        elif suffix == ".json":
            raw = _read_label_studio(path)
        elif suffix == ".jsonl":
            raw = _read_doccano(path)
        else:
            raise InputError(
                path,
                f"unknown file type {suffix!r}; use .csv, .xlsx, .json (Label Studio) "
                "or .jsonl (doccano)",
            )
    except UnicodeDecodeError as exc:
        raise InputError(path, "is not UTF-8 text (save it as UTF-8)") from exc
    except OSError as exc:
        raise InputError(path, f"cannot be read: {exc.strerror or exc}") from exc
    lookup = label_lookup(themes)
    allowed = ", ".join(theme.id for theme in themes)
    rows: list[IncomingLabel] = []
    unlabelled = 0
    first_where: dict[str, str] = {}  # id → where it was first seen
    for record in raw:
        text = _clean(record.get("text"))
        given = [_clean(label) for label in record.get("labels", [])]
        labels = [label for label in given if label]
        where, line = record["where"], record.get("line")

        def fail(message: str, where=where, line=line) -> None:
            raise InputError(path, message if line is not None else f"{where}: {message}", line)

        if not text and not labels:
            continue
        source_id = _clean(record.get("id"))
        if source_id in first_where:
            # Two rows claiming one unit: a copy-paste slip or two files merged; which
            # label stands is for the annotator to say, as training says for data/labeled.
            fail(f"duplicate id {source_id!r} (also at {first_where[source_id]})")
        if source_id:
            first_where[source_id] = where
        if not labels:
            unlabelled += 1
            continue
        if given and not given[0]:
            fail(f"second label {labels[0]!r} without a label")
        if not text or not normalise_for_comparison(text):
            fail(f"empty text (label {labels[0]!r})")
        if len(labels) > 2:
            fail(f"{len(labels)} labels {labels}; a unit has a label and at most one second label")
        resolved = []
        for label in labels:
            theme = lookup.get(label.casefold())
            if theme is None:
                fail(f"unknown theme {label!r}; expected one of {allowed}")
            resolved.append(theme)
        if len(resolved) == 2 and resolved[0] == resolved[1]:
            fail(f"second_label repeats label {resolved[0]!r}")
        rows.append(
            IncomingLabel(
                text=text,
                label=resolved[0],
                second_label=resolved[1] if len(resolved) == 2 else "",
                source_id=source_id,
                where=where,
                line=line,
            )
        )
    return rows, unlabelled


def _clean(value: Any) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    return str(value).strip()


def _columns(path: Path, header: list[str]) -> dict[str, int]:
    """Positions of text, label, second_label and id in a header (case-insensitive)."""
    names = [str(name or "").strip().casefold() for name in header]
    missing = [name for name in ("text", "label") if name not in names]
    if missing:
        raise InputError(
            path, f"missing column(s) {', '.join(missing)}; `text` and `label` are required", 1
        )
    return {
        name: names.index(name) for name in ("text", "label", "second_label", "id") if name in names
    }


def _records_from_table(path: Path, table: list[list[Any]]) -> list[dict[str, Any]]:
    if not table:
        raise InputError(path, "is empty; expected a header row with text and label")
    columns = _columns(path, table[0])
    records = []
    for number, values in enumerate(table[1:], start=2):

        def cell(name: str, values=values) -> Any:
            index = columns.get(name)
            return values[index] if index is not None and index < len(values) else None

        records.append(
            {
                "text": cell("text"),
                "labels": [cell("label"), cell("second_label")],
                "id": cell("id"),
                "where": f"line {number}",
                "line": number,
            }
        )
    return records


def _read_delimited(path: Path) -> list[dict[str, Any]]:
    # tema.io.tables: the delimiter and encoding (Excel's ";" and cp1252) detected as
    # everywhere else in tema.
    table = read_table(path)
    return _records_from_table(path, [table.header, *(cells for _line, cells in table.rows)])


def _read_xlsx(path: Path) -> list[dict[str, Any]]:
    table = read_table(path)
    return _records_from_table(path, [table.header, *(cells for _line, cells in table.rows)])


def _load_json(path: Path, text: str, line: int | None = None) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(path, f"not valid JSON ({exc.msg})", line or exc.lineno) from exc


def _read_label_studio(path: Path) -> list[dict[str, Any]]:
    tasks = _load_json(path, path.read_text(encoding="utf-8-sig"))
    if isinstance(tasks, dict):
        tasks = [tasks]
    if not isinstance(tasks, list):
        raise InputError(path, "expected a Label Studio export: a JSON list of tasks")
    records = []
    for number, task in enumerate(tasks, start=1):
        where = f"task {number}"
        if not isinstance(task, dict):
            raise InputError(path, f"{where}: expected an object, got {type(task).__name__}")
        if "data" not in task:  # JSON-MIN export: flat fields
            labels = _as_list(task.get("label", task.get("theme")))
            labels += _as_list(task.get("second_label", task.get("second_theme")))
            records.append(
                {"text": task.get("text"), "labels": labels, "id": task.get("id"), "where": where}
            )
            continue
        data = task.get("data") or {}
        annotations = [
            annotation
            for annotation in task.get("annotations") or []
            if isinstance(annotation, dict) and not annotation.get("was_cancelled")
        ]
        labels: list[str] = []
        if annotations:
            # The last annotation is the one that stands (an update comes after).
            main, second = [], []
            for result in annotations[-1].get("result") or []:
                choices = _as_list((result.get("value") or {}).get("choices"))
                if "second" in str(result.get("from_name", "")).casefold():
                    second += choices
                else:
                    main += choices
            labels = main + second
        records.append(
            {
                "text": data.get("text"),
                "labels": labels,
                "id": data.get("suggestion_id") or data.get("id") or task.get("id"),
                "where": where,
            }
        )
    return records


def _read_doccano(path: Path) -> list[dict[str, Any]]:
    records = []
    for number, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), start=1):
        if not line.strip():
            continue
        item = _load_json(path, line, number)
        if not isinstance(item, dict):
            raise InputError(path, "expected one JSON object per line", number)
        labels = item.get("label", item.get("labels", item.get("cats")))
        if isinstance(labels, dict):  # {"housing": true, ...}
            labels = [name for name, on in labels.items() if on]
        records.append(
            {
                "text": item.get("text", item.get("data")),
                "labels": _as_list(labels),
                "id": item.get("id"),
                "where": f"line {number}",
                "line": number,
            }
        )
    return records


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return list(value)
    return [value]


# --------------------------------------------------------------------------- importing


def file_hash(path: str | Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def annotator_slug(annotator: str) -> str:
    slug = _SLUG.sub("-", annotator.strip().casefold()).strip("-.")
    if not slug:
        raise TemaError(f"annotator {annotator!r} has no letters or digits; give a name")
    return slug


def _existing_labels(labeled_dir: Path, theme_ids: list[str]) -> pd.DataFrame:
    if not any(labeled_dir.glob("*.csv")):
        return pd.DataFrame(columns=[*LABEL_COLUMNS, "file", "line"])
    return load_labeled(labeled_dir, theme_ids)


def import_labels(
    path: str | Path,
    labeled_dir: str | Path,
    themes: list[Theme],
    annotator: str,
    conflicts_path: str | Path,
    today: date | None = None,
) -> ImportResult:
    """Add an annotator's labels to `labeled_dir` as one new file; see the module docstring."""
    path, labeled_dir, conflicts_path = Path(path), Path(labeled_dir), Path(conflicts_path)
    theme_ids = [theme.id for theme in themes]
    slug = annotator_slug(annotator)
    today = today or date.today()
    digest = file_hash(path)[:8]
    batch = f"imp-{today:%Y%m%d}-{digest}"
    target = labeled_dir / f"import-{today:%Y-%m-%d}-{slug}-{digest}.csv"
    result = ImportResult(source=path, batch=batch, conflicts_path=conflicts_path)

    incoming, result.unlabelled = read_incoming(path, themes)
    existing = _existing_labels(labeled_dir, theme_ids)
    accepted, conflicts, result.already_labelled = _sort_incoming(
        incoming, existing, path, annotator, today
    )
    result.conflicts = pd.DataFrame(conflicts, columns=list(CONFLICT_COLUMNS))
    if len(result.conflicts):
        _append_conflicts(result.conflicts, conflicts_path)
    if not accepted:
        return result

    width = max(3, len(str(len(accepted))))
    taken = set(existing["id"])
    rows = []
    for number, row in enumerate(accepted, start=1):
        unit_id = f"{batch}-{number:0{width}d}"
        if unit_id in taken:  # a hash collision with an earlier import: refuse, change nothing
            raise TemaError(f"{target}: id {unit_id} is already used in {labeled_dir}")
        rows.append(
            {
                "id": unit_id,
                "text": row.text,
                "label": row.label,
                "second_label": row.second_label,
                "batch": batch,
                "annotator": annotator.strip(),
                "labeled_on": today.isoformat(),
                "source": f"{path.name} {row.where}",
                "source_id": row.source_id,
            }
        )
    result.added = pd.DataFrame(rows, columns=list(IMPORT_COLUMNS))
    if target.exists():  # same file, same day, yet new rows: the folder was edited by hand
        raise TemaError(f"{target} already exists; move it aside or import under another name")
    write_csv(result.added, target)
    try:
        load_labeled(labeled_dir, theme_ids)  # the folder must still train
    except TemaError:
        target.unlink()
        raise
    result.written = target
    return result


def _sort_incoming(
    incoming: list[IncomingLabel],
    existing: pd.DataFrame,
    path: Path,
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
    texts = [row.text for row in incoming]
    existing_texts = existing["text"].tolist()
    by_key = {normalise_for_comparison(text): index for index, text in enumerate(existing_texts)}
    nearest, similarity = nearest_texts(texts, existing_texts)
    profiles = text_profiles().fit(texts)
    vectors = profiles.transform(texts)
    within = (vectors @ vectors.T).toarray()

    accepted: list[IncomingLabel] = []
    accepted_index: list[int] = []
    accepted_keys: dict[str, int] = {}
    conflicts: list[dict[str, Any]] = []
    already = 0
    for index, row in enumerate(incoming):
        key = normalise_for_comparison(row.text)
        match: tuple[str, float, dict[str, Any]] | None = None
        if key in by_key:
            match = ("same text", 1.0, _existing_match(existing, by_key[key]))
        elif nearest[index] >= 0 and similarity[index] > NEAR_DUPLICATE_SIMILARITY:
            match = (
                "near copy",
                float(similarity[index]),
                _existing_match(existing, int(nearest[index])),
            )
        elif key in accepted_keys:
            match = (
                "same text in this file",
                1.0,
                _incoming_match(incoming[accepted_keys[key]], path),
            )
        elif accepted_index:
            scores = within[index, accepted_index]
            best = int(np.argmax(scores))
            if scores[best] > NEAR_DUPLICATE_SIMILARITY:
                earlier = incoming[accepted_index[best]]
                match = (
                    "near copy in this file",
                    float(scores[best]),
                    _incoming_match(earlier, path),
                )
        if match is None:
            accepted.append(row)
            accepted_index.append(index)
            accepted_keys[key] = index
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
                "source": str(path),
                "source_where": row.where,
                "match": kind,
                "similarity": round(score, 3),
                **other,
                "found_on": today.isoformat(),
                "decision": "",
            }
        )
    return accepted, conflicts, already


def _existing_match(existing: pd.DataFrame, index: int) -> dict[str, Any]:
    row = existing.iloc[index]
    return {
        "existing_text": row["text"],
        "existing_label": row["label"],
        "existing_second_label": row["second_label"],
        "existing_id": row["id"],
        "existing_where": f"{row['file']}, line {row['line']}",
    }


def _incoming_match(row: IncomingLabel, path: Path) -> dict[str, Any]:
    return {
        "existing_text": row.text,
        "existing_label": row.label,
        "existing_second_label": row.second_label,
        "existing_id": row.source_id,
        "existing_where": f"{path}, {row.where}",
    }


def _append_conflicts(new: pd.DataFrame, path: Path) -> None:
    """Add conflicts to the adjudication file, once each (a re-import adds nothing)."""
    frames = []
    if path.is_file():
        frames.append(pd.read_csv(path, dtype=str, keep_default_na=False))
    frames.append(new.astype(str))
    merged = pd.concat(frames, ignore_index=True)
    key = ["text", "new_label", "annotator", "existing_label", "source"]
    merged = merged.drop_duplicates(subset=key, keep="first")
    write_csv(merged.reindex(columns=list(CONFLICT_COLUMNS), fill_value=""), path)


def read_annotations(path: str | Path, themes: list[Theme]) -> pd.DataFrame:
    """An annotator's file as a frame of text, label, second_label (for agreement)."""
    rows, _ = read_incoming(path, themes)
    return pd.DataFrame(
        [
            {"text": r.text, "label": r.label, "second_label": r.second_label, "where": r.where}
            for r in rows
        ],
        columns=["text", "label", "second_label", "where"],
    )


def write_label_studio_tasks(tasks: list[dict[str, Any]], path: str | Path) -> None:
    with atomic_write(path) as handle:
        json.dump(tasks, handle, ensure_ascii=False, indent=1)
        handle.write("\n")


def label_studio_config(themes: list[Theme]) -> str:
    """A Label Studio labelling interface whose results `tema labels import` reads."""

    def choices(name: str, required: bool) -> str:
        lines = [
            f'  <Choices name="{name}" toName="text" choice="single" '
            f'showInLine="false" required="{str(required).lower()}">'
        ]
        lines += [
            f'    <Choice value="{theme.id}" hint="{theme.nb} / {theme.en}"/>' for theme in themes
        ]
        lines.append("  </Choices>")
        return "\n".join(lines)

    return "\n".join(
        [
            "<View>",
            '  <Text name="text" value="$text"/>',
            '  <Header value="Tema (label)"/>',
            choices("theme", True),
            '  <Header value="Andre tema (second_label, valgfritt)"/>',
            choices("second_theme", False),
            "</View>",
            "",
        ]
    )
