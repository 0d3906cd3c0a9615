"""tema.io.excel: a workbook's cells as the spreadsheet shows them, and what it cannot show."""

from __future__ import annotations

import re
import warnings
import zipfile
from pathlib import Path

import pytest

from tema.io.excel import cell_text, rows_hold
from tema.io.tables import read_table


def workbook_with_cell(path: Path, cell_xml: str) -> Path:
    """A workbook of answers whose cell B3 is `cell_xml`, as another program saved it."""
    from openpyxl import Workbook

    workbook = Workbook()
    for row in (["id", "svar"], [1, "Flere boliger"], [2, "plassholder"], [3, "Norskkurs"]):
        workbook.active.append(row)
    written = path.with_suffix(".tmp.xlsx")
    workbook.save(written)
    with zipfile.ZipFile(written) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data, count = re.subn(rb'<c r="B3".*?</c>', cell_xml.encode(), data)
                assert count == 1
            target.writestr(item, data)
    return path


@pytest.mark.parametrize(
    ("cell_xml", "text", "unsaved"),
    [
        # A script wrote the formula and nothing calculated it: openpyxl reads it as empty.
        ('<c r="B3"><f>A3&amp;" svar"</f><v></v></c>', "", True),
        ('<c r="B3"><f>A3&amp;" svar"</f></c>', "", True),
        ('<c r="B3"><x:f xmlns:x="urn:x">A3</x:f></c>', "", True),
        # Excel saved the result with it: read as the result.
        ('<c r="B3" t="str"><f>"Bolig"&amp;"er"</f><v>Boliger</v></c>', "Boliger", False),
        ('<c r="B3"><f>A3*2</f><v>4</v></c>', "4", False),
        # … also when the result is empty text.
        ('<c r="B3" t="str"><f>IF(A3&gt;5,"x","")</f><v></v></c>', "", False),
        ('<c r="B3" t="inlineStr"><is><t>Skole</t></is></c>', "Skole", False),
    ],
)
def test_a_formula_without_a_saved_result_is_named_with_its_row(
    tmp_path: Path, cell_xml: str, text: str, unsaved: bool
):
    path = workbook_with_cell(tmp_path / "svar.xlsx", cell_xml)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        table = read_table(path)
    assert table.rows[1] == (3, ["2", text])
    said = [str(warning.message) for warning in caught]
    assert said == (
        [
            f"{path}, sheet 'Sheet': row 3 holds a formula whose result is not saved in the "
            "file (written by a program, not by Excel), read as empty. Open the file in "
            "Excel or LibreOffice and save it, then run again"
        ]
        if unsaved
        else []
    )


@pytest.mark.parametrize(
    ("value", "number_format", "text"),
    [
        (None, None, ""),
        (34.0, "General", "34"),
        (3.5, "General", "3,5"),
        (0.25, "0%", "25 %"),  # by its format (`tema.io.cell_format`)
        ("#N/A", "General", "#N/A"),  # an error value is kept: the reader says what it is
        ("#I/T", "General", "#I/T"),
        ("Linje en_x000D_\nlinje to", "General", "Linje en\nlinje to"),
        ("0.25", "0%", "0.25"),  # a text is as written, whatever the format
    ],
)
def test_cells_read_as_the_spreadsheet_shows_them(value: object, number_format, text: str):
    assert cell_text(value, number_format) == text


@pytest.mark.parametrize(
    ("rows", "said"),
    [
        ([3], "row 3 holds"),
        ([3, 7], "rows 3, 7 hold"),
        (list(range(2, 14)), "rows 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 and 2 more hold"),
    ],
)
def test_rows_are_named_the_first_ten_and_how_many_more(rows: list[int], said: str):
    assert rows_hold(rows) == said


def workbook_of_sheets(path: Path, sheets: dict[str, tuple[str, list[list[object]]]]) -> Path:
    """A workbook with a sheet per `sheets` entry: name → (state, rows)."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, (state, rows) in sheets.items():
        worksheet = workbook.create_sheet(name)
        worksheet.sheet_state = state
        for row in rows:
            worksheet.append(row)
    workbook.save(path)
    return path


ANSWERS = [["id", "svar"], [1, "Flere boliger"]]


@pytest.mark.parametrize(
    ("sheets", "chosen", "left"),
    [
        # a second form's answers on their own sheet: not read, and said so
        ({"Svar": ("visible", ANSWERS), "Svar2": ("visible", ANSWERS)}, None, ("Svar2",)),
        # a list of choices behind a form, hidden: not data
        ({"Valg": ("hidden", ANSWERS), "Svar": ("visible", ANSWERS)}, None, ()),
        # a sheet with its header only holds no text to lose
        ({"Svar": ("visible", ANSWERS), "Mal": ("visible", [["id", "svar"]])}, None, ()),
        # the manifest named the sheet: the user chose
        ({"Svar": ("visible", ANSWERS), "Svar2": ("visible", ANSWERS)}, "Svar", ()),
    ],
)
def test_the_sheets_not_read_that_hold_text_are_named(tmp_path: Path, sheets, chosen, left):
    path = workbook_of_sheets(tmp_path / "svar.xlsx", sheets)
    table = read_table(path, sheet=chosen)
    assert table.rows == [(2, ["1", "Flere boliger"])]
    assert table.unread_sheets == left
