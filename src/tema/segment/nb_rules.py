"""Norwegian text rules as plain data, in the spirit of spaCy's ``spacy/lang/nb``.

Everything here is a constant (tuples, frozensets, compiled regular expressions) or a
one-line helper around one. The logic that uses these rules lives in the other modules of
``tema.segment`` (``lines``, ``blocks``, ``clean``, ``words``, ``sentences``, ``units``);
keeping the rules apart lets a reader check or extend them without reading any
algorithm, and lets ``tests/test_nb_rules.py`` check them table-driven.

The rules are written for Bokmål and hold for Nynorsk too (the abbreviations, months and
punctuation conventions are shared).
"""

from __future__ import annotations

import re

# --- Abbreviations ------------------------------------------------------------------------
# Abbreviations that end with a full stop and are normally followed by more of the same
# sentence. A sentence never ends right after one of these unless the next word could only
# start a sentence (we still keep them joined: a person sorts one unit either way, and
# a false split costs more than a missed one). Lower-cased; compared lower-cased.
# Sources: Språkrådet's list of common abbreviations, spaCy's nb tokenizer exceptions.
ABBREVIATIONS: frozenset[str] = frozenset(
    {
        "adm.", "alt.", "ang.", "anm.", "avd.", "bl.a.", "bl.", "ca.", "d.", "d.s.",
        "d.v.s.", "d.y.", "dir.", "div.", "do.", "dr.", "dvs.", "e.", "e.kr.", "eks.", "el.",
        "e.l.", "etc.", "evt.", "f.", "f.eks.", "f.kr.", "f.o.m.", "fig.", "fjor.", "fk.",
        "fl.", "flg.", "forb.", "forf.", "fork.", "fr.", "fv.", "fhv.", "gl.", "gr.",
        "hhv.", "hr.", "iflg.", "ifm.", "ift.", "inkl.", "istf.", "jf.", "jfr.", "jr.",
        "kap.", "kgl.", "kl.", "komm.", "kr.", "ltd.", "m.a.o.", "m.fl.", "m.h.t.",
        "m.m.", "m.v.", "mht.", "mill.", "mrd.", "mnd.", "muh.", "nr.", "o.a.", "o.l.",
        "obs.", "off.", "ofl.", "omkr.", "osv.", "p.g.a.", "pga.", "pkt.", "pr.", "prof.",
        "red.", "ref.", "s.", "sek.", "sen.", "sml.", "sst.", "st.", "st.meld.",
        "st.prp.", "stk.", "stud.", "t.o.m.", "t.h.", "t.v.", "tab.", "tidl.", "tilsv.",
        "tlf.", "tr.", "ul.", "utg.", "vedk.", "vedr.", "vg.", "vha.", "vs.",
        "meld.", "prp.", "innst.", "ot.prp.", "nou.", "jan.", "feb.", "aug.", "sep.",
        "sept.", "okt.", "nov.", "des.", "mr.", "mrs.", "ms.", "kom.", "dep.",
        "sos.", "ev.", "bet.", "opprl.", "mv.", "prop.", "iht.", "ekskl.", "ifb.", "p.t.",
        "d.d.", "gj.sn.", "årg.", "dept.", "sekr.", "vgs.", "forts.", "ant.", "ass.",
        "konst.", "fung.",
    }
)  # fmt: skip

# Abbreviations written with a space inside ("f. eks."): the first part alone is also an
# abbreviation above, so the splitter keeps "f." joined; the pairs document the intent.
SPACED_ABBREVIATIONS: tuple[tuple[str, str], ...] = (
    ("f.", "eks."),
    ("bl.", "a."),
    ("m.", "m."),
    ("o.", "l."),
    ("t.", "o.m."),
    ("m.", "fl."),
    ("St.", "meld."),
    ("St.", "prp."),
    ("Meld.", "St."),
    ("Prop.", "S"),
)


# Abbreviations that often close a sentence ("... kurs, møter m.m. Neste år ..."): after
# these a capitalised word may start a new sentence.
SENTENCE_END_ABBREVIATIONS: frozenset[str] = frozenset(
    {"m.m.", "osv.", "etc.", "m.fl.", "o.l.", "e.l.", "m.v.", "mv.", "o.a.", "ofl."}
)


# A short word with a full stop and no vowel is an abbreviation even when not listed
# ("Chr.", "kr.", "pst.", "Mr."); Norwegian words have vowels.
NO_VOWEL_ABBREVIATION = re.compile(r"^[^\W\daeiouyæøåAEIOUYÆØÅ]{1,4}\.$")
# A single capital with a full stop is an initial ("Eli H. Hansen").
INITIAL = re.compile(r"^[A-ZÆØÅ]\.$")


