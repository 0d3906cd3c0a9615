"""PDF clean-up: word decisions, line/block classification and the offset map."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tema.segment.clean import (
    GAP,
    GAP_IF_LETTER_SPACED,
    NO_GAP,
    Lexicon,
    classify_line,
    clean_blocks,
    hyphen_joint,
    is_compound,
    kerning_gap_evidence,
    load_lexicon,
)

# A small word list with made-up frequencies, so that these tests do not depend on the
# contents of any package's list.
LEXICON = Lexicon(
    {
        "interessenter": 2.8,
        "skattebetalere": 2.8,
        "skatte": 3.6,
        "betalere": 1.5,
        "integrering": 3.5,
        "konferanse": 3.8,
        "kvalifisering": 3.2,
        "perioden": 4.0,
        "over": 6.0,
        "alt": 6.0,
        "overalt": 4.5,
        "og": 7.4,
        "eller": 6.5,
        "tiltak": 4.0,
        "epost": 4.2,
        "e-post": 3.0,
        "forteller": 4.5,
        "fort": 4.0,
        "statssekretærene": 2.0,
        "oppsummering": 3.0,
        "ord": 5.0,
        "inte": 3.1,
        "distributøren": 2.5,
        "er": 7.4,
        "en": 7.2,
        "mann": 5.6,
        "jobb": 5.6,
        "enmannsjobb": 3.0,
        "språk": 5.0,
        "kravene": 4.3,
        "beslutning": 4.2,
        "veier": 5.0,
        "arven": 3.9,
        "egen": 5.6,
        "bo": 5.0,
        "lig": 2.9,
        "bolig": 4.9,
    },
    normative={"e-post", "interessenter", "forteller", "skattebetalere"},
    names={"Oslo"},
)


@pytest.mark.parametrize(
    ("left", "right", "joint"),
    [
        ("interes", "senter", ""),  # a listed word: rejoin
        ("kvalifiserings", "perioden", ""),  # unlisted compound: rejoin
        ("Utdannings", "og", "- "),  # suspended compound
        ("Arbeids", "eller", "- "),
        ("fort", "eller", ""),  # but a listed word wins over the suspended reading
        ("NAV", "tiltak", "-"),  # acronym
        ("distrikts", "Norge", "-"),  # capital after the hyphen
        ("2016", "tall", "-"),
        ("e", "post", "-"),  # the normative dictionary has "e-post", not "epost"
        ("Oslo", "området", "-"),  # a name in a compound
        ("metall", "lampe", "-"),  # three equal letters
    ],
)
def test_hyphen_joint(left: str, right: str, joint: str) -> None:
    assert hyphen_joint(left, right, LEXICON) == joint


@pytest.mark.parametrize(
    ("left", "right", "evidence"),
    [
        ("distri", "butøren", GAP),  # pieces that are no words, and a listed word
        ("inte", "greringskonferanse", GAP),  # no word, and the first part of a compound
        ("skatte", "betalere", GAP_IF_LETTER_SPACED),  # two words, the joined one commoner
        ("bo", "lig", GAP_IF_LETTER_SPACED),
        ("beslutnings", "veier", GAP_IF_LETTER_SPACED),  # a compound's first part and head
        ("arvens", "egen", NO_GAP),  # a genitive is a word
        ("språkkravene", "er", NO_GAP),  # one of the commonest words is that word
        ("en", "mannsjobb", NO_GAP),
        ("over", "alt", NO_GAP),  # two common words stay two words
        ("statssekretærenes", "oppsummering", NO_GAP),  # genitive + noun is no compound
        ("ord", "og", NO_GAP),
    ],
)
def test_kerning_gap_evidence(left: str, right: str, evidence: int) -> None:
    assert kerning_gap_evidence(left, right, LEXICON) == evidence


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("integreringskonferanse", True),
        ("kvalifiseringsperioden", True),
        ("konferanse", True),
        ("xyzkonferanse", False),
        ("abc", False),
    ],
)
def test_is_compound(word: str, expected: bool) -> None:
    assert is_compound(LEXICON, word) is expected


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("", "blank"),
        ("   \t", "blank"),
        ("\x00\x01", "noise"),
        ("https://www.nav.no/side?a=1", "url"),
        ("  12  ", "noise"),
        ("– ", "noise"),
        ("• Et punkt.", "bullet"),
        ("– Et punkt.", "bullet"),
        ("’’sitat fra teksten", "quote"),
        ("Vanlig tekst her", "text"),
        ("2. Bolig ............................ 14", "noise"),  # table of contents
        ("Side 4 av 12", "noise"),
        ("¹ Jf. Meld. St. 30 (2015–2016)", "footnote"),
        ("2. Utdanning og kvalifisering", "bullet"),  # a title only when it stands alone
        ("Kl. 10.15  Innledninger", "programme"),
        ("•", "marker"),  # a bullet alone: its text is on the next line
        ("Rapport fra innspillsmøtet i Bodø 2019        5", "noise"),  # running header
        ("12\tÅrsrapport 2019", "noise"),
    ],
)
def test_classify_line(line: str, kind: str) -> None:
    assert classify_line(line) == kind


def kinds_and_texts(raw: str) -> list[tuple[str, str]]:
    return [(block.kind, block.text) for block in clean_blocks(raw, LEXICON)]


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


def test_blocks_by_layout() -> None:
    raw = (
        " Innledning\n\n"
        "Dette er brødtekst som går over\nflere linjer.\n\n"
        "• Første punkt som fortsetter\n\npå neste linje.\n"
        "• Andre punkt.\n\n"
        "’’et sitat fra\nteksten\n\n"
        "https://www.example.no/side\n\n"
        "Foto: Ola Nordmann\n\n"
        "7\n"
    )
    assert kinds_and_texts(raw) == [
        ("heading", "Innledning"),
        ("paragraph", "Dette er brødtekst som går over flere linjer."),
        ("bullet", "Første punkt som fortsetter på neste linje."),
        ("bullet", "Andre punkt."),
        ("quote", "’’et sitat fra teksten"),
        ("url", "https://www.example.no/side"),
        ("caption", "Foto: Ola Nordmann"),
        ("noise", "7"),
    ]


def test_report_layout_of_numbered_titles_contents_and_footnotes() -> None:
    raw = (
        "Innhold\n"
        "1. Innledning ........................ 3\n"
        "2. Bolig ............................. 5\n\n"
        "2. Bolig\n"
        "Flere deltakere mente at kommunen må bygge flere utleieboliger.¹\n"
        "1. Flere boliger til unge\n"
        "2. Færre hybler\n\n"
        "• Startlån\n"
        "Husbanken bør gi flere startlån til familier med lav inntekt i distriktene.\n\n"
        "Side 5 av 12\n"
        "¹ Jf. kommunens boligplan.\n\n"
        "Program\n"
        "Kl. 10.00  Velkommen\n"
        "Kl. 10.15  Innledninger om bolig\n"
    )
    assert kinds_and_texts(raw) == [
        ("heading", "Innhold"),
        ("noise", "1. Innledning ........................ 3"),
        ("noise", "2. Bolig ............................. 5"),
        ("heading", "2. Bolig"),  # alone: a section title, not a one-item list
        ("paragraph", "Flere deltakere mente at kommunen må bygge flere utleieboliger.¹"),
        ("bullet", "Flere boliger til unge"),  # in a list: items
        ("bullet", "Færre hybler"),
        ("bullet", "Startlån"),  # a short item does not run on into the body text below
        ("paragraph",
         "Husbanken bør gi flere startlån til familier med lav inntekt i distriktene."),
        ("noise", "Side 5 av 12"),
        ("paragraph", "¹ Jf. kommunens boligplan."),
        ("heading", "Program"),
        ("heading", "Kl. 10.00 Velkommen"),  # one programme item a unit
        ("heading", "Kl. 10.15 Innledninger om bolig"),
    ]  # fmt: skip


def test_meeting_notes_layout_of_list_titles_quoted_items_and_fields() -> None:
    raw = (
        "Svar: Mange mente at NAV-veilederne har for mange brukere.\n"
        "Gruppe 2: Arbeidsliv\n"
        "- Arbeidsgivere vet lite om tilskuddene\n"
        "- “Vi trenger språkpraksis som fører til jobb” (deltaker)\n"
        "- Mange bedrifter mangler folk, men krever førerkort\n"
        "Kontakt: post@imdi.no\n"
    )
    assert kinds_and_texts(raw) == [
        ("paragraph", "Svar: Mange mente at NAV-veilederne har for mange brukere."),
        ("heading", "Gruppe 2: Arbeidsliv"),  # the list's title, not part of the answer
        ("bullet", "Arbeidsgivere vet lite om tilskuddene"),
        ("bullet", "“Vi trenger språkpraksis som fører til jobb” (deltaker)"),
        ("bullet", "Mange bedrifter mangler folk, men krever førerkort"),
        ("heading", "Kontakt: post@imdi.no"),  # a new field, not the item's rest
    ]


@pytest.mark.parametrize(
    "raw",
    [
        "Flere boliger til unge\nBedre samarbeid med Husbanken\nKommunen må ha boligkonsulent\n",
        "Flere boliger til unge\n\nBedre samarbeid med Husbanken\n\n"
        "Kommunen må ha boligkonsulent\n",
    ],
)
def test_points_listed_one_per_line_without_markers_are_items(raw: str) -> None:
    assert kinds_and_texts(raw) == [
        ("bullet", "Flere boliger til unge"),
        ("bullet", "Bedre samarbeid med Husbanken"),
        ("bullet", "Kommunen må ha boligkonsulent"),
    ]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # A title and a subtitle: two unpunctuated lines are not a list.
        (
            "Parallellsesjon 2 Frivillig sektor\n\nVed statssekretær Kari Nordmann\n\n"
            "Organisasjonene er viktige. De trenger støtte.\n",
            [
                ("heading", "Parallellsesjon 2 Frivillig sektor"),
                ("heading", "Ved statssekretær Kari Nordmann"),
                ("paragraph", "Organisasjonene er viktige. De trenger støtte."),
            ],
        ),
        # A wrapped heading continues in lower case.
        (
            "Hvordan kan vi få flere\ninn i arbeid og utdanning\nog færre på stønad\n",
            [("heading", "Hvordan kan vi få flere inn i arbeid og utdanning og færre på stønad")],
        ),
    ],
)
def test_headings_are_not_taken_for_unmarked_items(raw: str, expected: list) -> None:
    assert kinds_and_texts(raw) == expected


def test_a_proposal_without_full_stop_is_input_not_a_heading() -> None:
    raw = (
        "Kommunen må ansette flere boligkonsulenter\n\n"
        "Hva må til for å lykkes\n\nDet var et godt møte.\n"
    )
    assert [kind for kind, _text in kinds_and_texts(raw)] == ["paragraph", "heading", "paragraph"]


def test_questions_and_answers_of_group_work_notes() -> None:
    raw = (
        "Gruppe 1\nHva fungerer ikke?\nfor lite språkpraksis og lange ventelister\n"
        "Hva kan bli bedre?\nmer samarbeid med frivilligheten\n\n"
        "Hva gjør vi nå?\nspurte hun. Ingen svarte.\n"
    )
    assert kinds_and_texts(raw) == [
        ("heading", "Gruppe 1"),
        ("paragraph", "Hva fungerer ikke?"),
        ("paragraph", "for lite språkpraksis og lange ventelister"),
        ("paragraph", "Hva kan bli bedre?"),
        ("paragraph", "mer samarbeid med frivilligheten"),
        ("paragraph", "Hva gjør vi nå? spurte hun. Ingen svarte."),  # reported speech
    ]


def test_labelled_answers_are_input_one_per_line() -> None:
    raw = "Svar 1: Mer norskopplæring.\nSvar 2: Praksisplass som fører til jobb\nKontakt: Kari\n"
    assert kinds_and_texts(raw) == [
        ("paragraph", "Svar 1: Mer norskopplæring."),
        ("paragraph", "Svar 2: Praksisplass som fører til jobb"),
        ("heading", "Kontakt: Kari"),
    ]


def test_a_bullet_alone_on_its_line_marks_the_next_line_as_an_item() -> None:
    raw = "Bolig\n•\nFlere boliger til unge\n•\nBedre samarbeid med Husbanken\n•\n\nSlutt.\n"
    blocks = clean_blocks(raw, LEXICON)
    assert [(block.kind, block.text) for block in blocks] == [
        ("heading", "Bolig"),
        ("bullet", "Flere boliger til unge"),
        ("bullet", "Bedre samarbeid med Husbanken"),
        ("noise", "•"),  # a bullet with no text after it
        ("paragraph", "Slutt."),
    ]
    assert raw[blocks[1].start] == "•"  # the item's span starts at its bullet


def test_a_block_in_lower_case_is_input_not_a_heading() -> None:
    raw = "Hva fungerer ikke?\n\nfor lite språkpraksis og lange ventelister på norskkurs\n"
    assert kinds_and_texts(raw)[-1] == (
        "paragraph",
        "for lite språkpraksis og lange ventelister på norskkurs",
    )


def test_a_sentence_broken_across_pages_is_one_block() -> None:
    raw = (
        "Deltakerne mente at kommunene må\n\n"
        "Rapport fra innspillsmøtet i Bodø 2019            5\n\n"
        "satse mer på kvalifisering. Flere mente at NAV må\n\n"
        "6\n\n"
        "følge opp arbeidsgiverne bedre.\n"
    )
    assert kinds_and_texts(raw) == [
        ("paragraph", "Deltakerne mente at kommunene må satse mer på kvalifisering. "
                      "Flere mente at NAV må følge opp arbeidsgiverne bedre."),
    ]  # fmt: skip
    (block,) = clean_blocks(raw, LEXICON)
    assert (block.start, block.end) == (0, len(raw.rstrip()))  # the page furniture inside


def test_dash_before_lower_case_continues_the_item() -> None:
    raw = "• Arbeidsgivere må tørre å satse\n– gi dem en sjanse!\n"
    assert kinds_and_texts(raw) == [
        ("bullet", "Arbeidsgivere må tørre å satse – gi dem en sjanse!")
    ]


def test_control_characters_soft_hyphens_and_mojibake() -> None:
    raw = "Dette\x00 er en st\u00adreng. Interes\u00ad\nsenter. FÃ¸rste gang pÃ¥ Ã˜ya.\n"
    assert kinds_and_texts(raw)[0][1] == ("Dette er en streng. Interessenter. Første gang på Øya.")


def test_offset_map_points_at_the_raw_characters() -> None:
    raw = " Tittel\n\n• Et  punkt med inte-\ngrering, NAV-\ntiltak og FÃ¸rste.\n"
    for block in clean_blocks(raw, LEXICON):
        assert raw[block.start : block.end] == raw[block.start : block.end].strip()
        for index, char in enumerate(block.text):
            start, end = block.raw_char_span(index)
            assert block.start <= start < end <= block.end
            if end - start == 1 and char not in " -":
                assert raw[start] == char
        assert block.raw_span(0, len(block.text))[0] >= block.start


def test_lines_longer_than_the_limit_are_cut() -> None:
    raw = "ord " * 20_000
    blocks = clean_blocks(raw, LEXICON)
    assert len(blocks) > 1
    assert "".join(block.text.replace(" ", "") for block in blocks) == raw.replace(" ", "")


def test_wordfreq_lexicon_loads_lazily() -> None:
    lexicon = load_lexicon("wordfreq")
    assert lexicon["og"] > 6
    assert load_lexicon("wordfreq") is lexicon  # cached
    with pytest.raises(ValueError, match="unknown word list"):
        load_lexicon("no-such-list")


PDF_ALPHABET = st.sampled_from(
    [*"abcæøå ABCÆØÅ.,:;?!-–•’«»()0123456789\n\n\n  \t\x00\x0c\u00ad", "Ã¸", "https://a.no/x"]
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


def test_cached_word_list_reads_back_the_same(tmp_path) -> None:
    from tema.segment import clean

    built = load_lexicon("wordfreq", cache_dir=tmp_path)
    (cache_file,) = tmp_path.glob("wordfreq-*.marshal")
    clean._load_lexicon.cache_clear()  # as in a new process
    read_back = load_lexicon("wordfreq", cache_dir=tmp_path)
    assert read_back is not built
    assert dict(read_back) == dict(built)
    assert (read_back.normative, read_back.names) == (built.normative, built.names)
    assert cache_file.stat().st_size > 0


def test_damaged_word_list_cache_is_rebuilt(tmp_path) -> None:
    from tema.segment import clean

    load_lexicon("wordfreq", cache_dir=tmp_path)
    (cache_file,) = tmp_path.glob("wordfreq-*.marshal")
    cache_file.write_bytes(b"\x00not a word list")
    clean._load_lexicon.cache_clear()
    lexicon = load_lexicon("wordfreq", cache_dir=tmp_path)
    assert lexicon["og"] > 6
    clean._load_lexicon.cache_clear()
    assert dict(load_lexicon("wordfreq", cache_dir=tmp_path)) == dict(lexicon)


def test_unwritable_word_list_cache_still_gives_the_list(tmp_path) -> None:
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x")
    assert load_lexicon("wordfreq", cache_dir=blocked / "cache")["og"] > 6


def test_page_furniture_is_what_recurs_at_the_edges_of_most_pages() -> None:
    from tema.segment.clean import page_furniture

    topics = ["bolig", "arbeid", "skole", "helse", "idrett", "språk", "NAV", "lønn", "barn", "mat"]
    pages_text = []
    for number, topic in enumerate(topics, 1):
        opening = "INNSPILL FRA DELTAKERNE\n" if number in (3, 6, 9) else ""
        pages_text.append(
            f"Rapport 2019\n{opening}Om {topic} ble det sagt mye.\nDeltakerne tok opp {topic}.\n"
            f"Det gjelder {topic} i alle kommuner.\nSide {number}\n"
        )
    text = "".join(pages_text)
    starts = [sum(len(page) for page in pages_text[:index]) for index in range(10)]
    furniture = {text[start : text.index("\n", start)] for start in page_furniture(text, starts)}
    # A heading that opens three of ten pages is not furniture; page numbers differ only
    # in their number, so they count as one recurring footer.
    assert furniture == {"Rapport 2019"} | {f"Side {number}" for number in range(1, 11)}
    assert page_furniture(text, starts[:2]) == frozenset()  # too few pages to tell


def test_a_pdf_title_above_a_short_one_line_paragraph_stays_apart(tmp_path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    from tema.ingest.readers import read_pdf

    path = tmp_path / "innspill.pdf"
    page = canvas.Canvas(str(path), pagesize=A4)
    page.setFont("Helvetica-Bold", 14)
    page.drawString(72, 780, "Innspill om språkkravene")
    page.setFont("Helvetica", 11)
    page.drawString(72, 750, "Kravene er for strenge.")
    page.drawString(72, 720, "Flere kommuner ønsker norskkurs på kveldstid for dem som jobber.")
    page.save()
    raw = read_pdf(path).text  # pypdf drops the blank lines: "…språkkravene\nKravene er …"
    assert raw.startswith("Innspill om språkkravene\nKravene er for strenge.\n")
    blocks = kinds_and_texts(raw)
    assert blocks[0] == ("heading", "Innspill om språkkravene")  # not glued to the sentence
    assert blocks[1][0] == "paragraph" and blocks[1][1].startswith("Kravene er for strenge.")


@pytest.mark.parametrize(
    "raw",
    [
        "Vi trenger flere kommunale boliger i\nOslo.\n",  # a wrapped sentence, not a title
        "Kommunen bør samarbeide med\nNAV.\n",
    ],
)
def test_a_wrapped_sentence_ending_in_a_short_line_is_not_split(raw: str) -> None:
    assert len(kinds_and_texts(raw)) == 1
