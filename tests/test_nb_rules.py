"""Table-driven checks of the Norwegian rules in tema.segment.nb_rules."""

from __future__ import annotations

import pytest

from tema.segment import nb_rules


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("f.eks.", True),
        ("F.eks.", True),
        ("bl.a.", True),
        ("mht.", True),
        ("m.m.", True),
        ("jf.", True),
        ("ca.", True),
        ("St.meld.", True),
        ("Prop.", True),
        ("iht.", True),
        ("fung.", True),  # "fung. direktør" in government text
        ("Jf.", True),
        ("pr.", True),
        ("f.", True),
        ("eks.", True),
        ("dvs.", True),
        ("Chr.", True),  # no vowel: an abbreviation even though not listed
        ("kr.", True),
        ("H.", True),  # an initial
        ("landet.", False),
        ("Oslo.", False),
        ("2017.", False),
        ("og", False),
    ],
)
def test_is_abbreviation(word: str, expected: bool) -> None:
    assert nb_rules.is_abbreviation(word) is expected


@pytest.mark.parametrize(
    ("word", "is_number", "is_year"),
    [
        ("17.", True, False),
        ("3.", True, False),
        ("2017.", True, True),
        ("1814.", True, True),
        ("12345.", False, False),
        ("17", False, False),
        ("mai.", False, False),
    ],
)
def test_numbers_with_full_stop(word: str, is_number: bool, is_year: bool) -> None:
    assert bool(nb_rules.NUMBER_WITH_STOP.match(word)) is is_number
    assert bool(nb_rules.YEAR_WITH_STOP.match(word)) is is_year


@pytest.mark.parametrize(
    ("word", "expected"),
    [("mai", True), ("Mai", True), ("desember", True), ("des.", True), ("maien", False)],
)
def test_is_month(word: str, expected: bool) -> None:
    assert nb_rules.is_month(word) is expected


def test_months_follow_ordinals() -> None:
    assert set(nb_rules.MONTHS) <= nb_rules.ORDINAL_FOLLOWERS
    assert len(nb_rules.MONTHS) == 12


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
        ("a. Første punkt", False, False, True),  # lettered lists take a full stop too
        ("ii. Andre punkt", False, False, True),  # roman numbers
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
    assert bool(nb_rules.BULLET_LINE.match(line)) is bullet
    assert bool(nb_rules.DASH_BULLET_LINE.match(line)) is dash_bullet
    assert bool(nb_rules.NUMBERED_ITEM_LINE.match(line)) is numbered


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
    assert bool(nb_rules.URL_LINE.match(line)) is expected


@pytest.mark.parametrize(
    ("text", "terminal", "any_punctuation"),
    [
        ("Dette er en setning.", True, True),
        ("Er det sant?", True, True),
        ("Han sa «ja.»", True, True),
        ("(se rapporten.)", True, True),
        ("Følgende tiltak:", False, True),
        ("Innledning", False, False),
        ("Bolig ", False, False),
    ],
)
def test_sentence_endings(text: str, terminal: bool, any_punctuation: bool) -> None:
    assert bool(nb_rules.ENDS_WITH_TERMINAL.search(text)) is terminal
    assert bool(nb_rules.ENDS_WITH_ANY_PUNCTUATION.search(text)) is any_punctuation


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Ventetiden er lang. Mange bor trangt", True),
        ("Hva gjør vi nå? Vi må handle", True),
        ("Han sa «nei.» Det var klart", True),
        ("Flere boliger", False),
        ("Dette er en setning.", False),  # nothing after its end
        ("Flere boliger, f.eks. Utleieboliger", False),  # an abbreviation
        ("Møte med dr. Hansen og A. Olsen", False),  # a title, an initial
        ("2. Bolig og bosetting", False),  # a number
        ("Ventetiden er lang. mange bor trangt", False),  # no capital after it
    ],
)
def test_a_sentence_end_inside_a_line(line: str, expected: bool) -> None:
    assert nb_rules.holds_sentence_end(line) is expected


