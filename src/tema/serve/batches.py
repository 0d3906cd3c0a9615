"""Batches of the browser app: each in its own folder under the app's data folder.

    <data>/batches/<id>/batch.json          what the batch is (files, meeting, region, date)
    <data>/batches/<id>/incoming/           the files as uploaded or copied (safe names)
    <data>/batches/<id>/runs/<run>/         one complete run: raw/ (the checked files and the
                                            manifest.csv the app wrote), documents.jsonl,
                                            skipped.csv, units.csv, classified.csv,
                                            report/ and suggestions.csv (the review order;
                                            its .xlsx and Label Studio files beside it)

A run is written into a new folder and becomes the batch's current run (`run` in
batch.json, itself written atomically) only when every step is done, so an interrupted
run — a server restart, a killed job — never leaves a batch with half its outputs. The
pipeline's own batch (`make run`: data/raw → reports/) is shown as the batch `pipeline`,
read from the paths in params.yaml and never written by the app.
"""

from __future__ import annotations

import csv
import json
import os
import re
import secrets
import shutil
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tema.io.files import atomic_write
from tema.serve.pipeline import BatchFiles
from tema.serve.words import WORDS

if TYPE_CHECKING:
    from tema.config import Config

PIPELINE = "pipeline"
_BATCH_ID = re.compile(r"^(\d{8}-\d{6}-[0-9a-f]{6}|pipeline)$")
_RUN_ID = re.compile(r"^[0-9a-z-]{1,64}$")
MANIFEST_FIELDS = ("file", "meeting", "region", "date")
MAX_FIELD = 200


@dataclass
class BatchFile:
    """One file of a batch and what the manifest says of it (`extra`: its other columns).

    `name` is the safe name it is stored under (and the pipeline's document); `original`
    the name it had on the user's computer, which the pages show ("" when the same, or in
    a batch from before the app kept it)."""

    name: str
    meeting: str = ""
    region: str = ""
    date: str = ""
    extra: dict[str, str] = field(default_factory=dict)
    original: str = ""

    @property
    def shown(self) -> str:
        return self.original or self.name


@dataclass
class Batch:
    id: str
    name: str
    created: str
    origin: str  # upload | folder | pipeline
    folder: str = ""
    files: list[BatchFile] = field(default_factory=list)
    state: str = "draft"  # draft | queued | running | done | failed | interrupted
    job: str = ""
    run: str = ""
    # Files refused when they came in (name or content), and files the last run could not
    # read (the reasons `tema ingest` gives): {"file", "reason", and the text per language}.
    refused: list[dict[str, str]] = field(default_factory=list)
    rejected: list[dict[str, str]] = field(default_factory=list)
    summary: dict[str, int] = field(default_factory=dict)
    manifest_name: str = ""
    # Why the manifest could not be read, per language ({"nb": …, "en": …}).
    manifest_error: dict[str, str] = field(default_factory=dict)
    # Files the manifest lists that did not come in, and files that came in unlisted: the
    # form says so (`tema ingest` refuses the first and warns of the second).
    manifest_missing: list[str] = field(default_factory=list)
    manifest_unlisted: list[str] = field(default_factory=list)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Batch:
        files = [BatchFile(**item) for item in data.get("files", [])]
        error = data.get("manifest_error") or {}
        if isinstance(error, str):  # a batch from before the app kept both languages
            error = dict.fromkeys(WORDS, error)
        return cls(**{**data, "files": files, "manifest_error": error})

    @property
    def read_only(self) -> bool:
        return self.origin == PIPELINE

    def shown_name(self, document: str, lang: str) -> str:
        """A document of the batch by the name the user gave its file (`document`: the
        stored name, as the pipeline's tables name it), as `shown_names` gives it."""
        return self.shown_names(lang).get(document, document)

    def shown_names(self, lang: str) -> dict[str, str]:
        """Each file's stored name → the name the pages and the report show for it: the
        name the user gave it. Where several files were sent under one name (each stored
        under a name of its own: "Notat.txt", "Notat-2.txt"), each but the one stored under
        that very name has the stored name added, as on the form: "Notat.txt (lagret som
        Notat-2.txt)". So no two are shown alike: no kept file's sent name ends in ")" (its
        safe name would have a type the app does not take)."""
        sent = Counter(item.shown for item in self.files)
        return {
            item.name: _with_stored_name(item, lang)
            if item.original and sent[item.shown] > 1
            else item.shown
            for item in self.files
        }


