"""The `tema` app: the group callback that reads params.yaml once, and the commands.

Stage name = module name = subcommand = DVC stage. Paths default to params.yaml, read
once per command into the typed config (`tema.config`); the commands live in one file
per group (`tema.cli.pipeline`, `models`, `labels`, `serve`) and are registered here.
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path
from typing import Annotated, Any, TextIO

import typer

from tema.cli import labels, models, pipeline, serve
from tema.cli.common import Session, fail
from tema.errors import TemaError

# rich_markup_mode=None: click's own help layout, which shows a flag as `--quiet` (typer's
# rich layout writes every option with a type, `--quiet <bool>`).
app = typer.Typer(
    help="tema sorts Norwegian meeting input into themes and counts them.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
labels_app = typer.Typer(
    help="Labelled data: import annotators' files, audit labels, measure agreement.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(labels_app, name="labels")

app.command()(pipeline.ingest)
app.command()(pipeline.segment)
app.command()(models.senter)
app.command()(models.train)
app.command()(models.evaluate)
app.command()(pipeline.classify)
app.command()(pipeline.report)
app.command()(labels.suggest)
labels_app.command("import")(labels.labels_import)
labels_app.command("audit")(labels.labels_audit)
labels_app.command("agreement")(labels.labels_agreement)
app.command("compare-models")(models.compare_models)
app.command()(serve.serve)

# Options whose default comes from params.yaml: (command path, option) → params key.
# `main` writes the value of the params file in use into their --help ([default: ...]).
PARAMS_DEFAULTS: dict[tuple[str, str], str] = {
    ("ingest", "raw_dir"): "ingest.raw_dir",
    ("ingest", "output"): "ingest.documents",
    ("segment", "documents"): "ingest.documents",
    ("segment", "spacy_model"): "segment.spacy_model",
    ("segment", "jobs"): "segment.jobs",
    ("senter", "ud_dir"): "senter.ud_dir",
    ("senter", "output"): "senter.model",
    ("train", "labeled_dir"): "train.labeled_dir",
    ("train", "model"): "train.model",
    ("classify", "model"): "train.model",
    ("classify", "jobs"): "classify.jobs",
    ("report", "language"): "report.language",
    ("report", "out_dir"): "report.out_dir",
    ("suggest", "n"): "labels.suggest_n",
    ("suggest", "output"): "labels.suggestions",
    ("suggest", "model"): "train.model",
    ("labels audit", "cv_predictions"): "train.cv_predictions",
    ("labels audit", "output"): "labels.audit",
    ("serve", "host"): "serve.host",
    ("serve", "port"): "serve.port",
    ("serve", "data_dir"): "serve.data_dir",
    ("serve", "max_upload_mb"): "serve.max_upload_mb",
}

ParamsOption = Annotated[Path, typer.Option("--params", help="The parameter file to read.")]
LanguageOption = Annotated[
    str | None,
    typer.Option(
        "--language",
        envvar="TEMA_LANGUAGE",
        help="Language of the closing messages and the reports: nb (bokmål) or en.",
        show_default="report.language in params.yaml",
    ),
]


def _show_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: TextIO | None = None,
    line: str | None = None,
) -> None:
    typer.echo(f"warning: {message}", err=True)


@app.callback()
def main(
    ctx: typer.Context,
    params: ParamsOption = Path("params.yaml"),
    language: LanguageOption = None,
) -> None:
    """Read the parameters once and report errors without tracebacks."""
    from tema.config import load_config
    from tema.messages import MESSAGES

    warnings.showwarning = _show_warning
    try:
        config = load_config(params)
    except TemaError as error:
        fail(error)
    language = language or config.report.language
    if language not in MESSAGES:
        fail(TemaError(f"unknown language {language!r}; use nb or en"))
    ctx.obj = Session(config=config, params_path=params, language=language)
    _show_params_defaults(ctx.command, ctx.obj)


def _show_params_defaults(command: Any, session: Session, path: str = "") -> None:
    """Put the values of the params file into the --help of the options that default to them.

    The group's callback runs before a subcommand parses its options (and so before its
    --help), so the help shows what this run would really use.
    """
    for param in command.params:
        key = PARAMS_DEFAULTS.get((path, param.name or ""))
        if key is None or not hasattr(param, "show_default"):
            continue
        section, name = key.split(".")
        value = getattr(getattr(session.config, section), name)
        if value not in (None, ""):
            param.show_default = f"{value}, {key} in {session.params_path}"
    for name, sub in (getattr(command, "commands", None) or {}).items():
        _show_params_defaults(sub, session, f"{path} {name}".strip())


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
