"""tema.report.tally: which units count, counts per level, shares beside corrected shares."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tema.report.tally import counted_units, period_of, theme_counts
from test_report import THEME_IDS, classified_units


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


def test_adjusted_share_is_reported_beside_the_raw_share():
    units = counted_units(classified_units(), ["sentence", "bullet"])
    assert theme_counts(units, THEME_IDS)["adjusted_share"].isna().all()
    confusion = pd.DataFrame(np.eye(3), index=THEME_IDS, columns=THEME_IDS)
    counts = theme_counts(units, THEME_IDS, confusion)
    assert np.allclose(counts["adjusted_share"], counts["share"])
    assert list(counts.columns) == [
        "level",
        "key",
        "theme",
        "count",
        "share",
        "ci_low",
        "ci_high",
        "adjusted_share",
        "uncertain",
    ]


@pytest.mark.parametrize(
    ("dates", "period"),
    [
        (["2017-05-01", "2018-03-14"], "year"),
        (["2018-03-14", "2018-04-11"], "month"),
        (["2018-03-14", "2018-03-15"], "date"),
        (["2018-03-14", ""], None),
        ([], None),
    ],
)
def test_period_of_shares_over_time(dates, period):
    found = period_of(dates)
    assert (found[0] if found else None) == period
