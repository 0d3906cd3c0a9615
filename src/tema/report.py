"""Stage `report`: theme counts per document, meeting and region, with examples.

Only units of the counted kinds (sentences and bullet items) count as input; headings,
pull quotes, captions, links and noise do not, and neither does a pull quote that
repeats body text.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import norm

from tema.params import Theme

LEVELS = ("all", "region", "meeting", "document")
COUNT_COLUMNS = ("level", "key", "theme", "count", "share", "ci_low", "ci_high", "uncertain")
PROVENANCE_COLUMNS = ("doc", "meeting", "region", "date")


def counted_units(classified: pd.DataFrame, counted_kinds: Iterable[str]) -> pd.DataFrame:
    """The units that count as input: of a counted kind and not a repeat of other text."""
    keep = classified["kind"].isin(list(counted_kinds))
    if "repeat_of" in classified.columns:
        keep &= classified["repeat_of"].isna()
    return classified[keep].reset_index(drop=True)


def wilson_interval(
    count: np.ndarray, total: np.ndarray, level: float = 0.95
) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for a share; stays inside [0, 1] even for small groups."""
    z = norm.ppf(0.5 + level / 2.0)
    count = np.asarray(count, dtype=float)
    total = np.asarray(total, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(total > 0, count / total, 0.0)
        centre = (share + z * z / (2 * total)) / (1 + z * z / total)
        half = (
            z
            * np.sqrt(share * (1 - share) / total + z * z / (4 * total * total))
            / (1 + z * z / total)
        )
    # The interval always contains the share; min/max only undo floating-point rounding.
    low = np.minimum(np.nan_to_num(centre - half), share)
    high = np.maximum(np.nan_to_num(centre + half, nan=1.0), share)
    return np.clip(low, 0, 1), np.clip(high, 0, 1)


def theme_counts(units: pd.DataFrame, theme_ids: list[str]) -> pd.DataFrame:
    """Long table: for every level and key, each theme's count, share and 95% interval."""
    frames = []
    for level in LEVELS:
        key = (
            pd.Series("alle", index=units.index)
            if level == "all"
            else units["doc" if level == "document" else level].fillna("").replace("", "(ukjent)")
        )
        grouped = units.assign(key=key).groupby(["key", "theme"], sort=True)
        counts = grouped.size().unstack(fill_value=0).reindex(columns=theme_ids, fill_value=0)
        uncertain = (
            grouped["uncertain"]
            .sum()
            .unstack(fill_value=0)
            .reindex(index=counts.index, columns=theme_ids, fill_value=0)
        )
        long = counts.stack().rename("count").reset_index()
        long["uncertain"] = uncertain.stack().to_numpy().astype(int)
        long.insert(0, "level", level)
        frames.append(long)
    table = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=COUNT_COLUMNS)
    totals = table.groupby(["level", "key"])["count"].transform("sum")
    table["share"] = np.where(totals > 0, table["count"] / totals.where(totals > 0, 1), 0.0).round(
        4
    )
    low, high = wilson_interval(table["count"].to_numpy(), totals.to_numpy())
    table["ci_low"], table["ci_high"] = low.round(4), high.round(4)
    return table[list(COUNT_COLUMNS)]


def representative_examples(
    units: pd.DataFrame, theme_ids: list[str], per_theme: int
) -> pd.DataFrame:
    """The most confident, not uncertain units of each theme, one per document where possible."""
    confident = units[~units["uncertain"]].sort_values("confidence", ascending=False)
    picks = []
    for theme in theme_ids:
        of_theme = confident[confident["theme"] == theme]
        spread = of_theme.drop_duplicates("doc")
        chosen = pd.concat([spread, of_theme.drop(spread.index)]).head(per_theme)
        picks.append(chosen)
    return pd.concat(picks) if picks else units.head(0)


TEXTS = {
    "nb": {
        "title": "Temarapport",
        "theme": "Tema",
        "count": "Antall",
        "share": "Andel",
        "interval": "95 % intervall",
        "uncertain": "Usikre",
        "by_meeting": "Per møte",
        "examples": "Eksempler",
        "summary": "Sammendrag",
        "units": "{n} innspill fra {docs} dokumenter er sortert i tema.",
        "method": "Slik er tallene laget",
        "method_text": "Teksten er delt i setninger og kulepunkter; overskrifter, sitater, "
        "bildetekster og lenker telles ikke. Hvert innspill er sortert av en "
        "modell trent på håndmerkede eksempler. Innspill under terskelen for "
        "sikkerhet er merket som usikre og bør leses av en person. "
        "Intervallene er 95 % Wilson-intervaller.",
        "model": "Modellens kryssvaliderte makro-F1: {f1:.2f} (95 % KI {low:.2f}–{high:.2f}).",
        "meeting": "Møte",
        "document": "Dokument",
    },
    "en": {
        "title": "Theme report",
        "theme": "Theme",
        "count": "Count",
        "share": "Share",
        "interval": "95% interval",
        "uncertain": "Uncertain",
        "by_meeting": "By meeting",
        "examples": "Examples",
        "summary": "Summary",
        "units": "{n} units of input from {docs} documents were sorted into themes.",
        "method": "How the numbers were made",
        "method_text": "The text is split into sentences and bullet items; headings, quotes, "
        "captions and links are not counted. Each unit is sorted by a model "
        "trained on hand-labelled examples. Units below the confidence "
        "threshold are flagged uncertain and should be read by a person. "
        "Intervals are 95% Wilson intervals.",
        "model": "The model's cross-validated macro-F1: {f1:.2f} (95% CI {low:.2f}–{high:.2f}).",
        "meeting": "Meeting",
        "document": "Document",
    },
}


