"""Lines of raw text: their kinds, over-long lines, tables saved as text."""

from __future__ import annotations

import pytest

from cleaning import LEXICON
from tema.segment.clean import clean_blocks
from tema.segment.lines import classify_line, split_lines


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("", "blank"),
        ("   \t", "blank"),
        ("\x00\x01", "noise"),
        ("https://www.nav.no/side?a=1", "url"),
        ("  12  ", "noise"),
        ("– ", "noise"),
        ("• Et punkt.", "bullet"),
        ("– Et punkt.", "bullet"),
        ("’’sitat fra teksten", "quote"),
        ("Vanlig tekst her", "text"),
        ("2. Bolig ............................ 14", "noise"),  # table of contents
        ("Side 4 av 12", "noise"),
        ("¹ Jf. Meld. St. 30 (2015–2016)", "footnote"),
        ("2. Utdanning og kvalifisering", "bullet"),  # a title only when it stands alone
        ("Kl. 10.15  Innledninger", "programme"),
        ("•", "marker"),  # a bullet alone: its text is on the next line
        ("Rapport fra innspillsmøtet i Bodø 2019        5", "noise"),  # running header
        ("12\tÅrsrapport 2019", "noise"),
    ],
)
def test_classify_line(line: str, kind: str) -> None:
    assert classify_line(line) == kind


def test_lines_longer_than_the_limit_are_cut() -> None:
    raw = "ord " * 20_000
    blocks = clean_blocks(raw, LEXICON)
    assert len(blocks) > 1
    assert "".join(block.text.replace(" ", "") for block in blocks) == raw.replace(" ", "")


@pytest.mark.parametrize(
    ("raw", "kinds"),
    [
        # Tabs in a .txt: a header of labels (no text to sort), then rows with a cell of
        # prose (input).
        (
            "Tema\tInnspill\tAnsvar\nBolig\tFlere utleieboliger\tKommunen\n"
            "Arbeid\tMer språkpraksis\tNAV\n",
            ["table", "row", "row"],
        ),
        # A PDF's column gaps, a table of figures: its header is no input either, and a
        # row ending in a number is not taken for a running header.
        (
            "Sektor      2019      2020\nOffentlig   25        42 %\nPrivat      30        18\n",
            ["table", "table", "table"],
        ),
        # A label and its figures is a row of figures.
        (
            "Arbeid og inkludering    25    42 %\nBolig og bosetting    30    18 %\n",
            ["table", "table"],
        ),
        # An empty cell between two tabs is a cell: the rows have three each.
        ("Bolig\t\tKommunen\nArbeid\tMer praksis i kommunen\tNAV\n", ["table", "row"]),
        # One gapped line, or lines with different numbers of cells, make no table.
        ("Bolig   Flere boliger\n", ["text"]),
        ("Bolig   Flere boliger\nArbeid   Mer praksis   NAV\n", ["text", "text"]),
        # Two spaces are a typed gap, not a column: a programme line stays one.
        ("Kl. 10.15  Innledninger\nKl. 11.00  Lunsj\n", ["programme", "programme"]),
        # A cell wrapped in a narrow column (pdftotext -layout): the rest of its words,
        # under the cell, belongs to the row above and keeps the table going.
        (
            "Tema     Innspill                  Ansvar\n"
            "Bolig    Flere utleieboliger for   Kommunen\n"
            "         store familier\n"
            "Arbeid   Mer språkpraksis          NAV\n",
            ["table", "row", "cell", "row"],
        ),
        (
            "Bolig    Flere utleieboliger for   Kommunen og\n"
            "         store familier            fylket\n"
            "Arbeid   Mer språkpraksis          NAV\n",
            ["row", "cell", "row"],
        ),
        # Not under a cell of the row, under its first cell, with a capital (a row whose
        # first cell is empty, or text below the table), or below one row only: no rest.
        (
            "Bolig    Flere utleieboliger for   Kommunen\n"
            "      store familier\n"
            "Arbeid   Mer språkpraksis          NAV\n",
            ["text"] * 3,
        ),
        (
            "Bolig    Flere utleieboliger for   Kommunen\n"
            "store familier\n"
            "Arbeid   Mer språkpraksis          NAV\n",
            ["text"] * 3,
        ),
        (
            "Bolig    Flere utleieboliger       Kommunen\n"
            "         Flere barnehager\n"
            "Arbeid   Mer språkpraksis          NAV\n",
            ["text"] * 3,
        ),
        ("Bolig    Flere utleieboliger for   Kommunen\n         store familier\n", ["text"] * 2),
    ],
)
def test_lines_of_a_table_saved_as_text_are_its_rows(raw: str, kinds: list[str]) -> None:
    # Before, the rows were points or running headers: a header of labels and a row of
    # figures were counted as input, and a row of prose could be noise.
    assert [line.kind for line in split_lines(raw) if line.kind != "blank"] == kinds


