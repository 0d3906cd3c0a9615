"""Page furniture: the running headers and footers of a PDF's pages (or of text whose
pages form feeds mark), found where the same line recurs at the edges of its pages.

``page_furniture`` gives the start offsets of those lines; ``tema.segment.lines``
makes them noise, so they are neither counted nor read into a sentence broken across
pages. Three pages or more: a line among the first or last ``FURNITURE_EDGE_LINES`` of
a page that recurs there on enough pages. Two pages: a line that is the same at the
same place from the top (or the bottom) of both pages, short, with no final
punctuation, and nowhere else in the text (``_two_page_furniture``).
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Sequence

from tema.segment import nb_layout, nb_sentences
from tema.segment.lines import classify_line

# Running headers and footers: the first and last lines of each page are compared, and
# text that recurs there (numbers aside) on at least this many pages, and on at least
# this share of all pages, is page furniture. A heading that opens a few sections on new
# pages ("INNSPILL FRA DELTAKERNE") recurs too, but on far fewer pages. Four lines: an
# agency's footer is often address, phone and e-mail, and page number, one per line.
FURNITURE_EDGE_LINES = 4
FURNITURE_MIN_PAGES = 3
FURNITURE_MIN_SHARE = 0.4
# Two pages give no share to judge by: a running header or footer there is short (a
# title, an agency's name, an address), and a longer line is text.
TWO_PAGE_MAX_WORDS = 12
# Kinds of line (``classify_line``) a running header or footer of two pages may be: not
# a list item, a quote, a footnote or a programme line, which a header never looks like.
_TWO_PAGE_KINDS = frozenset({"text", "url"})
_DIGITS = re.compile(r"\d+")

# A page's lines that hold more than white space: (start offset, the line).
PageLines = list[tuple[int, str]]


def page_furniture(text: str, pages: Sequence[int]) -> frozenset[int]:
    """Start offsets of the lines of ``text`` that are running headers or footers, given
    the offsets where its pages start (``tema.ingest.readers``: PDF pages) or, without
    them, where form feeds start pages (``form_feed_pages``); empty without pages."""
    # A blank page has no header: pdftotext ends the last page with a form feed too.
    pages_lines = [lines for lines in _page_lines(text, pages or form_feed_pages(text)) if lines]
    if len(pages_lines) == 2:
        return _two_page_furniture(*pages_lines)
    if len(pages_lines) < FURNITURE_MIN_PAGES:
        return frozenset()
    edges: list[tuple[str, int, int]] = []  # (text without numbers, page, line start)
    for page, lines in enumerate(pages_lines):
        if len(lines) > 2 * FURNITURE_EDGE_LINES:
            lines = lines[:FURNITURE_EDGE_LINES] + lines[-FURNITURE_EDGE_LINES:]
        edges.extend((_key(line), page, start) for start, line in lines)
    pages_with: dict[str, set[int]] = {}
    for key, page, _start in edges:
        pages_with.setdefault(key, set()).add(page)
    needed = max(FURNITURE_MIN_PAGES, FURNITURE_MIN_SHARE * len(pages_lines))
    return frozenset(start for key, _page, start in edges if len(pages_with[key]) >= needed)


def form_feed_pages(text: str) -> list[int]:
    """Where the pages of ``text`` start, if form feeds mark them (PDF text saved as .txt
    by pdftotext or a printer driver: a form feed opens each new page); else none."""
    if "\x0c" not in text:
        return []
    return [0, *(match.end() for match in re.finditer("\x0c", text))]


def _page_lines(text: str, pages: Sequence[int]) -> list[PageLines]:
    """The lines of each page that hold more than white space, with their offsets."""
    result = []
    for page_start, page_end in itertools.pairwise([*pages, len(text)]):
        lines = []
        position = page_start
        for with_break in text[page_start:page_end].splitlines(keepends=True):
            if with_break.strip():
                lines.append((position, with_break))
            position += len(with_break)
        result.append(lines)
    return result


def _key(line: str) -> str:
    """A line compared with the lines of other pages: numbers aside, case and spacing
    ignored ("Side 3" and "Side 4" are one footer)."""
    return " ".join(_DIGITS.sub("#", line).lower().split())


def _two_page_furniture(first: PageLines, second: PageLines) -> frozenset[int]:
    """The running header and footer of a text of two pages: from the top of both pages,
    and from the bottom, the lines that are the same at the same place (page numbers and
    other lines that are noise anyway passed over) as long as ``_repeated`` holds. A line
    that is also found anywhere else in the text is text (a heading or a point repeated),
    and if the lines found would leave a page without text (a page printed twice), none
    is furniture. Only text and links may be furniture here: a list item is input."""
    counts = Counter(_key(line) for _start, line in [*first, *second])
    first = [(start, line) for start, line in first if classify_line(line) != "noise"]
    second = [(start, line) for start, line in second if classify_line(line) != "noise"]
    found: set[int] = set()
    for one, two in ((first, second), (first[::-1], second[::-1])):
        for (start_one, line_one), (start_two, line_two) in zip(
            one[:FURNITURE_EDGE_LINES], two[:FURNITURE_EDGE_LINES], strict=False
        ):
            if (
                classify_line(line_one) not in _TWO_PAGE_KINDS
                or counts[_key(line_one)] != 2
                or not _repeated(line_one, line_two)
            ):
                break
            found.update((start_one, start_two))
    if any(all(start in found for start, _line in page) for page in (first, second)):
        return frozenset()
    return frozenset(found)


def _repeated(one: str, two: str) -> bool:
    """Whether two lines at the same place on two pages are one running header or footer:
    the same words (or the same but for the page number after a page word: "Referat –
    side 1"), short, and no sentence or a line that runs on (no final punctuation)."""
    words = one.split()
    return (
        (words == two.split() or bool(nb_layout.PAGE_NUMBER_IN_LINE.search(one)))
        and _key(one) == _key(two)
        and len(words) <= TWO_PAGE_MAX_WORDS
        and not nb_sentences.ENDS_WITH_ANY_PUNCTUATION.search(one)
    )
