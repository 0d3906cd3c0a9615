"""PDF files: the text layer of each page, and which pages could not be read.

A PDF is read with pypdf. What goes wrong with real-world PDFs is said, and one file never
stops the batch: an encrypted file (other than one locked only against editing, with an
empty open password), a damaged or cut-off file and a file that is plain text under a .pdf
name are `UnreadableFile`, named with the reason; a file with no text layer at all
(scanned) is `UnreadableFile` with the advice to run OCR. Within a readable file, a damaged
page (a broken content stream) and a scanned page among text pages (a picture, no text)
are left out with a warning naming them, and listed in `PdfText.unread_pages` so that the
report can say which input is missing from the counts.

Kept apart from `tema.ingest.readers`, which turns the result into a `Source` (as it does
the lines of `tema.ingest.word`), so that the PDF reading and its failure modes stay in
one place.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tema.errors import UnreadableFile
from tema.io.encodings import renamed_text_reason
from tema.io.tables import read_bytes

# Warnings point at the code that asked for the file: the caller of readers.read_pdf.
_READER_CALLER = 3


@dataclass(frozen=True)
class PdfText:
    """A PDF's text, its pages joined by a line break; `pages`: the offset in `text` where
    each page starts (page 1 at 0); `unread_pages`: the pages (1-based) left out, damaged
    or scanned among text pages."""

    text: str
    pages: list[int]
    unread_pages: list[int]


def pdf_text(path: Path) -> PdfText:
    """The text layer of a PDF, pages joined by a line break, with page start offsets.

    A damaged page (a broken content stream) is left out with a warning naming it and the
    rest is read; a file none of whose pages can be read is `UnreadableFile`."""
    import logging

    from pypdf import PdfReader

    # pypdf logs recoverable oddities of real-world PDFs; they are not the user's concern.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(read_bytes(path)))
        if reader.is_encrypted:
            # Many PDFs are "encrypted" only against editing, with an empty open password.
            try:
                opened = reader.decrypt("")
            except Exception as exc:  # pypdf raises several types for unsupported schemes
                raise UnreadableFile(path, f"is encrypted and cannot be opened ({exc})") from exc
            if not opened:
                raise UnreadableFile(
                    path, "is encrypted (password protected); save an unprotected copy"
                )
        pdf_pages = list(reader.pages)
    except UnreadableFile:
        raise
    except Exception as exc:
        # Damaged bytes reach pypdf's parser as PdfReadError, LimitReachedError,
        # ValueError, TypeError, NotImplementedError …: every one means this file cannot
        # be read, and one file must not stop the batch.
        reason = renamed_text_reason(path, "PDF") or f"is not a readable PDF ({exc})"
        raise UnreadableFile(path, reason) from exc
    texts, damaged = _page_texts(pdf_pages)
    if damaged and len(damaged) == len(texts):
        raise UnreadableFile(path, f"is not a readable PDF ({damaged[0][1]})")
    for number, reason in damaged:
        warnings.warn(
            f"{path}: page {number} cannot be read ({reason}); its text is left out",
            stacklevel=_READER_CALLER,
        )
    if not any(text.strip() for text in texts):
        raise UnreadableFile(
            path,
            f"has no text layer ({len(texts)} page(s), probably scanned); "
            "run OCR on it (e.g. ocrmypdf) and ingest the result",
        )
    scanned = [
        number
        for number, (page, text) in enumerate(zip(pdf_pages, texts, strict=True), start=1)
        if not text.strip() and _shows_picture(page)
    ]
    if scanned:
        # Their input would be missing from the counts without a word: a report whose
        # appendix of group notes was scanned.
        listed = ", ".join(map(str, scanned))
        which = f"page {listed} has" if len(scanned) == 1 else f"pages {listed} have"
        warnings.warn(
            f"{path}: {which} no text, only a picture (scanned?), and cannot be counted. "
            "Run OCR on the file (e.g. ocrmypdf) to read it",
            stacklevel=_READER_CALLER,
        )
    pages: list[int] = []
    parts: list[str] = []
    offset = 0
    for text in texts:
        text = text.rstrip()
        pages.append(offset)
        parts.append(text)
        offset += len(text) + 1  # the "\n" that joins pages
    unread = sorted({number for number, _reason in damaged} | set(scanned))
    return PdfText("\n".join(parts), pages, unread)


def _page_texts(pages: list[Any]) -> tuple[list[str], list[tuple[int, str]]]:
    """Each page's text ("" for a damaged page) and the damaged pages (number, reason)."""
    texts: list[str] = []
    damaged: list[tuple[int, str]] = []
    for number, page in enumerate(pages, start=1):
        try:
            texts.append(page.extract_text() or "")
        except Exception as exc:  # as in pdf_text: a damaged page, whatever pypdf raises
            texts.append("")
            damaged.append((number, str(exc) or type(exc).__name__))
    return texts, damaged


def _shows_picture(page: Any) -> bool:
    """Whether a PDF page draws an image (a page without text that does is scanned; one
    that does not is blank)."""
    try:
        resources = page.get("/Resources")
        objects = resources.get_object().get("/XObject") if resources is not None else None
        if objects is None:
            return False
        return any(
            shown.get_object().get("/Subtype") == "/Image"
            for shown in objects.get_object().values()
        )
    except Exception:  # a page without resources, or damaged ones: no picture found
        return False
