"""The app's settings and the objects every request handler shares."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from tema.config import Config, load_config
from tema.serve.annotations import AnnotationLog
from tema.serve.batches import BatchStore
from tema.serve.jobs import JobRunner, JobStore

# `tema serve` fills host, port, data_dir and the upload limit from params.yaml's `serve`
# section (tema.serve.server.run); these defaults serve code that builds an app itself
# (tests, benchmarks/serve.py): loopback only, and the same limit.
DEFAULT_MAX_UPLOAD_MB = 200
# Pending labels of one annotator that start an import into data/labeled/ by themselves.
FLUSH_EVERY = 25
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
# A host that binds every address → this computer's own address of that family.
ANY_ADDRESS = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}


@dataclass(frozen=True)
class ServeSettings:
    # The project's params file: the app's config, and each job's (read when the job starts).
    params: Path = Path("params.yaml")
    data_dir: Path = Path("data/serve")
    host: str = "127.0.0.1"
    port: int = 0
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_MB * 1024 * 1024
    # Folders the "from a folder" form may read (and their subfolders).
    folder_roots: tuple[Path, ...] = ()
    # Host names the app answers to (against DNS rebinding); the bound host is added.
    allowed_hosts: tuple[str, ...] = LOCAL_HOSTS
    flush_every: int = FLUSH_EVERY
    # The pages' language until a user switches (nb or en); empty: report.language.
    language: str = ""
    # False in tests that drive the job runner by hand.
    run_jobs: bool = True

    def roots(self) -> tuple[Path, ...]:
        """The folder roots, resolved: the given ones, else the project and the home folder."""
        roots = self.folder_roots or (Path.cwd(), Path.home())
        return tuple(root.expanduser().resolve() for root in roots)

    def hosts(self) -> list[str]:
        hosts = list(self.allowed_hosts)
        if self.host not in ANY_ADDRESS and self.host not in hosts:
            hosts.append(self.host)
        return hosts


@dataclass
class AppState:
    settings: ServeSettings
    config: Config
    batches: BatchStore
    jobs: JobStore
    runner: JobRunner
    log: AnnotationLog
    secret: str = field(repr=False, default="")

    @property
    def default_language(self) -> str:
        """The pages' language until a user switches: `--language`, else the report's."""
        return self.settings.language or str(self.config.report.language)

    @classmethod
    def create(cls, settings: ServeSettings, config: Config | None = None) -> AppState:
        """The app's state for the project of `settings.params`, whose config is `config`
        when the caller has read it already."""
        from tema.serve.security import new_secret

        config = config or load_config(settings.params)
        data_dir = settings.data_dir
        data_dir.mkdir(parents=True, exist_ok=True)
        jobs = JobStore(data_dir)
        # The worker runs in this folder too, so relative paths mean the same to it.
        runner = JobRunner(jobs, settings.params, data_dir, Path.cwd())
        secret_file = data_dir / "secret_key"
        if not secret_file.is_file():
            # The session cookie's signing key: private to this user, kept so that a
            # restart does not log everyone out.
            fd = os.open(secret_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as handle:
                handle.write(new_secret())
        return cls(
            settings=settings,
            config=config,
            batches=BatchStore(data_dir, config),
            jobs=jobs,
            runner=runner,
            log=AnnotationLog(data_dir / "labels"),
            secret=secret_file.read_text().strip(),
        )
