from __future__ import annotations

import math

import pytest

from tema.numbers import NBSP, Style, number, percent, percent_range, signed


@pytest.mark.parametrize(
    ("value", "digits", "nb", "en"),
    [
        (3700, 0, "3 700", "3,700"),
        (0.34, 2, "0,34", "0.34"),
        (1234567.891, 1, "1 234 567,9", "1,234,567.9"),
        (-2.5, 1, "−2,5", "-2.5"),
        (-0.001, 1, "0,0", "0.0"),
    ],
)
def test_numbers_in_norwegian_and_english_style(value, digits, nb, en):
    assert number(value, "nb", digits) == nb
    assert number(value, "en", digits) == en


def test_percentages_intervals_and_changes():
    assert percent(0.34, "nb") == "34 %" and percent(0.34, "en") == "34%"
    assert percent(0.3456, "nb", 1, NBSP) == "34,6\u00a0%"
    assert percent_range(0.08, 0.45, "nb") == "8–45 %"
    assert percent_range(0.08, 0.45, "en") == "8–45%"
    assert signed(25.0, "nb") == "+25,0" and signed(-3.25, "nb") == "−3,2"
    assert percent(math.nan, "nb") == "" and number(None) == ""
    assert Style("nb", NBSP).num(3700) == "3\u00a0700"
