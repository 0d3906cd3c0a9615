"""Layout blocks: how lines are grouped, and the kind each block gets."""

from __future__ import annotations

import pytest

from cleaning import LEXICON, kinds_and_texts
from tema.segment.clean import clean_blocks


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


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # Notes often list points in lower case under a dash: each is an item.
        (
            "– flere boliger til store familier\n– bedre norskopplæring for voksne\n",
            [
                ("bullet", "flere boliger til store familier"),
                ("bullet", "bedre norskopplæring for voksne"),
            ],
        ),
        # … also with blank lines between them, and with hyphens.
        (
            "- mer leksehjelp\n\n- flere lærlingplasser\n",
            [("bullet", "mer leksehjelp"), ("bullet", "flere lærlingplasser")],
        ),
        # One dash before a lower-case word is a dash a line break put first.
        (
            "Mange mente at det hastet, og\n– som flere sa – at vi må handle.\n",
            [("paragraph", "Mange mente at det hastet, og – som flere sa – at vi må handle.")],
        ),
    ],
)
def test_lower_case_dash_items_in_a_run_are_items(raw: str, expected: list) -> None:
    assert kinds_and_texts(raw) == expected


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


# Text as pypdf extracts it from a PDF: no blank line between a paragraph, a heading in a
# larger font, a list and the introduction of the next list.
PARAGRAPH = "Flere arbeidsgivere sa at de er usikre på hvordan de kan rekruttere personer\n"
PARAGRAPH_END = "med fluktbakgrunn.\n"
WHOLE_PARAGRAPH = (
    "Flere arbeidsgivere sa at de er usikre på hvordan de kan rekruttere personer "
    "med fluktbakgrunn."
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (  # a heading between two paragraphs
            "Det er stor mangel på kommunale boliger, og leieprisene i sentrum er altfor\n"
            "høye for mange familier.\nArbeid og kvalifisering\n" + PARAGRAPH + PARAGRAPH_END,
            [
                (
                    "paragraph",
                    "Det er stor mangel på kommunale boliger, og leieprisene i sentrum er "
                    "altfor høye for mange familier.",
                ),
                ("heading", "Arbeid og kvalifisering"),
                ("paragraph", WHOLE_PARAGRAPH),
            ],
        ),
        (  # … below a short paragraph, which must stay a counted paragraph
            "Kort avsnitt om bolig.\nArbeid og kvalifisering\n" + PARAGRAPH + PARAGRAPH_END,
            [
                ("paragraph", "Kort avsnitt om bolig."),
                ("heading", "Arbeid og kvalifisering"),
                ("paragraph", WHOLE_PARAGRAPH),
            ],
        ),
        (  # a numbered heading wrapped over two lines
            "tilrettelegging i videregående opplæring.\n"
            "2.2 Arbeidsgivernes erfaringer med rekruttering av\nflyktninger\n"
            + PARAGRAPH
            + PARAGRAPH_END,
            [
                ("paragraph", "tilrettelegging i videregående opplæring."),
                ("heading", "2.2 Arbeidsgivernes erfaringer med rekruttering av flyktninger"),
                ("paragraph", WHOLE_PARAGRAPH),
            ],
        ),
        (  # … at the top: a numbered title, not a list item holding the paragraph
            "4. Arbeidsgivernes erfaringer med rekruttering av flyktninger i\ndistriktene\n"
            + PARAGRAPH
            + PARAGRAPH_END,
            [
                (
                    "heading",
                    "4. Arbeidsgivernes erfaringer med rekruttering av flyktninger i distriktene",
                ),
                ("paragraph", WHOLE_PARAGRAPH),
            ],
        ),
        (  # the next list's introduction is not the end of the last item
            "Innspill fra gruppe 1:\n• Flere kommunale boliger til flyktninger\n"
            "• Lengre tid i introduksjonsprogrammet\nInnspill fra gruppe 2:\n"
            "– Mentorordninger på arbeidsplassen\n",
            [
                ("paragraph", "Innspill fra gruppe 1:"),
                ("bullet", "Flere kommunale boliger til flyktninger"),
                ("bullet", "Lengre tid i introduksjonsprogrammet"),
                ("paragraph", "Innspill fra gruppe 2:"),
                ("bullet", "Mentorordninger på arbeidsplassen"),
            ],
        ),
        (  # body text after an item without a full stop; the line between them cannot
            # be told from the item's wrapped last line, and stays with the item
            "• Mer kunnskap om diskriminering i rekruttering\nFrivillig sektor\n"
            + PARAGRAPH
            + PARAGRAPH_END,
            [
                ("bullet", "Mer kunnskap om diskriminering i rekruttering Frivillig sektor"),
                ("paragraph", WHOLE_PARAGRAPH),
            ],
        ),
        (  # an item wrapped before a name or a number stays whole
            "- Bedre kontakt med arbeidsgivere, spesielt\nNHO og Virke\n"
            "- Boligkonsulent bør finnes i alle kommuner over 10\n000 innbyggere\n"
            "- Flere lærlingplasser\n",
            [
                ("bullet", "Bedre kontakt med arbeidsgivere, spesielt NHO og Virke"),
                ("bullet", "Boligkonsulent bør finnes i alle kommuner over 10 000 innbyggere"),
                ("bullet", "Flere lærlingplasser"),
            ],
        ),
        (  # a sentence wrapped before a name is not a list's introduction
            "Deltakerne ble spurt om hva som fungerer godt i samarbeidet med\n"
            "NAV og kommunen, og de svarte dette:\n- Tett oppfølging\n",
            [
                (
                    "paragraph",
                    "Deltakerne ble spurt om hva som fungerer godt i samarbeidet med NAV og "
                    "kommunen, og de svarte dette:",
                ),
                ("bullet", "Tett oppfølging"),
            ],
        ),
        (  # a numbered item of three lines is an item, not a title
            "Forslaget fra gruppen:\n1. Flere lærlingplasser i kommunen og bedre oppfølging av\n"
            "de som har fullført introduksjonsprogrammet i\nDrammen kommune\n\n"
            "Dette ble støttet av alle.\n",
            [
                ("paragraph", "Forslaget fra gruppen:"),
                (
                    "bullet",
                    "Flere lærlingplasser i kommunen og bedre oppfølging av de som har fullført "
                    "introduksjonsprogrammet i Drammen kommune",
                ),
                ("paragraph", "Dette ble støttet av alle."),
            ],
        ),
        (  # an ellipsis opens a line of its own
            "Han ble stille\n\n... og så gikk han ut.\n",
            [("heading", "Han ble stille"), ("paragraph", "... og så gikk han ut.")],
        ),
        (  # a paragraph after the short last line of a wrapped item
            "• Bygge flere utleieboliger i distriktene, særlig for\n   store familier\n"
            + PARAGRAPH
            + PARAGRAPH_END,
            [
                ("bullet", "Bygge flere utleieboliger i distriktene, særlig for store familier"),
                ("paragraph", WHOLE_PARAGRAPH),
            ],
        ),
        (  # a footnote number on a line of its own before the punctuation it stood by
            "Mange ble bosatt i Nordland\n4\n. Det er for få boliger.\n"
            "Flere nevnte introduksjonsloven\n5\n, men de fleste snakket om bolig.\n",
            [
                (
                    "paragraph",
                    "Mange ble bosatt i Nordland. Det er for få boliger. Flere nevnte "
                    "introduksjonsloven, men de fleste snakket om bolig.",
                ),
            ],
        ),
        (  # but an item wrapped before a capitalised name goes on
            "• Bedre samarbeid mellom kommunen og\nNAV\n• Flere praksisplasser\n",
            [
                ("bullet", "Bedre samarbeid mellom kommunen og NAV"),
                ("bullet", "Flere praksisplasser"),
            ],
        ),
    ],
)
def test_pdf_text_without_blank_lines_keeps_headings_lists_and_paragraphs_apart(
    raw: str, expected: list
) -> None:
    pdf = [(block.kind, block.text) for block in clean_blocks(raw, LEXICON, pages=[0])]
    assert pdf == expected


