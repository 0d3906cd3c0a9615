"""Excel number format codes read into their parts, for `tema.io.cell_format`.

A code ("#,##0.00;[Red]-#,##0.00", "d. mmmm yyyy") is up to four sections (positive;
negative; zero; text), each a list of `Part`s: literal text, digit placeholders, date and
time codes, elapsed time ("[h]"). A part the renderer does not know (a condition such as
"[>100]", a calendar or a number system) makes the code `Unknown`, and the plain value is
shown instead.
"""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

# The parts of a format code, in the order they are tried.
_TOKEN = re.compile(
    r'"(?P<quoted>[^"]*)"?'  # "text", shown as it is
    r"|\\(?P<escaped>.)"  # \c: the character c
    r"|_(?P<pad>.)"  # _c: a space as wide as c, to align columns: nothing in text
    r"|\*(?P<fill>.)"  # *c: c repeated to fill the column: nothing in text
    r"|\[(?P<bracket>[^\]]*)\]"  # [Red], [$kr-414], [h], [>100]
    r"|(?P<general>(?i:general))"
    r"|(?P<ampm>(?i:am/pm|a/p))"
    r"|(?P<exponent>[Ee][+-])"  # of a number in scientific notation: "0,00E+00"
    r"|(?P<date>(?i:y+|m+|d+|h+|s+))"
    r"|(?P<char>.)",
    re.DOTALL,
)
_COLOUR = re.compile(r"(?i:black|blue|cyan|green|magenta|red|white|yellow|colou?r\s*\d+)")
_CURRENCY = re.compile(r"\$(?P<symbol>[^-]*)(?:-[0-9A-Fa-f]+)?")
_ELAPSED = re.compile(r"(?i:h+|m+|s+)")


class Unknown(Exception):
    """A format, or a part of one, that `tema.io.cell_format.shown` does not render: the
    plain value is shown."""


class Part(NamedTuple):
    kind: str  # a group name of `_TOKEN`, "literal" or "elapsed"
    text: str


def sections_of(code: str) -> list[list[Part]]:
    """The sections of a format code (positive; negative; zero; text), each as parts;
    `Unknown` for a code with a part that is not rendered."""
    sections = _parsed(code)
    if sections is None:
        raise Unknown(code)
    return sections


@functools.lru_cache(maxsize=256)
def _parsed(code: str) -> list[list[Part]] | None:
    # A sheet has a few formats and many cells: each format is read once (not changed by
    # its callers). None: a code with a part that is not rendered.
    sections: list[list[Part]] = [[]]
    try:
        for found in _TOKEN.finditer(code):
            kind = found.lastgroup or "char"
            text = found.group(kind)
            if kind == "char" and text == ";":
                sections.append([])
                continue
            sections[-1].append(_part(kind, text))
    except Unknown:
        return None
    return sections


def _part(kind: str, text: str) -> Part:
    if kind in ("quoted", "escaped"):
        return Part("literal", text)
    if kind in ("pad", "fill"):
        return Part("literal", "")
    if kind == "bracket":
        return _bracket(text)
    return Part(kind, text)


def _bracket(text: str) -> Part:
    if _COLOUR.fullmatch(text.strip()):
        return Part("literal", "")
    currency = _CURRENCY.fullmatch(text)
    if currency:
        return Part("literal", currency["symbol"])
    if _ELAPSED.fullmatch(text):
        return Part("elapsed", text.lower())
    raise Unknown(text)  # a condition ([>100]), a calendar or a number system


def is_date(section: list[Part]) -> bool:
    return any(part.kind in ("date", "ampm", "elapsed") for part in section)
