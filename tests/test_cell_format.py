"""tema.io.cell_format: a workbook cell's value as Norwegian Excel shows it by its format."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest

from tema.io.cell_format import shown

MOMENT = datetime(2024, 3, 14, 10, 5, 30)  # a Thursday


@pytest.mark.parametrize(
    ("value", "number_format", "text"),
    [
        # General: as typed, with a decimal comma; a whole number stored as a float has no ",0"
        (1.0, "General", "1"),
        (1500, "General", "1500"),
        (3.5, "General", "3,5"),
        (0.1 + 0.2, "General", "0,3"),  # Excel shows 15 significant digits
        (-2.5, "General", "-2,5"),  # the hyphen-minus the user typed
        (1e20, "General", "1E+20"),
        (7, None, "7"),  # a cell without a style
        # per cent: times 100, the format's decimals, a space before "%"
        (0.25, "0%", "25 %"),
        (0.2556, "0.0%", "25,6 %"),
        (0.12345, "0.00%", "12,35 %"),
        (0.25, "0 %", "25 %"),
        # decimals, rounded half away from zero as Excel does (not to even)
        (0.125, "0.00", "0,13"),
        (2.675, "0.00", "2,68"),
        (1.5, "0.0#", "1,5"),
        (0.5, "#.00", ",50"),
        (-0.001, "0.00", "0,00"),  # no "-0,00"
        # thousands
        (1500, "#,##0", "1 500"),
        (1234567.891, "#,##0.00", "1 234 567,89"),
        (-1500, "#,##0", "-1 500"),
        (1e28, "0", "1" + "0" * 28),  # more digits than decimal's default precision
        # sections, text and currency
        (-5, "0;[Red](0)", "(5)"),
        (0, '0;-0;"ingen"', "ingen"),
        (1, '"Ja";"Nei"', "Ja"),
        (12, '0 "kr"', "12 kr"),
        (1234.5, "[$kr-414] #,##0.00", "kr 1 234,50"),
        (-1234.5, '_(* #,##0.00_);_(* \\(#,##0.00\\);_(* "-"??_);_(@_)', "(1 234,50)"),
        (1234.5, "0.00E+00", "1,23E+03"),
        (5, "@", "5"),
        # formats it does not know: the plain value (General)
        (12345678, "000-00-000", "12345678"),
        (5, "[>3]0;0", "5"),
        (0.75, "# ?/?", "0,75"),
        # booleans, as Norwegian Excel names them
        (True, "General", "SANN"),
        (False, None, "USANN"),
        (None, "0%", ""),
        ("25 %", "@", "25 %"),  # a text is never touched
        # dates: Excel's built-in short date and date-time follow the user's locale
        (MOMENT, "mm-dd-yy", "14.03.2024"),
        (MOMENT, "m/d/yy h:mm", "14.03.2024 10:05"),
        (MOMENT, "yyyy-mm-dd", "2024-03-14"),
        (MOMENT, "d. mmmm yyyy", "14. mars 2024"),
        (MOMENT, "dddd d. mmm yy", "torsdag 14. mar 24"),
        (MOMENT, "[$-414]d/m/yyyy", "14.3.2024"),  # "/" is the locale's date separator
        (MOMENT, "[$-F800]dddd\\,\\ mmmm\\ dd\\,\\ yyyy", "torsdag 14. mars 2024"),
        (MOMENT, "dd.mm.yyyy hh:mm:ss", "14.03.2024 10:05:30"),
        (MOMENT, "mm:ss", "05:30"),  # "mm" before seconds is minutes
        (datetime(2024, 3, 14, 15, 7), "h:mm AM/PM", "3:07 PM"),
        (datetime(2024, 3, 14, 10, 5, 30, 600_000), "hh:mm:ss", "10:05:31"),
        # times and durations
        (time(9, 30), "h:mm", "9:30"),
        (time(9, 30), "hh:mm:ss", "09:30:00"),
        (timedelta(days=1, hours=6), "[h]:mm:ss", "30:00:00"),
        # date formats it does not know: the short date, with the time of day if any
        (datetime(2024, 3, 14), "General", "14.03.2024"),
        (MOMENT, "[>1]dd", "14.03.2024 10:05"),
        (time(10, 5), "General", "10:05:00"),
    ],
)
def test_a_cell_reads_as_norwegian_excel_shows_it(value: object, number_format: str, text: str):
    assert shown(value, number_format) == text


def test_the_last_moment_excel_holds_is_shown_not_a_crash():
    # 31.12.9999 23:59:59.99, the largest date cell Excel keeps: rounding it to the second
    # would pass the end of the calendar.
    last = datetime(9999, 12, 31, 23, 59, 59, 991000)
    assert shown(last, "dd.mm.yyyy hh:mm:ss") == "31.12.9999 23:59:59"
