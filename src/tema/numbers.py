"""Numbers and dates as a reader sees them: Norwegian (nb) or English (en) style.

Norwegian (Språkrådet's rules): decimal comma ("0,34"), a space between thousands
("3 700"), a space before the per cent sign ("34 %") and a true minus sign ("−2,5").
English: "0.34", "3,700", "34%", "-2.5". Intervals are written once with the unit at the
end: "30–38 %" / "30–38%".

HTML passes ``space=NBSP`` so that a number never breaks across lines; the terminal uses a
plain space. The machine-readable outputs (CSV, the number cells of the XLSX) never go
through here: they keep plain floats.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

NBSP = "\u00a0"
MINUS = "\u2212"


def _missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return math.isnan(float(value))
    except (TypeError, ValueError):
        return True


def number(value: Any, language: str = "nb", digits: int = 0, space: str = " ") -> str:
    """`value` with `digits` decimals and thousands separators; "" when missing."""
    if _missing(value):
        return ""
    text = f"{float(value):,.{digits}f}"
    if text.startswith("-") and float(text.replace(",", "")) == 0:
        text = text[1:]  # no "-0"
    if language != "nb":
        return text
    return text.replace(",", "\0").replace(".", ",").replace("\0", space).replace("-", MINUS)


def signed(value: Any, language: str = "nb", digits: int = 1, space: str = " ") -> str:
    """A change with its sign: "+2,5" / "−2,5" (nb), "+2.5" / "-2.5" (en)."""
    text = number(value, language, digits, space)
    if text and not text.startswith(("-", MINUS)):
        text = "+" + text
    return text


def percent(share: Any, language: str = "nb", digits: int = 0, space: str = " ") -> str:
    """A share (0–1) as per cent: "34 %" (nb) or "34%" (en); "" when missing."""
    if _missing(share):
        return ""
    value = number(float(share) * 100, language, digits, space)
    return f"{value}{space}%" if language == "nb" else f"{value}%"


def percent_range(
    low: Any, high: Any, language: str = "nb", digits: int = 0, space: str = " "
) -> str:
    """An interval of shares with the unit once: "30–38 %" (nb), "30–38%" (en)."""
    if _missing(low) or _missing(high):
        return ""
    first = number(float(low) * 100, language, digits, space)
    last = percent(high, language, digits, space)
    return f"{first}–{last}"


def decimal_range(
    low: Any, high: Any, language: str = "nb", digits: int = 2, space: str = " "
) -> str:
    """An interval of plain numbers: "0,85–0,89" (nb), "0.85–0.89" (en)."""
    if _missing(low) or _missing(high):
        return ""
    return f"{number(low, language, digits, space)}–{number(high, language, digits, space)}"


class Style:
    """The number style of one language and medium, e.g. ``Style("nb", NBSP)`` for HTML."""

    def __init__(self, language: str = "nb", space: str = " ") -> None:
        self.language = language
        self.space = space

    def num(self, value: Any, digits: int = 0) -> str:
        return number(value, self.language, digits, self.space)

    def signed(self, value: Any, digits: int = 1) -> str:
        return signed(value, self.language, digits, self.space)

    def pct(self, share: Any, digits: int = 0) -> str:
        return percent(share, self.language, digits, self.space)

    def pct_range(self, low: Any, high: Any, digits: int = 0) -> str:
        return percent_range(low, high, self.language, digits, self.space)

    def dec_range(self, low: Any, high: Any, digits: int = 2) -> str:
        return decimal_range(low, high, self.language, digits, self.space)


MONTHS = {
    "nb": ("januar", "februar", "mars", "april", "mai", "juni", "juli", "august",
           "september", "oktober", "november", "desember"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
}  # fmt: skip


def date_text(moment: datetime | str | None, language: str = "nb", time: bool = False) -> str:
    """A date (and time) in local time: "6. desember 2026 kl. 19.57" / "6 December 2026, 19:57".

    `moment` may be an ISO 8601 string (a model card's `created`); "" when missing or
    unreadable.
    """
    if isinstance(moment, str):
        try:
            moment = datetime.fromisoformat(moment)
        except ValueError:
            return ""
    if moment is None:
        return ""
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    month = MONTHS.get(language, MONTHS["en"])[moment.month - 1]
    if language == "nb":
        text = f"{moment.day}. {month} {moment.year}"
        return text + (f" kl. {moment:%H.%M}" if time else "")
    text = f"{moment.day} {month} {moment.year}"
    return text + (f", {moment:%H:%M}" if time else "")
