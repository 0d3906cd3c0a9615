"""Table-driven checks of the Norwegian letter and word rules in tema.segment.nb_words."""

from __future__ import annotations

import pytest

from tema.segment import nb_words


@pytest.mark.parametrize(
    ("text", "found"),
    [("Ã¸", "Ã¸"), ("dÃ¥rlig", "Ã¥"), ("Ã†", "Ã†"), ("ø å æ", None), ("Ã", None)],
)
def test_mojibake_pattern(text: str, found: str | None) -> None:
    match = nb_words.MOJIBAKE.search(text)
    assert (match.group() if match else None) == found


@pytest.mark.parametrize(
    ("text", "upper", "lower"),
    [
        ("Regjeringen", True, False),
        ("Østlandet", True, False),
        ("«Hei»", True, False),
        ("2017", True, False),
        ("og", False, True),
        ("ærlig", False, True),
        ("(se", False, True),
    ],
)
def test_starts_upper_or_lower(text: str, upper: bool, lower: bool) -> None:
    assert bool(nb_words.STARTS_UPPER.match(text)) is upper
    assert bool(nb_words.STARTS_LOWER.match(text)) is lower


def test_suspended_compound_followers_are_lower_case_as_they_are_compared() -> None:
    assert all(word == word.lower() for word in nb_words.SUSPENDED_COMPOUND_FOLLOWERS)
