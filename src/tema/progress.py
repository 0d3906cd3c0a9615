"""Progress bars for the long steps (ingest, report), on stderr; off with --quiet."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")


def progress(
    items: Iterable[T],
    description: str,
    total: int | None = None,
    quiet: bool = False,
    unit: str = "it",
) -> Iterator[T]:
    """`items` with a tqdm bar; none when quiet or when stderr is not a terminal."""
    if quiet:
        yield from items
        return
    from tqdm import tqdm

    # disable=None: no bar when stderr is not a terminal (logs, DVC, tests).
    yield from tqdm(items, desc=description, total=total, unit=unit, disable=None, leave=False)
