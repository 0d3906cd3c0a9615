"""`tema report --compare OLD NEW`: how theme shares changed between two batches.

OLD and NEW are report folders (or their theme_counts.csv), for example the reports of the
2017 and the 2018 meetings. For every theme, overall and for each region and meeting found
in both, the change in share gets a 95% interval by Newcombe's hybrid score method (the
Wilson intervals of the two shares combined), which behaves well for small groups and
shares near 0 or 1.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from tema.config import Theme, theme_names
from tema.errors import InputError
from tema.numbers import NBSP, Style
from tema.report.charts import change_chart, key_label
from tema.report.shares import wilson_interval
from tema.report.tally import COUNT_COLUMNS
from tema.report.templating import render
from tema.report.words import TEXTS

COMPARE_LEVELS = ("all", "region", "meeting")
COMPARE_COLUMNS = (
    "level", "key", "theme",
    "old_count", "old_total", "old_share", "old_ci_low", "old_ci_high", "old_adjusted_share",
    "new_count", "new_total", "new_share", "new_ci_low", "new_ci_high", "new_adjusted_share",
    "change", "change_ci_low", "change_ci_high", "adjusted_change",
)  # fmt: skip


def _counts_file(path: str | Path) -> Path:
    path = Path(path)
    return path / "theme_counts.csv" if path.is_dir() else path


def read_counts(path: str | Path) -> tuple[pd.DataFrame, str]:
    """theme_counts.csv from a report folder or the file itself, and a label for it."""
    path = Path(path)
    file = _counts_file(path)
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


def _check_same_themes(
    batches: dict[str, tuple[Path, pd.DataFrame]], theme_ids: Sequence[str]
) -> None:
    """Both reports must count the themes of params.yaml, no more and no fewer: a theme
    missing from one would vanish from the comparison, and one too many would enter its
    totals, so that shares no longer match their counts."""
    for file, counts in batches.values():
        found = set(counts.loc[counts["level"] == "all", "theme"].astype(str))
        missing = [theme for theme in theme_ids if theme not in found]
        extra = sorted(found - set(theme_ids))
        if missing or extra:
            parts = [f"lacks the theme(s) {', '.join(missing)}"] if missing else []
            parts += [f"has theme(s) not in params.yaml: {', '.join(extra)}"] if extra else []
            raise InputError(
                file,
                f"{'; '.join(parts)}; only reports made with the same themes can be compared",
            )


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
    table: pd.DataFrame, themes: Sequence[Theme], old: str, new: str, language: str = "nb"
) -> str:
    words = TEXTS[language]
    style = Style(language)
    names = theme_names(themes, language)
    overall = table[table["level"] == "all"]
    width = max(len(n) for n in names.values()) + 2
    # Each column as wide as its heading (a folder's name can be long), two spaces apart.
    old_width, new_width = max(10, len(old) + 2), max(10, len(new) + 2)
    change_width = max(12, len(words["change"]) + 2)
    lines = [
        words["compare_title"].format(old=old, new=new),
        f"{words['theme']:<{width}}{old:>{old_width}}{new:>{new_width}}"
        f"{words['change']:>{change_width}}  {words['change_interval']}",
    ]
    for r in overall.itertuples():
        lines.append(
            f"{names.get(r.theme, r.theme):<{width}}{style.pct(r.old_share, 1):>{old_width}}"
            f"{style.pct(r.new_share, 1):>{new_width}}"
            f"{style.signed(r.change * 100) + ' ' + words['points']:>{change_width}}  "
            f"{style.signed(r.change_ci_low * 100)} … {style.signed(r.change_ci_high * 100)}"
        )
    return "\n".join(lines)


def render_compare_html(
    table: pd.DataFrame, themes: Sequence[Theme], old: str, new: str, language: str = "nb"
) -> str:
    """A self-contained HTML page of the comparison (``templates/compare.html``)."""
    words = TEXTS[language]
    names = theme_names(themes, language)
    style = Style(language, NBSP)
    overall = table[table["level"] == "all"]
    headings = {"all": words["all"], "region": words["by_region"], "meeting": words["by_meeting"]}
    levels = []
    for level in COMPARE_LEVELS:
        at_level = table[table["level"] == level]
        if at_level.empty:
            continue
        groups = [
            {
                "heading": None if level == "all" else key_label(key, words),
                "rows": [_change_row(r, names, style) for r in rows.itertuples()],
            }
            for key, rows in at_level.groupby("key", sort=False)
        ]
        levels.append({"heading": headings[level], "groups": groups})
    return render(
        "compare.html",
        language=language,
        words=words,
        title=words["compare_title"].format(old=old, new=new),
        old=old,
        new=new,
        chart=change_chart(overall, names, style) if not overall.empty else None,
        levels=levels,
    )


def _change_row(r: Any, names: dict[str, str], style: Style) -> dict[str, str]:
    """One theme's old and new share (with count/total), change and interval, as text."""

    def points(value: Any) -> str:
        return "" if pd.isna(value) else style.signed(value * 100)

    return {
        "name": names.get(r.theme, r.theme),
        "old": f"{style.pct(r.old_share, 1)} ({style.num(r.old_count)}/{style.num(r.old_total)})",
        "new": f"{style.pct(r.new_share, 1)} ({style.num(r.new_count)}/{style.num(r.new_total)})",
        "change": points(r.change),
        "interval": f"{points(r.change_ci_low)} … {points(r.change_ci_high)}",
        "old_adjusted": style.pct(r.old_adjusted_share, 1),
        "new_adjusted": style.pct(r.new_adjusted_share, 1),
    }


def write_comparison(
    old_path: str | Path,
    new_path: str | Path,
    out_dir: str | Path,
    themes: Sequence[Theme],
    language: str = "nb",
) -> tuple[pd.DataFrame, str, str]:
    """Write compare.csv and compare.html into `out_dir`; returns the table and labels."""
    from tema.io.files import atomic_write, write_csv

    if _counts_file(old_path).resolve() == _counts_file(new_path).resolve():
        raise InputError(new_path, "is the same report as the old one; give two batches")
    old, old_label = read_counts(old_path)
    new, new_label = read_counts(new_path)
    _check_same_themes(
        {"old": (_counts_file(old_path), old), "new": (_counts_file(new_path), new)},
        [theme.id for theme in themes],
    )
    if old_label == new_label:
        old_label, new_label = f"{old_label} (1)", f"{new_label} (2)"
    table = compare_counts(old, new)
    out_dir = Path(out_dir)
    write_csv(table, out_dir / "compare.csv")
    with atomic_write(out_dir / "compare.html") as handle:
        handle.write(render_compare_html(table, themes, old_label, new_label, language))
    return table, old_label, new_label
