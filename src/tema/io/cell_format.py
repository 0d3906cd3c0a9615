"""A workbook cell's value as Norwegian Excel shows it, by the cell's number format.

A workbook stores a number and, beside it, how to show it: 0.25 shown "25 %", 45365 shown
"14.03.2024". openpyxl gives the stored value (a date format turned into a `datetime`);
tema shows what the user saw and typed, so `shown` applies the format. No maintained
Python package does this in a Norwegian locale without a network (the ones found render
US English: "25%", "1,500", "March"), so this is a small table-driven renderer of the
formats people use, in the style of Norwegian Excel (nb-NO):

- numbers: decimal comma, a space between thousands ("1 500,5"), a space before the per
  cent sign ("25 %", also for the format "0%", as Norwegian Excel shows it), as
  `tema.numbers` writes Norwegian; but a negative number keeps the hyphen-minus the user
  typed ("-3"), where tema's own reports print a true minus sign;
- General: the number as typed, up to Excel's 15 significant digits ("3,5", "1500");
- dates and times: the format's parts with Norwegian month and day names ("14. mars
  2024"); Excel's built-in short date and date-time (shown in the user's locale, which
  openpyxl names "mm-dd-yy" and "m/d/yy h:mm") as Norwegian Excel shows them,
  "14.03.2024" and "14.03.2024 10:05";
- booleans: SANN / USANN, the names Norwegian Excel gives TRUE and FALSE.

A format this does not know (a condition such as "[>100]", digits mixed with text such as
"000-00-000", fractions) falls back to the plain value: a number as General, a date as
the short date (with the time of day when it has one), a time as "10:05:00".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Any

from tema.io.format_codes import Part, Unknown, is_date, sections_of

GENERAL = "General"
BOOLEANS = {True: "SANN", False: "USANN"}
# Excel's built-in formats that follow the user's locale (ECMA-376 numFmtId 14 and 22), as
# openpyxl names them, and how a Norwegian Excel shows them.
LOCALE_FORMATS = {"mm-dd-yy": "dd.mm.yyyy", "m/d/yy h:mm": "dd.mm.yyyy hh:mm"}
# A format marked [$-F800] (the system's long date) or [$-F400] (its time) is shown in the
# user's locale, whatever codes follow the mark.
SYSTEM_FORMATS = {"f800": "dddd d. mmmm yyyy", "f400": "hh:mm:ss"}
_SYSTEM = re.compile(r"\[\$-(F[48]00)\]", re.IGNORECASE)
SHORT_DATE = "dd.mm.yyyy"
SHORT_DATE_TIME = "dd.mm.yyyy hh:mm"
TIME = "hh:mm:ss"
DURATION = "[h]:mm:ss"
THOUSANDS = " "
DECIMAL = ","
MONTHS = ("januar", "februar", "mars", "april", "mai", "juni", "juli", "august",
          "september", "oktober", "november", "desember")  # fmt: skip
MONTHS_SHORT = ("jan", "feb", "mar", "apr", "mai", "jun", "jul", "aug", "sep", "okt",
                "nov", "des")  # fmt: skip
DAYS = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")
DAYS_SHORT = ("man", "tir", "ons", "tor", "fre", "lør", "søn")
# Day 0 of Excel's calendar: a time or a duration is a moment counted from it.
_EPOCH = datetime(1899, 12, 30)
_HALF_SECOND = timedelta(microseconds=500_000)

# The digits of a number format: integer placeholders with thousands commas between them,
# then decimals; "?" (a digit or a space for alignment) is read as "#".
_DIGITS = re.compile(r"(?P<whole>[#0?]*(?:,[#0?]+)*)(?:\.(?P<decimals>[#0?]*))?")
_SCIENTIFIC = re.compile(r"0(?:\.(?P<decimals>0*))?[Ee](?P<sign>[+-])(?P<exponent>0+)")
_PLACEHOLDERS = frozenset("0#?.,")
_PRECISION = 400


def shown(value: Any, number_format: str | None = GENERAL) -> str:
    """`value` of a workbook cell as Norwegian Excel shows it with `number_format`; a text
    as it is, nothing as ""."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return BOOLEANS[value]
    code = number_format or GENERAL
    system = _SYSTEM.search(code)
    code = SYSTEM_FORMATS[system[1].lower()] if system else LOCALE_FORMATS.get(code, code)
    if isinstance(value, datetime | date | time | timedelta):
        return _moment_text(value, code)
    if isinstance(value, int | float):
        return general(value) if code == GENERAL else _number_text(value, code)
    return str(value)


