"""File formats users really have: Word, survey tables and text, all generated here (PDF
files: test_pdf.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tema.errors import InputError, UnreadableFile
from tema.ingest.readers import read_source
from tema.io.files import OLE2_SIGNATURE


def make_docx(path: Path) -> Path:
    import docx

    document = docx.Document()
    document.add_heading("Innspill fra Bodø", level=1)
    document.add_paragraph("Deltakerne var opptatt av bolig.")
    document.add_paragraph("Flere kommunale boliger", style="List Bullet")
    document.add_paragraph("Startlån til flere", style="List Bullet")
    document.add_paragraph("Takk for et godt møte.")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Arbeid"
    table.cell(0, 1).text = "Flere praksisplasser."
    document.save(str(path))
    return path


@pytest.mark.parametrize("codec", ["utf-8", "utf-8-sig", "cp1252"])
@pytest.mark.parametrize(("name", "kind"), [("notat.docx", "Word"), ("rapport.pdf", "PDF")])
def test_text_saved_under_a_word_or_pdf_name_is_called_plain_text(
    tmp_path: Path, name: str, kind: str, codec: str
):
    """Not "Stream has ended unexpectedly" or "File is not a zip file": say what it is."""
    path = tmp_path / name
    path.write_bytes("Referat fra møtet i Tromsø.\nFlere boliger.\n".encode(codec))
    with pytest.raises(UnreadableFile) as error:
        read_source(path)
    stem = name.split(".")[0]
    assert str(error.value) == (
        f"{path}: is plain text, not a {kind} file: rename it to {stem}.txt"
    )


@pytest.mark.parametrize("name", ["notat.docx", "rapport.pdf"])
def test_an_empty_word_or_pdf_file_is_called_empty(tmp_path: Path, name: str):
    (tmp_path / name).write_bytes(b"")
    with pytest.raises(UnreadableFile, match=re.escape(f"{name}: is empty")):
        read_source(tmp_path / name)


def test_docx_headings_paragraphs_bullets_and_tables(tmp_path: Path):
    text = read_source(make_docx(tmp_path / "notat.docx")).text
    assert text.split("\n\n") == [
        "Innspill fra Bodø",
        "Deltakerne var opptatt av bolig.",
        "• Flere kommunale boliger\n• Startlån til flere",
        "Takk for et godt møte.",
        "• Arbeid | Flere praksisplasser.",
    ]


def make_docx_with_table(path: Path) -> Path:
    import docx

    document = docx.Document()
    document.add_heading("Innspill fra gruppearbeidet", level=1)
    table = document.add_table(rows=4, cols=2)
    rows = [
        ("Tema", "Innspill"),
        ("Bolig", "Flere kommunale boliger til store familier"),
        ("Arbeid", "Flere praksisplasser i privat sektor"),
        ("Felles for alle grupper", ""),
    ]
    for number, (first, second) in enumerate(rows):
        for column, text in enumerate((first, second)):
            # The header in bold, as people mark one.
            table.cell(number, column).paragraphs[0].add_run(text).bold = number == 0 or None
    table.cell(3, 0).merge(table.cell(3, 1))
    document.save(str(path))
    return path


def test_docx_table_rows_are_items_under_their_header(tmp_path: Path):
    from tema.segment.sentences import SENTENCIZER, load_pipeline
    from tema.segment.stage import segment_text

    text = read_source(make_docx_with_table(tmp_path / "gruppe.docx")).text
    assert text.split("\n\n") == [
        "Innspill fra gruppearbeidet",
        "Tema | Innspill",
        "• Bolig | Flere kommunale boliger til store familier\n"
        "• Arbeid | Flere praksisplasser i privat sektor\n"
        "• Felles for alle grupper",  # a merged cell once, not once per column
    ]
    units = segment_text(text, load_pipeline(SENTENCIZER))
    # The document's heading and the table's header are headings, never counted as input.
    assert [(unit.kind, unit.text) for unit in units] == [
        ("heading", "Innspill fra gruppearbeidet"),
        ("heading", "Tema | Innspill"),
        ("bullet", "Bolig | Flere kommunale boliger til store familier"),
        ("bullet", "Arbeid | Flere praksisplasser i privat sektor"),
        ("bullet", "Felles for alle grupper"),
    ]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("svar.csv", "id,kommune,svar\n1,Bodø,Flere boliger\n2,Alta,\n3,Tromsø,Norskkurs\n"),
        ("svar.csv", "id;kommune;Svar\n1;Bodø;Flere boliger\n2;Alta;\n3;Tromsø;Norskkurs\n"),
        (
            "svar.tsv",
            "id\tkommune\tsvar\n1\tBodø\tFlere boliger\n2\tAlta\t\n3\tTromsø\tNorskkurs\n",
        ),
    ],
)
def test_survey_table_answers_become_spans_with_row_metadata(
    tmp_path: Path, name: str, content: str
):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    source = read_source(path)
    assert [source.text[a["start"] : a["end"]] for a in source.answers] == [
        "Flere boliger",
        "Norskkurs",
    ]
    assert [a["row"] for a in source.answers] == [2, 4]  # the blank answer on row 3 is left out
    assert source.answers[1]["metadata"] == {"id": "3", "kommune": "Tromsø"}


def test_xlsx_answers_from_the_first_sheet(tmp_path: Path):
    from datetime import date

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Dato", "Alder", "Answer"])
    sheet.append([date(2018, 3, 14), 34, "Arbeidsgivere må ansette flere"])
    sheet.append([date(2018, 3, 15), 51, "Bostøtte"])
    path = tmp_path / "undersøkelse.xlsx"
    workbook.save(path)
    source = read_source(path)
    assert source.text == "Arbeidsgivere må ansette flere\n\nBostøtte"
    assert source.answers[1] == {
        "start": 32,
        "end": 40,
        "row": 3,
        "metadata": {"Dato": "2018-03-15", "Alder": "51"},
    }


def _read_with_one_warning(path: Path) -> tuple[str, str]:
    """The text read from `path`, and the one warning reading it gave."""
    with pytest.warns(UserWarning) as caught:
        source = read_source(path)
    (warning,) = caught
    return source.text, str(warning.message)


def _survey(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> Path:
    """`rows` as a survey file: a ';'-separated CSV as Excel in Norway saves it, or an .xlsx."""
    from test_tables import write_xlsx

    if path.suffix == ".csv":
        path.write_text("".join(";".join(row) + "\n" for row in rows), encoding=encoding)
    else:
        write_xlsx(path, rows)
    return path


@pytest.mark.parametrize(
    "error",
    # English and Norwegian Excel; "#NULL!", "#DIV/0!", "#REF!" and "#NUM!" are both.
    ["#NAME?", "#NAVN?", "#VALUE!", "#VERDI!", "#N/A", "#I/T", "#REF!", "#DIV/0!", "#NULL!"],
)
@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_an_error_value_for_an_answer_is_left_out_and_its_row_named(
    tmp_path: Path, error: str, suffix: str
):
    rows = [["id", "svar"], ["1", error], ["2", "Flere boliger"], ["3", error]]
    path = _survey(tmp_path / f"svar{suffix}", rows, encoding="cp1252")
    text, warning = _read_with_one_warning(path)
    assert text == "Flere boliger"
    assert warning.startswith(
        f"{path}: in column 'svar', rows 2, 4 hold a formula's error value ({error}), not an answer"
    )


def test_an_answer_that_only_looks_like_an_error_value_is_kept(tmp_path: Path):
    path = tmp_path / "svar.csv"
    path.write_text("svar\n#NAVN? er feil i skjemaet\n#bolig\n", encoding="utf-8")
    assert read_source(path).text == "#NAVN? er feil i skjemaet\n\n#bolig"


def test_table_without_a_text_column_lists_its_columns(tmp_path: Path):
    path = tmp_path / "skjema.csv"
    path.write_text("id,kommentar\n1,Bolig\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        read_source(path)
    message = str(error.value)
    assert "skjema.csv" in message and "'id', 'kommentar'" in message
    assert "text_column" in message
    assert read_source(path, ["kommentar"]).text == "Bolig"


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_table_under_a_title_says_the_header_must_be_the_first_row(tmp_path: Path, suffix):
    rows = [["Spørreundersøkelse Bodø 2024"], [], ["id", "svar"], ["1", "Flere boliger"]]
    path = _survey(tmp_path / f"svar{suffix}", rows)
    with pytest.raises(InputError) as error:
        read_source(path)
    assert str(error.value) == (
        f"{path}, line 1: no text column: looked for 'svar', 'answer', 'text', 'tekst'; the "
        "columns are 'Spørreundersøkelse Bodø 2024'. Line 3 looks like the header: the header "
        "row (the column names) must be the first row; delete the rows above it"
    )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notat.odt", b"PK\x03\x04", "unknown file type '.odt'"),
        ("tom.md", b"\n", "empty"),
        # Word's and Excel's files before 2007: what to save them as, not "unknown".
        ("gammel.doc", OLE2_SIGNATURE, "is an old Office file or password-protected: open it, "
         "remove any password and save it as .docx"),
        ("gammel.xls", OLE2_SIGNATURE, r"save it as \.xlsx"),
        ("nettside.xls", b"<html><table>", r"is an old Office file type \(\.xls\): open it and "
         r"save it as \.xlsx"),
    ],
)  # fmt: skip
def test_unknown_or_empty_files_are_unreadable(tmp_path: Path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(UnreadableFile, match=message):
        read_source(path)


@pytest.mark.parametrize(
    ("header", "found"),
    [
        (["Kommune", "Spørsmål", "Svar"], "Spørsmål"),
        ([" SPØRSMÅL ", "Svar"], " SPØRSMÅL "),
        # A Mac writes "ø" as one letter but "å" as "a" and a combining ring (NFD).
        (["Spørsma\u030al", "Svar"], "Spørsma\u030al"),
        (["Kommune", "Svar"], None),
    ],
)
def test_the_question_column_is_found_however_it_is_spelt(header: list[str], found):
    from tema.ingest.readers import QUESTION_COLUMNS, find_column

    assert find_column(header, QUESTION_COLUMNS) == found


def docx_table(path: Path, rows: list[list[str]], bold_first_row: bool = False) -> Path:
    import docx

    document = docx.Document()
    table = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
    for number, cells in enumerate(rows):
        for column, text in enumerate(cells):
            paragraph = table.cell(number, column).paragraphs[0]
            paragraph.add_run(text).bold = (bold_first_row and number == 0) or None
    document.save(str(path))
    return path


@pytest.mark.parametrize(
    ("rows", "bold", "expected"),
    [
        # Short rows alike: no header, every row is input.
        ([["Bolig", "Flere boliger"], ["Arbeid", "Flere praksisplasser"],
          ["Helse", "Kortere ventetid"]], False,
         ["• Bolig | Flere boliger\n• Arbeid | Flere praksisplasser\n• Helse | Kortere ventetid"]),
        # The same table with its first row in bold: Word says it is the header.
        ([["Tema", "Innspill"], ["Arbeid", "Flere praksisplasser"]], True,
         ["Tema | Innspill", "• Arbeid | Flere praksisplasser"]),
        # Short labels over longer rows, not bold: as often input as a header, so a row.
        ([["Bolig", "Flere utleieboliger"],
          ["Arbeid", "Arbeidsgivere bør ansette flere innvandrere, også de som ikke snakker "
           "perfekt norsk."]], False,
         ["• Bolig | Flere utleieboliger\n• Arbeid | Arbeidsgivere bør ansette flere "
          "innvandrere, også de som ikke snakker perfekt norsk."]),
        # One column under a label in bold.
        ([["Innspill"], ["Flere kommunale boliger trengs."], ["Mer leksehjelp på skolen."]],
         True, ["Innspill", "• Flere kommunale boliger trengs.\n• Mer leksehjelp på skolen."]),
        # A template left empty, its header not marked: nothing tells the header from a row
        # of input, and a header is never counted, so it stays a row.
        ([["Tema", "Innspill"], ["", ""], ["", ""]], False, ["• Tema | Innspill"]),
        # Neighbouring cells of equal text are two answers, not one merged cell.
        ([["Spørsmål", "Kari", "Ola"], ["Er tilbudet godt nok i dag?", "Nei", "Nei"]], True,
         ["Spørsmål | Kari | Ola", "• Er tilbudet godt nok i dag? | Nei | Nei"]),
    ],
)  # fmt: skip
def test_docx_table_header_only_where_the_table_shows_one(
    tmp_path: Path, rows: list[list[str]], bold: bool, expected: list[str]
):
    text = read_source(docx_table(tmp_path / "tabell.docx", rows, bold)).text
    assert text.split("\n\n") == expected


def test_answers_on_a_sheet_that_is_not_read_are_named(tmp_path: Path):
    from test_excel import workbook_of_sheets

    bodo = [["id", "svar"], [1, "Flere boliger"]]
    tromso = [["id", "svar"], [1, "Arbeidsgivere må ansette flere"]]
    sheets = {"Bodø": ("visible", bodo), "Tromsø": ("visible", tromso)}
    path = workbook_of_sheets(tmp_path / "svar.xlsx", sheets)
    text, warning = _read_with_one_warning(path)
    assert text == "Flere boliger"
    assert warning.startswith(
        f"{path}: only the first visible sheet is read; the sheet(s) 'Tromsø' also hold text"
    )
    # read in the pipeline: the way to name the sheet is the manifest's
    assert warning.endswith("or name the sheet to read in the manifest's sheet column")


@pytest.mark.parametrize(
    ("codec", "named"),
    [
        ("utf-16-le", "UTF-16 (little-endian"),
        ("utf-16-be", "UTF-16 (big-endian"),
        ("mac_roman", "Mac OS Roman"),
    ],
)
def test_a_note_in_an_encoding_tema_must_guess_is_read_as_written(
    tmp_path: Path, codec: str, named: str
):
    """Once "is a binary file" (UTF-16 without a byte-order mark) or "Bj¿rn pŒ ®r¿" (an
    old Mac's text, with its "\\r" line ends, read as Windows-1252)."""
    text = "Møte på Ærø\r\rBjørn ønsket flere boliger og bedre økonomi.\r"
    path = tmp_path / "notat.txt"
    path.write_bytes(text.encode(codec))
    with pytest.warns(UserWarning, match=rf"notat\.txt: not UTF-8; read as {re.escape(named)}"):
        assert read_source(path).text == text


@pytest.mark.parametrize("name", ["notat.docx", "svar.xlsx", "rapport.pdf", "svar.csv", "a.txt"])
def test_a_file_that_is_not_there_is_named_as_not_found(tmp_path: Path, name: str):
    """`tema classify notat.docx` with a typo in the name: "is not a readable Word (.docx)
    file (Package not found …)" made the user look for damage in a file that is not there."""
    with pytest.raises(InputError, match=re.escape(f"{tmp_path / name}: not found")):
        read_source(tmp_path / name)


def test_a_folder_named_as_a_file_is_named_as_a_folder(tmp_path: Path):
    (tmp_path / "notater.docx").mkdir()
    with pytest.raises(InputError, match="is a folder, not a file"):
        read_source(tmp_path / "notater.docx")
