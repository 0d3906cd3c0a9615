"""Which blocks are the items of a list: points typed without markers are items, a
numbered line that stands alone is a section title (tema.segment.lists)."""

from __future__ import annotations

import pytest

from cleaning import LEXICON, kinds_and_texts
from tema.segment.clean import clean_blocks


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


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (  # a short point over longer ones is a point, not a title over body text
            "Gruppe 1\n\nMer språkpraksis i arbeidslivet\n"
            "Lengre introduksjonsprogram for de med lite skolegang\n"
            "Bedre samarbeid mellom NAV og kommunen\n",
            [
                ("heading", "Gruppe 1"),
                ("bullet", "Mer språkpraksis i arbeidslivet"),
                ("bullet", "Lengre introduksjonsprogram for de med lite skolegang"),
                ("bullet", "Bedre samarbeid mellom NAV og kommunen"),
            ],
        ),
        (  # a title in capitals over points
            "GRUPPE 1 – ARBEID\nLang ventetid på bolig\nFor få praksisplasser\n"
            "Lite kontakt med arbeidsgivere\n",
            [
                ("heading", "GRUPPE 1 – ARBEID"),
                ("bullet", "Lang ventetid på bolig"),
                ("bullet", "For få praksisplasser"),
                ("bullet", "Lite kontakt med arbeidsgivere"),
            ],
        ),
        (  # a title set apart by a blank line over points that have none between them
            "Forslag fra gruppe tre\n\nFlere kommunale boliger\nMer språkpraksis\n",
            [
                ("heading", "Forslag fra gruppe tre"),
                ("bullet", "Flere kommunale boliger"),
                ("bullet", "Mer språkpraksis"),
            ],
        ),
        (  # an introduction ending in a colon over points
            "Hva fungerer ikke:\nLang ventetid på bolig\nFor få praksisplasser\n",
            [
                ("paragraph", "Hva fungerer ikke:"),
                ("bullet", "Lang ventetid på bolig"),
                ("bullet", "For få praksisplasser"),
            ],
        ),
        (  # a title below points of several lines, above text: the text's title
            "Godt samarbeid\nKort ventetid\nGode lokaler\n\nBakgrunn\n\n"
            "Prosjektet startet i 2019.\n",
            [
                ("bullet", "Godt samarbeid"),
                ("bullet", "Kort ventetid"),
                ("bullet", "Gode lokaler"),
                ("heading", "Bakgrunn"),
                ("paragraph", "Prosjektet startet i 2019."),
            ],
        ),
        (  # a title and a subtitle over two points: two blocks, as before
            "Gruppearbeid\nHva er viktigst\n\nFlere boliger\nMer praksis\n\nVi snakket lenge.\n",
            [
                ("heading", "Gruppearbeid Hva er viktigst"),
                ("heading", "Flere boliger Mer praksis"),
                ("paragraph", "Vi snakket lenge."),
            ],
        ),
        (  # points with blank lines between them all: no title can be told apart
            "Flere kommunale boliger\n\nMer språkpraksis\n\nGratis barnehage\n",
            [
                ("bullet", "Flere kommunale boliger"),
                ("bullet", "Mer språkpraksis"),
                ("bullet", "Gratis barnehage"),
            ],
        ),
    ],
)
def test_points_typed_without_markers_are_items_under_their_title(raw: str, expected) -> None:
    assert kinds_and_texts(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # Short titles between paragraphs of notes, blank lines between every line: a
        # paragraph holds whole sentences (its last full stop left out or not), so the
        # line above it is its title, not a point.
        (
            "Bolig\n\nVi trenger flere boliger. Ventetiden er lang. Mange bor trangt\n\n"
            "Arbeid\n\nFlere trenger praksisplass. Arbeidsgivere vil ha norsk\n",
            [
                ("heading", "Bolig"),
                ("paragraph", "Vi trenger flere boliger. Ventetiden er lang. Mange bor trangt"),
                ("heading", "Arbeid"),
                ("paragraph", "Flere trenger praksisplass. Arbeidsgivere vil ha norsk"),
            ],
        ),
        (
            "Bolig\n\nVi trenger flere boliger. Ventetiden er lang. Mange bor trangt.\n\n"
            "Arbeid\n\nFlere trenger praksisplass. Arbeidsgivere vil ha norsk.\n",
            [
                ("heading", "Bolig"),
                ("paragraph", "Vi trenger flere boliger. Ventetiden er lang. Mange bor trangt."),
                ("heading", "Arbeid"),
                ("paragraph", "Flere trenger praksisplass. Arbeidsgivere vil ha norsk."),
            ],
        ),
        # Short sentences with no verb of proposal: input all the same.
        (
            "Bolig\n\nVentetiden er lang. Mange bor trangt\n\n"
            "Arbeid\n\nFå praksisplasser. Lite kontakt med arbeidsgivere\n",
            [
                ("heading", "Bolig"),
                ("paragraph", "Ventetiden er lang. Mange bor trangt"),
                ("heading", "Arbeid"),
                ("paragraph", "Få praksisplasser. Lite kontakt med arbeidsgivere"),
            ],
        ),
        # Points around a paragraph are still points where three or more stand together.
        (
            "Flere boliger\n\nMer praksis\n\nBedre tolker\n\n"
            "Vi snakket lenge om dette. Alle var enige\n",
            [
                ("bullet", "Flere boliger"),
                ("bullet", "Mer praksis"),
                ("bullet", "Bedre tolker"),
                ("paragraph", "Vi snakket lenge om dette. Alle var enige"),
            ],
        ),
        # A point holding an abbreviation or a date is no paragraph.
        (
            "Flere boliger, f.eks. Utleieboliger\n\nMer praksis, jf. NAV-rapporten\n\n"
            "Bedre tolker\n",
            [
                ("bullet", "Flere boliger, f.eks. Utleieboliger"),
                ("bullet", "Mer praksis, jf. NAV-rapporten"),
                ("bullet", "Bedre tolker"),
            ],
        ),
        # One point of a list typed without blank lines may hold two sentences.
        (
            "Flere boliger\nMer praksis. Gjerne i kommunen\nBedre tolker\n",
            [
                ("bullet", "Flere boliger"),
                ("bullet", "Mer praksis. Gjerne i kommunen"),
                ("bullet", "Bedre tolker"),
            ],
        ),
    ],
)
def test_a_short_line_over_sentences_is_their_title_and_points_stay_points(
    raw: str, expected: list
) -> None:
    # Before, a paragraph without its last full stop looked like a point, and the titles
    # around it became points too: counted as input.
    assert kinds_and_texts(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # Alone, with no punctuation at its end: a section title, not counted as input.
        (
            "2. Utdanning og kvalifisering\n\nMange ønsker mer fleksible utdanningsløp.\n",
            [
                ("heading", "2. Utdanning og kvalifisering"),
                ("paragraph", "Mange ønsker mer fleksible utdanningsløp."),
            ],
        ),
        # … also wrapped over two lines.
        (
            "2. Utdanning og kvalifisering for voksne\ninnvandrere i distriktene\n\n"
            "Mange ønsker mer.\n",
            [
                ("heading", "2. Utdanning og kvalifisering for voksne innvandrere i distriktene"),
                ("paragraph", "Mange ønsker mer."),
            ],
        ),
        # With another item next to it, a full stop, or three lines: an item.
        (
            "2. Utdanning og kvalifisering\n3. Arbeid og bolig\n",
            [("bullet", "Utdanning og kvalifisering"), ("bullet", "Arbeid og bolig")],
        ),
        (
            "2. Utdanning og kvalifisering.\n\nMange ønsker mer fleksible løp.\n",
            [
                ("bullet", "Utdanning og kvalifisering."),
                ("paragraph", "Mange ønsker mer fleksible løp."),
            ],
        ),
        (
            "2. Utdanning og kvalifisering for voksne\ninnvandrere i distriktene og\nbyene\n\n"
            "Mange ønsker mer.\n",
            [
                (
                    "bullet",
                    "Utdanning og kvalifisering for voksne innvandrere i distriktene og byene",
                ),
                ("paragraph", "Mange ønsker mer."),
            ],
        ),
    ],
)
def test_a_numbered_line_that_stands_alone_is_a_section_title(raw: str, expected: list) -> None:
    assert kinds_and_texts(raw) == expected


