"""Word decisions: a hyphen at a line break, a space inside a word."""

from __future__ import annotations

import pytest

from cleaning import LEXICON
from tema.segment.words import (
    GAP,
    GAP_IF_LETTER_SPACED,
    NO_GAP,
    hyphen_joint,
    kerning_gap_evidence,
)


@pytest.mark.parametrize(
    ("left", "right", "joint"),
    [
        ("interes", "senter", ""),  # a listed word: rejoin
        ("kvalifiserings", "perioden", ""),  # unlisted compound: rejoin
        ("Utdannings", "og", "- "),  # suspended compound
        ("Arbeids", "eller", "- "),
        ("fort", "eller", ""),  # but a listed word wins over the suspended reading
        ("NAV", "tiltak", "-"),  # acronym
        ("distrikts", "Norge", "-"),  # capital after the hyphen
        ("2016", "tall", "-"),
        ("e", "post", "-"),  # the normative dictionary has "e-post", not "epost"
        ("Oslo", "området", "-"),  # a name in a compound
        ("metall", "lampe", "-"),  # three equal letters
    ],
)
def test_hyphen_joint(left: str, right: str, joint: str) -> None:
    assert hyphen_joint(left, right, LEXICON) == joint


@pytest.mark.parametrize(
    ("left", "right", "evidence"),
    [
        ("distri", "butøren", GAP),  # pieces that are no words, and a listed word
        ("inte", "greringskonferanse", GAP),  # no word, and the first part of a compound
        ("skatte", "betalere", GAP_IF_LETTER_SPACED),  # two words, the joined one commoner
        ("bo", "lig", GAP_IF_LETTER_SPACED),
        ("beslutnings", "veier", GAP_IF_LETTER_SPACED),  # a compound's first part and head
        ("arvens", "egen", NO_GAP),  # a genitive is a word
        ("språkkravene", "er", NO_GAP),  # one of the commonest words is that word
        ("en", "mannsjobb", NO_GAP),
        ("over", "alt", NO_GAP),  # two common words stay two words
        ("statssekretærenes", "oppsummering", NO_GAP),  # genitive + noun is no compound
        ("ord", "og", NO_GAP),
    ],
)
def test_kerning_gap_evidence(left: str, right: str, evidence: int) -> None:
    assert kerning_gap_evidence(left, right, LEXICON) == evidence
