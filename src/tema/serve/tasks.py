"""What a job does, step by step, in the worker process (tema.serve.worker)."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tema.config import theme_names
from tema.io.files import write_csv
from tema.serve import pipeline
from tema.serve.annotations import AnnotationLog
from tema.serve.batches import Batch, BatchStore, write_manifest
from tema.serve.jobs import Job, JobFailed, JobStore
from tema.serve.left_out import refused_skip
from tema.serve.words import LANGUAGES

if TYPE_CHECKING:
    from tema.config import Config, Theme
    from tema.train.stage import TrainResult

BATCH_STEPS = ["check", "ingest", "segment", "classify", "report", "suggest"]
REFRESH_STEPS = ["classify", "report", "suggest"]
RETRAIN_STEPS = ["labels", "train", "score"]
SAVE_EVERY_SECONDS = 0.5


class Context:
    """The job being run, the project's config, and where the app keeps its things."""

    def __init__(self, config: Config, data_dir: Path, job: Job) -> None:
        self.config = config
        self.data_dir = data_dir
        self.job = job
        self.jobs = JobStore(data_dir)
        self.batches = BatchStore(data_dir, config)
        self.log = AnnotationLog(data_dir / "labels")
        self._saved = 0.0

    def steps(self, names: list[str]) -> None:
        self.job.steps = names
        self.jobs.save(self.job)

    def progress(self, step: str, done: int, total: int | None) -> None:
        """Record how far the job is (saved at most twice a second, and at each new step)."""
        changed = step != self.job.step
        self.job.step, self.job.done, self.job.total = step, done, total
        now = time.monotonic()
        if changed or now - self._saved >= SAVE_EVERY_SECONDS or done == total:
            self._saved = now
            self.jobs.save(self.job)


# --- a batch through the pipeline ---------------------------------------------------------
def run_batch(ctx: Context) -> dict[str, Any]:
    """Check each file, then ingest, segment, classify, report and suggest into a new run."""
    batch = ctx.batches.load(ctx.job.batch)
    run = ctx.job.id
    ctx.steps(BATCH_STEPS)
    batch.state, batch.job = "running", ctx.job.id
    ctx.batches.save(batch)
    files = ctx.batches.new_run(batch, run)
    rejected = _check_files(ctx, batch, files.raw_dir)
    kept = [item for item in batch.files if item.name not in {r["file"] for r in rejected}]
    if not kept:
        batch.rejected = rejected
        ctx.batches.save(batch)
        raise JobFailed("no_readable_file", "no file of the batch could be read")
    write_manifest(kept, files.raw_dir / "manifest.csv")
    config = pipeline.batch_config(ctx.config, files)
    ctx.progress("ingest", 0, None)
    ingested = pipeline.ingest(config)
    rejected += [{"file": Path(item.file).name, "reason": item.reason} for item in ingested.skipped]
    # The report lists every file left out: those refused when they came in, those the
    # check refused and those ingest skipped.
    write_csv(skipped_frame(batch.refused, rejected, files.raw_dir), files.skipped)
    n_units = pipeline.segment(config, ctx.progress)
    summary = _classify_and_report(ctx, batch, files)
    batch.rejected = rejected
    batch.summary = {"documents": ingested.documents, "segments": n_units, **summary}
    ctx.batches.finish_run(batch, run)
    batch.state = "done"
    ctx.batches.save(batch)
    return {"batch": batch.id, **batch.summary, "rejected": len(rejected)}


def _check_files(ctx: Context, batch: Batch, raw_dir: Path) -> list[dict[str, str]]:
    """Files ingest could not read, with its reason; they are taken out of the run."""
    rejected = []
    for done, item in enumerate(batch.files):
        ctx.progress("check", done, len(batch.files))
        path = raw_dir / item.name
        extra = item.extra
        reason = pipeline.check_file(
            ctx.config, path, extra.get("text_column", ""), extra.get("sheet", "")
        )
        if reason is not None:
            rejected.append({"file": item.name, "reason": reason})
            path.unlink(missing_ok=True)
    ctx.progress("check", len(batch.files), len(batch.files))
    return rejected


def skipped_frame(
    refused: list[dict[str, str]], rejected: list[dict[str, str]], raw_dir: Path
) -> Any:
    """The run's skipped.csv, which the report reads: the files refused when they came in
    (`Batch.refused`, by the name the user sent them under, with the reason `tema ingest`
    gives such a file) and those the run could not read (in `raw_dir`)."""
    import pandas as pd

    rows = [refused_skip(item) for item in refused]
    rows += [
        {"file": str(raw_dir / r["file"]), "reason": r["reason"], "code": ""} for r in rejected
    ]
    return pd.DataFrame(rows, columns=["file", "reason", "code"])


def _classify_and_report(ctx: Context, batch: Batch, files: pipeline.BatchFiles) -> dict[str, int]:
    if not pipeline.model_exists(ctx.config):
        raise JobFailed(
            "no_model", "no model yet: train one first (the app does so before a first batch)"
        )
    config = pipeline.batch_config(ctx.config, files)
    pipeline.classify(config, ctx.progress)
    ctx.progress("report", 0, None)
    language = str(ctx.job.options.get("language") or config.report.language)
    # The report names each file as the user sent it, as the app's pages do.
    names = batch.shown_names(language)
    reported = pipeline.report(config, language, batch.folder or batch.name, names)
    write_queue(ctx, files)
    return {"units": reported.n_units, "uncertain": reported.n_uncertain}


