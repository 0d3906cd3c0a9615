"""The conflicts file (`labels.conflicts`): labels that disagree with a stored label, listed by
`tema labels import` for a person to decide, and the decisions applied.

An import lists each conflict once (`append_conflicts`). A reviewer writes in `decision` the
theme the unit has (its id, or its Norwegian or English name, as an import reads a label) or
"keep" / "behold" for the stored label, and `tema labels import` of the conflicts file itself
applies them (`apply_decisions`), under the label store's lock: the stored unit gets the
decided theme in its own file in `data/labeled/` (only its `label` and `second_label`
change); each decided row moves from the conflicts file to the decided log beside it
(`<name>-decided.csv`, with the label it had and what was done), which an import reads too,
so that a decided conflict is not listed again; undecided rows stay. The label files, the log
and the conflicts file are written together (`tema.io.files.write_together`), all or none,
after every decision is checked: a decision that names no theme, or a unit no longer in
`data/labeled/`, stops it naming the conflicts file and line, with nothing written.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from tema.config import Theme
from tema.errors import InputError
from tema.io.files import write_csv, write_together
from tema.io.tables import read_table
from tema.labels.store import load_labeled, normalise_for_comparison
from tema.labels.theme_names import closest_name, label_lookup, name_key, resolve

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
# A conflict already in the conflicts file (or its decided log) is not added again.
CONFLICT_KEY = ["text", "new_label", "annotator", "existing_label", "source"]
# A decision that keeps the stored label, as `name_key` writes it.
KEEP = ("keep", "behold")
# How the decided log's `applied` says a decision kept the stored label: "kept education".
KEPT = "kept "


def decided_path(conflicts_path: str | Path) -> Path:
    """The log of applied decisions, beside the conflicts file."""
    path = Path(conflicts_path)
    return path.with_name(f"{path.stem}-decided{path.suffix or '.csv'}")


def _read(path: Path) -> pd.DataFrame | None:
    """A conflicts file (or its log) as tema reads any table, or None when there is none.

    The reviewer edits it, often in Excel, which saves it with ";" (and in Windows-1252).
    """
    if not path.is_file():
        return None
    table = read_table(path)
    table.require(path, CONFLICT_KEY)
    return table.frame()


def append_conflicts(new: pd.DataFrame, path: Path) -> int:
    """Add conflicts to the adjudication file, once each (a re-import adds nothing, nor does a
    conflict already decided); the count of `new` that it already listed or decided."""
    frames = [frame for frame in (_read(path),) if frame is not None]
    decided = _read(decided_path(path))
    listed = {
        tuple(key)
        for frame in [*frames, *([decided] if decided is not None else [])]
        for key in frame[CONFLICT_KEY].to_numpy()
    }
    keys = new[CONFLICT_KEY].astype(str).to_numpy()
    known = sum(tuple(key) in listed for key in keys)
    if decided is not None:  # a decided conflict found again is not listed again
        done = {tuple(key) for key in decided[CONFLICT_KEY].to_numpy()}
        new = new[[tuple(key) not in done for key in keys]]
    frames.append(new.astype(str))
    merged = pd.concat(frames, ignore_index=True)
    merged = merged.drop_duplicates(subset=CONFLICT_KEY, keep="first")
    write_csv(_as_written(merged), path)
    return known


@dataclass
class Decisions:
    """What `apply_decisions` did: how many decisions it applied, the stored labels they
    changed (id, where, from, to), how many decisions kept the stored label, how many
    conflicts are still undecided, and the log the decided rows went to. Two decisions on
    one stored unit (two annotators' conflicts with it) change it once: `decided` may be
    more than `changed` and `kept` together."""

    path: Path
    log: Path
    decided: int = 0
    changed: list[tuple[str, str, str, str]] = field(default_factory=list)
    kept: int = 0
    undecided: int = 0


def apply_decisions(
    conflicts_path: str | Path,
    labeled_dir: str | Path,
    themes: Sequence[Theme],
    today: date | None = None,
) -> Decisions:
    """Apply the filled-in decisions of the conflicts file to `labeled_dir`; see the module
    docstring. The caller holds the label store's lock."""
    path = Path(conflicts_path)
    result = Decisions(path=path, log=decided_path(path))
    if not path.is_file():
        raise InputError(path, "no conflicts file here: no import has listed a conflict")
    table = read_table(path)
    table.require(path, [*CONFLICT_KEY, "existing_text", "existing_id", "decision"])
    frame = table.frame()
    lines = [line for line, _cells in table.rows]
    decided = frame["decision"].str.strip() != ""
    result.undecided = int((~decided & (frame["text"].str.strip() != "")).sum())
    if not decided.any():
        return result
    stored = load_labeled(labeled_dir, [theme.id for theme in themes])
    changes, applied = _decide(path, frame, lines, decided, stored, themes)
    result.changed = [
        (unit_id, f"{stored.at[index, 'file']}", stored.at[index, "label"], label)
        for index, (unit_id, label, _second) in changes.items()
    ]
    result.decided = int(decided.sum())
    result.kept = sum(entry.startswith(KEPT) for entry in applied)
    writes: list[tuple[Path, str]] = []
    for name, group in stored.loc[list(changes)].groupby("file"):
        by_id = {changes[index][0]: changes[index][1:] for index in group.index}
        writes.append((Path(str(name)), _relabelled(Path(str(name)), by_id)))
    log = frame[decided].assign(decided_on=(today or date.today()).isoformat(), applied=applied)
    earlier = _read(result.log)
    if earlier is not None:
        log = pd.concat([earlier, log], ignore_index=True)
    writes.append((result.log, _csv_text(log.fillna(""))))
    remaining = frame[~decided & frame.apply(lambda row: any(row.str.strip() != ""), axis=1)]
    writes.append((path, _csv_text(remaining)))
    write_together(writes)
    return result


def _decide(
    path: Path,
    frame: pd.DataFrame,
    lines: list[int],
    decided: pd.Series,
    stored: pd.DataFrame,
    themes: Sequence[Theme],
) -> tuple[dict[int, tuple[str, str, str]], list[str]]:
    """Each decision checked: the stored units whose label changes (row of `stored` → id,
    label, second label), and per decided row what was done."""
    lookup = label_lookup(themes)
    by_text = {normalise_for_comparison(text): i for i, text in enumerate(stored["text"])}
    changes: dict[int, tuple[str, str, str]] = {}
    decided_at: dict[int, tuple[str, int]] = {}
    applied: list[str] = []
    for position in decided.to_numpy().nonzero()[0]:
        row, line = frame.iloc[position], lines[position]
        index = by_text.get(normalise_for_comparison(row["existing_text"]))
        if index is None:
            raise InputError(
                path,
                f"the labelled unit of this conflict ({row['existing_id'] or 'no id'}, "
                f"{row['existing_text'][:60]!r}) is no longer in the labelled folder; clear "
                "the decision and correct the label there by hand",
                line,
            )
        theme = _theme(path, line, row["decision"], lookup, themes) or stored.at[index, "label"]
        if index in decided_at and decided_at[index][0] != theme:
            raise InputError(
                path,
                f"decision {row['decision']!r} for the unit {stored.at[index, 'id']} that line "
                f"{decided_at[index][1]} decides as {decided_at[index][0]!r}; a unit has one "
                "label: give both the same decision",
                line,
            )
        decided_at[index] = (theme, line)
        if theme == stored.at[index, "label"]:
            applied.append(f"{KEPT}{theme}")
            continue
        # The new label comes with its second label; another theme keeps the stored one.
        new = theme == row["new_label"]
        second = row.get("new_second_label", "") if new else stored.at[index, "second_label"]
        changes[index] = (stored.at[index, "id"], theme, "" if second == theme else second)
        applied.append(f"{stored.at[index, 'label']} → {theme} ({stored.at[index, 'file']})")
    return changes, applied


def _theme(
    path: Path, line: int, decision: str, lookup: dict[str, str], themes: Sequence[Theme]
) -> str | None:
    """The theme a decision names, or None for one that keeps the stored label."""
    if name_key(decision) in KEEP:
        return None
    theme = resolve(decision, lookup)
    if theme is None:
        close = closest_name(decision, themes)
        meant = f" (did you mean {close!r}?)" if close else ""
        raise InputError(
            path,
            f"decision {decision.strip()!r} names no theme{meant}; write the theme the unit "
            "has (its id or Norwegian or English name), or keep (behold) for the stored label",
            line,
        )
    return theme


def _relabelled(path: Path, changes: dict[str, tuple[str, str]]) -> str:
    """A labelled file's text with the label and second label of the units `changes` names
    (id → label, second label) replaced, and every other cell, its line ending and its
    byte-order mark as they were."""
    raw = path.read_bytes()
    text = raw.decode("utf-8-sig")
    end = text.find("\n")
    newline = "\r\n" if end > 0 and text[end - 1] == "\r" else "\n"
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header = [name.strip() for name in rows[0]]
    unit, label, second = (header.index(name) for name in ("id", "label", "second_label"))
    for row in rows[1:]:
        if len(row) > max(unit, label, second) and row[unit].strip() in changes:
            row[label], row[second] = changes[row[unit].strip()]
    out = io.StringIO()
    csv.writer(out, lineterminator=newline).writerows(rows)
    bom = codecs.BOM_UTF8.decode("utf-8") if raw.startswith(codecs.BOM_UTF8) else ""
    return bom + out.getvalue()


def _as_written(frame: pd.DataFrame) -> pd.DataFrame:
    """A conflicts table as tema writes it: tema's columns first (one deleted comes back,
    empty), then the columns a reviewer added (a comment, say); no cell missing."""
    columns = [*CONFLICT_COLUMNS, *(c for c in frame.columns if c not in CONFLICT_COLUMNS)]
    return frame.reindex(columns=columns).fillna("")


def _csv_text(frame: pd.DataFrame) -> str:
    """A conflicts table as `write_csv` writes it: UTF-8 with ",", `_as_written`."""
    text: str = _as_written(frame).to_csv(index=False, lineterminator="\n")
    return text
