"""Labels in and out: annotators' files as tema reads them, and the files tema writes for them.

`read_incoming_file` reads an annotator's file (chosen by the file suffix) into an
`IncomingFile`: its validated `IncomingLabel`s, and the counts of rows not labelled yet and
of rows repeated whole. `tema.labels.importing` adds the labelled rows to `data/labeled/`, and
`tema labels agreement` compares two such files.

- `.csv` / `.tsv` / `.xlsx`: a header row with at least `text` and `label`;
  `second_label` and `id` are read when present, other columns are ignored.
- `.json`: a Label Studio export — a list of tasks, each with `data.text` and
  `annotations[].result[].value.choices` (a control named like `second…` gives the
  second label) — or Label Studio's JSON-MIN export (flat `text` and `label`/`theme`).
- `.jsonl`: doccano's text-classification export, one `{"text": …, "label": [...]}`
  per line (`labels` is accepted too); a second label in the list is the second label.

A label may be written as the theme id, its Norwegian or English name or another name it goes
by (`tema.labels.theme_names`). Out of tema go Label Studio's import tasks and its labelling
interface (`tema suggest`): `tema.labels.label_studio`.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import numpy as np

from tema.config import Theme
from tema.errors import InputError
from tema.io.tables import column_key, read_table
from tema.labels.store import normalise_for_comparison
from tema.labels.theme_names import closest_name, label_lookup, resolve

FORMATS = "use .csv, .xlsx, .json (Label Studio) or .jsonl (doccano)"
# The id `tema suggest` gives a unit (`suggestion_id`): made from its text, so a row that
# comes back under it with another text was changed after tema wrote it.
SUGGESTION_ID = re.compile(r"s-[0-9a-f]{10}")


def suggestion_id(text: str) -> str:
    """A stable id for a suggested unit: the same text always gets the same id."""
    return "s-" + hashlib.sha256(normalise_for_comparison(text).encode("utf-8")).hexdigest()[:10]


@dataclass(frozen=True)
class IncomingLabel:
    """One labelled unit as an annotator's file gives it (labels already resolved)."""

    text: str
    label: str
    second_label: str
    source_id: str
    where: str  # "line 5", "task 3": what a person opens to find the row
    line: int | None = None


def check_suggested_texts(path: Path, incoming: Sequence[IncomingLabel]) -> None:
    """Refuse the file (nothing written) when a labelled row under an id `tema suggest`
    gave holds another text than that unit's: the label would go on a text that is not
    the unit the annotator was shown whole. The id is made from the unit's text, so a cut
    text (Excel keeps 32,767 characters of a cell; `tema suggest` cuts a longer one in its
    .xlsx) never matches it, and no label is attached to the cut text or to a guessed unit."""
    for row in incoming:
        # Compared as labels are (ignoring case and punctuation): cut by Excel, turned into
        # a date or a number by Excel, or edited.
        if not SUGGESTION_ID.fullmatch(row.source_id) or suggestion_id(row.text) == row.source_id:
            continue
        where = "" if row.line is not None else f"{row.where}: "
        raise InputError(
            path,
            f"{where}the text is not the text of the suggested unit {row.source_id} "
            f"({len(row.text)} characters): it was cut to fit an Excel cell (at most 32,767 "
            "characters) or changed, and a label goes only on its unit's own text. Put the "
            "text back; label a unit too long for Excel in the .labelstudio.json (or the "
            ".csv, not opened in Excel) that `tema suggest` wrote, and clear its label here; "
            "or clear the id to import the row as a text of its own",
            row.line,
        )


# --------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class IncomingFile:
    """An annotator's file as read: its labelled rows, the count of rows with a text but no
    label, and the count of rows that repeated an earlier row whole (id, text and themes)."""

    rows: list[IncomingLabel]
    unlabelled: int
    repeated: int


