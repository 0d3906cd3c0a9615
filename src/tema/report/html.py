"""The HTML report: one self-contained page (inline CSS and SVG; no scripts, fonts or links).

It opens offline in any browser and can be mailed as a single file.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from typing import Any

import pandas as pd

from tema.numbers import NBSP, Style
from tema.params import Theme
from tema.report.model_text import describe_model, skip_reason
from tema.report.tally import ALL_KEY, MIN_IMPORTED_UNITS, UNKNOWN_KEY, Summary
from tema.report.words import TEXTS

# Okabe–Ito colours (readable with colour blindness); "other" is grey.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
OTHER_COLOUR = "#8c8c8c"
# Rows drawn in a per-meeting or per-region chart; the rest are in the Excel file.
CHART_ROWS = 40
# Groups with fewer units than this are marked: their shares are too uncertain to compare.
SMALL_GROUP = 30
SMALL_MARK = "*"

STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;max-width:64em;
margin:2em auto;padding:0 1em;color:#1d1d1d;line-height:1.45}
h1{font-size:1.8em;margin-bottom:.2em}h2{margin-top:2em;border-bottom:2px solid #0072B2}
table{border-collapse:collapse;margin:1em 0;font-size:.92em}
td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left;vertical-align:top}
th{background:#f1f4f7}td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
blockquote{border-left:4px solid #0072B2;margin:.6em 0;padding:.2em .9em;background:#f7f9fb}
blockquote small{color:#555}.legend{display:flex;flex-wrap:wrap;gap:.4em 1.2em;margin:.5em 0}
.legend span{display:inline-flex;align-items:center;gap:.35em}
.sw{display:inline-block;width:.9em;height:.9em;border-radius:2px}
figure{margin:1em 0}figcaption{color:#555;font-size:.9em}svg text{font-family:inherit}
.note{color:#555;font-size:.9em}.ci{color:#666;font-size:.8em}
tr.small td{color:#666;font-style:italic;background:#fafafa}
ul.about{list-style:none;padding:.5em .9em;margin:.5em 0 1em;background:#f1f4f7;color:#333;
font-size:.92em}
"""


def theme_colours(themes: Sequence[Theme]) -> dict[str, str]:
    colours, index = {}, 0
    for theme in themes:
        if theme.id == "other":
            colours[theme.id] = OTHER_COLOUR
        else:
            colours[theme.id] = PALETTE[index % len(PALETTE)]
            index += 1
    return colours


def _label(key: str, words: dict[str, str]) -> str:
    return {ALL_KEY: words["all"], UNKNOWN_KEY: words["unknown"]}.get(str(key), str(key))


def legend(themes: Sequence[Theme], names: dict[str, str], colours: dict[str, str]) -> str:
    esc = html.escape
    items = "".join(
        f'<span><i class="sw" style="background:{colours[t.id]}"></i>{esc(names[t.id])}</span>'
        for t in themes
    )
    return f'<div class="legend">{items}</div>'


