"""A theme as annotators write it in a label file → its theme id.

A label may be the theme's id, its Norwegian or English name from `themes:` in params.yaml,
or one of the other names below (the headings of the labelling conventions,
/shared/eval/LABELS.md and docs/labeling.md). Names are compared as a person reads them:
case, æ ø å (or their ASCII spelling), hyphens and spaces (Excel's non-breaking space,
two spaces, one at the end) do not count. Any other label is refused, naming the theme it
most likely means: the one theme with its words in a name ("Utdanning"), or the name
closest in spelling ("Frivilig sektor").
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Sequence

from tema.config import Theme
from tema.io.files import ascii_letters

# Theme id → names it also goes by. LABELS.md heads education with the 2017 report's
# wording; docs/labeling.md: "It is the same theme."
OTHER_NAMES: dict[str, tuple[str, ...]] = {
    "education": ("Utdannings- og kvalifiseringsløpet",),
}

_NOT_A_LETTER = re.compile(r"[\W_]+")
# How close (difflib's ratio) a misspelt name must be to a theme's name to be named.
_CLOSE_ENOUGH = 0.75


def name_key(name: str) -> str:
    """`name` as it is compared: "Utdannings- og  kvalifiseringsløpet " → "utdannings og
    kvalifiseringslopet"."""
    spelt = ascii_letters(unicodedata.normalize("NFKC", name))
    return " ".join(_NOT_A_LETTER.sub(" ", spelt).split())


def theme_names(theme: Theme) -> tuple[str, ...]:
    """Every name `theme` is written by: id, Norwegian, English, other names, and the names
    params.yaml says it had before (`also`)."""
    return (theme.id, theme.nb, theme.en, *OTHER_NAMES.get(theme.id, ()), *theme.also)


def label_lookup(themes: Sequence[Theme]) -> dict[str, str]:
    """`name_key` of every name of every theme → theme id."""
    return {name_key(name): theme.id for theme in themes for name in theme_names(theme)}


def resolve(label: str, lookup: dict[str, str]) -> str | None:
    """The theme id `label` names, or None."""
    return lookup.get(name_key(label))


def closest_name(label: str, themes: Sequence[Theme]) -> str | None:
    """The name (as params.yaml or the table above spells it) a misspelt `label` is
    closest to: the name of the one theme whose name has its words ("Utdanning"), or the
    name closest in spelling; None when none is close."""
    words = set(name_key(label).split())
    holding = {
        theme.id: name
        for theme in themes
        for name in reversed(theme_names(theme))  # the first of a theme's names stands
        if words and words <= set(name_key(name).split())
    }
    if len(holding) == 1:
        return next(iter(holding.values()))
    spelt = {name_key(name): name for theme in themes for name in theme_names(theme)}
    match = difflib.get_close_matches(name_key(label), list(spelt), n=1, cutoff=_CLOSE_ENOUGH)
    return spelt[match[0]] if match else None