def test_typed_notes_keep_a_short_point_below_a_sentence_with_it() -> None:
    """In typed text the writer sets the blank lines: a short line without a full stop
    right below a sentence stays in its block ("Tolkeutgiftene har økt …" is a point for
    the sentence splitter to cut off), where in a PDF it is split off as a title."""
    raw = (
        "Deltakerne snakket mye om tolking, og om hvordan kommunen kan bruke kvalifiserte "
        "tolker i alle samtaler.\nTolkeutgiftene har økt med 40 prosent\n"
        + PARAGRAPH
        + PARAGRAPH_END
    )
    assert [text for _kind, text in kinds_and_texts(raw)] == [
        "Deltakerne snakket mye om tolking, og om hvordan kommunen kan bruke kvalifiserte "
        "tolker i alle samtaler. Tolkeutgiftene har økt med 40 prosent",
        WHOLE_PARAGRAPH,
    ]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # One lower-case dash point on its own under a heading.
        ("Bolig\n\n- lang ventetid\n", [("heading", "Bolig"), ("bullet", "lang ventetid")]),
        (
            "Bolig\n\n- lang ventetid på\nbolig i sentrum\n",
            [("heading", "Bolig"), ("bullet", "lang ventetid på bolig i sentrum")],
        ),
        # Lower-case numbered points in order.
        (
            "Gruppe 4\n1. flere praksisplasser\n2. bedre tolketjeneste\n",
            [
                ("heading", "Gruppe 4"),
                ("bullet", "flere praksisplasser"),
                ("bullet", "bedre tolketjeneste"),
            ],
        ),
        # Not a dash a line break put first, after a line that runs on into it, and not
        # an ordinal: their text stays as it is.
        (
            "Mange mente at det hastet, og\n\n– som flere sa – at vi må handle.\n",
            [
                ("heading", "Mange mente at det hastet, og"),
                ("paragraph", "– som flere sa – at vi må handle."),
            ],
        ),
        (
            "Møtet er\n1. mai\n2. juni\n",
            [("bullet", "Møtet er"), ("bullet", "1. mai"), ("bullet", "2. juni")],
        ),
    ],
)
def test_lower_case_points_typed_with_a_dash_or_a_number(raw: str, expected) -> None:
    assert kinds_and_texts(raw) == expected


