"""Ingest keeps provenance and refuses bad input with the file (and line) named."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tema.errors import InputError
from tema.ingest.manifest import read_manifest
from tema.ingest.readers import read_source
from tema.ingest.stage import (
    documents_from_files,
    ingest,
    read_documents,
    write_documents,
)
from tema.io.files import OLE2_SIGNATURE


def read_document_text(path: Path) -> str:
    return read_source(path).text


MANIFEST = "file,meeting,region,date\nbodo.txt,Innspillmøte Bodø,Nord-Norge,2018-03-14\n"


def make_raw(tmp_path: Path, manifest: str = MANIFEST) -> Path:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "bodo.txt").write_text("Bolig\n• Flere kommunale boliger.\n", encoding="utf-8")
    (raw / "manifest.csv").write_text(manifest, encoding="utf-8")
    return raw


def test_documents_carry_their_provenance(tmp_path: Path):
    raw = make_raw(tmp_path)
    [document] = list(ingest(raw, raw / "manifest.csv"))
    assert (document.doc, document.meeting, document.region, document.date) == (
        "bodo.txt",
        "Innspillmøte Bodø",
        "Nord-Norge",
        "2018-03-14",
    )
    assert document.text.startswith("Bolig")


def test_file_missing_from_manifest_falls_back_to_its_name_with_a_warning(tmp_path: Path):
    raw = make_raw(tmp_path)
    (raw / "alta.txt").write_text("Velkommen til møtet.", encoding="utf-8")
    with pytest.warns(UserWarning, match="alta.txt: not in the manifest"):
        documents = list(ingest(raw, raw / "manifest.csv"))
    assert [d.meeting for d in documents] == ["alta", "Innspillmøte Bodø"]


def test_a_file_skipped_anyway_is_not_also_said_to_be_missing_from_the_manifest(
    tmp_path: Path,
):
    raw = make_raw(tmp_path)
    (raw / "bilde.jpg").write_bytes(b"\xff\xd8\xff\xe0 et bilde")
    (raw / "tom.txt").write_bytes(b"")
    (raw / "alta.txt").write_text("Flere boliger i Alta.", encoding="utf-8")
    with pytest.warns(UserWarning) as caught:
        documents = list(ingest(raw, raw / "manifest.csv"))
    said = [str(w.message) for w in caught]
    assert [d.doc for d in documents] == ["alta.txt", "bodo.txt"]
    assert [m for m in said if "not in the manifest" in m] == [
        f"{raw / 'alta.txt'}: not in the manifest; meeting taken from the file name"
    ]
    assert any("bilde.jpg: unknown file type" in m for m in said)
    assert any("tom.txt: is empty" in m for m in said)


@pytest.mark.parametrize(
    ("written", "iso"),
    [
        ("2018-03-14", "2018-03-14"),
        ("14.03.2018", "2018-03-14"),
        ("4.3.2018", "2018-03-04"),
        ("2018-03-14T10:00:00", "2018-03-14"),  # an Excel date cell with a time of day
        ("2018-03-14 10:00", "2018-03-14"),
        ("2018-03-14T25:00", None),
        (" 14.03.2018 ", "2018-03-14"),
        ("31.02.2018", None),
        # … and as Norwegian Excel saves a date cell with a time of day into a CSV.
        ("14.03.2018 10:00", "2018-03-14"),
        ("14.03.2018 10:00:30", "2018-03-14"),
        ("4.3.2018 9.05", "2018-03-04"),
        ("14.03.2018 24:00", None),
        ("14.03.2018 10:60", None),
        ("14.03.2018 10:00.30", None),
        ("14.03.2018 kl. 10", None),
        ("14.03.18", None),
        ("2018-3-14", None),
        ("mars 2018", None),
        ("20180314", None),
        # Excel's day number of a date in a General cell: 2025-03-14, 1990-01-01, 2099-12-31.
        ("45730", "2025-03-14"),
        ("32874", "1990-01-01"),
        ("73050", "2099-12-31"),
        ("32873", None),
        ("73051", None),
        ("2018", None),
        ("45730.5", "2025-03-14"),  # with a time of day
        ("45730,5", "2025-03-14"),  # … as Norwegian Excel shows it
    ],
)
def test_meeting_dates_as_people_write_them(written: str, iso: str | None):
    from tema.ingest.manifest import meeting_date

    assert meeting_date(written) == iso


@pytest.mark.parametrize(
    ("written", "why"),
    [
        ("31.02.2024", "February 2024 has 29 days"),
        ("2023-02-29", "February 2023 has 28 days"),
        ("14.13.2018", "there is no month 13"),
        ("00.03.2018", "there is no day 0"),
        ("14.03.2018 25:00", "there is no such time of day (the clock goes 00:00 to 23:59)"),
    ],
)
def test_a_date_in_the_right_form_that_does_not_exist_is_called_so(
    tmp_path: Path, written: str, why: str
):
    """Not "is not YYYY-MM-DD (or DD.MM.YYYY)": the user wrote it in that form."""
    raw = make_raw(tmp_path, f"file;meeting;region;date\nbodo.txt;Møte;Nord;{written}\n")
    with pytest.raises(InputError) as error:
        read_manifest(raw / "manifest.csv")
    assert str(error.value).endswith(
        f"manifest.csv, line 2: date {written!r} does not exist: {why}"
    )
    assert "YYYY" not in str(error.value)


@pytest.mark.parametrize("written", ["14.03.2018", "14.03.2018 10:00"])
def test_a_norwegian_date_in_the_manifest_is_read_as_that_date(tmp_path: Path, written: str):
    raw = make_raw(tmp_path, f"file;meeting;region;date\nbodo.txt;Møte;Nord;{written}\n")
    [document] = list(ingest(raw, raw / "manifest.csv"))
    assert document.date == "2018-03-14"


def test_empty_meeting_cell_falls_back_to_the_file_name_naming_the_line(tmp_path: Path):
    raw = make_raw(tmp_path, "file,meeting,region,date\nbodo.txt, ,Nord-Norge,2018-03-14\n")
    with pytest.warns(UserWarning, match=r"manifest.csv, line 2: empty meeting for 'bodo.txt'"):
        [document] = list(ingest(raw, raw / "manifest.csv"))
    assert (document.meeting, document.region) == ("bodo", "Nord-Norge")


@pytest.mark.parametrize(
    ("manifest", "message", "line"),
    [
        ("file,meeting,date\nbodo.txt,Møte,2018-01-01\n", "missing column(s) region", 1),
        (MANIFEST + "bodo.txt,Igjen,Nord-Norge,2018-03-14\n", "listed twice", 3),
        ("file,meeting,region,date\nbodo.txt,Møte,Nord,14.3.18\n", "is not YYYY-MM-DD", 2),
        ("file,meeting,region,date\n,Møte,Nord,2018-03-14\n", "empty file name", 2),
        ("file,meeting,region,date\nbodo.txt,Møte,Nord,2018-03-14,extra\n", "5 fields but", 2),
        (  # a title above the table
            "Møter våren 2018\nfile,meeting,region,date\nbodo.txt,Møte,Nord,2018-03-14\n",
            "Line 2 looks like the header: the header row (the column names) must be the first",
            1,
        ),
    ],
)
def test_malformed_manifest_names_file_and_line(
    tmp_path: Path, manifest: str, message: str, line: int
):
    raw = make_raw(tmp_path, manifest)
    with pytest.raises(InputError) as error:
        read_manifest(raw / "manifest.csv")
    assert message in str(error.value)
    assert error.value.line == line
    assert "manifest.csv" in str(error.value)


@pytest.mark.parametrize(
    ("delimiter", "encoding"),
    [(";", "cp1252"), (";", "utf-8-sig"), ("\t", "utf-8"), (",", "cp1252")],
    ids=["excel-norwegian", "semicolon-utf8-bom", "tab", "comma-cp1252"],
)
def test_manifest_as_excel_saves_it_is_read(tmp_path: Path, delimiter: str, encoding: str):
    """Excel in a Norwegian locale saves "CSV" with `;` and in Windows-1252, often with a
    blank row at the end."""
    manifest = MANIFEST.replace(",", delimiter) + delimiter * 3 + "\n"
    raw = make_raw(tmp_path)
    (raw / "manifest.csv").write_bytes(manifest.encode(encoding))
    [document] = list(ingest(raw))
    assert (document.meeting, document.region) == ("Innspillmøte Bodø", "Nord-Norge")


def test_manifest_xlsx_is_read_and_a_second_manifest_is_refused(tmp_path: Path):
    from datetime import datetime

    from openpyxl import Workbook

    raw = make_raw(tmp_path)
    (raw / "manifest.csv").unlink()
    workbook = Workbook()
    workbook.active.append(["file", "meeting", "region", "date"])
    workbook.active.append(["bodo.txt", "Innspillmøte Bodø", "Nord-Norge", datetime(2018, 3, 14)])
    workbook.save(raw / "manifest.xlsx")
    [document] = list(ingest(raw))
    assert (document.meeting, document.date) == ("Innspillmøte Bodø", "2018-03-14")
    (raw / "manifest.csv").write_text(MANIFEST, encoding="utf-8")
    with pytest.raises(InputError, match=r"has both manifest\.csv and manifest\.xlsx"):
        list(ingest(raw))


def test_a_date_in_a_general_cell_of_an_xlsx_manifest_is_read_as_its_date(tmp_path: Path):
    """A date typed into a cell formatted as General, or re-formatted, is stored as Excel's
    day number; Excel shows 45730 in such a cell, and it is 14 March 2025."""
    from openpyxl import Workbook

    raw = make_raw(tmp_path)
    (raw / "manifest.csv").unlink()
    workbook = Workbook()
    workbook.active.append(["file", "meeting", "region", "date"])
    workbook.active.append(["bodo.txt", "Innspillmøte Bodø", "Nord-Norge", 45730])
    workbook.save(raw / "manifest.xlsx")
    [document] = list(ingest(raw))
    assert document.date == "2025-03-14"


@pytest.mark.parametrize("number_format", ["d. mmmm yyyy", "dd.mm.yy", "mm-dd-yy", "dddd"])
def test_a_date_cell_of_an_xlsx_manifest_is_read_as_its_date_whatever_its_format(
    tmp_path: Path, number_format: str
):
    """The cell shows "14. mars 2025" or "14.03.25", which is no date tema reads as text."""
    from datetime import datetime

    from openpyxl import Workbook

    raw = make_raw(tmp_path)
    (raw / "manifest.csv").unlink()
    workbook = Workbook()
    workbook.active.append(["file", "meeting", "region", "date"])
    workbook.active.append(["bodo.txt", "Innspillmøte Bodø", "Nord-Norge", datetime(2025, 3, 14)])
    workbook.active["D2"].number_format = number_format
    workbook.save(raw / "manifest.xlsx")
    [document] = list(ingest(raw))
    assert document.date == "2025-03-14"


def test_a_manifest_given_but_missing_is_an_error(tmp_path: Path):
    raw = make_raw(tmp_path)
    with pytest.raises(InputError, match=r"borte\.csv: manifest not found"):
        list(ingest(raw, tmp_path / "borte.csv"))


def test_manifest_listing_a_missing_file_is_an_error(tmp_path: Path):
    raw = make_raw(tmp_path, MANIFEST + "\nborte.txt,Møte,Nord,2018-03-14\nvekk.txt,Møte,,\n")
    with pytest.raises(InputError, match=r"borte\.txt, vekk\.txt") as error:
        list(ingest(raw, raw / "manifest.csv"))
    assert error.value.line == 4  # the first file missing, counting the blank line


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("tom.txt", b"  \n\n", "is empty"),
        ("bilde.png", b"\x89PNG", "unknown file type '.png'"),
    ],
)
def test_unusable_documents_are_refused(tmp_path: Path, name: str, content: bytes, message: str):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError, match=message) as error:
        read_document_text(path)
    assert name in str(error.value)


def test_missing_document_is_refused(tmp_path: Path):
    with pytest.raises(InputError, match=r"borte\.txt: not found"):
        read_document_text(tmp_path / "borte.txt")


def test_latin1_file_is_decoded_with_a_warning(tmp_path: Path):
    path = tmp_path / "gammel.txt"
    path.write_bytes("Første møte i Tromsø".encode("latin-1"))
    with pytest.warns(UserWarning, match="not UTF-8"):
        assert read_document_text(path) == "Første møte i Tromsø"


def test_documents_round_trip_through_json_lines(tmp_path: Path):
    raw = make_raw(tmp_path)
    out = tmp_path / "interim" / "documents.jsonl"
    assert write_documents(ingest(raw, raw / "manifest.csv"), out) == 1
    assert list(read_documents(out)) == list(ingest(raw, raw / "manifest.csv"))


def test_documents_written_before_unread_sheets_were_kept_still_load(tmp_path: Path):
    """documents.jsonl of an older ingest has no `unread_sheets`: its report still runs."""
    path = tmp_path / "documents.jsonl"
    old = {"doc": "a.txt", "file": "a.txt", "meeting": "A", "region": "", "date": "", "text": "x"}
    path.write_text(json.dumps(old) + "\n", encoding="utf-8")
    (document,) = read_documents(path)
    assert document.unread_sheets == [] and document.text == "x"


def test_corrupt_documents_file_names_the_line(tmp_path: Path):
    path = tmp_path / "documents.jsonl"
    path.write_text(json.dumps({"doc": "a"}) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        list(read_documents(path))
    assert error.value.line == 1


def test_files_named_on_the_command_line_need_no_manifest(tmp_path: Path):
    path = tmp_path / "notat.md"
    path.write_text("# Notat\nBolig er viktig.", encoding="utf-8")
    [document] = list(documents_from_files([path]))
    assert (document.doc, document.meeting) == ("notat.md", "notat")


def test_mixed_batch_skips_unreadable_files_and_goes_on(tmp_path: Path):
    from tema.ingest.stage import Skipped
    from test_pdf import make_pdf
    from test_readers import make_docx

    raw = make_raw(tmp_path)
    make_pdf(raw / "rapport.pdf", [["Side en."], ["Side to."]])
    make_pdf(raw / "skannet.pdf", [[]])
    make_pdf(raw / "låst.pdf", [["Hemmelig."]], encrypt="passord")
    make_docx(raw / "notat.docx")
    (raw / "svar.csv").write_text("kommune,svar\nBodø,Bolig\nAlta,Norskkurs\n", encoding="utf-8")
    skipped: list[Skipped] = []
    with pytest.warns(UserWarning) as caught:
        documents = list(ingest(raw, raw / "manifest.csv", skipped=skipped))
    messages = " ".join(str(w.message) for w in caught)
    assert "skannet.pdf: has no text layer" in messages
    assert "låst.pdf: is encrypted" in messages
    assert [Path(s.file).name for s in skipped] == ["låst.pdf", "skannet.pdf"]
    by_name = {d.doc: d for d in documents}
    assert sorted(by_name) == ["bodo.txt", "notat.docx", "rapport.pdf", "svar.csv"]
    assert len(by_name["rapport.pdf"].pages) == 2
    assert [a["metadata"] for a in by_name["svar.csv"].answers] == [
        {"kommune": "Bodø"},
        {"kommune": "Alta"},
    ]


def test_empty_and_broken_tables_and_office_lock_files_do_not_stop_the_batch(tmp_path: Path):
    from tema.ingest.stage import Skipped
    from test_tables import write_xlsx

    raw = make_raw(tmp_path)
    (raw / "tom.csv").write_bytes(b"")
    (raw / "bare-overskrift.csv").write_text("kommune,svar\n", encoding="utf-8")
    old_office = OLE2_SIGNATURE + b" an old .xls, or a password-protected workbook"
    (raw / "gammel.xlsx").write_bytes(old_office)
    (raw / "gammel.docx").write_bytes(old_office)
    (raw / "~$notat.docx").write_bytes(b"kari.n")  # Word's lock file: Word has notat open
    (raw / "2019").mkdir()  # a subfolder: not read, and said so
    write_xlsx(raw / "formler.xlsx", [["svar"], ["#N/A"], ["Flere boliger"]])
    (raw / "formler.csv").write_text("svar\n#N/A\nFlere skoler\n", encoding="utf-8")
    skipped: list[Skipped] = []
    with pytest.warns(UserWarning) as caught:
        documents = list(ingest(raw, raw / "manifest.csv", skipped=skipped))
    said = " ".join(str(w.message) for w in caught)
    assert "skipped, the rest of the batch goes on" in said and "~$" not in said
    assert "subfolder(s) not read: 2019" in said
    assert [d.doc for d in documents] == ["bodo.txt", "formler.csv", "formler.xlsx"]
    # A formula's error value is no answer, in the workbook or in a CSV Excel saved.
    assert [d.text for d in documents[1:]] == ["Flere skoler", "Flere boliger"]
    reasons = {Path(s.file).name: s.reason for s in skipped}
    old = "is an old Office file or password-protected: open it, remove any password and save it as"
    assert reasons == {
        "bare-overskrift.csv": "column 'svar' has no answers",
        "gammel.docx": f"{old} .docx",
        "gammel.xlsx": f"{old} .xlsx",
        "tom.csv": "is empty",
    }


def test_the_manifest_matches_files_and_columns_as_a_user_writes_them(tmp_path: Path):
    import unicodedata

    raw = tmp_path / "raw"
    raw.mkdir()
    # The folder has the names as a Mac stores them (decomposed) and in another case.
    (raw / unicodedata.normalize("NFD", "Tromsø.txt")).write_text("Bolig.", encoding="utf-8")
    (raw / "Bergen.TXT").write_text("Skole.", encoding="utf-8")
    (raw / "manifest.csv").write_text(
        "File;Meeting;Region;Date\nTromsø.txt;Møte Tromsø;Nord;2025-03-14 10:00:00\n"
        "Bergen.txt;Møte Bergen;Vest;14.03.2025\n",
        encoding="utf-8",
    )
    documents = {d.meeting: d for d in ingest(raw, raw / "manifest.csv")}
    assert sorted(documents) == ["Møte Bergen", "Møte Tromsø"]
    assert {d.date for d in documents.values()} == {"2025-03-14"}
    assert documents["Møte Tromsø"].region == "Nord"


def test_a_table_whose_text_is_in_another_column_stops_the_batch(tmp_path: Path):
    raw = make_raw(tmp_path)
    (raw / "skjema.csv").write_text("kommune;svar;tekst\nBodø;;Flere boliger\n", encoding="utf-8")
    with (
        pytest.warns(UserWarning, match="not in the manifest"),
        pytest.raises(
            InputError,
            match=r"skjema\.csv: column 'svar' has no answers, but other columns have text",
        ),
    ):
        list(ingest(raw, raw / "manifest.csv"))


def test_manifest_names_the_text_column_of_a_table(tmp_path: Path):
    raw = make_raw(
        tmp_path,
        MANIFEST.replace("date\n", "date,text_column\n").replace("2018-03-14\n", "2018-03-14,\n")
        + "skjema.csv,Skjema,Nord,2018-04-01,Kommentar\n",
    )
    (raw / "skjema.csv").write_text("svar,Kommentar\nikke dette,Bolig\n", encoding="utf-8")
    documents = {d.doc: d for d in ingest(raw, raw / "manifest.csv")}
    assert documents["skjema.csv"].text == "Bolig"
    assert documents["skjema.csv"].extra == {"text_column": "Kommentar"}
    assert documents["skjema.csv"].answers[0]["metadata"] == {"svar": "ikke dette"}


def test_table_without_text_column_stops_the_batch_naming_file_and_columns(tmp_path: Path):
    raw = make_raw(tmp_path)
    (raw / "skjema.csv").write_text("id,kommentar\n1,Bolig\n", encoding="utf-8")
    with (
        pytest.warns(UserWarning, match="not in the manifest"),
        pytest.raises(InputError, match=r"skjema.csv, line 1: no text column.*'id', 'kommentar'"),
    ):
        list(ingest(raw, raw / "manifest.csv", text_columns=["svar"]))


def test_each_survey_answer_is_one_unit_and_pdfs_keep_pages_through_json(tmp_path: Path):
    from tema.segment.stage import segment_ingested

    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "svar.csv").write_text(
        'svar\nBolig\n"To setninger. I ett svar."\nNorskkurs uten punktum\n', encoding="utf-8"
    )
    out = tmp_path / "documents.jsonl"
    with pytest.warns(UserWarning, match="not in the manifest"):
        write_documents(ingest(raw, None), out)
    [document] = list(read_documents(out))
    units = list(segment_ingested([document], nlp=None))
    assert [(u.kind, u.text) for _, u in units] == [
        ("answer", "Bolig"),
        ("answer", "To setninger. I ett svar."),
        ("answer", "Norskkurs uten punktum"),
    ]
    assert all(document.text[u.start : u.end] == u.text for _, u in units)


def test_running_headers_and_footers_of_a_pdf_are_not_input(tmp_path: Path):
    import spacy

    from tema.segment.stage import segment_ingested
    from test_pdf import make_pdf

    header, body = (
        "Innspillsmøte i Bodø 2019",
        [
            ["Deltakerne var opptatt av bolig."],
            ["Flere mente at NAV må"],  # the sentence runs on to the next page
            ["følge opp arbeidsgiverne bedre."],
            ["Frivillige lag trenger lokaler."],
        ],
    )
    pages = [[header, *lines, f"Side {number} av 4"] for number, lines in enumerate(body, 1)]
    raw = tmp_path / "raw"
    raw.mkdir()
    make_pdf(raw / "referat.pdf", pages)
    with pytest.warns(UserWarning, match="not in the manifest"):
        [document] = ingest(raw, None)
    nlp = spacy.blank("nb")
    nlp.add_pipe("sentencizer")
    units = [unit for _, unit in segment_ingested([document], nlp)]
    assert [unit.text for unit in units if unit.kind in ("sentence", "bullet")] == [
        "Deltakerne var opptatt av bolig.",
        "Flere mente at NAV må følge opp arbeidsgiverne bedre.",
        "Frivillige lag trenger lokaler.",
    ]
    # The furniture between the parts of the broken sentence lies inside its span.
    assert {unit.text for unit in units if unit.kind == "noise"} >= {header, "Side 1 av 4"}


def _config(tmp_path: Path):
    """The project's params with the pipeline's files under `tmp_path`."""
    from tema.config import load_config

    config = load_config(Path(__file__).resolve().parents[1] / "params.yaml")
    ingest_settings = config.ingest.model_copy(
        update={
            "raw_dir": tmp_path / "raw",
            "documents": tmp_path / "interim" / "documents.jsonl",
            "skipped": tmp_path / "interim" / "skipped.csv",
        }
    )
    return config.model_copy(update={"ingest": ingest_settings})


def test_run_writes_the_pipelines_files_by_default(tmp_path: Path):
    from tema.ingest.stage import run

    raw = make_raw(tmp_path)
    (raw / "tom.txt").write_bytes(b"\n")
    with pytest.warns(UserWarning, match=r"tom\.txt"):
        result = run(_config(tmp_path), manifest=raw / "manifest.csv")
    assert (result.documents, result.output) == (1, tmp_path / "interim" / "documents.jsonl")
    assert result.skipped_path == tmp_path / "interim" / "skipped.csv"
    assert [(Path(s.file).name, s.reason) for s in result.skipped] == [("tom.txt", "is empty")]
    assert (
        result.skipped_path.read_text(encoding="utf-8")
        == f"file,reason\n{raw / 'tom.txt'},is empty\n"
    )
    [document] = read_documents(result.output)
    assert document.meeting == "Innspillmøte Bodø"


def test_an_output_folder_inside_the_batch_is_not_called_an_unread_subfolder(tmp_path: Path):
    import warnings

    from tema.ingest.stage import run

    raw = make_raw(tmp_path)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any warning fails the test
        result = run(_config(tmp_path), raw_dir=raw, output=raw / "ut" / "documents.jsonl")
        run(_config(tmp_path), raw_dir=raw, output=raw / "ut" / "documents.jsonl")
    assert result.documents == 1


def test_run_with_an_output_puts_skipped_beside_it_never_into_the_pipelines(tmp_path: Path):
    from tema.ingest.stage import run

    other = tmp_path / "other"
    other.mkdir()
    raw = make_raw(other)
    result = run(_config(tmp_path), raw_dir=raw, output=other / "out" / "documents.jsonl")
    assert result.skipped_path == other / "out" / "skipped.csv"
    assert result.skipped_path.read_text(encoding="utf-8") == "file,reason\n"
    assert not (tmp_path / "interim").exists()
    named = run(_config(tmp_path), raw_dir=raw, output=other / "d.jsonl", skipped=other / "s.csv")
    assert named.skipped_path == other / "s.csv" and named.skipped_path.is_file()


@pytest.mark.parametrize(
    ("files", "rows", "matched"),
    [
        (["Bergen.TXT"], ["Bergen.txt"], {"Bergen.TXT": "Bergen.txt"}),
        # Two files that a Linux disk tells apart: each only by its exact row.
        (["Notat.txt", "notat.txt"], ["Notat.txt"], {"Notat.txt": "Notat.txt"}),
        # Two rows for one file: only the exact one, and the other row is missing.
        (["Notat.txt"], ["Notat.txt", "notat.txt"], {"Notat.txt": "Notat.txt"}),
        (["notat.TXT"], ["Notat.txt", "notat.txt"], {}),
    ],
)
def test_manifest_rows_match_files_loosely_only_where_that_is_unambiguous(
    files: list[str], rows: list[str], matched: dict[str, str]
):
    from tema.ingest.manifest import match_rows

    assert match_rows(files, rows) == matched


def test_a_file_named_as_the_batch_folder_is_named_as_a_file(tmp_path: Path):
    """`tema ingest notat.txt`: "folder not found" for a file that is there sent the user
    looking for it; the error says that ingest reads a folder and how one file is sorted."""
    raw = make_raw(tmp_path)
    with pytest.raises(InputError, match=r"is a file, not a folder.*tema classify"):
        list(ingest(raw / "bodo.txt", None))