def _with_stored_name(item: BatchFile, lang: str) -> str:
    return f"{item.shown} ({WORDS[lang]['stored_as'].format(name=item.name)})"


def valid_batch_id(batch_id: str) -> bool:
    return bool(_BATCH_ID.match(batch_id))


class BatchStore:
    """The batches in `<data>/batches`, read and written atomically."""

    def __init__(self, data_dir: Path, config: Config | None) -> None:
        self.root = data_dir / "batches"
        self._config = config

    @property
    def config(self) -> Config:
        if self._config is None:
            raise RuntimeError("the pipeline's batch needs the project's config")
        return self._config

    # -- paths
    def folder(self, batch_id: str) -> Path:
        if not valid_batch_id(batch_id):
            raise KeyError(batch_id)
        return self.root / batch_id

    def incoming(self, batch_id: str) -> Path:
        return self.folder(batch_id) / "incoming"

    def run_dir(self, batch_id: str, run: str) -> Path:
        if not _RUN_ID.match(run):
            raise KeyError(run)
        return self.folder(batch_id) / "runs" / run

    def files_of(self, batch: Batch, run: str | None = None) -> BatchFiles:
        """The pipeline files of a run of the batch (its current run by default)."""
        if batch.read_only:
            config = self.config
            return BatchFiles(
                raw_dir=config.ingest.raw_dir,
                documents=config.ingest.documents,
                skipped=config.ingest.skipped,
                units=config.segment.units,
                classified=config.classify.classified,
                report_dir=config.report.out_dir,
                # The app's own file: `make run` writes the rest, never the app.
                suggestions=self.folder(PIPELINE) / "suggestions.csv",
            )
        return BatchFiles.in_folder(self.run_dir(batch.id, run or batch.run or "none"))

    def queue_path(self, batch: Batch) -> Path:
        """The review order (`tema suggest`'s picks) of the batch's current run."""
        return self.files_of(batch).suggestions

    # -- reading and writing
    def load(self, batch_id: str) -> Batch:
        if batch_id == PIPELINE:
            return self.pipeline_batch()
        path = self.folder(batch_id) / "batch.json"
        if not path.is_file():
            raise KeyError(batch_id)
        return Batch.from_dict(json.loads(path.read_text(encoding="utf-8")))

    def save(self, batch: Batch) -> None:
        if batch.read_only:
            return
        with atomic_write(self.folder(batch.id) / "batch.json") as handle:
            json.dump(asdict(batch), handle, ensure_ascii=False, indent=1)

    def all(self) -> list[Batch]:
        """The app's batches, newest first, then the pipeline's when its report is there."""
        batches = self._own()
        pipeline = self.pipeline_batch()
        if pipeline.state == "done":
            batches.append(pipeline)
        return batches

    def _own(self) -> list[Batch]:
        batches = []
        if self.root.is_dir():
            for path in sorted(self.root.iterdir(), reverse=True):
                if path.name != PIPELINE and valid_batch_id(path.name):
                    try:
                        batches.append(self.load(path.name))
                    except (KeyError, ValueError, TypeError):
                        continue  # a folder being created, or not the app's
        return batches

    def pipeline_batch(self) -> Batch:
        """The batch of `make run`, when its report is there."""
        config = self.config
        done = (config.report.out_dir / "theme_counts.csv").is_file() and (
            config.report.out_dir / "units.csv"
        ).is_file()
        return Batch(
            id=PIPELINE,
            name=str(config.ingest.raw_dir),
            created="",
            origin=PIPELINE,
            folder=str(config.ingest.raw_dir),
            state="done" if done else "draft",
        )

    def create(self, name: str, origin: str, folder: str = "") -> Batch:
        now = datetime.now()
        batch_id = f"{now:%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"
        self.incoming(batch_id).mkdir(parents=True)
        batch = Batch(
            id=batch_id,
            name=self._unused_name(clean_field(name) or batch_id),
            created=now.astimezone().isoformat(timespec="seconds"),
            origin=origin,
            folder=folder,
        )
        self.save(batch)
        return batch

    def _unused_name(self, name: str) -> str:
        """`name`, or `name (2)`, `name (3)` … when a batch already has it: the list and the
        reports name batches, and two of one name would only be told apart by the time.
        (Unique as long as batches are created one at a time: `create` runs on the event
        loop, with no await between reading the names and saving the new batch.)"""
        taken = {batch.name for batch in self._own()}
        number = 2
        unused = name
        while unused in taken:
            suffix = f" ({number})"
            unused = name[: MAX_FIELD - len(suffix)] + suffix
            number += 1
        return unused

    def delete(self, batch: Batch) -> None:
        if not batch.read_only:
            shutil.rmtree(self.folder(batch.id), ignore_errors=True)

    def new_run(self, batch: Batch, run: str) -> BatchFiles:
        """A fresh run folder holding the batch's files and the manifest the app writes."""
        files = self.files_of(batch, run)
        shutil.rmtree(files.raw_dir.parent, ignore_errors=True)
        files.raw_dir.mkdir(parents=True)
        for item in batch.files:
            _link_or_copy(self.incoming(batch.id) / item.name, files.raw_dir / item.name)
        write_manifest(batch.files, files.raw_dir / "manifest.csv")
        return files

    def finish_run(self, batch: Batch, run: str) -> None:
        """Make `run` the batch's current run and remove the older ones."""
        batch.run = run
        self.save(batch)
        runs = self.folder(batch.id) / "runs"
        for old in runs.iterdir():
            if old.name != run:
                shutil.rmtree(old, ignore_errors=True)

    def drop_run(self, batch_id: str, run: str) -> None:
        """Remove an unfinished run (never the current one)."""
        try:
            batch = self.load(batch_id)
        except KeyError:
            return
        if run and run != batch.run and not batch.read_only:
            shutil.rmtree(self.run_dir(batch_id, run), ignore_errors=True)


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def clean_field(value: str) -> str:
    """A manifest or name field: one line, no control characters, bounded length."""
    text = "".join(ch if ch.isprintable() else " " for ch in value)
    return " ".join(text.split())[:MAX_FIELD]


