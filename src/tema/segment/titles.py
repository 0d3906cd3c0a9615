"""Which lines of a block are titles: above body text, above a list, or numbered.

PDF extraction drops the blank lines around a heading, and typed notes often leave them
out; these rules find a title line from its length, its capital, its missing final
punctuation and the line above and below it. ``tema.segment.blocks`` uses them while it
groups lines into blocks.
"""

from __future__ import annotations

import re

from tema.segment import nb_layout, nb_sentences, nb_words
from tema.segment.lines import Line

# A line at most this share as long as the next one, without punctuation at its end and
# followed by a capital, is a title line above body text (no blank line between them).
SHORT_TITLE_SHARE = 0.6


# The most words of a title line above a one-line paragraph (see `ends_short_title`).
TITLE_WORDS = 8


def ends_short_title(
    raw: str, previous: Line, line: Line, content: str, alone: bool = False
) -> bool:
    """True when ``previous`` is a short title line directly above body text ``line``.

    The title has no final punctuation and the body starts with a capital. Either the title
    is at most SHORT_TITLE_SHARE as long as the body line, or (``alone``: the title is the
    only line of its block so far) the body line is a whole sentence of its own, however
    short ("Innspill om språkkravene / Kravene er for strenge."): PDF text extraction drops
    the blank line between them. A title of at most TITLE_WORDS words that does not end in
    a word that continues a sentence ("… i / Oslo.") counts.
    """
    title = raw[previous.start : previous.end].strip()
    if (
        nb_sentences.ENDS_WITH_ANY_PUNCTUATION.search(title)
        or title.endswith(("-", "–"))
        or not nb_words.STARTS_UPPER.match(content)
    ):
        return False
    if len(title) <= SHORT_TITLE_SHARE * len(content):
        return True
    words = title.split()
    return (
        alone
        and len(words) <= TITLE_WORDS
        and bool(nb_words.STARTS_UPPER.match(title))
        and words[-1].lower() not in nb_layout.CONTINUING_WORDS
        and len(content.split()) >= 2
        and bool(nb_sentences.ENDS_WITH_TERMINAL.search(content))
    )


# The most words of a line above a list that is taken for the list's title.
LIST_TITLE_WORDS = 8


def list_title(raw: str, current: list[Line]) -> int:
    """How many of the last lines of a block are the title of the list that follows (0:
    none): a short title below a finished sentence (``title_below``: "… veileder).\n
    Gruppe 2: Arbeidsliv\n- …"); or a capitalised line that ends in a colon ("Innspill
    fra gruppe 2:") below a finished sentence or list item, which introduces the list:
    PDF extraction drops the blank line between a list and the next list's introduction;
    or a short line (``_point_like``) right below a line ending in a colon ("Vi foreslår
    følgende:" / "Arbeid" / "- …"): the colon line is a sentence of its own, counted.
    """
    if len(current) < 2 or current[-1].kind != "text":
        return 0
    content = raw[current[-1].start : current[-1].end].strip()
    if (
        content.endswith(":")
        and nb_words.STARTS_UPPER.match(content)
        and _finished(raw, current, current[-2], items_too=True)
    ):
        return 1
    above = raw[current[-2].start : current[-2].end].rstrip()
    if current[-2].kind == "text" and above.endswith(":") and _point_like(content):
        return 1
    return title_below(raw, current)


# A numbered section title ("2. Bolig", "2.2 Arbeidsgivernes erfaringer …").
_NUMBERED_TITLE = re.compile(r"^[ \t]*\d{1,2}(?:\.\d{1,2})*\.?[ \t]+(?=[A-ZÆØÅ])")


