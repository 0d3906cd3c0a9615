"""Text typed by hand, with no PDF artefacts, comes out of the clean-up word for word.

The kerning-gap repair of ``tema.segment.clean`` must only join words where the raw text shows a
gap artefact. These tests write meeting notes and report prose of their own, built from
word lists in the register of tema's input (compound nouns in the definite form followed
by "er", "og", "i", "som", ...), and check that every unit's cleaned text has the words of
its raw span, unchanged.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tema.ingest.readers import read_source
from tema.segment.sentences import load_pipeline
from tema.segment.stage import segment_documents, segment_text
from test_pdf import make_pdf

SHIPPED_MODEL = Path(__file__).resolve().parents[1] / "models" / "nb_senter"

# Compound nouns in the definite form, as the notes of an input meeting name things:
# most of them are too rare or too new for a word list, which is the point.
SUBJECTS = (
    "språkkravene", "integreringstiltakene", "introduksjonsprogrammene",
    "kvalifiseringstiltakene", "boligkontorene", "flyktningtjenestene", "norskkursene",
    "arbeidsgiverne", "leiekontraktene", "praksisplassene", "lærlingplassene",
    "mentorordningene", "innvandrerorganisasjonene", "frivilligsentralene",
    "møteplassene", "språkkafeene", "tilskuddsordningene", "bosettingskommunene",
    "helsestasjonene", "barnehageplassene", "ventelistene", "boligprisene",
    "fritidstilbudene", "idrettslagene", "leksehjelpstilbudene", "foreldremøtene",
    "arbeidsmarkedstiltakene", "godkjenningsordningene", "utdanningsløpene",
    "rekrutteringsprosessene", "ansettelsesrutinene", "holdningskampanjene",
    "diskrimineringssakene", "jobbintervjuene", "karriereveilederne", "tolketjenestene",
    "voksenopplæringssentrene", "innspillmøtene", "gruppearbeidene", "dialogmøtene",
    "trangboddheten", "språkkravet", "introduksjonsprogrammet", "boligmarkedet",
    "arbeidsmarkedet", "kvalifiseringsløpet", "norskopplæringen", "voksenopplæringen",
    "integreringsarbeidet", "bosettingen", "frivilligheten", "ventetiden", "husleien",
    "boligsituasjonen", "dialogforumet", "mentorprogrammet", "strikkekafeen",
    "leksehjelpen", "startlånet", "bostøtten", "arbeidspraksisen", "språkpraksisen",
    "helsearbeiderfaget", "fagbrevet", "realkompetansen", "samarbeidsavtalen",
    "områdesatsingen", "nabolagsprosjektet", "ungdomsklubben", "kommuneøkonomien",
)  # fmt: skip
# What follows the subject: a verb or a small word, then the rest of the sentence.
PREDICATES = (
    "er et hinder for mange", "er for strenge", "er mange", "er viktige for integreringen",
    "var tema i flere grupper", "blir stadig viktigere", "ble drøftet i plenum",
    "bør forenkles", "må tilpasses målgruppa", "kan bli bedre", "skal evalueres neste år",
    "har for lang ventetid", "gir gode resultater", "får for lite oppmerksomhet",
    "mangler fleksibilitet", "trenger mer penger", "fungerer godt i små kommuner",
    "oppleves som urettferdige", "virker lite koordinert", "eller mangelen på dem",
    "og ventelistene henger sammen", "i kommunen er for dårlig kjent",
    "i distriktene er et tema", "som kommunen tilbyr, er gode", "over hele landet er like",
    "for unge voksne er viktig", "med tolk fungerer bedre", "på biblioteket er populære",
    "til nyankomne er for få", "etter introduksjonsprogrammet er uklare",
    "uten tolk er vanskelige", "enn før er et problem", "ikke er gode nok",
    "alle steder er ulike", "hele året er et ønske", "også er et tema", "selv er et ansvar",
    "mellom kommunene er ujevne", "sammen med NAV er nødvendige", "igjen er for lange",
    "ene og alene er ikke nok", "en del steder er for dyre", "et par ganger er nok",
    "over tid gir resultater", "av og til er vanskelige", "om høsten er fulle",
)  # fmt: skip
# Sentence frames: {s} is a subject, {p} a predicate.
FRAMES = (
    "{S} {p}.",
    "Deltakerne mente at {s} {p}.",
    "Flere pekte på at {s} {p}.",
    "Gruppe 3 var enige om at {s} {p}.",
    "I Tromsø sa innlederen at {s} {p}.",
    "Ordstyrer Hege Bakkeby oppsummerte: {s} {p}.",
    "Det ble sagt at {s} {p}, og at det haster.",
    "Er det slik at {s} {p}?",
    "• {S} {p}",
    "– {S} {p}",
)


def sentence(frame: str, subject: str, predicate: str) -> str:
    return frame.format(S=subject[:1].upper() + subject[1:], s=subject, p=predicate)


@pytest.fixture(scope="module")
def senter():
    return load_pipeline(str(SHIPPED_MODEL))


def changed_units(text: str, nlp) -> list[tuple[str, str]]:
    """(raw span, cleaned text) of every unit whose words the clean-up changed; a bullet
    item's marker is not part of its text."""
    changed = []
    for unit in segment_text(text, nlp):
        raw = text[unit.start : unit.end]
        raw_words = raw.split()
        if raw_words[0] in ("•", "–") and unit.text.split()[0] != raw_words[0]:
            raw_words = raw_words[1:]
        if unit.text.split() != raw_words:
            changed.append((raw, unit.text))
    return changed