@pytest.mark.parametrize(
    ("raw", "kinds"),
    [
        # A dedicated bullet without its space is an item on its own, as with the space.
        ("•Flere språkkurs\n", ["bullet"]),
        ("\uf0b7Flere boliger\n", ["bullet"]),
        # A dash or a middle dot before a capital: an item in a run of two or more, blank
        # lines between allowed, also next to items that kept their space.
        ("-Flere språkkurs\n-Bedre samarbeid med NAV\n", ["bullet", "bullet"]),
        ("–Flere boliger\n\n–Kortere ventetid\n", ["bullet", "bullet"]),
        ("- Flere boliger\n-Bedre samarbeid\n- Mer praksis\n", ["bullet"] * 3),
        ("·Flere boliger\n·Bedre samarbeid\n", ["bullet", "bullet"]),
        # Alone it is a dash a line break put first or a reply in dialogue, and a line
        # between parts the run, but for the wrapped rest of an item ("for unge").
        ("Hun så opp.\n-Nei, sa hun.\nDet var kaldt.\n", ["text"] * 3),
        ("-Flere boliger\nDet var alt\n-Bedre samarbeid\n", ["text"] * 3),
        ("-Flere boliger\nfor unge\n-Bedre samarbeid\n", ["bullet", "text", "bullet"]),
        (
            "-Flere boliger for\nunge og\neldre\n\n-Bedre samarbeid\n",
            ["bullet", "text", "text", "bullet"],
        ),
        # A dash glued to a lower-case word: an item in a run of two or more too, also
        # beside items that kept their space; alone a hyphen a line break put first
        # ("NAV" / "-kontoret") or a reply ("-nei, sa hun"). A lower-case run is not
        # wrapped: a line between parts it.
        ("-flere boliger for unge\n-bedre tolketjeneste\n", ["bullet", "bullet"]),
        ("-flere boliger\n\n- bedre tolketjeneste\n-Mer praksis\n", ["bullet"] * 3),
        ("Hun så opp.\n-nei, sa hun.\n", ["text", "text"]),
        ("Vi snakket med NAV\n-kontoret i Bodø.\n", ["text", "text"]),
        ("-flere boliger\nfor unge\n-bedre tolketjeneste\n", ["text"] * 3),
        # A minus, a hyphen, emphasis or a quoted e-mail line is no item, in a run or not.
        ("-20 grader\n-15 grader\n", ["text", "text"]),
        ("*Diskriminering* i arbeidslivet\n*Se vedlegg\n", ["text", "text"]),
        (">Hei Kari\n>Takk for sist\n", ["text", "text"]),
    ],
)
def test_bullets_without_their_space_are_items(raw: str, kinds: list[str]) -> None:
    # Before, such lines were text: a list of them read as one heading, not counted.
    assert [line.kind for line in split_lines(raw) if line.kind != "blank"] == kinds
