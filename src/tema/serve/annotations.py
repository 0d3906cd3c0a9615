"""What annotators decide in the review page, before and after it reaches data/labeled/.

Every key press is one line appended to `<data>/labels/annotations.jsonl` under an
exclusive file lock (two tabs, two annotators, two servers: no line is lost or
interleaved). A line is a decision — `label` (with a theme and maybe a second theme),
`skip`, or `undo` of an earlier line — by one annotator on one unit of one batch.
Folding the lines gives each annotator's current decision per unit; saving the decision
an annotator already has changes nothing (no line is written).

Labels reach the labelled folder through `tema labels import`'s own code
(tema.serve.pipeline.save_labels, which calls tema.labels.importing.add_labels) in
rounds, since one import takes seconds: the pending labels of an annotator are added
together, and `<data>/labels/imported.jsonl` records which lines went in. An import never
overwrites a label: a unit labelled differently by two annotators goes to the conflicts
file, and importing again changes nothing.
"""

from __future__ import annotations

import fcntl
import json
import os
import secrets
import threading
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

# (batch, doc, unit): one unit of one batch.
UnitKey = tuple[str, str, int]


@dataclass(frozen=True)
class Decision:
    """One line of the log."""

    id: str
    time: str
    annotator: str
    action: str  # label | skip | undo
    batch: str = ""
    doc: str = ""
    unit: int = -1
    text: str = ""
    label: str = ""
    second_label: str = ""
    undoes: str = ""

    @property
    def key(self) -> UnitKey:
        return (self.batch, self.doc, self.unit)


@dataclass
class _State:
    """The log folded up to `offset` bytes."""

    offset: int = 0
    by_id: dict[str, Decision] = field(default_factory=dict)
    # annotator → unit → the decision in force (label or skip)
    current: dict[str, dict[UnitKey, Decision]] = field(default_factory=dict)
    # annotator → their label and skip decisions in order, undone ones removed
    history: dict[str, list[Decision]] = field(default_factory=dict)
    imported: set[str] = field(default_factory=set)
    imported_offset: int = 0