def test_lettered_roman_and_bracketed_items_are_items() -> None:
    raw = (
        "Innspill fra ungdommene:\na. De ønsker mer leksehjelp.\nb. Fritidstilbudene er dyre.\n\n"
        "Oppfølging\ni. Kommunen lager en plan.\nii. NAV følger opp.\n\n"
        "Forslag\n(1) Flere kurs.\n(2) Mer praksis.\n"
    )
    assert kinds_and_texts(raw) == [
        ("paragraph", "Innspill fra ungdommene:"),
        ("bullet", "De ønsker mer leksehjelp."),
        ("bullet", "Fritidstilbudene er dyre."),
        ("heading", "Oppfølging"),
        ("bullet", "Kommunen lager en plan."),
        ("bullet", "NAV følger opp."),
        ("heading", "Forslag"),
        ("bullet", "Flere kurs."),
        ("bullet", "Mer praksis."),
    ]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # Lettered items with a full stop in order, wrapped or with blank lines between.
        (
            "Tiltak\na. Flere boliger\nb. Mer praksis\nc. Bedre tolker\n",
            [
                ("heading", "Tiltak"),
                ("bullet", "Flere boliger"),
                ("bullet", "Mer praksis"),
                ("bullet", "Bedre tolker"),
            ],
        ),
        (
            "Tiltak\n\na. Flere boliger til store\nfamilier i kommunen\n\nb. Mer praksis\n",
            [
                ("heading", "Tiltak"),
                ("bullet", "Flere boliger til store familier i kommunen"),
                ("bullet", "Mer praksis"),
            ],
        ),
        (
            "i. Kommunen lager en plan.\nii. NAV følger opp.\niii. Fylket hjelper.\n"
            "iv. Staten betaler.\nv. Alle møtes igjen.\n",
            [
                ("bullet", "Kommunen lager en plan."),
                ("bullet", "NAV følger opp."),
                ("bullet", "Fylket hjelper."),
                ("bullet", "Staten betaler."),
                ("bullet", "Alle møtes igjen."),
            ],
        ),
        # A one-letter abbreviation that a line break put first is no item, and its
        # letter stays in the text.
        (
            "Det står i rapporten fra kommunen,\ns. Tolketjenesten har lang ventetid.\n",
            [
                (
                    "paragraph",
                    "Det står i rapporten fra kommunen, s. Tolketjenesten har lang ventetid.",
                ),
            ],
        ),
        (
            "Møtet ble ledet av Kari Nordmann,\nf. Hansen, som er ny leder.\n",
            [("paragraph", "Møtet ble ledet av Kari Nordmann, f. Hansen, som er ny leder.")],
        ),
        (
            "Byen ble grunnlagt omkring år 1000\ne. Kr. av kong Olav.\n",
            [("paragraph", "Byen ble grunnlagt omkring år 1000 e. Kr. av kong Olav.")],
        ),
        # … also after a lettered list whose last letter it does not follow.
        (
            "a. Flere boliger\nb. Mer praksis\n\nDet står i rapporten fra kommunen,\n"
            "s. Tolketjenesten har lang ventetid.\n",
            [
                ("bullet", "Flere boliger"),
                ("bullet", "Mer praksis"),
                (
                    "paragraph",
                    "Det står i rapporten fra kommunen, s. Tolketjenesten har lang ventetid.",
                ),
            ],
        ),
    ],
)
def test_a_letter_with_a_full_stop_is_an_item_only_in_a_lettered_list(
    raw: str, expected: list
) -> None:
    # Before, any lower-case letter and a full stop before a capital made an item, and
    # the letter was taken for its marker and dropped from the text.
    assert kinds_and_texts(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "Bolig\nDet er for få boliger i kommunen.\nArbeid\nFlere trenger praksis.\n",
            [
                ("heading", "Bolig"),
                ("paragraph", "Det er for få boliger i kommunen."),
                ("heading", "Arbeid"),
                ("paragraph", "Flere trenger praksis."),
            ],
        ),
        (
            "2.1 Bolig\nDet er for få boliger. Ventetiden er lang.\n2.2 Arbeid og skole\n"
            "Flere trenger praksis på arbeidsplassen og i kommunen.\n",
            [
                ("heading", "2.1 Bolig"),
                ("paragraph", "Det er for få boliger. Ventetiden er lang."),
                ("heading", "2.2 Arbeid og skole"),
                ("paragraph", "Flere trenger praksis på arbeidsplassen og i kommunen."),
            ],
        ),
        # A longer line without a full stop there may be a point of the notes: it stays
        # with the sentence above it (test_typed_notes_keep_a_short_point_below_…).
        (
            "Det er for få boliger i kommunen.\nMange bor for trangt i dag\n"
            "Flere trenger praksis på arbeidsplassen og i kommunen.\n",
            [
                ("paragraph", "Det er for få boliger i kommunen. Mange bor for trangt i dag"),
                ("paragraph", "Flere trenger praksis på arbeidsplassen og i kommunen."),
            ],
        ),
    ],
)
def test_typed_notes_split_a_short_title_between_a_sentence_and_body_text_off(
    raw: str, expected: list
) -> None:
    # Without it, the title's missing full stop made the sentence above it a heading,
    # which is not counted as input.
    assert kinds_and_texts(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "Det er for få boliger i kommunen.\nArbeid\n\nFlere trenger praksis.\n",
            [
                ("paragraph", "Det er for få boliger i kommunen."),
                ("heading", "Arbeid"),
                ("paragraph", "Flere trenger praksis."),
            ],
        ),
        (
            "Det er for få boliger i kommunen.\nTolk\n",
            [("paragraph", "Det er for få boliger i kommunen."), ("heading", "Tolk")],
        ),
    ],
)
def test_a_one_word_title_below_a_sentence_of_typed_notes_is_a_block_of_its_own(
    raw: str, expected: list
) -> None:
    # Before, the title's missing full stop made the sentence above it a heading.
    assert kinds_and_texts(raw) == expected
