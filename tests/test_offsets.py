"""The offset map of a cleaned block: every cleaned character points at the raw text it
came from, so a unit's start and end are exact offsets into what the user wrote."""

from __future__ import annotations

import unicodedata

from cleaning import LEXICON
from tema.segment.clean import clean_blocks
from tema.segment.offsets import Block, Builder, apply_edits


def test_each_cleaned_character_maps_to_the_raw_span_it_replaces() -> None:
    raw = "inte-\ngrering  og \ufb02yt"
    builder = Builder()
    # A hyphen and line break dropped, two spaces made one (an overlapping edit inside
    # them is passed over), a ligature written as its letters.
    edits = [(4, 6, ""), (13, 15, " "), (14, 15, ""), (18, 19, "fl")]
    apply_edits(builder, raw, 0, len(raw), edits)
    block = Block(
        kind="paragraph",
        start=0,
        end=len(raw),
        text=builder.text(),
        piece_starts=builder.piece_starts,
        pieces=builder.pieces,
    )
    assert block.text == "integrering og flyt"
    assert block.raw_span(0, len("integrering")) == (0, 13)  # over the dropped line break
    assert block.raw_char_span(4) == (6, 7)  # "g", the first letter after the break
    assert block.raw_char_span(len("integrering")) == (13, 15)  # one space for two
    flyt = block.text.index("flyt")
    assert block.raw_char_span(flyt) == block.raw_char_span(flyt + 1) == (18, 19)  # "ﬂ"
    assert block.raw_span(flyt, len(block.text)) == (18, len(raw))
    # An empty span maps to the raw position before it; at the end, to the block's end.
    assert block.raw_span(3, 3) == (3, 3)
    assert block.raw_span(len(block.text), len(block.text)) == (len(raw), len(raw))


def test_offset_map_points_at_the_raw_characters() -> None:
    raw = " Tittel\n\n• Et  punkt med inte-\ngrering, NAV-\ntiltak og FÃ¸rste ﬂyt.\n"
    for block in clean_blocks(raw, LEXICON):
        assert raw[block.start : block.end] == raw[block.start : block.end].strip()
        for index, char in enumerate(block.text):
            start, end = block.raw_char_span(index)
            assert block.start <= start < end <= block.end
            if end - start == 1 and char not in " -":
                # A ligature is written as its letters, each pointing at the ligature.
                assert char in unicodedata.normalize("NFKC", raw[start])
        assert block.raw_span(0, len(block.text))[0] >= block.start
