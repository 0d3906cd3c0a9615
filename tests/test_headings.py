"""The kind of a block of plain text: heading, caption or paragraph (tema.segment.headings).

Headings are not counted as input, so a block of notes typed without full stops must not
be taken for one."""

from __future__ import annotations

import pytest

from cleaning import LEXICON, kinds_and_texts
from tema.segment.clean import clean_blocks


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "Foto: Ola Nordmann\n\nDet var et godt møte.\n\nKilde: SSB\n\n"
            "Fotografen var Ola Nordmann.\n",
            [
                ("caption", "Foto: Ola Nordmann"),
                ("paragraph", "Det var et godt møte."),
                ("caption", "Kilde: SSB"),
                ("paragraph", "Fotografen var Ola Nordmann."),  # no caption cue first
            ],
        ),
        # A text frame of its own (indented after a finished sentence) holding one
        # sentence is a heading or a speaker line; holding two, it is body text.
        (
            "Vi snakket om bolig og arbeid i mange timer.\n   Sosial mobilitet blant ungdom.\n",
            [
                ("paragraph", "Vi snakket om bolig og arbeid i mange timer."),
                ("heading", "Sosial mobilitet blant ungdom."),
            ],
        ),
        (
            "Vi snakket om bolig og arbeid i mange timer.\n"
            "   Sosial mobilitet blant ungdom. Det er et stort tema.\n",
            [
                ("paragraph", "Vi snakket om bolig og arbeid i mange timer."),
                ("paragraph", "Sosial mobilitet blant ungdom. Det er et stort tema."),
            ],
        ),
    ],
)
def test_captions_and_text_frames(raw: str, expected: list) -> None:
    assert kinds_and_texts(raw) == expected


def test_a_proposal_without_full_stop_is_input_not_a_heading() -> None:
    raw = (
        "Kommunen må ansette flere boligkonsulenter\n\n"
        "Hva må til for å lykkes\n\nDet var et godt møte.\n"
    )
    assert [kind for kind, _text in kinds_and_texts(raw)] == ["paragraph", "heading", "paragraph"]


def test_a_block_in_lower_case_is_input_not_a_heading() -> None:
    raw = "Hva fungerer ikke?\n\nfor lite språkpraksis og lange ventelister på norskkurs\n"
    assert kinds_and_texts(raw)[-1] == (
        "paragraph",
        "for lite språkpraksis og lange ventelister på norskkurs",
    )


@pytest.mark.parametrize(
    ("raw", "kind"),
    [
        # Notes: the last sentence of a paragraph without its full stop.
        (
            "Deltakerne var opptatt av bolig. Mange familier bor trangt og ventetiden er lang\n",
            "paragraph",
        ),
        # Two whole sentences and a last one cut short (at a page break, or typed without
        # its full stop): no title holds two sentences.
        (
            "Kommunen inviterte til dialogmøte om integrering. Mange familier bor trangt i\n"
            "flere år. Dette går ut over\n",
            "paragraph",
        ),
        # A talk title with its speakers, a numbered title, a title with an abbreviation.
        ("Alle kan lykkes. Kari Nordmann og Ola Hansen, Voksenopplæringen i Bodø\n", "heading"),
        ("2. Bolig og bosetting i distriktene\n", "heading"),
        ("Innledning ved dr. Hansen om bosetting\n", "heading"),
        # A title with a subtitle, a title with its speaker: the last part is short.
        ("Fra utenforskap til deltakelse i arbeidslivet. Erfaringer fra fem kommuner\n", "heading"),
        ("Fra ord til handling i kommunene. Kari Nordmann og Ola Hansen, KS\n", "heading"),
        # Short parts with full stops: a title, its speakers and their place.
        ("Sosial mobilitet. Kari Nordmann, KS. Ola Hansen, NHO\n", "heading"),
    ],
)
def test_a_block_without_a_final_full_stop_is_a_heading_unless_a_sentence_opens_it(
    raw: str, kind: str
) -> None:
    assert [block_kind for block_kind, _text in kinds_and_texts(raw)] == [kind]


@pytest.mark.parametrize(
    ("raw", "pdf", "kinds"),
    [
        # Typed notes: a sentence ended at its line end, then short points below it (two
        # or more that end the block are items, one a point: tema.segment.lists).
        ("Det er for få boliger i kommunen.\nMer praksis\n", False, ["paragraph"]),
        ("Det er for få boliger i kommunen.\nMer praksis\nFlere tolker\n", False,
         ["paragraph", "bullet", "bullet"]),
        ("Vi snakket lenge om bolig og arbeid. Mange bor trangt.\nMer praksis\n", False,
         ["paragraph"]),
        # A title over its speakers, its place or its date stays a title ...
        ("Fra ord til handling i kommunene.\nKari Nordmann og Ola Hansen, KS\n", False,
         ["heading"]),
        ("Velkommen til dialogmøte om integrering i Oslo.\nOslo, 6. februar 2019\n", False,
         ["heading"]),
        # ... but names alone below a sentence are its signature: the sentence is counted
        # (before, it was in the heading too).
        ("Vi har snakket med kommunen om dette.\nOla Hansen\n", False,
         ["paragraph", "heading"]),
        # A closing greeting and the names below it sign the text: a heading, not input
        # (before, they were three points, each counted as input).
        ("Takk for et godt møte i dag.\nMed vennlig hilsen\nKari Nordmann\nOla Hansen\n",
         False, ["paragraph", "heading"]),
        ("Takk for et godt møte i dag.\n\nHilsen\nKari Nordmann\nOla Hansen\n", False,
         ["paragraph", "heading"]),
        # ... and a short one (title or sentence: "Alle kan lykkes." / "Mer praksis"),
        ("Alle kan lykkes.\nErfaringer fra fem kommuner\n", False, ["heading"]),
        # ... and a PDF's: its extraction drops the blank line after a sentence, so the
        # line below may be the heading of what follows.
        ("Det er for få boliger i kommunen.\nMer praksis\n", True, ["heading"]),
    ],
)  # fmt: skip
def test_a_short_point_below_a_sentence_of_typed_notes_is_input(
    raw: str, pdf: bool, kinds: list[str]
) -> None:
    # Before, the point's missing full stop made the block a heading: the sentence above
    # it was not counted either.
    blocks = clean_blocks(raw, LEXICON, pages=[0] if pdf else [])
    assert [block.kind for block in blocks] == kinds
