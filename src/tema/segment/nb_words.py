"""Norwegian letters and words as plain data, in the spirit of spaCy's ``spacy/lang/nb``.

The character classes every rule is written with (letters, capitals, a word, an acronym)
and what decides a word broken or garbled by a PDF's extraction: the words after a
hyphen that keep it (suspended compounds, prefixes written with a hyphen), how compounds
are joined, typographic ligatures and mojibake. Constants and one-line helpers only: the
logic is in ``tema.segment.words``, ``tema.segment.lexicon`` and
``tema.segment.characters``; ``tests/test_nb_words.py`` checks the rules table-driven.
The other rule modules are ``nb_sentences`` (where a sentence ends) and ``nb_layout``
(what a line or block is).
"""

from __future__ import annotations

import re

# --- Hyphens and compounds ----------------------------------------------------------------
# Words that follow a hyphen at a line break in a suspended compound
# ("Utdannings- og kvalifiseringsløpet"): the hyphen stays and a space follows it.
SUSPENDED_COMPOUND_FOLLOWERS: frozenset[str] = frozenset({"og", "eller", "samt", "enn", "til"})

# First parts of a compound that is always written with a hyphen ("ikke-vestlige",
# "ikke-medlemmer"): a line break after their hyphen keeps it.
HYPHENATED_PREFIXES: frozenset[str] = frozenset({"ikke"})

# Linking letters between the parts of a Norwegian compound ("integrering-s-konferanse",
# "barn-e-hage"); used when checking whether a rejoined word is a compound of known words.
COMPOUND_LINKS: tuple[str, ...] = ("", "s", "e")
MIN_COMPOUND_PART = 3
# Derivational endings after which the first part of a compound always takes a linking s
# ("beslutning-s-vei", "integrering-s-konferanse", "frivillighet-s-arbeid"): a word with
# one of them and an s is the first part of a compound, where a genitive ("arvens",
# "kommunens") is a definite form and an s.
S_LINKED_SUFFIXES: tuple[str, ...] = (
    "ing", "sjon", "het", "skap", "dom", "else", "itet", "nad", "tek",
)  # fmt: skip

# --- Letters ------------------------------------------------------------------------------
# Typographic ligatures (ﬀ ﬁ ﬂ ﬃ ﬄ ﬅ ﬆ) that PDF extraction passes on from some fonts;
# the clean-up writes them as their letters ("kvaliﬁsering" → "kvalifisering").
LIGATURES = "\ufb00-\ufb06"
# Letters of Norwegian words (for word matching in regexes).
LETTERS = "A-Za-zÆØÅæøåÄÖÜäöüÉéÈèÊêÓóÒòÔôÁáÀàÂâÍíÚú" + LIGATURES
WORD = re.compile(rf"[{LETTERS}]+")
UPPER = "A-ZÆØÅÄÖÜÉÈÊÓÒÔÁÀÂÍÚ"
STARTS_UPPER = re.compile(rf"^[\"«“„'(]*[{UPPER}\d]")
LOWER = "a-zæøåäöüéèêóòôáàâíú"
STARTS_LOWER = re.compile(rf"^[\"«“„'(]*[{LOWER}]")
ACRONYM = re.compile(rf"^[{UPPER}\d]{{2,}}$")

# Common mojibake: UTF-8 bytes decoded as Latin-1 / Windows-1252 ("Ã¸" for "ø").
# The lead character of a 2-byte UTF-8 sequence, seen through Windows-1252.
MOJIBAKE = re.compile(
    "[\u00c2-\u00df][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e"
    "\u0192\u02c6\u02dc\u2013\u2014\u2018\u2019\u201a\u201c\u201d\u201e"
    "\u2020\u2021\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)
