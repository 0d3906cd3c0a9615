"""The input of a batch that is not in its counts, for the app's report page.

report.html and report.xlsx list the files that could not be read (with why), the PDF
pages and the workbook sheets that were not read; the app's report page, built from
theme_counts.csv, lists them too, and the batch page lists the unread pages and sheets
below its own table of the files that could not be read (`UNREAD_LISTS`). They are read
as the report stage reads them: the run's skipped.csv (the files the app's check refused
and those ingest skipped) and its documents.jsonl (each document's `unread_pages` and
`unread_sheets`), and said in the report's words (`tema.report.model_text.left_out_lines`),
each file by the name the user sent it under (`tema.report.names.shown_left_out`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from tema.serve.pipeline import BatchFiles


@dataclass
class LeftOut:
    """What `tema.report.model_text.LeftOut` asks for, as the run's files hold it."""

    skipped: list[dict[str, str]] = field(default_factory=list)
    unread_pages: dict[str, list[int]] = field(default_factory=dict)
    unread_sheets: dict[str, list[str]] = field(default_factory=dict)


def read_left_out(files: BatchFiles) -> LeftOut:
    """The skipped files, unread pages and unread sheets of a run; none of a list whose
    file is not there (a run from before the app kept it)."""
    left = LeftOut()
    if files.skipped.is_file():
        left.skipped = _skipped(files.skipped)
    if files.documents.is_file():
        stat = files.documents.stat()
        pages, sheets = _unread(str(files.documents), stat.st_mtime_ns, stat.st_size)
        left.unread_pages = {file: list(numbers) for file, numbers in pages}
        left.unread_sheets = {file: list(names) for file, names in sheets}
    return left


def refused_skip(refused: dict[str, str]) -> dict[str, str]:
    """A file refused when it came in (an item of `Batch.refused`: by the name it was sent
    under, with the key of its `tema.serve.security.Refused`) as a row of skipped.csv: the
    English reason `tema ingest` gives such a file, and its code
    (`tema.report.model_text.SKIP_PATTERNS`). A refusal of another kind: code "other"."""
    suffix = Path(refused["file"]).suffix.lower()
    key = refused.get("reason", "")
    if key == "bad_content":
        said = REFUSED_CONTENT.get(suffix, REFUSED_CONTENT[".txt"])
    elif key == "bad_type":
        # As ingest says it, a file without an ending included: "'(none)'", not its name.
        from tema.ingest.readers import unknown_type_reason

        reason = unknown_type_reason(suffix)
        said = {"reason": reason, "code": "unknown_type" if suffix else "no_type"}
    elif key == "empty_file":
        said = {"reason": "is empty", "code": "empty"}
    elif key == "bad_name":
        said = {"reason": "the file name cannot be used", "code": "bad_name"}
    else:
        said = {"reason": refused.get("en", key), "code": "other"}
    return {"file": refused["file"], **said}


# What ingest says of a file whose content is not of its type (`check_content` refuses it).
REFUSED_CONTENT = {
    ".pdf": {"reason": "is not a readable PDF", "code": "bad_pdf"},
    ".docx": {"reason": "is not a readable Word (.docx) file", "code": "bad_docx"},
    ".xlsx": {"reason": "is not a readable Excel (.xlsx) file", "code": "bad_xlsx"},
    ".txt": {"reason": "is a binary file, not text", "code": "binary"},
}


# The lists the batch page adds below its table of the files that could not be read.
UNREAD_LISTS = ("unread_pages", "unread_sheets")


def left_out_lists(
    left: LeftOut, names: Mapping[str, str], lang: str, lists: Sequence[str] | None = None
) -> list[tuple[str, list[str]]]:
    """(heading, lines) of each list that has something in it, in `lang`, each file by
    its name in `names` (stored name → name sent under), as report.html words them; only
    those of `lists` (keys of `tema.report.model_text.LEFT_OUT_LISTS`) when given."""
    from tema.report.model_text import LEFT_OUT_LISTS, left_out_lines
    from tema.report.names import shown_left_out
    from tema.report.words import TEXTS

    shown = LeftOut(**shown_left_out(left, names))
    words = TEXTS[lang]
    lines = left_out_lines(shown, words, lang)
    keys = LEFT_OUT_LISTS if lists is None else [key for key in LEFT_OUT_LISTS if key in lists]
    return [(words[key], lines[key]) for key in keys if lines[key]]


def _skipped(path: Path) -> list[dict[str, str]]:
    from tema.io.tables import read_frame

    frame = read_frame(path, dtype={"file": "str", "reason": "str", "code": "str"})
    return [{str(k): str(v) for k, v in row.items()} for row in frame.to_dict("records")]


@lru_cache(maxsize=8)
def _unread(
    path: str, mtime_ns: int, size: int
) -> tuple[tuple[tuple[str, tuple[int, ...]], ...], tuple[tuple[str, tuple[str, ...]], ...]]:
    """The unread pages and sheets of each document of documents.jsonl, read once per
    version of the file (`mtime_ns`, `size`): a run's files do not change once it is done,
    and documents.jsonl holds every document's text."""
    from tema.ingest.stage import read_documents

    pages, sheets = [], []
    for document in read_documents(path):
        if document.unread_pages:
            pages.append((document.file, tuple(document.unread_pages)))
        if document.unread_sheets:
            sheets.append((document.file, tuple(document.unread_sheets)))
    return tuple(pages), tuple(sheets)
