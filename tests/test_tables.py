"""tema.io.tables: every table people give tema, read one way; errors name file and line."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from tema.errors import InputError, UnreadableFile
from tema.io.delimiters import ONE_COLUMN, detect_delimiter
from tema.io.tables import read_frame, read_frame_chunks, read_table

HEADER = ["kommune", "svar"]
ROWS = [["Bodø", "Flere boliger, og raskere"], ["Tromsø", "Norskkurs på kveldstid"]]


def delimited(delimiter: str, quote_commas: bool = True) -> str:
    def cell(text: str) -> str:
        return f'"{text}"' if quote_commas and delimiter in text + "," and "," in text else text

    return "".join(delimiter.join(cell(c) for c in row) + "\n" for row in [HEADER, *ROWS])


# (file name, bytes): the same table as people save it.
TABLES = {
    "comma": ("svar.csv", delimited(",").encode("utf-8")),
    "semicolon": ("svar.csv", delimited(";").encode("utf-8")),
    "tab": ("svar.tsv", delimited("\t").encode("utf-8")),
    "tab-in-csv": ("svar.csv", delimited("\t").encode("utf-8")),
    "utf-8-bom": ("svar.csv", delimited(";").encode("utf-8-sig")),
    "cp1252-excel": ("svar.csv", delimited(";").encode("cp1252")),
    "latin-1": ("svar.csv", delimited(",").encode("latin-1")),
    "utf-16-bom": ("svar.csv", delimited("\t").encode("utf-16")),
    "crlf": ("svar.csv", delimited(";").replace("\n", "\r\n").encode("cp1252")),
}


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    workbook.save(path)
    return path


@pytest.mark.parametrize("case", sorted(TABLES))
def test_every_kind_of_delimited_table_gives_the_same_rows(tmp_path: Path, case: str):
    name, content = TABLES[case]
    path = tmp_path / name
    path.write_bytes(content)
    table = read_table(path)
    assert table.header == HEADER
    assert table.rows == [(2, ROWS[0]), (3, ROWS[1])]


def test_an_excel_workbook_gives_the_same_rows_with_cells_as_text(tmp_path: Path):
    from datetime import date, datetime

    path = write_xlsx(
        tmp_path / "svar.xlsx",
        [[*HEADER, "dato", "alder"], [*ROWS[0], date(2018, 3, 14), 34.0], [*ROWS[1], None, 51]],
    )
    table = read_table(path)
    assert table.header == [*HEADER, "dato", "alder"]
    # openpyxl gives a date the format "yyyy-mm-dd", a date and time "yyyy-mm-dd h:mm:ss"
    assert table.rows == [(2, [*ROWS[0], "2018-03-14", "34"]), (3, [*ROWS[1], "", "51"])]
    path = write_xlsx(tmp_path / "tid.xlsx", [["når"], [datetime(2018, 3, 14, 9, 30)]])
    assert read_table(path).rows == [(2, ["2018-03-14 9:30:00"])]


def test_a_workbook_cell_is_read_as_norwegian_excel_shows_it(tmp_path: Path):
    """Not as Python writes the stored number: "25 %", not "0.25"."""
    from datetime import datetime

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["andel", "beløp", "dato", "ja"])
    sheet.append([0.25, 1500, datetime(2024, 3, 14), True])
    formats = ["0%", "#,##0", "d. mmmm yyyy", "General"]
    for cell, number_format in zip(sheet[2], formats, strict=True):
        cell.number_format = number_format
    sheet.append([0.125, 3.5, "14.03.2024"])
    sheet["A3"].number_format = "0.0%"
    workbook.save(tmp_path / "svar.xlsx")
    table = read_table(tmp_path / "svar.xlsx")
    assert table.rows == [
        (2, ["25 %", "1 500", "14. mars 2024", "SANN"]),
        (3, ["12,5 %", "3,5", "14.03.2024"]),
    ]
    # the date of a date cell, whatever its format shows; a text that looks like one is text
    assert table.dates == {(2, 2): "2024-03-14"}


def test_a_named_sheet_and_a_missing_one(tmp_path: Path):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["ikke", "denne"])
    workbook.create_sheet("Svar").append(HEADER)
    workbook.save(tmp_path / "bok.xlsx")
    assert read_table(tmp_path / "bok.xlsx", "Svar").header == HEADER
    with pytest.raises(
        InputError, match=r"bok\.xlsx: no sheet 'Ark9'; the sheets are 'Sheet', 'Svar'"
    ):
        read_table(tmp_path / "bok.xlsx", "Ark9")


@pytest.mark.parametrize(
    ("name", "content", "error", "message"),
    [
        # Unreadable: ingest skips them and goes on with the batch.
        ("tom.csv", b"", UnreadableFile, r"tom\.csv: is empty"),
        ("bilde.csv", b"\x89PNG\x00\x00", UnreadableFile, r"bilde\.csv: is a binary file"),
        ("brutt.xlsx", b"not a zip", UnreadableFile, r"brutt\.xlsx: is not a readable Excel"),
    ],
)
def test_bad_tables_are_errors_naming_the_file(tmp_path: Path, name, content, error, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(error, match=message):
        read_table(path)


def test_an_empty_workbook_is_an_error_naming_it(tmp_path: Path):
    path = write_xlsx(tmp_path / "tom.xlsx", [])
    with pytest.raises(UnreadableFile, match=r"tom\.xlsx: is empty"):
        read_table(path)


def test_the_first_visible_sheet_is_read_not_a_hidden_list_before_it(tmp_path: Path):
    from openpyxl import Workbook

    workbook = Workbook()
    choices = workbook.active
    for choice in ("Ja", "Nei", "Vet ikke"):
        choices.append([choice])
    choices.sheet_state = "hidden"
    workbook.create_sheet("Svar").append(HEADER)
    workbook.save(tmp_path / "skjema.xlsx")
    assert read_table(tmp_path / "skjema.xlsx").header == HEADER


def test_excel_escapes_in_cells_are_read_as_the_characters(tmp_path: Path):
    path = write_xlsx(tmp_path / "svar.xlsx", [["svar"], ["Flere boliger._x000D_\nOgså skoler."]])
    assert read_table(path).rows == [(2, ["Flere boliger.\nOgså skoler."])]


def test_a_wrong_sheet_size_written_by_another_tool_loses_nothing(tmp_path: Path):
    import re
    import zipfile

    path = write_xlsx(tmp_path / "eksport.xlsx", [["id", "svar"], [1, "Bolig"], [2, "Skole"]])
    wrong = tmp_path / "feil.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(wrong, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1"', data)
            target.writestr(item, data)
    table = read_table(wrong)
    assert table.header == ["id", "svar"] and table.rows == [
        (2, ["1", "Bolig"]),
        (3, ["2", "Skole"]),
    ]


@pytest.mark.parametrize(
    ("content", "rows"),
    [
        ("a;b\n1;2;;\n4\n", [(2, ["1", "2", "", ""]), (3, ["4"])]),  # Excel adds the empty cells
        # An exporter that ends every line but the header with a delimiter.
        ("a;b\n1;2;\n3;;\n4\n", [(2, ["1", "2", ""]), (3, ["3", "", ""]), (4, ["4"])]),
    ],
)
def test_a_short_row_or_empty_cells_past_the_header_are_read_as_they_are(
    tmp_path: Path, content: str, rows: list
):
    path = tmp_path / "skjev.csv"
    path.write_text(content, encoding="utf-8")
    assert read_table(path).rows == rows


@pytest.mark.parametrize(
    ("content", "message", "line"),
    [
        # An unquoted ";" inside an answer: the text after it would be lost.
        ("Spørsmål;Svar\nBolig?;For dyrt; altfor dyrt\n", "3 fields but the header has 2", 2),
        # … or it moves into the next column, whose own text was empty; the row that has
        # as many fields as the header shows that the delimiter at the end is no habit.
        (
            "id;svar;kommentar\n1;Vi trenger flere boliger; og lavere husleie;\n"
            "2;Arbeidsgivere må ansette flere;\n",
            "4 fields but the header has 3; an unquoted ';' in a cell moves the text after it",
            2,
        ),
        (  # … also where every line ends with a delimiter
            "id\tsvar\tkommentar\n1\ta\tb\t\n2\tc\t og d\t\t\n",
            "5 fields but the header has 3 and line 2 has 4; an unquoted tab in a cell",
            3,
        ),
        # A quote left open would swallow every later row into one cell.
        ('Spørsmål;Svar\nHva?;"Svar en\nHva?;Svar to\nHva?;Svar tre\n', "unexpected end", 2),
        # Two columns of one name: which one holds the answers would be a silent choice.
        ("Spørsmål;Svar;svar\nHva?;a;b\n", "'svar' appears twice", 1),
        # … also when one is spelt as a Mac spells it (NFD), as find_column compares them.
        ("Spørsmål;Svar;Spørsma\u030al\nHva?;a;b\n", "appears twice", 1),
    ],
)
def test_a_table_that_would_lose_text_is_refused_with_its_line(
    tmp_path: Path, content: str, message: str, line: int
):
    path = tmp_path / "svar.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message) as error:
        read_table(path)
    assert (error.value.path, error.value.line) == (str(path), line)


def test_a_row_is_numbered_by_the_line_it_starts_on(tmp_path: Path):
    # A quoted answer over three lines: the next rows keep the numbers an editor shows.
    path = tmp_path / "svar.csv"
    path.write_text('Svar\n"Linje en\nlinje to\nlinje tre"\nNeste\nSiste\n', encoding="utf-8")
    table = read_table(path)
    assert [line for line, _cells in table.rows] == [2, 5, 6]
    assert table.rows[0][1] == ["Linje en\nlinje to\nlinje tre"]


@pytest.mark.parametrize(
    ("header", "delimiter"),
    [
        ("id;svar", ";"),
        ("id\tsvar", "\t"),
        ("id,svar", ","),
        ('"a;b",svar,kommune', ","),  # delimiters inside quotes do not count
        ("id;svar,kort", ";"),  # the one it has most of; a tie goes to ";" (Excel)
        ("svar", ONE_COLUMN),  # one column: nothing splits an answer's commas
        # A question with commas as a column name, as Excel writes it with ";": the rows
        # have as many fields as the header only split at ";".
        ("svar;Hva synes du om kurs, praksis og jobb, og hvorfor?", ";"),
    ],
)
def test_the_header_decides_the_delimiter(header: str, delimiter: str):
    assert detect_delimiter(header + "\n1,2;3\t4\n") == delimiter


@pytest.mark.parametrize(
    ("text", "delimiter"),
    [
        ("id,Hva synes du; og hvorfor?\n1,Bolig\n2,Skole; og jobb\n", ","),
        ("id;Bolig, skole eller jobb?\n1;Bolig\n2;Skole, og jobb\n", ";"),
        ('id;"Bolig, skole"\n1;"Bolig, ja"\n', ";"),  # quoted: no comma counts
        # Every line ends with a delimiter: the empty field past the header does not count.
        ("id;Bolig, skole eller jobb?\n1;Bolig;\n2;Skole, og jobb;\n", ";"),
    ],
)
def test_the_rows_decide_between_delimiters_the_header_both_has(text: str, delimiter: str):
    assert detect_delimiter(text) == delimiter


def test_a_declared_delimiter_line_is_the_delimiter_not_the_header(tmp_path: Path):
    # "sep=;", as some exporters write for Excel, which honours it.
    path = tmp_path / "svar.csv"
    path.write_text("sep=;\r\nid;svar,kort\r\n1;Flere boliger, og raskere\r\n", encoding="utf-8")
    table = read_table(path)
    assert (table.header, table.rows, table.header_line) == (
        ["id", "svar,kort"],
        [(3, ["1", "Flere boliger, og raskere"])],
        2,
    )
    path.write_text("sep=,\nsvar,Svar\n", encoding="utf-8")
    with pytest.raises(InputError, match="'Svar' appears twice") as error:
        read_table(path)
    assert error.value.line == 2


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("tom-linje.csv", "\n\nid;svar\n1;Flere boliger\n"),
        ("tom-rad.xlsx", [[], ["id", "svar"], [1, "Flere boliger"]]),
    ],
)
def test_a_header_below_empty_rows_is_refused_saying_where_it_belongs(
    tmp_path: Path, name: str, content
):
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        write_xlsx(path, content)
    with pytest.raises(InputError, match=r"the header row .* must be the first row") as error:
        read_table(path)
    assert error.value.line == 1


@pytest.mark.parametrize(
    ("content", "advice"),
    [
        ("Undersøkelse 2024\n\nid;svar\n1;Bolig\n", ". Line 3 looks like the header: "),
        ("Undersøkelse 2024\nid;svar\n1;Bolig\n", ". Line 2 looks like the header: "),
        ("Undersøkelse 2024\nid,SVAR\n1,Bolig\n", ". Line 2 looks like the header: "),
        ("id;kommentar\n1;Bolig\n", None),
    ],
)
def test_a_header_below_a_title_is_found(tmp_path: Path, content: str, advice: str | None):
    path = tmp_path / "svar.csv"
    path.write_text(content, encoding="utf-8")
    said = read_table(path).header_below(["svar"])
    assert said.startswith(advice) if advice else said == ""


def test_a_one_column_table_keeps_the_commas_of_its_answers(tmp_path: Path):
    path = tmp_path / "svar.csv"
    path.write_text("svar\nFlere boliger, og raskere\n", encoding="utf-8")
    assert read_table(path).rows == [(2, ["Flere boliger, og raskere"])]


# --- Tables tema wrote, read back with pandas' types -----------------------------------------
UNITS = "doc,unit,text,repeat_of\nbodo.txt,0,Flere boliger,\nbodo.txt,1,«Tre»,0\n"


@pytest.mark.parametrize(
    ("delimiter", "encoding"), [(",", "utf-8"), (";", "cp1252"), ("\t", "utf-8-sig")]
)
def test_read_frame_detects_delimiter_and_encoding(tmp_path: Path, delimiter, encoding):
    path = tmp_path / "units.csv"
    path.write_bytes(UNITS.replace(",", delimiter).encode(encoding))
    frame = read_frame(path)
    assert frame["text"].tolist() == ["Flere boliger", "«Tre»"]
    assert frame["unit"].tolist() == [0, 1]
    assert frame["repeat_of"].isna().tolist() == [True, False]  # empty: missing


def test_read_frame_keeps_empty_text_as_text(tmp_path: Path):
    path = tmp_path / "skipped.csv"
    path.write_text("file,reason\ndata/raw/tom.txt,\n", encoding="utf-8")
    assert read_frame(path).to_dict("records") == [{"file": "data/raw/tom.txt", "reason": ""}]


def test_read_frame_errors_name_the_file_and_line(tmp_path: Path):
    path = tmp_path / "units.csv"
    path.write_text("doc,unit\na,1\nb,2,3\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"units\.csv, line 3: cannot be read") as error:
        read_frame(path)
    assert error.value.line == 3
    (tmp_path / "tom.csv").write_bytes(b"")
    with pytest.raises(InputError, match=r"tom\.csv: is empty"):
        read_frame(tmp_path / "tom.csv")
    with pytest.raises(InputError, match=r"borte\.csv: cannot be read"):
        read_frame(tmp_path / "borte.csv")


@pytest.mark.parametrize("encoding", ["utf-8", "cp1252"])
def test_chunks_stream_the_same_rows_typed_as_asked(tmp_path: Path, encoding: str):
    rows = "".join(f"d{n};{n};Svar nummer {n} på Tromsø;\n" for n in range(25))
    path = tmp_path / "units.csv"
    path.write_bytes(("doc;unit;text;repeat_of\n" + rows).encode(encoding))
    types = {"doc": "string", "text": "string", "repeat_of": "Int64", "kind": "string"}
    chunks = list(read_frame_chunks(path, 10, dtype=types))
    assert [len(chunk) for chunk in chunks] == [10, 10, 5]
    whole = pd.concat(chunks, ignore_index=True)
    assert whole["text"].iloc[24] == "Svar nummer 24 på Tromsø"
    assert str(whole["text"].dtype) == "string" and str(whole["repeat_of"].dtype) == "Int64"
    assert whole["repeat_of"].isna().all()


def test_chunks_decide_the_encoding_from_whole_characters(tmp_path: Path):
    """The file's start is sniffed in 64 kB: a character cut there is still UTF-8."""
    filler = "a" * (65536 - len("text\n") - 1)
    path = tmp_path / "units.csv"
    path.write_bytes(f"text\n{filler}ø\n".encode())
    (chunk,) = read_frame_chunks(path, 10)
    assert chunk["text"].iloc[0].endswith("ø")


