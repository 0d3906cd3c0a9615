"""PDF files as their readers see them (tema.ingest.pdf): the text layer with its pages,
and what cannot be read (encrypted, damaged, scanned) named, file and page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tema.errors import UnreadableFile
from tema.ingest.readers import page_of, read_source


def make_pdf(path: Path, pages: list[list[str]], encrypt: str | None = None) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=A4, encrypt=encrypt, invariant=1)
    for lines in pages:
        y = 800
        for line in lines:
            pdf.drawString(72, y, line)
            y -= 16
        if not lines:  # a "scanned" page: a picture of text, no text layer
            pdf.rect(72, 400, 300, 200, fill=1)
        pdf.showPage()
    pdf.save()
    return path


def test_pdf_keeps_page_numbers(tmp_path: Path):
    path = make_pdf(tmp_path / "møte.pdf", [["Side en om bolig."], ["Side to om arbeid."]])
    source = read_source(path)
    assert source.pages[0] == 0 and len(source.pages) == 2
    two = source.text.index("Side to")
    assert page_of(source.pages, two) == 2
    assert page_of(source.pages, source.text.index("Side en")) == 1
    assert source.text[source.pages[1] :].startswith("Side to")


@pytest.mark.parametrize(
    ("pages", "encrypt", "message"),
    [
        ([[], []], None, r"has no text layer \(2 page\(s\), probably scanned\)"),
        ([["Hemmelig innhold."]], "passord", "is encrypted"),
    ],
)
def test_pdf_without_readable_text_is_unreadable_naming_the_file(
    tmp_path: Path, pages, encrypt, message
):
    path = make_pdf(tmp_path / "skannet.pdf", pages, encrypt)
    with pytest.raises(UnreadableFile, match=message) as error:
        read_source(path)
    assert "skannet.pdf" in str(error.value)


def test_a_pdf_cut_off_is_still_a_damaged_pdf_not_text(tmp_path: Path):
    path = make_pdf(tmp_path / "kuttet.pdf", [["Side en."]])
    path.write_bytes(path.read_bytes()[:400])
    with pytest.raises(UnreadableFile, match=r"kuttet\.pdf: is not a readable PDF \("):
        read_source(path)


def test_pdf_protected_only_against_editing_is_read(tmp_path: Path):
    from reportlab.lib import pdfencrypt

    encryption = pdfencrypt.StandardEncryption("", ownerPassword="eier", canPrint=1)
    path = make_pdf(tmp_path / "låst.pdf", [["Åpen tekst om bolig."]], encryption)
    assert "Åpen tekst om bolig." in read_source(path).text


def test_scanned_pages_among_text_pages_are_named_in_a_warning(tmp_path: Path):
    from PIL import Image
    from reportlab.pdfgen import canvas

    picture = tmp_path / "side.png"
    Image.new("RGB", (80, 110), "white").save(picture)
    path = tmp_path / "delvis.pdf"
    pdf = canvas.Canvas(str(path), invariant=1)
    pdf.drawString(72, 700, "Rapport fra innspillmøtet i Kristiansand")
    pdf.showPage()
    for _ in range(2):  # two scanned pages: a picture of text
        pdf.drawImage(str(picture), 40, 40, 515, 760)
        pdf.showPage()
    pdf.showPage()  # a blank page is not scanned
    pdf.save()
    with pytest.warns(UserWarning, match=r"delvis\.pdf: pages 2, 3 have no text, only a picture"):
        source = read_source(path)
    assert source.text.strip() == "Rapport fra innspillmøtet i Kristiansand"
    assert source.unread_pages == [2, 3]  # named in the report


def damage_page_streams(path: Path, count: int) -> Path:
    """The PDF with the filter name of its first `count` page streams garbled, as a byte
    flipped in transfer does (pypdf then raises NotImplementedError, not PdfReadError)."""
    data = path.read_bytes()
    assert data.count(b"/FlateDecode") >= count
    path.write_bytes(data.replace(b"/FlateDecode", b"/FlateDecodX", count))
    return path


def test_a_pdf_with_a_damaged_page_is_read_without_it_and_a_warning_names_the_page(
    tmp_path: Path,
):
    path = make_pdf(tmp_path / "møte.pdf", [["Side en om bolig."], ["Side to om arbeid."]])
    damage_page_streams(path, 1)
    with pytest.warns(UserWarning, match=r"møte\.pdf: page 1 cannot be read .*left out"):
        source = read_source(path)
    assert source.text.strip() == "Side to om arbeid."
    assert page_of(source.pages, source.text.index("Side to")) == 2
    assert source.unread_pages == [1]


def test_a_pdf_whose_pages_are_all_damaged_is_unreadable_and_the_batch_goes_on(
    tmp_path: Path,
):
    from tema.ingest.stage import ingest

    raw = tmp_path / "raw"
    raw.mkdir()
    make_pdf(raw / "god.pdf", [["Deltakerne ønsket flere praksisplasser."]])
    damage_page_streams(make_pdf(raw / "skadet.pdf", [["Side en."], ["Side to."]]), 2)
    with pytest.warns(UserWarning) as caught:  # also: god.pdf is not in a manifest
        documents = list(ingest(raw))
    assert [Path(document.file).name for document in documents] == ["god.pdf"]
    assert any(
        re.search(r"skadet\.pdf: is not a readable PDF .*skipped", str(warning.message))
        for warning in caught
    )
