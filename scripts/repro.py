"""`dvc repro` as `make run` runs it: DVC's output without its hints for developers.

After a run DVC prints "To track the changes with git, run: git add dvc.lock …", "To enable
auto staging, run: dvc config core.autostage true" and "Use `dvc push` to send your updates
to remote storage." They mean nothing to someone who sorts meeting input (there is no DVC
remote, and `make run` is not a git workflow), so this script leaves them out of DVC's
standard output and passes every other line through as it comes. Standard error, where
DVC and tema write warnings, errors and progress bars, is not touched, and the exit code is
DVC's. (`dvc repro -q` would also hide the hints, but it hides DVC's errors too;
`core.autostage` would stage files in git behind the user's back.)

Usage: python scripts/repro.py [dvc repro options]; the environment variable DVC names the
dvc executable (default: the one beside this Python).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

# The first line of each hint, and how its following lines look (blank or indented).
HINT_STARTS = (
    "To track the changes with git, run:",
    "To enable auto staging, run:",
)
HINT_LINES = ("Use `dvc push` to send your updates to remote storage.",)


def without_hints(lines: Iterable[str]) -> Iterator[str]:
    """`lines` (with their line ends) without DVC's git, autostage and push hints."""
    blanks: list[str] = []  # blank lines held back: those before a hint go with it
    in_hint = False
    for line in lines:
        text = line.rstrip("\r\n")
        if in_hint and (not text.strip() or text.startswith(("\t", " "))):
            continue  # the hint's blank lines and its indented command
        in_hint = False
        if not text.strip():
            blanks.append(line)
            continue
        if text.strip() in HINT_STARTS:
            blanks, in_hint = [], True
            continue
        if text.strip() in HINT_LINES:
            blanks = []
            continue
        yield from blanks
        blanks = []
        yield line
    yield from blanks


def dvc_executable() -> str:
    beside = Path(sys.executable).parent / "dvc"
    if os.environ.get("DVC"):
        return os.environ["DVC"]
    return str(beside) if beside.exists() else shutil.which("dvc") or "dvc"


def main(argv: list[str]) -> int:
    # Unbuffered: DVC's lines and the stages' lines reach the pipe in the order written.
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with subprocess.Popen(
        [dvc_executable(), "repro", *argv], stdout=subprocess.PIPE, env=env, text=True,
        encoding="utf-8", errors="replace", bufsize=1,
    ) as process:  # fmt: skip
        assert process.stdout is not None
        for line in without_hints(process.stdout):
            sys.stdout.write(line)
            sys.stdout.flush()
        return process.wait()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