@pytest.mark.parametrize(
    ("text", "found"),
    [("Ã¸", "Ã¸"), ("dÃ¥rlig", "Ã¥"), ("Ã†", "Ã†"), ("ø å æ", None), ("Ã", None)],
)
def test_mojibake_pattern(text: str, found: str | None) -> None:
    match = nb_rules.MOJIBAKE.search(text)
    assert (match.group() if match else None) == found


@pytest.mark.parametrize(
    ("text", "upper", "lower"),
    [
        ("Regjeringen", True, False),
        ("Østlandet", True, False),
        ("«Hei»", True, False),
        ("2017", True, False),
        ("og", False, True),
        ("ærlig", False, True),
        ("(se", False, True),
    ],
)
def test_starts_upper_or_lower(text: str, upper: bool, lower: bool) -> None:
    assert bool(nb_rules.STARTS_UPPER.match(text)) is upper
    assert bool(nb_rules.STARTS_LOWER.match(text)) is lower


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("+47", True),  # a phone number in international form
        ("+4722334455", True),
        ("@NAV", True),  # a handle
        ("@nav_no", True),
        ("#integrering", True),  # a hashtag
        ("+", False),  # a plus alone is a sign in running text ("2 + 2")
        ("@", False),
        ("og", False),
    ],
)
def test_sentence_opening_signs(word: str, expected: bool) -> None:
    assert bool(nb_rules.SENTENCE_OPENING_SIGN.match(word)) is expected


def test_rule_tables_are_lower_case_where_compared_lower_case() -> None:
    assert all(word == word.lower() for word in nb_rules.ABBREVIATIONS)
    assert nb_rules.SENTENCE_END_ABBREVIATIONS <= nb_rules.ABBREVIATIONS
    assert nb_rules.TITLE_ABBREVIATIONS <= nb_rules.ABBREVIATIONS
    assert not nb_rules.TITLE_ABBREVIATIONS & nb_rules.ABBREVIATIONS_ALSO_WORDS
    # Measures are abbreviations, listed or without a vowel ("pst.", "t.").
    assert all(nb_rules.is_abbreviation(word) for word in nb_rules.MEASURE_ABBREVIATIONS)
    assert all(word == word.lower() for word in nb_rules.MEASURE_ABBREVIATIONS)
    assert all(word == word.lower() for word in nb_rules.SUSPENDED_COMPOUND_FOLLOWERS)
    assert all(prefix == prefix.lower() for prefix in nb_rules.CAPTION_PREFIXES)


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
    assert bool(nb_rules.TOC_LINE.search(line)) is toc
    assert bool(nb_rules.PAGE_LABEL_LINE.match(line)) is page_label
    assert bool(nb_rules.FOOTNOTE_LINE.match(line)) is footnote
    assert bool(nb_rules.SECTION_NUMBER_LINE.match(line)) is section_number


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
]
NOTES_RULES = {
    "programme": lambda text: bool(nb_rules.PROGRAMME_LINE.match(text)),
    "label": lambda text: bool(nb_rules.LABEL_LINE.match(text)),
    "statement": nb_rules.is_statement,
    "question": nb_rules.is_question_line,
    "input label": nb_rules.has_input_label,
}


@pytest.mark.parametrize(("rule", "text", "expected"), NOTES_RULE_CASES)
def test_rules_for_lines_of_notes(rule: str, text: str, expected: bool) -> None:
    assert NOTES_RULES[rule](text) is expected


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (["Ola", "Nordmann"], True),
        (["Tore", "O.", "Sandvik"], True),
        (["Status"], False),  # one word: a label
        (["Svar", "2"], False),
        (["Det", "andre", "apparatet"], False),
        (["Anne", "Marie", "Berg", "Olsen", "Haugen"], False),  # too long for a name
    ],
)
def test_is_name(words: list[str], expected: bool) -> None:
    assert nb_rules.is_name(words) is expected


@pytest.mark.parametrize(("word", "expected"), [("er", True), ("var", True), ("lyder", True),
                                                ("ting", False), ("sa", False)])  # fmt: skip
def test_colon_complement_verbs(word: str, expected: bool) -> None:
    assert (word in nb_rules.COLON_COMPLEMENT_VERBS) is expected


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
    assert nb_rules.runs_on(line) is runs_on
