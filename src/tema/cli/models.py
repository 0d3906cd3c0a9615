"""Commands that make and check models: senter, train, evaluate, compare-models."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tema.cli.common import (
    QuietOption,
    config_of,
    counted,
    message,
    run_stage,
    say,
    session,
    style,
)
from tema.config import theme_names


def senter(
    ctx: typer.Context,
    ud_dir: Annotated[
        Path | None,
        typer.Option(help="Folder with UD Norwegian Bokmål's dev and test .conllu files."),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Folder to save the pipeline in.")
    ] = None,
) -> None:
    """Train the Norwegian sentence recogniser (models/nb_senter) on UD Norwegian Bokmål.

    The dvc stage `senter` is frozen: `make run` never retrains the shipped model; this
    command does (then `dvc commit -f senter`). See docs/segmentation.md.
    """
    import json

    from tema.segment import senter as stage

    result = run_stage(stage.run, config_of(ctx), ud_dir, output)
    typer.echo(json.dumps({"ud_test": result.scores}, indent=2))
    typer.echo(f"senter → {result.model}")


def train(
    ctx: typer.Context,
    labeled_dir: Annotated[Path | None, typer.Option(help="Folder of labelled CSV files.")] = None,
    model: Annotated[Path | None, typer.Option(help="Model file to write.")] = None,
    force: Annotated[
        bool,
        typer.Option("--force", help="Replace the current model even if the new one scores worse."),
    ] = False,
    quiet: QuietOption = False,
) -> None:
    """Train the theme classifier; it replaces the current model only if it is no worse.

    The promotion gate (docs/retraining.md) compares the new model with the current
    one; a worse one is kept aside in promote.candidate_dir and the command still
    succeeds, with the verdict in promote.promotion (metrics/promotion.json).
    """
    from tema.progress import steps
    from tema.train import stage as stage
    from tema.train.verdict import format_verdict

    # Cross-validation and the final fit report no progress of their own: the bar shows
    # which step runs and for how long.
    with steps("train", message(ctx, "train_steps").split("|"), quiet) as done:
        result = run_stage(
            stage.run,
            config_of(ctx),
            labeled_dir=labeled_dir,
            model=model,
            force=force,
            done=done,
        )
    f1 = result.card["cross_validation"]["macro_f1"]
    numbers = style(ctx)
    promoted = result.verdict.promote
    say(
        ctx,
        "trained",
        units=counted(ctx, result.n_labeled, "labelled"),
        f1=numbers.num(f1["value"], 3),
        interval=numbers.dec_range(f1["ci_low"], f1["ci_high"], 3),
        where=message(ctx, "trained_model" if promoted else "trained_aside", path=result.saved_to),
    )
    language = session(ctx).language
    typer.echo(
        format_verdict(
            result.verdict, result.record, language, theme_names(config_of(ctx).themes, language)
        ),
        err=not promoted,
    )


def evaluate(ctx: typer.Context, quiet: QuietOption = False) -> None:
    """Write metrics and plot data (confusion, calibration, learning curve) to metrics/."""
    from tema.train import evaluate as stage

    result = run_stage(stage.run, config_of(ctx), quiet=quiet)
    say(ctx, "evaluated", metrics=result.metrics, plots=f"{result.plots}/*.csv")


def compare_models(
    ctx: typer.Context,
    old: Annotated[Path, typer.Argument(help="Current model card (.card.json) or model file.")],
    new: Annotated[Path, typer.Argument(help="New model card or model file.")],
    on: Annotated[
        Path | None,
        typer.Option(
            help="A labelled CSV neither model trained on: score both on it (needs model files)."
        ),
    ] = None,
) -> None:
    """Per-theme F1 change between two models, with 95% intervals."""
    from tema.train import compare
    from tema.train.verdict import format_comparison

    comparison = run_stage(compare.run, config_of(ctx), old, new, on)
    language = session(ctx).language
    typer.echo(
        format_comparison(comparison, language, theme_names(config_of(ctx).themes, language))
    )
