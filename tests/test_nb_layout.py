"""Table-driven checks of the Norwegian layout rules in tema.segment.nb_layout."""

from __future__ import annotations

import pytest

from tema.segment import nb_layout


@pytest.mark.parametrize(
    ("line", "bullet", "dash_bullet", "numbered"),
    [
        ("• Fokus på arbeid.", True, False, False),
        ("  ▪ Tiltak", True, False, False),
        ("– Mer fokus på skole.", False, True, False),
        ("- Vi jobber med det.", False, True, False),
        ("– gi dem en sjanse", False, False, False),  # a dash before lower case: no item
        ("- “Vi trenger språkpraksis”", False, True, False),  # a quoted item
        ("\uf0b7 Flere boliger", True, False, False),  # Word's bullet, extracted from a PDF
        ("→ Mer språkpraksis", True, False, False),
        ("> Vi bor fem personer på to rom", True, False, False),  # a quoted voice in notes
        ("o Underpunkt om skole", False, False, True),  # Word's sub-item bullet
        ("o jeg vet ikke", False, False, False),
        ("– (NAV) må følge opp", False, True, False),
        ("1. Første punkt", False, False, True),
        ("a) Første punkt", False, False, True),
        # A letter with a full stop is an item only in a lettered list (LETTERED_ITEM_LINE).
        ("a. Første punkt", False, False, False),
        ("s. Ordet står der", False, False, False),  # "side" opening a wrapped line
        ("ii. Andre punkt", False, False, True),  # roman numbers of two letters or more
        ("v. Kari Nordmann", False, False, False),  # "ved": one letter, as above
        ("v) Femte punkt", False, False, True),
        ("iv) Fjerde punkt", False, False, True),
        ("(1) Første punkt", False, False, True),
        ("(b) Andre punkt", False, False, True),
        ("a. gjelder ikke", False, False, False),  # before lower case: no item
        ("A. Hansen sa at det haster", False, False, False),  # an initial
        ("ab. Noe", False, False, False),
        ("17. mai er nasjonaldagen", False, False, False),
        ("•ingen mellomrom", False, False, False),
        ("Vanlig tekst", False, False, False),
    ],
)
def test_list_item_lines(line: str, bullet: bool, dash_bullet: bool, numbered: bool) -> None:
    assert bool(nb_layout.BULLET_LINE.match(line)) is bullet
    assert bool(nb_layout.DASH_BULLET_LINE.match(line)) is dash_bullet
    assert bool(nb_layout.NUMBERED_ITEM_LINE.match(line)) is numbered


# A bullet without the space after it, as typed notes and pdftotext give it: (line, the
# marker a glued bullet ends at or None, the same for a dash or dot that a run makes an
# item, whether the line counts towards such a run).
GLUED_MARKER_CASES = [
    ("•Flere språkkurs på kveldstid", 1, None, False),
    ("  ▪Tiltak", 3, None, False),
    ("●ingen mellomrom", 1, None, False),  # a dedicated bullet: lower case too
    ("■12 nye plasser", 1, None, False),
    ("➢«Vi trenger språkpraksis»", 1, None, False),
    ("✓(NAV) følger opp", 1, None, False),
    ("\uf0b7Flere boliger", 1, None, False),  # Word's bullet, extracted from a PDF
    ("•", None, None, False),  # a bullet alone: LONE_BULLET_LINE's
    ("••••", None, None, False),  # a rule of bullets: noise
    ("• Flere boliger", None, None, False),  # with its space: BULLET_LINE's
    # Marks with other uses at a line start need their space, or a run.
    ("*Diskriminering* i arbeidslivet", None, None, False),  # Markdown emphasis
    ("*Se vedlegg", None, None, False),  # a footnote
    (">Hei Kari", None, None, False),  # a line quoted in an e-mail
    (">5 år botid", None, None, False),  # more than five years
    ("·Flere boliger", None, 1, True),
    ("∙Flere boliger", None, 1, True),
    ("-Flere språkkurs", None, 1, True),
    ("  –Bedre samarbeid med NAV", None, 3, True),
    ("—Mer praksis", None, 1, True),
    ("-Nei, sa hun", None, 1, True),  # a candidate: tema.segment.lines wants a run
    ("- Flere språkkurs", None, None, True),  # spaced: DASH_BULLET_LINE's, in a run too
    ("· Flere boliger", None, None, True),
    ("-20 grader", None, None, False),  # a minus
    # A dash before lower case: a hyphen a line break put first ("-kontoret") alone, an
    # item in a run ("-flere boliger" / "-bedre tolketjeneste"), with or without the
    # space (spaced alone: LOWER_DASH_ITEM_LINE's); not a middle dot.
    ("-kontoret", None, 1, True),
    ("  –flere boliger", None, 3, True),
    ("- flere boliger", None, None, True),
    ("·flere boliger", None, None, False),
    ("--Flere", None, None, False),
    ("Flere boliger", None, None, False),
]


