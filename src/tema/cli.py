"""The `tema` command: one subcommand per pipeline stage, each a thin wrapper.

Stage name = module name = subcommand = DVC stage. Paths default to params.yaml, which
is read once per command; dvc.yaml passes them explicitly.
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer

from tema.errors import TemaError

app = typer.Typer(
    help="tema sorts Norwegian meeting input into themes and counts them.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# Keys of params.yaml's `segment:` section passed on to tema.segment.segment_documents.
SEGMENT_OPTIONS = ("lexicon", "max_heading_words", "max_unit_chars", "batch_size")

ParamsOption = Annotated[Path, typer.Option("--params", help="The parameter file to read.")]


def _context(ctx: typer.Context) -> dict[str, Any]:
    return ctx.obj


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    typer.echo(f"warning: {message}", err=True)


@app.callback()
def main(ctx: typer.Context, params: ParamsOption = Path("params.yaml")) -> None:
    """Read the parameters once and report errors without tracebacks."""
    from tema.params import load_params

    warnings.showwarning = _show_warning
    try:
        ctx.obj = {"params": load_params(params), "params_path": params}
    except TemaError as error:
        _fail(error)


def _fail(error: Exception) -> None:
    typer.echo(f"error: {error}", err=True)
    raise typer.Exit(code=1)


def _setting(ctx: typer.Context, stage: str, key: str | None) -> Any:
    """One setting of a stage (the whole section when `key` is None)."""
    from tema.params import section

    settings = section(ctx.obj["params"], stage, ctx.obj["params_path"])
    return settings if key is None else settings[key]


def _run(function, *args, **kwargs):
    """Run a stage; a TemaError (bad input, bad model) becomes a one-line message."""
    try:
        return function(*args, **kwargs)
    except TemaError as error:
        _fail(error)


@app.command()
def ingest(
    ctx: typer.Context,
    raw_dir: Annotated[Path | None, typer.Argument(help="Folder of raw documents.")] = None,
    manifest: Annotated[
        Path | None, typer.Option(help="CSV with file, meeting, region, date.")
    ] = None,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Documents file to write (JSON lines).")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Read raw documents (.txt .md .pdf .docx .csv .xlsx) with where they came from."""
    from tema import ingest as stage
    from tema.files import write_csv

    settings = ctx.obj["params"].get("ingest") or {}
    raw_dir = raw_dir or Path(_setting(ctx, "ingest", "raw_dir"))
    manifest = manifest or Path(_setting(ctx, "ingest", "manifest"))
    output = output or Path(_setting(ctx, "ingest", "documents"))
    text_columns = settings.get("text_columns") or list(stage.readers.DEFAULT_TEXT_COLUMNS)
    skipped: list = []
    documents = stage.ingest(
        raw_dir, manifest, text_columns=text_columns, skipped=skipped, quiet=quiet
    )
    count = _run(stage.write_documents, documents, output)
    skipped_path = Path(settings.get("skipped") or output.with_name("skipped.csv"))
    write_csv(pd.DataFrame(skipped, columns=["file", "reason"]), skipped_path)
    typer.echo(f"{count} documents → {output}")
    if skipped:
        typer.echo(
            f"{len(skipped)} file(s) skipped (listed in {skipped_path}): "
            + ", ".join(Path(item.file).name for item in skipped)
        )


@app.command()
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
        typer.Option("-o", "--output", help="Units CSV to write; without it, units are printed."),
    ] = None,
    spacy_model: Annotated[str | None, typer.Option(help="spaCy pipeline name or path.")] = None,
) -> None:
    """Cut documents into units (sentences, bullet items, headings) with offsets."""
    from tema import ingest as reading
    from tema import segment as stage
    from tema.files import write_csv

    nlp = _run(_load_pipeline, spacy_model or _setting(ctx, "segment", "spacy_model"))
    if files:
        source = reading.documents_from_files(files)
    else:
        source = reading.read_documents(documents or Path(_setting(ctx, "ingest", "documents")))
    pairs = stage.segment_ingested(source, nlp, **_segment_options(ctx))
    units = _run(stage.units_to_frame, pairs)
    if output is None and files:
        _print_table(units[["doc", "unit", "start", "end", "kind", "text"]])
        return
    output = output or Path(_setting(ctx, "segment", "units"))
    write_csv(units, output)
    typer.echo(f"{len(units)} units from {units['doc'].nunique()} documents → {output}")


def _segment_options(ctx: typer.Context) -> dict[str, Any]:
    """The segmentation settings of params.yaml that `segment_documents` takes."""
    settings = _setting(ctx, "segment", None)
    return {key: settings[key] for key in SEGMENT_OPTIONS if key in settings}


