"""The `tema` command: one subcommand per pipeline stage, each a thin wrapper.

Stage name = module name = subcommand = DVC stage. Paths default to params.yaml, which
is read once per command; dvc.yaml passes them explicitly.
"""

from __future__ import annotations

import sys
import warnings
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer

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

# Options whose default comes from params.yaml: (command path, option) → params key.
# `main` writes the value of the params file in use into their --help ([default: ...]).
PARAMS_DEFAULTS: dict[tuple[str, str], str] = {
    ("ingest", "raw_dir"): "ingest.raw_dir",
    ("ingest", "manifest"): "ingest.manifest",
    ("ingest", "output"): "ingest.documents",
    ("segment", "documents"): "ingest.documents",
    ("segment", "spacy_model"): "segment.spacy_model",
    ("segment", "jobs"): "segment.jobs",
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
}

# Keys of params.yaml's `segment:` section passed on to tema.segment.stage.segment_documents.
SEGMENT_OPTIONS = ("lexicon", "max_heading_words", "max_unit_chars", "batch_size")

ParamsOption = Annotated[Path, typer.Option("--params", help="The parameter file to read.")]
QuietOption = Annotated[
    bool,
    typer.Option(
        "--quiet", "-q", help="No progress bar (there is none off a terminal or with CI set)."
    ),
]
LanguageOption = Annotated[
    str | None,
    typer.Option(
        "--language",
        envvar="TEMA_LANGUAGE",
        help="Language of the closing messages and the reports: nb (bokmål) or en.",
        show_default="report.language in params.yaml",
    ),
]


def _context(ctx: typer.Context) -> dict[str, Any]:
    return ctx.obj


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    typer.echo(f"warning: {message}", err=True)


@app.callback()
def main(
    ctx: typer.Context,
    params: ParamsOption = Path("params.yaml"),
    language: LanguageOption = None,
) -> None:
    """Read the parameters once and report errors without tracebacks."""
    from tema.config import load_config
    from tema.params import load_params
    from tema.report.words import TEXTS

    warnings.showwarning = _show_warning
    try:
        # The typed config validates the whole file before any stage runs. The raw
        # mapping is what commands not yet moved to `run(config, …)` still read.
        ctx.obj = {
            "config": load_config(params),
            "params": load_params(params),
            "params_path": params,
        }
    except TemaError as error:
        _fail(error)
    language = language or (ctx.obj["params"].get("report") or {}).get("language") or "nb"
    if language not in TEXTS:
        _fail(TemaError(f"unknown language {language!r}; use nb or en"))
    ctx.obj["language"] = language
    _show_params_defaults(ctx)


def _show_params_defaults(ctx: typer.Context) -> None:
    """Put the values of the params file into the --help of the options that default to them.

    The group's callback runs before a subcommand parses its options (and so before its
    --help), so the help shows what this run would really use.
    """

    def walk(command: Any, path: str) -> None:
        for param in command.params:
            key = PARAMS_DEFAULTS.get((path, param.name or ""))
            if key is None or not hasattr(param, "show_default"):
                continue
            stage, name = key.split(".")
            value = (ctx.obj["params"].get(stage) or {}).get(name)
            if value not in (None, ""):
                param.show_default = f"{value}, {key} in {ctx.obj['params_path']}"
        for name, sub in (getattr(command, "commands", None) or {}).items():
            walk(sub, f"{path} {name}".strip())

    walk(ctx.command, "")


def _message(ctx: typer.Context, key: str, **values: Any) -> str:
    """A closing message in the chosen language (tema.messages)."""
    from tema.messages import MESSAGES

    return MESSAGES[ctx.obj["language"]][key].format(**values)


def _say(ctx: typer.Context, key: str, **values: Any) -> None:
    typer.echo(_message(ctx, key, **values))


def _counted(ctx: typer.Context, count: int, noun: str) -> str:
    from tema.messages import counted

    return counted(count, noun, ctx.obj["language"])


def _noun(ctx: typer.Context, noun: str) -> str:
    """The plural of a counted noun, for progress bars."""
    from tema.messages import NOUNS

    return NOUNS[ctx.obj["language"]][noun][1]


def _line_count(path: Path) -> int | None:
    """Lines of a JSON-lines file (its documents), for the progress bar; None if unreadable."""
    try:
        with open(path, "rb") as handle:
            return sum(1 for _ in handle)
    except OSError:
        return None