# Abbreviations that are also ordinary words ending a sentence ("vi har prøvd alt.",
# "de kom."): spaCy cuts them into word and full stop. In lower case they are put back
# together as abbreviations before a number ("alt. 1", "tab. 3"), not before an acronym
# ("… prøvd alt. NAV må …"); the first two never in lower case ("i fjor. 25 deltakere",
# "Tolken kom. 14 …").
ABBREVIATIONS_ENDING_SENTENCES: frozenset[str] = frozenset({"fjor.", "kom."})
ABBREVIATIONS_ALSO_WORDS: frozenset[str] = ABBREVIATIONS_ENDING_SENTENCES | frozenset(
    {"alt.", "ass.", "bet.", "des.", "do.", "forts.", "obs.", "off.", "red.", "sen.", "tab."}
)

# Titles that stand before a name ("prof. Hansen", "adm. dir. Olsen"): in lower case spaCy
# cuts some of them into word and full stop, and a capital after them is the name, not a
# new sentence.
TITLE_ABBREVIATIONS: frozenset[str] = frozenset(
    {"adm.", "dir.", "dr.", "fhv.", "fung.", "prof."}
)  # fmt: skip

# Measures after a number ("3 mnd.", "1.500 kr.", "2 pst."): a sentence that ends with one
# has its full stop inside the abbreviation, so a capital after it starts a new sentence
# ("Kurset varte i 3 mnd. Etterpå …"); before a number or in lower case it goes on
# ("kr. 50", "100 kr. pr. måned").
MEASURE_ABBREVIATIONS: frozenset[str] = frozenset(
    {"kr.", "mill.", "mrd.", "mnd.", "pst.", "sek.", "stk.", "t."}
)  # fmt: skip

# Words that open a sentence after a name in notes typed without full stops ("… med NAV
# De har vært flinke …"), where a capitalised place after an acronym names an office
# ("NAV Tromsø").
SENTENCE_OPENING_WORDS: frozenset[str] = frozenset(
    {"alle", "de", "den", "dere", "det", "dette", "disse", "du", "han", "hun", "jeg",
     "man", "mange", "noen", "vi"}
)  # fmt: skip
# An acronym of capitals only ("NAV", "UDI", "KS"; not a number).
CAPITALS_ACRONYM = re.compile(r"^[A-ZÆØÅ]{2,}$")


def is_abbreviation(word: str) -> bool:
    """True when ``word`` (with its final full stop) is a Norwegian abbreviation."""
    return (
        word.lower() in ABBREVIATIONS
        or bool(NO_VOWEL_ABBREVIATION.match(word))
        or bool(INITIAL.match(word))
    )


# --- Dates and ordinals -------------------------------------------------------------------
MONTHS: tuple[str, ...] = (
    "januar", "februar", "mars", "april", "mai", "juni",
    "juli", "august", "september", "oktober", "november", "desember",
)  # fmt: skip
MONTH_ABBREVIATIONS: tuple[str, ...] = (
    "jan.", "feb.", "mar.", "apr.", "jun.", "jul.", "aug.", "sep.", "sept.", "okt.",
    "nov.", "des.",
)  # fmt: skip

# Words that follow an ordinal written with a full stop ("17. mai", "3. klasse",
# "2. verdenskrig") and so show that the stop is not a sentence end.
ORDINAL_FOLLOWERS: frozenset[str] = frozenset(
    {*MONTHS, *MONTH_ABBREVIATIONS, "klasse", "trinn", "time", "plass", "gang", "ledd",
     "avsnitt", "kvartal", "halvår", "århundre", "verdenskrig", "etasje", "utgave",
     "juledag", "påskedag", "pinsedag", "nyttårsdag", "mars"}
)  # fmt: skip

# A number with a full stop: an ordinal ("17.") or, at the end of a sentence, a year or
# an amount ("i 2017.").
NUMBER_WITH_STOP = re.compile(r"^\d{1,4}\.$")
YEAR_WITH_STOP = re.compile(r"^(1[5-9]|20)\d\d\.$")


def is_month(word: str) -> bool:
    """True for a Norwegian month name or its abbreviation, in any case."""
    lowered = word.lower()
    return lowered in MONTHS or lowered in MONTH_ABBREVIATIONS