def title_below(raw: str, current: list[Line]) -> int:
    """How many of the last lines of a block are a title below a finished sentence or a
    finished list item (0: none). A title has no punctuation at its line ends and is
    either one capitalised line of at most LIST_TITLE_WORDS words, or a numbered title
    wrapped over two lines ("2.2 Arbeidsgivernes erfaringer med rekruttering av /
    flyktninger"), right below a line that ends a sentence. (Below a list item without
    a full stop it cannot be told from the item's wrapped last line: "… spesielt /
    NHO og Virke".)"""
    for size in (1, 2):
        if len(current) <= size:
            return 0
        title = current[-size:]
        texts = [raw[line.start : line.end].strip() for line in title]
        opening = nb_words.STARTS_UPPER if size == 1 else _NUMBERED_TITLE
        if (
            all(line.kind == "text" for line in title)
            and opening.match(texts[0])
            and len(" ".join(texts).split()) <= size * LIST_TITLE_WORDS
            and not any(nb_sentences.ENDS_WITH_ANY_PUNCTUATION.search(text) for text in texts)
            and not texts[0].endswith(("-", "–", "\u00ad"))
            and _finished(raw, current, current[-size - 1])
        ):
            return size
    return 0


# The most words of a point that typed notes list without markers below a sentence or a
# colon ("Vi foreslår dette:" / "Flere kurs" / "Bedre tolketjenester").
POINT_WORDS = LIST_TITLE_WORDS


def _point_like(text: str) -> bool:
    """Whether a line reads as a point of typed notes: capitalised, at most POINT_WORDS
    words, no punctuation or hyphen at its end (a caption's cue does not matter here:
    "Les mer om ordningen på nettsiden" in a list is a point)."""
    return (
        bool(nb_words.STARTS_UPPER.match(text))
        and len(text.split()) <= POINT_WORDS
        and not nb_sentences.ENDS_WITH_ANY_PUNCTUATION.search(text)
        and not text.endswith(("-", "–", "\u00ad"))
    )


def body_below_points(text: str) -> bool:
    """Whether a line below points of typed notes is body text, not one more point: it
    opens with a capital and is no point (``_point_like``: longer, or punctuated at its
    end: "Neste punkt er bolig.")."""
    return bool(nb_words.STARTS_UPPER.match(text)) and not _point_like(text)


def points_go_on(raw: str, current: list[Line], line: Line, following: Line | None) -> bool:
    """In typed notes, whether ``line`` is one more point below a colon or a sentence, not
    body text below a title, however much longer than the line above it: below a colon,
    the lines of the block ``current`` after the colon are points (``_point_like``), so
    is ``line``, and a blank line, the end of the text (``following`` None) or another
    point follows it ("Vi foreslår dette:" / "Flere kurs" / "Bedre tolketjenester");
    below a sentence, ``line`` is the second point of two that end the block ("… i
    kommunen." / "Mer praksis" / "Bedre tolketjeneste" / blank), which
    ``lists.trailing_point_count`` then makes items: more such lines are a run of points
    of their own (``lists.unmarked_list_items``). A title is followed by a paragraph."""
    texts = [raw[above.start : above.end].strip() for above in current]
    ends = [
        index
        for index, text in enumerate(texts[:-1])
        if text.endswith(":") or nb_sentences.ENDS_WITH_TERMINAL.search(text)
    ]
    after = raw[following.start : following.end].strip() if following else ""
    if not ends or not _point_like(raw[line.start : line.end].strip()):
        return False
    if texts[ends[-1]].endswith(":"):
        return all(_point_like(text) for text in texts[ends[-1] + 1 :]) and (
            not after or _point_like(after)
        )
    return ends[-1] == len(texts) - 2 and _point_like(texts[-1]) and not after


# The most words of a title line that typed notes set between a sentence and body text
# without blank lines ("… kommunen." / "Arbeid" / "Flere trenger …"); a longer line there
# may be a point of the notes without its full stop, which stays with the sentence above.
TYPED_TITLE_WORDS = 3


def typed_title_below(raw: str, current: list[Line]) -> int:
    """``title_below`` in typed text, called where body text follows the block: only a
    title that is no point of the notes, one of at most TYPED_TITLE_WORDS words or a
    numbered one ("2.2 Arbeid og skole")."""
    size = title_below(raw, current)
    first = raw[current[-size].start : current[-size].end].strip() if size else ""
    if _NUMBERED_TITLE.match(first) or (size == 1 and len(first.split()) <= TYPED_TITLE_WORDS):
        return size
    return 0