def write_manifest(files: list[BatchFile], path: Path) -> None:
    """manifest.csv as `tema ingest` reads it (file, meeting, region, date, then the
    source manifest's other columns)."""
    extra = sorted({key for item in files for key in item.extra})
    with atomic_write(path) as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow([*MANIFEST_FIELDS, *extra])
        for item in files:
            writer.writerow(
                [item.name, item.meeting, item.region, item.date]
                + [item.extra.get(key, "") for key in extra]
            )


def prefill(
    names: list[str], manifest: dict[str, dict[str, str]], originals: dict[str, str]
) -> list[BatchFile]:
    """Files with meeting, region and date from the manifest where it lists them, else the
    file name as the meeting (as `tema ingest` does without a manifest): the name the user
    gave the file (`originals`: stored name → that name, where they differ)."""
    files = []
    for name in names:
        row = manifest.get(name)
        original = originals.get(name, name)
        if row is None:
            meeting = clean_field(Path(original).stem)
            files.append(BatchFile(name=name, meeting=meeting, original=_if_other(original, name)))
            continue
        extra = {k: v for k, v in row.items() if k not in MANIFEST_FIELDS and k}
        files.append(
            BatchFile(
                name=name,
                meeting=row.get("meeting", ""),
                region=row.get("region", ""),
                date=row.get("date", ""),
                extra=extra,
                original=_if_other(original, name),
            )
        )
    return files


def _if_other(original: str, name: str) -> str:
    return original if original != name else ""


def read_manifest_file(path: Path) -> tuple[dict[str, dict[str, str]], dict[str, str]]:
    """A manifest's rows by file name, or no rows and the reason it cannot be read in each
    of the app's languages (`tema.serve.input_errors`), naming the file and line."""
    from tema.errors import InputError, TemaError
    from tema.ingest.manifest import read_manifest
    from tema.serve.input_errors import input_error

    try:
        return read_manifest(path, keep_bad_dates=True), {}
    except InputError as error:
        return {}, {lang: input_error(error, lang) for lang in WORDS}
    except TemaError as error:
        return {}, {lang: str(error) for lang in WORDS}
