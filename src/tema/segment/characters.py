"""Character-level fixes of a line of extracted text, each a replacement of a raw span.

Whitespace other than one plain space becomes one space; control characters, soft hyphens
and zero-width marks are dropped; UTF-8 read as Latin-1 or Windows-1252 ("Ã¸") is
repaired; typographic ligatures that some PDF fonts pass on ("ﬁ") are written as their
letters. ``tema.segment.clean`` applies them with its offset map.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from tema.segment import nb_words
from tema.segment.lines import CONTROL

# Everything in a line that is not copied unchanged: whitespace other than one plain
# space, control characters, soft hyphens and zero-width marks, mojibake pairs, and
# typographic ligatures.
_FIX = re.compile(
    nb_words.MOJIBAKE.pattern
    + r"|[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]{2,}|[\t\u00a0\u2000-\u200a\u202f\u205f\u3000]"
    + r"|[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u200b-\u200d\u2060\ufeff]+"
    + f"|[{nb_words.LIGATURES}]"
)
# Where a _FIX match can start (two spaces, or one character of its classes): one fast
# character scan tells that a line needs no fix, as most lines do.
_FIX_CANDIDATE = re.compile(
    r"  |[\t\u00a0\u2000-\u200d\u202f\u205f\u3000\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u2060"
    r"\ufeff\u00c2-\u00df\ufb00-\ufb06]"
)
_LIGATURE = re.compile(f"[{nb_words.LIGATURES}]")
_LIGATURE_LETTERS = {
    chr(code): unicodedata.normalize("NFKC", chr(code)) for code in range(0xFB00, 0xFB07)
}


def character_fixes(line: str) -> Iterator[tuple[int, int, str]]:
    """``(start, end, replacement)`` for each span of ``line`` that is not copied as it is."""
    if not _FIX_CANDIDATE.search(line):
        return
    for match in _FIX.finditer(line):
        found = match.group()
        if nb_words.MOJIBAKE.fullmatch(found):
            replacement = _fix_mojibake(found)
        elif CONTROL.match(found):
            replacement = ""
        elif found in _LIGATURE_LETTERS:
            replacement = _LIGATURE_LETTERS[found]
        else:
            replacement = " "
        yield match.start(), match.end(), replacement


def without_ligatures(text: str) -> str:
    """``text`` with typographic ligatures written as their letters ("kvaliﬁ" → "kvalifi")."""
    if not _LIGATURE.search(text):
        return text
    return "".join(_LIGATURE_LETTERS.get(character, character) for character in text)


def _fix_mojibake(pair: str) -> str:
    try:
        return pair.encode("cp1252").decode("utf-8")
    except UnicodeError:
        try:
            return pair.encode("latin-1").decode("utf-8")
        except UnicodeError:
            return pair
