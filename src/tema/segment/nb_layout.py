"""Norwegian layout rules as plain data, in the spirit of spaCy's ``spacy/lang/nb``.

What a line or a block of a report or of notes is: list markers (bullets, dashes,
numbers, letters), a line that runs on into the next, page furniture (contents lines,
page labels, running headers), the cells of a table saved as text, footnotes, programme
lines, pull quotes, links and captions, and the wording of notes (labels, input labels,
statements, questions, reporting verbs, closing greetings). Constants and one-line
helpers only: the logic is ``tema.segment.lines``, ``blocks``, ``titles``, ``lists``,
``headings`` and ``clean``; ``tests/test_nb_layout.py`` checks the rules table-driven.
The other rule modules are ``nb_sentences`` (where a sentence ends) and ``nb_words``
(letters, hyphens, compounds).
"""

from __future__ import annotations

import re

from tema.segment.nb_sentences import SUPERSCRIPT_DIGITS

# --- List markers -------------------------------------------------------------------------
# Characters that start a bullet item at the start of a line.
# The private-use characters are the Symbol and Wingdings bullets of Word documents, as
# PDF text extraction gives them (U+F0B7 is Word's default round bullet);
# ">" is an arrow bullet in PDFs and a quoted voice in Markdown notes: input either way.
BULLET_CHARS = "•●▪■◦○‣∙·▸►▶➢➤✓✔❖◆◇□*⁃→➔⮚>\uf0b7\uf0a7\uf0d8\uf076\uf0fc\uf0e0\uf06e\uf0a8"
# A bullet directly before the item's first letter or digit, an opening quote or a bracket
# ("•Flere boliger"): typed notes and pdftotext often lose the space after the glyph. Only
# glyphs that do nothing else at a line start count so: not "*" (a footnote, "*Se vedlegg",
# or Markdown emphasis, "*Diskriminering* i arbeidslivet"), not ">" (a line quoted in an
# e-mail, ">Hei Kari", or "more than": ">5 år botid"), and not the middle dots "·" and "∙"
# (a separator), which are items only in a run (``GLUED_RUN_ITEM_LINE``).
GLUED_BULLET_CHARS = "".join(char for char in BULLET_CHARS if char not in "*>·∙")
GLUED_BULLET_LINE = re.compile(rf"^[ \t]*[{re.escape(GLUED_BULLET_CHARS)}](?=[^\W_]|[«\"“„‘'(])")
# Dashes that start a list item when followed by a capital letter or a digit; followed by a
# lower-case word they are just a dash that a line break happened to put first, but in a
# run (``LOWER_DASH_ITEM_LINE``, ``RUN_ITEM_LINE``).
DASH_BULLET_CHARS = "–—-"
# A dash or a middle dot directly before a capital ("-Flere boliger", "–Bedre samarbeid"),
# or a dash directly before a lower-case word ("-flere boliger"): an item only in a run of
# two or more lines that open with such a mark, with or without the space
# (``RUN_ITEM_LINE``; blank lines between allowed, tema.segment.lines), as notes list
# their points. Alone it is as likely a dash that a line break put first, a reply in
# dialogue ("-Nei, sa hun", "-nei, sa hun") or a hyphen a line break put first ("NAV" /
# "-kontoret"); before a digit it is a minus ("-20 grader"), never an item.
GLUED_RUN_CHARS = "–—-·∙"
_DASH = re.escape(DASH_BULLET_CHARS)
GLUED_RUN_ITEM_LINE = re.compile(
    rf"^[ \t]*(?:[{re.escape(GLUED_RUN_CHARS)}](?=[A-ZÆØÅ])|[{_DASH}](?=[a-zæøå]))"
)
RUN_ITEM_LINE = re.compile(
    rf"^[ \t]*(?:[{re.escape(GLUED_RUN_CHARS)}][ \t]*(?=[A-ZÆØÅ])|[{_DASH}][ \t]*(?=[a-zæøå]))"
)
# A line of such a run before a capital: the next line, in lower case, may be the wrapped
# rest of its item ("-Flere boliger" / "for unge" / "-Bedre tolketjeneste"); a run of
# items in lower case is read without such lines, which are as likely prose.
CAPITAL_RUN_ITEM_LINE = re.compile(rf"^[ \t]*[{re.escape(GLUED_RUN_CHARS)}][ \t]*(?=[A-ZÆØÅ])")
# A bullet alone on its line: PDF extraction often puts the item's text on the next line.
LONE_BULLET_LINE = re.compile(rf"^[ \t]*[{re.escape(BULLET_CHARS)}][ \t]*$")
BULLET_LINE = re.compile(rf"^[ \t]*[{re.escape(BULLET_CHARS)}][ \t]+(?=\S)")
DASH_BULLET_LINE = re.compile(
    rf"^[ \t]*[{re.escape(DASH_BULLET_CHARS)}][ \t]+(?=[\dA-ZÆØÅ«\"“„‘'(])"
)
# A dash before a lower-case word: a list item only in a run of two or more such lines
# (blank lines between them allowed), as notes list "– flere boliger" one under another;
# alone, it is more likely a dash that a line break put first in running text.
LOWER_DASH_ITEM_LINE = re.compile(rf"^[ \t]*[{re.escape(DASH_BULLET_CHARS)}][ \t]+(?=[a-zæøå])")
# A numbered item in lower case ("1. flere praksisplasser"): an item only in a run of
# them numbered in order (tema.segment.lines), since "3. klasse" may open a wrapped line.
LOWER_NUMBERED_ITEM_LINE = re.compile(r"^[ \t]*(\d{1,2})[.)][ \t]+(?=([a-zæøå]+))")
# A numbered item "1. ", "2) ", "(1) ", a lettered one "a) ", "(b) ", a roman one of two
# letters or more "ii. ", "iv) " at the start of a line, or Word's sub-item "o " (a
# lower-case o as bullet) before a capital. A capital letter with a full stop is left
# out: "A. Hansen" opening a wrapped line is an initial.
NUMBERED_ITEM_LINE = re.compile(
    r"^[ \t]*(?:\d{1,2}[.)]|[a-z]\)|(?:ii|iii|iv|vi{1,3}|ix)[.)]|\((?:\d{1,2}|[a-z])\)|o)"
    r"[ \t]+(?=[A-ZÆØÅ])"
)
# A lettered item with a full stop ("a. Flere boliger", also a roman "i. ", "v. "): an item
# only where it is plausibly a list (tema.segment.lines), since one-letter abbreviations
# open wrapped lines before a capital too: "s. Ordet" (side), "f. Hansen" (født),
# "e. Kr.", "f. Kr.", "d. Hansen" (død), "v. Kari Nordmann" (ved).
LETTERED_ITEM_LINE = re.compile(r"^[ \t]*([a-z])\.[ \t]+(?=[A-ZÆØÅ])")
# The roman number of an item already read as one ("ii. ", "iv) "), for the letter after
# it (tema.segment.lines): "i." opens a list by FIRST_ITEM_LETTERS, "v." and "x." go on one.
ROMAN_ITEM_LINE = re.compile(r"^[ \t]*(ii|iii|iv|vi{1,3}|ix)[.)]")
# The letters that open a list of lettered items: "a." and the roman "i.".
FIRST_ITEM_LETTERS = frozenset("ai")
# The letter after a roman number of two letters ("iv." then "v.", "ix." then "x.").
ROMAN_NEXT_LETTER: dict[str, str] = {"iv": "v", "ix": "x"}
# At most this many lines of text (blank lines aside) after a lettered item, its next
# letter is still the next item of the list: an item wrapped over many lines.
MAX_LETTERED_ITEM_LINES = 20
# A numbered section title ("2. Utdanning og kvalifisering"), when it stands alone.
SECTION_NUMBER_LINE = re.compile(r"^[ \t]*\d{1,2}\.[ \t]+(?=[A-ZÆØÅ])")