def _finished(raw: str, current: list[Line], line: Line, items_too: bool = False) -> bool:
    """Whether ``line`` of the block ``current`` ends a sentence; with ``items_too``, also
    whether it ends a bullet item without running on ("… i", "… og", a hyphen or a
    comma): a line ending in a colon below it introduces something new."""
    if nb_sentences.ENDS_WITH_TERMINAL.search(raw, line.start, line.end):
        return True
    return (
        items_too
        and current[0].kind == "bullet"
        and not nb_layout.runs_on(raw[line.start : line.end])
    )


# The fewest words of each of the two sentences of a paragraph whose last sentence lacks
# its full stop; a title's second part is shorter ("… arbeidslivet. Erfaringer fra fem
# kommuner", "… kommunene. Kari Nordmann, KS"). Also the fewest words of the sentences
# that typed notes set over points without full stops (``points_below_sentence``).
SENTENCE_WORDS = 5


def last_sentence_end(raw: str, lines: list[Line]) -> int | None:
    """The index of the last line but the block's last that ends a sentence (None: none)."""
    return next(
        (
            index
            for index in range(len(lines) - 2, -1, -1)
            if nb_sentences.ENDS_WITH_TERMINAL.search(raw, lines[index].start, lines[index].end)
        ),
        None,
    )


def points_below_sentence(raw: str, lines: list[Line]) -> bool:
    """Whether a block of typed notes ends a sentence at a line end and sets points below
    it, their full stops left out ("Det er for få boliger i kommunen." / "Mer praksis"):
    SENTENCE_WORDS words or more up to that line end, and below it words in lower case
    but for each line's first, not names, a place or a date ("Fra ord til handling i
    kommunene." / "Kari Nordmann og Ola Hansen, KS" is a title over its speakers). A line
    of one word there is a title (``word_title_below``)."""
    end = last_sentence_end(raw, lines)
    if end is None:
        return False
    above = raw[lines[0].start : lines[end].end].split()
    below = [word for line in lines[end + 1 :] for word in raw[line.start : line.end].split()[1:]]
    capitalised = sum(bool(nb_words.STARTS_UPPER.match(word)) for word in below)
    return len(above) >= SENTENCE_WORDS and bool(below) and 3 * capitalised <= len(below)


def word_title_below(raw: str, current: list[Line]) -> int:
    """In typed text, where a block ends (a blank line, the end of the text): 1 when its
    last line is one capitalised word right below a finished sentence ("… i kommunen." /
    "Arbeid"), the title of what follows, a block of its own; else 0. A longer line there
    is a point of the notes (``points_below_sentence``)."""
    size = title_below(raw, current)
    return size if size == 1 and len(raw[current[-1].start : current[-1].end].split()) == 1 else 0


def word_title_below_colon(raw: str, current: list[Line]) -> int:
    """In typed text, with body text straight below: 1 when the block's last line is one
    capitalised word right below a line ending in a colon ("Innspill fra gruppene:" /
    "Arbeid" / "Flere trenger …"), the title of the body below it, a block of its own
    (the colon line is counted); else 0. A longer line there is a point the colon
    announces (``lists.introduced_point_count``)."""
    if len(current) < 2 or current[-1].kind != "text" or current[-2].kind != "text":
        return 0
    content = raw[current[-1].start : current[-1].end].strip()
    above = raw[current[-2].start : current[-2].end].rstrip()
    return int(above.endswith(":") and _point_like(content) and len(content.split()) == 1)


def names_below_sentence(raw: str, lines: list[Line]) -> int:
    """In typed text, how many of the last lines of a block are names below its last
    sentence, one a line ("Takk til alle som deltok på møtet." / "Kari Nordmann" / "Ola
    Hansen": its signature or its speakers, ``nb_sentences.is_name``), where a blank line,
    the end of the text or body text ends them (0: none). The sentence, of SENTENCE_WORDS
    words or more, is counted; the names are a block of their own, a heading. (A title
    with a full stop over its speakers one a line reads the same: it is counted.)"""
    end = last_sentence_end(raw, lines)
    if end is None or any(line.kind != "text" for line in lines[end + 1 :]):
        return 0
    names = [raw[line.start : line.end].split() for line in lines[end + 1 :]]
    above = raw[lines[0].start : lines[end].end].split()
    if len(above) < SENTENCE_WORDS or not all(map(nb_sentences.is_name, names)):
        return 0
    return len(names)