def write_queue(ctx: Context, files: pipeline.BatchFiles, n: int | None = None) -> int:
    """The review order of the batch: `tema suggest`'s picks (`labels.suggest_n`, or `n`)."""
    ctx.progress("suggest", 0, None)
    config = pipeline.batch_config(ctx.config, files)
    return len(pipeline.suggest(config, files.suggestions, n).suggestions)


def refresh_batch(ctx: Context) -> dict[str, Any]:
    """A done batch classified and reported again with the model now in use."""
    batch = ctx.batches.load(ctx.job.batch)
    if batch.read_only:
        ctx.steps(["suggest"])
        return {"queued": write_queue(ctx, ctx.batches.files_of(batch))}
    ctx.steps(REFRESH_STEPS)
    old = ctx.batches.files_of(batch)
    run = ctx.job.id
    new = ctx.batches.files_of(batch, run)
    shutil.rmtree(new.raw_dir.parent, ignore_errors=True)
    shutil.copytree(old.raw_dir, new.raw_dir, copy_function=_link)
    for source, target in ((old.documents, new.documents), (old.skipped, new.skipped),
                           (old.units, new.units)):  # fmt: skip
        _link(str(source), str(target))
    summary = _classify_and_report(ctx, batch, new)
    batch = ctx.batches.load(batch.id)
    batch.summary = {**batch.summary, **summary}
    ctx.batches.finish_run(batch, run)
    return {"batch": batch.id, **summary}


def _link(source: str, target: str) -> str:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)
    return target


def more_suggestions(ctx: Context) -> dict[str, Any]:
    batch = ctx.batches.load(ctx.job.batch)
    ctx.steps(["suggest"])
    n = int(ctx.job.options.get("n") or 0) or None
    return {"queued": write_queue(ctx, ctx.batches.files_of(batch), n)}


# --- labels and training ------------------------------------------------------------------
def import_pending(ctx: Context) -> list[dict[str, Any]]:
    """Each annotator's labels not yet in the labelled folder, as `tema labels import`
    adds them (tema.serve.pipeline.save_labels)."""
    results = []
    for annotator, decisions in sorted(ctx.log.pending().items()):
        result = pipeline.save_labels(ctx.config, annotator, decisions)
        summary = {
            "annotator": annotator,
            "file": str(result.written or ""),
            "added": len(result.added),
            "already": int(result.already_labelled),
            "conflicts": len(result.conflicts),
            "conflicts_file": str(result.conflicts_path or ""),
        }
        ctx.log.mark_imported([d.id for d in decisions], summary)
        results.append(summary)
    return results


def import_labels_task(ctx: Context) -> dict[str, Any]:
    ctx.steps(["labels"])
    ctx.progress("labels", 0, None)
    return {"imports": import_pending(ctx)}


def train_task(ctx: Context) -> dict[str, Any]:
    """The first model of a project without one (before its first batch)."""
    ctx.steps(["train"])
    return _trained_result(pipeline.train(ctx.config, ctx.progress), ctx.config.themes)


def retrain(ctx: Context) -> dict[str, Any]:
    """Import the pending labels, run the gated training, score the model on the user's
    own labelled units, and bring the batches up to date with a promoted model."""
    ctx.steps(RETRAIN_STEPS)
    ctx.progress("labels", 0, None)
    imports = import_pending(ctx)
    trained = pipeline.train(ctx.config, ctx.progress)
    ctx.progress("score", 0, None)
    own = pipeline.own_score(ctx.config, trained)
    result = {**_trained_result(trained, ctx.config.themes), "imports": imports, "own": own}
    if trained.verdict.promote:
        for batch in ctx.batches.all():
            if batch.state == "done":
                ctx.jobs.submit("refresh", batch.id)
    return result


def _trained_result(trained: TrainResult, themes: Sequence[Theme]) -> dict[str, Any]:
    """What the retrain page shows of a training, in both languages (as `tema train` and
    `tema compare-models` print it), each theme by its name."""
    from tema.train.verdict import BASIS_NAMES, format_comparison, format_verdict, say

    names = {lang: theme_names(themes, lang) for lang in LANGUAGES}
    verdict = trained.verdict
    comparison: dict[str, Any] | None = None
    if verdict.comparison is not None:
        basis = verdict.comparison.basis
        comparison = asdict(verdict.comparison)
        comparison["description"] = {
            lang: say(verdict.comparison.description, lang) for lang in LANGUAGES
        }
        comparison["basis_name"] = {"nb": BASIS_NAMES["nb"].get(basis, basis), "en": basis}
    return {
        "status": verdict.status,
        "promoted": verdict.promote,
        "reasons": {
            lang: [say(r, lang, names[lang]) for r in verdict.reasons] for lang in LANGUAGES
        },
        "text": {
            lang: format_verdict(verdict, trained.record, lang, names[lang]) for lang in LANGUAGES
        },
        "comparison_text": {
            lang: (
                format_comparison(verdict.comparison, lang, names[lang])
                if verdict.comparison
                else ""
            )
            for lang in LANGUAGES
        },
        "comparison": comparison,
        "n_labelled": trained.n_labeled,
        "macro_f1": dict(trained.card["cross_validation"]["macro_f1"]),
        "candidate_model": trained.record.get("candidate_model"),
    }


TASKS: dict[str, Callable[[Context], dict[str, Any]]] = {
    "batch": run_batch,
    "refresh": refresh_batch,
    "suggest": more_suggestions,
    "labels": import_labels_task,
    "train": train_task,
    "retrain": retrain,
}