# --- Punctuation --------------------------------------------------------------------------
SENTENCE_FINAL = frozenset({".", "!", "?", "…", "..."})
# Closing marks that may stand after a sentence-final mark and still belong to the sentence.
CLOSING_MARKS = frozenset({"»", "”", "’", '"', "'", ")", "]", "’’", "''"})
OPENING_QUOTES = frozenset({"«", "“", "„", '"'})
# Signs that open a sentence when a digit or a letter follows: a phone number in
# international form ("… gjerne. +47 22 33 44 55 er …"), a handle ("… Twitter. @NAV
# svarer …") or a hashtag. A sign alone ("2 + 2") opens nothing.
SENTENCE_OPENING_SIGN = re.compile(r"^(?:\+\d|[@#]\w)")
# Footnote numbers: after a word or full stop in the text ("skolebakgrunn.¹"), and at the
# start of the footnote at the foot of the page ("¹ Jf. ...").
SUPERSCRIPT_DIGITS = "¹²³⁴⁵⁶⁷⁸⁹⁰"
# Punctuation at the end, possibly followed by closing marks and a footnote number.
ENDS_WITH_TERMINAL = re.compile(rf"[.!?…][»”’\"')\]{SUPERSCRIPT_DIGITS}]*\s*$")
ENDS_WITH_ANY_PUNCTUATION = re.compile(rf"[.!?…:;,][»”’\"')\]{SUPERSCRIPT_DIGITS}]*\s*$")
# A sentence end inside a line, before a capital: "Ventetiden er lang. Mange bor trangt"
# holds whole sentences, prose even where notes leave out its last full stop; not after an
# abbreviation or a number ("f.eks. NAV", "2. Bolig": ``holds_sentence_end``).
SENTENCE_END_INSIDE = re.compile(r"(\S+?)([.!?…])[»”’\"')\]]*\s+[\"«“(]*[A-ZÆØÅ]")


def holds_sentence_end(line: str) -> bool:
    """Whether ``line`` ends a sentence before more text (``SENTENCE_END_INSIDE``)."""
    return any(
        found[2] != "."
        or not (found[1].isdigit() or is_abbreviation(found[1].lstrip('«("“') + "."))
        for found in SENTENCE_END_INSIDE.finditer(line)
    )


# --- Layout marks in PDF-extracted text ---------------------------------------------------
# Characters that start a bullet item at the start of a line.
# The private-use characters are the Symbol and Wingdings bullets of Word documents, as
# PDF text extraction gives them (U+F0B7 is Word's default round bullet);
# ">" is an arrow bullet in PDFs and a quoted voice in Markdown notes: input either way.
BULLET_CHARS = "•●▪■◦○‣∙·▸►▶➢➤✓✔❖◆◇□*⁃→➔⮚>\uf0b7\uf0a7\uf0d8\uf076\uf0fc\uf0e0\uf06e\uf0a8"
# Dashes that start a list item when followed by a capital letter or a digit; followed by a
# lower-case word they are just a dash that a line break happened to put first.
DASH_BULLET_CHARS = "–—-"
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


# A numbered item in lower case ("1. flere praksisplasser"): an item only in a run of
# them numbered in order (tema.segment.lines), since "3. klasse" may open a wrapped line.
LOWER_NUMBERED_ITEM_LINE = re.compile(r"^[ \t]*(\d{1,2})[.)][ \t]+(?=([a-zæøå]+))")
# A numbered item "1. ", "2) ", "(1) ", a lettered one "a) ", "a. ", "(b) ", a roman one
# "ii. ", "iv) " at the start of a line, or Word's sub-item "o " (a lower-case o as
# bullet) before a capital. A capital letter with a full stop is left out: "A. Hansen"
# opening a wrapped line is an initial.
NUMBERED_ITEM_LINE = re.compile(
    r"^[ \t]*(?:\d{1,2}[.)]|[a-z][.)]|(?:i{1,3}|iv|vi{0,3}|ix|x)[.)]|\((?:\d{1,2}|[a-z])\)|o)"
    r"[ \t]+(?=[A-ZÆØÅ])"
)

# A line of a table of contents: dot leaders and a page number ("2. Bolig ....... 14").
TOC_LINE = re.compile(r"(?:\.[ \t]?){4,}[ \t]*\d{1,4}[ \t]*$|…[ \t]?…[ \t.…]*\d{1,4}[ \t]*$")
# A page label that the PDF extraction left among the text ("Side 4", "Side 4 av 12").
PAGE_LABEL_LINE = re.compile(
    r"^[ \t]*(?:(?:side|s\.|page)[ \t]*\d{1,4}(?:[ \t]*(?:av|/|of)[ \t]*\d{1,4})?"
    r"|\d{1,4}[ \t]*(?:av|/)[ \t]*\d{1,4})[ \t]*$",
    re.IGNORECASE,
)
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


# A numbered section title ("2. Utdanning og kvalifisering"), when it stands alone.
SECTION_NUMBER_LINE = re.compile(r"^[ \t]*\d{1,2}\.[ \t]+(?=[A-ZÆØÅ])")

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


