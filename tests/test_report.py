from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from tema.params import Theme
from tema.report import counted_units, render_html, theme_counts, wilson_interval

THEME_IDS = ["education", "housing", "other"]
THEMES = [Theme("education", "Utdanning og kvalifisering", "Education"),
          Theme("housing", "Bolig", "Housing"), Theme("other", "Annet", "Other")]


def classified_units() -> pd.DataFrame:
    return pd.DataFrame({
        "doc": ["a.txt", "a.txt", "a.txt", "a.txt", "b.txt", "b.txt"],
        "meeting": ["Bodø", "Bodø", "Bodø", "Bodø", "Alta", "Alta"],
        "region": ["Nord"] * 6,
        "kind": ["heading", "sentence", "bullet", "quote", "bullet", "sentence"],
        "repeat_of": [np.nan, np.nan, np.nan, 1.0, np.nan, np.nan],
        "text": ["Bolig", "Flere boliger.", "Norskkurs", "Flere boliger", "Startlån", "Takk"],
        "theme": ["housing", "housing", "education", "housing", "housing", "other"],
        "confidence": [0.9, 0.8, 0.7, 0.9, 0.95, 0.4],
        "uncertain": [False, False, False, False, False, True],
    })


def test_only_sentences_and_bullets_that_are_not_repeats_count():
    counted = counted_units(classified_units(), ["sentence", "bullet"])
    assert counted["text"].tolist() == ["Flere boliger.", "Norskkurs", "Startlån", "Takk"]


def test_counts_add_up_at_every_level():
    units = counted_units(classified_units(), ["sentence", "bullet"])
    counts = theme_counts(units, THEME_IDS)
    for level in ("all", "region", "meeting", "document"):
        at_level = counts[counts["level"] == level]
        assert at_level["count"].sum() == len(units)
        assert at_level.groupby("key")["share"].sum().round(3).eq(1.0).all()
    overall = counts[counts["level"] == "all"].set_index("theme")
    assert overall.loc["housing", "count"] == 2
    assert overall.loc["other", "uncertain"] == 1
    meeting = counts[(counts["level"] == "meeting") & (counts["key"] == "Alta")].set_index("theme")
    assert meeting["count"].to_dict() == {"education": 0, "housing": 1, "other": 1}


@pytest.mark.parametrize(("count", "total"), [(0, 10), (10, 10), (3, 7), (0, 0)])
def test_wilson_interval_contains_the_share_and_stays_in_bounds(count: int, total: int):
    low, high = wilson_interval(np.array([count]), np.array([total]))
    share = count / total if total else 0.0
    assert 0.0 <= low[0] <= share <= high[0] <= 1.0


@pytest.mark.parametrize(("language", "heading", "theme"), [("nb", "Temarapport", "Bolig"),
                                                             ("en", "Theme report", "Housing")])
def test_html_report_is_self_contained_and_in_the_chosen_language(language, heading, theme):
    units = counted_units(classified_units(), ["sentence", "bullet"])
    counts = theme_counts(units, THEME_IDS)
    card = {"cross_validation": {"macro_f1": {"value": 0.8, "ci_low": 0.75, "ci_high": 0.85}}}
    page = render_html(counts, units, THEMES, card, language)
    assert heading in page and theme in page
    assert not re.search(r"""(src|href)=["']?https?:""", page)  # works offline
    assert "<script" not in page
    assert "Startlån" in page  # an example quote
