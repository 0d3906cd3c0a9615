"""Markdown notes (tema.ingest.markdown): read as they render, the markup left out."""

from __future__ import annotations

from pathlib import Path

import pytest

from tema.ingest.markdown import markdown_lines


@pytest.mark.parametrize(
    ("markdown", "lines"),
    [
        ("## Bolig\n\nFor få boliger.\n", [("heading", "Bolig"), ("paragraph", "For få boliger.")]),
        # "---" under a line is a separator in notes, not a setext heading.
        (
            "Vi ble enige om budsjettet.\n---\nNeste sak var bolig.\n",
            [("paragraph", "Vi ble enige om budsjettet."), ("paragraph", "Neste sak var bolig.")],
        ),
        ("<!-- kladd -->\nVi møttes i Oslo.\n", [("paragraph", "Vi møttes i Oslo.")]),
        (
            "**Hva fungerer bra?**\n- Språkkafé\n- Tett *oppfølging*\n",
            [
                ("paragraph", "Hva fungerer bra?"),
                ("item", "Språkkafé"),
                ("item", "Tett oppfølging"),
            ],
        ),
        (  # a numbered list is a list, also a loose one with paragraphs in its items
            "1. Flere boliger\n2. Mer praksis\n   - i ordinære bedrifter\n",
            [("item", "Flere boliger"), ("item", "Mer praksis"), ("item", "i ordinære bedrifter")],
        ),
        (
            "1. Flere boliger\n\n   Mange bor trangt.\n\n2. Mer praksis\n",
            [
                ("item", "Flere boliger"),
                ("paragraph", "Mange bor trangt."),
                ("item", "Mer praksis"),
            ],
        ),
        # An item that goes on in lower case after its number keeps the number (a date).
        (
            "1. mai: Oppstart\n2. mai: Møte med NAV\n",
            [("item", "1. mai: Oppstart"), ("item", "2. mai: Møte med NAV")],
        ),
        # A "list" of one item keeps its number, for the segmenter to read: a date or a
        # numbered section title.
        ("17. mai feiret vi sammen.\n", [("numbered", "17. mai feiret vi sammen.")]),
        ("1. Innledning\n\nTekst.\n", [("numbered", "1. Innledning"), ("paragraph", "Tekst.")]),
        (
            "- punkt med to avsnitt\n\n  andre avsnitt\n",
            [("item", "punkt med to avsnitt"), ("paragraph", "andre avsnitt")],
        ),
        (
            "| Tema | Innspill |\n|---|---|\n| Bolig | For høye husleier |\n| Arbeid | |\n",
            [
                ("heading", "Tema | Innspill"),
                ("item", "Bolig | For høye husleier"),
                ("item", "Arbeid"),
            ],
        ),
        (
            "> – Vi trenger mer praksis, sa en deltaker.\n",
            [("paragraph", "– Vi trenger mer praksis, sa en deltaker.")],
        ),
        (
            "Se [nettsiden](https://www.imdi.no) og\nring oss.<br>\n",
            [("paragraph", "Se nettsiden og\nring oss.")],
        ),
        ("Prosent: 5 \\* 3\n", [("paragraph", "Prosent: 5 * 3")]),
    ],
)
def test_markdown_blocks_read_as_they_render(markdown: str, lines: list) -> None:
    assert markdown_lines(markdown) == lines


def test_markdown_notes_give_headings_as_sections_and_points_without_markup(
    tmp_path: Path,
) -> None:
    import spacy

    from tema.ingest.stage import documents_from_files
    from tema.segment.stage import segment_ingested

    path = tmp_path / "notat.md"
    path.write_text(
        "# Innspill fra Bodø\n\n**Hva fungerer bra?**\n\n- Språkkafé på biblioteket\n"
        "- Tett oppfølging fra programrådgiver\n\n| Tema | Innspill |\n|---|---|\n"
        "| Bolig | For høye husleier |\n\nTakk for innspillene.\n\n1. Bakgrunn\n\n"
        "Prosjektet startet i 2019.\n\n17. mai feiret vi sammen.\n",
        encoding="utf-8",
    )
    nlp = spacy.blank("nb")
    nlp.add_pipe("sentencizer")
    units = [unit for _, unit in segment_ingested(documents_from_files([path]), nlp)]
    assert [(unit.kind, unit.text, unit.section) for unit in units] == [
        ("heading", "Innspill fra Bodø", "Innspill fra Bodø"),
        ("sentence", "Hva fungerer bra?", "Innspill fra Bodø"),
        ("bullet", "Språkkafé på biblioteket", "Innspill fra Bodø"),
        ("bullet", "Tett oppfølging fra programrådgiver", "Innspill fra Bodø"),
        ("heading", "Tema | Innspill", "Tema | Innspill"),
        ("bullet", "Bolig | For høye husleier", "Tema | Innspill"),
        ("sentence", "Takk for innspillene.", "Tema | Innspill"),
        ("heading", "1. Bakgrunn", "1. Bakgrunn"),  # a numbered title, as in a .txt
        ("sentence", "Prosjektet startet i 2019.", "1. Bakgrunn"),
        ("sentence", "17. mai feiret vi sammen.", "1. Bakgrunn"),  # a date, not an item
    ]
