"""Long jobs (a batch through the pipeline, retraining, label imports) off the web server.

Each job is a JSON file in `<data>/jobs/` that says what it is and how far it got, so a
page reload (or another tab) sees the same state. Jobs run one at a time per project,
oldest first, each in its own process (`python -m tema.serve.worker`): a crash or a
stuck library cannot take the server down, and the server stays responsive. The worker
holds `<data>/jobs/running.lock` while it runs, so two servers on the same project cannot
run two jobs at once either.

The worker is started in a session of its own: stopping the server (Ctrl-C) does not
stop a job half-way; it finishes and records its end, and the next server start shows
it. A job whose worker died (the machine was restarted, the process killed) is marked
`interrupted` when the server next looks; its unfinished outputs were never made current
(see tema.serve.batches), and every file the stages write is written atomically.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import secrets
import subprocess
import sys
import threading
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from tema.errors import TemaError
from tema.io.files import atomic_write

KINDS = ("train", "batch", "refresh", "suggest", "labels", "retrain")


class JobFailed(TemaError):
    """A job that cannot go on, for a reason the app has words for (`key`: the text
    "job_failed_<key>" of tema.serve.words); the message is the English for the log."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key


# Finished jobs kept on disk (with their logs); older ones are removed as new ones come.
KEEP_FINISHED = 100
ACTIVE = ("queued", "running")
POLL_SECONDS = 0.5


@dataclass
class Job:
    id: str
    kind: str
    batch: str = ""
    state: str = "queued"  # queued | running | done | failed | interrupted
    created: str = ""
    started: str = ""
    finished: str = ""
    step: str = ""
    done: int = 0
    total: int | None = None
    steps: list[str] = field(default_factory=list)
    error: str = ""  # in English, as the CLI would say it (the job's log has the rest)
    # The error as the page says it: the text "job_failed_<error_key>" of tema.serve.words
    # ("" for an error tema has no words of its own for: the page shows `error`).
    error_key: str = ""
    result: dict[str, Any] = field(default_factory=dict)
    options: dict[str, Any] = field(default_factory=dict)
    pid: int = 0

    @property
    def active(self) -> bool:
        return self.state in ACTIVE


def now_text() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


class JobStore:
    """The job files of one project."""

    def __init__(self, data_dir: Path) -> None:
        self.root = data_dir / "jobs"
        self.root.mkdir(parents=True, exist_ok=True)
        self.lock_path = self.root / "running.lock"
        self._lock = threading.Lock()

    def path(self, job_id: str) -> Path:
        if not job_id.replace("-", "").isalnum():
            raise KeyError(job_id)
        return self.root / f"{job_id}.json"

    def load(self, job_id: str) -> Job:
        path = self.path(job_id)
        try:
            return Job(**json.loads(path.read_text(encoding="utf-8")))
        except FileNotFoundError as exc:
            raise KeyError(job_id) from exc

    def save(self, job: Job) -> None:
        with atomic_write(self.path(job.id)) as handle:
            json.dump(asdict(job), handle, ensure_ascii=False, indent=1)

    def all(self) -> list[Job]:
        jobs = []
        for path in sorted(self.root.glob("*.json")):
            with contextlib.suppress(ValueError, TypeError, KeyError, OSError):
                jobs.append(self.load(path.stem))
        return jobs

    def submit(self, kind: str, batch: str = "", **options: Any) -> Job:
        """Queue a job; an identical one already waiting is returned instead of a second."""
        if kind not in KINDS:
            raise ValueError(kind)
        with self._lock:
            for job in self.all():
                if job.state == "queued" and (job.kind, job.batch) == (kind, batch):
                    return job
            job = Job(
                id=f"{datetime.now():%Y%m%d-%H%M%S-%f}-{secrets.token_hex(2)}",
                kind=kind,
                batch=batch,
                created=now_text(),
                options=options,
            )
            self.save(job)
            self._prune()
            return job

    def _prune(self) -> None:
        finished = [job for job in self.all() if not job.active]
        latest = {job.kind: job.id for job in finished}  # the last of each kind stays
        for job in finished[:-KEEP_FINISHED]:
            if latest[job.kind] == job.id:
                continue
            for path in (self.path(job.id), self.root / f"{job.id}.log"):
                path.unlink(missing_ok=True)

    def current(self) -> Job | None:
        """The running job, else the oldest queued one."""
        jobs = [job for job in self.all() if job.active]
        running = [job for job in jobs if job.state == "running"]
        found = running or jobs
        return found[0] if found else None

    def latest(self, kind: str, batch: str = "") -> Job | None:
        found = [j for j in self.all() if j.kind == kind and (not batch or j.batch == batch)]
        return found[-1] if found else None

    def worker_alive(self) -> bool:
        """Whether some process holds the running lock (a worker is at work)."""
        with open(self.lock_path, "a+b") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return True
            fcntl.flock(handle, fcntl.LOCK_UN)
            return False

    def mark_interrupted(self, job: Job, reason: str, key: str = "stopped") -> None:
        job.state = "interrupted"
        job.error, job.error_key = reason, key
        job.finished = now_text()
        self.save(job)


