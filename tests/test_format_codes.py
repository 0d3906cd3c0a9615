"""tema.io.format_codes: an Excel number format code read into its sections and parts."""

from __future__ import annotations

import pytest

from tema.io.format_codes import Part, Unknown, is_date, sections_of


def test_a_code_is_read_into_its_sections_with_colours_and_padding_as_nothing():
    positive, negative = sections_of('#,##0_);[Red](#,##0)"kr"')
    assert "".join(part.text for part in positive) == "#,##0"
    assert negative[0] == Part("literal", "") and negative[-1] == Part("literal", "kr")
    assert [is_date(section) for section in sections_of("d. mmmm yyyy;[h]:mm;0")] == [
        True,
        True,
        False,
    ]


@pytest.mark.parametrize("code", ["[>100]0;0", "[$-ja-JP-x-gannen]yyyy"])
def test_a_condition_or_a_calendar_is_not_rendered(code: str):
    with pytest.raises(Unknown):
        sections_of(code)