@pytest.mark.parametrize("marker", ["-", "•", "*", "–"])
def test_a_numbered_line_over_points_of_another_marker_is_their_title(marker: str) -> None:
    # Meeting notes number their topics and list the points under each with dashes or
    # bullets. The points are no siblings of the number: before, "1. Bolig" was read as
    # an item, counted as input, and the points below had the document title as section.
    raw = (
        f"1. Bolig\n{marker} Det er for få utleieboliger.\n{marker} Husleien er for høy.\n"
        f"2. Arbeid og kvalifisering\n{marker} Arbeidsgivere må ansette flere.\n"
    )
    assert kinds_and_texts(raw) == [
        ("heading", "1. Bolig"),
        ("bullet", "Det er for få utleieboliger."),
        ("bullet", "Husleien er for høy."),
        ("heading", "2. Arbeid og kvalifisering"),
        ("bullet", "Arbeidsgivere må ansette flere."),
    ]


def test_numbered_items_with_points_under_them_stay_items_beside_a_numbered_sibling() -> None:
    # A numbered list stays a list where the numbers stand next to each other.
    raw = "1. Flere boliger\n2. Mer praksis\n- Særlig for kvinner.\n"
    assert kinds_and_texts(raw) == [
        ("bullet", "Flere boliger"),
        ("bullet", "Mer praksis"),
        ("bullet", "Særlig for kvinner."),
    ]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # Captions, credits and link texts in a run are captions, not points listed
        # without markers: not counted as input.
        (
            "Foto: Ola Nordmann\n\nKilde: SSB\n\nSe hele programmet her\n\n"
            "Fotografen var Ola Nordmann.\n",
            [
                ("caption", "Foto: Ola Nordmann"),
                ("caption", "Kilde: SSB"),
                ("caption", "Se hele programmet her"),
                ("paragraph", "Fotografen var Ola Nordmann."),
            ],
        ),
        (
            "Bildet viser salen.\n\nFoto: Ola Nordmann\nIllustrasjon: Kari Hansen\n"
            "Les mer på nettsidene\n",
            [
                ("paragraph", "Bildet viser salen."),
                ("caption", "Foto: Ola Nordmann"),
                # a line below a caption, with no blank line between, goes on with it
                ("caption", "Illustrasjon: Kari Hansen Les mer på nettsidene"),
            ],
        ),
        # Points with a caption among them stay points, the caption in its place.
        (
            "Flere boliger\n\nFoto: Ola Nordmann\n\nMer praksis\n\nBedre tolker\n",
            [
                ("bullet", "Flere boliger"),
                ("caption", "Foto: Ola Nordmann"),
                ("bullet", "Mer praksis"),
                ("bullet", "Bedre tolker"),
            ],
        ),
        (
            "Flere boliger\nMer praksis\nBedre tolker\n\nKilde: SSB\n\nVi snakket lenge.\n",
            [
                ("bullet", "Flere boliger"),
                ("bullet", "Mer praksis"),
                ("bullet", "Bedre tolker"),
                ("caption", "Kilde: SSB"),
                ("paragraph", "Vi snakket lenge."),
            ],
        ),
    ],
)
def test_captions_in_a_run_are_captions_and_points_stay_points(raw: str, expected: list) -> None:
    # Before, three short unpunctuated caption lines were read as points: counted.
    assert kinds_and_texts(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # Points announced by a colon are items, also one that opens like a caption or a
        # link text: before, it was read as a caption and took the points around it along.
        (
            "Dette er forslagene:\nFlere kurs\nLes mer om ordningen på nettsiden\nBedre tolk\n",
            [
                ("paragraph", "Dette er forslagene:"),
                ("bullet", "Flere kurs"),
                ("bullet", "Les mer om ordningen på nettsiden"),
                ("bullet", "Bedre tolk"),
            ],
        ),
        (
            "Vi foreslår:\nTabell over ledige plasser på nett\nSe hele programmet på nett\n",
            [
                ("paragraph", "Vi foreslår:"),
                ("bullet", "Tabell over ledige plasser på nett"),
                ("bullet", "Se hele programmet på nett"),  # a link text last is a point
            ],
        ),
        # A credit or a source as the last line stands under the list: a caption.
        (
            "Andelen i arbeid:\nBosnia sytti prosent\nSomalia tretti prosent\n"
            "Figur 2 Andel i arbeid etter landbakgrunn\n",
            [
                ("paragraph", "Andelen i arbeid:"),
                ("bullet", "Bosnia sytti prosent"),
                ("bullet", "Somalia tretti prosent"),
                ("caption", "Figur 2 Andel i arbeid etter landbakgrunn"),
            ],
        ),
        # Body text straight below the points, no blank line between: before, the first
        # point was one unit with the colon line and the second a heading, not counted.
        (
            "Vi foreslår følgende:\nMer praksis\nBedre tolketjeneste\n"
            "Kommunen bør se på dette før neste møte i høst.\n",
            [
                ("paragraph", "Vi foreslår følgende:"),
                ("bullet", "Mer praksis"),
                ("bullet", "Bedre tolketjeneste"),
                ("paragraph", "Kommunen bør se på dette før neste møte i høst."),
            ],
        ),
        (  # a short body line below them
            "Vi har snakket om bolig. Vi foreslår:\nFlere kurs\nBedre tolk\nDet haster.\n",
            [
                ("paragraph", "Vi har snakket om bolig. Vi foreslår:"),
                ("bullet", "Flere kurs"),
                ("bullet", "Bedre tolk"),
                ("paragraph", "Det haster."),
            ],
        ),
        # A list with dashes straight below them: before, both points were headings.
        (
            "Vi foreslår følgende:\nMer praksis\nBedre tolketjeneste\n- Flere boliger\n"
            "- Kortere ventetid\n",
            [
                ("paragraph", "Vi foreslår følgende:"),
                ("bullet", "Mer praksis"),
                ("bullet", "Bedre tolketjeneste"),
                ("bullet", "Flere boliger"),
                ("bullet", "Kortere ventetid"),
            ],
        ),
        # A caption standing alone stays one.
        (
            "Figur 2: Andel sysselsatte etter landbakgrunn\nKilde: SSB 2016\n",
            [
                ("caption", "Figur 2: Andel sysselsatte etter landbakgrunn"),
                ("caption", "Kilde: SSB 2016"),
            ],
        ),
    ],
)
def test_points_a_colon_announces_are_items_whatever_their_first_word(
    raw: str, expected: list
) -> None:
    assert kinds_and_texts(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # Bullets that lost their space after them (typed notes, pdftotext) give one item
        # each, their text without the bullet, not one long heading that is not counted.
        (
            "Innspill\n\n•Flere språkkurs på kveldstid\n•Bedre samarbeid med NAV\n"
            "•Les mer om ordningen på nettsiden\n\nDet var stor enighet.\n",
            [
                ("heading", "Innspill"),
                ("bullet", "Flere språkkurs på kveldstid"),
                ("bullet", "Bedre samarbeid med NAV"),
                ("bullet", "Les mer om ordningen på nettsiden"),
                ("paragraph", "Det var stor enighet."),
            ],
        ),
        (
            "Innspill\n\n-Flere språkkurs på kveldstid\n-Bedre samarbeid med NAV\n",
            [
                ("heading", "Innspill"),
                ("bullet", "Flere språkkurs på kveldstid"),
                ("bullet", "Bedre samarbeid med NAV"),
            ],
        ),
        # Only the marker goes: a quote mark or a bracket after it stays in the text.
        (
            "➢«Vi trenger språkpraksis»\n\uf0b7(NAV) må følge opp\n",
            [("bullet", "«Vi trenger språkpraksis»"), ("bullet", "(NAV) må følge opp")],
        ),
        # A run of them holds the wrapped rest of an item ("for unge"), and dashes before
        # lower case are items in a run too: before, each was one heading, not counted.
        (
            "-Flere boliger\nfor unge\n-Bedre tolketjeneste\n",
            [("bullet", "Flere boliger for unge"), ("bullet", "Bedre tolketjeneste")],
        ),
        (
            "-flere boliger for unge\n-bedre tolketjeneste\n",
            [("bullet", "flere boliger for unge"), ("bullet", "bedre tolketjeneste")],
        ),
        ("Hun så opp.\n-nei, sa hun.\n", [("paragraph", "Hun så opp. -nei, sa hun.")]),
        # A dash alone before a capital stays in its sentence, as the user wrote it.
        (
            "Hun så opp.\n-Nei, sa hun.\n",
            [("paragraph", "Hun så opp. -Nei, sa hun.")],
        ),
    ],
)
def test_bullets_without_their_space_are_items(raw: str, expected: list) -> None:
    assert kinds_and_texts(raw) == expected