# --- numbers -----------------------------------------------------------------------------
def _number_text(value: float, code: str) -> str:
    try:
        sections = sections_of(code)
        section, negative_sign = _section_for(value, sections)
        if is_date(section):
            raise Unknown(code)  # a number beyond a date's range: openpyxl left it so
        # Every digit of a float up to 1e308, written out: more than decimal's default 28.
        with localcontext(prec=_PRECISION):
            text = _render_number(abs(Decimal(repr(value))), section)
    except (Unknown, ArithmeticError):
        return general(value)
    # No "-0": a small negative number rounded to zero is shown without its sign.
    return "-" + text if negative_sign and any(c in "123456789" for c in text) else text


def _section_for(value: float, sections: list[list[Part]]) -> tuple[list[Part], bool]:
    """The section that shows `value`, and whether a minus sign goes before it (only
    when the format has no section of its own for negative numbers)."""
    if value < 0 and len(sections) > 1:
        return sections[1], False
    if value == 0 and len(sections) > 2:
        return sections[2], False
    return sections[0], value < 0


def _render_number(value: Decimal, section: list[Part]) -> str:
    """`value` (not negative) in one section: literals before and after one run of digit
    placeholders; "%" multiplies by 100."""
    texts = [part.text for part in section]
    if any(_is_general(part) for part in section):  # '"kr "General', or "@" for text
        return "".join(general(value) if _is_general(part) else part.text for part in section)
    places = [i for i, part in enumerate(section) if _placeholder(part)]
    if not places:
        return "".join(texts)  # a section of text only: '"Ja";"Nei"'
    first, last = places[0], places[-1]
    digits = "".join(texts[first : last + 1])
    if not all(_placeholder(part) for part in section[first : last + 1]):
        raise Unknown(digits)  # digits mixed with text: "000-00-000"
    value *= Decimal(100) ** sum(part == Part("char", "%") for part in section)
    after = "".join(texts[last + 1 :])
    if after.startswith("%"):
        after = " " + after  # "0%" is "25 %" in Norwegian Excel (and `tema.numbers`)
    return "".join(texts[:first]) + _digits(value, digits) + after


def _is_general(part: Part) -> bool:
    return part.kind == "general" or (part.kind == "char" and part.text == "@")


def _placeholder(part: Part) -> bool:
    return part.kind == "exponent" or (part.kind == "char" and part.text in _PLACEHOLDERS)


def _digits(value: Decimal, code: str) -> str:
    scientific = _SCIENTIFIC.fullmatch(code)
    if scientific:
        return _scientific(value, scientific)
    found = _DIGITS.fullmatch(code)
    if found is None or not code.strip(".,"):
        raise Unknown(code)
    whole_code, decimals = found["whole"], found["decimals"]
    rounded = value.quantize(Decimal(1).scaleb(-len(decimals or "")), ROUND_HALF_UP)
    whole, _, fraction = f"{rounded:f}".partition(".")
    shortest = len(decimals.rstrip("#?")) if decimals else 0
    while len(fraction) > shortest and fraction.endswith("0"):
        fraction = fraction[:-1]
    least = whole_code.count("0")
    whole = whole.lstrip("0").rjust(least, "0")
    if "," in whole_code:
        whole = _grouped(whole)
    return whole + (DECIMAL + fraction if decimals is not None else "")


def _grouped(whole: str) -> str:
    head = len(whole) % 3 or 3
    groups = [whole[:head]] + [whole[i : i + 3] for i in range(head, len(whole), 3)]
    return THOUSANDS.join(group for group in groups if group)


def _scientific(value: Decimal, code: re.Match[str]) -> str:
    """ "0.00E+00": "1,23E+04"; "E-" shows the exponent's sign only when it is negative."""
    decimals = len(code["decimals"] or "")
    mantissa, _, power = f"{value:.{decimals}E}".partition("E")
    sign = power[0] if power[0] == "-" or code["sign"] == "+" else ""
    digits = power[1:].lstrip("0").rjust(len(code["exponent"]), "0")
    return f"{mantissa.replace('.', DECIMAL)}E{sign}{digits}"


def general(value: float | Decimal) -> str:
    """A number as Excel's General format shows it when the column is wide enough: whole
    numbers as typed, others with up to 15 significant digits; decimal comma."""
    if isinstance(value, int) and abs(value) < 10**15:
        return str(value)  # the most common number in a sheet, without a Decimal
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if number == number.to_integral_value() and abs(number) < 10**15:
        return str(int(number))
    text = f"{float(number):.15g}".replace("e", "E").replace(".", DECIMAL)
    mantissa, marker, power = text.partition("E")
    if marker:
        return f"{mantissa}E{power[0]}{power[1:].lstrip('0').rjust(2, '0')}"
    return text