def test_issue_sentences_are_not_glued(senter) -> None:
    text = "Språkkravene er et hinder.\n\nIntegreringstiltakene er mange.\n"
    assert [unit.text for unit in segment_text(text, senter)] == [
        "Språkkravene er et hinder.",
        "Integreringstiltakene er mange.",
    ]


def test_every_subject_before_every_predicate_keeps_its_words(senter) -> None:
    # The whole product, two frames each: 70 subjects x 46 predicates = 6,440 sentences.
    paragraphs = [
        " ".join(sentence(frame, subject, predicate) for frame in FRAMES[:2])
        for subject, predicate in itertools.product(SUBJECTS, PREDICATES)
    ]
    text = "\n\n".join(paragraphs) + "\n"
    assert changed_units(text, senter) == []


def wrap(words: list[str], width: int) -> str:
    """Hard line breaks at spaces, as notes typed in a plain editor have them."""
    lines, line = [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return "\n".join([*lines, line])


sentences = st.builds(
    sentence, st.sampled_from(FRAMES), st.sampled_from(SUBJECTS), st.sampled_from(PREDICATES)
)
paragraphs = st.builds(
    lambda items, width: wrap(" ".join(items).split(), width),
    st.lists(sentences, min_size=1, max_size=12),
    st.integers(40, 200),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(paragraphs, min_size=1, max_size=3).map("\n\n".join))
def test_notes_without_pdf_artefacts_keep_their_words(senter, text: str) -> None:
    # 300 texts of up to 36 sentences: several thousand sentences in all.
    assert changed_units(text, senter) == []


def test_a_pdf_keeps_words_apart_and_closes_its_kerning_gaps(senter, tmp_path: Path) -> None:
    # A PDF is where kerning gaps come from, so weaker evidence closes a gap in it
    # ("skatte betalere"); words next to the commonest words still stay apart.
    lines = [
        "Språkkravene er et hinder for mange.",
        "Integreringstiltakene er mange, men de er dårlig kjent.",
        "Alle som bor i Norge skal være skatte betalere.",
    ]
    source = read_source(make_pdf(tmp_path / "notat.pdf", [lines]))
    units = segment_documents([("notat.pdf", source.text, source.pages)], senter)
    assert [unit.text for _doc, unit in units] == [
        "Språkkravene er et hinder for mange.",
        "Integreringstiltakene er mange, men de er dårlig kjent.",
        "Alle som bor i Norge skal være skattebetalere.",
    ]
