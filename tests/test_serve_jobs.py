"""tema.serve.jobs: one job at a time, state on disk, interrupted jobs leave no half run."""

from __future__ import annotations

import fcntl
import json
import os
import sys
import time
from pathlib import Path

import pytest

from tema.serve.jobs import JobRunner, JobStore


@pytest.fixture
def store(tmp_path: Path) -> JobStore:
    return JobStore(tmp_path)


def test_a_waiting_job_is_not_queued_twice(store: JobStore):
    first = store.submit("labels")
    assert store.submit("labels").id == first.id
    assert store.submit("refresh", "20250101-101010-abcdef").id != first.id
    assert store.current().id == first.id


def test_a_job_left_running_by_a_dead_worker_is_interrupted_and_its_run_removed(tmp_path: Path):
    store = JobStore(tmp_path)
    batch_id = "20250101-101010-abcdef"
    job = store.submit("batch", batch_id)
    job.state, job.pid, job.options = "running", 999999, {"run": job.id}
    store.save(job)
    batch_dir = tmp_path / "batches" / batch_id
    (batch_dir / "runs" / job.id / "report").mkdir(parents=True)  # half a run
    (batch_dir / "runs" / "old" / "report").mkdir(parents=True)  # the current, complete run
    batch = {"id": batch_id, "name": "B", "created": "", "origin": "upload",
             "state": "running", "job": job.id, "run": "old"}  # fmt: skip
    (batch_dir / "batch.json").write_text(json.dumps(batch), encoding="utf-8")
    JobRunner(store, Path("params.yaml"), tmp_path, tmp_path).recover()
    assert store.load(job.id).state == "interrupted"
    assert not (batch_dir / "runs" / job.id).exists()
    assert (batch_dir / "runs" / "old" / "report").is_dir()  # the complete run stays current
    saved = json.loads((batch_dir / "batch.json").read_text(encoding="utf-8"))
    assert saved["state"] == "interrupted" and saved["run"] == "old"


def test_a_running_worker_is_left_alone(tmp_path: Path):
    store = JobStore(tmp_path)
    job = store.submit("labels")
    job.state = "running"
    store.save(job)
    with open(store.lock_path, "a+b") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # as a worker of an earlier server holds it
        runner = JobRunner(store, Path("params.yaml"), tmp_path, tmp_path)
        runner.recover()
        runner.tick()
        assert store.load(job.id).state == "running"
        assert runner.process is None  # nothing else started meanwhile


def test_a_worker_that_dies_is_recorded_as_failed(tmp_path: Path):
    store = JobStore(tmp_path)
    job = store.submit("labels")
    runner = JobRunner(store, Path("missing-params.yaml"), tmp_path, tmp_path)
    runner.command = [sys.executable, "-c", "import sys; sys.exit(3)"]
    runner.tick()
    assert store.load(job.id).state == "running"
    deadline = time.monotonic() + 30
    while store.load(job.id).state == "running" and time.monotonic() < deadline:
        time.sleep(0.1)
        runner.tick()
    finished = store.load(job.id)
    assert finished.state == "failed" and "exit code 3" in finished.error


def test_the_worker_records_a_bad_params_file_as_the_jobs_error(tmp_path: Path):
    from tema.serve.worker import main

    store = JobStore(tmp_path)
    job = store.submit("labels")
    assert main(["--params", str(tmp_path / "none.yaml"), "--data-dir", str(tmp_path), job.id]) == 1
    failed = store.load(job.id)
    assert failed.state == "failed" and "parameter file not found" in failed.error
    assert failed.pid == os.getpid()


def test_old_finished_jobs_are_removed_but_the_last_of_each_kind_stays(
    store: JobStore, monkeypatch: pytest.MonkeyPatch
):
    from tema.serve import jobs

    monkeypatch.setattr(jobs, "KEEP_FINISHED", 3)
    retrain = store.submit("retrain")
    retrain.state = "done"
    store.save(retrain)
    for _ in range(6):
        job = store.submit("labels")
        job.state = "done"
        store.save(job)
    store.submit("labels")
    kept = store.all()
    assert retrain.id in {job.id for job in kept}
    assert len([job for job in kept if job.kind == "labels"]) == 4  # 3 finished + 1 queued
