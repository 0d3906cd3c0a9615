"""Table-driven checks of the Norwegian sentence rules in tema.segment.nb_sentences."""

from __future__ import annotations

import pytest

from tema.segment import nb_sentences


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
    assert nb_sentences.is_abbreviation(word) is expected


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
    assert bool(nb_sentences.NUMBER_WITH_STOP.match(word)) is is_number
    assert bool(nb_sentences.YEAR_WITH_STOP.match(word)) is is_year


@pytest.mark.parametrize(
    ("word", "expected"),
    [("mai", True), ("Mai", True), ("desember", True), ("des.", True), ("maien", False)],
)
def test_is_month(word: str, expected: bool) -> None:
    assert nb_sentences.is_month(word) is expected


def test_months_follow_ordinals() -> None:
    assert set(nb_sentences.MONTHS) <= nb_sentences.ORDINAL_FOLLOWERS
    assert len(nb_sentences.MONTHS) == 12


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
    assert bool(nb_sentences.ENDS_WITH_TERMINAL.search(text)) is terminal
    assert bool(nb_sentences.ENDS_WITH_ANY_PUNCTUATION.search(text)) is any_punctuation


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
    assert nb_sentences.holds_sentence_end(line) is expected


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
    assert bool(nb_sentences.SENTENCE_OPENING_SIGN.match(word)) is expected


def test_sentence_rule_tables_are_lower_case_where_compared_lower_case() -> None:
    assert all(word == word.lower() for word in nb_sentences.ABBREVIATIONS)
    assert nb_sentences.SENTENCE_END_ABBREVIATIONS <= nb_sentences.ABBREVIATIONS
    assert nb_sentences.TITLE_ABBREVIATIONS <= nb_sentences.ABBREVIATIONS
    assert not nb_sentences.TITLE_ABBREVIATIONS & nb_sentences.ABBREVIATIONS_ALSO_WORDS
    # Measures are abbreviations, listed or without a vowel ("pst.", "t.").
    assert all(nb_sentences.is_abbreviation(word) for word in nb_sentences.MEASURE_ABBREVIATIONS)
    assert all(word == word.lower() for word in nb_sentences.MEASURE_ABBREVIATIONS)


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
    assert nb_sentences.is_name(words) is expected


@pytest.mark.parametrize(("word", "expected"), [("er", True), ("var", True), ("lyder", True),
                                                ("ting", False), ("sa", False)])  # fmt: skip
def test_colon_complement_verbs(word: str, expected: bool) -> None:
    assert (word in nb_sentences.COLON_COMPLEMENT_VERBS) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("vi trenger flere plasser. kommunen bør gjøre mer.", True),
        ("kommunen bør samarbeide med NAV. det haster.", True),  # an acronym inside
        ("«vi vil ha jobb.» sa de.", True),  # the first letter counts, not a quote mark
        ("vi trenger flere plasser", True),  # one sentence in lower case
        ("Vi trenger flere plasser. kommunen bør gjøre mer.", False),  # a capital first
        ("vi trenger flere plasser. Kommunen bør gjøre mer.", False),  # a capitalised start
        ("2 av 3 kom. de var fornøyde.", True),  # a number first: its first letter counts
        ("NAV bør gjøre mer. det haster.", False),  # a capital first, also an acronym's
        # A capital first: two or more sentence ends before a lower-case word, none
        # before a capital; abbreviations' and numbers' full stops are not counted.
        ("Vi trenger plasser. kommunen bør gjøre mer. det haster.", True),
        ("Hva nå? vi venter! det er alt.", True),
        ("Det gjelder bl.a. kommunen og f.eks. nav. mer om det i mai.", False),
        ("Det kom ca. 30 pers. møtte opp, kl. 10. deretter prof. hansen.", False),
        ("Vi har prøvd alt. nav må ta over. det haster.", False),  # "alt." is listed
        ("Kurset er godt i dag. det er lange ventelister.", False),  # one slip
        ("Vi trenger plasser. kommunen bør gjøre mer. det haster. Neste møte er i mai.", False),
        ("Vi vet ikke... kanskje. eller ikke.", False),  # an ellipsis is no sentence end
        ("", False),
    ],
)
def test_text_written_in_lower_case(text: str, expected: bool) -> None:
    assert nb_sentences.written_in_lower_case(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Vi trenger plasser. kommunen bør gjøre mer. det haster!", 2),
        ("Hva nå? vi venter! det er alt.", 2),
        ("Det gjelder bl.a. kommunen, f. eks. nav, jf. referatet. vi møtes.", 1),
        ("Vi kom kl. 10. deretter i 2017. neste år hver 2. uke.", 0),  # numbers
        ("Vi var 41 pers. møtte og 3 mnd. senere adm. dir. olsen.", 0),  # listed ones
        ("Brev fra Chr. hansen og Eli H. hansen.", 0),  # no vowel, an initial
        ("Vi vet ikke... kanskje. «Nei!» svarte hun.", 0),  # an ellipsis, a quotation
        ("Vi trenger plasser. Kommunen bør gjøre mer.", 0),
    ],
)
def test_lower_case_starts_counts_sentence_ends_before_lower_case(text: str, expected: int) -> None:
    assert nb_sentences.lower_case_starts(text) == expected


@pytest.mark.parametrize(
    ("mark", "closing", "expected"),
    [
        ("!", "»", True),  # «nei!» og gikk
        ("?", "»", True),
        ("!", '"', True),
        ("?", "”", True),
        (".", "»", False),  # «det er bra.» vi gikk: the sentence ends
        ("!", ")", False),  # a bracket closes no speech
        ("…", "»", False),
    ],
)
def test_quoted_speech_ends_before_its_sentence_does(
    mark: str, closing: str, expected: bool
) -> None:
    assert nb_sentences.ends_quoted_speech(mark, closing) is expected