# --- Page furniture, tables, footnotes and programmes -------------------------------------
# A line of a table of contents: dot leaders and a page number ("2. Bolig ....... 14").
TOC_LINE = re.compile(r"(?:\.[ \t]?){4,}[ \t]*\d{1,4}[ \t]*$|…[ \t]?…[ \t.…]*\d{1,4}[ \t]*$")
# A page label that the PDF extraction left among the text ("Side 4", "Side 4 av 12").
PAGE_LABEL_LINE = re.compile(
    r"^[ \t]*(?:(?:side|s\.|page)[ \t]*\d{1,4}(?:[ \t]*(?:av|/|of)[ \t]*\d{1,4})?"
    r"|\d{1,4}[ \t]*(?:av|/)[ \t]*\d{1,4})[ \t]*$",
    re.IGNORECASE,
)
# A page word and its number inside a line ("Referat fra møtet – side 2 av 4"): in a
# text of two pages, a running header that differs from page to page only by it
# (tema.segment.furniture); other numbers may tell sections apart ("Gruppe 1", "Gruppe 2").
PAGE_NUMBER_IN_LINE = re.compile(r"(?<!\w)(?:side|s\.|page)[ \t]*\d{1,4}(?!\d)", re.IGNORECASE)
# A running header or footer: text and the page number set apart by a wide gap
# ("Rapport fra innspillsmøtet i Bodø 2019        5", "5        Rapport ...").
RUNNING_HEADER_LINE = re.compile(r"\S(?: {4,}|\t+)\d{1,4}[ \t]*$|^[ \t]*\d{1,4}(?: {4,}|\t+)\S")
# Between the cells of a table saved as text: a tab (two tabs: an empty cell between
# them), or a PDF's column gap, three spaces or more (tema.segment.lines).
CELL_GAP = re.compile(r" *\t *| {3,}")
# A footnote at the foot of a page starts with its number ("¹ Jf. ...").
FOOTNOTE_LINE = re.compile(rf"^[ \t]*[{SUPERSCRIPT_DIGITS}]+[ \t]*\S")
# A line of a programme or agenda that starts with a time ("Kl. 10.15  Innledninger",
# "09.00–09.30 Registrering"): each is an item of its own, never wrapped text.
# A capital follows the time: "kl. 10.00 med ..." at a line start is a wrapped sentence.
PROGRAMME_LINE = re.compile(
    r"^[ \t]*(?:Kl\.?[ \t]*)?\d{1,2}[.:]\d{2}(?:[ \t]*[-–][ \t]*\d{1,2}[.:]\d{2})?"
    r"[ \t]+(?=[A-ZÆØÅ])"
)

