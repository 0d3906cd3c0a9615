"""`tema report --compare OLD NEW`: how theme shares changed between two batches.

OLD and NEW are report folders (or their theme_counts.csv), for example the reports of the
2017 and the 2018 meetings. For every theme, overall and for each region and meeting found
in both, the change in share gets a 95% interval by Newcombe's hybrid score method (the
Wilson intervals of the two shares combined), which behaves well for small groups and
shares near 0 or 1.
"""

from __future__ import annotations

import html
from pathlib import Path

import numpy as np
import pandas as pd

from tema.errors import InputError
from tema.numbers import NBSP, Style
from tema.params import Theme
from tema.report.tally import ALL_KEY, COUNT_COLUMNS, UNKNOWN_KEY, wilson_interval
from tema.report.words import TEXTS

COMPARE_LEVELS = ("all", "region", "meeting")
COMPARE_COLUMNS = (
    "level", "key", "theme",
    "old_count", "old_total", "old_share", "old_ci_low", "old_ci_high", "old_adjusted_share",
    "new_count", "new_total", "new_share", "new_ci_low", "new_ci_high", "new_adjusted_share",
    "change", "change_ci_low", "change_ci_high", "adjusted_change",
)  # fmt: skip


def read_counts(path: str | Path) -> tuple[pd.DataFrame, str]:
    """theme_counts.csv from a report folder or the file itself, and a label for it."""
    path = Path(path)
    file = path / "theme_counts.csv" if path.is_dir() else path
    if not file.is_file():
        raise InputError(file, "not found (give a report folder or its theme_counts.csv)")
    try:
        counts = pd.read_csv(file, keep_default_na=False, na_values={"adjusted_share": [""]})
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise InputError(file, f"cannot be read: {exc}") from exc
    missing = [c for c in COUNT_COLUMNS if c not in counts.columns and c != "adjusted_share"]
    if missing:
        raise InputError(file, f"missing column(s) {', '.join(missing)}", line=1)
    if "adjusted_share" not in counts.columns:
        counts["adjusted_share"] = np.nan
    counts["key"] = counts["key"].astype(str)
    label = (path if path.is_dir() else path.parent).resolve().name
    return counts, label


