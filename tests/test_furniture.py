"""Page furniture (tema.segment.furniture): running headers and footers of a PDF's pages
or of text whose pages form feeds mark."""

from __future__ import annotations

from pathlib import Path

import pytest

from cleaning import LEXICON
from tema.segment.clean import clean_blocks
from tema.segment.furniture import page_furniture


def _furniture(pages_text: list[str]) -> list[str]:
    """The lines ``page_furniture`` finds in pages of text joined as a PDF's are."""
    text = "\n".join(pages_text)
    starts = [sum(len(page) + 1 for page in pages_text[:index]) for index in range(len(pages_text))]
    return [text[start:].split("\n", 1)[0] for start in sorted(page_furniture(text, starts))]


def test_page_furniture_is_what_recurs_at_the_edges_of_most_pages() -> None:
    topics = ["bolig", "arbeid", "skole", "helse", "idrett", "språk", "NAV", "lønn", "barn", "mat"]
    pages_text = []
    for number, topic in enumerate(topics, 1):
        opening = "INNSPILL FRA DELTAKERNE\n" if number in (3, 6, 9) else ""
        pages_text.append(
            f"Rapport 2019\n{opening}Om {topic} ble det sagt mye.\nDeltakerne tok opp {topic}.\n"
            f"Det gjelder {topic} i alle kommuner.\nSide {number}\n"
        )
    text = "".join(pages_text)
    starts = [sum(len(page) for page in pages_text[:index]) for index in range(10)]
    furniture = {text[start : text.index("\n", start)] for start in page_furniture(text, starts)}
    # A heading that opens three of ten pages is not furniture; page numbers differ only
    # in their number, so they count as one recurring footer.
    assert furniture == {"Rapport 2019"} | {f"Side {number}" for number in range(1, 11)}
    assert page_furniture(text, starts[:1]) == frozenset()  # one page: nothing recurs


def test_a_header_and_a_footer_of_several_lines_are_page_furniture() -> None:
    header = (
        "Integrerings- og mangfoldsdirektoratet\nRapport fra innspillmøtet i Bodø\n12. mars 2024\n"
    )
    footer = "Postboks 2832 Tøyen, 0608 Oslo\nTelefon 24 16 88 00\npost@imdi.no\nSide {}\n"
    topics = ["bolig", "arbeid", "skole", "helse", "idrett", "språk"]
    body = "Om {0} ble det sagt mye.\nDeltakerne tok opp {0}.\nDet gjelder {0} overalt.\n"
    pages_text = [
        header + body.format(topic) * 2 + footer.format(number)
        for number, topic in enumerate(topics, 1)
    ]
    text = "".join(pages_text)
    starts = [sum(len(page) for page in pages_text[:index]) for index in range(6)]
    furniture = {text[start : text.index("\n", start)] for start in page_furniture(text, starts)}
    assert furniture == {
        *header.splitlines(),
        *footer.format("").strip().splitlines()[:3],
        *(f"Side {number}" for number in range(1, 7)),
    }


def test_running_headers_of_text_with_form_feeds_are_page_furniture() -> None:
    # Text extracted from a PDF into a .txt (pdftotext) marks each new page with a form
    # feed: its running header is furniture as in a PDF, and a sentence broken across
    # pages is one block, the header left out of its text.
    pages = [
        "Referat 2024\n\nDeltakerne var opptatt av bolig. Flere mente at NAV må\n\n1\n",
        "Referat 2024\n\nfølge opp arbeidsgiverne bedre.\n\n2\n",
        "Referat 2024\n\nFrivillige lag trenger lokaler.\n\n3\n",
    ]
    raw = "\x0c".join(pages)
    assert [(block.kind, block.text) for block in clean_blocks(raw, LEXICON)] == [
        ("noise", "Referat 2024"),
        (
            "paragraph",
            "Deltakerne var opptatt av bolig. Flere mente at NAV må følge opp arbeidsgiverne"
            " bedre.",
        ),
        ("noise", "2"),
        ("noise", "Referat 2024"),
        ("paragraph", "Frivillige lag trenger lokaler."),
        ("noise", "3"),
    ]


_BODY_1 = "Deltakerne var opptatt av bolig.\nFlere mente at NAV må\n"
_BODY_2 = "følge opp arbeidsgiverne bedre.\nFrivillige lag trenger lokaler.\n"
_HEADER = "Referat fra innspillsmøtet i Bodø\n"