def _load_pipeline(name: str):
    from tema.segment import load_pipeline

    try:
        return load_pipeline(name)
    except (OSError, ValueError) as error:
        raise TemaError(str(error)) from error


@app.command()
def train(
    ctx: typer.Context,
    labeled_dir: Annotated[Path | None, typer.Option(help="Folder of labelled CSV files.")] = None,
    model: Annotated[Path | None, typer.Option(help="Model file to write.")] = None,
) -> None:
    """Train the theme classifier on the labelled units and save it with its model card."""
    from tema import train as stage
    from tema.files import write_csv
    from tema.labels import load_labeled
    from tema.model import save_model
    from tema.params import section, themes_from

    settings = section(ctx.obj["params"], "train", ctx.obj["params_path"])
    theme_ids = [t.id for t in _run(themes_from, ctx.obj["params"], ctx.obj["params_path"])]
    labeled = _run(load_labeled, labeled_dir or Path(settings["labeled_dir"]), theme_ids)
    fitted, oof = stage.train(labeled, theme_ids, settings)
    model = model or Path(settings["model"])
    write_csv(oof, settings["cv_predictions"])
    save_model(fitted, model)
    cv = fitted.card["cross_validation"]
    typer.echo(
        f"trained on {len(labeled)} units; cross-validated macro-F1 "
        f"{cv['macro_f1']['value']:.3f} ({cv['macro_f1']['ci_low']:.3f}–"
        f"{cv['macro_f1']['ci_high']:.3f}); model → {model}"
    )


@app.command()
def evaluate(ctx: typer.Context) -> None:
    """Write metrics and plot data (confusion, calibration, learning curve) to metrics/."""
    from tema import evaluate as stage
    from tema.files import write_csv, write_json
    from tema.labels import load_labeled
    from tema.model import card_path_for
    from tema.params import section, themes_from

    settings = section(ctx.obj["params"], "train", ctx.obj["params_path"])
    out = Path(_setting(ctx, "evaluate", "metrics_dir"))
    theme_ids = [t.id for t in _run(themes_from, ctx.obj["params"], ctx.obj["params_path"])]
    oof = pd.read_csv(settings["cv_predictions"], keep_default_na=False)
    card = _read_card(card_path_for(settings["model"]))
    labeled = _run(load_labeled, Path(settings["labeled_dir"]), theme_ids)
    write_json(stage.evaluate(oof, card, theme_ids), out / "metrics.json")
    write_csv(stage.confusion_rows(oof), out / "confusion.csv")
    write_csv(stage.calibration_rows(oof), out / "calibration.csv")
    curve = stage.learning_curve(
        labeled, theme_ids, settings, _setting(ctx, "evaluate", "learning_curve_fractions")
    )
    write_csv(curve, out / "learning_curve.csv")
    typer.echo(f"metrics → {out}/metrics.json; plots → {out}/*.csv (dvc plots show)")


def _read_card(path: Path) -> dict:
    import json

    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        _fail(TemaError(f"{path}: cannot read the model card ({error})"))


@app.command()
def classify(
    ctx: typer.Context,
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Text files, or CSV/TSV tables with --text-column; default: the segmented units."
        ),
    ] = None,
    text_column: Annotated[
        str | None,
        typer.Option(help="For CSV/TSV input: the column holding the text, one unit per row."),
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
) -> None:
    """Give each unit a theme, a confidence, a possible second theme and an uncertain flag."""
    from tema import classify as stage
    from tema.files import write_csv
    from tema.model import load_model

    if files:
        units = _run(_units_from_files, ctx, files, text_column)
    else:
        units = _run(_read_csv, Path(_setting(ctx, "segment", "units")))
    fitted = _run(load_model, model or Path(_setting(ctx, "train", "model")))
    classified = stage.classify_units(units, fitted)
    if output is None and files:
        _print_table(classified[list(stage.OUTPUT_COLUMNS)])
        return
    output = output or Path(_setting(ctx, "classify", "classified"))
    write_csv(classified, output)
    typer.echo(f"{len(classified)} units classified → {output}")


