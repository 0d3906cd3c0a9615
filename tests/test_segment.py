"""The segmentation stage: units, offsets, kinds, the shipped pipeline, bad input."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tema.segment.sentences import SENTENCIZER, load_pipeline
from tema.segment.stage import segment_documents, segment_text
from tema.segment.units import BODY_KINDS, FRAME_COLUMNS, UNIT_KINDS, Unit, units_to_frame

# Found from this file only to run the tests from any folder; tema itself resolves
# spacy_model against the working directory.
SHIPPED_MODEL = Path(__file__).resolve().parents[1] / "models" / "nb_senter"


@pytest.fixture(scope="module")
def senter():
    return load_pipeline(str(SHIPPED_MODEL))


@pytest.fixture(scope="module")
def sentencizer():
    return load_pipeline(SENTENCIZER)


def sentences(text: str, nlp) -> list[str]:
    return [unit.text for unit in segment_text(text, nlp)]


def assert_well_formed(text: str, units: list[Unit]) -> None:
    """Units in order, not overlapping, inside the text, trimmed, and covering every
    character that is not white space."""
    previous_end = 0
    covered = set()
    for index, unit in enumerate(units):
        assert unit.unit == index
        assert unit.kind in UNIT_KINDS
        assert previous_end <= unit.start < unit.end <= len(text)
        raw = text[unit.start : unit.end]
        assert raw == raw.strip()
        previous_end = unit.end
        covered.update(range(unit.start, unit.end))
        if unit.repeat_of is not None:
            assert unit.kind == "quote"
            assert units[unit.repeat_of].kind in BODY_KINDS
    missing = [i for i, char in enumerate(text) if not char.isspace() and i not in covered]
    assert not missing, f"characters outside every unit: {[text[i] for i in missing[:10]]}"


REPORT = (
    " Innledning\n"
    "Regjeringen holdt konferansen i Oslo den 17. mai med 200 deltakere. Målet var\n"
    "å gi lokale organisasjoner anledning til å møte politikere, f.eks. statsråder,\n"
    "bl.a. om arbeid. Konferansen ble holdt i 2017. Neste år kommer flere interes-\n"
    "senter.\n\n"
    "Tiltak og tilbud\n\n"
    "• Utdannings- og kvalifiseringsløpet må bli bedre. Det haster.\n"
    "• NAV-tiltak må tilpasses målgruppa\n\n"
    "’’Målet var å gi lokale organisasjoner\nanledning til å møte politikere\n\n"
    "https://www.example.no/rapport\n"
)


def test_units_of_a_small_report(senter) -> None:
    units = segment_text(REPORT, senter)
    assert_well_formed(REPORT, units)
    assert [(u.kind, u.text) for u in units] == [
        ("heading", "Innledning"),
        ("sentence", "Regjeringen holdt konferansen i Oslo den 17. mai med 200 deltakere."),
        (
            "sentence",
            "Målet var å gi lokale organisasjoner anledning til å møte politikere, "
            "f.eks. statsråder, bl.a. om arbeid.",
        ),
        ("sentence", "Konferansen ble holdt i 2017."),
        ("sentence", "Neste år kommer flere interessenter."),
        ("heading", "Tiltak og tilbud"),
        ("bullet", "Utdannings- og kvalifiseringsløpet må bli bedre."),
        ("bullet", "Det haster."),
        ("bullet", "NAV-tiltak må tilpasses målgruppa"),
        ("quote", "’’Målet var å gi lokale organisasjoner anledning til å møte politikere"),
        ("url", "https://www.example.no/rapport"),
    ]
    assert units[0].section == "Innledning"
    assert units[1].section == "Innledning"
    assert units[6].section == "Tiltak og tilbud"
    quote = units[9]
    assert quote.repeat_of == 2  # the body sentence it repeats
    # The bullet unit's raw span starts at the bullet mark.
    assert REPORT[units[6].start] == "•"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Vi så f.eks. at de kom. Det var bra.", ["Vi så f.eks. at de kom.", "Det var bra."]),
        ("Møtet var 17. mai i Oslo. Alle kom.", ["Møtet var 17. mai i Oslo.", "Alle kom."]),
        ("Det skjedde i 2017. Neste år kom flere.", ["Det skjedde i 2017.", "Neste år kom flere."]),
        (
            "Se St.meld. nr. 6 om saken. Den kom i fjor.",
            ["Se St.meld. nr. 6 om saken.", "Den kom i fjor."],
        ),
        ("Han sa «dette går bra.» Så gikk han.", ["Han sa «dette går bra.»", "Så gikk han."]),
        ("Hva gjør vi nå? Vi venter.", ["Hva gjør vi nå?", "Vi venter."]),
        (
            "De tok opp kurs, møter m.m. Neste sak var bolig.",
            ["De tok opp kurs, møter m.m.", "Neste sak var bolig."],
        ),
        ("Prisen er ca. 100 kr. pr. måned.", ["Prisen er ca. 100 kr. pr. måned."]),
        # Capitalised abbreviations, which spaCy's case-sensitive tokenizer splits.
        (
            "Jf. Meld. St. 30 (2015–2016) Fra mottak til arbeidsliv. Prop. 1 S kom senere.",
            ["Jf. Meld. St. 30 (2015–2016) Fra mottak til arbeidsliv.", "Prop. 1 S kom senere."],
        ),
        (
            "Tilbudet er for kort.¹ Kommunene bør forlenge det.",
            ["Tilbudet er for kort.¹", "Kommunene bør forlenge det."],
        ),
        ("Møtet var i regi av NAV. Neste sak.", ["Møtet var i regi av NAV.", "Neste sak."]),
        ("2. Utdanning og kvalifisering", ["2. Utdanning og kvalifisering"]),
        # A colon before a capital: a new sentence after a clause ...
        (
            "Gruppen var enig om to ting: Kursene må starte tidligere.",
            ["Gruppen var enig om to ting:", "Kursene må starte tidligere."],
        ),
        # ... but not after a label (alone it would be counted beside its sentence), a
        # name, an input label or a verb whose complement follows.
        (
            "Status: Det er uklart når tilbudet kommer.",
            ["Status: Det er uklart når tilbudet kommer."],
        ),
        ("Bolig: For få kommunale boliger.", ["Bolig: For få kommunale boliger."]),
        (
            "Ola Nordmann: Han mener kommunen må gjøre mer.",
            ["Ola Nordmann: Han mener kommunen må gjøre mer."],
        ),
        ("Svar 2: Kommunen må bosette flere.", ["Svar 2: Kommunen må bosette flere."]),
        (
            "Rådet hennes er: Ha tålmodighet og spør om hjelp.",
            ["Rådet hennes er: Ha tålmodighet og spør om hjelp."],
        ),
        # A bracket or a bullet after a sentence end opens the next sentence.
        (
            "Det gjorde vi. (Og det angrer vi ikke på.)",
            ["Det gjorde vi.", "(Og det angrer vi ikke på.)"],
        ),
        (
            "Tilbudet er for dårlig. • Ventetiden er for lang.",
            ["Tilbudet er for dårlig.", "• Ventetiden er for lang."],
        ),
        # A lower-case abbreviation spaCy splits off its full stop, before a number or an
        # acronym, does not end the sentence; a word that is also one ("kom.") still does.
        (
            "Det er utfordringer ift. NAV og kommunen. Det kom omkr. 30 deltakere.",
            ["Det er utfordringer ift. NAV og kommunen.", "Det kom omkr. 30 deltakere."],
        ),
        # A straight quote after a space opens a quotation, which starts a sentence.
        (
            'Det var et godt møte. "Vi trenger mer praksis," sa en deltaker.',
            ["Det var et godt møte.", '"Vi trenger mer praksis," sa en deltaker.'],
        ),
        (
            "Det var et godt møte. 'Vi trenger mer praksis,' sa en deltaker.",
            ["Det var et godt møte.", "'Vi trenger mer praksis,' sa en deltaker."],
        ),
        ('Hun sa "nei" til det. Så gikk hun.', ['Hun sa "nei" til det.', "Så gikk hun."]),
        (
            "Tiltaket startet i fjor. 25 deltakere har fått jobb.",
            ["Tiltaket startet i fjor.", "25 deltakere har fått jobb."],
        ),
        ("Vi har prøvd alt. NAV må nå ta over.", ["Vi har prøvd alt.", "NAV må nå ta over."]),
        (
            "Gruppen drøftet alt. 1 og alt. 2 grundig, jf. tab. 3 nedenfor.",
            ["Gruppen drøftet alt. 1 og alt. 2 grundig, jf. tab. 3 nedenfor."],
        ),
        # A date before a colon is a label, like a single word.
        ("17. mai: Oppstart av kurset.", ["17. mai: Oppstart av kurset."]),
        # A phone number or a handle after a sentence end opens the next sentence, also
        # on the next line of a .txt without blank lines.
        (
            "Ring oss gjerne.\n+47 22 33 44 55 er nummeret til sentralbordet.\nTakk for nå.",
            [
                "Ring oss gjerne.",
                "+47 22 33 44 55 er nummeret til sentralbordet.",
                "Takk for nå.",
            ],
        ),
        (
            "Følg oss på Twitter.\n@NAV svarer raskt på spørsmål.",
            ["Følg oss på Twitter.", "@NAV svarer raskt på spørsmål."],
        ),
        (
            "Det kom mange innspill. #integrering ble brukt flittig.",
            ["Det kom mange innspill.", "#integrering ble brukt flittig."],
        ),
        # A title before a name does not end a sentence, also where spaCy cuts it from
        # its full stop ("prof" ".").
        (
            "Prosjektet ledes av prof. Hansen og adm. dir. Olsen. De startet i januar.",
            ["Prosjektet ledes av prof. Hansen og adm. dir. Olsen.", "De startet i januar."],
        ),
        # A measure after a number ends its sentence before a capital, and stays in it
        # before a lower-case word or a number.
        (
            "Kurset varte i 3 mnd. Etterpå fikk de jobb. Det koster 1.500 kr. Det er dyrt.",
            [
                "Kurset varte i 3 mnd.",
                "Etterpå fikk de jobb.",
                "Det koster 1.500 kr.",
                "Det er dyrt.",
            ],
        ),
        (
            "Det kom ca. 30 stk. Resten kom senere. Ledigheten økte med 2 pst. Flere er uten jobb.",
            [
                "Det kom ca. 30 stk.",
                "Resten kom senere.",
                "Ledigheten økte med 2 pst.",
                "Flere er uten jobb.",
            ],
        ),
        (
            "Det koster 100 kr. pr. måned, kr. 50 i gebyr og 2 kr. 50 øre i avgift.",
            ["Det koster 100 kr. pr. måned, kr. 50 i gebyr og 2 kr. 50 øre i avgift."],
        ),
        # An office named after an acronym is one name, not a sentence start.
        (
            "Innledning. Representanter fra NAV Tromsø og Bufetat deltok.",
            ["Innledning.", "Representanter fra NAV Tromsø og Bufetat deltok."],
        ),
    ],
)
def test_norwegian_sentence_rules(senter, sentencizer, text: str, expected: list[str]) -> None:
    assert sentences(text, senter) == expected
    assert sentences(text, sentencizer) == expected


def test_nynorsk_text(senter) -> None:
    text = "Eg veit ikkje kva vi skal gjere. Det er berre slik det er. Kva tid kjem dei?"
    assert sentences(text, senter) == [
        "Eg veit ikkje kva vi skal gjere.",
        "Det er berre slik det er.",
        "Kva tid kjem dei?",
    ]


@pytest.mark.parametrize("text", ["", " ", "\n\n\t  \n", "\x0c"])
def test_empty_input_gives_no_units(sentencizer, text: str) -> None:
    assert segment_text(text, sentencizer) == []


def test_a_long_line_is_not_cut_after_an_abbreviation(senter) -> None:
    # A line longer than lines.MAX_LINE_CHARS (a paragraph extracted as one line) is cut
    # at a sentence end; the full stop of "Dr." is none.
    filler = "Kommunen tilbyr norskkurs om kvelden. " * 64  # 2,432 characters
    sentence = (
        "Møtet ble ledet av Dr. Hansen fra helsestasjonen i bydelen, som også svarte på "
        "spørsmål fra salen om ventetiden."
    )  # "Dr." before, its full stop after character 2,500
    text = filler + sentence + " " + filler + "\n"
    assert sentence in sentences(text, senter)


def test_text_without_sentence_punctuation_is_cut_not_dropped(sentencizer) -> None:
    text = "ord og flere ord uten punktum " * 200
    units = segment_text(text, sentencizer)
    assert_well_formed(text, units)
    assert len(units) > 1
    assert all(len(u.text) <= 1000 for u in units)


def test_control_characters_land_in_units(sentencizer) -> None:
    text = "Første\x00 setning.\x01 Andre setning.\n\n\x02\x03\n\nTredje\x07 setning."
    units = segment_text(text, sentencizer)
    assert_well_formed(text, units)
    assert [u.text for u in units if u.kind == "sentence"] == [
        "Første setning.",
        "Andre setning.",
        "Tredje setning.",
    ]
    assert [u.kind for u in units].count("noise") == 1


def test_utf8_misread_as_latin1_is_repaired(sentencizer) -> None:
    text = "FÃ¸rste mÃ¸te var pÃ¥ Ã˜ya. Det gikk bra."
    units = segment_text(text, sentencizer)
    assert_well_formed(text, units)
    assert [u.text for u in units] == ["Første møte var på Øya.", "Det gikk bra."]


def test_a_long_text_streams(sentencizer) -> None:
    paragraph = "Dette er en setning om arbeid og bolig. Her er en til med f.eks. tall.\n\n"
    text = paragraph * 5_000  # about 0.4 MB
    units = segment_text(text, sentencizer)
    assert len(units) == 10_000
    assert units[-1].end == len(text.rstrip())


def test_a_passage_written_twice_stays_body_text(sentencizer) -> None:
    # Unpunctuated lower-case notes repeated word for word (pasted twice): neither copy
    # may become a pull quote of the other.
    passage = "flere i arbeid gjennom samarbeid mellom nav, kommunen og arbeidsgivere i regionen,"
    units = segment_text(f"{passage}\n\n{passage}\n", sentencizer)
    assert [unit.kind for unit in units] == ["sentence", "sentence"]
    assert_well_formed(f"{passage}\n\n{passage}\n", units)


def test_one_long_line_without_spaces(sentencizer) -> None:
    text = "x" * 50_000
    units = segment_text(text, sentencizer)
    assert_well_formed(text, units)


def test_segment_documents_streams_several_documents(sentencizer) -> None:
    documents = [("a", "En setning. To setninger."), ("b", ""), ("c", "• Et punkt")]
    pairs = list(segment_documents(iter(documents), sentencizer, batch_size=1))
    assert [(doc, u.unit, u.kind) for doc, u in pairs] == [
        ("a", 0, "sentence"),
        ("a", 1, "sentence"),
        ("c", 0, "bullet"),
    ]
    frame = units_to_frame(pairs)
    assert tuple(frame.columns) == FRAME_COLUMNS == (
        "doc", "unit", "start", "end", "kind", "section", "text", "repeat_of",
    )  # fmt: skip
    assert frame["repeat_of"].isna().all()
    assert units_to_frame([]).shape == (0, len(FRAME_COLUMNS))


PDF_PIECES = st.sampled_from(
    [
        "Regjeringen", "holdt", "konferansen", "i", "2017.", "f.eks.", "17.", "mai", "NAV-",
        "tiltak", "interes-", "senter", "og", "Utdannings-", "«sitat»", "?", ".", ":", " ",
        "  ", "\n", "\n\n", "\n ", "• ", "– ", "’’", "https://a.no/x", "\x00", "\x0c",
        "Ã¸", "\u00ad", "Hva", "Neste", "år", "(se", "rapport)", "12", "—",
    ]
)  # fmt: skip


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(PDF_PIECES, max_size=60).map(" ".join) | st.text(max_size=80))
def test_units_are_ordered_disjoint_and_cover_the_text(sentencizer, text: str) -> None:
    assert_well_formed(text, segment_text(text, sentencizer))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(PDF_PIECES, max_size=60).map("".join))
def test_units_cover_the_text_with_the_shipped_pipeline(senter, text: str) -> None:
    assert_well_formed(text, segment_text(text, senter))


# Which blocks go through the spaCy pipeline: only those that may hold more than one
# sentence. (text, block kind, goes through spaCy)
NEEDS_MODEL_CASES = [
    ("Flere boliger til unge.", "paragraph", False),
    ("Flere boliger til unge", "bullet", False),
    ("«Vi trenger flere boliger.»", "paragraph", False),
    ("Hvorfor får ikke alle tilbud?!", "bullet", False),
    ("Parallellsesjon 2 Frivillig sektor", "heading", False),
    ("Flere boliger. Færre hybler.", "paragraph", True),
    ("Tiltak, f.eks. leksehjelp", "bullet", True),
    ("Parallellsesjon 2: Hva kan organisasjonene bidra med?", "heading", True),
    ("Møtet startet kl. 10 i Bodø", "paragraph", True),
    (" ".join(["ord"] * 45), "paragraph", True),  # long run-on text: the model may split it
    (" ".join(["ord"] * 40), "paragraph", True),  # MODEL_MIN_WORDS_WITHOUT_PUNCTUATION
    (" ".join(["ord"] * 39), "bullet", False),
    (" ".join(["Ord"] * 45), "heading", False),  # headings are split at punctuation only
    ("Foto: Ola Nordmann. Bodø, mars 2019.", "caption", False),  # not split: never parsed
    ("’’Vi må slippe de unge til. Nå.’’", "quote", False),
]


@pytest.mark.parametrize(("text", "kind", "expected"), NEEDS_MODEL_CASES)
def test_blocks_that_may_hold_several_sentences_go_through_spacy(
    text: str, kind: str, expected: bool
) -> None:
    from tema.segment.offsets import Block
    from tema.segment.stage import _needs_model

    block = Block(kind, 0, len(text), text, [0], [(0, len(text), True)])
    assert _needs_model(block) is expected


def test_skipping_spacy_for_one_sentence_blocks_changes_no_unit(senter, monkeypatch) -> None:
    from tema.segment import stage as segment

    text = (
        "Oppsummering fra Bodø\n\n"
        "• Flere boliger til unge\n"
        "• Språkpraksis må følges opp av NAV\n"
        "– Idrettslaget bør få støtte til kontingent\n\n"
        "Deltakerne mente at kommunen må bosette flere i distriktene.\n\n"
        "Kommunen tilbyr norskkurs. Mange slutter likevel etter tre måneder, jf. rapporten.\n\n"
        "’’Vi må slippe de unge til’’\n"
    )
    skipping = segment_text(text, senter)
    monkeypatch.setattr(segment, "_needs_model", lambda block: block.kind in ("paragraph",
                        "bullet", "heading"))  # fmt: skip
    assert segment_text(text, senter) == skipping


def _config(tmp_path: Path):
    """The project's params with the pipeline's files under `tmp_path` and the rule-based
    sentencizer (no model files needed)."""
    from tema.config import load_config

    config = load_config(Path(__file__).resolve().parents[1] / "params.yaml")
    return config.model_copy(
        update={
            "ingest": config.ingest.model_copy(
                update={"documents": tmp_path / "interim" / "documents.jsonl"}
            ),
            "segment": config.segment.model_copy(
                update={
                    "spacy_model": SENTENCIZER,
                    "units": tmp_path / "interim" / "units.csv",
                    "lexicon_cache": None,
                    "jobs": 1,
                }
            ),
        }
    )


def _write_documents(path: Path) -> None:
    from tema.ingest.stage import Document, write_documents

    documents = [
        Document(f"d{n}.txt", f"d{n}.txt", "Møte", "", "", f"Bolig\n\nVi trenger {n} boliger.\n")
        for n in range(3)
    ]
    write_documents(documents, path)


def test_run_segments_the_pipelines_documents_into_its_units(tmp_path: Path) -> None:
    import pandas as pd

    from tema.segment.stage import run

    config = _config(tmp_path)
    _write_documents(config.ingest.documents)
    result = run(config)
    assert (result.units, result.documents, result.output) == (6, 3, config.segment.units)
    units = pd.read_csv(config.segment.units)
    assert units["kind"].tolist() == ["heading", "sentence"] * 3
    one_job = config.segment.units.read_bytes()
    assert run(config, jobs=2).units == 6
    assert config.segment.units.read_bytes() == one_job  # the same bytes over workers


def test_run_lets_a_watcher_see_each_document_it_reads(tmp_path: Path) -> None:
    """The browser app's progress display: every document passes through `watch`."""
    from tema.segment.stage import run

    config = _config(tmp_path)
    _write_documents(config.ingest.documents)
    seen: list[str] = []

    def watch(documents):
        for document in documents:
            seen.append(document.doc)
            yield document

    assert run(config, watch=watch).units == 6
    assert seen == ["d0.txt", "d1.txt", "d2.txt"]