@pytest.mark.parametrize(
    ("pages_text", "furniture"),
    [
        # A running header on both pages of two: before, only three pages or more were
        # compared, and the header was read into the sentence broken across the pages.
        (
            [_HEADER + _BODY_1 + "Side 1 av 2", _HEADER + _BODY_2 + "Side 2 av 2"],
            [_HEADER.strip()] * 2,
        ),
        # A footer of two lines above the page number; the page numbers are noise already.
        (
            [
                _BODY_1 + "IMDi Nord\nPostboks 2832 Tøyen, 0608 Oslo\n- 1 -",
                _BODY_2 + "IMDi Nord\nPostboks 2832 Tøyen, 0608 Oslo\n- 2 -",
            ],
            ["IMDi Nord", "Postboks 2832 Tøyen, 0608 Oslo"] * 2,
        ),
        # A header with its page number after a page word.
        (
            ["Referat 2024 – side 1 av 2\n" + _BODY_1, "Referat 2024 – side 2 av 2\n" + _BODY_2],
            ["Referat 2024 – side 1 av 2", "Referat 2024 – side 2 av 2"],
        ),
        # Numbers without a page word tell sections apart: the pages' titles.
        (["Gruppe 1\n" + _BODY_1, "Gruppe 2\n" + _BODY_2], []),
        # A line found again in the text is a heading or a point repeated.
        (["Bolig\n" + _BODY_1 + "Bolig\nFlere boliger.", "Bolig\n" + _BODY_2], []),
        # Not at the same edge, or not at the same place from it.
        ([_HEADER + _BODY_1, _BODY_2 + _HEADER], []),
        (["Forord\n" + _HEADER + _BODY_1, _HEADER + _BODY_2], []),
        # A sentence, a line that runs on, or a long line is text.
        (["Takk for sist.\n" + _BODY_1, "Takk for sist.\n" + _BODY_2], []),
        (["Vi foreslår:\n" + _BODY_1, "Vi foreslår:\n" + _BODY_2], []),
        (
            [
                "Dette er en lang linje med mange ord som ingen topptekst har noen gang\n"
                + _BODY_1,
                "Dette er en lang linje med mange ord som ingen topptekst har noen gang\n"
                + _BODY_2,
            ],
            [],
        ),
        # A list item is input, whatever its place.
        (["• Flere boliger\n" + _BODY_1, "• Flere boliger\n" + _BODY_2], []),
        # A page printed twice: nothing of it would be left.
        (["Flere boliger\nMer praksis\n", "Flere boliger\nMer praksis\n"], []),
    ],
)
def test_a_running_header_or_footer_of_two_pages_is_page_furniture(
    pages_text: list[str], furniture: list[str]
) -> None:
    assert _furniture(pages_text) == furniture


def test_a_two_page_pdf_reads_a_sentence_across_its_pages_without_the_header(
    tmp_path: Path,
) -> None:
    from tema.ingest.readers import read_source
    from test_pdf import make_pdf

    header = _HEADER.strip()
    pages = [
        [header, *_BODY_1.splitlines(), "Side 1 av 2"],
        [header, *_BODY_2.splitlines(), "Side 2 av 2"],
    ]
    source = read_source(make_pdf(tmp_path / "referat.pdf", pages))
    blocks = clean_blocks(source.text, LEXICON, pages=source.pages)
    assert [(block.kind, block.text) for block in blocks] == [
        ("noise", header),
        (
            "paragraph",
            "Deltakerne var opptatt av bolig. Flere mente at NAV må følge opp arbeidsgiverne"
            " bedre. Frivillige lag trenger lokaler.",
        ),
        ("noise", "Side 2 av 2"),
    ]
    # The header and page number between the parts lie inside the joined block's span.
    assert blocks[1].start < source.text.index("Side 1 av 2") < blocks[1].end


def test_two_pages_saved_as_text_by_pdftotext_have_their_running_header_found() -> None:
    # pdftotext ends every page with a form feed, the last too: the empty "page" after
    # it is no third page that the header is missing from.
    raw = f"{_HEADER}\n{_BODY_1}\n1\n\x0c{_HEADER}\n{_BODY_2}\n2\n\x0c"
    blocks = clean_blocks(raw, LEXICON)
    assert [(block.kind, block.text) for block in blocks] == [
        ("noise", _HEADER.strip()),
        (
            "paragraph",
            "Deltakerne var opptatt av bolig. Flere mente at NAV må følge opp arbeidsgiverne"
            " bedre. Frivillige lag trenger lokaler.",
        ),
        ("noise", "2"),
    ]
