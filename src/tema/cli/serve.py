"""`tema serve`: the browser app (docs/serve.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tema.cli.common import config_of, run_stage, session


def _host_names(names: list[str] | None) -> list[str]:
    """The --allow-host names, checked as params.yaml's `serve.allowed_hosts` is."""
    from tema.config import host_name

    try:
        return [host_name(name) for name in names or ()]
    except ValueError as error:
        raise typer.BadParameter(str(error)) from error


def serve(
    ctx: typer.Context,
    host: Annotated[
        str | None,
        typer.Option(help="Address to listen on; 127.0.0.1: only this computer."),
    ] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on (0: any free port).")] = None,
    data_dir: Annotated[
        Path | None, typer.Option(help="Where the app keeps its batches, jobs and label log.")
    ] = None,
    max_upload_mb: Annotated[
        int | None,
        typer.Option(help="Largest upload (all files of one upload together), in MB."),
    ] = None,
    folder_root: Annotated[
        list[Path] | None,
        typer.Option(
            help="A folder the app may read batches from (repeatable); "
            "default: the project folder and your home folder."
        ),
    ] = None,
    allow_host: Annotated[
        list[str] | None,
        typer.Option(
            "--allow-host",
            metavar="NAME",
            callback=_host_names,
            help="Another name of this computer the app answers to, e.g. kontor-pc "
            "(repeatable); added to serve.allowed_hosts.",
        ),
    ] = None,
) -> None:
    """Start the browser app: put in a batch, read the report, label units, retrain.

    Only this computer can reach it unless --host says otherwise (docs/serve.md).
    """
    from tema.serve.server import run

    run_stage(
        run,
        config_of(ctx),
        host=host,
        port=port,
        data_dir=data_dir,
        max_upload_mb=max_upload_mb,
        folder_roots=folder_root or (),
        allow_hosts=allow_host or (),
        language=session(ctx).language,
    )
