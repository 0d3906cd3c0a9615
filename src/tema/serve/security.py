"""What the app trusts of a browser: nothing it has not checked.

- **CSRF.** Every page gets the session's token (a random value in the signed session
  cookie, `SameSite=Strict`); every state-changing request must send it back, in the form
  field `csrf_token` or the header `X-CSRF-Token`, or it is refused with 403 (`check_csrf`).
- **Uploaded names** are reduced to a safe base name (`safe_filename`): no folders, no
  leading dot, no control or path characters, a bounded length.
- **Uploaded content** is checked against the name's type (`check_content`): `%PDF-` for
  a PDF, a zip with the Word or Excel parts for .docx/.xlsx, decodable text without NUL
  bytes for .txt/.md/.csv/.tsv. Nothing from the browser is unpickled or executed.
- **Folder paths** typed into the app are resolved (symlinks and `..` followed) and must
  lie under one of the allowed roots (`check_folder`).
"""

from __future__ import annotations

import hmac
import re
import secrets
import unicodedata
import zipfile
from pathlib import Path
from typing import Any

from starlette.requests import Request

from tema.errors import UnreadableFile
from tema.ingest.readers import READ_TYPES
from tema.io.files import LOCK_FILE_PREFIX

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SESSION_TOKEN = "csrf"
# Types the app takes in (the ones `tema ingest` reads, and a manifest).
TEXT_TYPES = frozenset({".txt", ".md", ".csv", ".tsv"})
ZIP_TYPES = {".docx": "word/document.xml", ".xlsx": "xl/workbook.xml"}
ACCEPTED_TYPES = TEXT_TYPES | frozenset(ZIP_TYPES) | {".pdf"}
MAX_NAME_LENGTH = 120
# Letters (any script, Norwegian included), digits and the punctuation Norwegian file names
# carry ("Referat, Ålesund – «høst» 2025.txt"); the rest becomes "_": slashes, the
# characters Windows refuses (<>:"|?*), and % and ; which links and tables read specially.
_UNSAFE = re.compile(r"[^\w.\- (),–—«»'’&+!]+", re.UNICODE)


class Refused(Exception):
    """A request or a file the app will not take; the message says why (English, logged)."""

    def __init__(self, key: str, **values: Any) -> None:
        # `key` names the user-facing message in tema.serve.words; `values` fill it in.
        self.key = key
        self.values = values
        super().__init__(f"{key}: {values}")


def session_token(request: Request) -> str:
    """The session's CSRF token, made on first use."""
    token = request.session.get(SESSION_TOKEN)
    if not isinstance(token, str) or len(token) < 32:
        token = secrets.token_urlsafe(32)
        request.session[SESSION_TOKEN] = token
    return token


async def check_csrf(request: Request) -> None:
    """Refuse (Refused "csrf") a request whose token is missing or not the session's."""
    expected = request.session.get(SESSION_TOKEN)
    sent = request.headers.get(CSRF_HEADER)
    if sent is None:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()
            value = form.get(CSRF_FIELD)
            sent = value if isinstance(value, str) else None
    if not isinstance(expected, str) or not sent or not hmac.compare_digest(sent, expected):
        raise Refused("csrf")


def base_name(name: str) -> str:
    """The last part of a path as a browser or a folder gives it, NFC-normalised: both
    kinds of slash count as folders (a Windows browser may send "C:\\a\\b.txt")."""
    return unicodedata.normalize("NFC", re.split(r"[\\/]", name)[-1])


# How a browser writes three characters of a file name in a form it sends (WHATWG HTML,
# "multipart/form-data encoding"); python-multipart hands the name on as sent.
_FORM_ESCAPES = re.compile("%22|%0A|%0D")
_FORM_CHARACTERS = {"%22": '"', "%0A": "\n", "%0D": "\r"}