def overall_chart(
    overall: pd.DataFrame,
    names: dict[str, str],
    colours: dict[str, str],
    words: dict[str, str],
    style: Style,
) -> str:
    """One bar per theme with its 95% interval and a ◆ at the adjusted share."""
    esc = html.escape
    label_w, bar_w, row_h, pad = 230, 420, 30, 10
    top = max([0.1, *overall["ci_high"].tolist(), *overall["adjusted_share"].fillna(0).tolist()])
    scale_max = min(1.0, math.ceil(top * 10) / 10)
    x = lambda v: label_w + bar_w * min(v, scale_max) / scale_max  # noqa: E731
    height = row_h * len(overall) + 30
    parts = [
        f'<svg role="img" aria-label="{esc(words["summary_chart"])}" width="{label_w + bar_w + 80}"'
        f' height="{height}" viewBox="0 0 {label_w + bar_w + 80} {height}">'
    ]
    for tick in range(0, round(scale_max * 10) + 1):
        value = tick / 10
        parts.append(
            f'<line x1="{x(value):.1f}" x2="{x(value):.1f}" y1="0" y2="{height - 20}" '
            f'stroke="#e3e3e3"/><text x="{x(value):.1f}" y="{height - 5}" font-size="11" '
            f'text-anchor="middle" fill="#555">{style.pct(value)}</text>'
        )
    for i, row in enumerate(overall.itertuples()):
        y = i * row_h + pad
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 14}" font-size="13" text-anchor="end">'
            f"{esc(names.get(row.theme, row.theme))}</text>"
            f'<rect x="{label_w}" y="{y + 2}" width="{x(row.share) - label_w:.1f}" height="16" '
            f'fill="{colours.get(row.theme, OTHER_COLOUR)}"><title>'
            f"{esc(names.get(row.theme, row.theme))}: {style.pct(row.share, 1)} "
            f"({style.pct_range(row.ci_low, row.ci_high, 1)})</title></rect>"
            f'<line x1="{x(row.ci_low):.1f}" x2="{x(row.ci_high):.1f}" y1="{y + 10}" '
            f'y2="{y + 10}" stroke="#111" stroke-width="2"/>'
            f'<text x="{x(row.ci_high) + 6:.1f}" y="{y + 14}" font-size="12" fill="#333">'
            f"{style.pct(row.share)}</text>"
        )
        if not pd.isna(row.adjusted_share):
            cx = x(row.adjusted_share)
            parts.append(
                f'<path d="M{cx:.1f},{y + 3} l6,7 l-6,7 l-6,-7 z" fill="#fff" stroke="#111" '
                f'stroke-width="1.5"><title>{esc(words["adjusted"])}: '
                f"{style.pct(row.adjusted_share, 1)}</title></path>"
            )
    parts.append("</svg>")
    return "".join(parts)


def stacked_chart(
    at_level: pd.DataFrame,
    themes: Sequence[Theme],
    names: dict[str, str],
    colours: dict[str, str],
    words: dict[str, str],
    style: Style,
    limit: int = CHART_ROWS,
) -> tuple[str, int, int]:
    """One 100 % bar per key (largest first): theme shares side by side. Returns svg, shown, all."""
    esc = html.escape
    totals = at_level.groupby("key")["count"].sum().sort_values(ascending=False, kind="stable")
    keys = totals.index[:limit].tolist()
    label_w, bar_w, row_h = 260, 460, 26
    height = row_h * len(keys) + 6
    parts = [
        f'<svg role="img" width="{label_w + bar_w + 10}" height="{height}" '
        f'viewBox="0 0 {label_w + bar_w + 10} {height}">'
    ]
    indexed = at_level.set_index(["key", "theme"])
    for i, key in enumerate(keys):
        y = i * row_h + 3
        label = _label(key, words)
        short = label if len(label) <= 32 else label[:31] + "…"
        small = totals[key] < SMALL_GROUP
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 15}" font-size="12" text-anchor="end"'
            + (' fill="#666" font-style="italic"' if small else "")
            + f"><title>{esc(label)}</title>{esc(short)} (n={style.num(totals[key])}"
            + f"{SMALL_MARK if small else ''})</text>"
        )
        left = float(label_w)
        for theme in themes:
            share = (
                float(indexed.loc[(key, theme.id), "share"])
                if (key, theme.id) in indexed.index
                else 0.0
            )
            width = bar_w * share
            if width <= 0:
                continue
            row = indexed.loc[(key, theme.id)]
            parts.append(
                f'<rect x="{left:.1f}" y="{y}" width="{width:.1f}" height="20" '
                f'fill="{colours[theme.id]}"'
                + (' fill-opacity="0.5"' if small else "")
                + f"><title>{esc(label)} – {esc(names[theme.id])}: {style.pct(share, 1)} "
                f"({words['interval']} {style.pct_range(row['ci_low'], row['ci_high'], 1)})"
                "</title></rect>"
            )
            if share >= 0.08:
                parts.append(
                    f'<text x="{left + width / 2:.1f}" y="{y + 14}" font-size="11" '
                    f'text-anchor="middle" fill="#fff">{share * 100:.0f}</text>'
                )
            left += width
    parts.append("</svg>")
    return "".join(parts), len(keys), len(totals)