def read_incoming_file(path: str | Path, themes: Sequence[Theme]) -> IncomingFile:
    """An annotator's file, validated (`IncomingFile`).

    Blank rows are ignored; a row with a text but no label is counted as unlabelled
    (not yet done); a row given again whole (its id, text and themes, however each theme is
    written) is read once and counted as repeated. An unknown theme, a label without a
    text, a second label equal to the label, an id given twice with another text or theme
    or a malformed file stops with the file and the line.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(path, "file not found")
    lookup = label_lookup(themes)
    allowed = ", ".join(f"{theme.id} ({theme.nb} / {theme.en})" for theme in themes)

    def unknown(label: str) -> str:
        close = closest_name(label, themes)
        meant = f" (did you mean {close!r}?)" if close else ""
        return (
            f"unknown theme {label!r}{meant}; write a theme's id or its Norwegian or English "
            f"name: {allowed}"
        )

    rows: list[IncomingLabel] = []
    unlabelled = repeated = 0
    # id → where it was first seen, and the text and themes it was first given
    first_row: dict[str, tuple[str, tuple[str, ...]]] = {}
    for record in _read_records(path):
        if _is_blank(record):
            continue
        row = _incoming_row(path, record, lookup, unknown)
        if _seen_before(path, record, row, first_row):
            repeated += 1  # the same row again (pasted twice in Excel): one unit
        elif row is None:
            unlabelled += 1
        else:
            rows.append(row)
    return IncomingFile(rows, unlabelled, repeated)


def _read_records(path: Path) -> list[dict[str, Any]]:
    """The raw records of an annotator's file, read as its suffix says.

    Each record has `text`, `labels` (the label, then the second label), `id`, `where`
    ("line 5", "task 3") and, for a file of lines, `line`.
    """
    readers: dict[str, Callable[[Path], list[dict[str, Any]]]] = {
        ".csv": _read_table_records,
        ".tsv": _read_table_records,
        ".txt": _read_table_records,
        ".xlsx": _read_table_records,
        ".xlsm": _read_table_records,
        ".json": _read_label_studio,
        ".jsonl": _read_doccano,
    }
    suffix = path.suffix.lower()
    if suffix not in readers:
        raise InputError(path, f"unknown file type {suffix!r}; {FORMATS}")
    try:
        return readers[suffix](path)
    except UnicodeDecodeError as exc:
        raise InputError(path, "is not UTF-8 text (save it as UTF-8)") from exc
    except OSError as exc:
        raise InputError(path, f"cannot be read: {exc.strerror or exc}") from exc


def _seen_before(
    path: Path,
    record: dict[str, Any],
    row: IncomingLabel | None,
    first_row: dict[str, tuple[str, tuple[str, ...]]],
) -> bool:
    """Whether a record (already checked: `row`, None if it has no label yet) repeats the
    row its id was first given on: the same text and the same themes, however each label is
    written ("Bolig" on one row, "housing" on the other). An id given again with another
    text or theme stops with the file and the line; a new id is remembered."""
    source_id = _clean(record.get("id"))
    if not source_id:
        return False
    text = _clean(record.get("text"))
    content = (text,) if row is None else (text, row.label, row.second_label)
    if source_id not in first_row:
        first_row[source_id] = (record["where"], content)
        return False
    first_where, first_content = first_row[source_id]
    if content == first_content:
        return True
    # Two rows claiming one unit: a copy-paste slip or two files merged; which label
    # stands is for the annotator to say, as training says for data/labeled.
    _fail(
        path,
        record,
        f"duplicate id {source_id!r} (also at {first_where}) with another text or label: an "
        "id is one unit; delete the row that is wrong (or clear the id of a row that is a "
        "unit of its own)",
    )


def _fail(path: Path, record: dict[str, Any], message: str) -> NoReturn:
    """Stop at a record, naming its line (or, in a file of tasks, where it is)."""
    line = record.get("line")
    raise InputError(path, message if line is not None else f"{record['where']}: {message}", line)


def _is_blank(record: dict[str, Any]) -> bool:
    """A row without text and without labels (an empty line of a sheet)."""
    labels = [_clean(label) for label in record.get("labels", [])]
    return not _clean(record.get("text")) and not any(labels)


def _incoming_row(
    path: Path,
    record: dict[str, Any],
    lookup: dict[str, str],
    unknown: Callable[[str], str],
) -> IncomingLabel | None:
    """One record (not blank) checked: the labelled unit with its labels resolved to
    theme ids, or None if it has no label yet."""
    text = _clean(record.get("text"))
    given = [_clean(label) for label in record.get("labels", [])]
    labels = [label for label in given if label]

    def fail(message: str) -> NoReturn:
        _fail(path, record, message)

    if not labels:
        return None
    if given and not given[0]:
        fail(f"second label {labels[0]!r} without a label")
    if not text or not normalise_for_comparison(text):
        fail(f"empty text (label {labels[0]!r})")
    if len(labels) > 2:
        fail(f"{len(labels)} labels {labels}; a unit has a label and at most one second label")
    resolved = []
    for label in labels:
        theme = resolve(label, lookup)
        if theme is None:
            fail(unknown(label))
        resolved.append(theme)
    if len(resolved) == 2 and resolved[0] == resolved[1]:
        fail(
            f"second_label repeats label {resolved[0]!r}; clear second_label (or give it "
            "another theme that is clearly present too)"
        )
    return IncomingLabel(
        text=text,
        label=resolved[0],
        second_label=resolved[1] if len(resolved) == 2 else "",
        source_id=_clean(record.get("id")),
        where=record["where"],
        line=record.get("line"),
    )


def _clean(value: Any) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    return str(value).strip()


def _columns(path: Path, header: list[str]) -> dict[str, int]:
    """Positions of text, label, second_label and id in a header (case-insensitive)."""
    names = [column_key(str(name or "")) for name in header]
    missing = [name for name in ("text", "label") if name not in names]
    if missing:
        has = ", ".join(str(name) for name in header if str(name or "").strip()) or "no names"
        raise InputError(
            path,
            f"missing column(s) {', '.join(missing)}; `text` and `label` are required (the "
            f"header row has {has}): name the column of the units' text `text` and the "
            "column of their themes `label`",
            1,
        )
    return {
        name: names.index(name) for name in ("text", "label", "second_label", "id") if name in names
    }


def _read_table_records(path: Path) -> list[dict[str, Any]]:
    """A CSV/TSV/Excel label file's records, each with the line (or sheet row) its row
    starts on. tema.io.tables detects the delimiter and encoding (Excel's ";" and cp1252)
    as everywhere else in tema."""
    table = read_table(path)
    columns = _columns(path, table.header)
    records = []
    for number, values in table.rows:

        def cell(name: str, values: list[Any] = values) -> Any:
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
        # Label Studio shows a task by its id; the position helps where there is none.
        task_id = task.get("id") if isinstance(task, dict) else None
        where = f"task {number}" + (f" (id {task_id})" if task_id is not None else "")
        if not isinstance(task, dict):
            raise InputError(path, f"{where}: expected an object, got {type(task).__name__}")
        labels: list[Any]
        if "data" not in task and "text" not in task:
            raise InputError(
                path, f"{where}: neither 'data' nor 'text'; expected a Label Studio export"
            )
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
        labels = []
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
