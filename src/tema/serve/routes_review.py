"""The review page: one unit at a time with its context; keys 1–9 label it.

A label, skip or undo is a POST that carries the unit it is about (never "whatever is
next"), so two tabs cannot label a unit they did not show, and the decision the page showed
for it ("seen"), so that a tab left open cannot replace a label given since in another
(AnnotationLog.decide). After it the browser is sent back to the review page (303), which
shows the next unit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tema.serve.batches import Batch, clean_field
from tema.serve.review import BatchUnits, UnitView, batch_units, next_unit, queue_order
from tema.serve.security import Refused
from tema.serve.state import AppState
from tema.serve.web import (
    annotator,
    form_text,
    local_path,
    not_found,
    redirect,
    refused,
    render,
    said_again,
    state,
    state_changing,
)


def _batch(request: Request) -> Batch | None:
    try:
        batch = state(request).batches.load(request.path_params["batch"])
    except (KeyError, ValueError):
        return None
    # A batch is reviewed once it has run (the pipeline's own: once its report is there).
    return batch if batch.run or (batch.read_only and batch.state == "done") else None


def _units(app: AppState, batch: Batch) -> BatchUnits:
    files = app.batches.files_of(batch)
    return batch_units(files.report_dir / "units.csv", files.units)


def _order_params(source: Callable[[str], str | None]) -> dict[str, str]:
    """The review order a request asks for: order=suggest|uncertain|theme:ID|doc:NAME, others."""
    order = source("order") or "suggest"
    params = {"order": order}
    if source("others") == "1":
        params["others"] = "1"
    return params


def _review_url(batch: Batch, params: dict[str, str], **extra: str) -> str:
    return f"/batches/{batch.id}/review?" + urlencode({**params, **extra})


def _order_of(app: AppState, batch: Batch, units: BatchUnits, order: str) -> list[int]:
    mode, _, value = order.partition(":")
    if mode == "suggest":
        return queue_order(units, app.batches.queue_path(batch))
    if mode in ("uncertain", "theme", "doc"):
        return units.order(mode, value)
    return units.order("all")


def _offered(order: str, units: BatchUnits, theme_ids: list[str]) -> bool:
    """Whether `order` is one the page's order menu offers (for this batch's documents)."""
    mode, colon, value = order.partition(":")
    if not colon:
        return mode in ("suggest", "uncertain")
    if mode == "theme":
        return value in theme_ids
    return mode == "doc" and value in units.documents()


async def review_page(request: Request) -> Response:
    app = state(request)
    batch = _batch(request)
    if batch is None:
        return not_found(request)
    who = annotator(request)
    params = _order_params(request.query_params.get)
    units = await run_in_threadpool(_units, app, batch)
    if not _offered(params["order"], units, app.config.theme_ids):
        # An order the menu does not offer (a URL typed or edited, a document no longer in
        # the batch): the default order, at an address that says so, as the menu shows it.
        return redirect(_review_url(batch, {**params, "order": "suggest"}))
    if not who:
        return render(request, "review.html", batch=batch, params=params, view=None,
                      current=None, pick=None, need_name=True, note="", counts={}, mine={},
                      pending=0, documents=[], job=None)  # fmt: skip
    data = await run_in_threadpool(_review_data, app, batch, who, params, request.query_params)
    return render(request, "review.html", batch=batch, params=params, need_name=False,
                  note=request.query_params.get("note", ""), **data)  # fmt: skip


def _review_data(
    app: AppState, batch: Batch, who: str, params: dict[str, str], query: Any
) -> dict[str, Any]:
    units = _units(app, batch)
    order = _order_of(app, batch, units, params["order"])
    skip = {(doc, unit) for b, doc, unit in app.log.decided_keys(who) if b == batch.id}
    if params.get("others") != "1":
        skip |= {(doc, unit) for b, doc, unit in app.log.labelled_by_others(who) if b == batch.id}
    pick = next_unit(order, units, skip)
    view: UnitView | None = None
    at_doc, at_unit = query.get("doc"), query.get("unit", "")
    # The unit an undo brought back, or one to decide again ("again": it got a label in
    # another tab after this one showed it).
    asked = at_doc is not None and at_unit.isdigit()
    if asked and ((at_doc, int(at_unit)) not in skip or query.get("again") == "1"):
        view = units.view(at_doc, int(at_unit))
    if view is None and pick.index is not None:
        row = units.units.iloc[pick.index]
        view = units.view(str(row["doc"]), int(row["unit"]))
    # What the page shows as the unit's decision goes back with the form ("seen"), so that
    # a key pressed on this page cannot silently replace a decision made since elsewhere.
    current = app.log.decision(who, (batch.id, view.doc, view.unit)) if view else None
    mine, everyone = app.log.counts(who), app.log.counts()
    pending = len(app.log.pending().get(who, []))
    suggest_job = app.jobs.latest("suggest", batch.id)
    if params["order"] == "suggest" and not app.batches.queue_path(batch).is_file():
        # The pipeline's own batch has no review order until one is made for it.
        suggest_job = app.jobs.submit("suggest", batch.id)
    return {
        "view": view,
        "current": current,
        "pick": pick,
        "mine": dict(mine),
        "counts": dict(everyone),
        "pending": pending,
        "documents": units.documents(),
        "job": suggest_job if suggest_job is not None and suggest_job.active else None,
    }


def _unit_from_form(units: BatchUnits, form: dict[str, str]) -> UnitView | None:
    doc, unit = form.get("doc", ""), form.get("unit", "")
    return units.view(doc, int(unit)) if unit.isdigit() else None


async def _form(request: Request) -> dict[str, str]:
    form = await request.form()
    return {key: value for key, value in form.items() if isinstance(value, str)}


@state_changing
async def label(request: Request) -> Response:
    return await _decide(request, "label")


@state_changing
async def skip(request: Request) -> Response:
    return await _decide(request, "skip")


@dataclass(frozen=True)
class _ReviewPost:
    """What a label, skip or undo acts on: the batch, the annotator, the form and the order
    of the review page to return to."""

    app: AppState
    batch: Batch
    who: str
    form: dict[str, str]
    params: dict[str, str]


async def _review_post(request: Request) -> _ReviewPost | None:
    """The review POST's parts; None for an unknown batch or when no annotator is set."""
    batch = _batch(request)
    who = annotator(request)
    if batch is None or not who:
        return None
    form = await _form(request)
    return _ReviewPost(state(request), batch, who, form, _order_params(form.get))