def period_time(period: str) -> float:
    """A period key ("2018", "2018-03", "2018-03-14") as a point in time, in years."""
    from datetime import date

    parts = [int(part) for part in str(period).split("-")]
    if len(parts) == 1:
        return float(parts[0])
    if len(parts) == 2:
        return parts[0] + (parts[1] - 1) / 12
    day = date(*parts[:3])
    return day.year + (day.timetuple().tm_yday - 1) / 365.25


def line_chart(
    over_time: pd.DataFrame,
    themes: Sequence[Theme],
    names: dict[str, str],
    colours: dict[str, str],
    style: Style,
) -> str:
    """Share per theme over periods: one line per theme, on a time-proportional axis.

    Periods sit at their place in time (2018, 2019 and 2024 are not equally spaced); every
    year in the span has a faint grid line, and a line that jumps over periods without
    meetings (more than one year or month) is dashed.
    """
    esc = html.escape
    periods = sorted(over_time["key"].unique())
    left, width, top_pad, height = 50, 600, 12, 260
    top = max(0.1, float(over_time["share"].max()))
    scale_max = min(1.0, math.ceil(top * 10) / 10)
    times = {p: period_time(p) for p in periods}
    first, last = min(times.values()), max(times.values())
    span = last - first

    def x_of(moment: float) -> float:
        return left + (width * (moment - first) / span if span > 0 else width / 2)

    x = {p: x_of(times[p]) for p in periods}
    y = lambda v: top_pad + height * (1 - v / scale_max)  # noqa: E731
    parts = [
        f'<svg role="img" width="{left + width + 40}" height="{height + 50}" '
        f'viewBox="0 0 {left + width + 40} {height + 50}">'
    ]
    for tick in range(0, round(scale_max * 10) + 1):
        value = tick / 10
        parts.append(
            f'<line x1="{left}" x2="{left + width}" y1="{y(value):.1f}" y2="{y(value):.1f}" '
            f'stroke="#e3e3e3"/><text x="{left - 6}" y="{y(value) + 4:.1f}" font-size="11" '
            f'text-anchor="end" fill="#555">{style.pct(value)}</text>'
        )
    labelled = {round(times[p]) for p in periods if len(str(p)) == 4}
    years = range(math.ceil(first), math.floor(last) + 1) if 0 < span <= 40 else ()
    for year in years:
        # A faint line per year, so that the distance between periods reads as time.
        parts.append(
            f'<line class="year" x1="{x_of(year):.1f}" x2="{x_of(year):.1f}" y1="{top_pad}" '
            f'y2="{top_pad + height}" stroke="#eeeeee"/>'
        )
        if year not in labelled and len(periods) > 1 and len(str(periods[0])) <= 7:
            parts.append(
                f'<text x="{x_of(year):.1f}" y="{height + top_pad + 20}" font-size="10" '
                f'text-anchor="middle" fill="#999">{year}</text>'
            )
    last_label = -1e9
    for period in periods:
        if x[period] - last_label < 36:
            continue  # too close to the previous label to be read
        last_label = x[period]
        parts.append(
            f'<text x="{x[period]:.1f}" y="{height + top_pad + 20}" font-size="11" '
            f'text-anchor="middle" fill="#333">{esc(str(period))}</text>'
        )
    steps = {4: 1.0, 7: 1 / 12}
    gap = steps.get(len(str(periods[0])))
    for theme in themes:
        rows = over_time[over_time["theme"] == theme.id].set_index("key")["share"]
        points = [(x[p], y(float(rows.get(p, 0.0)))) for p in periods]
        colour = colours[theme.id]
        for (a, (ax, ay)), (b, (bx, by)) in zip(
            zip(periods, points, strict=True),
            zip(periods[1:], points[1:], strict=True),
            strict=False,
        ):
            jump = gap is not None and times[b] - times[a] > gap * 1.5
            parts.append(
                f'<line x1="{ax:.1f}" y1="{ay:.1f}" x2="{bx:.1f}" y2="{by:.1f}" '
                f'stroke="{colour}" stroke-width="2.5"'
                + (' stroke-dasharray="6 4"' if jump else "")
                + "/>"
            )
        for period, (px, py) in zip(periods, points, strict=True):
            parts.append(
                f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3.5" fill="{colour}"><title>'
                f"{esc(names[theme.id])} {esc(str(period))}: {style.pct(rows.get(period, 0.0), 1)}"
                "</title></circle>"
            )
    parts.append("</svg>")
    return "".join(parts)