def render_html(
    counts: pd.DataFrame,
    units: pd.DataFrame,
    themes: list[Theme],
    card: dict[str, Any],
    language: str = "nb",
    examples_per_theme: int = 3,
) -> str:
    """A self-contained HTML report (no external scripts, fonts or images)."""
    words = TEXTS[language]
    name = {theme.id: getattr(theme, language) for theme in themes}
    esc = html.escape
    overall = counts[counts["level"] == "all"]
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{"nb" if language == "nb" else "en"}">',
        '<head><meta charset="utf-8">',
        f"<title>{esc(words['title'])}</title>",
        "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto;color:#222}"
        "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.3em .6em;"
        "text-align:left}td.n{text-align:right}.bar{background:#2a6f97;height:1em}"
        "blockquote{border-left:3px solid #2a6f97;margin:.5em 0;padding-left:.8em}</style>",
        "</head><body>",
        f"<h1>{esc(words['title'])}</h1>",
        f"<h2>{esc(words['summary'])}</h2>",
        f"<p>{esc(words['units'].format(n=len(units), docs=units['doc'].nunique()))}</p>",
        "<table><tr>"
        + "".join(
            f"<th>{esc(words[k])}</th>"
            for k in ("theme", "count", "share", "interval", "uncertain")
        )
        + "<th></th></tr>",
    ]
    for row in overall.itertuples():
        parts.append(
            f"<tr><td>{esc(name[row.theme])}</td><td class='n'>{row.count}</td>"
            f"<td class='n'>{row.share:.0%}</td>"
            f"<td class='n'>{row.ci_low:.0%}–{row.ci_high:.0%}</td>"
            f"<td class='n'>{row.uncertain}</td><td style='width:12em'>"
            f"<div class='bar' style='width:{row.share * 100:.1f}%'></div></td></tr>"
        )
    parts.append("</table>")
    parts.append(f"<h2>{esc(words['by_meeting'])}</h2>")
    by_meeting = counts[counts["level"] == "meeting"].pivot(
        index="key", columns="theme", values="count"
    )
    parts.append(
        "<table><tr><th>"
        + esc(words["meeting"])
        + "</th>"
        + "".join(f"<th>{esc(name[t.id])}</th>" for t in themes)
        + "</tr>"
    )
    for meeting, row in by_meeting.iterrows():
        parts.append(
            f"<tr><td>{esc(str(meeting))}</td>"
            + "".join(f"<td class='n'>{int(row.get(t.id, 0))}</td>" for t in themes)
            + "</tr>"
        )
    parts.append("</table>")
    parts.append(f"<h2>{esc(words['examples'])}</h2>")
    examples = representative_examples(units, [t.id for t in themes], examples_per_theme)
    for theme in themes:
        chosen = examples[examples["theme"] == theme.id]
        if chosen.empty:
            continue
        parts.append(f"<h3>{esc(name[theme.id])}</h3>")
        parts += [
            f"<blockquote>{esc(r.text)}<br><small>{esc(r.doc)}</small></blockquote>"
            for r in chosen.itertuples()
        ]
    cv = card.get("cross_validation", {}).get("macro_f1")
    parts += [f"<h2>{esc(words['method'])}</h2>", f"<p>{esc(words['method_text'])}</p>"]
    if cv:
        summary = words["model"].format(f1=cv["value"], low=cv["ci_low"], high=cv["ci_high"])
        parts.append(f"<p>{esc(summary)}</p>")
    parts.append("</body></html>")
    return "\n".join(parts)


def format_count_table(counts: pd.DataFrame, themes: list[Theme], language: str = "nb") -> str:
    """The overall counts as a plain-text table for the terminal."""
    words = TEXTS[language]
    name = {theme.id: getattr(theme, language) for theme in themes}
    overall = counts[counts["level"] == "all"]
    width = max(len(n) for n in name.values()) + 2
    lines = [
        f"{words['theme']:<{width}}{words['count']:>8}{words['share']:>8}  {words['interval']}"
    ]
    for row in overall.itertuples():
        lines.append(
            f"{name[row.theme]:<{width}}{row.count:>8}{row.share:>8.0%}  "
            f"{row.ci_low:.0%}–{row.ci_high:.0%}"
        )
    return "\n".join(lines)
