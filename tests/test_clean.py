"""PDF clean-up of a block: de-hyphenation, kerning gaps, control characters; no text lost."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaning import LEXICON, kinds_and_texts
from tema.segment.clean import clean_blocks


def test_dehyphenation_and_wrapped_lines() -> None:
    raw = "Det var over 80 interes-\nsenter som kom.  Det var  bra.\n"
    assert kinds_and_texts(raw) == [
        ("paragraph", "Det var over 80 interessenter som kom. Det var bra.")
    ]


def test_suspended_compound_and_acronym() -> None:
    raw = "Utdannings-\nog kvalifiseringsløpet og NAV-\ntiltak er viktige for alle.\n"
    assert kinds_and_texts(raw)[0][1] == (
        "Utdannings- og kvalifiseringsløpet og NAV-tiltak er viktige for alle."
    )


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        # A suspended compound whose joined form is only a rare listed word ("norskog").
        ("Kurs i norsk-\nog samfunnskunnskap.\n", "Kurs i norsk- og samfunnskunnskap."),
        ("Helse-\nog omsorgstjenester.\n", "Helse- og omsorgstjenester."),
        # An ordinary word is rejoined, follower or not.
        (
            "Han forteller at inn-\ntil nå har det gått bra.\n",
            "Han forteller at inntil nå har det gått bra.",
        ),
        # After a number, a name of mixed case, and "ikke" the hyphen belongs to the word.
        ("Tilbud til 18-\nåringer.\n", "Tilbud til 18-åringer."),
        ("Perioden 2016-\n2017 var god.\n", "Perioden 2016-2017 var god."),
        ("Under covid-\n19-pandemien.\n", "Under covid-19-pandemien."),
        ("Møte med IMDi-\nregionene.\n", "Møte med IMDi-regionene."),
        ("Andelen ikke-\nvestlige øker.\n", "Andelen ikke-vestlige øker."),
        # Ligatures are written as their letters, also in a word hyphenated across lines.
        ("Bedre kvaliﬁ-\nsering for ﬂyktninger.\n", "Bedre kvalifisering for flyktninger."),
    ],
)
def test_line_end_hyphens_and_ligatures(raw: str, cleaned: str) -> None:
    assert kinds_and_texts(raw) == [("paragraph", cleaned)]


def test_kerning_gap_closed_where_the_text_shows_the_artefact() -> None:
    # Two words whose joined form is far more common: a gap in text extracted from a
    # letter-spaced PDF, a word typed apart in plain text.
    raw = "Alle er skatte betalere i landet.\n"
    assert kinds_and_texts(raw)[0][1] == "Alle er skatte betalere i landet."
    pdf = [block.text for block in clean_blocks(raw, LEXICON, pages=[0])]
    assert pdf == ["Alle er skattebetalere i landet."]
    # A gap that leaves a piece which is no word shows the letter spacing of the document.
    raw = "Alle er skatte betalere i landet.\n\nVi snakket med distri butøren.\n"
    assert [text for _kind, text in kinds_and_texts(raw)] == [
        "Alle er skattebetalere i landet.",
        "Vi snakket med distributøren.",
    ]


def test_control_characters_soft_hyphens_and_mojibake() -> None:
    raw = "Dette\x00 er en st\u00adreng. Interes\u00ad\nsenter. FÃ¸rste gang pÃ¥ Ã˜ya.\n"
    assert kinds_and_texts(raw)[0][1] == ("Dette er en streng. Interessenter. Første gang på Øya.")


PDF_ALPHABET = st.sampled_from(
    [*"abcæøå ABCÆØÅ.,:;?!-–•’«»()0123456789\n\n\n  \t\x00\x0c\u00adﬁ", "Ã¸", "https://a.no/x"]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(PDF_ALPHABET, max_size=120).map("".join))
def test_blocks_are_ordered_and_cover_every_visible_character(raw: str) -> None:
    blocks = clean_blocks(raw, LEXICON)
    previous_end = 0
    covered = set()
    for block in blocks:
        assert previous_end <= block.start <= block.end <= len(raw)
        previous_end = block.end
        covered.update(range(block.start, block.end))
        assert all(
            block.start <= block.raw_char_span(i)[0] < block.raw_char_span(i)[1] <= block.end
            for i in range(len(block.text))
        )
    visible = {i for i, char in enumerate(raw) if not char.isspace()}
    assert visible <= covered


def test_a_line_of_characters_python_counts_as_white_space_gives_no_block() -> None:
    # "\x1f" (unit separator) is white space to str.strip but not a line break.
    assert clean_blocks("\x1f", LEXICON) == []
    assert [block.text for block in clean_blocks("Tekst.\n\x1f\n", LEXICON)] == ["Tekst."]


def test_a_table_with_wrapped_cells_keeps_its_rows_and_their_words() -> None:
    # pdftotext -layout puts the rest of a cell wrapped in a narrow column on a line of
    # its own: before, that line ended the table, and the rows below it were read as
    # headings (not counted) and the rest as a paragraph of its own.
    raw = (
        "Tema        Innspill                    Ansvar\n"
        "Bolig       Flere utleieboliger for     Kommunen\n"
        "            store familier\n"
        "Arbeid      Mer språkpraksis i          NAV\n"
        "            bedriftene\n"
        "Helse       Bedre tolketjeneste         Helseforetaket\n"
    )
    blocks = clean_blocks(raw, LEXICON)
    assert [(block.kind, block.text) for block in blocks] == [
        ("table", "Tema Innspill Ansvar"),
        ("row", "Bolig Flere utleieboliger for Kommunen store familier"),
        ("row", "Arbeid Mer språkpraksis i NAV bedriftene"),
        ("row", "Helse Bedre tolketjeneste Helseforetaket"),
    ]
    assert raw[blocks[1].start : blocks[1].end].endswith("store familier")
