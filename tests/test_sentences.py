"""Sentence boundaries: loading the spaCy pipeline, the shipped model, the rules as a
spaCy component."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy

from tema.segment.sentences import add_sentence_rules, load_pipeline
from tema.segment.stage import segment_text

# Found from this file only to run the tests from any folder; tema itself resolves
# spacy_model against the working directory.
SHIPPED_MODEL = Path(__file__).resolve().parents[1] / "models" / "nb_senter"


@pytest.fixture(scope="module")
def senter():
    return load_pipeline(str(SHIPPED_MODEL))


@pytest.fixture(scope="module")
def sentencizer():
    return load_pipeline("sentencizer")


def test_load_pipeline_errors_name_the_model(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no-such-model"):
        load_pipeline("no-such-model")
    with pytest.raises(ValueError, match="could not load"):
        load_pipeline(str(tmp_path))  # a directory that holds no pipeline


def test_load_pipeline_resolves_relative_paths_from_the_working_directory(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(SHIPPED_MODEL.parent)
    assert load_pipeline("nb_senter").has_pipe("senter")
    monkeypatch.chdir(SHIPPED_MODEL.parent.parent.parent)
    with pytest.raises(ValueError, match=r"working directory|neither"):
        load_pipeline("nb_senter")


def test_shipped_pipeline_meta_attributes_the_data() -> None:
    nlp = spacy.load(SHIPPED_MODEL)
    assert nlp.meta["license"] == "CC BY-SA 4.0"
    assert any(source["license"] == "CC BY-SA 4.0" for source in nlp.meta["sources"])
    assert nlp.meta["performance"]["ud_test_boundary_tema_f1"] >= 0.97
    assert (SHIPPED_MODEL / "README.md").read_text(encoding="utf-8").count("CC BY-SA 4.0")


def test_shipped_pipeline_save_load_same_predictions(senter, tmp_path: Path) -> None:
    text = (
        "Regjeringen holdt konferansen i Oslo. Det kom mange deltakere fra hele landet "
        "og de diskuterte arbeid Neste gang blir det flere Hva skjer da? Vi får se."
    )
    before = [token.is_sent_start for token in senter(text)]
    senter.to_disk(tmp_path / "copy")
    reloaded = load_pipeline(str(tmp_path / "copy"))
    assert [token.is_sent_start for token in reloaded(text)] == before
    assert segment_text(text, reloaded) == segment_text(text, senter)


def test_rules_as_a_spacy_component(senter) -> None:
    nlp = spacy.blank("nb")
    nlp.add_pipe("sentencizer")
    add_sentence_rules(nlp)
    doc = nlp("Vi så f.eks. at de kom. Det var bra.")
    assert [sentence.text for sentence in doc.sents] == ["Vi så f.eks. at de kom.", "Det var bra."]


def test_official_pipeline_keeps_only_sentence_components(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Stands in for an installed nb_core_news_* package, which tests cannot download.
    official = spacy.blank("nb")
    for name in ("tok2vec", "tagger", "senter", "parser", "ner"):
        official.add_pipe(name)
    monkeypatch.setattr(spacy.util, "is_package", lambda name: name == "nb_core_news_sm")
    monkeypatch.setattr(spacy, "load", lambda name, **kwargs: official)
    nlp = load_pipeline("nb_core_news_sm")
    # The blank senter has its own tok2vec, so the shared one is not needed either.
    assert nlp.pipe_names == ["senter"]


# Text written all in lower case (notes typed fast) is split where a full stop, "!" or
# "?" and a lower-case word start a new sentence, never after an abbreviation or an
# ordinal; normally written text is not (a capital opens its sentences).
LOWER_CASE_CASES = [
    (
        "vi trenger flere språkpraksisplasser. kommunen bør samarbeide med nav. det er lange "
        "ventelister på norskkurs.",
        [
            "vi trenger flere språkpraksisplasser.",
            "kommunen bør samarbeide med nav.",
            "det er lange ventelister på norskkurs.",
        ],
    ),
    ("hva gjør vi nå? vi venter! det er alt.", ["hva gjør vi nå?", "vi venter!", "det er alt."]),
    ("kommunen må snakke med NAV. det haster.", ["kommunen må snakke med NAV.", "det haster."]),
    (
        "det kom ca. tretti, bl.a. fra nav, jf. referatet, dvs. mange. vi møtes kl. ti.",
        ["det kom ca. tretti, bl.a. fra nav, jf. referatet, dvs. mange.", "vi møtes kl. ti."],
    ),
    (
        "vi trenger kurs, møter mv. og praksis osv. men f.eks. nr. tre er bra.",
        ["vi trenger kurs, møter mv. og praksis osv. men f.eks. nr. tre er bra."],
    ),
    ("vi var 41 pers. i fjor.", ["vi var 41 pers. i fjor."]),  # a measure after a number
    ("prof. hansen kom. hun var flink.", ["prof. hansen kom.", "hun var flink."]),
    ("den 17. mai og hver 2. uke møtes vi.", ["den 17. mai og hver 2. uke møtes vi."]),
    ("vi startet i 2017. neste år kommer flere.", ["vi startet i 2017.", "neste år kommer flere."]),
    ("vi har prøvd alt. nav må ta over.", ["vi har prøvd alt.", "nav må ta over."]),
    ("vi vet ikke … kanskje neste år.", ["vi vet ikke … kanskje neste år."]),
    (
        "- flere kurs. bedre tolk.\n- mer praksis, f.eks. i butikk. det hjelper.\n",
        ["flere kurs.", "bedre tolk.", "mer praksis, f.eks. i butikk.", "det hjelper."],
    ),
    # Notes whose first letter alone is a capital: two or more sentence ends before a
    # lower-case word and none before a capital (nb_sentences.LOWER_CASE_STARTS_NEEDED).
    (
        "Vi trenger flere plasser. kommunen bør gjøre mer. det haster.",
        ["Vi trenger flere plasser.", "kommunen bør gjøre mer.", "det haster."],
    ),
    ("Hva gjør vi nå? vi venter! det er alt.", ["Hva gjør vi nå?", "vi venter!", "det er alt."]),
    (
        "Tolken kom sent. vi måtte vente. møtet startet kl. 10. deretter gikk det fint.",
        ["Tolken kom sent.", "vi måtte vente.", "møtet startet kl. 10. deretter gikk det fint."],
    ),
    (
        "Vi trenger praksis, møter osv. men også tolk. det er viktig. nav må hjelpe.",
        ["Vi trenger praksis, møter osv. men også tolk.", "det er viktig.", "nav må hjelpe."],
    ),
    # Normally written text keeps a full stop before a lower-case word in its sentence:
    # after abbreviations and numbers, at one slip, and beside a capitalised start.
    ("Det gjelder bl.a. kommunen og f.eks. nav.", ["Det gjelder bl.a. kommunen og f.eks. nav."]),
    (
        "Det kom ca. 30 pers. møtte opp, jf. referatet. vi var fornøyde.",
        ["Det kom ca. 30 pers. møtte opp, jf. referatet. vi var fornøyde."],
    ),
    (
        "Kurset er godt i dag. det er lange ventelister.",
        ["Kurset er godt i dag. det er lange ventelister."],
    ),
    (
        "Vi har prøvd alt. nav må ta over. det haster.",
        ["Vi har prøvd alt. nav må ta over. det haster."],
    ),
    (
        "Vi trenger flere plasser. kommunen bør gjøre mer. det haster. Neste møte er i mai.",
        ["Vi trenger flere plasser. kommunen bør gjøre mer. det haster.", "Neste møte er i mai."],
    ),
    (
        "Vi trenger flere plasser. kommunen bør gjøre mer.",
        ["Vi trenger flere plasser. kommunen bør gjøre mer."],
    ),
    (
        "Møtet var kl. 10. deretter gikk vi. Det var bra.",
        ["Møtet var kl. 10. deretter gikk vi.", "Det var bra."],
    ),
    # Abbreviations of typed notes keep their full stop ("i løpet av", "i forhold til").
    (
        "Vi møtes ila. uka. det blir bra ifht. forrige gang. vi gleder oss.",
        ["Vi møtes ila. uka.", "det blir bra ifht. forrige gang.", "vi gleder oss."],
    ),
    # "!" or "?" closed by a quote mark ends the quoted speech, not the sentence, before a
    # lower-case word; a full stop there ends the sentence, as before.
    (
        "hun ropte «nei!» og gikk. vi ble stående.",
        ["hun ropte «nei!» og gikk.", "vi ble stående."],
    ),
    ("han spurte «hvorfor?» og ventet", ["han spurte «hvorfor?» og ventet"]),
    ('de sa "aldri!" og gikk. vi ble.', ['de sa "aldri!" og gikk.', "vi ble."]),
    (
        "Hun ropte «nei!» og gikk. vi ble stående. det var kaldt.",
        ["Hun ropte «nei!» og gikk.", "vi ble stående.", "det var kaldt."],
    ),
    ("han sa «det er bra.» vi gikk videre.", ["han sa «det er bra.»", "vi gikk videre."]),
    ("vi ropte «hjelp!» Ingen kom.", ["vi ropte «hjelp!»", "Ingen kom."]),
    # An ellipsis typed as three full stops runs on, as "…" does.
    (
        "vi vet ikke... kanskje neste år. det er uklart.",
        ["vi vet ikke... kanskje neste år.", "det er uklart."],
    ),
    (
        "Vi vet ikke... kanskje neste år. det er uklart. vi får se.",
        ["Vi vet ikke... kanskje neste år.", "det er uklart.", "vi får se."],
    ),
]


@pytest.mark.parametrize(("text", "expected"), LOWER_CASE_CASES)
def test_text_in_lower_case_is_split_into_sentences(
    senter, sentencizer, text: str, expected: list[str]
) -> None:
    assert [unit.text for unit in segment_text(text, senter)] == expected
    assert [unit.text for unit in segment_text(text, sentencizer)] == expected