def _style(ctx: typer.Context):
    """The number style of the chosen language, for the terminal."""
    from tema.numbers import Style

    return Style(ctx.obj["language"])


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
    from tema.io.files import write_csv

    if output is None:
        output = Path(_setting(ctx, "ingest", "documents"))
        skipped = skipped or Path(_setting(ctx, "ingest", "skipped"))
    skipped_path = skipped or output.with_name("skipped.csv")
    raw_dir = raw_dir or Path(_setting(ctx, "ingest", "raw_dir"))
    left_out: list = []
    documents = stage.ingest(
        raw_dir, manifest, text_columns=_text_columns(ctx), skipped=left_out, quiet=quiet
    )
    count = _run(stage.write_documents, documents, output)
    write_csv(pd.DataFrame(left_out, columns=["file", "reason"]), skipped_path)
    _say(ctx, "ingested", documents=_counted(ctx, count, "document"), output=output)
    if left_out:
        _say(
            ctx,
            "ingest_skipped",
            files=_counted(ctx, len(left_out), "file"),
            path=skipped_path,
            names=", ".join(Path(item.file).name for item in left_out),
        )


def _text_columns(ctx: typer.Context) -> list[str]:
    """The survey-table text columns to look for (params ingest.text_columns)."""
    from tema.ingest.readers import DEFAULT_TEXT_COLUMNS

    settings = ctx.obj["params"].get("ingest") or {}
    return list(settings.get("text_columns") or DEFAULT_TEXT_COLUMNS)


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
    from tema import parallel
    from tema.ingest import stage as reading
    from tema.progress import progress
    from tema.segment import stage as stage

    nlp = _run(_load_pipeline, spacy_model or _setting(ctx, "segment", "spacy_model"))
    if files:
        source = reading.documents_from_files(files, _text_columns(ctx))
        total = len(files)
    else:
        documents = documents or Path(_setting(ctx, "ingest", "documents"))
        source = reading.read_documents(documents)
        total = _line_count(documents)
    if output is None and files:
        pairs = stage.segment_ingested(source, nlp, **_segment_options(ctx))
        units = _run(stage.units_to_frame, pairs)
        _print_table(units[["doc", "unit", "start", "end", "kind", "text"]])
        return
    if output is None:
        # Another batch's documents give units beside them, not the pipeline's units.
        output = (
            documents.with_name("units.csv")
            if documents
            else Path(_setting(ctx, "segment", "units"))
        )
    jobs = jobs if jobs is not None else _setting(ctx, "segment", None).get("jobs", 1)
    # Streamed in chunks of documents (over `jobs` processes) straight into the CSV.
    documents_read = 0

    def counted(documents):
        nonlocal documents_read
        for document in documents:
            documents_read += 1
            yield document

    source = progress(source, "segment", total, quiet, unit=_noun(ctx, "document"))
    rows = parallel.segment_stream(counted(source), nlp, jobs, **_segment_options(ctx))
    count = _run(parallel.write_csv_chunks, rows, output, stage.FRAME_COLUMNS)
    _say(
        ctx,
        "segmented",
        units=_counted(ctx, count, "unit"),
        documents=_counted(ctx, documents_read, "document"),
        output=output,
    )


def _segment_options(ctx: typer.Context) -> dict[str, Any]:
    """The segmentation settings of params.yaml that `segment_documents` takes."""
    settings = _setting(ctx, "segment", None)
    options = {key: settings[key] for key in SEGMENT_OPTIONS if key in settings}
    if isinstance(options.get("lexicon"), str) and settings.get("lexicon_cache"):
        from tema.segment.clean import load_lexicon

        options["lexicon"] = _run(
            load_lexicon, options["lexicon"], cache_dir=settings["lexicon_cache"]
        )
    return options


def _load_pipeline(name: str):
    from tema.segment.stage import load_pipeline

    try:
        return load_pipeline(name)
    except (OSError, ValueError) as error:
        raise TemaError(str(error)) from error