def test_run_writes_another_batchs_units_beside_its_documents(tmp_path: Path) -> None:
    from tema.segment.stage import run

    config = _config(tmp_path)
    other = tmp_path / "other" / "documents.jsonl"
    _write_documents(other)
    result = run(config, documents=other)
    assert result.output == tmp_path / "other" / "units.csv" and result.output.is_file()
    assert not config.segment.units.exists()  # never into the pipeline's units


def test_run_returns_the_units_of_files_without_an_output(tmp_path: Path) -> None:
    from tema.segment.stage import run

    config = _config(tmp_path)
    notes = tmp_path / "notater.txt"
    notes.write_text("Bolig\n\nVi trenger flere boliger. Det haster.\n", encoding="utf-8")
    result = run(config, files=[notes])
    assert result.output is None and result.table is not None
    assert result.table["text"].tolist() == ["Bolig", "Vi trenger flere boliger.", "Det haster."]
    assert list(tmp_path.iterdir()) == [notes]  # nothing written
    written = run(config, files=[notes], output=tmp_path / "u.csv")
    assert (written.units, written.documents, written.table) == (3, 1, None)


def test_run_names_a_pipeline_that_cannot_be_loaded(tmp_path: Path) -> None:
    from tema.errors import TemaError
    from tema.segment.stage import run

    with pytest.raises(TemaError, match="no-such-model"):
        run(_config(tmp_path), spacy_model="no-such-model")


