from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tema.report.compare import compare_counts, newcombe_interval
from tema.report.tally import theme_counts


@pytest.mark.parametrize(
    ("old", "new"),
    [((10, 100), (30, 100)), ((0, 20), (0, 25)), ((5, 5), (0, 7)), ((3, 40), (3, 40))],
)
def test_newcombe_interval_contains_the_change_and_stays_in_bounds(old, new):
    low, high = newcombe_interval(*(np.array([v]) for v in (*old, *new)))
    change = new[0] / new[1] - old[0] / old[1]
    assert -1 <= low[0] <= change <= high[0] <= 1


def units(themes: list[str], meetings: list[str]) -> pd.DataFrame:
    return pd.DataFrame(
        {"doc": "a.txt", "meeting": meetings, "region": "Nord", "theme": themes, "uncertain": False}
    )


def test_compare_keeps_groups_found_in_both_batches():
    old = theme_counts(units(["housing", "other"], ["Bodø", "Alta"]), ["housing", "other"])
    new = theme_counts(units(["housing", "housing"], ["Bodø", "Tromsø"]), ["housing", "other"])
    table = compare_counts(old, new)
    assert sorted(set(zip(table["level"], table["key"], strict=True))) == [
        ("all", "alle"),
        ("meeting", "Bodø"),
        ("region", "Nord"),
    ]
    housing = table[(table["level"] == "all") & (table["theme"] == "housing")].iloc[0]
    assert housing["change"] == 0.5
    assert housing["change_ci_low"] < 0.5 < housing["change_ci_high"]


def test_user_text_is_escaped_in_compare_html():
    from tema.config import load_config
    from tema.report.compare import render_compare_html

    themes = load_config(Path(__file__).resolve().parent.parent / "params.yaml").themes
    theme_ids = [t.id for t in themes]
    meetings = ["<b>Bodø & Alta</b>", "Alta"]
    old = theme_counts(units(["housing", "other"], meetings), theme_ids)
    new = theme_counts(units(["housing", "housing"], meetings), theme_ids)
    page = render_compare_html(compare_counts(old, new), themes, "<script>2017</script>", "A & B")
    assert "<script" not in page and "<b>" not in page
    assert "&lt;script&gt;2017&lt;/script&gt;" in page and "A &amp; B" in page
    assert "<h3>&lt;b&gt;Bodø &amp; Alta&lt;/b&gt;</h3>" in page
    assert not re.search(r"&(?!(amp|lt|gt|quot|#\d+|#x[0-9a-fA-F]+);)", page)


THEME_IDS = ["housing", "other"]


def write_counts(folder: Path, themes: list[str], theme_ids: list[str]) -> Path:
    folder.mkdir()
    theme_counts(units(themes, ["Bodø"] * len(themes)), theme_ids).to_csv(
        folder / "theme_counts.csv", index=False
    )
    return folder


@pytest.mark.parametrize(
    ("old_themes", "message"),
    [
        (["housing"], "lacks the theme(s) other"),
        (["housing", "other", "health"], "has theme(s) not in params.yaml: health"),
    ],
)
def test_reports_with_other_themes_are_refused_naming_the_file(tmp_path, old_themes, message):
    from tema.config import Theme
    from tema.errors import InputError
    from tema.report.compare import write_comparison

    themes = [Theme(id=t, nb=t, en=t) for t in THEME_IDS]
    old = write_counts(tmp_path / "r2017", ["housing", "other"], old_themes)
    new = write_counts(tmp_path / "r2018", ["housing", "housing"], THEME_IDS)
    with pytest.raises(InputError, match=re.escape(message)) as error:
        write_comparison(old, new, tmp_path / "out", themes)
    assert "r2017" in str(error.value) and not (tmp_path / "out").exists()
    with pytest.raises(InputError, match="the same report"):
        write_comparison(new, new / "theme_counts.csv", tmp_path / "out", themes)


def test_terminal_comparison_keeps_long_folder_names_apart():
    from tema.config import Theme
    from tema.report.compare import format_compare_table

    themes = [Theme(id=t, nb=t, en=t) for t in THEME_IDS]
    old = theme_counts(units(["housing", "other"], ["Bodø"] * 2), THEME_IDS)
    new = theme_counts(units(["housing", "housing"], ["Bodø"] * 2), THEME_IDS)
    text = format_compare_table(
        compare_counts(old, new), themes, "rapport-2017-innspillsmøter", "rapport-2018"
    )
    header, housing = text.splitlines()[1], text.splitlines()[2]
    assert "rapport-2017-innspillsmøter  rapport-2018" in header
    assert re.search(r"100,0 %\s{2,}\+50,0", housing), housing
