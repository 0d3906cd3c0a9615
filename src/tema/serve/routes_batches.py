"""Pages of the batches: the list, a batch's manifest form, starting, deleting and following
its run (files come in by `routes_intake`)."""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tema.ingest.manifest import date_fault, meeting_date, month_name
from tema.serve.batches import Batch, clean_field
from tema.serve.left_out import UNREAD_LISTS, left_out_lists, read_left_out
from tema.serve.pipeline import model_exists
from tema.serve.security import Refused
from tema.serve.state import AppState
from tema.serve.web import language, not_found, redirect, refused, render, state, state_changing
from tema.serve.words import say


async def index(request: Request) -> Response:
    app = state(request)
    batches = await run_in_threadpool(app.batches.all)
    jobs = {job.id: job for job in app.jobs.all() if job.active}
    return render(
        request,
        "index.html",
        batches=batches,
        jobs=jobs,
        roots=", ".join(str(root) for root in app.settings.roots()),
        max_mb=app.settings.max_upload_bytes // (1024 * 1024),
        has_model=model_exists(app.config),
    )


# --- the manifest form, and starting the run ---------------------------------------------
async def files_form(request: Request) -> Response:
    batch = _batch(request)
    if batch is None or batch.read_only:
        return not_found(request)
    # Dates written wrongly (in the manifest, or on the form before a refused start) are
    # named here too: the form shows them as written, to be corrected.
    lang = language(request)
    errors = _date_errors(batch, lang)
    # The files the manifest does not name, by the names they were sent under.
    unlisted = [batch.shown_name(name, lang) for name in batch.manifest_unlisted]
    return render(request, "files.html", batch=batch, errors=errors, bad_dates=_bad_dates(batch),
                  unlisted=unlisted)  # fmt: skip


def _idle_batch(request: Request) -> Batch | None:
    """The URL's batch if it may be changed now: None if there is none or it is read-only
    (the pipeline's own); a batch with a job queued or running is refused as busy."""
    batch = _batch(request)
    if batch is None or batch.read_only:
        return None
    if _busy(state(request), batch):
        raise Refused("busy")
    return batch


def _busy(app: AppState, batch: Batch) -> bool:
    """Whether a job works on the batch: its run, or a report updated with a new model or
    a new review order (each writes into the batch's folder, which must stay)."""
    return batch.state in ("queued", "running") or any(
        job.active and job.batch == batch.id for job in app.jobs.all()
    )


@state_changing
async def start(request: Request) -> Response:
    app = state(request)
    batch = _idle_batch(request)
    if batch is None:
        return not_found(request)
    form = await request.form()
    fields = {key: value for key, value in form.items() if isinstance(value, str)}
    _read_file_fields(batch, fields)
    if _bad_dates(batch):
        # Redirect-after-POST: the form's page (a GET) names the wrong dates and shows what
        # was typed, both kept with the batch, so Back, reload and the language switch
        # fetch a page rather than ask to send the form again.
        app.batches.save(batch)
        return redirect(f"/batches/{batch.id}/files")
    submit_batch(app, batch, language(request))
    return redirect(f"/batches/{batch.id}")


def _read_file_fields(batch: Batch, fields: dict[str, str]) -> None:
    """Meeting, region and date of each file from the form; a date in ISO form if it is one
    (else as written)."""
    for index, item in enumerate(batch.files):
        item.meeting = clean_field(fields.get(f"meeting_{index}", item.meeting))
        item.region = clean_field(fields.get(f"region_{index}", item.region))
        item.date = clean_field(fields.get(f"date_{index}", item.date))
        item.date = (meeting_date(item.date) if item.date else None) or item.date


def _date_errors(batch: Batch, lang: str) -> list[str]:
    """A sentence for each file whose date is not a date, the file by the name it was sent
    under."""
    return [
        date_error(lang, batch.shown_name(batch.files[index].name, lang), batch.files[index].date)
        for index in _bad_dates(batch)
    ]


