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
from tema.numbers import NBSP, Style
from tema.report.charts import (
    CHART_ROWS,
    OTHER_COLOUR,
    SMALL_GROUP,
    SMALL_MARK,
    key_label,
    line_chart,
    overall_chart,
    stacked_chart,
    theme_colours,
)
from tema.report.model_text import about_lines, adjusted_text, describe_model, skip_reason
from tema.report.tally import Summary
from tema.report.templating import macro, render
from tema.report.words import TEXTS

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
    words = TEXTS[language]
    names = {theme.id: getattr(theme, language) for theme in themes}
    colours = theme_colours(themes)
    style = Style(language, NBSP)
    counts = summary.counts
    overall = counts[counts["level"] == "all"]
    unsure_pct = style.pct(summary.n_uncertain / summary.n_units if summary.n_units else 0.0)
    return render(
        "report.html",
        language=language,
        words=words,
        about=about_lines(summary, card, words, style, language),
        units_line=words["units"].format(
            n=style.num(summary.n_units),
            docs=style.num(summary.n_documents),
            unsure=style.num(summary.n_uncertain),
            pct=unsure_pct,
        ),
        overall_chart=overall_chart(overall, names, colours, words, style),
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
        groups=_group_sections(counts, themes, names, colours, words, style),
        over_time=_over_time_section(summary, themes, names, colours, words, style),
        examples=_examples(summary.examples, themes, names, words),
        review=_review(summary, names, words, style),
        method=_method(summary, themes, card, words, names, style),
    )


def _group_sections(
    counts: pd.DataFrame,
    themes: Sequence[Theme],
    names: dict[str, str],
    colours: dict[str, str],
    words: dict[str, str],
    style: Style,
) -> list[dict[str, Any]]:
    """The per-region and per-meeting sections: a chart and a table each."""
    sections = []
    for level, heading, label in GROUP_SECTIONS:
        at_level = counts[counts["level"] == level]
        if at_level.empty:
            continue
        chart, shown, total = stacked_chart(at_level, themes, names, colours, words, style)
        limited = ""
        if shown < total:
            limited = words["chart_limited"].format(shown=shown, total=style.num(total))
        sections.append(
            {
                "level": level,
                "heading": words[heading],
                "chart": chart,
                "limited": limited,
                "table": share_table(
                    at_level, themes, names, words, words[label], style, CHART_ROWS
                ),
            }
        )
    return sections


def _over_time_section(
    summary: Summary,
    themes: Sequence[Theme],
    names: dict[str, str],
    colours: dict[str, str],
    words: dict[str, str],
    style: Style,
) -> dict[str, Markup] | None:
    if not summary.period or summary.over_time.empty:
        return None
    heading = words[f"period_{summary.period}"]
    return {
        "chart": line_chart(summary.over_time, themes, names, colours, style),
        "table": share_table(summary.over_time, themes, names, words, heading, style),
    }


def share_table(
    at_level: pd.DataFrame,
    themes: Sequence[Theme],
    names: dict[str, str],
    words: dict[str, str],
    heading: str,
    style: Style,
    limit: int | None = None,
) -> Markup:
    """Wide table: one row per key, n and each theme's share with its 95 % interval below it.

    Rows of groups with fewer than SMALL_GROUP units are marked (``*`` after n, greyed) and
    explained under the table: their shares are too uncertain to compare.
    """
    totals = at_level.groupby("key")["count"].sum().sort_values(ascending=False, kind="stable")
    keys = totals.index.tolist() if limit is None else totals.index[:limit].tolist()
    indexed = at_level.set_index(["key", "theme"])
    rows = []
    for key in keys:
        cells = []
        for theme in themes:
            row = indexed.loc[(key, theme.id)]
            interval = style.pct_range(row["ci_low"], row["ci_high"])
            cells.append(
                {
                    "title": f"{words['interval']}: {interval}",
                    "share": style.pct(row["share"]),
                    "interval": interval,
                }
            )
        small = bool(totals[key] < SMALL_GROUP)
        rows.append(
            {
                "small": small,
                "label": key_label(key, words),
                "n": style.num(totals[key]) + (SMALL_MARK if small else ""),
                "cells": cells,
            }
        )
    note = words["interval_note"]
    if any(row["small"] for row in rows):
        note += " " + words["small_group_note"].format(mark=SMALL_MARK, n=SMALL_GROUP)
    table = {
        "heading": heading,
        "names": [names[t.id] for t in themes],
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


def _examples(
    examples: pd.DataFrame,
    themes: Sequence[Theme],
    names: dict[str, str],
    words: dict[str, str],
) -> list[dict[str, Any]]:
    """The quotes per theme, with where each comes from (themes without any left out)."""
    groups = []
    for theme in themes:
        chosen = examples[examples["theme"] == theme.id] if not examples.empty else examples
        if chosen.empty:
            continue
        quotes = [{"text": str(r.text), "where": _where(r, words)} for r in chosen.itertuples()]
        groups.append({"name": names[theme.id], "quotes": quotes})
    return groups


def _review(
    summary: Summary, names: dict[str, str], words: dict[str, str], style: Style
) -> dict[str, Any] | None:
    """The least confident uncertain units, for a person to read; None when there are none."""
    review = summary.review
    if review.empty:
        return None
    intro = words["review_intro"].format(
        n=style.num(summary.n_uncertain),
        shown=style.num(len(review)),
        sheet=words["sheet_review"],
    )
    units = []
    for r in review.itertuples():
        second = getattr(r, "second_theme", "")
        second = names.get(second, second) if isinstance(second, str) else ""
        units.append(
            {
                "text": str(r.text),
                "theme": names.get(r.theme, r.theme),
                "second_theme": second,
                "confidence": style.num(r.confidence, 2),
                "where": _where(r, words),
            }
        )
    return {"intro": intro, "units": units}


def _method(
    summary: Summary,
    themes: Sequence[Theme],
    card: dict[str, Any],
    words: dict[str, str],
    names: dict[str, str],
    style: Style,
) -> dict[str, Any]:
    """How the numbers were made: the correction, the model, its scores, skipped files."""
    # From the card's structured fields: its free-text description is English.
    lines = describe_model(card, style) + _score_lines(card, words, style)
    confusion = None
    if summary.confusion is not None:
        ids = [t.id for t in themes]
        confusion = {
            "names": [names[i] for i in ids],
            "rows": [
                {
                    "name": names[true],
                    "cells": [style.pct(summary.confusion.loc[true, pred]) for pred in ids],
                }
                for true in ids
            ],
        }
    return {
        "adjusted": adjusted_text(summary.confusion, words, style),
        "model_lines": lines,
        "theme_scores": _theme_scores(card, themes, names, style),
        "confusion": confusion,
        "skipped": [
            f"{item['file']}: {skip_reason(item, style.language)}" for item in summary.skipped
        ],
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
    if card.get("uncertainty_threshold") is not None:
        lines.append(words["threshold"].format(t=style.num(card["uncertainty_threshold"], 2)))
    return lines


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