def share_table(
    at_level: pd.DataFrame,
    themes: Sequence[Theme],
    names: dict[str, str],
    words: dict[str, str],
    heading: str,
    style: Style,
    limit: int | None = None,
) -> str:
    """Wide table: one row per key, n and each theme's share with its 95 % interval below it.

    Rows of groups with fewer than SMALL_GROUP units are marked (``*`` after n, greyed) and
    explained under the table: their shares are too uncertain to compare.
    """
    esc = html.escape
    totals = at_level.groupby("key")["count"].sum().sort_values(ascending=False, kind="stable")
    keys = totals.index.tolist() if limit is None else totals.index[:limit].tolist()
    indexed = at_level.set_index(["key", "theme"])
    rows = [
        "<table class='shares'><tr><th>"
        + esc(heading)
        + "</th><th>n</th>"
        + "".join(f"<th>{esc(names[t.id])}</th>" for t in themes)
        + "</tr>"
    ]
    for key in keys:
        cells = []
        for theme in themes:
            row = indexed.loc[(key, theme.id)]
            interval = style.pct_range(row["ci_low"], row["ci_high"])
            cells.append(
                f"<td class='n' title='{esc(words['interval'])}: {interval}'>"
                f"{style.pct(row['share'])}<br><span class='ci'>{interval}</span></td>"
            )
        small = totals[key] < SMALL_GROUP
        rows.append(
            ("<tr class='small'>" if small else "<tr>")
            + f"<td>{esc(_label(key, words))}</td>"
            + f"<td class='n'>{style.num(totals[key])}{SMALL_MARK if small else ''}</td>"
            + "".join(cells)
            + "</tr>"
        )
    rows.append("</table>")
    note = words["interval_note"]
    if any(totals[key] < SMALL_GROUP for key in keys):
        note += " " + words["small_group_note"].format(mark=SMALL_MARK, n=SMALL_GROUP)
    rows.append(f"<p class='note'>{esc(note)}</p>")
    return "".join(rows)


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