@app.command()
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
    from tema.labels.store import load_labeled
    from tema.params import section, themes_from
    from tema.progress import steps
    from tema.train import promote
    from tema.train import stage as stage

    settings = section(ctx.obj["params"], "train", ctx.obj["params_path"])
    gate = ctx.obj["params"].get("promote") or {}
    theme_ids = [t.id for t in _run(themes_from, ctx.obj["params"], ctx.obj["params_path"])]
    labeled = _run(load_labeled, labeled_dir or Path(settings["labeled_dir"]), theme_ids)
    model = model or Path(settings["model"])
    cv_predictions = Path(settings["cv_predictions"])
    # Cross-validation and the final fit happen inside tema.train.stage.train, which reports no
    # progress of its own: the bar shows which step runs and for how long.
    with steps("train", _message(ctx, "train_steps").split("|"), quiet) as done:
        fitted, oof = _run(stage.train, labeled, theme_ids, settings)
        done()
        verdict = _run(
            promote.evaluate_candidate,
            fitted,
            oof,
            labeled,
            theme_ids,
            model,
            cv_predictions,
            gate,
            force=force,
            seed=settings["seed"],
        )
        done()
        record = promote.apply_verdict(verdict, fitted, oof, model, cv_predictions, gate)
        done()
    f1 = fitted.card["cross_validation"]["macro_f1"]
    style = _style(ctx)
    where = (
        ("trained_model", model)
        if verdict.promote
        else ("trained_aside", record["candidate_model"])
    )
    _say(
        ctx,
        "trained",
        units=_counted(ctx, len(labeled), "labelled"),
        f1=style.num(f1["value"], 3),
        interval=style.dec_range(f1["ci_low"], f1["ci_high"], 3),
        where=_message(ctx, where[0], path=where[1]),
    )
    typer.echo(
        promote.format_verdict(verdict, record, ctx.obj["language"]), err=not verdict.promote
    )


@app.command()
def evaluate(ctx: typer.Context, quiet: QuietOption = False) -> None:
    """Write metrics and plot data (confusion, calibration, learning curve) to metrics/."""
    from tema.classify.card import read_card
    from tema.io.files import write_csv, write_json
    from tema.labels.store import load_labeled
    from tema.params import section, themes_from
    from tema.train import evaluate as stage

    settings = section(ctx.obj["params"], "train", ctx.obj["params_path"])
    out = Path(_setting(ctx, "evaluate", "metrics_dir"))
    theme_ids = [t.id for t in _run(themes_from, ctx.obj["params"], ctx.obj["params_path"])]
    oof = pd.read_csv(settings["cv_predictions"], keep_default_na=False)
    card = _run(read_card, settings["model"])
    labeled = _run(load_labeled, Path(settings["labeled_dir"]), theme_ids)
    write_json(stage.evaluate(oof, card, theme_ids), out / "metrics.json")
    write_csv(stage.confusion_rows(oof), out / "confusion.csv")
    write_csv(stage.calibration_rows(oof), out / "calibration.csv")
    curve = stage.learning_curve(
        labeled,
        theme_ids,
        settings,
        _setting(ctx, "evaluate", "learning_curve_fractions"),
        quiet=quiet,
    )
    write_csv(curve, out / "learning_curve.csv")
    _say(ctx, "evaluated", metrics=out / "metrics.json", plots=f"{out}/*.csv")


