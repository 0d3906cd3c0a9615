"""Atomic file output: a reader never sees a half-written file, and a crash keeps the old one."""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import os
import re
import tempfile
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from tema.errors import InputError

if TYPE_CHECKING:
    import pandas as pd


@contextlib.contextmanager
def atomic_write(path: str | Path, mode: str = "w", encoding: str | None = "utf-8") -> Iterator[IO]:
    """Open a temporary file beside `path`; on success it replaces `path` in one rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    binary = "b" in mode
    # mkstemp creates the file private (0600); give it the permissions open() would.
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp_name, 0o666 & ~umask)
    try:
        with os.fdopen(
            fd, mode, encoding=None if binary else encoding, newline=None if binary else ""
        ) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise


def check_output(output: Path, inputs: Iterable[str | Path]) -> None:
    """Refuse an output file (`-o`) that would replace one of its own `inputs`, or whose
    name says another format than the CSV written into it ("-o svar.xlsx" would leave CSV
    text in a file Excel cannot open). Checked before anything is read or written."""
    if output.suffix.lower() != ".csv":
        raise InputError(output, "tema writes a CSV table here: give the output a .csv name")
    target = output.resolve()
    if any(Path(path).resolve() == target for path in inputs):
        raise InputError(
            output, "is also the input; writing would replace it. Name another output file"
        )


def write_csv(frame: pd.DataFrame, path: str | Path) -> None:
    with atomic_write(path) as handle:
        frame.to_csv(handle, index=False, lineterminator="\n")


def csv_line_of_row(path: str | Path, row: int) -> int:
    """The line of a UTF-8 CSV file (one tema wrote) on which its data row `row` starts
    (0 = the first row after the header): a quoted text may hold line breaks, so that
    rows and lines part ways."""
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        start = 1
        for index, _cells in enumerate(reader, start=-1):
            if index == row:
                return start
            start = reader.line_num + 1
    return start


def write_json(data: Any, path: str | Path) -> None:
    with atomic_write(path) as handle:
        handle.write(json_text(data))


def json_text(data: Any) -> str:
    """`data` as tema writes JSON: UTF-8 text, indented, keys in their order, a last newline."""
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def write_together(contents: Sequence[tuple[Path, bytes | str]]) -> None:
    """Write files that belong together (a model, its predictor, the card that binds them)
    so that none is replaced before all are complete: each is written to a temporary file
    beside it first, then they are renamed into place in the given order. A run killed or
    failing while writing leaves every old file as it was; only a kill between the renames,
    a matter of microseconds, leaves some old and some new."""
    with contextlib.ExitStack() as renames:
        # Entered last to first: an ExitStack leaves them in reverse, so the first listed
        # is renamed first, and an error unwinds every temporary file.
        for path, content in reversed(contents):
            binary = isinstance(content, bytes)
            handle = renames.enter_context(atomic_write(path, mode="wb" if binary else "w"))
            handle.write(content)


def sha256_of(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# The date every member of a zip written by tema carries (the earliest a zip can hold):
# an output must be the same bytes for the same input, or a fresh clone's `make run` would
# change dvc.lock (which records every output's hash).
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
_OFFICE_DATES = re.compile(rb"<dcterms:(created|modified)[^>]*>[^<]*</dcterms:\1>")


# Excel holds at most this many characters in a cell and calls a file with more damaged.
EXCEL_MAX_CELL_CHARS = 32_767


def fit_cell(text: str, note: str) -> str:
    """`text`, or as much of it as an Excel cell holds, ending with `note` that says so."""
    if len(text) <= EXCEL_MAX_CELL_CHARS:
        return text
    return text[: EXCEL_MAX_CELL_CHARS - len(note)] + note


def as_text_cell(cell: Any) -> Any:
    """An openpyxl cell whose text starts with "=" kept as that text, not a formula.

    openpyxl stores such a string as a formula, so Excel would show its result ("=1+2"
    as 3, "=HYPERLINK(…)" as a link) instead of what the person wrote, and would hand
    the result back to `tema labels import`.
    """
    if cell.data_type == "f":
        cell.data_type = "s"
    return cell


def reproducible_zip(data: bytes) -> bytes:
    """The zip `data` (an .xlsx, an .npz) without its time stamps: members dated
    `ZIP_DATE`, and an Office file's created/modified properties left out."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "docProps/core.xml":
                content = _OFFICE_DATES.sub(b"", content)
            member = zipfile.ZipInfo(info.filename, date_time=ZIP_DATE)
            member.compress_type = info.compress_type
            member.external_attr = info.external_attr
            target.writestr(member, content)
    return out.getvalue()


def write_npz(arrays: Mapping[str, Any], path: str | Path) -> None:
    """Arrays as an uncompressed .npz, atomically and without time stamps."""
    with atomic_write(path, mode="wb") as handle:
        handle.write(npz_bytes(arrays))


def npz_bytes(arrays: Mapping[str, Any]) -> bytes:
    """Arrays as the bytes of an uncompressed .npz without time stamps."""
    import numpy as np

    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return reproducible_zip(buffer.getvalue())


# Office's lock file beside a document open in Word or Excel ("~$notat.docx"): never a
# document of a batch.
LOCK_FILE_PREFIX = "~$"
# The first bytes of Office's old binary format (.doc, .xls), which is also the format of
# a password-protected .docx or .xlsx: neither can be read without Word or Excel.
OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def office_binary_reason(path: str | Path, suffix: str) -> str | None:
    """Why a file named .docx or .xlsx cannot be read, when it is an old binary Office file
    or a password-protected one (which only Word or Excel can open); else None."""
    try:
        with open(path, "rb") as handle:
            start = handle.read(len(OLE2_SIGNATURE))
    except OSError:
        return None
    if start != OLE2_SIGNATURE:
        return None
    return (
        f"is an old Office file or password-protected: open it, remove any password and "
        f"save it as {suffix}"
    )


# Letters NFKD does not take apart into a base letter and an accent (æ, ø, å's ring does
# come apart, but ø and æ do not): spelt as Norwegians spell them without the letter.
_ASCII_LETTERS = str.maketrans(
    {"æ": "ae", "ø": "o", "œ": "oe", "ß": "ss", "đ": "d", "ŧ": "t", "ŋ": "n", "ł": "l", "þ": "th"}
)


def ascii_letters(text: str) -> str:
    """`text` (lower case) with æ ø å é ü č … spelt in ASCII ("åse ødegård" → "ase
    odegard"), so that a name in a file name stays recognisable; other characters kept."""
    spelt = unicodedata.normalize("NFKD", text.casefold().translate(_ASCII_LETTERS))
    return "".join(char for char in spelt if not unicodedata.combining(char))
