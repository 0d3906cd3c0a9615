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
}

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

    result = _run(stage.run, ctx.obj["config"], raw_dir, manifest, output, skipped, quiet=quiet)
    _say(
        ctx,
        "ingested",
        documents=_counted(ctx, result.documents, "document"),
        output=result.output,
    )
    if result.skipped:
        _say(
            ctx,
            "ingest_skipped",
            files=_counted(ctx, len(result.skipped), "file"),
            path=result.skipped_path,
            names=", ".join(Path(item.file).name for item in result.skipped),
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

    result = _run(
        stage.run,
        ctx.obj["config"],
        files,
        documents,
        output,
        spacy_model,
        jobs,
        quiet=quiet,
        language=ctx.obj["language"],
    )
    if result.table is not None:
        _print_table(result.table[["doc", "unit", "start", "end", "kind", "text"]])
        return
    _say(
        ctx,
        "segmented",
        units=_counted(ctx, result.units, "unit"),
        documents=_counted(ctx, result.documents, "document"),
        output=result.output,
    )


@app.command()
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

    result = _run(stage.run, ctx.obj["config"], ud_dir, output)
    typer.echo(json.dumps({"ud_test": result.scores}, indent=2))
    typer.echo(f"senter → {result.model}")


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
    from tema.progress import steps
    from tema.train import stage as stage
    from tema.train.verdict import format_verdict

    # Cross-validation and the final fit report no progress of their own: the bar shows
    # which step runs and for how long.
    with steps("train", _message(ctx, "train_steps").split("|"), quiet) as done:
        result = _run(
            stage.run,
            ctx.obj["config"],
            labeled_dir=labeled_dir,
            model=model,
            force=force,
            done=done,
        )
    f1 = result.card["cross_validation"]["macro_f1"]
    style = _style(ctx)
    promoted = result.verdict.promote
    _say(
        ctx,
        "trained",
        units=_counted(ctx, result.n_labeled, "labelled"),
        f1=style.num(f1["value"], 3),
        interval=style.dec_range(f1["ci_low"], f1["ci_high"], 3),
        where=_message(ctx, "trained_model" if promoted else "trained_aside", path=result.saved_to),
    )
    typer.echo(format_verdict(result.verdict, result.record, ctx.obj["language"]), err=not promoted)


@app.command()
def evaluate(ctx: typer.Context, quiet: QuietOption = False) -> None:
    """Write metrics and plot data (confusion, calibration, learning curve) to metrics/."""
    from tema.train import evaluate as stage

    result = _run(stage.run, ctx.obj["config"], quiet=quiet)
    _say(ctx, "evaluated", metrics=result.metrics, plots=f"{result.plots}/*.csv")


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
    from tema.classify import inputs
    from tema.classify import stage as stage

    config = ctx.obj["config"]
    units = inputs.unit_chunks(config, files, text_column) if files else None
    if units is not None and output is None:
        _print_table(_run(stage.classify_frame, config, units, model))
        return
    from tema.progress import progress

    def watch(chunks):
        return progress(chunks, "classify", None, quiet, unit=_noun(ctx, "unit"), weight=len)

    result = _run(
        stage.run, config, units=units, output=output, model=model, jobs=jobs, watch=watch
    )
    _say(ctx, "classified", units=_counted(ctx, result.count, "unit"), output=result.output)


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
    from tema.report import stage as stage

    config = ctx.obj["config"]
    language = language or ctx.obj["language"]
    result = _run(
        stage.run,
        config,
        language=language,
        out_dir=out_dir,
        compare=compare,
        show=show,
        quiet=quiet,
    )
    ctx.obj["language"] = language
    if result.mode != "report" or not quiet:
        # The DVC stage is quiet: `make run` prints the table once, at the end, with --show.
        typer.echo(result.table)
        typer.echo()
    closing = {"report": "reported", "show": "report_at", "compare": "compared"}[result.mode]
    _say(
        ctx,
        closing,
        units=_counted(ctx, result.n_units, "input"),
        uncertain=_style(ctx).num(result.n_uncertain),
        **result.files,
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
    from tema.labels import suggest as stage

    result = _run(stage.run, ctx.obj["config"], n=n, output=output, model=model)
    files = result.files
    typer.echo(
        f"{len(result.suggestions)} units to label → {files['csv']}, {files['xlsx']}, "
        f"{files['label_studio']} (Label Studio interface: {files['label_studio_config']})\n"
        "The model's guess is pre-filled in `label`: check every row, then "
        "`tema labels import FILE --annotator NAME`."
    )


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
    from tema.labels import importing

    result = _run(importing.run, ctx.obj["config"], file, annotator)
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
    from tema.labels import audit

    result = _run(audit.run, ctx.obj["config"], cv_predictions=cv_predictions, output=output)
    flagged = result.flagged
    typer.echo(
        f"{len(flagged)} of {result.n_audited} labelled units look mislabelled → {result.output} "
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
    from tema.labels import agreement

    result = _run(agreement.run, ctx.obj["config"], first, second, output)
    names = (first.name, second.name)
    typer.echo(agreement.format_agreement(result.table, result.n_units, names))
    typer.echo(f"{len(result.disagreements)} disagreement(s)")
    if result.output is not None:
        typer.echo(f"disagreements → {result.output}")


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
    from tema.classify.card import model_path_of, read_card
    from tema.classify.persist import load_model
    from tema.labels.store import read_label_file
    from tema.train import promote
    from tema.train.verdict import GateText, format_comparison

    theme_ids = ctx.obj["config"].theme_ids
    if on is None:
        comparison = _run(
            promote.compare_cards,
            _run(read_card, old),
            _run(read_card, new),
            theme_ids,
        )
    else:
        models = [
            _run(load_model, path if path.suffix != ".json" else _run(model_path_of, path))
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
            GateText.make("units_of", n=len(units), file=on),
        )
    typer.echo(format_comparison(comparison, ctx.obj["language"]))


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
    from tema.serve.server import run

    _run(
        run,
        ctx.obj["config"],
        host=host,
        port=port,
        data_dir=data_dir,
        max_upload_mb=max_upload_mb,
        folder_roots=folder_root or (),
        language=ctx.obj["language"],
    )


def _print_table(frame: pd.DataFrame) -> None:
    with pd.option_context(
        "display.max_rows", None, "display.max_colwidth", 80, "display.width", 200
    ):
        typer.echo(frame.to_string(index=False))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