@pytest.mark.parametrize(("line", "glued", "glued_in_run", "in_run"), GLUED_MARKER_CASES)
def test_bullets_without_their_space(
    line: str, glued: int | None, glued_in_run: int | None, in_run: bool
) -> None:
    found = nb_layout.GLUED_BULLET_LINE.match(line)
    assert (found.end() if found else None) == glued
    found = nb_layout.GLUED_RUN_ITEM_LINE.match(line)
    assert (found.end() if found else None) == glued_in_run
    assert bool(nb_layout.RUN_ITEM_LINE.match(line)) is in_run


@pytest.mark.parametrize(
    ("line", "letter"),
    [
        ("a. Flere boliger", "a"),
        ("  b. Mer praksis", "b"),
        ("s. Ordet står der", "s"),  # a candidate: tema.segment.lines decides
        ("a. gjelder ikke", None),  # before lower case: no item
        ("A. Hansen sa det", None),  # an initial
        ("a) Flere boliger", None),  # NUMBERED_ITEM_LINE's
        ("ab. Noe", None),
    ],
)
def test_lettered_item_line(line: str, letter: str | None) -> None:
    found = nb_layout.LETTERED_ITEM_LINE.match(line)
    assert (found[1] if found else None) == letter


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("https://www.regjeringen.no/no/aktuelt/id123/?a=1&b=2", True),
        ("  http://example.no/  ", True),
        ("www.nav.no", True),
        ("Se www.nav.no for mer", False),
        ("Ingen lenke her", False),
    ],
)
def test_url_line(line: str, expected: bool) -> None:
    assert bool(nb_layout.URL_LINE.match(line)) is expected


@pytest.mark.parametrize(
    ("line", "toc", "page_label", "footnote", "section_number"),
    [
        ("1. Innledning ............................ 3", True, False, False, True),
        ("Bolig . . . . . . . . 14", True, False, False, False),
        ("Arbeidsgivere …………… 6", True, False, False, False),
        ("Det var slik... 3", False, False, False, False),
        ("Side 4 av 12", False, True, False, False),
        ("side 7", False, True, False, False),
        ("4 / 12", False, True, False, False),
        ("Side 4 av 12 sider handler om bolig", False, False, False, False),
        ("¹ Jf. Meld. St. 30 (2015–2016)", False, False, True, False),
        ("²³ Tall fra SSB", False, False, True, False),
        ("2. Utdanning og kvalifisering", False, False, False, True),
        ("2) Utdanning og kvalifisering", False, False, False, False),
        ("17. mai-feiringen", False, False, False, False),
    ],
)
def test_report_layout_lines(
    line: str, toc: bool, page_label: bool, footnote: bool, section_number: bool
) -> None:
    assert bool(nb_layout.TOC_LINE.search(line)) is toc
    assert bool(nb_layout.PAGE_LABEL_LINE.match(line)) is page_label
    assert bool(nb_layout.FOOTNOTE_LINE.match(line)) is footnote
    assert bool(nb_layout.SECTION_NUMBER_LINE.match(line)) is section_number