def _units_from_files(
    ctx: typer.Context, files: list[Path], text_column: str | None
) -> pd.DataFrame:
    """Units of the files in the order given: tables one unit per row, text segmented."""
    from tema import classify as stage
    from tema import ingest as reading
    from tema import segment as segmenting
    from tema.readers import TABLE_SUFFIXES

    nlp = None
    frames = []
    for path in files:
        if path.suffix.lower() in TABLE_SUFFIXES:
            if not text_column:
                raise TemaError(f"{path}: a table needs --text-column NAME (its text column)")
            frames.append(stage.read_table_units(path, text_column))
            continue
        nlp = nlp or _load_pipeline(_setting(ctx, "segment", "spacy_model"))
        pairs = segmenting.segment_ingested(
            reading.documents_from_files([path]), nlp, **_segment_options(ctx)
        )
        frames.append(segmenting.units_to_frame(pairs))
    return pd.concat(frames, ignore_index=True)


def _read_csv(path: Path) -> pd.DataFrame:
    try:
        return pd.read_csv(path, keep_default_na=False, na_values={"repeat_of": [""]})
    except (OSError, pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        raise TemaError(f"{path}: cannot be read ({error})") from error


@app.command()
def report(
    ctx: typer.Context,
    language: Annotated[
        str | None, typer.Option(help="Report language: nb (bokmål) or en.")
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
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Count themes per document, meeting and region; write CSV, Excel and HTML reports."""
    from tema import ingest as reading
    from tema import report as stage
    from tema.files import atomic_write
    from tema.params import section, themes_from
    from tema.report_words import TEXTS

    settings = section(ctx.obj["params"], "report", ctx.obj["params_path"])
    language = language or settings["language"]
    if language not in TEXTS:
        _fail(TemaError(f"unknown language {language!r}; use nb or en"))
    themes = _run(themes_from, ctx.obj["params"], ctx.obj["params_path"])
    if compare:
        from tema.compare import format_compare_table, write_comparison

        target = out_dir or Path(settings.get("compare_dir", "reports_compare"))
        table, old, new = _run(write_comparison, compare[0], compare[1], target, themes, language)
        typer.echo(format_compare_table(table, themes, old, new, language))
        typer.echo(f"\ncomparison → {target / 'compare.html'} (table: {target / 'compare.csv'})")
        return
    out = out_dir or Path(settings["out_dir"])
    if show:
        counts = _run(_read_csv, out / "theme_counts.csv")
        typer.echo(stage.format_count_table(counts, themes, language))
        typer.echo(f"\nreport → {out / 'report.html'}")
        return
    from tema.model import card_path_for
    from tema.report_html import render_html
    from tema.report_xlsx import write_xlsx

    theme_ids = [t.id for t in themes]
    confusion = _run(_confusion, Path(_setting(ctx, "train", "cv_predictions")), theme_ids)
    documents = reading.read_documents(Path(_setting(ctx, "ingest", "documents")))
    summary = _run(
        stage.build_report,
        Path(_setting(ctx, "classify", "classified")),
        documents,
        out,
        theme_ids,
        settings["counted_kinds"],
        confusion,
        settings["examples_per_theme"],
        settings.get("review_limit", 200),
        quiet=quiet,
    )
    skipped_path = Path(
        (ctx.obj["params"].get("ingest") or {}).get("skipped")
        or Path(_setting(ctx, "ingest", "documents")).with_name("skipped.csv")
    )
    if skipped_path.is_file():
        summary.skipped = _run(_read_csv, skipped_path).to_dict("records")
    card = _read_card(card_path_for(_setting(ctx, "train", "model")))
    with atomic_write(out / "report.html") as handle:
        handle.write(render_html(summary, themes, card, language))
    uncertain = stage.uncertain_units(out / "units.csv")
    write_xlsx(out / "report.xlsx", summary, themes, card, language, uncertain)
    typer.echo(stage.format_count_table(summary.counts, themes, language))
    typer.echo(
        f"\n{summary.n_units} units, {summary.n_uncertain} uncertain; report → "
        f"{out / 'report.html'}, {out / 'report.xlsx'} (tables: {out / 'theme_counts.csv'}, "
        f"{out / 'units.csv'})"
    )


def _confusion(path: Path, theme_ids: list[str]) -> pd.DataFrame | None:
    """P(predicted | true) from the cross-validated predictions; None (with a warning) if absent."""
    from tema.report import confusion_from_cv

    if not path.is_file():
        warnings.warn(f"{path}: not found; the report has no adjusted shares", stacklevel=2)
        return None
    oof = pd.read_csv(path, usecols=["label", "theme"], dtype=str, keep_default_na=False)
    return confusion_from_cv(oof, theme_ids)


def _print_table(frame: pd.DataFrame) -> None:
    with pd.option_context(
        "display.max_rows", None, "display.max_colwidth", 80, "display.width", 200
    ):
        typer.echo(frame.to_string(index=False))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