def render_html(
    summary: Summary,
    themes: list[Theme],
    card: dict[str, Any],
    language: str = "nb",
) -> str:
    """The self-contained HTML report (no external scripts, fonts or images)."""
    words = TEXTS[language]
    names = {theme.id: getattr(theme, language) for theme in themes}
    colours = theme_colours(themes)
    style = Style(language, NBSP)
    esc = html.escape
    counts = summary.counts
    overall = counts[counts["level"] == "all"]
    unsure_pct = style.pct(summary.n_uncertain / summary.n_units if summary.n_units else 0.0)
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{language}">',
        '<head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(words['title'])}</title>",
        f"<style>{STYLE}</style>",
        "</head><body>",
        f"<h1>{esc(words['title'])}</h1>",
        about(summary, card, words, style, language),
        f"<h2 id='summary'>{esc(words['summary'])}</h2>",
        "<p>"
        + esc(
            words["units"].format(
                n=style.num(summary.n_units),
                docs=style.num(summary.n_documents),
                unsure=style.num(summary.n_uncertain),
                pct=unsure_pct,
            )
        )
        + "</p>",
        "<figure>"
        + overall_chart(overall, names, colours, words, style)
        + f"<figcaption>{esc(words['summary_chart'])}</figcaption></figure>",
        "<table><tr>"
        + "".join(
            f"<th>{esc(words[k])}</th>"
            for k in ("theme", "count", "share", "interval", "adjusted", "uncertain")
        )
        + "</tr>",
    ]
    for row in overall.itertuples():
        parts.append(
            f"<tr><td><i class='sw' style='background:{colours.get(row.theme, OTHER_COLOUR)}'>"
            f"</i> {esc(names.get(row.theme, row.theme))}</td>"
            f"<td class='n'>{style.num(row.count)}</td>"
            f"<td class='n'>{style.pct(row.share)}</td>"
            f"<td class='n'>{style.pct_range(row.ci_low, row.ci_high)}</td>"
            f"<td class='n'>{style.pct(row.adjusted_share)}</td>"
            f"<td class='n'>{style.num(row.uncertain)}</td></tr>"
        )
    parts.append("</table>")
    for level, heading, label in (
        ("region", "by_region", "region"),
        ("meeting", "by_meeting", "meeting"),
    ):
        at_level = counts[counts["level"] == level]
        if at_level.empty:
            continue
        chart, shown, total = stacked_chart(at_level, themes, names, colours, words, style)
        parts += [
            f"<h2 id='{level}'>{esc(words[heading])}</h2>",
            legend(themes, names, colours),
            f"<figure>{chart}<figcaption>{esc(words['shares_caption'])}</figcaption></figure>",
        ]
        if shown < total:
            limited = words["chart_limited"].format(shown=shown, total=style.num(total))
            parts.append(f"<p class='note'>{esc(limited)}</p>")
        parts.append(share_table(at_level, themes, names, words, words[label], style, CHART_ROWS))
    if summary.period and not summary.over_time.empty:
        parts += [
            f"<h2 id='time'>{esc(words['over_time'])}</h2>",
            legend(themes, names, colours),
            "<figure>"
            + line_chart(summary.over_time, themes, names, colours, style)
            + f"<figcaption>{esc(words['over_time_caption'])}</figcaption></figure>",
            share_table(
                summary.over_time, themes, names, words, words[f"period_{summary.period}"], style
            ),
        ]
    parts += [
        f"<h2 id='examples'>{esc(words['examples'])}</h2>",
        f"<p class='note'>{esc(words['examples_intro'])}</p>",
    ]
    examples = summary.examples
    for theme in themes:
        chosen = examples[examples["theme"] == theme.id] if not examples.empty else examples
        if chosen.empty:
            continue
        parts.append(f"<h3>{esc(names[theme.id])}</h3>")
        parts += [
            f"<blockquote>{esc(str(r.text))}<br><small>{esc(_where(r, words))}</small></blockquote>"
            for r in chosen.itertuples()
        ]
    parts.append(f"<h2 id='review'>{esc(words['review'])}</h2>")
    review = summary.review
    if review.empty:
        parts.append(f"<p>{esc(words['review_none'])}</p>")
    else:
        intro = words["review_intro"].format(
            n=style.num(summary.n_uncertain),
            shown=style.num(len(review)),
            sheet=words["sheet_review"],
        )
        parts.append(f"<p class='note'>{esc(intro)}</p>")
        parts.append(
            "<table><tr>"
            + "".join(
                f"<th>{esc(words[k])}</th>"
                for k in ("text", "theme", "second_theme", "confidence", "document")
            )
            + "</tr>"
        )
        for r in review.itertuples():
            second = getattr(r, "second_theme", "")
            second = names.get(second, second) if isinstance(second, str) else ""
            parts.append(
                f"<tr><td>{esc(str(r.text))}</td><td>{esc(names.get(r.theme, r.theme))}</td>"
                f"<td>{esc(second)}</td><td class='n'>{style.num(r.confidence, 2)}</td>"
                f"<td>{esc(_where(r, words))}</td></tr>"
            )
        parts.append("</table>")
    parts += method_section(summary, themes, card, words, names, style)
    parts.append(f"<p class='note'>{esc(words['generated'])}</p></body></html>")
    return "\n".join(parts)


def about(
    summary: Summary, card: dict[str, Any], words: dict[str, str], style: Style, language: str
) -> str:
    """When the report was made, from which batch and with which model (under the title)."""
    lines = about_lines(summary, card, words, style, language)
    items = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
    return f"<ul class='about'>{items}</ul>"