# --- The wording of notes -----------------------------------------------------------------
# A line that opens with a capitalised label and a colon ("Kontakt: ...", "Neste møte:
# ...", "Gruppe 2: ..."): a new field of the notes, not the rest of a list item.
LABEL_LINE = re.compile(r"^[ \t]*[A-ZÆØÅ][\wæøåÆØÅ -]{0,29}:[ \t]+\S")
# Labels of input in notes and exported answers ("Svar 2: ...", "Forslag: ..."): what
# follows them is input, never a heading, with or without a full stop.
INPUT_LABELS: frozenset[str] = frozenset(
    {"svar", "innspill", "forslag", "kommentar", "kommentarer", "tiltak", "utfordring",
     "utfordringer", "anbefaling", "anbefalinger", "erfaring", "erfaringer", "ønske"}
)  # fmt: skip


def has_input_label(text: str) -> bool:
    """True when ``text`` opens with an input label and a colon ("Svar 2: Mer kurs")."""
    label, colon, _rest = text.partition(":")
    words = label.split()
    return bool(colon) and 1 <= len(words) <= 2 and words[0].lower() in INPUT_LABELS


# Verbs of a proposal or a complaint ("Kommunen må ...", "Vi savner ..."): a line without
# a full stop that holds one of them is input written as a note, not a heading, unless
# it asks a question (headings often do: "Hva må til for å lykkes").
# Bokmål and Nynorsk forms.
STATEMENT_VERBS: frozenset[str] = frozenset(
    {"må", "bør", "skal", "trenger", "mangler", "ønsker", "savner", "etterlyser",
     "foreslår", "mener", "opplever", "sliter",
     "treng", "manglar", "ønskjer", "saknar", "føreslår", "meiner"}
)  # fmt: skip
QUESTION_WORDS: frozenset[str] = frozenset(
    {"hva", "hvordan", "hvorfor", "hvem", "hvilke", "hvilken", "hvilket", "når", "hvor",
     "kva", "korleis", "kvifor", "kven", "kor"}
)  # fmt: skip
MIN_STATEMENT_WORDS = 5
# Verbs that report speech right after a quoted question ("Hva gjør vi nå? spurte hun."):
# a line after a question that starts with one of them continues the question's sentence.
REPORTING_VERBS: frozenset[str] = frozenset(
    {"spurte", "spør", "sa", "sier", "svarte", "svarer", "mente", "mener", "la", "uttalte",
     "påpekte", "understreket", "fortsatte", "skrev", "undret", "lurte",
     "spurde", "seier", "meinte", "skreiv"}
)  # fmt: skip