def sent_name(filename: str) -> str:
    """The `base_name` of an uploaded file as the user's computer names it: a browser sends
    `"` as %22 and a line break as %0A or %0D, and leaves a `%` as it is (so a name that
    really holds "%22" cannot be told apart; every browser writes names this way: the
    limit is in docs/serve.md)."""
    return base_name(_FORM_ESCAPES.sub(lambda found: _FORM_CHARACTERS[found[0]], filename))


def safe_filename(name: str) -> str:
    """A base name safe to write in a folder of the app's own: "../../x.txt" → "x.txt".

    The `base_name`, without control characters, leading dots and spaces; the stem is cut
    to a bounded length. Refused ("bad_name") when nothing usable is left.
    """
    base = base_name(name)
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C")
    base = _UNSAFE.sub("_", base).strip(" .")
    base = base.lstrip("-")
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    stem = stem[: MAX_NAME_LENGTH - len(suffix) - 1].rstrip(" .")
    if not stem:
        raise Refused("bad_name", name=name)
    return f"{stem}.{suffix.lower()}" if suffix else stem


def file_type(name: str) -> str:
    """The lower-case suffix of a name, if the app takes that type; else Refused("bad_type")."""
    suffix = Path(name).suffix.lower()
    if suffix not in ACCEPTED_TYPES:
        # Named in the order ingest's messages name them (the same set: tested).
        raise Refused("bad_type", name=name, types=", ".join(READ_TYPES))
    return suffix


def check_content(name: str, path: Path) -> None:
    """Refuse (Refused "bad_content") a file whose bytes are not what its name says, and
    (Refused "empty_file") an empty one."""
    suffix = file_type(name)
    if path.stat().st_size == 0:
        raise Refused("empty_file", name=name)
    with open(path, "rb") as handle:
        head = handle.read(8192)
    if suffix == ".pdf":
        ok = head.startswith(b"%PDF-")
    elif suffix in ZIP_TYPES:
        ok = _is_office_zip(path, ZIP_TYPES[suffix])
    else:
        ok = _is_text(path)
    if not ok:
        raise Refused("bad_content", name=name, type=suffix)


def _is_office_zip(path: Path, part: str) -> bool:
    if not zipfile.is_zipfile(path):
        return False
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError):
        return False
    return "[Content_Types].xml" in names and part in names


def _is_text(path: Path) -> bool:
    """Text in an encoding ingest reads (`tema.io.encodings.decode`): UTF-16 (with or
    without its byte-order mark), UTF-8, Mac OS Roman, or Windows-1252 without a byte it
    has no character for."""
    from tema.io.encodings import decode

    try:
        text, encoding = decode(path.read_bytes(), path)
    except UnreadableFile:
        return False
    return encoding != "cp1252" or "\ufffd" not in text


def check_folder(typed: str, roots: tuple[Path, ...]) -> Path:
    """The folder a user typed, resolved; it must exist and lie under one of `roots`."""
    text = typed.strip()
    if not text:
        raise Refused("no_folder")
    if "\x00" in text:
        raise Refused("bad_folder", folder=typed)
    folder = Path(text).expanduser()
    try:
        folder = folder.resolve(strict=True)
    except (OSError, RuntimeError) as exc:
        raise Refused("bad_folder", folder=typed) from exc
    if not folder.is_dir():
        raise Refused("bad_folder", folder=typed)
    if not any(folder == root or root in folder.parents for root in roots):
        raise Refused("folder_outside", folder=str(folder), roots=", ".join(str(r) for r in roots))
    return folder


def files_in_folder(folder: Path) -> list[Path]:
    """The regular files directly in `folder` the app takes (by name), sorted; a symlink
    counts only if it points to a file inside the folder. Office's lock files are not
    documents (as `tema ingest` skips them)."""
    found = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith((".", LOCK_FILE_PREFIX)) or (
            Path(path.name).suffix.lower() not in ACCEPTED_TYPES
        ):
            continue
        if path.is_symlink():
            target = path.resolve()
            if target.parent != folder or not target.is_file():
                continue
        if path.is_file():
            found.append(path)
    return found


def new_secret() -> str:
    return secrets.token_urlsafe(48)
