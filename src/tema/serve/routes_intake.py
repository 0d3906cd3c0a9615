"""Pages that put files in a new batch: an upload, or a folder on the server."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tema.ingest.manifest import MANIFEST_NAMES, match_rows
from tema.serve.batches import Batch, clean_field, prefill, read_manifest_file
from tema.serve.security import (
    Refused,
    base_name,
    check_content,
    check_folder,
    file_type,
    files_in_folder,
    safe_filename,
    sent_name,
)
from tema.serve.state import AppState
from tema.serve.web import form_text, language, redirect, state, state_changing
from tema.serve.words import say

MAX_FILES = 2000


@state_changing
async def upload(request: Request) -> Response:
    app = state(request)
    form = await request.form(max_files=MAX_FILES, max_fields=MAX_FILES)
    uploads = [item for item in form.getlist("files") if isinstance(item, UploadFile)]
    uploads = [item for item in uploads if item.filename]
    if not uploads:
        raise Refused("no_files")
    name = _batch_name(await form_text(request, "name"), language(request))
    batch = app.batches.create(name, "upload")
    await run_in_threadpool(_save_uploads, app, batch, uploads)
    return redirect(f"/batches/{batch.id}/files")


def _batch_name(typed: str, lang: str, *others: str) -> str:
    """The name typed for a new batch, as it is kept (`clean_field`); without one (or only
    control characters), the first of `others` (a folder's name) with something left,
    else the time it came in, in the user's language: never the batch's id."""
    for name in (typed, *others):
        if clean_field(name):
            return clean_field(name)
    return say(lang, "upload_default_name", when=datetime.now())


def _save_uploads(app: AppState, batch: Batch, uploads: list[UploadFile]) -> None:
    folder = app.batches.incoming(batch.id)
    names: list[str] = []
    originals: dict[str, str] = {}
    for upload in uploads:
        # The name as the user's computer has it: shown, and what a manifest calls the file.
        original = sent_name(upload.filename or "")
        try:
            name = safe_filename(original)
            file_type(name)  # of the name it is saved and read under ("notat.txt " is .txt)
        except Refused as error:
            error.values["name"] = original
            batch.refused.append({"file": original, "reason": error.key, **_text(error)})
            continue
        target = folder / _free_name(folder, name, names)
        with open(target, "wb") as handle:
            shutil.copyfileobj(upload.file, handle)
        originals[target.name] = original
        _keep_if_valid(batch, target, names, original)
    _take_in(app, batch, names, originals)


def _keep_if_valid(batch: Batch, path: Path, names: list[str], original: str) -> None:
    """Keep the file at `path` in the batch if its content is of its type; else remove it
    and name it (by `original`, the name the user knows it by) with the reason."""
    try:
        check_content(path.name, path)
    except Refused as error:
        path.unlink()
        error.values["name"] = original
        batch.refused.append({"file": original, "reason": error.key, **_text(error)})
        return
    names.append(path.name)


def _text(error: Refused) -> dict[str, str]:
    """Both languages' message of a refusal, kept with the batch."""
    return {lang: say(lang, error.key, **error.values) for lang in ("nb", "en")}


def _free_name(folder: Path, name: str, taken: list[str]) -> str:
    """`name`, or name-2, name-3 … if a file of the batch already has it."""
    if name.lower() in MANIFEST_NAMES:
        return name.lower()
    stem, suffix = Path(name).stem, Path(name).suffix
    candidate, number = name, 1
    while candidate in taken or (folder / candidate).exists():
        number += 1
        candidate = f"{stem}-{number}{suffix}"
    return candidate


def _take_in(app: AppState, batch: Batch, names: list[str], originals: dict[str, str]) -> None:
    """The batch's files, with meeting, region and date from its manifest if it has one.

    `originals`: the safe name each file was saved under → its name as it came in (two
    files may have come in under one name). The manifest names the files as they came
    in; its rows follow them to their safe names (a name that came in twice: the first
    file of it), and the form shows the names as they came in.
    A row names its file as `tema ingest` matches them (`match_rows`: also ignoring case
    and Unicode composition where that is unambiguous).
    """
    documents = [name for name in names if name.lower() not in MANIFEST_NAMES]
    manifests = [name for name in names if name.lower() in MANIFEST_NAMES]
    rows: dict[str, dict[str, str]] = {}
    renamed: dict[str, str] = {}
    for stored in names:
        renamed.setdefault(originals.get(stored, stored), stored)
    if manifests:
        written, batch.manifest_error = read_manifest_file(
            app.batches.incoming(batch.id) / manifests[0]
        )
        rows = {_sent_file(name, renamed): row for name, row in written.items()}
        batch.manifest_name = manifests[0] if not batch.manifest_error else ""
    row_of = match_rows(documents, rows)
    batch.files = prefill(documents, {name: rows[row] for name, row in row_of.items()}, originals)
    # What does not match is named on the form (`tema ingest` refuses the first, warns of
    # the second).
    found = set(row_of.values())
    batch.manifest_missing = [name for name in rows if name not in found]
    batch.manifest_unlisted = [
        name for name in documents if batch.manifest_name and name not in row_of
    ]
    app.batches.save(batch)


def _sent_file(listed: str, renamed: dict[str, str]) -> str:
    """The stored name of the file a manifest row names (`listed`), else `listed`. A
    browser sends a name holding "%22" as one holding `"` (`sent_name`): a manifest that
    writes the name as the file has it finds it either way."""
    return renamed.get(base_name(listed)) or renamed.get(sent_name(listed)) or listed


@state_changing
async def from_folder(request: Request) -> Response:
    app = state(request)
    typed = await form_text(request, "folder")
    folder = check_folder(typed, app.settings.roots())
    name = _batch_name(await form_text(request, "name"), language(request), folder.name)
    found = await run_in_threadpool(files_in_folder, folder)
    if not found:
        raise Refused("no_files")
    batch = app.batches.create(name, "folder", str(folder))
    await run_in_threadpool(_copy_folder, app, batch, found[:MAX_FILES])
    return redirect(f"/batches/{batch.id}/files")


def _copy_folder(app: AppState, batch: Batch, paths: list[Path]) -> None:
    folder = app.batches.incoming(batch.id)
    names: list[str] = []
    originals: dict[str, str] = {}
    for path in paths:
        try:
            name = _free_name(folder, safe_filename(path.name), names)
        except Refused as error:
            batch.refused.append({"file": path.name, "reason": error.key, **_text(error)})
            continue
        shutil.copyfile(path, folder / name)
        originals[name] = base_name(path.name)
        _keep_if_valid(batch, folder / name, names, base_name(path.name))
    _take_in(app, batch, names, originals)


ROUTES = [
    Route("/batches/upload", upload, methods=["POST"]),
    Route("/batches/folder", from_folder, methods=["POST"]),
]
