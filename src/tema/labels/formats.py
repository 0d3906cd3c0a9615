"""The formats of an annotator's file, each read into plain records (not yet checked).

`read_records` chooses the reader by the file suffix; `tema.labels.exchange` checks the
records (themes resolved, repeats, unlabelled rows) into `IncomingLabel`s.

- `.csv` / `.tsv` / `.xlsx`: a header row with at least `text` and `label`;
  `second_label` and `id` are read when present, other columns are ignored.
- `.json`: a Label Studio export — a list of tasks, each with `data.text` and
  `annotations[].result[].value.choices` (a control named like `second…` gives the
  second label) — or Label Studio's JSON-MIN export (flat `text` and `label`/`theme`).
- `.jsonl`: doccano's text-classification export, one `{"text": …, "label": [...]}`
  per line (`labels` is accepted too); a second label in the list is the second label.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tema.errors import InputError
from tema.io.tables import column_key, read_table

FORMATS = "use .csv, .xlsx, .json (Label Studio) or .jsonl (doccano)"


def read_records(path: Path) -> list[dict[str, Any]]:
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