def test_a_survey_answer_records_its_question_as_its_section(tmp_path: Path) -> None:
    """The pipeline's units carry each answer's question (the table's `Spørsmål` column),
    which classification reads as the answer's heading."""
    import csv

    from tema.segment.stage import run

    config = _config(tmp_path)
    survey = tmp_path / "svar.csv"
    with open(survey, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(
            [
                ("Spørsmål ", "Svar", "Kommune"),
                ("Hva var vanskeligst med å finne bolig?", "For dyrt", "Bodø"),
                ("Andre innspill?", "Nei", "Alta"),
            ]
        )
    plain = tmp_path / "svar_uten.csv"
    plain.write_text("Svar\nFor dyrt\n", encoding="utf-8")
    result = run(config, files=[survey, plain])
    assert result.table is not None
    assert result.table["kind"].tolist() == ["answer"] * 3
    assert result.table["section"].fillna("").tolist() == [
        "Hva var vanskeligst med å finne bolig?",
        "Andre innspill?",
        "",  # no question column
    ]
    assert result.table["text"].tolist() == ["For dyrt", "Nei", "For dyrt"]  # answers as written


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "Innspill fra gruppene\n\nTema\tInnspill\tAnsvar\n"
            "Bolig\tFlere utleieboliger\tKommunen\nArbeid\tMer språkpraksis\tNAV\n",
            [
                ("heading", "Innspill fra gruppene"),
                ("table", "Tema\tInnspill\tAnsvar"),
                ("bullet", "Bolig\tFlere utleieboliger\tKommunen"),
                ("bullet", "Arbeid\tMer språkpraksis\tNAV"),
            ],
        ),
        # A cell of several sentences: each a unit, as in a paragraph.
        (
            "Gruppe\tInnspill\nGruppe 1\tVi trenger flere boliger. Ventetiden er lang.\n"
            "Gruppe 2\tMer praksis\n",
            [
                ("table", "Gruppe\tInnspill"),
                ("bullet", "Gruppe 1\tVi trenger flere boliger."),
                ("bullet", "Ventetiden er lang."),
                ("bullet", "Gruppe 2\tMer praksis"),
            ],
        ),
        (
            "Tabellen viser andelen.\n  Sektor      2019      2020\n"
            "  Offentlig   25        42 %\n  Privat      30        18\n",
            [
                ("sentence", "Tabellen viser andelen."),
                ("table", "Sektor      2019      2020"),
                ("table", "Offentlig   25        42 %"),
                ("table", "Privat      30        18"),
            ],
        ),
    ],
)
def test_rows_of_a_table_are_units_and_only_rows_of_prose_are_input(
    raw: str, expected: list, sentencizer
) -> None:
    units = segment_text(raw, sentencizer)
    assert_well_formed(raw, units)
    assert [(unit.kind, raw[unit.start : unit.end]) for unit in units] == expected


