"""What the word list says about a hyphen at a line break and a space inside a word.

``hyphen_joint`` decides whether a word hyphenated across lines is rejoined, keeps its
hyphen or is a suspended compound; ``kerning_gap_evidence`` whether a space between two
pieces is a kerning gap of PDF extraction inside one word. ``LetterSpacing`` tells
whether a document shows letter-spaced extraction, which lets weaker evidence count.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping

from tema.segment import nb_words
from tema.segment.characters import without_ligatures
from tema.segment.lexicon import (
    KNOWN_WORD_ZIPF,
    Lexicon,
    compound_cuts,
    is_compound,
    is_known,
    zipf,
)

# Kerning-gap answers remembered per word list (then the memo starts again).
GAP_DECISIONS_KEPT = 200_000
# Zipf frequency of the commonest words (about 115 in Norwegian: "og", "er", "en", "som",
# "for", "over", ... one in a thousand running words or more). A piece of text that is one
# of them is that word, never a piece of a word split by a kerning gap.
COMMON_WORD_ZIPF = 6.0
# A word at least this common is one of ordinary prose (about one in a million running
# words: "forteller" 5.0, "inntil" 4.9, "dertil" 3.4, against "norskog" 1.75, a rare
# listed form).
ORDINARY_WORD_ZIPF = 3.0
# What a pair of words says about a kerning gap between them (kerning_gap_evidence).
NO_GAP, GAP_IF_LETTER_SPACED, GAP = 0, 1, 2

_LOWER = "a-zæøåäöüéèêóòôáàâíú"
_L = nb_words.LETTERS
# Two words separated by spaces; the second word sits in a look-ahead so that every
# adjacent pair is seen ("a b c" gives a|b and b|c).
WORD_PAIR = re.compile(rf"(?<![{_L}\-])([{_L}]{{2,}})( +)(?=([{_LOWER}][{_L}]+)(?![{_L}\-]))")
# A hyphen and a line break just before a position (search with endpos there).
_HYPHEN_BEFORE = re.compile(r"[-\u00ad][ \t]*\r?\n[ \t]*$")


def hyphen_joint(left: str, right: str, lexicon: Mapping[str, float]) -> str:
    """What replaces ``-`` + line break between ``left`` and ``right``.

    Returns ``""`` (rejoin: a word split by hyphenation), ``"-"`` (the hyphen belongs to
    the word: "NAV-tiltak", "e-post") or ``"- "`` (a suspended compound: "Utdannings- og").
    """
    left, right = without_ligatures(left), without_ligatures(right)
    if (
        nb_words.ACRONYM.match(left)
        # An abbreviation of mixed case before a word: "IMDi-regionene", "KrF-politiker"
        # (not a name broken in the middle: "DesRo-" + "chers").
        or (
            sum(letter.isupper() for letter in left) >= 2
            and zipf(lexicon, right.lower()) >= ORDINARY_WORD_ZIPF
        )
        or left[-1:].isdigit()
        or right[:1].isupper()
        or right[:1].isdigit()
        or left.lower() in nb_words.HYPHENATED_PREFIXES
    ):
        # "NAV-tiltak", "IMDi-regionene", "18-åringer", "2016-2017", "distrikts-Norge",
        # "covid-19", "ikke-vestlige"
        return "-"
    joined, hyphenated = left + right, f"{left}-{right}"
    normative: frozenset[str] = getattr(lexicon, "normative", frozenset())
    if normative:
        joined_listed = joined.lower() in normative
        hyphenated_listed = hyphenated.lower() in normative
        if joined_listed != hyphenated_listed:
            return "" if joined_listed else "-"
    if left in getattr(lexicon, "names", ()):
        return "-"  # a name in a compound takes a hyphen: "Oslo-området", "Nato-fly"
    joined_zipf, hyphenated_zipf = zipf(lexicon, joined), zipf(lexicon, hyphenated)
    if right.lower() in nb_words.SUSPENDED_COMPOUND_FOLLOWERS and joined_zipf < ORDINARY_WORD_ZIPF:
        # "norsk- og samfunnskunnskap": a rare listed form ("norskog") is not the word,
        # where an ordinary one is ("fort-" + "eller": "forteller", "inn-" + "til").
        return "- "
    if joined_zipf >= KNOWN_WORD_ZIPF or hyphenated_zipf >= KNOWN_WORD_ZIPF:
        # The word list knows the word: take its more common spelling ("e-post", not
        # "epost"; "forteller", not "fort- eller").
        return "" if joined_zipf >= hyphenated_zipf else "-"
    if len(left) >= 2 and left[-1] == left[-2] == right[:1].lower():
        return "-"  # three equal letters are written with a hyphen ("metall-lampe")
    # Neither form is listed. Typesetting hyphenates far more words than it breaks
    # hyphenated compounds at their hyphen, so rejoin; new compounds of known words are
    # the common case ("kvalifiserings" + "perioden").
    return ""


def kerning_gap_evidence(left: str, right: str, lexicon: Mapping[str, float]) -> int:
    """How the pair ``left right`` (lower case) speaks for a kerning gap inside one word:
    ``GAP``, ``GAP_IF_LETTER_SPACED`` or ``NO_GAP``.

    A kerning gap cuts a word at any letter, so it leaves a piece that is no word on its
    own. That is the evidence a gap needs:

    * ``GAP``: a piece is no listed word and the joined word is listed ("distri butøren",
      "introduksjons programmet", "del takerne"), or the right piece is not even a
      compound of known words and the joined word is a compound with the gap inside its
      first part ("inte greringskonferanse");
    * ``GAP_IF_LETTER_SPACED``, a gap only in a document that shows letter-spaced
      extraction (a PDF, or a text with a ``GAP`` elsewhere): both pieces are words but
      the joined word is listed and more common than the pieces ("skatte betalere",
      "bo lig"), or the left piece is no listed word but the form a compound's first
      part takes before its head ("beslutnings veier": a word in -ing, -sjon, -het ...
      and a linking s; a genitive such as "arvens egen" is not one). In typed text such
      pairs are mostly words written apart on purpose ("kan skje");
    * ``NO_GAP`` for everything else, and always next to one of the commonest words
      ("og", "er", "en", "som", ...): such a piece is that word, not part of another
      ("Språkkravene er", "en mannsjobb"). A compound in the definite form is mostly
      unlisted, so the pieces of "Integreringstiltakene er" are two words, not a piece
      of "integreringstiltakeneer".
    """
    left_zipf, right_zipf = zipf(lexicon, left), zipf(lexicon, right)
    if left_zipf >= COMMON_WORD_ZIPF or right_zipf >= COMMON_WORD_ZIPF:
        return NO_GAP
    joined = left + right
    joined_zipf = zipf(lexicon, joined)
    if left_zipf >= KNOWN_WORD_ZIPF and right_zipf >= KNOWN_WORD_ZIPF:
        common = joined_zipf >= 2.0 and joined_zipf > right_zipf and joined_zipf > left_zipf - 1.0
        return GAP_IF_LETTER_SPACED if common else NO_GAP
    if joined_zipf >= KNOWN_WORD_ZIPF:
        return GAP
    if len(joined) < 8:
        return NO_GAP
    if not is_compound(lexicon, right) and any(
        cut > len(left) for cut in compound_cuts(lexicon, joined)
    ):
        return GAP
    stem = left[:-1]
    if (
        left.endswith("s")
        and stem.endswith(nb_words.S_LINKED_SUFFIXES)
        and right_zipf >= KNOWN_WORD_ZIPF
        and is_known(lexicon, stem)
    ):
        return GAP_IF_LETTER_SPACED  # "beslutnings veier", but not "arvens egen"
    return NO_GAP


class LetterSpacing:
    """Whether a document shows letter-spaced extraction, so that weaker evidence of a
    kerning gap counts (``kerning_gap_evidence``): it is a PDF (``is_pdf``), or somewhere
    in it a pair of pieces is a ``GAP``. Found out when a gap first needs it: most pairs
    of words are decided without it."""

    def __init__(self, raw: str, lexicon: Lexicon, is_pdf: bool = False) -> None:
        self._raw, self._lexicon, self._is_pdf = raw, lexicon, is_pdf

    @functools.cached_property
    def shown(self) -> bool:
        if self._is_pdf:
            return True
        known = self._lexicon.known
        for match in WORD_PAIR.finditer(self._raw):
            left, right = match.group(1).lower(), match.group(3).lower()
            if left in known and right in known:
                continue  # two words: never a GAP on their own
            if _HYPHEN_BEFORE.search(self._raw, max(0, match.start() - 16), match.start()):
                continue  # the second half of a word hyphenated across lines
            if remembered_gap_evidence(left, right, self._lexicon) == GAP:
                return True
        return False


def remembered_gap_evidence(left: str, right: str, lexicon: Lexicon) -> int:
    """``kerning_gap_evidence`` of lower-case pieces, remembered in ``lexicon``."""
    decisions = lexicon.gap_decisions
    evidence = decisions.get((left, right))
    if evidence is None:
        if len(decisions) >= GAP_DECISIONS_KEPT:
            decisions.clear()
        evidence = decisions[left, right] = kerning_gap_evidence(left, right, lexicon)
    return evidence
