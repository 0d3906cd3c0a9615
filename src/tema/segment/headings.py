"""The kind of a block of plain text: a heading, a photo caption or a paragraph.

``tema.segment.clean`` calls ``classify_text_block`` on each cleaned block of text lines
(bullets, links, noise and the like have their kind from their lines). A caption starts
like one ("Foto:"). A heading is short, starts with a capital or a number and has no
punctuation at its end, unless it reads as input that notes typed without their full
stops: a statement ("Kommunen må …"), an answer after an input label ("Svar 2: …"),
points below a sentence, or whole sentences whose last full stop was left out
(``_opens_with_a_sentence``); a short text frame of its own holding one sentence is a
heading too. Headings are not counted as input. Which lines of a block are titles, while
the lines are grouped, is ``tema.segment.titles``; the rules are listed in
docs/segmentation.md ("Block kinds").
"""

from __future__ import annotations

import re

from tema.segment import nb_layout, nb_sentences, nb_words
from tema.segment.offsets import Block
from tema.segment.titles import SENTENCE_WORDS


def classify_text_block(block: Block, max_heading_words: int = 25, points: bool = False) -> str:
    """Heading, caption or paragraph, for a block of plain text lines (``points``: typed
    notes' points below a sentence, ``titles.points_below_sentence``)."""
    text = block.text
    words = text.split()
    lowered = text.lower()
    if lowered.startswith(nb_layout.CAPTION_PREFIXES) and len(words) <= max_heading_words:
        return "caption"
    if (
        len(words) > max_heading_words
        or nb_words.STARTS_LOWER.match(text)  # headings start with a capital or a number
        or nb_layout.has_input_label(text)  # "Svar 2: ...": an answer, never a heading
    ):
        return "paragraph"
    if not nb_sentences.ENDS_WITH_ANY_PUNCTUATION.search(text):
        # Notes leave out full stops: "Kommunen må ansette flere boligkonsulenter", also
        # at the end of a paragraph whose first sentence has one.
        statement = points or nb_layout.is_statement(text) or _opens_with_a_sentence(text)
        return "paragraph" if statement else "heading"
    # A short text frame of its own that holds one sentence at most is a heading or a
    # speaker line ("Sosial mobilitet blant ungdom."), not body text.
    inner = text.rstrip(" .!?…»”’\"')")
    if block.frame_start and not re.search(r"[.!?…]\s", inner) and len(words) <= 15:
        return "heading"
    return "paragraph"


# A full stop after a word, then more text that starts with a capital.
_FULL_STOP = re.compile(r"(\S+)\.\s+[\"«“(]*[A-ZÆØÅ]")


def _opens_with_a_sentence(text: str) -> bool:
    """Whether ``text`` is two sentences or more, the last without its full stop: a whole
    first sentence of SENTENCE_WORDS words or more ended by a full stop (not an
    abbreviation's or an ordinal's: "Dr. Hansen", "2. Bolig"), then a last one as long,
    mostly in lower case (not names, a place and a date: "Kari Nordmann og Ola Hansen,
    Voksenopplæringen i Bodø"), or two such whole sentences and any last part (a paragraph
    cut short at a page break: no title holds two sentences)."""
    found = list(_FULL_STOP.finditer(text))
    first, later = (found[0], found[1:]) if found else (None, [])
    if (
        first is None
        or _not_a_sentence_end(first)
        or len(text[: first.start(1)].split()) + 1 < SENTENCE_WORDS
    ):
        return False
    second = next((found for found in later if not _not_a_sentence_end(found)), None)
    if second and len(text[first.end() - 1 : second.start(1)].split()) + 1 >= SENTENCE_WORDS:
        return True
    last = re.split(r"[.!?]\s+", text)[-1].split()
    capitalised = sum(bool(nb_words.STARTS_UPPER.match(word)) for word in last)
    return len(last) >= SENTENCE_WORDS and capitalised <= len(last) // 3


def _not_a_sentence_end(found: re.Match[str]) -> bool:
    """Whether a full stop ``_FULL_STOP`` found is an ordinal's or an abbreviation's."""
    word = found.group(1)
    return word.isdigit() or nb_sentences.is_abbreviation(word.lstrip('«("“') + ".")
