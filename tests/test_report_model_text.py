"""tema.report.model_text: what the reports say about the model and skipped files."""

from __future__ import annotations

from pathlib import Path

import pytest

from tema.errors import UnreadableFile
from tema.io.files import OLE2_SIGNATURE


def test_a_skip_reason_code_wins_over_the_text():
    from tema.report.model_text import skip_reason

    assert skip_reason({"reason": "whatever", "code": "empty"}, "nb") == "filen er tom"
    assert skip_reason({"reason": "disk on fire"}, "nb") == "filen kunne ikke leses (disk on fire)"


@pytest.mark.parametrize("content", [OLE2_SIGNATURE, b"<html>"])
def test_an_old_office_file_is_named_in_the_report_with_what_to_save_it_as(
    tmp_path: Path, content: bytes
):
    from tema.ingest.readers import read_source
    from tema.report.model_text import skip_reason

    path = tmp_path / "gammel.doc"
    path.write_bytes(content)
    with pytest.raises(UnreadableFile) as error:
        read_source(path)
    assert skip_reason({"reason": error.value.reason}, "nb") == (
        "filen er en gammel Office-fil eller passordbeskyttet: åpne den, fjern et "
        "eventuelt passord og lagre den som .docx"
    )


@pytest.mark.parametrize(
    ("name", "language", "said"),
    [
        # A text file under a Word name: named with what to call it.
        ("notat.docx", "nb", "filen er ren tekst, ikke en Word-fil: gi den navnet notat.txt"),
        ("notat.docx", "en", "the file is plain text, not a Word file: rename it to notat.txt"),
        # A file without an ending: said to have no type (not «(none)»), with what tema reads.
        ("Notat", "nb", "filen har ingen filtype (en endelse som .txt eller .pdf); tema leser "
         ".txt, .md, .pdf, .docx, .csv, .tsv og .xlsx"),
        ("Notat", "en", "the file has no type (an ending such as .txt or .pdf); tema reads "
         ".txt, .md, .pdf, .docx, .csv, .tsv and .xlsx"),
    ],
)  # fmt: skip
def test_a_file_of_the_wrong_name_is_said_why_in_the_reports_language(
    tmp_path: Path, name: str, language: str, said: str
):
    from tema.ingest.readers import read_source
    from tema.report.model_text import skip_reason

    path = tmp_path / name
    path.write_text("Flere boliger i Bodø.", encoding="utf-8")
    with pytest.raises(UnreadableFile) as error:
        read_source(path)
    assert skip_reason({"reason": error.value.reason}, language) == said


def test_a_table_without_its_text_column_says_what_to_do_without_the_terminal():
    from tema.errors import InputError
    from tema.ingest.readers import choose_text_column
    from tema.io.tables import Table
    from tema.report.model_text import skip_reason

    with pytest.raises(InputError) as raised:
        choose_text_column(Path("skjema.csv"), Table(["id", "kommentar"], []), ["svar", "tekst"])
    item = {"reason": f"line 1: {raised.value.reason}"}  # as the app and skipped.csv keep it
    norwegian, english = skip_reason(item, "nb"), skip_reason(item, "en")
    assert norwegian.startswith("tabellen har ingen kolonne med svar eller tekst")
    assert "«svar», «tekst»; filen har «id», «kommentar»" in norwegian
    assert "manifestets kolonne text_column" in norwegian
    assert "“svar”, “tekst”; the file has “id”, “kommentar”" in english
    for said in (norwegian, english):
        assert "--text-column" not in said and "params.yaml" not in said
    wrong = {"reason": "column 'svar' has no answers, but other columns have text: name …"}
    assert skip_reason(wrong, "nb").startswith("kolonnen «svar» har ingen svar, men andre")


def test_the_report_says_answers_are_read_with_their_question_only_when_they_are():
    from tema.numbers import Style
    from tema.report.model_text import describe_model

    context = {"reach": 2, "neighbour_weight": 0.75, "heading_weight": 0.1, "temperature": 0.5}
    reads = {"context": {**context, "question_weight": 1.5, "question_temperature": 0.7}}
    ignores = {"context": {**context, "question_weight": 0.0}}
    older = {"context": context}  # a card from before questions were read
    sentence = "Et svar i en spørreundersøkelse leses sammen med spørsmålet det svarer på"
    assert any(line.startswith(sentence) for line in describe_model(reads, Style("nb")))
    for card in (ignores, older):
        assert not any(line.startswith(sentence) for line in describe_model(card, Style("nb")))
    english = describe_model(reads, Style("en"))
    assert any(line.startswith("A survey answer is read together with") for line in english)


def test_a_table_below_a_title_says_which_row_to_delete():
    from tema.errors import InputError
    from tema.ingest.readers import choose_text_column
    from tema.io.tables import Table
    from tema.report.model_text import skip_reason

    table = Table(["Innspillmøte Bodø 2024"], [(2, [""]), (3, ["id;svar"]), (4, ["1;Boliger"])])
    with pytest.raises(InputError) as raised:
        choose_text_column(Path("skjema.csv"), table, ["svar", "tekst"])
    item = {"reason": f"line 1: {raised.value.reason}"}
    assert skip_reason(item, "nb") == (
        "overskriftene (kolonnenavnene) står på rad 3, men må stå på første rad: "
        "slett radene over dem"
    )
    assert skip_reason(item, "en") == (
        "the column names are on row 3 but must be on the first row: delete the rows above them"
    )


@pytest.mark.parametrize(
    ("language", "sheets", "said"),
    [
        ("nb", ["Møte 2"], "s.xlsx: arket «Møte 2» ble ikke lest, så svarene der"),
        ("nb", ["A", "B"], "s.xlsx: arkene «A» og «B» ble ikke lest, så svarene der"),
        ("nb", ["A", "B, C", "D"], "s.xlsx: arkene «A», «B, C» og «D» ble ikke lest"),
        ("en", ["Møte 2"], "s.xlsx: the sheet “Møte 2” was not read, so its answers"),
        ("en", ["A", "B", "{0}"], "s.xlsx: the sheets “A”, “B” and “{0}” were not read"),
    ],
)
def test_the_sheets_not_read_are_named_as_written_in_the_language(language, sheets, said):
    import pandas as pd

    from tema.report.model_text import unread_sheet_lines
    from tema.report.summary import Summary
    from tema.report.words import TEXTS

    empty = pd.DataFrame()
    summary = Summary(empty, empty, None, empty, empty, 0, 0, 0, unread_sheets={"s.xlsx": sheets})
    (line,) = unread_sheet_lines(summary, TEXTS[language], language)
    assert line.startswith(said)