def test_chunks_name_the_file_when_its_encoding_changes(tmp_path: Path):
    path = tmp_path / "units.csv"
    path.write_bytes(b"text\n" + b"a\n" * 40000 + "Tromsø\n".encode("cp1252"))
    with pytest.raises(InputError, match=r"units\.csv: cannot be read"):
        list(read_frame_chunks(path, 1000))


def test_a_table_pasted_together_from_utf8_and_windows_1252_reads_as_written(tmp_path: Path):
    path = tmp_path / "svar.csv"
    path.write_bytes(
        "Spørsmål;Svar\nHva er viktigst?;For dyrt å leie\n".encode()
        + "Hva med jobb?;Færre krav\n".encode("cp1252")
    )
    with pytest.warns(
        UserWarning, match=r"svar\.csv: not UTF-8 throughout: 1 byte\(s\) on line 3 "
    ):
        table = read_table(path)
    assert table.header == ["Spørsmål", "Svar"]
    assert [cells for _line, cells in table.rows] == [
        ["Hva er viktigst?", "For dyrt å leie"],
        ["Hva med jobb?", "Færre krav"],
    ]


def test_a_workbook_damaged_deep_inside_its_sheet_is_unreadable_not_a_crash(tmp_path: Path):
    """Read-only mode reads a sheet as it goes, so damage near its end shows only then."""
    import zipfile

    rows: list[list[object]] = [["svar"]]
    rows += [[f"Svar nummer {i} om bolig og skole."] for i in range(2000)]
    path = write_xlsx(tmp_path / "ok.xlsx", rows)
    damaged = tmp_path / "skadet.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(damaged, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item), compress_type=zipfile.ZIP_DEFLATED)
    raw = bytearray(damaged.read_bytes())
    with zipfile.ZipFile(damaged) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    end = info.header_offset + 30 + len(info.filename) + len(info.extra) + info.compress_size
    for offset in range(end - 400, end - 360):
        raw[offset] ^= 0xFF
    damaged.write_bytes(bytes(raw))
    with pytest.raises(UnreadableFile, match=r"skadet\.xlsx: is not a readable Excel"):
        read_table(damaged)
