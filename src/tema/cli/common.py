"""What every command shares: its options, the typed config, and how it speaks and fails.

The group callback (`tema.cli.main.main`) leaves a `Session` in ``ctx.obj``: the config read
once from params.yaml and the language of the closing lines. Closing lines are Norwegian
bokmål or English (`tema.messages`); warnings and errors stay English (see there).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, TypeVar

import typer

from tema.config import Config
from tema.errors import TemaError

if TYPE_CHECKING:
    import pandas as pd

    from tema.numbers import Style

T = TypeVar("T")

QuietOption = Annotated[
    bool,
    typer.Option(
        "--quiet", "-q", help="No progress bar (there is none off a terminal or with CI set)."
    ),
]


@dataclass
class Session:
    """What the group callback read for the command that runs."""

    config: Config
    params_path: Path
    language: str


def session(ctx: typer.Context) -> Session:
    obj = ctx.find_root().obj
    assert isinstance(obj, Session), "the tema callback sets the session before any command"
    return obj


def config_of(ctx: typer.Context) -> Config:
    return session(ctx).config


def fail(error: Exception) -> NoReturn:
    typer.echo(f"error: {error}", err=True)
    raise typer.Exit(code=1)


def run_stage(function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run a stage; a TemaError (bad input, bad model) becomes a one-line message."""
    try:
        return function(*args, **kwargs)
    except TemaError as error:
        fail(error)


def message(ctx: typer.Context, key: str, **values: Any) -> str:
    """A closing message in the chosen language (tema.messages)."""
    from tema.messages import MESSAGES

    return MESSAGES[session(ctx).language][key].format(**values)


def say(ctx: typer.Context, key: str, **values: Any) -> None:
    typer.echo(message(ctx, key, **values))


def counted(ctx: typer.Context, count: int, noun: str) -> str:
    from tema.messages import counted as counted_noun

    return counted_noun(count, noun, session(ctx).language)


def noun(ctx: typer.Context, name: str) -> str:
    """The plural of a counted noun, for progress bars."""
    from tema.messages import NOUNS

    return NOUNS[session(ctx).language][name][1]


def style(ctx: typer.Context) -> Style:
    """The number style of the chosen language, for the terminal."""
    from tema.numbers import Style

    return Style(session(ctx).language)


def print_table(frame: pd.DataFrame) -> None:
    import pandas as pd

    with pd.option_context(
        "display.max_rows", None, "display.max_colwidth", 80, "display.width", 200
    ):
        typer.echo(frame.to_string(index=False))
