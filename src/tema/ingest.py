"""Stage `ingest`: read the raw documents and their provenance into one JSON-lines file.

Each document keeps where it came from (file, meeting, region, date). Offsets later in
the pipeline are into the text as decoded here.
"""

from __future__ import annotations

import csv
import json
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

from tema.errors import InputError
from tema.files import atomic_write

MANIFEST_COLUMNS = ("file", "meeting", "region", "date")
TEXT_SUFFIXES = frozenset({".txt", ".md"})
# Bytes that only appear when UTF-8 was decoded as Latin-1/cp1252 somewhere upstream
# ("Ã¸" for "ø"); such text is repaired rather than passed on garbled.
_MOJIBAKE_MARKERS = ("Ã¸", "Ã¥", "Ã¦", "Ã˜", "Ã…", "Ã†", "Ã©")


@dataclass(frozen=True)
class Document:
    """One source document and its provenance."""

    doc: str
    file: str
    meeting: str
    region: str
    date: str
    text: str
    extra: dict[str, str] = field(default_factory=dict)


def decode_text(raw: bytes, path: str | Path) -> str:
    """Decode bytes as UTF-8, else cp1252 (old Windows exports); repair double-encoded text."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
        warnings.warn(f"{path}: not UTF-8; read as Windows-1252 (Latin-1)", stacklevel=2)
    if any(marker in text for marker in _MOJIBAKE_MARKERS):
        import ftfy  # wordfreq's dependency; repairs UTF-8 that was decoded as Latin-1

        text = ftfy.fix_encoding(text)
    return text


def read_document_text(path: str | Path) -> str:
    """The decoded text of one document; unreadable, empty or unknown files are errors."""
    path = Path(path)
    if path.suffix.lower() not in TEXT_SUFFIXES:
        raise InputError(
            path,
            f"unknown file type {path.suffix or '(none)'!r}; "
            f"tema reads {', '.join(sorted(TEXT_SUFFIXES))}",
        )
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(path, f"cannot be read: {exc.strerror}") from exc
    text = decode_text(raw, path)
    if not text.strip():
        raise InputError(path, "is empty")
    return text


def read_manifest(path: str | Path) -> dict[str, dict[str, str]]:
    """Manifest rows by file name; checks columns, duplicates and dates."""
    path = Path(path)
    rows: dict[str, dict[str, str]] = {}
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in MANIFEST_COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise InputError(
                    path,
                    f"missing column(s) {', '.join(missing)}; "
                    f"expected {', '.join(MANIFEST_COLUMNS)}",
                    line=1,
                )
            for row in reader:
                record = _check_manifest_row(path, reader.line_num, row, rows)
                rows[record["file"]] = record
    except OSError as exc:
        raise InputError(path, f"cannot be read: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise InputError(path, "is not UTF-8 text (save it as UTF-8 CSV)") from exc
    return rows


def _check_manifest_row(path: Path, line: int, row: dict, seen: dict) -> dict[str, str]:
    if None in row:
        raise InputError(path, "more fields than columns in the header", line)
    record = {key: (value or "").strip() for key, value in row.items()}
    if not record["file"]:
        raise InputError(path, "empty file name", line)
    if record["file"] in seen:
        raise InputError(path, f"{record['file']!r} is listed twice", line)
    if record["date"]:
        try:
            date.fromisoformat(record["date"])
        except ValueError as exc:
            raise InputError(path, f"date {record['date']!r} is not YYYY-MM-DD", line) from exc
    return record


def discover(raw_dir: str | Path, manifest_path: str | Path | None) -> list[Path]:
    """Documents in `raw_dir` (not the manifest itself), in a stable order."""
    raw_dir = Path(raw_dir)
    if not raw_dir.is_dir():
        raise InputError(raw_dir, "folder not found")
    manifest_name = Path(manifest_path).resolve() if manifest_path else None
    return sorted(
        path
        for path in raw_dir.iterdir()
        if path.is_file() and not path.name.startswith(".") and path.resolve() != manifest_name
    )


def ingest(raw_dir: str | Path, manifest_path: str | Path | None = None) -> Iterator[Document]:
    """Read every document in `raw_dir` with its provenance from the manifest."""
    raw_dir = Path(raw_dir)
    manifest = (
        read_manifest(manifest_path) if manifest_path and Path(manifest_path).exists() else {}
    )
    paths = discover(raw_dir, manifest_path)
    listed_missing = sorted(set(manifest) - {path.name for path in paths})
    if listed_missing:
        raise InputError(
            manifest_path, f"lists file(s) not in {raw_dir}: {', '.join(listed_missing)}"
        )
    for path in paths:
        entry = manifest.get(path.name)
        if entry is None:
            warnings.warn(
                f"{path}: not in the manifest; meeting taken from the file name", stacklevel=2
            )
            entry = {"file": path.name, "meeting": path.stem, "region": "", "date": ""}
        extra = {key: value for key, value in entry.items() if key not in MANIFEST_COLUMNS}
        yield Document(
            doc=path.name,
            file=str(path),
            meeting=entry["meeting"],
            region=entry["region"],
            date=entry["date"],
            text=read_document_text(path),
            extra=extra,
        )


def documents_from_files(paths: Iterable[str | Path]) -> Iterator[Document]:
    """Documents named on the command line, without a manifest."""
    for path in paths:
        path = Path(path)
        yield Document(
            doc=path.name,
            file=str(path),
            meeting=path.stem,
            region="",
            date="",
            text=read_document_text(path),
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