async def _decide(request: Request, action: str) -> Response:
    post = await _review_post(request)
    if post is None:
        return not_found(request)
    app, batch, who, form, params = post.app, post.batch, post.who, post.form, post.params
    theme_ids = app.config.theme_ids
    chosen = form.get("label", "") if action == "label" else ""
    second = form.get("second_label", "") if action == "label" else ""
    if action == "label" and chosen not in theme_ids:
        raise Refused("unknown_theme")
    if second not in theme_ids or second == chosen:
        second = ""
    units = await run_in_threadpool(_units, app, batch)
    view = _unit_from_form(units, form)
    if view is None:
        return redirect(_review_url(batch, params, note="gone"))
    key = (batch.id, view.doc, view.unit)
    seen = form.get("seen")  # None from a page rendered before pages said what they showed
    outcome, _ = await run_in_threadpool(
        app.log.decide, who, action, key, seen, view.text, chosen, second
    )
    if outcome == "saved":
        _flush_if_due(app, who)
    if outcome == "stale":
        # Show the unit again with the label it has now, to decide with that in view.
        return redirect(_review_url(batch, params, note=f"stale_{action}", doc=view.doc,
                                    unit=str(view.unit), again="1"))  # fmt: skip
    return redirect(_review_url(batch, params, note=outcome))


def _flush_if_due(app: AppState, who: str) -> None:
    """Enough pending labels: import them in the background (tema labels import's code)."""
    if len(app.log.pending().get(who, [])) >= app.settings.flush_every:
        app.jobs.submit("labels")


@state_changing
async def undo(request: Request) -> Response:
    post = await _review_post(request)
    if post is None:
        return not_found(request)
    batch, params = post.batch, post.params
    taken_back, why = await run_in_threadpool(post.app.log.undo, post.who, batch.id)
    if taken_back is None:
        return redirect(_review_url(batch, params, note=why))
    return redirect(
        _review_url(batch, params, note="undone", doc=taken_back.doc, unit=str(taken_back.unit))
    )


@state_changing
async def more(request: Request) -> Response:
    app = state(request)
    batch = _batch(request)
    if batch is None:
        return not_found(request)
    form = await _form(request)
    decided = sum(key[0] == batch.id for key in app.log.decided_keys(annotator(request)))
    n = app.config.labels.suggest_n + decided
    app.jobs.submit("suggest", batch.id, n=n)
    return redirect(_review_url(batch, _order_params(form.get)))


@state_changing
async def set_annotator(request: Request) -> Response:
    from tema.errors import TemaError
    from tema.labels.importing import annotator_slug

    name = clean_field(await form_text(request, "annotator"))[:60]
    back = local_path(await form_text(request, "next"))
    try:
        annotator_slug(name)
    except TemaError:
        # Back to the page that asked for the name, and its language switch goes there.
        return refused(request, Refused("name_needed"), back=back, this_page=back)
    request.session["annotator"] = name
    return redirect(back)


@state_changing
async def set_language(request: Request) -> Response:
    """The page the switch was on, in the other language: fetched again, or (a page that
    answered a form) shown again from what it said."""
    chosen = await form_text(request, "lang")
    if chosen in ("nb", "en"):
        request.session["lang"] = chosen
    page = local_path(await form_text(request, "next"))
    said = await form_text(request, "said")
    return (said_again(request, said, page) if said else None) or redirect(page)


ROUTES = [
    Route("/batches/{batch}/review", review_page, name="review"),
    Route("/batches/{batch}/review/label", label, methods=["POST"]),
    Route("/batches/{batch}/review/skip", skip, methods=["POST"]),
    Route("/batches/{batch}/review/undo", undo, methods=["POST"]),
    Route("/batches/{batch}/review/more", more, methods=["POST"]),
    Route("/annotator", set_annotator, methods=["POST"]),
    Route("/language", set_language, methods=["POST"]),
]