def newcombe_interval(
    count_old: np.ndarray, total_old: np.ndarray, count_new: np.ndarray, total_new: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """95% interval of (new share − old share), Newcombe's method 10."""
    total_old = np.asarray(total_old, dtype=float)
    total_new = np.asarray(total_new, dtype=float)
    p1 = np.divide(count_old, total_old, out=np.zeros_like(total_old), where=total_old > 0)
    p2 = np.divide(count_new, total_new, out=np.zeros_like(total_new), where=total_new > 0)
    l1, u1 = wilson_interval(count_old, total_old)
    l2, u2 = wilson_interval(count_new, total_new)
    change = p2 - p1
    low = change - np.sqrt((p2 - l2) ** 2 + (u1 - p1) ** 2)
    high = change + np.sqrt((u2 - p2) ** 2 + (p1 - l1) ** 2)
    return np.clip(low, -1, 1), np.clip(high, -1, 1)


def compare_counts(
    old: pd.DataFrame, new: pd.DataFrame, levels: tuple[str, ...] = COMPARE_LEVELS
) -> pd.DataFrame:
    """One row per level, key (present in both batches) and theme: old, new and change."""
    frames = []
    for name, counts in (("old", old), ("new", new)):
        part = counts[counts["level"].isin(levels)].copy()
        part["total"] = part.groupby(["level", "key"])["count"].transform("sum")
        part = part[["level", "key", "theme", "count", "total", "share", "ci_low", "ci_high",
                     "adjusted_share"]]  # fmt: skip
        frames.append(part.rename(columns={c: f"{name}_{c}" for c in part.columns[3:]}))
    both = frames[0].merge(frames[1], on=["level", "key", "theme"], how="inner")
    low, high = newcombe_interval(
        both["old_count"].to_numpy(), both["old_total"].to_numpy(),
        both["new_count"].to_numpy(), both["new_total"].to_numpy(),
    )  # fmt: skip
    both["change"] = (both["new_share"] - both["old_share"]).round(4)
    both["change_ci_low"], both["change_ci_high"] = low.round(4), high.round(4)
    both["adjusted_change"] = (both["new_adjusted_share"] - both["old_adjusted_share"]).round(4)
    order = {level: i for i, level in enumerate(levels)}
    both = both.sort_values(
        ["level", "key"], key=lambda s: s.map(order) if s.name == "level" else s, kind="stable"
    )
    return both[list(COMPARE_COLUMNS)].reset_index(drop=True)


def format_compare_table(
    table: pd.DataFrame, themes: list[Theme], old: str, new: str, language: str = "nb"
) -> str:
    words = TEXTS[language]
    style = Style(language)
    names = {theme.id: getattr(theme, language) for theme in themes}
    overall = table[table["level"] == "all"]
    width = max(len(n) for n in names.values()) + 2
    lines = [
        words["compare_title"].format(old=old, new=new),
        f"{words['theme']:<{width}}{old:>10}{new:>10}{words['change']:>10}  "
        f"{words['change_interval']}",
    ]
    for r in overall.itertuples():
        lines.append(
            f"{names.get(r.theme, r.theme):<{width}}{style.pct(r.old_share, 1):>10}"
            f"{style.pct(r.new_share, 1):>10}"
            f"{style.signed(r.change * 100) + ' ' + words['points']:>10}  "
            f"{style.signed(r.change_ci_low * 100)} … {style.signed(r.change_ci_high * 100)}"
        )
    return "\n".join(lines)


def _change_chart(rows: pd.DataFrame, names: dict[str, str], style: Style) -> str:
    """Diverging dot-and-interval chart of the change in percentage points."""
    esc = html.escape
    label_w, plot_w, row_h = 230, 440, 28
    span = max(0.05, float(rows[["change_ci_low", "change_ci_high"]].abs().max().max()))
    span = float(np.ceil(span * 20) / 20)
    x = lambda v: label_w + plot_w * (v + span) / (2 * span)  # noqa: E731
    height = row_h * len(rows) + 26
    parts = [
        f'<svg role="img" width="{label_w + plot_w + 20}" height="{height}" '
        f'viewBox="0 0 {label_w + plot_w + 20} {height}">',
        f'<line x1="{x(0):.1f}" x2="{x(0):.1f}" y1="0" y2="{height - 20}" stroke="#444"/>',
    ]
    ticks = np.linspace(-span, span, 5)
    for tick in ticks:
        parts.append(
            f'<text x="{x(tick):.1f}" y="{height - 6}" font-size="11" text-anchor="middle" '
            f'fill="#555">{style.signed(tick * 100, 0)}</text>'
        )
    for i, r in enumerate(rows.itertuples()):
        y = i * row_h + 14
        clear = r.change_ci_low > 0 or r.change_ci_high < 0
        colour = ("#0072B2" if r.change > 0 else "#D55E00") if clear else "#8c8c8c"
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 4}" font-size="13" text-anchor="end">'
            f"{esc(names.get(r.theme, r.theme))}</text>"
            f'<line x1="{x(r.change_ci_low):.1f}" x2="{x(r.change_ci_high):.1f}" y1="{y}" '
            f'y2="{y}" stroke="{colour}" stroke-width="3"/>'
            f'<circle cx="{x(r.change):.1f}" cy="{y}" r="5" fill="{colour}"><title>'
            f"{esc(names.get(r.theme, r.theme))}: {style.signed(r.change * 100)} "
            f"({style.signed(r.change_ci_low * 100)} … {style.signed(r.change_ci_high * 100)})"
            "</title></circle>"
        )
    parts.append("</svg>")
    return "".join(parts)


