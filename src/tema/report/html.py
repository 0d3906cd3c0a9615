"""report.html: one self-contained page (inline CSS and SVG; no scripts, fonts or links).

It opens offline in any browser and can be mailed as a single file. The page is the
Jinja2 template ``templates/report.html``; this module works out what it shows, as text
in the report's language and number style, and the template escapes every value
(`tema.report.templating`). The charts come from `tema.report.charts`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
from markupsafe import Markup

from tema.config import Theme
from tema.messages import counted
from tema.numbers import Style
from tema.report.charts import (
    CHART_ROWS,
    SMALL_GROUP,
    SMALL_MARK,
    key_label,
    line_chart,
    overall_chart,
    stacked_chart,
)
from tema.report.look import OTHER_COLOUR, Look
from tema.report.model_text import (
    about_lines,
    adjusted_text,
    describe_model,
    left_out_lines,
    uncertainty_lines,
)
from tema.report.summary import Summary
from tema.report.templating import macro, render

TABLES = "inline/tables.html"
# The per-group sections of the page: (level, heading, the table's first column).
GROUP_SECTIONS = (("region", "by_region", "region"), ("meeting", "by_meeting", "meeting"))


def render_html(
    summary: Summary,
    themes: Sequence[Theme],
    card: dict[str, Any],
    language: str = "nb",
) -> str:
    """The self-contained HTML report (no external scripts, fonts or images)."""
    look = Look.of(themes, language)
    words, names, colours, style = look.words, look.names, look.colours, look.style
    counts = summary.counts
    overall = counts[counts["level"] == "all"]
    unsure_pct = style.pct(summary.n_uncertain / summary.n_units if summary.n_units else 0.0)
    return render(
        "report.html",
        language=language,
        words=words,
        about=about_lines(summary, card, words, style, language),
        no_units=summary.n_units == 0,
        units_line=words["units"].format(
            n=counted(summary.n_units, "input", language, style.space),
            docs=counted(summary.n_documents, "document", language, style.space),
            unsure=style.num(summary.n_uncertain),
            pct=unsure_pct,
        ),
        overall_chart=overall_chart(overall, look),
        overall=[
            {
                "colour": colours.get(row.theme, OTHER_COLOUR),
                "name": names.get(row.theme, row.theme),
                "count": style.num(row.count),
                "share": style.pct(row.share),
                "interval": style.pct_range(row.ci_low, row.ci_high),
                "adjusted": style.pct(row.adjusted_share),
                "uncertain": style.num(row.uncertain),
            }
            for row in overall.itertuples()
        ],
        themes_legend=[{"colour": colours[t.id], "name": names[t.id]} for t in themes],
        groups=_group_sections(counts, look),
        over_time=_over_time_section(summary, look),
        examples=_examples(summary.examples, look),
        review=_review(summary, look),
        method=_method(summary, card, look),
    )


def _group_sections(counts: pd.DataFrame, look: Look) -> list[dict[str, Any]]:
    """The per-region and per-meeting sections: a chart and a table each."""
    sections = []
    for level, heading, label in GROUP_SECTIONS:
        at_level = counts[counts["level"] == level]
        if at_level.empty:
            continue
        chart, shown, total = stacked_chart(at_level, look)
        limited = ""
        if shown < total:
            limited = look.words["chart_limited"].format(shown=shown, total=look.style.num(total))
        sections.append(
            {
                "level": level,
                "heading": look.words[heading],
                "chart": chart,
                "limited": limited,
                "table": share_table(at_level, look, look.words[label], CHART_ROWS),
            }
        )
    return sections


def _over_time_section(summary: Summary, look: Look) -> dict[str, Markup | str] | None:
    if not summary.period or summary.over_time.empty:
        return None
    heading = look.words[f"period_{summary.period}"]
    undated = ""
    if summary.n_undated:
        undated = look.words["undated_note"].format(n=look.style.num(summary.n_undated))
    return {
        "chart": line_chart(summary.over_time, look),
        "table": share_table(summary.over_time, look, heading, chronological=True),
        "undated": undated,
    }


def share_table(
    at_level: pd.DataFrame,
    look: Look,
    heading: str,
    limit: int | None = None,
    chronological: bool = False,
) -> Markup:
    """Wide table: one row per key, n and each theme's share with its 95 % interval below it.

    Rows are the largest groups first, or (`chronological`, keys that are ISO dates or
    their prefixes) in time order. Rows of groups with fewer than SMALL_GROUP units are
    marked (``*`` after n, greyed) and explained under the table: their shares are too
    uncertain to compare.
    """
    totals = at_level.groupby("key")["count"].sum()
    totals = (
        totals.sort_index() if chronological else totals.sort_values(ascending=False, kind="stable")
    )
    keys = totals.index.tolist() if limit is None else totals.index[:limit].tolist()
    indexed = at_level.set_index(["key", "theme"])
    rows = []
    for key in keys:
        cells = []
        for theme in look.themes:
            row = indexed.loc[(key, theme.id)]
            interval = look.style.pct_range(row["ci_low"], row["ci_high"])
            cells.append(
                {
                    "title": f"{look.words['interval']}: {interval}",
                    "share": look.style.pct(row["share"]),
                    "interval": interval,
                }
            )
        small = bool(totals[key] < SMALL_GROUP)
        rows.append(
            {
                "small": small,
                "label": key_label(key, look.words),
                "n": look.style.num(totals[key]) + (SMALL_MARK if small else ""),
                "cells": cells,
            }
        )
    note = look.words["interval_note"]
    if any(row["small"] for row in rows):
        note += " " + look.words["small_group_note"].format(mark=SMALL_MARK, n=SMALL_GROUP)
    table = {
        "heading": heading,
        "names": [look.names[t.id] for t in look.themes],
        "rows": rows,
        "note": note,
    }
    return macro(TABLES, "share_table")(table)


def _where(row: Any, words: dict[str, str]) -> str:
    parts = [str(row.doc)]
    for column in ("page", "row"):
        value = getattr(row, column, None)
        if value is None or (not isinstance(value, str) and pd.isna(value)) or value == "":
            continue
        parts.append(f"{words[column].lower()} {int(value)}")
    meeting = getattr(row, "meeting", "")
    if isinstance(meeting, str) and meeting:
        parts.append(meeting)
    return ", ".join(parts)


def _examples(examples: pd.DataFrame, look: Look) -> list[dict[str, Any]]:
    """The quotes per theme, with where each comes from (themes without any left out)."""
    groups = []
    for theme in look.themes:
        chosen = examples[examples["theme"] == theme.id] if not examples.empty else examples
        if chosen.empty:
            continue
        quotes = [
            {"text": str(r.text), "where": _where(r, look.words)} for r in chosen.itertuples()
        ]
        groups.append({"name": look.names[theme.id], "quotes": quotes})
    return groups


def _review(summary: Summary, look: Look) -> dict[str, Any] | None:
    """The least confident uncertain units, for a person to read; None when there are none."""
    review = summary.review
    if review.empty:
        return None
    intro = look.words["review_intro"].format(
        n=look.style.num(summary.n_uncertain),
        shown=look.style.num(len(review)),
        sheet=look.words["sheet_review"],
    )
    units = []
    for r in review.itertuples():
        second = getattr(r, "second_theme", "")
        second = look.names.get(second, second) if isinstance(second, str) else ""
        units.append(
            {
                "text": str(r.text),
                "theme": look.names.get(r.theme, r.theme),
                "second_theme": second,
                "confidence": look.style.num(r.confidence, 2),
                "where": _where(r, look.words),
            }
        )
    return {"intro": intro, "units": units}


def _method(summary: Summary, card: dict[str, Any], look: Look) -> dict[str, Any]:
    """How the numbers were made: the correction, the model, its scores, skipped files."""
    # From the card's structured fields: its free-text description is English.
    lines = describe_model(card, look.style) + _score_lines(card, look.words, look.style)
    confusion = None
    if summary.confusion is not None:
        ids = [t.id for t in look.themes]
        confusion = {
            "names": [look.names[i] for i in ids],
            "rows": [
                {
                    "name": look.names[true],
                    "cells": [look.style.pct(summary.confusion.loc[true, pred]) for pred in ids],
                }
                for true in ids
            ],
        }
    return {
        "adjusted": adjusted_text(summary.confusion, look.words, look.style),
        "model_lines": lines,
        "theme_scores": _theme_scores(card, look.themes, look.names, look.style),
        "confusion": confusion,
        **left_out_lines(summary, look.words, look.style.language),
    }


def _score_lines(card: dict[str, Any], words: dict[str, str], style: Style) -> list[str]:
    """The model's cross-validated macro-F1 and accuracy, and its uncertainty threshold."""
    cv = card.get("cross_validation", {})
    lines = []
    if cv.get("macro_f1"):
        f1 = cv["macro_f1"]
        lines.append(
            words["model"].format(
                f1=style.num(f1["value"], 2), interval=style.dec_range(f1["ci_low"], f1["ci_high"])
            )
        )
    if cv.get("accuracy"):
        acc = cv["accuracy"]
        lines.append(
            words["accuracy"].format(
                value=style.num(acc["value"], 2),
                interval=style.dec_range(acc["ci_low"], acc["ci_high"]),
            )
        )
    return lines + uncertainty_lines(card, words, style)


def _theme_scores(
    card: dict[str, Any], themes: Sequence[Theme], names: dict[str, str], style: Style
) -> dict[str, list[dict[str, str]]] | None:
    """Each theme's cross-validated F1 with its interval; None when the card has none."""
    per_theme = card.get("cross_validation", {}).get("per_theme_f1") or {}
    if not per_theme:
        return None
    rows = [
        {
            "name": names[theme.id],
            "value": style.num(score["value"], 2),
            "interval": style.dec_range(score["ci_low"], score["ci_high"]),
        }
        for theme in themes
        if (score := per_theme.get(theme.id))
    ]
    return {"rows": rows}