@app.command()
def classify(
    ctx: typer.Context,
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Files to classify: text (.txt .md .pdf .docx: segmented into units) or "
            "tables (.csv .tsv .xlsx: one unit per row); default: the segmented units of the "
            "batch (segment.units)."
        ),
    ] = None,
    text_column: Annotated[
        str | None,
        typer.Option(
            help="For .csv/.tsv/.xlsx input: the column holding the text, one unit per row "
            "(default: the first of params ingest.text_columns the table has)."
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
    unit per row of --text-column).
    """
    from tema import parallel
    from tema.classify import stage as stage
    from tema.classify.predictor import load_predictor

    if model is not None and not files and output is None:
        _fail(
            TemaError(
                f"--model {model} without -o would overwrite the pipeline's "
                f"{_setting(ctx, 'classify', 'classified')} with another model's themes; "
                "name the output with -o FILE"
            )
        )
    # The model is checked (hashes, versions) and loaded before any input is read: its
    # predictor file, without scikit-learn, or else the model itself (load_predictor).
    predictor = _run(load_predictor, model or Path(_setting(ctx, "train", "model")))
    if files:
        chunks = iter([_run(_units_from_files, ctx, files, text_column)])
    else:
        # Streamed: the units CSV is read, classified and written chunk by chunk.
        chunks = parallel.read_units_chunks(Path(_setting(ctx, "segment", "units")))
    jobs = jobs if jobs is not None else _setting(ctx, "classify", None).get("jobs", 1)
    if output is None and files:
        classified = parallel.classify_stream(chunks, predictor, jobs)
        _print_table(next(classified)[list(stage.OUTPUT_COLUMNS)])
        return
    from tema.progress import progress

    chunks = progress(chunks, "classify", None, quiet, unit=_noun(ctx, "unit"), weight=len)
    classified = parallel.classify_stream(chunks, predictor, jobs, rendered=True)
    output = output or Path(_setting(ctx, "classify", "classified"))
    count = _run(parallel.write_csv_chunks, classified, output, stage.OUTPUT_COLUMNS)
    _say(ctx, "classified", units=_counted(ctx, count, "unit"), output=output)


def _units_from_files(
    ctx: typer.Context, files: list[Path], text_column: str | None
) -> pd.DataFrame:
    """Units of the files in the order given: tables one unit per non-blank answer (read
    as ingest reads them), text segmented."""
    from tema.classify import stage as stage
    from tema.ingest import stage as reading
    from tema.ingest.readers import TABLE_SUFFIXES
    from tema.segment import stage as segmenting

    columns = [text_column] if text_column else _text_columns(ctx)
    nlp = None
    frames = []
    for path in files:
        if path.suffix.lower() in TABLE_SUFFIXES:
            frames.append(stage.read_table_units(path, columns))
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
    from tema.ingest import stage as reading
    from tema.io.files import atomic_write
    from tema.params import section, themes_from
    from tema.report import stage as stage
    from tema.report.words import TEXTS

    settings = section(ctx.obj["params"], "report", ctx.obj["params_path"])
    language = language or ctx.obj["language"]
    if language not in TEXTS:
        _fail(TemaError(f"unknown language {language!r}; use nb or en"))
    ctx.obj["language"] = language
    themes = _run(themes_from, ctx.obj["params"], ctx.obj["params_path"])
    if compare:
        from tema.report.compare import format_compare_table, write_comparison

        target = out_dir or Path(settings.get("compare_dir", "reports_compare"))
        table, old, new = _run(write_comparison, compare[0], compare[1], target, themes, language)
        typer.echo(format_compare_table(table, themes, old, new, language))
        typer.echo()
        _say(ctx, "compared", html=target / "compare.html", csv=target / "compare.csv")
        return
    out = out_dir or Path(settings["out_dir"])
    if show:
        counts = _run(_read_csv, out / "theme_counts.csv")
        typer.echo(stage.format_count_table(counts, themes, language))
        typer.echo()
        _say(ctx, "report_at", html=out / "report.html")
        return
    from tema.classify.card import read_card
    from tema.report.html import render_html
    from tema.report.xlsx import write_xlsx

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
    summary.batch = stage.Batch(
        made=datetime.now().astimezone(),
        input_dir=str(_setting(ctx, "ingest", "raw_dir")),
        n_files=(summary.n_documents_read or 0) + len(summary.skipped),
        n_skipped=len(summary.skipped),
    )
    card = _run(read_card, _setting(ctx, "train", "model"))
    with atomic_write(out / "report.html") as handle:
        handle.write(render_html(summary, themes, card, language))
    uncertain = stage.uncertain_units(out / "units.csv")
    write_xlsx(out / "report.xlsx", summary, themes, card, language, uncertain)
    if not quiet:  # the DVC stage is quiet: `make run` prints the table once, at the end
        typer.echo(stage.format_count_table(summary.counts, themes, language))
        typer.echo()
    style = _style(ctx)
    _say(
        ctx,
        "reported",
        units=_counted(ctx, summary.n_units, "input"),
        uncertain=style.num(summary.n_uncertain),
        html=out / "report.html",
        xlsx=out / "report.xlsx",
        counts=out / "theme_counts.csv",
        unit_table=out / "units.csv",
    )


@app.command()
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
        Path | None, typer.Option(help="Model file (default from params.yaml).")
    ] = None,
) -> None:
    """Pick unlabelled units worth labelling next (uncertain, varied, spread out)."""
    from tema.classify.model import load_model
    from tema.labels import suggest as stage
    from tema.labels.store import load_labeled
    from tema.params import themes_from

    settings = ctx.obj["params"].get("labels") or {}
    themes = _run(themes_from, ctx.obj["params"], ctx.obj["params_path"])
    classified = _run(_read_csv, Path(_setting(ctx, "classify", "classified")))
    theme_ids = [t.id for t in themes]
    labeled = _run(load_labeled, Path(_setting(ctx, "train", "labeled_dir")), theme_ids)
    fitted = _run(load_model, model or Path(_setting(ctx, "train", "model")))
    options = stage.SuggestSettings(
        n=n if n is not None else int(settings.get("suggest_n", 200)),
        diversity_weight=float(settings.get("diversity_weight", 0.5)),
        meeting_weight=float(settings.get("meeting_weight", 0.3)),
    )
    suggestions = stage.suggest(
        classified,
        fitted,
        labeled["text"].tolist(),
        _setting(ctx, "report", "counted_kinds"),
        options,
        _meetings(ctx),
    )
    output = output or Path(settings.get("suggestions", "data/label_review/suggestions.csv"))
    paths = stage.write_suggestions(
        suggestions, output, themes, str(fitted.card.get("model_sha256", ""))[:12]
    )
    typer.echo(
        f"{len(suggestions)} units to label → {paths['csv']}, {paths['xlsx']}, "
        f"{paths['label_studio']} (Label Studio interface: {paths['label_studio_config']})\n"
        "The model's guess is pre-filled in `label`: check every row, then "
        "`tema labels import FILE --annotator NAME`."
    )


def _meetings(ctx: typer.Context) -> dict[str, str]:
    """doc → meeting from the ingested documents (empty if they are not there)."""
    from tema.ingest import stage as reading

    path = Path((ctx.obj["params"].get("ingest") or {}).get("documents", ""))
    if not path.is_file():
        return {}
    return {document.doc: document.meeting for document in reading.read_documents(path)}


labels_app = typer.Typer(
    help="Labelled data: import annotators' files, audit labels, measure agreement.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(labels_app, name="labels")


@labels_app.command("import")
def labels_import(
    ctx: typer.Context,
    file: Annotated[
        Path, typer.Argument(help="CSV/XLSX (text, label), Label Studio .json or doccano .jsonl.")
    ],
    annotator: Annotated[str, typer.Option(help="Who labelled the file.")],
) -> None:
    """Add an annotator's labels to data/labeled/ as a new file; never overwrites a label."""
    from tema.labels.exchange import import_labels
    from tema.params import themes_from

    settings = ctx.obj["params"].get("labels") or {}
    themes = _run(themes_from, ctx.obj["params"], ctx.obj["params_path"])
    result = _run(
        import_labels,
        file,
        Path(_setting(ctx, "train", "labeled_dir")),
        themes,
        annotator,
        Path(settings.get("conflicts", "data/label_review/conflicts.csv")),
    )
    typer.echo(f"{file}: {result.summary()}")


@labels_app.command("audit")
def labels_audit(
    ctx: typer.Context,
    cv_predictions: Annotated[
        Path | None,
        typer.Option(help="Out-of-fold predictions (default: train.cv_predictions)."),
    ] = None,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Review CSV.")] = None,
) -> None:
    """Flag likely mislabelled units (confident learning on out-of-fold predictions)."""
    from tema.io.files import write_csv
    from tema.labels.quality import audit
    from tema.labels.store import load_labeled
    from tema.params import themes_from

    settings = ctx.obj["params"].get("labels") or {}
    theme_ids = [t.id for t in _run(themes_from, ctx.obj["params"], ctx.obj["params_path"])]
    path = cv_predictions or Path(_setting(ctx, "train", "cv_predictions"))
    oof = _run(_read_csv, path)
    labeled = _run(load_labeled, Path(_setting(ctx, "train", "labeled_dir")), theme_ids)
    stale = sorted(set(oof["id"].astype(str)) ^ set(labeled["id"]))
    if stale:
        warnings.warn(
            f"{path}: {len(stale)} unit(s) differ from {_setting(ctx, 'train', 'labeled_dir')} "
            "(retrain for an up-to-date audit)",
            stacklevel=1,
        )
    flagged = _run(audit, oof, labeled)
    output = output or Path(settings.get("audit", "data/label_review/audit.csv"))
    write_csv(flagged, output)
    typer.echo(
        f"{len(flagged)} of {len(oof)} labelled units look mislabelled → {output} "
        "(fill in `decision`; fix labels in data/labeled/ by hand)"
    )
    if len(flagged):
        columns = ["rank", "id", "label", "suggested_label", "p_label", "text"]
        _print_table(flagged[columns].head(10))


@labels_app.command("agreement")
def labels_agreement(
    ctx: typer.Context,
    first: Annotated[Path, typer.Argument(help="One annotator's file (any import format).")],
    second: Annotated[Path, typer.Argument(help="The other annotator's file.")],
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="CSV of the disagreements.")
    ] = None,
) -> None:
    """Cohen's kappa, overall and per theme, for two annotators' labels of the same units."""
    from tema.io.files import write_csv
    from tema.labels.exchange import read_annotations
    from tema.labels.quality import agreement, format_agreement
    from tema.params import themes_from

    themes = _run(themes_from, ctx.obj["params"], ctx.obj["params_path"])
    a = _run(read_annotations, first, themes)
    b = _run(read_annotations, second, themes)
    table, disagreements = _run(agreement, a, b, [t.id for t in themes])
    typer.echo(format_agreement(table, int(table.iloc[0]["units"]), (first.name, second.name)))
    typer.echo(f"{len(disagreements)} disagreement(s)")
    if output:
        write_csv(disagreements, output)
        typer.echo(f"disagreements → {output}")


