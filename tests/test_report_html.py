"""tema.report.html: report.html in the chosen language and number style, its tables and
method section, and every text escaped."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from tema.report.html import render_html
from tema.report.tally import counted_units, summarise, theme_counts
from test_report import (
    CARD,
    REAL_CARD,
    SKIPPED,
    THEME_IDS,
    THEMES,
    classified_units,
    visible_text,
)


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


def test_region_and_meeting_tables_show_every_interval_and_mark_small_groups():
    from tema.numbers import NBSP, Style
    from tema.report.charts import SMALL_GROUP
    from tema.report.html import share_table

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
    from tema.report.look import Look

    table = share_table(region, Look.of(THEMES, "nb", Style("nb", NBSP)), "Region")
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


HOSTILE = "<script>alert('x')</script> & co"
# A bare "&" (not the start of an entity) would mean a text went out unescaped.
BARE_AMPERSAND = re.compile(r"&(?!(amp|lt|gt|quot|#\d+|#x[0-9a-fA-F]+);)")


def test_user_text_is_escaped_in_report_html():
    units = counted_units(classified_units(), ["sentence", "bullet"])
    units = units.assign(
        text=[f"{HOSTILE} {i}" for i in range(len(units))],
        meeting="<b>Bodø & Alta</b>",
        region="Nord & <i>Sør</i>",
        doc="<a>.txt",
    )
    summary = summarise(units, THEME_IDS, pd.DataFrame(np.eye(3), THEME_IDS, THEME_IDS))
    summary.skipped = [{"file": "data/raw/<img src=x>.pdf", "reason": "is empty"}]
    page = render_html(summary, THEMES, CARD, "nb")
    assert "<script" not in page and "<b>" not in page and "<i>" not in page
    assert "<img" not in page and "<a>" not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co 0" in page  # an example
    assert "&lt;b&gt;Bodø &amp; Alta&lt;/b&gt;" in page  # the meeting chart and table
    assert "Nord &amp; &lt;i&gt;Sør&lt;/i&gt;" in page  # the region chart and table
    assert "&lt;img src=x&gt;.pdf" in page  # the skipped files
    assert not BARE_AMPERSAND.search(page)
    text = visible_text(page)
    assert f"{HOSTILE} 1" in text and "<b>Bodø & Alta</b>" in text  # shown as typed


def test_nothing_is_marked_safe():
    from importlib.resources import files

    from tema.report.templating import environment

    assert environment().autoescape is True
    folder = files("tema.report") / "templates"
    names = [f.name for f in folder.iterdir()] + [f.name for f in (folder / "inline").iterdir()]
    assert {"report.html", "compare.html", "style.css"} <= set(names)
    for template in environment().list_templates():
        source = (folder / template).read_text(encoding="utf-8")
        assert "safe" not in source and "autoescape" not in source, template
    for module in (files("tema.report")).iterdir():
        if module.name.endswith(".py"):  # no text is declared markup by hand
            assert "Markup(" not in module.read_text(encoding="utf-8"), module.name


def test_the_table_over_time_is_in_time_order_and_says_what_is_undated():
    dates = ["2019-03-01"] * 5 + ["2021-06-01"] * 3 + ["2020-01-15"] * 2 + [""]
    units = pd.DataFrame(
        {
            "doc": [f"{date or 'x'}.txt" for date in dates],
            "meeting": "m",
            "region": "r",
            "date": dates,
            "kind": "sentence",
            "text": "x",
            "theme": "housing",
            "confidence": 0.9,
            "uncertain": False,
        }
    )
    for language, note in (
        ("nb", "1 innspill uten møtedato er ikke med her."),
        ("en", "Units without a meeting date (1) are not included."),
    ):
        page = render_html(summarise(units, THEME_IDS), THEMES, {}, language)
        time_section = page[page.index("id='time'") :]
        table = time_section[time_section.index("<table") :]
        years = re.findall(r"<td[^>]*>(20\d\d)</td>", table)
        assert years == ["2019", "2020", "2021"]  # in time order, not by size
        assert note in visible_text(time_section)


@pytest.mark.parametrize(
    ("language", "phrases"),
    [
        ("nb", ["Innspill: 1 fil i mappen raw.", "Lest: 1 dokument; telt: 1 innspill.",
                "1 innspill fra 1 dokument er sortert i tema"]),
        ("en", ["Input: 1 file in the folder raw.", "Read: 1 document; counted: 1 unit.",
                "1 unit of input from 1 document were sorted"]),
    ],
)  # fmt: skip
def test_one_file_one_document_one_unit_are_singular(language, phrases):
    from dataclasses import replace
    from datetime import datetime

    from tema.report.summary import Batch

    units = pd.DataFrame(
        {
            "doc": ["en.txt"],
            "meeting": "m",
            "region": "r",
            "kind": "sentence",
            "text": "Flere kommunale boliger til flyktninger er nødvendig.",
            "theme": "housing",
            "confidence": 0.9,
            "uncertain": False,
        }
    )
    summary = replace(
        summarise(units, THEME_IDS),
        batch=Batch(datetime(2026, 12, 7), "raw", n_files=1),
        n_documents_read=1,
    )
    text = visible_text(render_html(summary, THEMES, {}, language)).replace("\u00a0", " ")
    for phrase in phrases:
        assert phrase in text


def test_the_report_states_both_rules_that_flag_a_unit_uncertain():
    units = counted_units(classified_units(), ["sentence", "bullet"])
    card = {**CARD, "uncertainty_threshold": 0.26, "flagging": {"until_accuracy": 0.9}}
    summary = summarise(units, THEME_IDS)
    page = visible_text(render_html(summary, THEMES, card, "nb")).replace("\u00a0", " ")
    assert "Innspill med sikkerhet under 0,26 merkes som usikre." in page
    # Units above 0.26 are flagged by the batch rule too, so the report must say so.
    assert "til modellens forventede treffsikkerhet for resten er 90 % (høyst 30 %" in page
    assert "under sikkerhetsterskelen" not in page
    english = visible_text(render_html(summary, THEMES, card, "en"))
    assert "expected accuracy on the rest is 90% (at most 30% of the units)" in english
    without = {key: value for key, value in card.items() if key != "flagging"}
    assert "treffsikkerhet for resten" not in render_html(summary, THEMES, without, "nb")


def test_a_batch_with_nothing_to_count_says_so():
    units = counted_units(classified_units().assign(kind="heading"), ["sentence", "bullet"])
    assert units.empty
    page = visible_text(render_html(summarise(units, THEME_IDS), THEMES, {}, "nb"))
    assert "Ingen innspill er telt" in page
    counted = counted_units(classified_units(), ["sentence", "bullet"])
    assert "Ingen innspill er telt" not in render_html(summarise(counted, THEME_IDS), THEMES, {})


@pytest.mark.parametrize(
    ("language", "heading", "line"),
    [
        (
            "nb",
            "Sider som ikke kunne leses",
            "a.pdf: side 3, 4 (skannet eller skadet; teksten der er ikke med i tellingen)",
        ),
        (
            "en",
            "Pages that could not be read",
            "a.pdf: page(s) 3, 4 (scanned or damaged; their text is not counted)",
        ),
    ],
)
def test_pdf_pages_that_were_not_read_are_named_in_the_report(tmp_path, language, heading, line):
    """A file read but for some of its pages (scanned or damaged, `Document.unread_pages`)
    is not among the skipped files, yet its counts miss those pages: the report says so."""
    from dataclasses import replace

    from tema.report.stage import build_report
    from test_report import batch

    classified, documents = batch(tmp_path)
    documents[0] = replace(documents[0], unread_pages=[3, 4])
    summary = build_report(
        classified, documents, tmp_path / "out", THEME_IDS, ["sentence", "bullet", "answer"]
    )
    assert summary.unread_pages == {"a.pdf": [3, 4]}
    text = visible_text(render_html(summary, THEMES, CARD, language))
    assert heading in text and line in text