def _bad_dates(batch: Batch) -> list[int]:
    """The rows of the form (indices of `batch.files`) whose date is not a date."""
    return [
        index
        for index, item in enumerate(batch.files)
        if item.date and meeting_date(item.date) is None
    ]


def date_error(lang: str, file: str, written: str) -> str:
    """Why the date `written` for `file` is not a date, in `lang`: not in the form, or (with
    the reason, as `tema ingest` gives it) in the form but no such day."""
    fault = date_fault(written)
    return say(
        lang,
        f"bad_date_{fault.kind}",
        file=file,
        date=written,
        year=fault.year,
        month=fault.month,
        month_name=month_name(fault.month, lang),
        days=fault.days,
    )


def submit_batch(app: AppState, batch: Batch, lang: str) -> None:
    """Queue the batch's run (and, in a project without a model, a first training)."""
    if not model_exists(app.config) and not any(
        job.kind == "train" and job.active for job in app.jobs.all()
    ):
        app.jobs.submit("train")
    job = app.jobs.submit("batch", batch.id, language=lang)
    batch.state, batch.job = "queued", job.id
    app.batches.save(batch)


@state_changing
async def rerun(request: Request) -> Response:
    app = state(request)
    batch = _idle_batch(request)
    if batch is None or not batch.files:
        return not_found(request)
    submit_batch(app, batch, language(request))
    return redirect(f"/batches/{batch.id}")


async def confirm_delete(request: Request) -> Response:
    """The question before a batch is deleted: there is no undo."""
    try:
        batch = _idle_batch(request)
    except Refused as error:  # a job works on it: say so, with the way back to it
        return refused(request, error, back=f"/batches/{request.path_params['batch']}")
    if batch is None:
        return not_found(request)
    return render(request, "delete.html", batch=batch)


@state_changing
async def delete(request: Request) -> Response:
    app = state(request)
    batch = _idle_batch(request)
    if batch is None:
        return not_found(request)
    if (await request.form()).get("confirm") != "yes":
        return redirect(f"/batches/{batch.id}/delete")  # only the question page confirms
    await run_in_threadpool(app.batches.delete, batch)
    return redirect("/")


# --- following a batch --------------------------------------------------------------------
async def batch_page(request: Request) -> Response:
    app = state(request)
    batch = _batch(request)
    if batch is None:
        return not_found(request)
    job = None
    if batch.job:
        try:
            job = app.jobs.load(batch.job)
        except KeyError:
            job = None
    refresh = app.jobs.latest("refresh", batch.id)
    # Once it has run: the PDF pages and sheets it did not read, as the report page says
    # it (the files it could not read are batch.rejected, in the table above them). The
    # project's own batch (`make run`) has no such table: its lists name those files too.
    left_out: list[tuple[str, list[str]]] = []
    if batch.run or batch.read_only:
        lang = language(request)
        left = await run_in_threadpool(read_left_out, app.batches.files_of(batch))
        lists = None if batch.read_only else UNREAD_LISTS
        left_out = left_out_lists(left, batch.shown_names(lang), lang, lists)
    return render(
        request,
        "batch.html",
        batch=batch,
        job=job,
        left_out=left_out,
        refreshing=refresh if refresh is not None and refresh.active else None,
        first_training=_active(app, "train"),
        busy=_busy(app, batch),
    )


def _active(app: AppState, kind: str) -> Any:
    return next((job for job in app.jobs.all() if job.kind == kind and job.active), None)


def _batch(request: Request) -> Batch | None:
    try:
        return state(request).batches.load(request.path_params["batch"])
    except (KeyError, ValueError):
        return None


ROUTES = [
    Route("/", index, name="index"),
    Route("/batches/{batch}", batch_page, name="batch"),
    Route("/batches/{batch}/files", files_form),
    Route("/batches/{batch}/start", start, methods=["POST"]),
    Route("/batches/{batch}/rerun", rerun, methods=["POST"]),
    Route("/batches/{batch}/delete", confirm_delete),
    Route("/batches/{batch}/delete", delete, methods=["POST"]),
]
