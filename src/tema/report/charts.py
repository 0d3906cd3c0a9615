"""The reports' inline SVG charts: the geometry is computed here, the markup is in
``templates/inline/charts.svg``.

Each function works out where every bar, line, point and label goes (numbers, formatted
as the SVG attributes want them) and the texts of the labels and tooltips (plain text);
the template's macro writes the SVG and escapes every text. What a function returns is
that macro's output: escaped markup, ready to go into a page.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
from markupsafe import Markup

from tema.config import Theme
from tema.numbers import Style
from tema.report.look import OTHER_COLOUR, Look
from tema.report.tally import ALL_KEY, UNKNOWN_KEY
from tema.report.templating import macro

# Rows drawn in a per-meeting or per-region chart; the rest are in the Excel file.
CHART_ROWS = 40
# Groups with fewer units than this are marked: their shares are too uncertain to compare.
SMALL_GROUP = 30
SMALL_MARK = "*"
TEMPLATE = "inline/charts.svg"


def key_label(key: object, words: dict[str, str]) -> str:
    """A group's name as the reader sees it ("Alle", "(ukjent)" or the key itself)."""
    return {ALL_KEY: words["all"], UNKNOWN_KEY: words["unknown"]}.get(str(key), str(key))


def _at(value: float) -> str:
    """A coordinate as the charts write it: one decimal."""
    return f"{value:.1f}"


def _scale(top: float) -> float:
    """The axis maximum: the next tenth above `top`, at most 1."""
    return min(1.0, math.ceil(top * 10) / 10)


def overall_chart(overall: pd.DataFrame, look: Look) -> Markup:
    """One bar per theme with its 95% interval and a ◆ at the adjusted share."""
    label_w, bar_w, row_h, pad = 230, 420, 30, 10
    top = max([0.1, *overall["ci_high"].tolist(), *overall["adjusted_share"].fillna(0).tolist()])
    scale_max = _scale(top)

    def x(value: float) -> float:
        return label_w + bar_w * min(value, scale_max) / scale_max

    height = row_h * len(overall) + 30
    ticks = [
        {"x": _at(x(tick / 10)), "label": look.style.pct(tick / 10)}
        for tick in range(0, round(scale_max * 10) + 1)
    ]
    bars = []
    for i, row in enumerate(overall.itertuples()):
        y = i * row_h + pad
        name = look.names.get(row.theme, row.theme)
        adjusted = None
        # The share is written right of its interval, and of the ◆ (6 px either side of
        # the corrected share) where that lies further right.
        value_x = x(row.ci_high) + 6
        if not pd.isna(row.adjusted_share):
            value_x = max(value_x, x(row.adjusted_share) + 10)
            adjusted = {
                "path": f"M{_at(x(row.adjusted_share))},{y + 3} l6,7 l-6,7 l-6,-7 z",
                "title": f"{look.words['adjusted']}: {look.style.pct(row.adjusted_share, 1)}",
            }
        bars.append(
            {
                "name": name,
                "text_y": y + 14,
                "bar_y": y + 2,
                "bar_width": _at(x(row.share) - label_w),
                "colour": look.colours.get(row.theme, OTHER_COLOUR),
                "title": f"{name}: {look.style.pct(row.share, 1)} "
                f"({look.style.pct_range(row.ci_low, row.ci_high, 1)})",
                "ci_low": _at(x(row.ci_low)),
                "ci_high": _at(x(row.ci_high)),
                "ci_y": y + 10,
                "value_x": _at(value_x),
                "value": look.style.pct(row.share),
                "adjusted": adjusted,
            }
        )
    chart = {
        "label": look.words["summary_chart"],
        "width": label_w + bar_w + 80,
        "height": height,
        "grid_bottom": height - 20,
        "tick_y": height - 5,
        "label_x": label_w - 8,
        "bar_x": label_w,
        "ticks": ticks,
        "bars": bars,
    }
    return _draw("overall_chart", chart)