class AnnotationLog:
    """The annotation log of one project (safe for threads and processes)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder / "annotations.jsonl"
        self.imported_path = folder / "imported.jsonl"
        self.folder.mkdir(parents=True, exist_ok=True)
        self._state = _State()
        self._lock = threading.Lock()

    # -- reading
    def state(self) -> _State:
        """The folded log, brought up to date with the lines written since last time."""
        with self._lock:
            self._read_new(self._state)
            return self._state

    def _read_new(self, state: _State) -> None:
        state.offset = _read_lines(self.path, state.offset, lambda d: _apply(state, d))
        state.imported_offset = _read_lines(
            self.imported_path,
            state.imported_offset,
            lambda record: state.imported.update(record.get("ids", [])),
        )

    def decision(self, annotator: str, key: UnitKey) -> Decision | None:
        return self.state().current.get(annotator, {}).get(key)

    def decided_keys(self, annotator: str) -> set[UnitKey]:
        return set(self.state().current.get(annotator, {}))

    def labelled_by_others(self, annotator: str) -> set[UnitKey]:
        state = self.state()
        return {
            key
            for who, decisions in state.current.items()
            if who != annotator
            for key, decision in decisions.items()
            if decision.action == "label"
        }

    def labels(self) -> dict[str, dict[UnitKey, Decision]]:
        """annotator → unit → label decision in force (skips left out)."""
        return {
            who: {k: d for k, d in decisions.items() if d.action == "label"}
            for who, decisions in self.state().current.items()
        }

    def counts(self, annotator: str | None = None) -> Counter[str]:
        """Labels in force per theme (main theme), of one annotator or of everyone."""
        counts: Counter[str] = Counter()
        for who, decisions in self.labels().items():
            if annotator is None or who == annotator:
                counts.update(d.label for d in decisions.values())
        return counts

    def pending(self) -> dict[str, list[Decision]]:
        """annotator → labels in force not yet imported into the labelled folder."""
        state = self.state()
        return {
            who: [d for d in decisions.values() if d.id not in state.imported]
            for who, decisions in self.labels().items()
            if any(d.id not in state.imported for d in decisions.values())
        }

    # -- writing
    def record(
        self,
        annotator: str,
        action: str,
        key: UnitKey,
        text: str = "",
        label: str = "",
        second_label: str = "",
    ) -> Decision | None:
        """Append a label or skip; None (nothing written) if it is the decision in force."""
        with self._locked() as state:
            return self._record(state, annotator, action, key, text, label, second_label)

    def _record(
        self,
        state: _State,
        annotator: str,
        action: str,
        key: UnitKey,
        text: str,
        label: str,
        second_label: str,
    ) -> Decision | None:
        """`record` with the file lock held."""
        if action not in ("label", "skip"):
            raise ValueError(action)
        current = state.current.get(annotator, {}).get(key)
        if (
            current is not None
            and current.action == action
            and (current.label, current.second_label) == (label, second_label)
        ):
            return None
        decision = Decision(
            _new_id(), _now(), annotator, action, key[0], key[1], int(key[2]), text,
            label, second_label,
        )  # fmt: skip
        self._append(state, decision)
        return decision

    def decide(
        self,
        annotator: str,
        action: str,
        key: UnitKey,
        seen: str | None,
        text: str = "",
        label: str = "",
        second_label: str = "",
    ) -> tuple[str, Decision | None]:
        """A label or skip made on a page that showed the unit with the annotator's
        decision `seen` in force (its id; "" for none; None for a page that does not say).

        Returns what happened and the unit's decision in force afterwards:
        "saved" (a label) or "skipped", written; "unchanged", it was the decision in force;
        "kept", a skip over a label in force, not written (a skip holds no information, a
        label does: only undo takes a label back); "stale", the unit got another label
        since the page showed it (another tab), not written: the page showed the annotator
        something that is no longer so, and they decide again with the label in view.
        """
        with self._locked() as state:
            current = state.current.get(annotator, {}).get(key)
            in_force = current.id if current is not None else ""
            changed_since = seen is not None and seen != in_force
            if current is not None and current.action == "label":
                if action == "skip":
                    return ("stale" if changed_since else "kept"), current
                if changed_since and (current.label, current.second_label) != (
                    label,
                    second_label,
                ):
                    return "stale", current
            recorded = self._record(state, annotator, action, key, text, label, second_label)
            if recorded is None:
                return "unchanged", current
            return ("saved" if action == "label" else "skipped"), recorded

    def undo(self, annotator: str, batch: str) -> tuple[Decision | None, str]:
        """Take back the annotator's last decision in the batch.

        Returns (the decision taken back, "") or (None, why): "nothing" when there is none,
        "imported" when that label is already in the labelled folder (it stays there; a
        new label for the unit would be a conflict, which is what the conflicts file is for).
        """
        with self._locked() as state:
            history = [d for d in state.history.get(annotator, []) if d.batch == batch]
            if not history:
                return None, "nothing"
            last = history[-1]
            if last.id in state.imported:
                return None, "imported"
            undo = Decision(_new_id(), _now(), annotator, "undo", *last.key, undoes=last.id)
            self._append(state, undo)
            return last, ""

    def mark_imported(self, ids: list[str], result: dict[str, Any]) -> None:
        line = json.dumps({"time": _now(), "ids": ids, **result}, ensure_ascii=False)
        _append_line(self.imported_path, line)
        with self._lock:
            self._read_new(self._state)

    # -- helpers
    class _Locked:
        def __init__(self, log: AnnotationLog) -> None:
            self.log = log
            self.handle: Any = None

        def __enter__(self) -> _State:
            self.log._lock.acquire()
            self.handle = open(self.log.path, "a+b")
            fcntl.flock(self.handle, fcntl.LOCK_EX)
            self.log._read_new(self.log._state)
            return self.log._state

        def __exit__(self, *exc: object) -> None:
            fcntl.flock(self.handle, fcntl.LOCK_UN)
            self.handle.close()
            self.log._lock.release()

    def _locked(self) -> AnnotationLog._Locked:
        return AnnotationLog._Locked(self)

    def _append(self, state: _State, decision: Decision) -> None:
        """Append one line (the caller holds the file lock) and fold it in."""
        line = json.dumps(decision.__dict__, ensure_ascii=False)
        _append_line(self.path, line, locked=True)
        self._read_new(state)


def _apply(state: _State, record: dict[str, Any]) -> None:
    decision = Decision(**record)
    state.by_id[decision.id] = decision
    who = decision.annotator
    history = state.history.setdefault(who, [])
    current = state.current.setdefault(who, {})
    if decision.action == "undo":
        undone = state.by_id.get(decision.undoes)
        if undone is None or undone not in history:
            return
        history.remove(undone)
        earlier = [d for d in history if d.key == undone.key]
        if earlier:
            current[undone.key] = earlier[-1]
        else:
            current.pop(undone.key, None)
        return
    # A changed decision stays in the history under the new one: undoing the new one
    # brings the earlier one back.
    history.append(decision)
    current[decision.key] = decision


def _read_lines(path: Path, offset: int, apply: Any) -> int:
    """Fold the complete lines after `offset`; returns the new offset."""
    try:
        with open(path, "rb") as handle:
            handle.seek(offset)
            data = handle.read()
    except FileNotFoundError:
        return offset
    end = data.rfind(b"\n") + 1  # a line still being written is read next time
    for line in data[:end].splitlines():
        if line.strip():
            apply(json.loads(line))
    return offset + end


def _append_line(path: Path, line: str, locked: bool = False) -> None:
    data = (line.replace("\n", " ") + "\n").encode("utf-8")
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        if not locked:
            fcntl.flock(fd, fcntl.LOCK_EX)
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)


def _new_id() -> str:
    return f"{datetime.now():%Y%m%d%H%M%S}-{secrets.token_hex(4)}"


def _now() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")
