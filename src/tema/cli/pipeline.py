"""Commands for the stages of a batch: ingest, segment, classify, report."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    import pandas as pd

from tema.cli.common import (
    QuietOption,
    config_of,
    counted,
    fail,
    noun,
    print_table,
    run_stage,
    say,
    session,
    style,
)


def ingest(
    ctx: typer.Context,
    raw_dir: Annotated[
        Path | None, typer.Argument(help="Folder of raw documents (default ingest.raw_dir).")
    ] = None,
    manifest: Annotated[
        Path | None,
        typer.Option(
            help="CSV/XLSX with file, meeting, region, date "
            "(default: the folder's manifest.csv or manifest.xlsx)."
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            help="Documents file to write (JSON lines); skipped.csv goes beside it.",
        ),
    ] = None,
    skipped: Annotated[
        Path | None,
        typer.Option(help="List of skipped files to write (default: skipped.csv beside -o)."),
    ] = None,
    quiet: QuietOption = False,
) -> None:
    """Read raw documents (.txt .md .pdf .docx .csv .xlsx) with where they came from.

    Without -o it writes the pipeline's files (ingest.documents, ingest.skipped); with
    -o, skipped.csv goes beside the -o file, never into the pipeline's.
    """
    from tema.ingest import stage as stage

    result = run_stage(stage.run, config_of(ctx), raw_dir, manifest, output, skipped, quiet=quiet)
    say(
        ctx,
        "ingested",
        documents=counted(ctx, result.documents, "document"),
        output=result.output,
    )
    if result.skipped:
        say(
            ctx,
            "ingest_skipped",
            files=counted(ctx, len(result.skipped), "file"),
            path=result.skipped_path,
            names=", ".join(Path(item.file).name for item in result.skipped),
        )


def segment(
    ctx: typer.Context,
    files: Annotated[
        list[Path] | None,
        typer.Argument(help="Text files to segment; default: the ingested documents."),
    ] = None,
    documents: Annotated[
        Path | None, typer.Option(help="Documents file written by `tema ingest`.")
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            help="Units CSV to write; without it, FILEs' units are printed, --documents' "
            "units go to units.csv beside them, the pipeline's to segment.units.",
        ),
    ] = None,
    spacy_model: Annotated[str | None, typer.Option(help="spaCy pipeline name or path.")] = None,
    jobs: Annotated[
        int | None, typer.Option(help="Worker processes (0: all cores; default segment.jobs).")
    ] = None,
    quiet: QuietOption = False,
) -> None:
    """Cut documents into units (sentences, bullet items, headings) with offsets."""
    from tema.segment import stage as stage

    result = run_stage(
        stage.run,
        config_of(ctx),
        files,
        documents,
        output,
        spacy_model,
        jobs,
        quiet=quiet,
        language=session(ctx).language,
    )
    if result.table is not None:
        print_table(result.table[["doc", "unit", "start", "end", "kind", "text"]])
        return
    say(
        ctx,
        "segmented",
        units=counted(ctx, result.units, "unit"),
        documents=counted(ctx, result.documents, "document"),
        output=result.output,
    )


def classify(
    ctx: typer.Context,
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Files to classify: text (.txt .md .pdf .docx: segmented into units), "
            "tables (.csv .tsv .xlsx: one unit per row) or a units.csv of `tema segment`; "
            "default: the segmented units of the batch (segment.units)."
        ),
    ] = None,
    text_column: Annotated[
        str | None,
        typer.Option(
            help="For .csv/.tsv/.xlsx input: the column holding the text, one unit per row "
            "(default: the first of params ingest.text_columns the table has)."
        ),
    ] = None,
    sheet: Annotated[
        str | None,
        typer.Option(
            help="For .xlsx input: the sheet to read, in every workbook named "
            "(default: the first visible sheet)."
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o", "--output", help="CSV to write; without it (and with FILEs), a table is printed."
        ),
    ] = None,
    model: Annotated[
        Path | None, typer.Option(help="Model file (default from params.yaml).")
    ] = None,
    jobs: Annotated[
        int | None, typer.Option(help="Worker processes (0: all cores; default classify.jobs).")
    ] = None,
    quiet: QuietOption = False,
) -> None:
    """Give each unit a theme, a confidence, a possible second theme and an uncertain flag.

    Reads .txt, .md, .pdf, .docx (segmented into units) and .csv, .tsv, .xlsx tables (one
    unit per row of --text-column, from the --sheet of a workbook).
    """
    from tema.classify import inputs
    from tema.classify import stage as stage

    if sheet is not None:
        _check_sheet_option(files or [])
    config = config_of(ctx)
    units = inputs.unit_chunks(config, files, text_column, sheet) if files else None
    if units is not None and output is None:
        print_table(run_stage(stage.classify_frame, config, units, model))
        return
    from tema.progress import progress

    def watch(chunks: Iterable[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        return progress(chunks, "classify", None, quiet, unit=noun(ctx, "unit"), weight=len)

    result = run_stage(
        stage.run,
        config,
        units=units,
        output=output,
        model=model,
        jobs=jobs,
        watch=watch,
        sources=files or (),
    )
    say(ctx, "classified", units=counted(ctx, result.count, "unit"), output=result.output)


def _check_sheet_option(files: list[Path]) -> None:
    """--sheet with no workbook to read it from would be ignored: the user meant a file
    that is not there (or the pipeline's units, which have no sheets)."""
    from tema.errors import TemaError
    from tema.io.tables import EXCEL_SUFFIXES

    if not any(path.suffix.lower() in EXCEL_SUFFIXES for path in files):
        fail(TemaError("--sheet names a sheet of an .xlsx file, and no FILE given is one"))


def report(
    ctx: typer.Context,
    language: Annotated[
        str | None,
        typer.Option(
            help="Report language: nb (bokmål) or en.",
            show_default="tema --language, else report.language in params.yaml",
        ),
    ] = None,
    show: Annotated[
        bool, typer.Option("--show", help="Only print the counts of the last report.")
    ] = False,
    compare: Annotated[
        tuple[Path, Path] | None,
        typer.Option(
            help="Compare two reports (folders or theme_counts.csv), e.g. reports-2017 "
            "reports-2018: change in theme shares with 95% intervals."
        ),
    ] = None,
    out_dir: Annotated[
        Path | None,
        typer.Option(
            help="Folder to write into (default: report.out_dir, or "
            "report.compare_dir with --compare)."
        ),
    ] = None,
    quiet: Annotated[
        bool,
        typer.Option(
            "--quiet",
            "-q",
            help="Only the closing line: no progress bar and no count table (the DVC stage; "
            "`make run` prints the table once, with --show).",
        ),
    ] = False,
) -> None:
    """Count themes per document, meeting and region; write CSV, Excel and HTML reports."""
    from tema.report import stage as stage

    config = config_of(ctx)
    language = language or session(ctx).language
    result = run_stage(
        stage.run,
        config,
        language=language,
        out_dir=out_dir,
        compare=compare,
        show=show,
        quiet=quiet,
    )
    session(ctx).language = language
    if result.mode != "report" or not quiet:
        # The DVC stage is quiet: `make run` prints the table once, at the end, with --show.
        typer.echo(result.table)
        typer.echo()
    closing = {"report": "reported", "show": "report_at", "compare": "compared"}[result.mode]
    say(
        ctx,
        closing,
        units=counted(ctx, result.n_units, "input"),
        uncertain=style(ctx).num(result.n_uncertain),
        **result.files,
    )
