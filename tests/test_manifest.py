"""tema.ingest.manifest: a manifest written with Norwegian column names, and why a date is
no date, as data each language words."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from tema.errors import InputError
from tema.ingest.manifest import (
    KNOWN_COLUMNS,
    NORWEGIAN_COLUMNS,
    DateFault,
    date_fault,
    month_name,
    read_manifest,
)
from tema.ingest.stage import ingest

ENGLISH_HEADER = ["file", "meeting", "region", "date"]
ROW = ["bodo.txt", "Innspillmøte Bodø", "Nord-Norge", "14.03.2024"]


def write_manifest(folder: Path, header: list[str], rows: list[list[str]]) -> Path:
    """A manifest as Norwegian Excel saves it: `;` and Windows-1252."""
    path = folder / "manifest.csv"
    lines = [";".join(header)] + [";".join(row) for row in rows]
    path.write_bytes(("\n".join(lines) + "\n").encode("cp1252"))
    return path


@pytest.mark.parametrize(
    ("written", "column"),
    [
        ("fil", "file"),
        ("Fil", "file"),
        ("FILNAVN", "file"),
        ("møte", "meeting"),
        ("Møte", "meeting"),
        ("mote", "meeting"),  # written without ø
        ("MØTENAVN", "meeting"),
        ("motenavn", "meeting"),
        ("Region", "region"),
        ("dato", "date"),
        ("Dato", "date"),
        ("møtedato", "date"),
        ("Motedato", "date"),
        ("tekstkolonne", "text_column"),
        ("Svarkolonne", "text_column"),
        ("ark", "sheet"),
        ("Regneark", "sheet"),
        (" dato ", "date"),
    ],
)
def test_a_norwegian_column_name_is_read_as_its_column(tmp_path: Path, written: str, column: str):
    header, row = list(ENGLISH_HEADER), list(ROW)
    if column in header:
        header[header.index(column)] = written
    else:  # a column that steers reading: an extra one
        header, row = [*header, written], [*row, "Ark2"]
    rows = read_manifest(write_manifest(tmp_path, header, [row]))
    expected = dict(zip(ENGLISH_HEADER, ROW, strict=True)) | {"date": "2024-03-14"}
    if column not in ENGLISH_HEADER:
        expected[column] = "Ark2"
    assert rows == {"bodo.txt": expected}


def test_a_mac_s_decomposed_ø_in_a_column_name_is_read_too(tmp_path: Path):
    header = ["fil", unicodedata.normalize("NFD", "møte"), "region", "dato"]
    rows = read_manifest(write_manifest(tmp_path, header, [ROW]))
    assert rows["bodo.txt"]["meeting"] == "Innspillmøte Bodø"


def test_every_norwegian_name_in_the_table_is_read_as_its_own_column(tmp_path: Path):
    """The table itself: each name names one column, and is read as that column."""
    listed = [name for names in NORWEGIAN_COLUMNS.values() for name in names]
    assert len(listed) == len(set(listed))
    assert set(NORWEGIAN_COLUMNS) == set(KNOWN_COLUMNS)
    for column, names in NORWEGIAN_COLUMNS.items():
        for name in names:
            header = [name if c == column else c for c in ENGLISH_HEADER]
            if column not in ENGLISH_HEADER:
                header.append(name)
            row = [*ROW, "x"][: len(header)]
            rows = read_manifest(write_manifest(tmp_path, header, [row]))
            assert column in rows["bodo.txt"], name


def test_a_manifest_written_in_norwegian_steers_ingest(tmp_path: Path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "bodo.txt").write_text("Flere kommunale boliger.\n", encoding="utf-8")
    (raw / "skjema.csv").write_text("id;kommentar\n1;Norskkurs på kveldstid\n", encoding="utf-8")
    write_manifest(
        raw,
        ["Fil", "Møte", "Region", "Dato", "Tekstkolonne", "Kommune"],
        [
            ["bodo.txt", "Innspillmøte Bodø", "Nord-Norge", "14.03.2024", "", "Bodø"],
            ["skjema.csv", "Spørreskjema", "Hele landet", "2024-04-01", "kommentar", ""],
        ],
    )
    by_doc = {document.doc: document for document in ingest(raw)}
    bodo, survey = by_doc["bodo.txt"], by_doc["skjema.csv"]
    assert (bodo.meeting, bodo.region, bodo.date) == (
        "Innspillmøte Bodø",
        "Nord-Norge",
        "2024-03-14",
    )
    assert survey.text.strip() == "Norskkurs på kveldstid"  # the column the manifest named
    assert bodo.extra["Kommune"] == "Bodø"  # the user's own column keeps its name


def test_a_norwegian_manifest_listing_a_missing_file_names_its_line(tmp_path: Path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "bodo.txt").write_text("Flere kommunale boliger.\n", encoding="utf-8")
    write_manifest(raw, ["fil", "møte", "region", "dato"], [ROW, ["alta.txt", "Møte", "", ""]])
    with pytest.raises(InputError) as error:
        list(ingest(raw))
    assert error.value.line == 3
    assert "manifest.csv, line 3: lists file(s) not in" in str(error.value)


@pytest.mark.parametrize(
    ("header", "first", "second", "column"),
    [
        (["file", "fil", "meeting", "region", "date"], "file", "fil", "file"),
        (["fil", "møte", "region", "dato", "Date"], "dato", "Date", "date"),
        (["Filnavn", "fil", "møte", "region", "dato"], "Filnavn", "fil", "file"),
        (["fil", "Møte", "mote", "region", "dato"], "Møte", "mote", "meeting"),
        (["fil", "møte", "region", "dato", "ark", "sheet"], "ark", "sheet", "sheet"),
    ],
)
def test_two_names_for_one_column_are_refused_naming_both(
    tmp_path: Path, header: list[str], first: str, second: str, column: str
):
    path = write_manifest(tmp_path, header, [[*ROW, "x", "y"][: len(header)]])
    with pytest.raises(InputError) as error:
        read_manifest(path)
    assert str(error.value).endswith(
        f"manifest.csv, line 1: the columns {first!r} and {second!r} are both the {column} "
        "column (one in English, one in Norwegian, or two spellings); keep one"
    )


def test_a_missing_column_names_both_languages_and_the_header_as_written(tmp_path: Path):
    path = write_manifest(tmp_path, ["Fil", "Møte", "Dato"], [["bodo.txt", "Møte", ""]])
    with pytest.raises(InputError) as error:
        read_manifest(path)
    assert str(error.value).endswith(
        "manifest.csv, line 1: missing column(s) region; expected file, meeting, region, date "
        "or in Norwegian fil, møte, region, dato (the header has 'Fil', 'Møte', 'Dato')"
    )


def test_a_norwegian_header_below_a_title_is_found(tmp_path: Path):
    path = tmp_path / "manifest.csv"
    path.write_text("Møter våren 2024\nfil;møte;region;dato\nbodo.txt;Møte;Nord;\n")
    with pytest.raises(InputError, match="Line 2 looks like the header") as error:
        read_manifest(path)
    assert error.value.line == 1


@pytest.mark.parametrize(
    ("written", "fault"),
    [
        ("31.02.2024", DateFault("days", 2024, 2, 29)),
        ("2023-02-29", DateFault("days", 2023, 2, 28)),
        ("31.04.2024 10:00", DateFault("days", 2024, 4, 30)),
        ("14.13.2018", DateFault("month", 2018, 13)),
        ("00.03.2018", DateFault("day", 2018, 3, 31)),
        ("0000-01-01", DateFault("year")),
        ("14.03.2018 25:00", DateFault("time", 2018, 3, 31)),
        ("mars 2018", DateFault("form")),
        ("14/03/2018", DateFault("form")),
    ],
)
def test_why_a_date_is_no_date_is_told_as_data(written: str, fault: DateFault):
    assert date_fault(written) == fault


@pytest.mark.parametrize(
    ("month", "language", "name"),
    [(2, "nb", "februar"), (2, "en", "February"), (12, "nb", "desember"), (13, "nb", "")],
)
def test_month_names_in_each_language(month: int, language: str, name: str):
    assert month_name(month, language) == name


def test_the_docs_list_the_norwegian_names_the_code_reads():
    """docs/reports.md's table of Norwegian column names is the one tema reads."""
    docs = (Path(__file__).resolve().parent.parent / "docs" / "reports.md").read_text()
    rows = dict(re.findall(r"^\| `(\w+)` \| (.+) \|$", docs, re.M))
    assert {
        column: tuple(name for name in re.findall(r"`([^`]+)`", names) if name != column)
        for column, names in rows.items()
    } == NORWEGIAN_COLUMNS
