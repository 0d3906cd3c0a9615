"""The batch report in the app: the numbers of report.html, drill-down, and downloads.

The shares, intervals and adjusted shares are read from the batch's theme_counts.csv, the
file `tema report` wrote with report.html, so the two never disagree. A click on a share
lists the units behind it, from the report's units.csv.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route

from tema.report.tally import ALL_KEY, UNKNOWN_KEY
from tema.report.words import TEXTS
from tema.serve.batches import Batch
from tema.serve.left_out import left_out_lists, read_left_out
from tema.serve.review import batch_units
from tema.serve.web import language, not_found, render, state

LEVELS = ("region", "meeting", "document")
DOWNLOADS = {
    "report.html": "text/html; charset=utf-8",
    "report.xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "theme_counts.csv": "text/csv; charset=utf-8",
}
PAGE_SIZE = 100


@dataclass
class LevelTable:
    level: str
    heading: str
    keys: list[tuple[str, str, int]]  # (key, shown name, units)
    cells: dict[tuple[str, str], Any]  # (key, theme) → row of theme_counts


def _batch(request: Request) -> Batch | None:
    try:
        batch = state(request).batches.load(request.path_params["batch"])
    except (KeyError, ValueError):
        return None
    return batch if batch.state == "done" or batch.run or batch.read_only else None


def _report_dir(request: Request, batch: Batch) -> Path:
    return state(request).batches.files_of(batch).report_dir


async def report_page(request: Request) -> Response:
    batch = _batch(request)
    if batch is None:
        return not_found(request)
    folder = _report_dir(request, batch)
    if not (folder / "theme_counts.csv").is_file():
        return not_found(request)
    lang = language(request)
    counts = await run_in_threadpool(_read_counts, folder / "theme_counts.csv")
    context = _report_context(request, counts, lang)
    # Each document by the name its file was sent under (read once, not per row).
    names = batch.shown_names(lang)
    # The input not in the counts, as report.html lists it: skipped files, unread pages …
    left = await run_in_threadpool(read_left_out, state(request).batches.files_of(batch))
    return render(
        request, "report.html", batch=batch, names=names,
        left_out=left_out_lists(left, names, lang), **context,
    )  # fmt: skip


def _read_counts(path: Path) -> pd.DataFrame:
    from tema.io.tables import read_frame

    # A share without an adjusted value is empty: missing, as the chart expects it.
    return read_frame(
        path, empty_is_missing=("adjusted_share",), dtype={"key": "str", "theme": "str"}
    )


def _report_context(request: Request, counts: pd.DataFrame, lang: str) -> dict[str, Any]:
    from tema.report.charts import SMALL_GROUP, SMALL_MARK, overall_chart
    from tema.report.look import Look

    look = Look.of(state(request).config.themes, lang)
    words = look.words
    overall = counts[counts["level"] == "all"]
    chart = overall_chart(overall, look)
    tables = [_level_table(counts, level, words) for level in LEVELS]
    return {
        "rw": words,
        "overall": list(overall.itertuples(index=False)),
        "total": int(overall["count"].sum()),
        "uncertain_total": int(overall["uncertain"].sum()),
        "chart": chart,  # markup from tema.report.charts' autoescaped template
        "tables": [table for table in tables if table.keys],
        "n_documents": len(tables[-1].keys),
        "all_key": ALL_KEY,
        # Groups this small are greyed and starred, as in report.html, and explained.
        "small_group": SMALL_GROUP,
        "small_note": words["small_group_note"].format(mark=SMALL_MARK, n=SMALL_GROUP),
        "small_mark": SMALL_MARK,
    }


def _level_table(counts: pd.DataFrame, level: str, words: dict[str, str]) -> LevelTable:
    part = counts[counts["level"] == level]
    totals = part.groupby("key")["count"].sum().sort_values(ascending=False, kind="stable")
    shown = {UNKNOWN_KEY: words["unknown"]}
    keys = [(str(key), shown.get(str(key), str(key)), int(n)) for key, n in totals.items()]
    cells = {(str(row.key), str(row.theme)): row for row in part.itertuples(index=False)}
    heading = {
        "region": words["region"],
        "meeting": words["meeting"],
        "document": words["document"],
    }
    return LevelTable(level, heading[level], keys, cells)


async def units_page(request: Request) -> Response:
    """The units behind one share: a theme (or all) in one region, meeting or document."""
    batch = _batch(request)
    if batch is None:
        return not_found(request)
    files = state(request).batches.files_of(batch)
    level = request.query_params.get("level", "all")
    key = request.query_params.get("key", ALL_KEY)
    theme = request.query_params.get("theme", "")
    if level not in ("all", *LEVELS) or (theme and theme not in state(request).config.theme_ids):
        return not_found(request)
    try:
        page = max(0, int(request.query_params.get("page", "0")))
    except ValueError:
        page = 0
    rows, count, page = await run_in_threadpool(
        _units_of, files.report_dir / "units.csv", files.units, level, key, theme, page
    )
    lang = language(request)
    if level == "all":
        where = TEXTS[lang]["all"]
    elif key == UNKNOWN_KEY:
        where = TEXTS[lang]["unknown"]
    else:  # a document by the name the user gave its file
        where = batch.shown_name(key, lang) if level == "document" else key
    return render(
        request, "units.html", batch=batch, names=batch.shown_names(lang), rows=rows,
        count=count, level=level, key=key,
        theme=theme, page=page, pages=max(1, -(-count // PAGE_SIZE)), where=where,
        rw=TEXTS[lang],
    )  # fmt: skip


def _units_of(
    report_units: Path, segments: Path, level: str, key: str, theme: str, page: int
) -> tuple[list[Any], int, int]:
    """The units of one page (`page`, or the last if it is past the end), how many there
    are in all, and the page shown."""
    frame = batch_units(report_units, segments).units
    mask = pd.Series(True, index=frame.index)
    if level != "all":
        column = "doc" if level == "document" else level
        values = frame[column].astype(str).replace("", UNKNOWN_KEY)
        mask &= values == key
    if theme:
        mask &= frame["theme"] == theme
    chosen = frame[mask].sort_values("confidence", kind="stable")
    page = min(page, max(0, (len(chosen) - 1) // PAGE_SIZE))
    part = chosen.iloc[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    return list(part.itertuples(index=False)), len(chosen), page


async def download(request: Request) -> Response:
    batch = _batch(request)
    name = request.path_params["name"]
    if batch is None or name not in DOWNLOADS:
        return not_found(request)
    path = _report_dir(request, batch) / name
    if not path.is_file():
        return not_found(request)
    # Always a download, never shown as a page of this app (the report holds user text).
    if name == "theme_counts.csv" and batch.files:
        # Keyed by the stored names on disk (as units.csv, which the pages join it with);
        # the user's copy names each document as report.html does: as the user sent it.
        text = await run_in_threadpool(_counts_as_sent, path, batch, language(request))
        return Response(text, media_type=DOWNLOADS[name], headers=_attachment(name))
    return FileResponse(path, media_type=DOWNLOADS[name], filename=name,
                        content_disposition_type="attachment")  # fmt: skip


def _counts_as_sent(path: Path, batch: Batch, lang: str) -> str:
    from tema.report.names import shown_counts_csv

    return shown_counts_csv(path.read_text(encoding="utf-8"), batch.shown_names(lang))


def _attachment(name: str) -> dict[str, str]:
    return {"content-disposition": f'attachment; filename="{name}"'}


ROUTES = [
    Route("/batches/{batch}/report", report_page, name="report"),
    Route("/batches/{batch}/units", units_page, name="units"),
    Route("/batches/{batch}/download/{name}", download, name="download"),
]