def stacked_chart(
    at_level: pd.DataFrame, look: Look, limit: int = CHART_ROWS
) -> tuple[Markup, int, int]:
    """One 100 % bar per key (largest first): theme shares side by side. Returns svg, shown, all."""
    totals = at_level.groupby("key")["count"].sum().sort_values(ascending=False, kind="stable")
    keys = totals.index[:limit].tolist()
    label_w, bar_w, row_h = 260, 460, 26
    indexed = at_level.set_index(["key", "theme"])
    rows = []
    for i, key in enumerate(keys):
        y = i * row_h + 3
        label = key_label(key, look.words)
        short = label if len(label) <= 32 else label[:31] + "…"
        small = bool(totals[key] < SMALL_GROUP)
        mark = SMALL_MARK if small else ""
        rows.append(
            {
                "label": label,
                "text": f"{short} (n={look.style.num(totals[key])}{mark})",
                "text_y": y + 15,
                "small": small,
                "segments": _segments(indexed, key, label, y, look, small),
            }
        )
    chart = {
        "width": label_w + bar_w + 10,
        "height": row_h * len(keys) + 6,
        "label_x": label_w - 8,
        "rows": rows,
    }
    return _draw("stacked_chart", chart), len(keys), len(totals)


def _segments(
    indexed: pd.DataFrame,
    key: Any,
    label: str,
    y: int,
    look: Look,
    small: bool,
) -> list[dict[str, Any]]:
    """The coloured parts of one key's bar, left to right, in theme order."""
    label_w, bar_w = 260, 460
    left = float(label_w)
    segments = []
    for theme in look.themes:
        if (key, theme.id) not in indexed.index:
            continue
        row = indexed.loc[(key, theme.id)]
        share = float(row["share"])
        width = bar_w * share
        if width <= 0:
            continue
        interval = look.style.pct_range(row["ci_low"], row["ci_high"], 1)
        segments.append(
            {
                "x": _at(left),
                "y": y,
                "width": _at(width),
                "colour": look.colours[theme.id],
                "faded": small,
                "title": f"{label} – {look.names[theme.id]}: {look.style.pct(share, 1)} "
                f"({look.words['interval']} {interval})",
                # The share in per cent, written on the bar when the bar is wide enough.
                "percent": f"{share * 100:.0f}" if share >= 0.08 else None,
                "percent_x": _at(left + width / 2),
                "percent_y": y + 14,
            }
        )
        left += width
    return segments


def period_time(period: str) -> float:
    """A period key ("2018", "2018-03", "2018-03-14") as a point in time, in years."""
    parts = [int(part) for part in str(period).split("-")]
    if len(parts) == 1:
        return float(parts[0])
    if len(parts) == 2:
        return parts[0] + (parts[1] - 1) / 12
    day = date(*parts[:3])
    return day.year + (day.timetuple().tm_yday - 1) / 365.25


def line_chart(over_time: pd.DataFrame, look: Look) -> Markup:
    """Share per theme over periods: one line per theme, on a time-proportional axis.

    Periods sit at their place in time (2018, 2019 and 2024 are not equally spaced); every
    year in the span has a faint grid line, and a line that jumps over periods without
    meetings (more than one year or month) is dashed.
    """
    periods = sorted(over_time["key"].unique())
    left, width, top_pad, height = 50, 600, 12, 260
    scale_max = _scale(max(0.1, float(over_time["share"].max())))
    times = {p: period_time(p) for p in periods}
    first, last = min(times.values()), max(times.values())
    span = last - first

    def x_of(moment: float) -> float:
        return left + (width * (moment - first) / span if span > 0 else width / 2)

    def y_of(value: float) -> float:
        return top_pad + height * (1 - value / scale_max)

    x = {p: x_of(times[p]) for p in periods}
    ticks = [
        {
            "y": _at(y_of(tick / 10)),
            "text_y": _at(y_of(tick / 10) + 4),
            "label": look.style.pct(tick / 10),
        }
        for tick in range(0, round(scale_max * 10) + 1)
    ]
    labelled = {round(times[p]) for p in periods if len(str(p)) == 4}
    years = range(math.ceil(first), math.floor(last) + 1) if 0 < span <= 40 else range(0)
    # A faint line per year, so that the distance between periods reads as time; the
    # year is written under it when no period label says it already.
    year_lines = [
        {
            "x": _at(x_of(year)),
            "label": year
            if year not in labelled and len(periods) > 1 and len(str(periods[0])) <= 7
            else None,
        }
        for year in years
    ]
    chart = {
        "width": left + width + 40,
        "height": height + 50,
        "left": left,
        "right": left + width,
        "tick_label_x": left - 6,
        "top": top_pad,
        "bottom": top_pad + height,
        "label_y": height + top_pad + 20,
        "ticks": ticks,
        "years": year_lines,
        "period_labels": _period_labels(periods, x),
        "themes": [
            _theme_line(over_time, theme, periods, times, x, y_of, look) for theme in look.themes
        ],
    }
    return _draw("line_chart", chart)