@pytest.mark.parametrize(
    ("raw", "pdf", "expected"),
    [
        # Two short points below a sentence, then a blank line: before, both were one unit
        # with the sentence ("… tid. Mer praksis Bedre tolketjeneste").
        (
            "Vi har snakket med kommunen om dette i lang tid.\nMer praksis\n"
            "Bedre tolketjeneste\n\nNeste punkt er bolig.\n",
            False,
            [
                ("paragraph", "Vi har snakket med kommunen om dette i lang tid."),
                ("bullet", "Mer praksis"),
                ("bullet", "Bedre tolketjeneste"),
                ("paragraph", "Neste punkt er bolig."),
            ],
        ),
        # At the end of the text, with Windows line ends, below two sentences.
        (
            "Vi snakket lenge om bolig og arbeid.\r\nMange bor trangt.\r\nFlere tolker\r\n"
            "Mer praksis i butikk\r\n",
            False,
            [
                ("paragraph", "Vi snakket lenge om bolig og arbeid. Mange bor trangt."),
                ("bullet", "Flere tolker"),
                ("bullet", "Mer praksis i butikk"),
            ],
        ),
        # Three, the first the longest (no title split off above the others): before,
        # one unit with the sentence too.
        (
            "Det er for få boliger i kommunen.\nBedre tolketjeneste\nMer praksis\nFlere tolker\n",
            False,
            [
                ("paragraph", "Det er for få boliger i kommunen."),
                ("bullet", "Bedre tolketjeneste"),
                ("bullet", "Mer praksis"),
                ("bullet", "Flere tolker"),
            ],
        ),
        # Body text straight below the two points, no blank line between: before, both
        # were headings and not counted.
        (
            "Vi har snakket med kommunen om dette i lang tid.\nMer praksis\n"
            "Bedre tolketjeneste\nNeste punkt er bolig.\n",
            False,
            [
                ("paragraph", "Vi har snakket med kommunen om dette i lang tid."),
                ("bullet", "Mer praksis"),
                ("bullet", "Bedre tolketjeneste"),
                ("paragraph", "Neste punkt er bolig."),
            ],
        ),
        (
            "Det er for få boliger i kommunen.\nMer praksis\nBedre tolketjeneste\n"
            "Vi snakket også lenge om arbeid og skole for de unge i kommunen.\n",
            False,
            [
                ("paragraph", "Det er for få boliger i kommunen."),
                ("bullet", "Mer praksis"),
                ("bullet", "Bedre tolketjeneste"),
                (
                    "paragraph",
                    "Vi snakket også lenge om arbeid og skole for de unge i kommunen.",
                ),
            ],
        ),
        # One short line there is a title over the body text, as before.
        (
            "Det er for få boliger i kommunen.\nArbeid\nFlere trenger jobb i kommunen.\n",
            False,
            [
                ("paragraph", "Det er for få boliger i kommunen."),
                ("heading", "Arbeid"),
                ("paragraph", "Flere trenger jobb i kommunen."),
            ],
        ),
        # Names below a sentence over body text are no points but its signature or its
        # speakers, a heading, not counted; before, the sentence was in that heading too.
        (
            "Det er for få boliger i kommunen.\nKari Nordmann\nOla Hansen\nNeste punkt er bolig.\n",
            False,
            [
                ("paragraph", "Det er for få boliger i kommunen."),
                ("heading", "Kari Nordmann Ola Hansen"),
                ("paragraph", "Neste punkt er bolig."),
            ],
        ),
        (
            "Takk til alle som deltok på møtet i går.\nKari Nordmann\nOla Hansen\n"
            "Neste møte blir i mars og alle er velkomne dit.\n",
            False,
            [
                ("paragraph", "Takk til alle som deltok på møtet i går."),
                ("heading", "Kari Nordmann Ola Hansen"),
                ("paragraph", "Neste møte blir i mars og alle er velkomne dit."),
            ],
        ),
        # A list with dashes straight below the two points: before, both were headings
        # (the list's titles) and not counted.
        (
            "Vi har mange forslag til kommunen om dette.\nMer praksis\nBedre tolketjeneste\n"
            "- Flere boliger\n- Kortere ventetid\n",
            False,
            [
                ("paragraph", "Vi har mange forslag til kommunen om dette."),
                ("bullet", "Mer praksis"),
                ("bullet", "Bedre tolketjeneste"),
                ("bullet", "Flere boliger"),
                ("bullet", "Kortere ventetid"),
            ],
        ),
        # One short line there is the list's title, as before.
        (
            "Vi har mange forslag til kommunen om dette.\nBolig\n- Flere boliger\n"
            "- Kortere ventetid\n",
            False,
            [
                ("paragraph", "Vi har mange forslag til kommunen om dette."),
                ("heading", "Bolig"),
                ("bullet", "Flere boliger"),
                ("bullet", "Kortere ventetid"),
            ],
        ),
        # A PDF's short lines over body text are headings, as before.
        (
            "Det er for få boliger i kommunen.\nMer praksis\nBedre tolketjeneste\n"
            "Neste punkt er bolig.\n",
            True,
            [
                ("paragraph", "Det er for få boliger i kommunen."),
                ("heading", "Mer praksis"),
                ("heading", "Bedre tolketjeneste"),
                ("paragraph", "Neste punkt er bolig."),
            ],
        ),
        # One short line may be the sentence's own last part: it stays with it.
        (
            "Det er for få boliger i kommunen.\nMer praksis\n\nNeste punkt er bolig.\n",
            False,
            [
                ("paragraph", "Det er for få boliger i kommunen. Mer praksis"),
                ("paragraph", "Neste punkt er bolig."),
            ],
        ),
        # A line that runs on ("… for") goes on after the blank line: not points.
        (
            "Det er for få boliger i kommunen.\nMer praksis\nBedre tolketjeneste for\n\n"
            "alle som trenger det.\n",
            False,
            [
                (
                    "paragraph",
                    "Det er for få boliger i kommunen. Mer praksis Bedre tolketjeneste for "
                    "alle som trenger det.",
                )
            ],
        ),
        # Names below a sentence at the end of the block: the sentence is counted, the
        # names a heading; lines below a sentence of fewer than five words read as a
        # title with its subtitle, as before.
        (
            "Det er for få boliger i kommunen.\nKari Nordmann\nOla Hansen\n",
            False,
            [
                ("paragraph", "Det er for få boliger i kommunen."),
                ("heading", "Kari Nordmann Ola Hansen"),
            ],
        ),
        # A closing greeting over names, after a blank line or straight below the last
        # sentence: the text's signature, a heading, not three points counted as input.
        (
            "Det er for få boliger i kommunen.\n\nHilsen\nKari Nordmann\nOla Hansen\n",
            False,
            [
                ("paragraph", "Det er for få boliger i kommunen."),
                ("heading", "Hilsen Kari Nordmann Ola Hansen"),
            ],
        ),
        (
            "Det er for få boliger i kommunen.\nMed vennlig hilsen\nKari Nordmann\nOla Hansen\n",
            False,
            [
                ("paragraph", "Det er for få boliger i kommunen."),
                ("heading", "Med vennlig hilsen Kari Nordmann Ola Hansen"),
            ],
        ),
        (
            "Mer praksis\nFlere tolker\nBedre kurs\n\nMed vennlig hilsen,\nKari Nordmann\n",
            False,
            [
                ("bullet", "Mer praksis"),
                ("bullet", "Flere tolker"),
                ("bullet", "Bedre kurs"),
                ("heading", "Med vennlig hilsen, Kari Nordmann"),
            ],
        ),
        (
            "Boligene er dyre.\nMer praksis\nFlere tolker\n",
            False,
            [("heading", "Boligene er dyre. Mer praksis Flere tolker")],
        ),
        # A PDF's extraction drops the blank lines around headings: its short lines below
        # a sentence are read as before.
        (
            "Det er for få boliger i kommunen.\nMer praksis\nBedre tolketjeneste\n\n"
            "Neste punkt er bolig.\n",
            True,
            [
                ("paragraph", "Det er for få boliger i kommunen."),
                ("heading", "Mer praksis"),
                ("heading", "Bedre tolketjeneste"),
                ("paragraph", "Neste punkt er bolig."),
            ],
        ),
    ],
)
def test_short_points_that_end_a_block_below_a_sentence_are_items(
    raw: str, pdf: bool, expected: list
) -> None:
    blocks = clean_blocks(raw, LEXICON, pages=[0] if pdf else [])
    assert [(block.kind, block.text) for block in blocks] == expected
