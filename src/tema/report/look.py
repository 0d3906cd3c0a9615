"""How a report speaks and draws: one value that the page, its charts and its tables share.

Every part of report.html needs the same five things: the themes in order, their names in
the report's language, their colours, the language's texts (`tema.report.words`) and its
number style. `Look.of` makes them once per report, and the functions take the one value
instead of five arguments that always travel together.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tema.config import Theme, theme_names
from tema.numbers import NBSP, Style
from tema.report.words import TEXTS

# Okabe–Ito colours (readable with colour blindness); "other" is grey.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
OTHER_COLOUR = "#8c8c8c"


def theme_colours(themes: Sequence[Theme]) -> dict[str, str]:
    """A colour per theme id, in theme order; `other` is grey."""
    colours, index = {}, 0
    for theme in themes:
        if theme.id == "other":
            colours[theme.id] = OTHER_COLOUR
        else:
            colours[theme.id] = PALETTE[index % len(PALETTE)]
            index += 1
    return colours


@dataclass(frozen=True)
class Look:
    """The themes, their names and colours, the texts and the number style of one report."""

    themes: tuple[Theme, ...]
    names: dict[str, str]
    colours: dict[str, str]
    words: dict[str, str]
    style: Style

    @classmethod
    def of(cls, themes: Sequence[Theme], language: str, style: Style | None = None) -> Look:
        """The look of a report in `language` ("nb" or "en"); numbers with no-break spaces
        unless another `style` is given."""
        return cls(
            themes=tuple(themes),
            names=theme_names(themes, language),
            colours=theme_colours(themes),
            words=TEXTS[language],
            style=style or Style(language, NBSP),
        )