def _period_labels(periods: list[str], x: dict[str, float]) -> list[dict[str, str]]:
    """The periods written under the axis, leaving out one too close to the previous."""
    labels = []
    last_label = -1e9
    for period in periods:
        if x[period] - last_label < 36:
            continue  # too close to the previous label to be read
        last_label = x[period]
        labels.append({"x": _at(x[period]), "label": str(period)})
    return labels


def _theme_line(
    over_time: pd.DataFrame,
    theme: Theme,
    periods: list[str],
    times: dict[str, float],
    x: dict[str, float],
    y_of: Callable[[float], float],
    look: Look,
) -> dict[str, Any]:
    """One theme's line: segments between periods (dashed over a gap) and a point per period."""
    rows = over_time[over_time["theme"] == theme.id].set_index("key")["share"]
    points = [(x[p], y_of(float(rows.get(p, 0.0)))) for p in periods]
    step = {4: 1.0, 7: 1 / 12}.get(len(str(periods[0])))
    segments = [
        {
            "x1": _at(ax),
            "y1": _at(ay),
            "x2": _at(bx),
            "y2": _at(by),
            "dashed": step is not None and times[b] - times[a] > step * 1.5,
        }
        for (a, (ax, ay)), (b, (bx, by)) in zip(
            zip(periods, points, strict=True),
            zip(periods[1:], points[1:], strict=True),
            strict=False,
        )
    ]
    circles = [
        {
            "x": _at(px),
            "y": _at(py),
            "title": f"{look.names[theme.id]} {period}: {look.style.pct(rows.get(period, 0.0), 1)}",
        }
        for period, (px, py) in zip(periods, points, strict=True)
    ]
    return {"colour": look.colours[theme.id], "segments": segments, "points": circles}


def change_chart(rows: pd.DataFrame, names: dict[str, str], style: Style) -> Markup:
    """Diverging dot-and-interval chart of the change in percentage points (compare.html)."""
    label_w, plot_w, row_h = 230, 440, 28
    span = max(0.05, float(rows[["change_ci_low", "change_ci_high"]].abs().max().max()))
    span = float(np.ceil(span * 20) / 20)

    def x(value: float) -> float:
        return label_w + plot_w * (value + span) / (2 * span)

    height = row_h * len(rows) + 26
    changes = []
    for i, r in enumerate(rows.itertuples()):
        clear = r.change_ci_low > 0 or r.change_ci_high < 0
        name = names.get(r.theme, r.theme)
        changes.append(
            {
                "name": name,
                "y": i * row_h + 14,
                "text_y": i * row_h + 18,
                "low": _at(x(r.change_ci_low)),
                "high": _at(x(r.change_ci_high)),
                "x": _at(x(r.change)),
                "colour": ("#0072B2" if r.change > 0 else "#D55E00") if clear else "#8c8c8c",
                "title": f"{name}: {style.signed(r.change * 100)} "
                f"({style.signed(r.change_ci_low * 100)} … {style.signed(r.change_ci_high * 100)})",
            }
        )
    chart = {
        "width": label_w + plot_w + 20,
        "height": height,
        "zero": _at(x(0)),
        "axis_bottom": height - 20,
        "tick_y": height - 6,
        "label_x": label_w - 8,
        "ticks": [
            {"x": _at(x(tick)), "label": style.signed(tick * 100, 0)}
            for tick in np.linspace(-span, span, 5)
        ],
        "rows": changes,
    }
    return _draw("change_chart", chart)


def _draw(name: str, chart: dict[str, Any]) -> Markup:
    return macro(TEMPLATE, name)(chart)