@app.command("compare-models")
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
    from tema.classify.card import model_path_for, read_card
    from tema.classify.model import load_model
    from tema.labels.store import read_label_file
    from tema.params import themes_from
    from tema.train import promote

    theme_ids = [t.id for t in _run(themes_from, ctx.obj["params"], ctx.obj["params_path"])]
    if on is None:
        comparison = _run(
            promote.compare_cards,
            _run(read_card, old),
            _run(read_card, new),
            theme_ids,
        )
    else:
        models = [
            _run(load_model, path if path.suffix != ".json" else model_path_for(path))
            for path in (old, new)
        ]
        units = _run(read_label_file, on, theme_ids)
        texts = units["text"].tolist()
        comparison = promote.compare_on_units(
            units["label"],
            models[0].predict(texts)["theme"],
            models[1].predict(texts)["theme"],
            theme_ids,
            "labelled file",
            promote.GateText.make("units_of", n=len(units), file=on),
        )
    typer.echo(promote.format_comparison(comparison, ctx.obj["language"]))


@app.command()
def serve(
    ctx: typer.Context,
    host: Annotated[
        str, typer.Option(help="Address to listen on; 127.0.0.1: only this computer.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on (0: any free port).")] = 8765,
    data_dir: Annotated[
        Path, typer.Option(help="Where the app keeps its batches, jobs and label log.")
    ] = Path("data/serve"),
    max_upload_mb: Annotated[
        int, typer.Option(help="Largest upload (all files of one upload together), in MB.")
    ] = 200,
    folder_root: Annotated[
        list[Path] | None,
        typer.Option(
            help="A folder the app may read batches from (repeatable); "
            "default: the project folder and your home folder."
        ),
    ] = None,
) -> None:
    """Start the browser app: put in a batch, read the report, label units, retrain.

    Only this computer can reach it unless --host says otherwise (docs/serve.md).
    """
    from tema.serve.server import serve as run_server
    from tema.serve.state import ServeSettings

    settings = ServeSettings(
        params=ctx.obj["params_path"],
        data_dir=data_dir,
        host=host,
        port=port,
        max_upload_bytes=max_upload_mb * 1024 * 1024,
        folder_roots=tuple(folder_root or ()),
        language=ctx.obj["language"],
    )
    try:
        _run(run_server, settings, ctx.obj["language"])
    except OSError as error:  # the port is taken, the address is not this computer's
        _fail(TemaError(f"cannot listen on {host}:{port}: {error.strerror or error}"))


def _confusion(path: Path, theme_ids: list[str]) -> pd.DataFrame | None:
    """P(predicted | true) from the cross-validated predictions; None (with a warning) if absent."""
    from tema.report.stage import confusion_for_correction

    if not path.is_file():
        warnings.warn(f"{path}: not found; the report has no adjusted shares", stacklevel=2)
        return None
    oof = pd.read_csv(
        path,
        usecols=lambda column: column in ("label", "theme", "origin"),
        dtype=str,
        keep_default_na=False,
    )
    return confusion_for_correction(oof, theme_ids)


def _print_table(frame: pd.DataFrame) -> None:
    with pd.option_context(
        "display.max_rows", None, "display.max_colwidth", 80, "display.width", 200
    ):
        typer.echo(frame.to_string(index=False))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
