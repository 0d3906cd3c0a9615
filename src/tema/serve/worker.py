"""The process that runs one job: `python -m tema.serve.worker --params P --data-dir D JOB`.

Started by the server's job runner (tema.serve.jobs). It waits for the project's job
lock, runs the job's task (tema.serve.tasks) and records the end in the job's file; a
`TemaError` (bad input, a model that does not match its card) is recorded as the job's
error, in the words the CLI would print.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import sys
import traceback
from pathlib import Path

from tema.errors import TemaError
from tema.serve.jobs import JobFailed, JobStore, now_text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="tema.serve.worker")
    parser.add_argument("--params", type=Path, required=True)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("job")
    args = parser.parse_args(argv)
    store = JobStore(args.data_dir)
    with open(store.lock_path, "a+b") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one job at a time per project
        return run(store, args.params, args.data_dir, args.job)


def run(store: JobStore, params: Path, data_dir: Path, job_id: str) -> int:
    """Run the job `job_id` with the project's params file as it is now (`load_config`)."""
    from tema.config import load_config
    from tema.serve.tasks import TASKS, Context

    job = store.load(job_id)
    job.state, job.pid, job.started = "running", os.getpid(), job.started or now_text()
    store.save(job)
    code = 0
    try:
        context = Context(load_config(params), data_dir, job)
        job.result = TASKS[job.kind](context)
        job.state = "done"
    except TemaError as error:
        job.state, job.error, code = "failed", str(error), 1
        job.error_key = error.key if isinstance(error, JobFailed) else ""
    except Exception as error:  # recorded for the page; the traceback goes to the job's log
        traceback.print_exc()
        job.state, job.error, code = "failed", f"{type(error).__name__}: {error}", 1
    job.finished = now_text()
    store.save(job)
    if job.state == "failed" and job.batch:
        _batch_failed(data_dir, job.batch, job.id, job.kind == "batch")
    return code


def _batch_failed(data_dir: Path, batch_id: str, job_id: str, own_run: bool) -> None:
    """A failed job's unfinished run goes; a batch whose own run failed says so."""
    from tema.serve.batches import PIPELINE, BatchStore

    if batch_id == PIPELINE:
        return
    store = BatchStore(data_dir, None)
    try:
        batch = store.load(batch_id)
    except (KeyError, ValueError):
        return
    store.drop_run(batch_id, job_id)
    if own_run and batch.job == job_id:
        batch.state = "failed"
        store.save(batch)


if __name__ == "__main__":
    sys.exit(main())
