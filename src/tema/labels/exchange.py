"""Labels in: an annotator's file read, checked row by row, into the labels tema adds.

`read_incoming_file` reads an annotator's file (its format chosen by the file suffix,
`tema.labels.formats`) into an `IncomingFile`: its validated `IncomingLabel`s, and the
counts of rows not labelled yet and of rows repeated whole. `tema.labels.importing` adds
the labelled rows to `data/labeled/`, and `tema labels agreement` compares two such files.
`suggestion_id` is the id `tema suggest` gives a unit, and `check_suggested_texts` refuses
a row whose text is no longer its unit's.

A label may be written as the theme id, its Norwegian or English name or another name it goes
by (`tema.labels.theme_names`). Out of tema go Label Studio's import tasks and its labelling
interface (`tema suggest`): `tema.labels.label_studio`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import numpy as np

from tema.config import Theme
from tema.errors import InputError
from tema.labels.formats import read_records
from tema.labels.store import normalise_for_comparison
from tema.labels.theme_names import closest_name, label_lookup, resolve

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
    for record in read_records(path):
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