@pytest.mark.parametrize(
    "raw",
    [
        "Innspill\n\n•Flere språkkurs på kveldstid\n•Bedre samarbeid med NAV\n\n"
        "Det var stor enighet.\n",
        "Innspill\n\n-Flere språkkurs på kveldstid\n-Bedre samarbeid med NAV\n\n"
        "Det var stor enighet.\n",
        "Innspill\r\n\r\n  \uf0b7Flere språkkurs på kveldstid\r\n  \uf0b7Bedre samarbeid med NAV"
        "\r\n\r\nDet var stor enighet.\r\n",
    ],
)
def test_bullets_without_their_space_are_counted_units(sentencizer, raw: str) -> None:
    # Before, the points read as one heading, not counted, and the next sentence's section.
    units = segment_text(raw, sentencizer)
    assert_well_formed(raw, units)
    assert [(unit.kind, unit.text, unit.section) for unit in units] == [
        ("heading", "Innspill", "Innspill"),
        ("bullet", "Flere språkkurs på kveldstid", "Innspill"),
        ("bullet", "Bedre samarbeid med NAV", "Innspill"),
        ("sentence", "Det var stor enighet.", "Innspill"),
    ]
    # The unit's raw span starts at its bullet, as with "• ", and its text is the rest.
    for unit in units[1:3]:
        assert raw[unit.start] in "•-\uf0b7"
        assert raw[unit.start + 1 : unit.end] == unit.text


def test_short_points_below_a_sentence_are_a_unit_each(sentencizer) -> None:
    # Before, the two points were one unit ("Mer praksis Bedre tolketjeneste"), which the
    # classifier read as one input.
    raw = (
        "Vi har snakket med kommunen om dette i lang tid.\nMer praksis\nBedre tolketjeneste\n"
        "\nNeste punkt er bolig.\n"
    )
    units = segment_text(raw, sentencizer)
    assert_well_formed(raw, units)
    assert [(unit.kind, raw[unit.start : unit.end]) for unit in units] == [
        ("sentence", "Vi har snakket med kommunen om dette i lang tid."),
        ("bullet", "Mer praksis"),
        ("bullet", "Bedre tolketjeneste"),
        ("sentence", "Neste punkt er bolig."),
    ]