# Rules for the lines of notes: (rule, text, whether the rule holds for it).
NOTES_RULE_CASES = [
    ("programme", "Kl. 10.15  Innledninger", True),
    ("programme", "09.00–09.30 Registrering og kaffe", True),
    ("programme", "13:00 Gruppearbeid", True),
    ("programme", "kl. 10.00 med velkomst fra ordføreren.", False),  # a wrapped sentence
    ("programme", "10.00 var alle på plass.", False),
    ("programme", "2017 var et godt år", False),
    ("label", "Kontakt: post@imdi.no", True),
    ("label", "Neste møte: 3. april", True),
    ("label", "Gruppe 2: Arbeidsliv", True),
    ("label", "https://www.imdi.no", False),
    ("label", "NAV og kommunen må samarbeide", False),
    ("label", "og videre: mer", False),
    ("statement", "Kommunen må ansette flere boligkonsulenter", True),
    ("statement", "Vi savner et tilbud på kveldstid", True),
    ("statement", "Arbeidsgivere trenger mer informasjon om tilskudd", True),
    ("statement", "Hva må til for å lykkes i arbeidslivet", False),  # a question: a heading
    ("statement", "Kommunen må bygge", False),  # too short to tell from a title
    ("statement", "Utdanning og kvalifisering for voksne innvandrere", False),
    ("statement", "Parallellsesjon 2 Frivillig sektor og idrett", False),
    ("statement", "Kommunen treng fleire bustader for unge", True),  # Nynorsk
    ("question", "Kva fungerer ikkje?", True),
    ("question", "Hva fungerer ikke?", True),
    ("question", "Hvordan kan frivilligheten bidra?", True),
    ("question", "Hva fungerer ikke", False),  # no question mark
    ("question", "Fungerer det?", False),  # no question word first
    ("question", "", False),
    ("input label", "Svar 2: Praksisplass som fører til jobb", True),
    ("input label", "Forslag: Mer kurs", True),
    ("input label", "Kontakt: Kari Nordmann", False),  # a field, not input
    ("input label", "Parallellsesjon 2: Frivillig sektor", False),
    ("input label", "Svar uten kolon", False),
    ("greeting", "Hilsen", True),
    ("greeting", "Med vennlig hilsen", True),
    ("greeting", "Med venleg helsing,", True),  # Nynorsk, a comma after it
    ("greeting", "Mvh.", True),
    ("greeting", "Hilsen fra ordføreren", False),  # a title: the greeting of a speech
    ("greeting", "Vi sender en hilsen til alle", False),
]


NOTES_RULES = {
    "programme": lambda text: bool(nb_layout.PROGRAMME_LINE.match(text)),
    "label": lambda text: bool(nb_layout.LABEL_LINE.match(text)),
    "statement": nb_layout.is_statement,
    "question": nb_layout.is_question_line,
    "input label": nb_layout.has_input_label,
    "greeting": nb_layout.is_greeting,
}


@pytest.mark.parametrize(("rule", "text", "expected"), NOTES_RULE_CASES)
def test_rules_for_lines_of_notes(rule: str, text: str, expected: bool) -> None:
    assert NOTES_RULES[rule](text) is expected


@pytest.mark.parametrize(
    ("line", "runs_on"),
    [
        ("Vi trenger flere boliger i", True),
        ("Mange mente at det hastet,", True),
        ("Bedre samarbeid med NAV og", True),
        ("kvalifi-", True),
        ("Utdannings\u00ad", True),
        ("Bolig", False),
        ("Deltakerne ønsket mer praksis.", False),
        ("Mer kunnskap om diskriminering i rekruttering", False),
    ],
)
def test_a_line_that_runs_on_into_the_next(line: str, runs_on: bool) -> None:
    assert nb_layout.runs_on(line) is runs_on


def test_caption_prefixes_are_lower_case_as_they_are_compared() -> None:
    assert all(prefix == prefix.lower() for prefix in nb_layout.CAPTION_PREFIXES)
