"""Word files as their readers see them (tema.ingest.word): the text Word shows, once,
in order, whatever markup holds it."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from tema.errors import UnreadableFile
from tema.ingest.readers import read_source

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NAMESPACES = (
    f'xmlns:w="{W}" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml"'
)


def run(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def docx_with_body(path: Path, body: str, styles=None) -> Path:
    """A .docx whose body is `body` (WordprocessingML, without the w:body element);
    `styles(document)` may add paragraph styles first."""
    import docx
    from lxml import etree

    document = docx.Document()
    if styles is not None:
        styles(document)
    element = document.element.body
    for child in list(element):
        if child.tag != f"{{{W}}}sectPr":
            element.remove(child)
    wrapper = etree.fromstring(f"<w:body {NAMESPACES}>{body}</w:body>")
    for position, child in enumerate(wrapper):
        element.insert(position, child)
    document.save(str(path))
    return path


def text_of(tmp_path: Path, body: str, styles=None) -> str:
    return read_source(docx_with_body(tmp_path / "notat.docx", body, styles)).text


def test_tracked_changes_read_as_accepted(tmp_path: Path):
    body = (
        "<w:p>" + run("Kommunen må ")
        + "<w:del><w:r><w:delText>ikke </w:delText></w:r></w:del>"
        + "<w:ins>" + run("skaffe flere ") + "</w:ins>" + run("boliger.") + "</w:p>"
        + "<w:p><w:moveFrom>" + run("Flyttet bort.") + "</w:moveFrom></w:p>"
        + "<w:p><w:moveTo>" + run("Flyttet hit.") + "</w:moveTo></w:p>"
        + "<w:p><w:ins>" + run("Et helt nytt avsnitt.") + "</w:ins></w:p>"
    )  # fmt: skip
    assert text_of(tmp_path, body) == (
        "Kommunen må skaffe flere boliger.\n\nFlyttet hit.\n\nEt helt nytt avsnitt."
    )


def test_content_controls_smart_tags_and_field_results_keep_their_text(tmp_path: Path):
    body = (
        "<w:sdt><w:sdtContent><w:p>" + run("Hele malen står i en innholdskontroll.")
        + "</w:p></w:sdtContent></w:sdt>"
        + "<w:p>" + run("Møtet ble holdt i ") + "<w:sdt><w:sdtContent>" + run("Tromsø")
        + "</w:sdtContent></w:sdt>" + run(" med ") + "<w:smartTag>" + run("40")
        + "</w:smartTag>" + run(" deltakere.") + "</w:p>"
        + '<w:p><w:fldSimple w:instr="DOCPROPERTY Kommune">' + run("Alta")
        + "</w:fldSimple>" + run(" trenger boliger.") + "</w:p>"
    )  # fmt: skip
    assert text_of(tmp_path, body) == (
        "Hele malen står i en innholdskontroll.\n\n"
        "Møtet ble holdt i Tromsø med 40 deltakere.\n\nAlta trenger boliger."
    )


def test_a_document_wholly_in_a_content_control_is_not_empty(tmp_path: Path):
    body = "<w:sdt><w:sdtContent><w:p>" + run("Bolig først.") + "</w:p></w:sdtContent></w:sdt>"
    assert text_of(tmp_path, body) == "Bolig først."


def test_a_text_box_is_its_own_paragraph_after_its_anchor_and_read_once(tmp_path: Path):
    box = (
        "<w:txbxContent><w:p>" + run("Faktaboks: 40 flyktninger bosatt.") + "</w:p></w:txbxContent>"
    )
    body = (
        "<w:p>" + run("Innledning.") + "<w:r><mc:AlternateContent><mc:Choice Requires=\"wps\">"
        + f"<w:drawing><wps:txbx>{box}</wps:txbx></w:drawing></mc:Choice>"
        + f"<mc:Fallback><w:pict><v:textbox>{box}</v:textbox></w:pict></mc:Fallback>"
        + "</mc:AlternateContent></w:r></w:p>"
        + "<w:p>" + run("Neste avsnitt.") + "</w:p>"
    )  # fmt: skip
    assert text_of(tmp_path, body) == (
        "Innledning.\n\nFaktaboks: 40 flyktninger bosatt.\n\nNeste avsnitt."
    )


def test_breaks_and_tabs_inside_a_paragraph_keep_words_apart(tmp_path: Path):
    body = (
        "<w:p>" + run("Ordet") + '<w:r><w:br w:type="column"/></w:r>' + run("spalte to.")
        + "<w:r><w:tab/></w:r>" + run("NAV") + "<w:r><w:noBreakHyphen/></w:r>" + run("kontoret")
        + "</w:p>"
    )  # fmt: skip
    assert text_of(tmp_path, body) == "Ordet spalte to.\tNAV-kontoret"


def numbered(style: str = "", number: str = "1") -> str:
    style_xml = f'<w:pStyle w:val="{style}"/>' if style else ""
    return (
        f'<w:pPr>{style_xml}<w:numPr><w:ilvl w:val="0"/><w:numId w:val="{number}"/>'
        "</w:numPr></w:pPr>"
    )


def bullet_style(document) -> None:
    """A paragraph style whose numbering is in the style, as organisations' templates
    define their own bullet styles."""
    from docx.enum.style import WD_STYLE_TYPE
    from lxml import etree

    style = document.styles.add_style("Kulepunkt", WD_STYLE_TYPE.PARAGRAPH)
    properties = style.element.get_or_add_pPr()
    properties.append(etree.fromstring(f'<w:numPr {NAMESPACES}><w:numId w:val="3"/></w:numPr>'))


@pytest.mark.parametrize(
    ("paragraph", "bullet"),
    [
        (f"<w:p>{numbered()}{run('Flere boliger')}</w:p>", True),
        (f"<w:p>{numbered('Heading1')}{run('Bolig')}</w:p>", False),  # a numbered heading
        (f"<w:p>{numbered(number='0')}{run('Nummerering fjernet')}</w:p>", False),
        (f'<w:p><w:pPr><w:pStyle w:val="Kulepunkt"/></w:pPr>{run("Mer praksis")}</w:p>', True),
        (f"<w:p>{run('Vanlig avsnitt.')}</w:p>", False),
    ],
)
def test_list_items_by_numbering_on_the_paragraph_or_its_style(
    tmp_path: Path, paragraph: str, bullet: bool
):
    text = text_of(tmp_path, paragraph, styles=bullet_style)
    assert text.startswith("• ") is bullet


def cell(text: str, merge: str = "") -> str:
    merged = f'<w:tcPr><w:vMerge w:val="{merge}"/></w:tcPr>' if merge == "restart" else ""
    if merge == "continue":
        merged = "<w:tcPr><w:vMerge/></w:tcPr>"
    return f"<w:tc>{merged}<w:p>{run(text) if text else ''}</w:p></w:tc>"


def table(rows: list[str]) -> str:
    grid = "<w:tblGrid><w:gridCol/><w:gridCol/></w:tblGrid>"
    return "<w:tbl>" + grid + "".join(f"<w:tr>{row}</w:tr>" for row in rows) + "</w:tbl>"


def test_a_vertically_merged_cell_is_read_once(tmp_path: Path):
    rows = [
        cell("Boligsituasjonen er svært vanskelig for mange.", "restart") + cell("Oslo"),
        cell("", "continue") + cell("Bergen"),
        cell("", "continue") + cell("Tromsø"),
    ]
    text = text_of(tmp_path, table(rows))
    assert text.count("Boligsituasjonen") == 1
    assert "Bergen" in text and "Tromsø" in text


def test_a_table_inside_a_cell_keeps_its_text(tmp_path: Path):
    inner = table([cell("Nestet innspill om leksehjelp.") + cell("Skole")])
    rows = [f"<w:tc><w:p>{run('Gruppe 1')}</w:p>{inner}<w:p/></w:tc>" + cell("Utdanning")]
    text = text_of(tmp_path, table(rows))
    assert "Nestet innspill om leksehjelp." in text and "Gruppe 1" in text


@pytest.mark.parametrize(
    "damage",
    [
        lambda xml: xml.replace(b"</w:body>", b"<w:p></w:body>"),  # malformed XML
        None,  # a corrupt deflate stream
    ],
)
def test_a_damaged_document_is_unreadable_not_a_crash(tmp_path: Path, damage):
    path = docx_with_body(tmp_path / "ok.docx", f"<w:p>{run('Tekst.')}</w:p>")
    damaged = tmp_path / "skadet.docx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(damaged, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "word/document.xml" and damage is not None:
                data = damage(data)
            target.writestr(item, data, compress_type=zipfile.ZIP_DEFLATED)
    if damage is None:  # flip bytes inside the compressed document.xml
        raw = bytearray(damaged.read_bytes())
        with zipfile.ZipFile(damaged) as archive:
            info = archive.getinfo("word/document.xml")
        start = info.header_offset + 30 + len(info.filename) + len(info.extra) + 10
        for offset in range(start, start + 40):
            raw[offset] ^= 0xFF
        damaged.write_bytes(bytes(raw))
    with pytest.raises(UnreadableFile, match=r"skadet\.docx"):
        read_source(damaged)


def heading(text: str, style: str = "Heading1") -> str:
    return f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>{run(text)}</w:p>'


def test_words_headings_are_headings_and_sections_whatever_their_words(tmp_path: Path):
    """A heading that reads as a question or a sentence is still a heading: not counted,
    and the section of the paragraphs under it."""
    import spacy

    from tema.ingest.stage import documents_from_files
    from tema.segment.stage import segment_ingested

    body = (
        heading("Hva kan arbeidsgivere gjøre for å rekruttere flere innvandrere?")
        + f"<w:p>{run('Bedriftene bør ta inn flere på praksisplass.')}</w:p>"
        + heading("Arbeidsgivere må tørre å ansette folk med hull i CV-en", "Heading2")
        + f"<w:p>{run('Mange blir sortert bort på grunn av navnet.')}</w:p>"
        + f'<w:p><w:pPr><w:outlineLvl w:val="1"/></w:pPr>{run("Bolig og bosetting.")}</w:p>'
        + f"<w:p>{run('Kommunene må bosette flere.')}</w:p>"
    )  # fmt: skip
    path = docx_with_body(tmp_path / "referat.docx", body)
    nlp = spacy.blank("nb")
    nlp.add_pipe("sentencizer")
    units = [unit for _, unit in segment_ingested(documents_from_files([path]), nlp)]
    by_text = {unit.text: unit for unit in units}
    assert [unit.kind for unit in units] == ["heading", "sentence"] * 3
    assert by_text["Mange blir sortert bort på grunn av navnet."].section == (
        "Arbeidsgivere må tørre å ansette folk med hull i CV-en"
    )
    assert by_text["Kommunene må bosette flere."].section == "Bolig og bosetting."


def test_a_content_control_still_showing_its_placeholder_holds_no_input(tmp_path: Path):
    placeholder = "<w:sdtPr><w:showingPlcHdr/></w:sdtPr>"
    body = (
        f"<w:sdt>{placeholder}<w:sdtContent><w:p>"
        + run("Klikk eller trykk her for å skrive inn tekst.") + "</w:p></w:sdtContent></w:sdt>"
        + "<w:p>" + run("Innspill: ") + f"<w:sdt>{placeholder}<w:sdtContent>"
        + run("Klikk her.") + "</w:sdtContent></w:sdt></w:p>"
        + "<w:p>" + run("Skrevet av deltakeren.") + "</w:p>"
    )  # fmt: skip
    assert text_of(tmp_path, body) == "Innspill:\n\nSkrevet av deltakeren."


def test_a_style_based_on_itself_is_read_not_a_hang(tmp_path: Path):
    def looping_style(document) -> None:
        from docx.enum.style import WD_STYLE_TYPE
        from lxml import etree

        style = document.styles.add_style("Sirkel", WD_STYLE_TYPE.PARAGRAPH)
        based_on = etree.fromstring(f'<w:basedOn {NAMESPACES} w:val="Sirkel"/>')
        style.element.insert(0, based_on)

    paragraph = f'<w:p><w:pPr><w:pStyle w:val="Sirkel"/></w:pPr>{run("Tekst i stil.")}</w:p>'
    assert text_of(tmp_path, paragraph, styles=looping_style) == "Tekst i stil."


@pytest.mark.parametrize(
    ("rows", "texts"),
    [
        # A repeating section of a form wraps its rows in a content control.
        (
            "<w:sdt><w:sdtContent><w:tr>" + cell("Rad i en gjentakende del.") + cell("Bolig")
            + "</w:tr></w:sdtContent></w:sdt>",
            ["Rad i en gjentakende del.", "Bolig"],
        ),
        # A merge that continues from no row above (as some converters write it).
        (
            "<w:tr>" + cell("", "continue") + cell("Svar uten celle over.") + "</w:tr>",
            ["Svar uten celle over."],
        ),
    ],
)  # fmt: skip
def test_table_rows_in_controls_and_odd_merges_are_read(tmp_path: Path, rows, texts):
    body = "<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/></w:tblGrid>" + rows + "</w:tbl>"
    text = text_of(tmp_path, body)
    assert all(piece in text for piece in texts)


def test_list_paragraph_with_its_numbering_removed_is_a_paragraph(tmp_path: Path):
    paragraph = f"<w:p>{numbered('ListParagraph', number='0')}{run('Et innrykket avsnitt.')}</w:p>"
    assert text_of(tmp_path, paragraph) == "Et innrykket avsnitt."


def segmented(path: Path) -> list:
    """The units of a .docx as the pipeline makes them (with spaCy's simple sentencizer)."""
    import spacy

    from tema.ingest.stage import documents_from_files
    from tema.segment.stage import segment_ingested

    nlp = spacy.blank("nb")
    nlp.add_pipe("sentencizer")
    return [unit for _, unit in segment_ingested(documents_from_files([path]), nlp)]


def kinds_of(path: Path) -> list[tuple[str, str]]:
    return [(unit.kind, unit.text) for unit in segmented(path)]


def test_a_heading_is_judged_by_its_words_where_word_does_not_decide(tmp_path: Path):
    """A table's first row in bold, a heading run together with the paragraph after it, and
    a whole paragraph in a heading style are judged as any text is, so input stays counted."""
    long_title = " ".join(["Kommunene må bosette flere flyktninger"] * 6) + "."
    body = (
        heading("Bolig og bosetting")
        + f"<w:p>{run('kommunene må bosette flere flyktninger i år.')}</w:p>"
        + heading(long_title, "Title")
        + table([
            "<w:tc><w:p><w:r><w:rPr><w:b/></w:rPr><w:t>Kommunen må bygge flere boliger.</w:t>"
            "</w:r></w:p></w:tc>" + cell(""),
            cell("Det tar for lang tid å få bolig.") + cell(""),
        ])
    )  # fmt: skip
    units = kinds_of(docx_with_body(tmp_path / "notat.docx", body))
    counted = [text for kind, text in units if kind != "heading"]
    assert any("kommunene må bosette flere flyktninger i år." in text for text in counted)
    assert long_title in counted
    assert any("Kommunen må bygge flere boliger." in text for text in counted)


def row(*texts: str, properties: str = "", bold: bool = False) -> str:
    """The inside of a table row (for `table`) of one-paragraph cells; `properties` is its
    w:trPr."""
    look = "<w:rPr><w:b/></w:rPr>" if bold else ""
    cells = (f"<w:tc><w:p><w:r>{look}<w:t>{text}</w:t></w:r></w:p></w:tc>" for text in texts)
    return properties + "".join(cells)


@pytest.mark.parametrize(
    ("first_row", "counted"),
    [
        # Short labels over longer rows: as often input as a header.
        (row("Bolig", "Flere utleieboliger"), True),
        # A header that Word does not mark is counted as a row: visible, not lost.
        (row("Tema", "Innspill"), True),
        (row("Tema", "Innspill", properties="<w:trPr><w:tblHeader/></w:trPr>"), False),
        (row("Tema", "Innspill", properties='<w:trPr><w:tblHeader w:val="0"/></w:trPr>'), True),
        (row("Tema", "Innspill", bold=True), False),
    ],
)  # fmt: skip
def test_a_tables_first_row_is_a_header_only_where_word_shows_one(
    tmp_path: Path, first_row: str, counted: bool
):
    rows = [
        first_row,
        row("Arbeid", "Arbeidsgivere bør ansette flere innvandrere, også uten perfekt norsk."),
        row("Frivillighet", "Frivillige lag trenger faste tilskudd og gratis lokaler."),
    ]
    body = heading("Innspill fra gruppene") + table(rows)
    units = kinds_of(docx_with_body(tmp_path / "tabell.docx", body))
    counted_texts = [text for kind, text in units if kind != "heading"]
    first_text = "Bolig | Flere utleieboliger" if "Bolig" in first_row else "Tema | Innspill"
    assert (first_text in counted_texts) is counted
    assert counted_texts[-2:] == [
        "Arbeid | Arbeidsgivere bør ansette flere innvandrere, også uten perfekt norsk.",
        "Frivillighet | Frivillige lag trenger faste tilskudd og gratis lokaler.",
    ]


@pytest.mark.parametrize(("header_row_option", "header"), [("1", True), ("0", False)])
def test_a_table_style_that_sets_the_first_row_in_bold_makes_it_the_header(
    tmp_path: Path, header_row_option: str, header: bool
):
    """Word's built-in table designs show the first row in bold where the table's "Header
    Row" option is on; the runs themselves are not bold."""
    import docx
    from docx.oxml.ns import qn

    document = docx.Document()
    grid = document.add_table(rows=2, cols=2)
    grid.style = "Light Grid Accent 1"
    grid._tbl.tblPr.find(qn("w:tblLook")).set(qn("w:firstRow"), header_row_option)
    for number, texts in enumerate([("Tema", "Innspill"), ("Bolig", "Flere utleieboliger")]):
        for column, text in enumerate(texts):
            grid.cell(number, column).text = text
    path = tmp_path / "stilet.docx"
    document.save(str(path))
    assert read_source(path).text.startswith("Tema | Innspill\n\n") is header


def paragraphs_cell(*paragraphs: str) -> str:
    """A cell of several paragraphs: `numbered()` before a text makes it a list item."""
    return "<w:tc>" + "".join(f"<w:p>{text}</w:p>" for text in paragraphs) + "</w:tc>"


def units_of(tmp_path: Path, body: str) -> list[tuple[str, str, str]]:
    """(kind, section, text) of each unit of a .docx whose body is `body`."""
    units = segmented(docx_with_body(tmp_path / "gruppe.docx", body))
    return [(unit.kind, unit.section, unit.text) for unit in units]


GROUP_POINTS = [
    "Flere kommunale utleieboliger",
    "Arbeidsgivere må ansette flere med hull i CV-en",
    "Frivillige lag trenger lokaler",
]


@pytest.mark.parametrize(
    ("row_cells", "expected"),
    [
        # A list in a cell beside the row's label: each item its own unit, under the label.
        (cell("Gruppe 1") + paragraphs_cell(*(numbered() + run(p) for p in GROUP_POINTS)),
         [("heading", "Gruppe 1", "Gruppe 1")]
         + [("bullet", "Gruppe 1", point) for point in GROUP_POINTS]),
        # Points typed as plain paragraphs, short and without full stops: counted too.
        (cell("Gruppe 1") + paragraphs_cell(*(run(p) for p in GROUP_POINTS)),
         [("heading", "Gruppe 1", "Gruppe 1")]
         + [("bullet", "Gruppe 1", point) for point in GROUP_POINTS]),
        # The label written in the cell above its list: the list's introduction.
        (paragraphs_cell(run("Gruppe 1"), *(numbered() + run(p) for p in GROUP_POINTS)),
         [("heading", "Gruppe 1", "Gruppe 1")]
         + [("bullet", "Gruppe 1", point) for point in GROUP_POINTS]),
        # A cell after the cell of several points is a point of its own, counted once.
        (cell("Gruppe 1") + paragraphs_cell(*(run(p) for p in GROUP_POINTS[:2]))
         + cell("Kommunen har ansvaret."),
         [("heading", "Gruppe 1", "Gruppe 1")]
         + [("bullet", "Gruppe 1", point) for point in GROUP_POINTS[:2]]
         + [("bullet", "Gruppe 1", "Kommunen har ansvaret.")]),
        # A row whose cells hold one paragraph each is one unit, as a reader reads it.
        (cell("Gruppe 2") + cell("Mer norskopplæring på arbeidsplassen"),
         [("bullet", "Gruppe | Innspill", "Gruppe 2 | Mer norskopplæring på arbeidsplassen")]),
    ],
)  # fmt: skip
def test_each_paragraph_or_list_item_in_a_table_cell_is_its_own_unit(
    tmp_path: Path, row_cells: str, expected: list[tuple[str, str, str]]
):
    header = "<w:trPr><w:tblHeader/></w:trPr>" + cell("Gruppe") + cell("Innspill")
    body = heading("Notater") + table([header, row_cells])
    assert units_of(tmp_path, body)[2:] == expected


@pytest.mark.parametrize(
    ("vanish", "shown"),
    [("<w:vanish/>", False), ('<w:vanish w:val="true"/>', False),
     ('<w:vanish w:val="0"/>', True), ("", True)],
)  # fmt: skip
def test_hidden_text_is_not_read(tmp_path: Path, vanish: str, shown: bool):
    """Word neither shows nor prints a run formatted as hidden ("Skjult")."""
    hidden = f'<w:r><w:rPr>{vanish}</w:rPr><w:t xml:space="preserve">{{}}</w:t></w:r>'
    body = (
        "<w:p>" + run("Kommunen må bygge flere boliger.")
        + hidden.format(" Husk å sjekke tallene.") + "</w:p>"
        + "<w:p>" + hidden.format("Notat til meg selv.") + "</w:p>"
    )  # fmt: skip
    expected = "Kommunen må bygge flere boliger."
    if shown:
        expected += " Husk å sjekke tallene.\n\nNotat til meg selv."
    assert text_of(tmp_path, body) == expected


@pytest.mark.parametrize(
    ("font", "code", "shown"),
    [
        ("Symbol", "F0B3", "≥"),  # Insert > Symbol in the Symbol font
        ("Symbol", "F0A3", "≤"),
        ("Symbol", "F044", "Δ"),
        ("Symbol", "00B3", "≥"),  # the same code without the private-use offset
        ("Symbol", "F0E6", "\uf0e6"),  # a piece of a tall bracket: kept as Word stores it
        ("Wingdings", "F0FC", "\uf0fc"),  # a check mark: kept, as PDF extraction gives it
        ("Calibri", "2265", "≥"),  # a Unicode font: the character itself
        ("Symbol", "ikke-hex", ""),  # damaged
    ],
)
def test_a_symbol_inserted_by_word_is_read(tmp_path: Path, font: str, code: str, shown: str):
    symbol = f'<w:r><w:sym w:font="{font}" w:char="{code}"/></w:r>'
    body = f"<w:p>{run('Tilbudet gjelder alle ')}{symbol}{run(' 18 år.')}</w:p>"
    assert text_of(tmp_path, body) == f"Tilbudet gjelder alle {shown} 18 år."
