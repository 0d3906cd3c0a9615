"""The layout keeps its promises: no import cycle, small modules, and dvc.yaml deps that are
exactly the source files each stage runs.

The import graph is read from the source with `ast` (nothing is imported). An import counts
wherever it is written, at the top of a module or inside a function (tema imports heavy
libraries lazily), except under `if TYPE_CHECKING:`, which never runs. Two kinds of module
are followed through their top-level imports only, because their functions reach code the
stage does not run: the CLI's command-group files (each function is another command) and
the root package (`tema.__getattr__` loads the classifier only when asked for it).
"""

from __future__ import annotations

import ast
import graphlib
from functools import cache
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
SRC = REPO / "src"
PACKAGE = SRC / "tema"
MAX_MODULE_LINES = 400

# The module whose `run` each dvc stage's command calls.
STAGE_ENTRY = {
    "senter": "tema.segment.senter",
    "ingest": "tema.ingest.stage",
    "segment": "tema.segment.stage",
    "train": "tema.train.stage",
    "evaluate": "tema.train.evaluate",
    "classify": "tema.classify.stage",
    "report": "tema.report.stage",
}
# What every command runs before its stage: the app, its callback and shared helpers.
COMMAND_FRAME = "tema.cli.main"
TOP_LEVEL_ONLY = {"tema", "tema.cli.pipeline", "tema.cli.models", "tema.cli.labels"}
TOP_LEVEL_ONLY |= {"tema.cli.serve"}


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def modules() -> dict[str, Path]:
    return {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _resolve(name: str) -> str | None:
    """The module a dotted import name refers to (a module, or a name inside one)."""
    while name and name not in modules():
        name = name.rpartition(".")[0]
    return name or None


@cache
def imports_of(module: str, top_level_only: bool = False) -> frozenset[str]:
    """The tema modules `module` imports (package __init__ files it passes through aside)."""
    path = modules()[module]
    found: set[str] = set()

    def visit(node: ast.AST, top: bool) -> None:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            return
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            assert not node.level, f"{path}: relative import; tema uses absolute imports"
            names = [f"{node.module}.{alias.name}" for alias in node.names]
        if top or not top_level_only:
            for name in names:
                target = _resolve(name) if name.split(".")[0] == "tema" else None
                if target and target != module:
                    found.add(target)
        inside = isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        for child in ast.iter_child_nodes(node):
            visit(child, top and not inside)

    visit(ast.parse(path.read_text(encoding="utf-8")), True)
    return frozenset(found)


def closure(start: str) -> set[str]:
    seen: set[str] = set()
    todo = [start]
    while todo:
        current = todo.pop()
        if current not in seen:
            seen.add(current)
            todo.extend(imports_of(current, current in TOP_LEVEL_ONLY))
    return seen


def source_files(names: set[str]) -> set[str]:
    """As dvc.yaml lists them: package __init__ files (docstrings only) left out."""
    paths = {modules()[name] for name in names}
    return {
        path.relative_to(REPO).as_posix()
        for path in paths
        if path.name != "__init__.py" or path.parent == PACKAGE
    }


def stage_runs(stage: str) -> set[str]:
    return source_files(closure(COMMAND_FRAME) | closure(STAGE_ENTRY[stage]))


def _stages() -> dict[str, dict]:
    return yaml.safe_load((REPO / "dvc.yaml").read_text(encoding="utf-8"))["stages"]


def test_no_import_cycle():
    graph = {module: set(imports_of(module)) for module in modules()}
    try:
        tuple(graphlib.TopologicalSorter(graph).static_order())
    except graphlib.CycleError as error:
        pytest.fail(f"import cycle: {' → '.join(error.args[1])}")


def test_the_cycle_check_sees_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}}
    with pytest.raises(graphlib.CycleError):
        tuple(graphlib.TopologicalSorter(graph).static_order())


def test_package_inits_hold_no_imports():
    # Importing tema.classify (to reach tema.classify.card, say) must not load the stage.
    for module, path in modules().items():
        if path.name == "__init__.py" and module != "tema":
            assert not imports_of(module), f"{path} imports {sorted(imports_of(module))}"


def test_no_module_is_over_the_size_limit():
    long = {
        path.relative_to(REPO).as_posix(): lines
        for path in modules().values()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert not long, f"modules over {MAX_MODULE_LINES} lines: {long}"


def test_every_stage_has_an_entry_module():
    assert set(_stages()) == set(STAGE_ENTRY)


@pytest.mark.parametrize("stage", sorted(STAGE_ENTRY))
def test_dvc_deps_are_the_source_files_the_stage_runs(stage: str):
    # Source files only: a stage's data deps (the report's templates folder) are its own.
    deps = _stages()[stage]["deps"]
    listed = {dep for dep in deps if str(dep).startswith("src/") and str(dep).endswith(".py")}
    runs = stage_runs(stage)
    assert not runs - listed, f"dvc.yaml stage {stage!r} misses {sorted(runs - listed)}"
    assert not listed - runs, f"dvc.yaml stage {stage!r} lists {sorted(listed - runs)}"


def test_the_deps_check_follows_imports_inside_functions():
    # The classify stage loads the full model (and with it the e5 encoder) lazily, only for
    # a cascade model; a change to either must still rerun classify.
    runs = stage_runs("classify")
    assert "src/tema/classify/model.py" in runs
    assert "src/tema/classify/embeddings.py" in runs
    assert "src/tema/segment/stage.py" not in runs


@pytest.mark.parametrize("stage", sorted(STAGE_ENTRY))
def test_dvc_params_are_single_keys(stage: str):
    # A whole section as a param reruns the stage when an unrelated key (jobs) changes.
    # `themes` is a top-level list: it has no keys to name.
    for param in _stages()[stage].get("params", []):
        assert param == "themes" or "." in str(param), f"{stage}: {param!r} is a whole section"
