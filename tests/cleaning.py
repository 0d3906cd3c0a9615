"""What the tests of tema.segment's clean-up share: a small word list and a view of blocks."""

from __future__ import annotations

from tema.segment.clean import clean_blocks
from tema.segment.lexicon import Lexicon

# A small word list with made-up frequencies, so that these tests do not depend on the
# contents of any package's list.
LEXICON = Lexicon(
    {
        "interessenter": 2.8,
        "skattebetalere": 2.8,
        "skatte": 3.6,
        "betalere": 1.5,
        "integrering": 3.5,
        "konferanse": 3.8,
        "kvalifisering": 3.2,
        "perioden": 4.0,
        "over": 6.0,
        "alt": 6.0,
        "overalt": 4.5,
        "og": 7.4,
        "eller": 6.5,
        "tiltak": 4.0,
        "epost": 4.2,
        "e-post": 3.0,
        "forteller": 4.5,
        "inntil": 4.9,
        "regionene": 3.7,
        "norskog": 1.75,  # a rare listed form, as in wordfreq: not "norsk- og"
        "fort": 4.0,
        "statssekretærene": 2.0,
        "oppsummering": 3.0,
        "ord": 5.0,
        "inte": 3.1,
        "distributøren": 2.5,
        "er": 7.4,
        "en": 7.2,
        "mann": 5.6,
        "jobb": 5.6,
        "enmannsjobb": 3.0,
        "språk": 5.0,
        "kravene": 4.3,
        "beslutning": 4.2,
        "veier": 5.0,
        "arven": 3.9,
        "egen": 5.6,
        "bo": 5.0,
        "lig": 2.9,
        "bolig": 4.9,
    },
    normative={"e-post", "interessenter", "forteller", "skattebetalere"},
    names={"Oslo"},
)


def kinds_and_texts(raw: str) -> list[tuple[str, str]]:
    return [(block.kind, block.text) for block in clean_blocks(raw, LEXICON)]