class JobRunner:
    """Starts queued jobs, one at a time, each in a worker process of its own."""

    def __init__(self, store: JobStore, params: Path, data_dir: Path, cwd: Path) -> None:
        self.store = store
        self.command = [
            sys.executable, "-m", "tema.serve.worker",
            "--params", str(params), "--data-dir", str(data_dir),
        ]  # fmt: skip
        self.cwd = cwd
        self.process: subprocess.Popen[bytes] | None = None
        self.process_job = ""
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def recover(self) -> None:
        """At start: jobs left `running` by a worker that is gone are `interrupted`."""
        if self.store.worker_alive():
            return
        for job in self.store.all():
            if job.state == "running":
                self.store.mark_interrupted(job, "server or worker stopped during the job")
                _after_interruption(self.store, job)

    def start(self) -> None:
        self.recover()
        self._thread = threading.Thread(target=self._loop, name="tema-jobs", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _loop(self) -> None:
        while not self._stop.is_set():
            with contextlib.suppress(OSError, ValueError):
                self.tick()
            self._stop.wait(POLL_SECONDS)

    def tick(self) -> None:
        """Notice a finished worker, and start the next queued job if none runs."""
        if self.process is not None:
            code = self.process.poll()
            if code is None:
                return
            job = self.store.load(self.process_job)
            if job.active:  # the worker ended without recording its end
                job.state = "failed"
                if not job.error:
                    job.error = f"the worker process ended with exit code {code}"
                    job.error_key = "worker_ended"
                job.finished = now_text()
                self.store.save(job)
                _after_interruption(self.store, job)
            self.process = None
        jobs = self.store.all()
        if any(job.state == "running" for job in jobs):
            if self.store.worker_alive():
                return  # a worker started by an earlier server is still at work
            self.recover()
            return
        queued = [job for job in jobs if job.state == "queued"]
        if queued:
            self.launch(queued[0])

    def launch(self, job: Job) -> None:
        logs = self.store.root / f"{job.id}.log"
        with open(logs, "ab") as log:
            self.process = subprocess.Popen(
                [*self.command, job.id],
                cwd=self.cwd,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # Ctrl-C on the server does not stop a job half-way
            )
        self.process_job = job.id
        job.state, job.pid, job.started = "running", self.process.pid, now_text()
        self.store.save(job)


def _after_interruption(store: JobStore, job: Job) -> None:
    """A batch whose job did not finish says so; its unfinished run is removed."""
    if not job.batch:
        return
    from tema.serve.batches import Batch, valid_batch_id

    if not valid_batch_id(job.batch):
        return
    path = store.root.parent / "batches" / job.batch / "batch.json"
    if not path.is_file():
        return
    batch = Batch.from_dict(json.loads(path.read_text(encoding="utf-8")))
    if batch.job == job.id and batch.state in ("queued", "running"):
        batch.state = "interrupted"
        with atomic_write(path) as handle:
            json.dump(asdict(batch), handle, ensure_ascii=False, indent=1)
    run = job.options.get("run")
    if isinstance(run, str) and run and run != batch.run:
        import shutil

        shutil.rmtree(path.parent / "runs" / run, ignore_errors=True)
