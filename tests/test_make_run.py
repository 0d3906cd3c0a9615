"""`make run`: the theme table once, DVC's output without its git/push hints, errors kept."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / "scripts" / "repro.py"

# What `dvc repro` prints on stdout after a run (dvc 3), around a stage's own lines.
DVC_OUTPUT = """Running stage 'report':
> tema report --quiet
3 700 innspill, 370 usikre; rapport → reports/report.html

Updating lock file 'dvc.lock'

To track the changes with git, run:

\tgit add dvc.lock reports/.gitignore

To enable auto staging, run:

\tdvc config core.autostage true
Use `dvc push` to send your updates to remote storage.
"""


def fake_dvc(tmp_path: Path, stdout: str, stderr: str, code: int) -> Path:
    (tmp_path / "out.txt").write_text(stdout, encoding="utf-8")
    (tmp_path / "err.txt").write_text(stderr, encoding="utf-8")
    script = tmp_path / "dvc"
    script.write_text(
        f"#!/bin/sh\ncat '{tmp_path / 'out.txt'}'\ncat '{tmp_path / 'err.txt'}' >&2\nexit {code}\n"
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return script


def run_script(tmp_path: Path, stdout: str, stderr: str = "", code: int = 0):
    env = {**os.environ, "DVC": str(fake_dvc(tmp_path, stdout, stderr, code))}
    return subprocess.run(
        [sys.executable, str(SCRIPT)], env=env, capture_output=True, text=True, check=False
    )


def test_the_hints_are_left_out_and_everything_else_passes(tmp_path: Path):
    result = run_script(tmp_path, DVC_OUTPUT)
    assert result.returncode == 0
    assert result.stdout == (
        "Running stage 'report':\n> tema report --quiet\n"
        "3 700 innspill, 370 usikre; rapport → reports/report.html\n\n"
        "Updating lock file 'dvc.lock'\n"
    )


def test_errors_and_the_exit_code_of_dvc_stay(tmp_path: Path):
    error = "ERROR: failed to reproduce 'train': failed to run: tema train, exited with 1\n"
    result = run_script(tmp_path, "Running stage 'train':\n", "error: bad labels\n" + error, 1)
    assert result.returncode == 1
    assert "error: bad labels" in result.stderr and error in result.stderr
    assert result.stdout == "Running stage 'train':\n"


def test_make_run_prints_the_table_once():
    commands = subprocess.run(
        ["make", "-n", "run", "STAMP=Makefile"], cwd=REPO, capture_output=True, text=True,
        check=True,
    ).stdout  # fmt: skip
    assert "scripts/repro.py" in commands and "dvc repro" not in commands
    assert commands.count("tema report --show") == 1
    dvc_yaml = (REPO / "dvc.yaml").read_text(encoding="utf-8")
    assert "cmd: tema report --quiet" in dvc_yaml  # so the stage prints no table
