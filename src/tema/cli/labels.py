"""Commands of the labelling rounds: suggest, labels import|audit|agreement."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from tema.cli.common import config_of, counted, message, print_table, run_stage, say, session

if TYPE_CHECKING:
    from tema.labels.conflicts import Decisions
    from tema.labels.importing import ImportResult


def suggest(
    ctx: typer.Context,
    n: Annotated[int | None, typer.Option("-n", help="How many units to suggest.")] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            help="CSV to write; an .xlsx and a Label Studio .labelstudio.json go beside it.",
        ),
    ] = None,
    model: Annotated[
        Path | None,
        typer.Option(
            help="Model whose id the Label Studio predictions carry (default from "
            "params.yaml); the guesses are those of `tema classify`."
        ),
    ] = None,
    overwrite: Annotated[
        bool,
        typer.Option(help="Replace the files of an earlier round (and any labels in them)."),
    ] = False,
) -> None:
    """Pick unlabelled units worth labelling next (uncertain, varied, spread out)."""
    from tema.labels import suggest as stage

    result = run_stage(
        stage.run, config_of(ctx), n=n, output=output, model=model, overwrite=overwrite
    )
    files = result.files
    say(ctx, "suggested", units=counted(ctx, len(result.suggestions), "input"), **files)


def labels_import(
    ctx: typer.Context,
    file: Annotated[
        Path, typer.Argument(help="CSV/XLSX (text, label), Label Studio .json or doccano .jsonl.")
    ],
    annotator: Annotated[
        str | None,
        typer.Option(help="Who labelled the file (not needed for the conflicts file)."),
    ] = None,
) -> None:
    """Add an annotator's labels to data/labeled/ as a new file; never overwrites a label.
    FILE the conflicts file (labels.conflicts): apply the decisions filled in there."""
    from tema.labels import importing

    result = run_stage(importing.run, config_of(ctx), file, annotator)
    if result.decisions is not None:
        typer.echo(decisions_summary(ctx, result.decisions))
        return
    typer.echo(import_summary(ctx, file, result))


def decisions_summary(ctx: typer.Context, decisions: Decisions) -> str:
    """The decisions applied from the conflicts file: a closing line, then each changed label."""
    undecided = counted(ctx, decisions.undecided, "conflict")
    if not decisions.decided:
        return message(ctx, "decisions_none", path=decisions.path, undecided=undecided)
    line = message(
        ctx,
        "decisions",
        path=decisions.path,
        decisions=counted(ctx, decisions.decided, "decision"),
        changed=counted(ctx, len(decisions.changed), "label"),
        kept=counted(ctx, decisions.kept, "label"),
        log=decisions.log,
        undecided=undecided,
    )
    changes = [f"  {unit} ({where}): {old} → {new}" for unit, where, old, new in decisions.changed]
    return "\n".join([line, *changes])


def import_summary(ctx: typer.Context, file: Path, result: ImportResult) -> str:
    """What an import added, skipped and found in conflict, in the session's language."""
    written = ""
    if result.written is not None:
        written = message(ctx, "imported_to", path=result.written, batch=result.batch)
    unlabelled = ""
    if result.unlabelled:
        unlabelled = message(
            ctx, "imported_unlabelled", rows=counted(ctx, result.unlabelled, "row")
        )
    conflicts = message(ctx, "imported_no_conflicts")
    new = len(result.conflicts) - result.conflicts_known
    if new:
        conflicts = message(
            ctx,
            "imported_conflicts",
            conflicts=counted(ctx, new, "conflict"),
            path=result.conflicts_path,
        )
        if result.conflicts_known:
            conflicts += message(
                ctx,
                "imported_conflicts_also_known",
                known=counted(ctx, result.conflicts_known, "conflict"),
            )
    elif result.conflicts_known:  # the same file again: nothing added to the conflicts file
        conflicts = message(
            ctx,
            "imported_conflicts_known",
            conflicts=counted(ctx, result.conflicts_known, "conflict"),
            path=result.conflicts_path,
        )
    return message(
        ctx,
        "imported",
        file=file,
        added=counted(ctx, len(result.added), "new_labelled"),
        written=written,
        already=counted(ctx, result.already_labelled, "input"),
        unlabelled=unlabelled,
        conflicts=conflicts,
    )


def labels_audit(
    ctx: typer.Context,
    cv_predictions: Annotated[
        Path | None,
        typer.Option(help="Out-of-fold predictions (default: train.cv_predictions)."),
    ] = None,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Review CSV.")] = None,
) -> None:
    """Flag likely mislabelled units (confident learning on out-of-fold predictions)."""
    from tema.labels import audit

    config = config_of(ctx)
    result = run_stage(audit.run, config, cv_predictions=cv_predictions, output=output)
    flagged = result.flagged
    say(
        ctx,
        "audited",
        flagged=len(flagged),
        audited=counted(ctx, result.n_audited, "labelled"),
        path=result.output,
        labeled=config.train.labeled_dir,
    )
    if len(flagged):
        columns = ["rank", "id", "label", "suggested_label", "p_label", "text"]
        print_table(flagged[columns].head(10))


def labels_agreement(
    ctx: typer.Context,
    first: Annotated[Path, typer.Argument(help="One annotator's file (any import format).")],
    second: Annotated[Path, typer.Argument(help="The other annotator's file.")],
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="CSV of the disagreements.")
    ] = None,
) -> None:
    """Cohen's kappa, overall and per theme, for two annotators' labels of the same units."""
    from tema.config import theme_names
    from tema.labels import agreement

    config = config_of(ctx)
    result = run_stage(agreement.run, config, first, second, output)
    language = session(ctx).language
    files = (first.name, second.name)
    themes = theme_names(config.themes, language)
    typer.echo(agreement.format_agreement(result.table, result.n_units, files, language, themes))
    for path, rows in result.repeated.items():
        say(ctx, "agreement_repeated", file=path.name, rows=counted(ctx, rows, "row"))
    typer.echo(counted(ctx, len(result.disagreements), "disagreement"))
    if result.output is not None:
        say(ctx, "disagreements_at", path=result.output)
