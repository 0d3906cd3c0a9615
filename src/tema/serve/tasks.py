"""What a job does, step by step, in the worker process (tema.serve.worker)."""

from __future__ import annotations

import csv
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Any

from tema.errors import TemaError
from tema.io.files import atomic_write, write_csv
from tema.serve import pipeline
from tema.serve.annotations import AnnotationLog
from tema.serve.batches import Batch, BatchStore, write_manifest
from tema.serve.jobs import Job, JobStore

BATCH_STEPS = ["check", "ingest", "segment", "classify", "report", "suggest"]
REFRESH_STEPS = ["classify", "report", "suggest"]
RETRAIN_STEPS = ["labels", "train", "score"]
QUEUE_COLUMNS = ("doc", "unit", "text", "model_theme", "model_confidence", "uncertainty")
SAVE_EVERY_SECONDS = 0.5


class Context:
    """The job being run, and where the app keeps its things."""

    def __init__(self, project: pipeline.Project, data_dir: Path, job: Job) -> None:
        self.project = project
        self.data_dir = data_dir
        self.job = job
        self.jobs = JobStore(data_dir)
        self.batches = BatchStore(data_dir, project)
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
        raise TemaError("no file of the batch could be read")
    write_manifest(kept, files.raw_dir / "manifest.csv")
    ctx.progress("ingest", 0, None)
    ingested = pipeline.ingest(ctx.project, files.raw_dir, files.documents, files.skipped)
    rejected += [{"file": name, "reason": reason} for name, reason in ingested.skipped]
    # The report lists every file left out: those the check refused and those ingest skipped.
    write_csv(
        _skipped_frame(rejected, files.raw_dir),
        files.skipped,
    )
    n_units = pipeline.segment(ctx.project, files.documents, files.units, ctx.progress)
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
            ctx.project, path, extra.get("text_column", ""), extra.get("sheet", "")
        )
        if reason is not None:
            rejected.append({"file": item.name, "reason": reason})
            path.unlink(missing_ok=True)
    ctx.progress("check", len(batch.files), len(batch.files))
    return rejected


def _skipped_frame(rejected: list[dict[str, str]], raw_dir: Path) -> Any:
    import pandas as pd

    rows = [{"file": str(raw_dir / r["file"]), "reason": r["reason"]} for r in rejected]
    return pd.DataFrame(rows, columns=["file", "reason"])


def _classify_and_report(ctx: Context, batch: Batch, files: pipeline.BatchFiles) -> dict[str, int]:
    if not pipeline.model_exists(ctx.project):
        raise TemaError("no model yet: train one first (the app does so before a first batch)")
    pipeline.classify(ctx.project, files.units, files.classified, ctx.progress)
    ctx.progress("report", 0, None)
    language = str(ctx.job.options.get("language") or ctx.project.config.report.language)
    counts = pipeline.report(ctx.project, files, language, batch.folder or batch.name)
    ctx.progress("suggest", 0, None)
    write_queue(ctx, files, files.classified.parent / "review_queue.csv")
    return counts


def write_queue(ctx: Context, files: pipeline.BatchFiles, path: Path, n: int = 0) -> int:
    """The review order of the batch: `tema suggest`'s picks, written atomically."""
    n = n or int(ctx.project.section("labels").get("suggest_n", 200))
    picked = pipeline.suggest(ctx.project, files, n)
    frame = picked.reindex(columns=list(QUEUE_COLUMNS))
    write_csv(frame, path)
    return len(frame)


def refresh_batch(ctx: Context) -> dict[str, Any]:
    """A done batch classified and reported again with the model now in use."""
    batch = ctx.batches.load(ctx.job.batch)
    if batch.read_only:
        ctx.steps(["suggest"])
        ctx.progress("suggest", 0, None)
        return {
            "queued": write_queue(ctx, ctx.batches.files_of(batch), ctx.batches.queue_path(batch))
        }
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
    ctx.progress("suggest", 0, None)
    n = int(ctx.job.options.get("n") or 0)
    return {
        "queued": write_queue(ctx, ctx.batches.files_of(batch), ctx.batches.queue_path(batch), n)
    }


# --- labels and training ------------------------------------------------------------------
def import_pending(ctx: Context) -> list[dict[str, Any]]:
    """Each annotator's labels not yet in the labelled folder, through `tema labels import`."""
    results = []
    folder = ctx.data_dir / "labels" / "imports"
    for annotator, decisions in sorted(ctx.log.pending().items()):
        from tema.labels.exchange import annotator_slug

        stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        path = folder / f"{annotator_slug(annotator)}-{stamp}.csv"
        with atomic_write(path) as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(["id", "text", "label", "second_label", "batch", "doc", "unit"])
            for d in decisions:
                writer.writerow([d.id, d.text, d.label, d.second_label, d.batch, d.doc, d.unit])
        result = pipeline.import_labels(
            ctx.project, path, annotator, ctx.data_dir / "labels" / "import.lock"
        )
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
    trained = pipeline.train(ctx.project, ctx.progress)
    return _trained_result(trained)


def retrain(ctx: Context) -> dict[str, Any]:
    """Import the pending labels, run the gated training, score the model on the user's
    own labelled units, and bring the batches up to date with a promoted model."""
    ctx.steps(RETRAIN_STEPS)
    ctx.progress("labels", 0, None)
    imports = import_pending(ctx)
    trained = pipeline.train(ctx.project, ctx.progress)
    ctx.progress("score", 0, None)
    result = {**_trained_result(trained), "imports": imports, "own": own_score(ctx, trained)}
    if trained.promoted:
        for batch in ctx.batches.all():
            if batch.state == "done":
                ctx.jobs.submit("refresh", batch.id)
    return result


def _trained_result(trained: pipeline.Trained) -> dict[str, Any]:
    from tema.train.promote import BASIS_NAMES, say

    comparison = None
    if trained.comparison is not None:
        comparison = asdict(trained.comparison)
        comparison["description"] = {
            lang: say(trained.comparison.description, lang) for lang in ("nb", "en")
        }
        comparison["basis_name"] = {
            "nb": BASIS_NAMES["nb"].get(trained.comparison.basis, trained.comparison.basis),
            "en": trained.comparison.basis,
        }
    return {
        "status": trained.status,
        "promoted": trained.promoted,
        "reasons": trained.reasons,
        "text": trained.text,
        "comparison_text": trained.comparison_text,
        "comparison": comparison,
        "n_labelled": trained.n_labelled,
        "macro_f1": trained.macro_f1,
        "candidate_model": trained.record.get("candidate_model"),
    }


def own_score(ctx: Context, trained: pipeline.Trained) -> dict[str, Any] | None:
    """The new model's cross-validated score on the units users labelled themselves
    (`tema labels import`, the app included): each predicted by a model that had not seen it."""
    oof = trained.oof
    if "origin" not in oof.columns:
        return None
    own = oof[oof["origin"] == "imported"]
    if own.empty:
        return None
    seed = int(ctx.project.section("train")["seed"])
    scores = pipeline.score_on_units(own["label"], own["theme"], ctx.project.theme_ids, seed)
    return {"n": len(own), **scores}


TASKS: dict[str, Callable[[Context], dict[str, Any]]] = {
    "batch": run_batch,
    "refresh": refresh_batch,
    "suggest": more_suggestions,
    "labels": import_labels_task,
    "train": train_task,
    "retrain": retrain,
}