# --- dates and times ---------------------------------------------------------------------
def _moment_text(value: datetime | date | time | timedelta, code: str) -> str:
    moment, elapsed = _moment(value)
    try:
        sections = sections_of(code)
        if not is_date(sections[0]):
            raise Unknown(code)
        return _render_moment(moment, elapsed, sections[0])
    except Unknown:
        return _render_moment(moment, elapsed, sections_of(_plain_format(value, moment))[0])


def _moment(value: datetime | date | time | timedelta) -> tuple[datetime, timedelta]:
    """The value as a moment of Excel's calendar, rounded to the second as Excel shows it,
    and the time since Excel's day 0 (what "[h]" counts)."""
    if isinstance(value, timedelta):
        moment = _EPOCH + value
    elif isinstance(value, time):
        moment = datetime.combine(_EPOCH.date(), value.replace(tzinfo=None))
    elif isinstance(value, datetime):
        moment = value.replace(tzinfo=None)
    else:
        moment = datetime.combine(value, time())
    if moment < datetime.max - _HALF_SECOND:  # the calendar's last second: nothing after it
        moment += _HALF_SECOND
    moment = moment.replace(microsecond=0)
    return moment, moment - _EPOCH


def _plain_format(value: Any, moment: datetime) -> str:
    if isinstance(value, timedelta):
        return DURATION
    if isinstance(value, time):
        return TIME
    return SHORT_DATE_TIME if moment.time() != time() else SHORT_DATE


def _render_moment(moment: datetime, elapsed: timedelta, section: list[Part]) -> str:
    twelve_hour = any(part.kind == "ampm" for part in section)
    dated = [i for i, part in enumerate(section) if part.kind in ("date", "elapsed")]
    texts = []
    for index, part in enumerate(section):
        if part.kind == "date":
            minutes = _is_minutes(section, dated, index)
            texts.append(_date_part(moment, part.text.lower(), minutes, twelve_hour))
        elif part.kind == "elapsed":
            texts.append(_elapsed(elapsed, part.text))
        elif part.kind == "ampm":
            texts.append(_am_pm(moment, part.text))
        elif part.kind == "literal":
            texts.append(part.text)
        elif part.kind == "char":
            # "/" stands for the locale's date separator: "." in Norwegian.
            texts.append("." if part.text == "/" else part.text)
        else:
            raise Unknown(part.text)  # General among date parts
    return "".join(texts)


def _is_minutes(section: list[Part], dated: list[int], index: int) -> bool:
    """Whether "m" or "mm" at `index` is minutes: right after hours or before seconds."""
    text = section[index].text.lower()
    if not text.startswith("m") or len(text) > 2:
        return False
    position = dated.index(index)
    before = section[dated[position - 1]].text.lower() if position else ""
    after = section[dated[position + 1]].text.lower() if position + 1 < len(dated) else ""
    return before.startswith("h") or after.startswith("s")


def _date_part(moment: datetime, text: str, minutes: bool, twelve_hour: bool) -> str:
    if minutes:
        return f"{moment.minute:0{len(text)}d}"
    hour = (moment.hour % 12 or 12) if twelve_hour else moment.hour
    render = _DATE_PARTS.get(text[0])
    if render is None:
        raise Unknown(text)
    return render(moment, len(text), hour)


def _year(moment: datetime, width: int, _hour: int) -> str:
    return f"{moment.year % 100:02d}" if width <= 2 else f"{moment.year:04d}"


def _month(moment: datetime, width: int, _hour: int) -> str:
    if width <= 2:
        return f"{moment.month:0{width}d}"
    names = {3: MONTHS_SHORT, 5: tuple(name[0] for name in MONTHS)}.get(width, MONTHS)
    return names[moment.month - 1]


def _day(moment: datetime, width: int, _hour: int) -> str:
    if width <= 2:
        return f"{moment.day:0{width}d}"
    return (DAYS_SHORT if width == 3 else DAYS)[moment.weekday()]


_DATE_PARTS: dict[str, Callable[[datetime, int, int], str]] = {
    "y": _year,
    "m": _month,
    "d": _day,
    "h": lambda _moment, width, hour: f"{hour:0{min(width, 2)}d}",
    "s": lambda moment, width, _hour: f"{moment.second:0{min(width, 2)}d}",
}


def _elapsed(elapsed: timedelta, text: str) -> str:
    seconds = int(elapsed.total_seconds())
    total = {"h": seconds // 3600, "m": seconds // 60, "s": seconds}[text[0]]
    return f"{total:0{len(text)}d}"


def _am_pm(moment: datetime, text: str) -> str:
    morning = moment.hour < 12
    if text.lower() == "a/p":
        return "A" if morning else "P"
    return "AM" if morning else "PM"