# Verbs after which a colon introduces their complement, so that a capital after the
# colon does not start a new sentence ("Oppskriften er: Ha motivasjon – stå på.").
COLON_COMPLEMENT_VERBS: frozenset[str] = frozenset(
    {"er", "var", "være", "vært", "blir", "ble", "bli", "heter", "het", "lyder", "lød",
     "blitt", "e", "vere", "vore", "vart"}
)  # fmt: skip
# A name is two to four capitalised words ("Ola Nordmann", "Tore O. Sandvik"): a speaker
# before a colon ("Ola Nordmann: Han mener ...").
NAME_WORDS = (2, 4)


def is_name(words: list[str]) -> bool:
    """True when ``words`` read as a person's name: two to four words, all capitalised."""
    return NAME_WORDS[0] <= len(words) <= NAME_WORDS[1] and all(
        bool(STARTS_UPPER.match(word)) and not word[:1].isdigit() for word in words
    )


# Pull quotes in report layouts open with doubled typographic apostrophes or quotes.
PULL_QUOTE_OPENERS: tuple[str, ...] = ("’’", "''", "‘‘", "””", "“", "″", "❝", "❞")

URL_LINE = re.compile(r"^\s*(?:https?://|www\.)\S+\s*$", re.IGNORECASE)
URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)

# Caption cues: a line that starts with one of these is a photo caption or a link text.
CAPTION_PREFIXES: tuple[str, ...] = (
    "foto:", "foto ", "bilde:", "illustrasjon:", "kilde:", "figur ", "figur:", "fig.",
    "tabell ", "tabell:", "se hele ", "les mer", "les hele ", "se video", "se opptak",
    "lenke til ", "klikk her",
)  # fmt: skip

# Words that follow a hyphen at a line break in a suspended compound
# ("Utdannings- og kvalifiseringsløpet"): the hyphen stays and a space follows it.
SUSPENDED_COMPOUND_FOLLOWERS: frozenset[str] = frozenset({"og", "eller", "samt", "enn", "til"})

# First parts of a compound that is always written with a hyphen ("ikke-vestlige",
# "ikke-medlemmer"): a line break after their hyphen keeps it.
HYPHENATED_PREFIXES: frozenset[str] = frozenset({"ikke"})

# Linking letters between the parts of a Norwegian compound ("integrering-s-konferanse",
# "barn-e-hage"); used when checking whether a rejoined word is a compound of known words.
COMPOUND_LINKS: tuple[str, ...] = ("", "s", "e")
MIN_COMPOUND_PART = 3
# Derivational endings after which the first part of a compound always takes a linking s
# ("beslutning-s-vei", "integrering-s-konferanse", "frivillighet-s-arbeid"): a word with
# one of them and an s is the first part of a compound, where a genitive ("arvens",
# "kommunens") is a definite form and an s.
S_LINKED_SUFFIXES: tuple[str, ...] = (
    "ing", "sjon", "het", "skap", "dom", "else", "itet", "nad", "tek",
)  # fmt: skip

# Typographic ligatures (ﬀ ﬁ ﬂ ﬃ ﬄ ﬅ ﬆ) that PDF extraction passes on from some fonts;
# the clean-up writes them as their letters ("kvaliﬁsering" → "kvalifisering").
LIGATURES = "\ufb00-\ufb06"
# Letters of Norwegian words (for word matching in regexes).
LETTERS = "A-Za-zÆØÅæøåÄÖÜäöüÉéÈèÊêÓóÒòÔôÁáÀàÂâÍíÚú" + LIGATURES
WORD = re.compile(rf"[{LETTERS}]+")
UPPER = "A-ZÆØÅÄÖÜÉÈÊÓÒÔÁÀÂÍÚ"
STARTS_UPPER = re.compile(rf"^[\"«“„'(]*[{UPPER}\d]")
STARTS_LOWER = re.compile(r"^[\"«“„'(]*[a-zæøåäöüéèêóòôáàâíú]")
# Punctuation that never opens a line of its own when a space follows it: such a line
# goes on from the line before (". Det er …" after a footnote number that PDF extraction
# put on a line of its own).
_OPENS_WITH_CLOSING_MARK = re.compile(r"[.,;:!?)](?:\s|$)")


def opens_with_closing_mark(line: str) -> bool:
    """Whether ``line`` opens with a closing mark (". Det er …", ", men …"), not with an
    ellipsis ("... og så"), a smiley (":)") or a name (".NET")."""
    return bool(_OPENS_WITH_CLOSING_MARK.match(line))


ACRONYM = re.compile(rf"^[{UPPER}\d]{{2,}}$")

# Common mojibake: UTF-8 bytes decoded as Latin-1 / Windows-1252 ("Ã¸" for "ø").
# The lead character of a 2-byte UTF-8 sequence, seen through Windows-1252.
MOJIBAKE = re.compile(
    "[\u00c2-\u00df][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e"
    "\u0192\u02c6\u02dc\u2013\u2014\u2018\u2019\u201a\u201c\u201d\u201e"
    "\u2020\u2021\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)
