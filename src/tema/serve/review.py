"""The review page's data: which unit comes next, and what surrounds it.

A batch's units are read once per file version (cached by path, size and modification
time) and indexed by (doc, unit), so choosing the next unit and its context takes a few
milliseconds whatever the batch size. The order is `tema suggest`'s (suggestions.csv,
written by the batch's job), or a filter: uncertain units, one theme, one document.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd

from tema.segment.units import ANSWER_KIND
from tema.serve.annotations import UnitKey

CONTEXT_SKIPS = frozenset({"noise"})
T = TypeVar("T")


@dataclass(frozen=True)
class Neighbour:
    kind: str
    text: str


@dataclass
class UnitView:
    """One unit as the review page shows it."""

    doc: str
    unit: int
    text: str
    kind: str
    section: str
    meeting: str
    region: str
    date: str
    page: str
    row: str
    theme: str
    second_theme: str
    confidence: float
    uncertain: bool
    previous: list[Neighbour] = field(default_factory=list)
    next: list[Neighbour] = field(default_factory=list)


class _Cache:
    """A few values per file version; the oldest go first."""

    def __init__(self, size: int = 8) -> None:
        self.size = size
        self.items: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: tuple[Any, ...], make: Callable[[], T]) -> T:
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
                return self.items[key]  # type: ignore[no-any-return]
        value = make()
        with self.lock:
            self.items[key] = value
            while len(self.items) > self.size:
                self.items.popitem(last=False)
        return value


_CACHE = _Cache()


def _version(path: Path) -> tuple[str, int, int]:
    stat = path.stat()
    return (str(path.resolve()), stat.st_size, stat.st_mtime_ns)


class BatchUnits:
    """The counted units of a batch's report (report/units.csv) and the segmented units
    around them (units.csv), indexed by (doc, unit)."""

    def __init__(self, report_units: Path, segments: Path) -> None:
        self.units = pd.read_csv(
            report_units,
            keep_default_na=False,
            dtype={"doc": str, "text": str, "section": str, "meeting": str, "region": str,
                   "date": str, "page": str, "row": str, "theme": str, "second_theme": str},
        )  # fmt: skip
        uncertain = self.units["uncertain"]
        if uncertain.dtype != bool:
            uncertain = uncertain.astype(str).str.lower().isin(["true", "1"])
        self.units["uncertain"] = uncertain
        self.position = {
            (doc, int(unit)): i
            for i, (doc, unit) in enumerate(zip(self.units["doc"], self.units["unit"], strict=True))
        }
        self.by_confidence = self.units.sort_values("confidence", kind="stable").index.to_numpy()
        self.context: dict[str, pd.DataFrame] = {}
        if segments.is_file():
            frame = pd.read_csv(
                segments,
                keep_default_na=False,
                usecols=["doc", "unit", "kind", "section", "text"],
                dtype={"doc": str, "kind": str, "section": str, "text": str},
            )
            frame = frame[~frame["kind"].isin(CONTEXT_SKIPS)]
            self.context = {doc: part.reset_index(drop=True) for doc, part in frame.groupby("doc")}

    def __len__(self) -> int:
        return len(self.units)

    def keys(self, indices: Iterable[int]) -> list[UnitKey]:
        docs, units = self.units["doc"].to_numpy(), self.units["unit"].to_numpy()
        return [("", str(docs[i]), int(units[i])) for i in indices]

    def view(self, doc: str, unit: int, reach: int = 1) -> UnitView | None:
        index = self.position.get((doc, unit))
        if index is None:
            return None
        row = self.units.iloc[index]
        view = UnitView(
            doc=doc, unit=unit, text=str(row["text"]), kind=str(row["kind"]),
            section=str(row.get("section", "")), meeting=str(row.get("meeting", "")),
            region=str(row.get("region", "")), date=str(row.get("date", "")),
            page=str(row.get("page", "")), row=str(row.get("row", "")),
            theme=str(row["theme"]), second_theme=str(row.get("second_theme", "")),
            confidence=float(row["confidence"]), uncertain=bool(row["uncertain"]),
        )  # fmt: skip
        around = self.context.get(doc)
        if around is not None and view.kind == ANSWER_KIND:
            # A survey answer's context is the other answers to its question.
            around = around[around["section"] == view.section].reset_index(drop=True)
        if around is not None:
            place = around.index[around["unit"] == unit]
            if len(place):
                at = int(place[0])
                previous = _neighbours(around, max(0, at - reach), at)
                # The section heading is shown as the heading, not again as a neighbour.
                view.previous = [
                    n for n in previous if (n.kind, n.text) != ("heading", view.section)
                ]
                view.next = _neighbours(around, at + 1, at + 1 + reach)
        return view

    def order(self, mode: str, value: str = "") -> list[int]:
        """Row positions of the units in the order of a filter (not `suggest`)."""
        if mode == "uncertain":
            flags = self.units["uncertain"].to_numpy()
            return [int(i) for i in self.by_confidence if flags[i]]
        if mode == "theme":
            themes = self.units["theme"].to_numpy()
            return [int(i) for i in self.by_confidence if themes[i] == value]
        if mode == "doc":
            return [int(i) for i in self.units.index[self.units["doc"] == value]]
        return [int(i) for i in self.by_confidence]

    def documents(self) -> list[str]:
        return sorted(set(self.units["doc"]))


def _neighbours(frame: pd.DataFrame, start: int, end: int) -> list[Neighbour]:
    part = frame.iloc[start:end]
    return [Neighbour(str(k), str(t)) for k, t in zip(part["kind"], part["text"], strict=True)]


def batch_units(report_units: Path, segments: Path) -> BatchUnits:
    key = ("units", _version(report_units), _version(segments) if segments.is_file() else None)
    return _CACHE.get(key, lambda: BatchUnits(report_units, segments))


def queue_order(units: BatchUnits, queue: Path) -> list[int]:
    """Row positions of the suggested units, in `tema suggest`'s order."""
    if not queue.is_file():
        return []

    def read() -> list[int]:
        frame = pd.read_csv(queue, keep_default_na=False, dtype={"doc": str})
        found = (
            units.position.get((d, int(u)))
            for d, u in zip(frame["doc"], frame["unit"], strict=True)
        )
        return [i for i in found if i is not None]

    return _CACHE.get(("queue", _version(queue), id(units)), read)


@dataclass
class Pick:
    """The next unit to review, and how many are left in this order."""

    index: int | None
    remaining: int
    total: int


def next_unit(order: list[int], units: BatchUnits, skip: set[tuple[str, int]]) -> Pick:
    """The first unit of `order` whose (doc, unit) is not in `skip`."""
    docs, numbers = units.units["doc"].to_numpy(), units.units["unit"].to_numpy()
    remaining, first = 0, None
    for i in order:
        if (docs[i], int(numbers[i])) in skip:
            continue
        remaining += 1
        if first is None:
            first = i
    return Pick(first, remaining, len(order))
