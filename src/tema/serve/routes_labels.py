"""The labelling overview (counts, imports, Cohen's kappa) and the retrain button."""

from __future__ import annotations

import itertools
import json
import threading
from dataclasses import dataclass
from typing import Any

import pandas as pd
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tema.errors import TemaError
from tema.serve.annotations import AnnotationLog, Decision, UnitKey
from tema.serve.pipeline import model_exists
from tema.serve.state import AppState
from tema.serve.web import annotator, redirect, render, state, state_changing

MIN_OVERLAP = 2
_KAPPA_CACHE: dict[tuple[str, int], list[Kappa]] = {}
_KAPPA_LOCK = threading.Lock()


@dataclass
class Kappa:
    first: str
    second: str
    n: int
    rows: list[Any]  # tema labels agreement's table: theme, kappa, ci_low, ci_high, agreement


def kappas(log: AnnotationLog, theme_ids: list[str]) -> list[Kappa]:
    """Cohen's kappa for every two annotators who labelled the same units (as `tema labels
    agreement` computes it, but paired by unit: two units may hold the same text, each
    labelled on its own); recomputed only when the log has grown."""
    from tema.labels.agreement import agreement

    key = (str(log.path), log.state().offset)
    with _KAPPA_LOCK:
        if key in _KAPPA_CACHE:
            return _KAPPA_CACHE[key]
    labels = log.labels()
    found = []
    for first, second in itertools.combinations(sorted(labels), 2):
        shared = sorted(set(labels[first]) & set(labels[second]))
        if len(shared) < MIN_OVERLAP:
            continue
        frames = [_frame(labels[who], shared) for who in (first, second)]
        try:
            table, _ = agreement(frames[0], frames[1], theme_ids)
        except TemaError:
            continue
        found.append(Kappa(first, second, len(shared), list(table.itertuples(index=False))))
    with _KAPPA_LOCK:
        _KAPPA_CACHE.clear()
        _KAPPA_CACHE[key] = found
    return found


def _frame(decisions: dict[UnitKey, Decision], units: list[UnitKey]) -> pd.DataFrame:
    """One annotator's labels of `units`, each under its unit's key (batch, doc, unit)."""
    return pd.DataFrame(
        [
            {
                "key": "\x1f".join(map(str, unit)),
                "text": decisions[unit].text,
                "label": decisions[unit].label,
                "second_label": decisions[unit].second_label,
            }
            for unit in units
        ]
    )


def _imports(log: AnnotationLog, limit: int = 20) -> list[dict[str, Any]]:
    if not log.imported_path.is_file():
        return []
    lines = log.imported_path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines[-limit:] if line.strip()][::-1]


async def labels_page(request: Request) -> Response:
    app = state(request)
    data = await run_in_threadpool(_labels_data, app, annotator(request))
    return render(request, "labels.html", **data)


def _labels_data(app: AppState, who: str) -> dict[str, Any]:
    pending = app.log.pending()
    job = app.jobs.latest("labels")
    return {
        "mine": dict(app.log.counts(who)) if who else {},
        "counts": dict(app.log.counts()),
        "pending_all": sum(len(items) for items in pending.values()),
        "imports": _imports(app.log),
        "kappas": kappas(app.log, app.config.theme_ids),
        "conflicts": str(app.config.labels.conflicts),
        "labeled": f"{app.config.train.labeled_dir}/",
        "job": job if job is not None and job.active else None,
    }


@state_changing
async def save_labels(request: Request) -> Response:
    state(request).jobs.submit("labels")
    return redirect("/labels")


async def retrain_page(request: Request) -> Response:
    app = state(request)
    jobs = [job for job in app.jobs.all() if job.kind == "retrain"]
    active = next((job for job in jobs if job.active), None)
    finished = [job for job in jobs if not job.active]
    refreshing = [job for job in app.jobs.all() if job.kind == "refresh" and job.active]
    return render(
        request,
        "retrain.html",
        job=active,
        last=finished[-1] if finished else None,
        refreshing=refreshing,
        pending=sum(len(items) for items in app.log.pending().values()),
        has_model=model_exists(app.config),
        candidate=f"{app.config.promote.candidate_dir}/",
    )


@state_changing
async def retrain(request: Request) -> Response:
    state(request).jobs.submit("retrain")
    return redirect("/retrain")


ROUTES = [
    Route("/labels", labels_page, name="labels"),
    Route("/labels/save", save_labels, methods=["POST"]),
    Route("/retrain", retrain_page, name="retrain"),
    Route("/retrain", retrain, methods=["POST"]),
]
