"""Progress bars for the long stages (ingest, segment, train, evaluate, classify, report).

On stderr, and only on a terminal: none with --quiet, when stderr is not a terminal (DVC
and CI logs, pipes, tests) or when the environment variable CI is set (CI systems that
fake a terminal). Bars vanish when done (leave=False), so logs and the scrollback keep
only the commands' closing lines.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

T = TypeVar("T")


def enabled(quiet: bool = False) -> bool:
    """Whether bars are shown: not quiet, stderr a terminal, and not in CI."""
    if quiet or os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no"):
        return False
    stream = sys.stderr
    return bool(stream is not None and hasattr(stream, "isatty") and stream.isatty())


def progress(
    items: Iterable[T],
    description: str,
    total: int | None = None,
    quiet: bool = False,
    unit: str = "it",
    weight: Callable[[T], int] | None = None,
) -> Iterator[T]:
    """`items` with a tqdm bar (see `enabled`); `weight(item)` counts an item as that many
    (rows of a chunk), else each counts one."""
    if not enabled(quiet):
        yield from items
        return
    from tqdm import tqdm

    with tqdm(
        total=total, desc=description, unit=unit, leave=False, file=sys.stderr, dynamic_ncols=True
    ) as bar:
        for item in items:
            yield item
            bar.update(weight(item) if weight else 1)


@contextmanager
def steps(description: str, names: list[str], quiet: bool = False) -> Iterator[Callable[[], Any]]:
    """A bar over a few long steps that cannot report their own progress (training).

    Yields `done()`, to be called after each step; the bar names the step under way and its
    elapsed time keeps counting (refreshed every second) while a step runs.
    """
    if not enabled(quiet):
        yield lambda: None
        return
    from tqdm import tqdm

    bar = tqdm(
        total=len(names), desc=f"{description}: {names[0]}", leave=False, file=sys.stderr,
        bar_format="{desc} ({n_fmt}/{total_fmt}) [{elapsed}]",
    )  # fmt: skip
    stop = threading.Event()

    def tick() -> None:
        while not stop.wait(1.0):
            bar.refresh()

    thread = threading.Thread(target=tick, daemon=True)
    thread.start()

    finished = 0

    def done() -> None:
        nonlocal finished
        finished += 1
        bar.update(1)
        if finished < len(names):
            bar.set_description_str(f"{description}: {names[finished]}")

    try:
        yield done
    finally:
        stop.set()
        thread.join()
        bar.close()
