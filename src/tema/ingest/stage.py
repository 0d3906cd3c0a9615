"""Stage `ingest`: read the raw documents and their provenance into one JSON-lines file.

Each document keeps where it came from (file, meeting, region, date). Offsets later in
the pipeline are into the text as decoded here.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tema.errors import InputError, UnreadableFile
from tema.ingest import readers
from tema.ingest.manifest import (
    MANIFEST_COLUMNS,
    MANIFEST_NAMES,
    SHEET,
    TEXT_COLUMN,
    find_manifest,
    line_of,
    match_rows,
    read_manifest,
)
from tema.io.files import LOCK_FILE_PREFIX, atomic_write

if TYPE_CHECKING:
    from tema.config import Config


@dataclass(frozen=True)
class Document:
    """One source document and its provenance.

    `pages`: offsets in `text` where each PDF page starts (empty for other formats).
    `headings`: spans [start, end] in `text` of the paragraphs its file marks as headings
    (Word's heading styles; empty for other formats).
    `unread_pages`: PDF pages (1-based) whose text is not in `text`: damaged, or scanned
    among pages with text; the report names them.
    `unread_sheets`: a workbook's other visible sheets that hold text, not read (the first
    visible sheet is, or the manifest's `sheet`); the report names them.
    `answers`: for survey tables, one entry per answer: its span in `text` (`start`,
    `end`), its `row` in the file and the row's other columns (`metadata`). Each answer
    is one unit; see `tema.segment.stage.segment_ingested`.
    """

    doc: str
    file: str
    meeting: str
    region: str
    date: str
    text: str
    extra: dict[str, str] = field(default_factory=dict)
    pages: list[int] = field(default_factory=list)
    answers: list[dict[str, Any]] = field(default_factory=list)
    headings: list[list[int]] = field(default_factory=list)
    unread_pages: list[int] = field(default_factory=list)
    unread_sheets: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Skipped:
    """A file left out of the batch, and why."""

    file: str
    reason: str


def discover(raw_dir: str | Path, manifest_path: str | Path | None) -> list[Path]:
    """Documents in `raw_dir` (not a manifest), in a stable order."""
    raw_dir = Path(raw_dir)
    if raw_dir.is_file():
        raise InputError(
            raw_dir,
            "is a file, not a folder: tema ingest reads a folder of documents (and its "
            "manifest); to sort one file, run tema classify FILE",
        )
    if not raw_dir.is_dir():
        raise InputError(raw_dir, "folder not found")
    manifest_name = Path(manifest_path).resolve() if manifest_path else None
    return sorted(
        path
        for path in raw_dir.iterdir()
        if path.is_file()
        and not path.name.startswith((".", LOCK_FILE_PREFIX))
        and path.name.lower() not in MANIFEST_NAMES
        and path.resolve() != manifest_name
    )


def unread_subfolders(raw_dir: Path, output_dirs: Iterable[Path] = ()) -> list[str]:
    """The names of `raw_dir`'s subfolders, which ingest does not read; not hidden ones, and
    not one that holds `output_dirs` (where the run writes: tema's own output is not input
    left unread)."""
    ours = [Path(folder).resolve() for folder in output_dirs]
    names = []
    for path in raw_dir.iterdir():
        if not path.is_dir() or path.name.startswith("."):
            continue
        folder = path.resolve()
        if not any(out == folder or folder in out.parents for out in ours):
            names.append(path.name)
    return sorted(names)


def ingest(
    raw_dir: str | Path,
    manifest_path: str | Path | None = None,
    *,
    text_columns: Sequence[str] = readers.DEFAULT_TEXT_COLUMNS,
    skipped: list[Skipped] | None = None,
    quiet: bool = True,
    output_dirs: Iterable[Path] = (),
) -> Iterator[Document]:
    """Read every document in `raw_dir` with its provenance from the manifest.

    The manifest is `manifest_path` if given, else the folder's own manifest.csv or
    manifest.xlsx (`find_manifest`); without one, each file's meeting is its name.
    Files that give no text (encrypted or scanned PDFs, unknown types, empty files) are
    left out with a warning naming them and appended to `skipped`; the batch goes on.
    Survey tables take their text column from the manifest's `text_column`, else the
    first of `text_columns` they have. Subfolders are not read; a warning names them
    (except `output_dirs`, where the run writes).
    """
    from tema.progress import progress

    raw_dir = Path(raw_dir)
    if manifest_path is None and raw_dir.is_dir():
        manifest_path = find_manifest(raw_dir)
    manifest = read_manifest(manifest_path) if manifest_path is not None else {}
    paths = discover(raw_dir, manifest_path)
    subfolders = unread_subfolders(raw_dir, output_dirs)
    if subfolders:
        warnings.warn(
            f"{raw_dir}: subfolder(s) not read: {', '.join(subfolders)}; tema reads the files "
            "of the folder itself (move them up, or ingest each folder as its own batch)",
            stacklevel=2,
        )
    row_of = match_rows([path.name for path in paths], manifest)
    found = set(row_of.values())
    listed_missing = [name for name in manifest if name not in found]  # in manifest order
    if listed_missing:
        raise InputError(
            manifest_path or raw_dir,
            f"lists file(s) not in {raw_dir}: {', '.join(listed_missing)}",
            # The line of the first one: the manifest is read again only to say where.
            line_of(manifest_path, listed_missing[0]) if manifest_path else None,
        )
    for path in progress(paths, "ingest", len(paths), quiet, unit="file"):
        listed = manifest.get(row_of.get(path.name, ""))
        entry = listed or {"file": path.name, "meeting": path.stem, "region": "", "date": ""}
        columns = [entry[TEXT_COLUMN]] if entry.get(TEXT_COLUMN) else list(text_columns)
        try:
            source = readers.read_source(path, columns, entry.get(SHEET) or None)
        except UnreadableFile as error:
            warnings.warn(f"{error}; skipped, the rest of the batch goes on", stacklevel=2)
            if skipped is not None:
                skipped.append(Skipped(str(path), error.reason))
            continue
        except InputError:
            # A table that stops the batch is still one to list (its fix may be a
            # `text_column` in the manifest).
            _warn_unlisted(path, listed)
            raise
        _warn_unlisted(path, listed)
        extra = {key: value for key, value in entry.items() if key not in MANIFEST_COLUMNS}
        yield _document(path, source, entry["meeting"], entry["region"], entry["date"], extra)


def _warn_unlisted(path: Path, listed: dict[str, str] | None) -> None:
    """Say that a file tema reads is not in the manifest. Only then: one skipped anyway (a
    picture, an empty file) needs no manifest row, and a second warning about it is noise."""
    if listed is None:
        warnings.warn(
            f"{path}: not in the manifest; meeting taken from the file name", stacklevel=3
        )


def documents_from_files(
    paths: Iterable[str | Path], text_columns: Sequence[str] = readers.DEFAULT_TEXT_COLUMNS
) -> Iterator[Document]:
    """Documents named on the command line, without a manifest."""
    for path in paths:
        path = Path(path)
        yield _document(path, readers.read_source(path, text_columns), meeting=path.stem)


def _document(
    path: Path,
    source: readers.Source,
    meeting: str,
    region: str = "",
    date: str = "",
    extra: dict[str, str] | None = None,
) -> Document:
    """The document of the file `path`, read as `source`, with its provenance. Every field
    of `Source` (text, pages, answers, headings, unread pages and sheets) is a field of
    `Document` of the same name and carries over."""
    read = {item.name: getattr(source, item.name) for item in fields(source)}
    return Document(
        doc=path.name,
        file=str(path),
        meeting=meeting,
        region=region,
        date=date,
        extra=extra or {},
        **read,
    )


def write_documents(documents: Iterable[Document], path: str | Path) -> int:
    """Write documents as JSON lines (atomically); returns how many were written."""
    count = 0
    with atomic_write(path) as handle:
        for document in documents:
            handle.write(json.dumps(asdict(document), ensure_ascii=False) + "\n")
            count += 1
    return count


def read_documents(path: str | Path) -> Iterator[Document]:
    """Stream documents back from a JSON-lines file written by `write_documents`."""
    path = Path(path)
    if not path.is_file():
        raise InputError(path, "not found (run `tema ingest` first)")
    with open(path, encoding="utf-8") as handle:
        for line_number, line in enumerate(handle, start=1):
            try:
                yield Document(**json.loads(line))
            except (json.JSONDecodeError, TypeError) as exc:
                raise InputError(path, f"not a document record: {exc}", line_number) from exc


def document_count(path: str | Path) -> int | None:
    """How many documents a JSON-lines file holds (its lines), for a progress bar; None
    if it cannot be read."""
    try:
        with open(path, "rb") as handle:
            return sum(1 for _ in handle)
    except OSError:
        return None


@dataclass(frozen=True)
class IngestResult:
    """What `run` wrote: `documents` documents to `output`, and the files it left out
    (`skipped`), listed in `skipped_path`."""

    documents: int
    output: Path
    skipped: list[Skipped]
    skipped_path: Path


def run(
    config: Config,
    raw_dir: Path | None = None,
    manifest: Path | None = None,
    output: Path | None = None,
    skipped: Path | None = None,
    *,
    quiet: bool = True,
) -> IngestResult:
    """The `ingest` stage: read the documents of `raw_dir` (default `ingest.raw_dir`) with
    their manifest (default: the folder's own, `find_manifest`) and write them as JSON
    lines, with the files left out and why in a CSV (columns `file, reason`).

    Without `output` these are the pipeline's files (`ingest.documents`, `ingest.skipped`);
    with it, the list of skipped files goes beside it (`skipped.csv`) unless `skipped`
    names it, never into the pipeline's. Both are written atomically.
    """
    import pandas as pd

    from tema.io.files import write_csv

    settings = config.ingest
    if output is None:
        output = settings.documents
        skipped = skipped or settings.skipped
    skipped_path = skipped or output.with_name("skipped.csv")
    left_out: list[Skipped] = []
    documents = ingest(
        raw_dir or settings.raw_dir,
        manifest,
        text_columns=settings.text_columns,
        skipped=left_out,
        quiet=quiet,
        output_dirs=(output.parent, skipped_path.parent),
    )
    count = write_documents(documents, output)
    write_csv(pd.DataFrame(left_out, columns=["file", "reason"]), skipped_path)
    return IngestResult(count, output, left_out, skipped_path)
