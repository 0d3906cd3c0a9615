"""dvc.yaml's deps of ingest, segment and senter are the source files their commands run.

A stage whose deps miss a file it runs is not rerun when that file changes (its output
goes stale); a dep it does not run reruns it for nothing. The files a command runs are
found by running it (ingest, segment) or, for senter, which trains for a minute, by
following the imports of the code it runs (its own module and what scores the model).
"""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
SRC = REPO / "src"
# Prints the source files of tema that a `tema …` command imported.
IMPORTS_OF = """
import json, os, sys
from tema.cli import app
try:
    app(sys.argv[1:], standalone_mode=False)
finally:
    modules = [m for name, m in list(sys.modules.items()) if name.startswith("tema")]
    print("IMPORTS", json.dumps([m.__file__ for m in modules if getattr(m, "__file__", None)]))
"""


def stage_deps(stage: str) -> set[str]:
    """The source files among a stage's deps in dvc.yaml."""
    deps = yaml.safe_load((REPO / "dvc.yaml").read_text(encoding="utf-8"))["stages"][stage]
    return {dep for dep in deps["deps"] if dep.startswith("src/")}


def as_deps(files: list[str]) -> set[str]:
    """Files as dvc.yaml names them, without the package __init__ files."""
    paths = {Path(file).resolve().relative_to(REPO).as_posix() for file in files}
    return {path for path in paths if not path.endswith("__init__.py")}


def imports_of_command(arguments: list[str], cwd: Path) -> set[str]:
    result = subprocess.run(
        [sys.executable, "-c", IMPORTS_OF, *arguments],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "CI": "true"},
    )
    assert result.returncode == 0, result.stderr
    line = next(line for line in result.stdout.splitlines() if line.startswith("IMPORTS "))
    return as_deps(json.loads(line.removeprefix("IMPORTS ")))


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("deps")
    shutil.copy(REPO / "params.yaml", root / "params.yaml")
    shutil.copytree(REPO / "data" / "raw", root / "data" / "raw")
    return root


def test_ingest_deps_are_what_it_runs(project: Path):
    command = ["ingest", "data/raw", "-o", "data/interim/documents.jsonl"]
    command += ["--skipped", "data/interim/skipped.csv"]
    assert imports_of_command(command, project) == stage_deps("ingest")


def test_segment_deps_are_what_it_runs(project: Path):
    if not (project / "data/interim/documents.jsonl").is_file():
        imports_of_command(["ingest", "data/raw", "-o", "data/interim/documents.jsonl"], project)
    command = ["segment", "--documents", "data/interim/documents.jsonl"]
    command += ["-o", "data/interim/units.csv", "--spacy-model", str(REPO / "models/nb_senter")]
    assert imports_of_command(command, project) == stage_deps("segment")


def module_imports(path: Path, inside_functions: bool) -> set[Path]:
    """Source files of tema that the module at `path` imports when it is imported, and
    with `inside_functions` also in its functions (never those only for type checkers)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[Path] = set()

    def visit(node: ast.AST, top: bool) -> None:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            return
        if isinstance(node, ast.Import | ast.ImportFrom) and (top or inside_functions):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [f"{node.module}.{a.name}" for a in node.names] + [node.module]
            for name in names:
                file = SRC / (name.replace(".", "/") + ".py")
                if name.startswith("tema") and file.is_file():
                    found.add(file)
        for child in ast.iter_child_nodes(node):
            in_function = isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            visit(child, top and not in_function)

    visit(tree, True)
    return found


def test_senter_deps_are_what_it_runs():
    command_frame = imports_of_command(["senter", "--help"], REPO)
    stage = SRC / "tema/segment/senter.py"
    seen: set[Path] = set()
    todo = [stage, *module_imports(stage, inside_functions=True)]
    while todo:
        path = todo.pop()
        if path not in seen:
            seen.add(path)
            todo.extend(module_imports(path, inside_functions=False))
    assert command_frame | as_deps([str(path) for path in seen]) == stage_deps("senter")


def test_params_are_listed_key_by_key():
    stages = yaml.safe_load((REPO / "dvc.yaml").read_text(encoding="utf-8"))["stages"]
    for name in ("ingest", "segment", "senter"):
        assert all("." in key for key in stages[name]["params"]), name
