"""tema.report.xlsx: report.xlsx, one sheet per view."""

from __future__ import annotations

from pathlib import Path

from tema.report.stage import build_report
from tema.report.xlsx import write_xlsx
from test_report import CARD, THEME_IDS, THEMES, batch


def test_excel_report_has_one_sheet_per_view(tmp_path: Path):
    from openpyxl import load_workbook

    from tema.report.units import uncertain_units

    classified, documents = batch(tmp_path)
    out = tmp_path / "out"
    summary = build_report(classified, documents, out, THEME_IDS, ["sentence", "bullet", "answer"])
    write_xlsx(out / "report.xlsx", summary, THEMES, CARD, "nb", uncertain_units(out / "units.csv"))
    workbook = load_workbook(out / "report.xlsx")
    assert workbook.sheetnames == [
        "Sammendrag",
        "Regioner",
        "Møter",
        "Dokumenter",
        "Over tid",
        "Eksempler",
        "Usikre",
        "Metode",
    ]
    summary_sheet = [row for row in workbook["Sammendrag"].iter_rows(values_only=True)]
    assert summary_sheet[0][:3] == ("Tema", "Antall", "Andel")
    assert summary_sheet[2][:2] == ("Bolig", 3)
    assert workbook["Sammendrag"]["C2"].number_format == "0.0%"
    assert isinstance(workbook["Sammendrag"]["C2"].value, float)  # a number, not "50 %"
    review = list(workbook["Usikre"].iter_rows(values_only=True))
    assert review[1][:2] == ("Annet", "Takk") and review[1][3] == "Bolig"


def test_text_that_looks_like_a_formula_is_shown_as_written(tmp_path: Path):
    import pandas as pd
    from openpyxl import load_workbook

    from tema.report.units import uncertain_units

    classified, documents = batch(tmp_path)
    frame = pd.read_csv(classified, dtype=str, keep_default_na=False)
    frame["text"] = frame["text"].replace("Takk", '=HYPERLINK("http://example.com","Klikk")')
    frame.to_csv(classified, index=False)
    out = tmp_path / "out"
    summary = build_report(classified, documents, out, THEME_IDS, ["sentence", "bullet", "answer"])
    write_xlsx(out / "report.xlsx", summary, THEMES, CARD, "nb", uncertain_units(out / "units.csv"))
    cell = load_workbook(out / "report.xlsx")["Usikre"]["B2"]
    assert (cell.value, cell.data_type) == ('=HYPERLINK("http://example.com","Klikk")', "s")


def test_method_sheet_names_the_scores_in_the_report_language(tmp_path: Path):
    """The Metode sheet said `macro_f1` and `accuracy`, the card's keys, in both languages."""
    from openpyxl import load_workbook

    classified, documents = batch(tmp_path)
    out = tmp_path / "out"
    summary = build_report(classified, documents, out, THEME_IDS, ["sentence", "bullet", "answer"])
    for language, names in (
        ("nb", ["Makro-F1", "Treffsikkerhet (andel riktig)"]),
        ("en", ["Macro-F1", "Accuracy"]),
    ):
        write_xlsx(out / f"{language}.xlsx", summary, THEMES, CARD, language)
        method = load_workbook(out / f"{language}.xlsx").worksheets[-1]  # Metode, Method
        labels = [row[0] for row in method.values]
        assert "macro_f1" not in labels and "accuracy" not in labels
        assert all(name in labels for name in names), labels


def test_uncertain_sheet_shows_names_that_look_like_numbers_as_written(tmp_path: Path):
    """Regions named by county number ("03" Oslo, "18" Nordland) are text: the sheet of
    uncertain units read them back from units.csv as the numbers 3 and 18."""
    from dataclasses import replace

    from openpyxl import load_workbook

    from tema.report.units import uncertain_units

    classified, documents = batch(tmp_path)
    numbers = {"a.pdf": "18", "s.csv": "18", "c.txt": "03"}
    documents = [
        replace(d, meeting=f"{numbers[d.doc]}01", region=numbers[d.doc]) for d in documents
    ]
    out = tmp_path / "out"
    summary = build_report(classified, documents, out, THEME_IDS, ["sentence", "bullet", "answer"])
    write_xlsx(out / "report.xlsx", summary, THEMES, CARD, "nb", uncertain_units(out / "units.csv"))
    review = list(load_workbook(out / "report.xlsx")["Usikre"].iter_rows(values_only=True))
    assert review[1][1] == "Takk" and review[1][7:] == ("0301", "03")


def test_a_text_longer_than_an_excel_cell_is_cut_with_a_note(tmp_path: Path):
    """Excel holds at most 32,767 characters in a cell and calls a file with a longer one
    damaged; a survey answer is one unit however long it is."""
    import pandas as pd
    from openpyxl import load_workbook

    from tema.io.files import EXCEL_MAX_CELL_CHARS
    from tema.report.units import uncertain_units

    classified, documents = batch(tmp_path)
    frame = pd.read_csv(classified, dtype=str, keep_default_na=False)
    long_text = "Flere boliger og mer norskopplæring. " * 1000
    frame["text"] = frame["text"].replace("Takk", long_text)
    frame.to_csv(classified, index=False)
    out = tmp_path / "out"
    summary = build_report(classified, documents, out, THEME_IDS, ["sentence", "bullet", "answer"])
    for language, note in (("nb", "forkortet"), ("en", "shortened")):
        path = out / f"{language}.xlsx"
        write_xlsx(path, summary, THEMES, CARD, language, uncertain_units(out / "units.csv"))
        text = load_workbook(path).worksheets[6]["B2"].value  # Usikre, Uncertain
        assert EXCEL_MAX_CELL_CHARS == 32_767 and len(text) == EXCEL_MAX_CELL_CHARS
        assert text.startswith(long_text[:30_000]) and note in text[-90:] and "units.csv" in text
