"""Which lines of a block are titles (tema.segment.titles): short points that typed notes
list below a colon or a sentence are no titles."""

from __future__ import annotations

import pytest

from cleaning import LEXICON, kinds_and_texts
from tema.segment.clean import clean_blocks


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # Points announced by a colon, the first much shorter than the second: before,
        # the first was taken for a title over a line of body text (a heading, and the
        # second a heading too: neither counted).
        (
            "Vi foreslår dette:\nFlere kurs\nBedre tolketjenester\n",
            [
                ("paragraph", "Vi foreslår dette:"),
                ("bullet", "Flere kurs"),
                ("bullet", "Bedre tolketjenester"),
            ],
        ),
        (
            "Kommunen bør gjøre mer:\nMer praksis\nBedre tolketjeneste\n\nNeste sak.\n",
            [
                ("paragraph", "Kommunen bør gjøre mer:"),
                ("bullet", "Mer praksis"),
                ("bullet", "Bedre tolketjeneste"),
                ("paragraph", "Neste sak."),
            ],
        ),
        (
            "Vi foreslår dette:\nKurs\nBedre tolketjenester\nMer praksis i butikk\n",
            [
                ("paragraph", "Vi foreslår dette:"),
                ("bullet", "Kurs"),
                ("bullet", "Bedre tolketjenester"),
                ("bullet", "Mer praksis i butikk"),
            ],
        ),
        # One word below a colon, body text straight below it: the body's title, the
        # colon line counted (before, the two were one heading, neither counted).
        (
            "Innspill fra gruppene:\nArbeid\nFlere trenger praksis på arbeidsplassen og i "
            "kommunen nå.\n",
            [
                ("paragraph", "Innspill fra gruppene:"),
                ("heading", "Arbeid"),
                ("paragraph", "Flere trenger praksis på arbeidsplassen og i kommunen nå."),
            ],
        ),
        # A longer point that a colon announces, body text straight below it: a point.
        (
            "Kommunen bør gjøre mer:\nFlere boliger for unge\nVentetiden er for lang i dag, "
            "og mange bor trangt.\n",
            [
                ("paragraph", "Kommunen bør gjøre mer:"),
                ("bullet", "Flere boliger for unge"),
                ("paragraph", "Ventetiden er for lang i dag, og mange bor trangt."),
            ],
        ),
        # Over a list with markers, that line is the list's title, the colon line still
        # a unit (before, they were one heading).
        (
            "Vi foreslår følgende:\nArbeid\n- Flere boliger\n- Mer praksis\n",
            [
                ("paragraph", "Vi foreslår følgende:"),
                ("heading", "Arbeid"),
                ("bullet", "Flere boliger"),
                ("bullet", "Mer praksis"),
            ],
        ),
        # Two points that end a block below a sentence are items, one a point, as when
        # the first point is the longer one (tema.segment.lists.trailing_point_count).
        (
            "Det er for få boliger i kommunen.\nMer praksis\nBedre tolketjeneste\n",
            [
                ("paragraph", "Det er for få boliger i kommunen."),
                ("bullet", "Mer praksis"),
                ("bullet", "Bedre tolketjeneste"),
            ],
        ),
        # A title is followed by a paragraph: a line longer than a point stays body text
        # below a short title ...
        (
            "Det er for få boliger i kommunen.\nArbeid\nFlere trenger praksis på "
            "arbeidsplassen og i kommunen nå\n",
            [
                ("paragraph", "Det er for få boliger i kommunen."),
                ("heading", "Arbeid"),
                ("paragraph", "Flere trenger praksis på arbeidsplassen og i kommunen nå"),
            ],
        ),
        (
            "Det er for få boliger i kommunen.\nArbeid\nFlere trenger praksis\n"
            "Mange venter lenge\n",
            # ... and three short lines below a sentence are a run of points of their own.
            [
                ("paragraph", "Det er for få boliger i kommunen."),
                ("bullet", "Arbeid"),
                ("bullet", "Flere trenger praksis"),
                ("bullet", "Mange venter lenge"),
            ],
        ),
    ],
)
def test_short_points_below_a_colon_or_a_sentence_are_no_titles(raw: str, expected) -> None:
    assert kinds_and_texts(raw) == expected


def test_a_pdf_keeps_a_short_line_over_a_longer_one_a_title() -> None:
    # PDF extraction drops the blank lines around a heading: there the short line may be
    # the title of what follows, whatever comes after it.
    raw = "Vi foreslår dette:\nArbeid\nFlere trenger praksis på arbeidsplassen\n"
    blocks = clean_blocks(raw, LEXICON, pages=[0])
    assert [block.text for block in blocks][-1] == "Flere trenger praksis på arbeidsplassen"