def render_compare_html(
    table: pd.DataFrame, themes: list[Theme], old: str, new: str, language: str = "nb"
) -> str:
    """A self-contained HTML page of the comparison."""
    from tema.report.html import STYLE

    words = TEXTS[language]
    names = {theme.id: getattr(theme, language) for theme in themes}
    esc = html.escape
    title = words["compare_title"].format(old=old, new=new)
    style = Style(language, NBSP)
    pct = lambda v: style.pct(v, 1)  # noqa: E731
    pp = lambda v: "" if pd.isna(v) else style.signed(v * 100)  # noqa: E731
    parts = [
        "<!DOCTYPE html>", f'<html lang="{language}">', '<head><meta charset="utf-8">',
        f"<title>{esc(title)}</title><style>{STYLE}</style></head><body>",
        f"<h1>{esc(title)}</h1>",
    ]  # fmt: skip
    overall = table[table["level"] == "all"]
    if not overall.empty:
        parts.append(
            f"<figure>{_change_chart(overall, names, style)}<figcaption>"
            f"{esc(words['compare_caption'])}</figcaption></figure>"
        )
    headings = {"all": words["all"], "region": words["by_region"], "meeting": words["by_meeting"]}
    for level in COMPARE_LEVELS:
        at_level = table[table["level"] == level]
        if at_level.empty:
            continue
        parts.append(f"<h2>{esc(headings[level])}</h2>")
        for key, rows in at_level.groupby("key", sort=False):
            label = {ALL_KEY: words["all"], UNKNOWN_KEY: words["unknown"]}.get(key, key)
            if level != "all":
                parts.append(f"<h3>{esc(label)}</h3>")
            parts.append(
                "<table><tr>"
                f"<th>{esc(words['theme'])}</th><th>{esc(old)}</th><th>{esc(new)}</th>"
                f"<th>{esc(words['change'])} ({esc(words['points'])})</th>"
                f"<th>{esc(words['change_interval'])}</th>"
                f"<th>{esc(words['adjusted'])} {esc(old)}</th>"
                f"<th>{esc(words['adjusted'])} {esc(new)}</th></tr>"
            )
            for r in rows.itertuples():
                parts.append(
                    f"<tr><td>{esc(names.get(r.theme, r.theme))}</td>"
                    f"<td class='n'>{pct(r.old_share)} "
                    f"({style.num(r.old_count)}/{style.num(r.old_total)})</td>"
                    f"<td class='n'>{pct(r.new_share)} "
                    f"({style.num(r.new_count)}/{style.num(r.new_total)})</td>"
                    f"<td class='n'>{pp(r.change)}</td>"
                    f"<td class='n'>{pp(r.change_ci_low)} … {pp(r.change_ci_high)}</td>"
                    f"<td class='n'>{pct(r.old_adjusted_share)}</td>"
                    f"<td class='n'>{pct(r.new_adjusted_share)}</td></tr>"
                )
            parts.append("</table>")
    parts.append(f"<p class='note'>{esc(words['compare_method'])}</p></body></html>")
    return "\n".join(parts)


def write_comparison(
    old_path: str | Path,
    new_path: str | Path,
    out_dir: str | Path,
    themes: list[Theme],
    language: str = "nb",
) -> tuple[pd.DataFrame, str, str]:
    """Write compare.csv and compare.html into `out_dir`; returns the table and labels."""
    from tema.io.files import atomic_write, write_csv

    old, old_label = read_counts(old_path)
    new, new_label = read_counts(new_path)
    if old_label == new_label:
        old_label, new_label = f"{old_label} (1)", f"{new_label} (2)"
    table = compare_counts(old, new)
    out_dir = Path(out_dir)
    write_csv(table, out_dir / "compare.csv")
    with atomic_write(out_dir / "compare.html") as handle:
        handle.write(render_compare_html(table, themes, old_label, new_label, language))
    return table, old_label, new_label