def is_question_line(text: str) -> bool:
    """True when a whole line is a question: a question word first, a question mark last
    ("Hva fungerer ikke?"), as notes of group work are laid out."""
    if not text.rstrip().endswith("?"):
        return False  # most lines: decided without splitting the line into words
    first = text.split(maxsplit=1)[0]
    return first.lower() in QUESTION_WORDS


def is_statement(text: str) -> bool:
    """True when ``text`` reads as a statement: at least ``MIN_STATEMENT_WORDS`` words,
    a statement verb, and no question word first."""
    words = [word.strip(",;:()«»\"'").lower() for word in text.split()]
    return (
        len(words) >= MIN_STATEMENT_WORDS
        and words[0] not in QUESTION_WORDS
        and any(word in STATEMENT_VERBS for word in words)
    )


# --- Closing greetings ---------------------------------------------------------------------
# The line a letter or a note closes with, over the names that sign it ("Med vennlig
# hilsen" / "Kari Nordmann"): the whole line, in lower case, without its comma or full
# stop. Not input: with the names below it, a heading (``tema.segment.blocks``).
GREETINGS: frozenset[str] = frozenset({
    "hilsen", "hilsener", "vennlig hilsen", "vennlige hilsener", "med vennlig hilsen",
    "med vennlige hilsener", "med hilsen", "beste hilsen", "beste hilsener",
    "med beste hilsen", "hjertelig hilsen", "varm hilsen", "mvh", "vh",
    "helsing", "venleg helsing", "med venleg helsing", "beste helsing", "med helsing",
})  # fmt: skip


def is_greeting(line: str) -> bool:
    """Whether ``line`` is a closing greeting and nothing more ("Med vennlig hilsen,")."""
    return line.strip().rstrip(",.!").strip().lower() in GREETINGS


# --- Pull quotes, links and captions ------------------------------------------------------
# Pull quotes in report layouts open with doubled typographic apostrophes or quotes.
PULL_QUOTE_OPENERS: tuple[str, ...] = ("’’", "''", "‘‘", "””", "“", "″", "❝", "❞")

URL_LINE = re.compile(r"^\s*(?:https?://|www\.)\S+\s*$", re.IGNORECASE)
URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)

# Caption cues: a line that starts with one of these is a photo caption or a link text.
# Credits and sources stand under a photo, a figure or a table; link texts point on.
CREDIT_PREFIXES: tuple[str, ...] = (
    "foto:", "foto ", "bilde:", "illustrasjon:", "kilde:", "figur ", "figur:", "fig.",
    "tabell ", "tabell:",
)  # fmt: skip
LINK_TEXT_PREFIXES: tuple[str, ...] = (
    "se hele ", "les mer", "les hele ", "se video", "se opptak", "lenke til ", "klikk her",
)  # fmt: skip
CAPTION_PREFIXES: tuple[str, ...] = CREDIT_PREFIXES + LINK_TEXT_PREFIXES


# --- Lines that go on from the line before ------------------------------------------------
# Words a wrapped sentence line ends with but a title does not ("Vi trenger flere boliger i
# / Oslo." is one sentence).
CONTINUING_WORDS: frozenset[str] = frozenset({
    "i", "på", "til", "for", "av", "om", "med", "og", "eller", "men", "at", "som", "fra",
    "ved", "under", "etter", "mot", "over", "hos", "uten", "en", "et", "ei", "den", "det",
    "de", "der", "å", "så", "enn", "når", "hvis", "fordi", "mellom", "gjennom", "blant",
})  # fmt: skip


def runs_on(line: str) -> bool:
    """Whether a line goes on into the next one: it ends in a hyphen, a dash, a comma, a
    soft hyphen or a word that continues a sentence ("… i", "… og")."""
    words = line.split()
    return (
        not words
        or line.rstrip().endswith(("-", "–", ",", "\u00ad"))
        or (words[-1].lower() in CONTINUING_WORDS)
    )


# Punctuation that never opens a line of its own when a space follows it: such a line
# goes on from the line before (". Det er …" after a footnote number that PDF extraction
# put on a line of its own).
_OPENS_WITH_CLOSING_MARK = re.compile(r"[.,;:!?)](?:\s|$)")


def opens_with_closing_mark(line: str) -> bool:
    """Whether ``line`` opens with a closing mark (". Det er …", ", men …"), not with an
    ellipsis ("... og så"), a smiley (":)") or a name (".NET")."""
    return bool(_OPENS_WITH_CLOSING_MARK.match(line))