def about_lines(
    summary: Summary, card: dict[str, Any], words: dict[str, str], style: Style, language: str
) -> list[str]:
    """The lines of `about` (also in the Excel file's method sheet)."""
    from tema import __version__
    from tema.numbers import date_text

    batch = summary.batch
    lines = []
    if batch is not None:
        lines.append(
            words["about_made"].format(
                date=date_text(batch.made, language, time=True), version=__version__
            )
        )
        documents = summary.n_documents_read
        lines.append(
            words["about_batch_skipped" if batch.n_skipped else "about_batch"].format(
                folder=batch.input_dir,
                files=style.num(batch.n_files),
                skipped=style.num(batch.n_skipped),
            )
        )
        if documents is None:
            documents = summary.n_documents
    else:
        documents = summary.n_documents
    lines.append(
        words["about_units"].format(units=style.num(summary.n_units), docs=style.num(documents))
    )
    if card.get("created") or card.get("n_training_units"):
        # Cards no longer carry a time stamp (a retrained model is the same bytes);
        # the model is identified by its hash instead.
        model = words["about_model" if card.get("created") else "about_model_undated"].format(
            date=date_text(card.get("created"), language),
            n=style.num(card.get("n_training_units")) or "?",
        )
        if card.get("training_data_sha256"):
            model += words["about_labels"].format(labels=str(card["training_data_sha256"])[:12])
        if card.get("model_sha256"):
            model += words["about_model_id"].format(model=str(card["model_sha256"])[:12])
        lines.append(model + ".")
    return lines


def adjusted_text(confusion: pd.DataFrame | None, words: dict[str, str], style: Style) -> str:
    """What the adjusted share is, and where its confusions come from."""
    if confusion is None:
        return words["adjusted_missing"]
    imported = confusion.attrs.get("basis") == "imported"
    return words["adjusted_text_imported" if imported else "adjusted_text"].format(
        units=style.num(confusion.attrs.get("units", 0)),
        minimum=MIN_IMPORTED_UNITS,
    )


def method_section(
    summary: Summary,
    themes: Sequence[Theme],
    card: dict[str, Any],
    words: dict[str, str],
    names: dict[str, str],
    style: Style,
) -> list[str]:
    esc = html.escape
    adjusted = adjusted_text(summary.confusion, words, style)
    parts = [
        f"<h2 id='method'>{esc(words['method'])}</h2>",
        f"<p>{esc(words['method_text'])}</p>",
        f"<p>{esc(adjusted)}</p>",
        f"<h3>{esc(words['model_heading'])}</h3>",
    ]
    # From the card's structured fields: its free-text description is English.
    parts += [f"<p>{esc(line)}</p>" for line in describe_model(card, style)]
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
    parts += [f"<p>{esc(line)}</p>" for line in lines]
    per_theme = cv.get("per_theme_f1") or {}
    if per_theme:
        parts.append(
            f"<table><tr><th>{esc(words['theme'])}</th><th>{esc(words['f1'])}</th>"
            f"<th>{esc(words['interval'])}</th></tr>"
        )
        for theme in themes:
            score = per_theme.get(theme.id)
            if score:
                parts.append(
                    f"<tr><td>{esc(names[theme.id])}</td>"
                    f"<td class='n'>{style.num(score['value'], 2)}</td>"
                    f"<td class='n'>{style.dec_range(score['ci_low'], score['ci_high'])}</td></tr>"
                )
        parts.append("</table>")
    if summary.confusion is not None:
        ids = [t.id for t in themes]
        parts.append(f"<p>{esc(words['confusion'])}</p><table><tr><th></th>")
        parts.append("".join(f"<th>{esc(names[i])}</th>" for i in ids) + "</tr>")
        for true in ids:
            cells = "".join(
                f"<td class='n'>{style.pct(summary.confusion.loc[true, pred])}</td>" for pred in ids
            )
            parts.append(f"<tr><th>{esc(names[true])}</th>{cells}</tr>")
        parts.append("</table>")
    if summary.skipped:
        parts.append(f"<h3>{esc(words['skipped'])}</h3><ul>")
        parts += [
            f"<li>{esc(str(item['file']))}: {esc(skip_reason(item, style.language))}</li>"
            for item in summary.skipped
        ]
        parts.append("</ul>")
    return parts
