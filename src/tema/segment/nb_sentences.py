"""Norwegian sentence rules as plain data, in the spirit of spaCy's ``spacy/lang/nb``.

Where a sentence ends and where it goes on: abbreviations, dates and ordinals, sentence
punctuation, and what a colon opens. Everything here is a constant (tuples, frozensets,
compiled regular expressions) or a one-line helper around one; the logic that uses them
is ``tema.segment.sentences`` (and the line and block rules that ask whether a line ends
a sentence: ``lines``, ``blocks``, ``titles``, ``lists``, ``headings``, ``units``).
Keeping the rules apart lets a reader check or extend them without reading any
algorithm, and lets ``tests/test_nb_sentences.py`` check them table-driven. The other
rule modules are ``nb_layout`` (what a line or block is) and ``nb_words`` (letters,
hyphens, compounds).

The rules are written for Bokmål and hold for Nynorsk too (the abbreviations, months and
punctuation conventions are shared).
"""

from __future__ import annotations

import re

from tema.segment.nb_words import LOWER, STARTS_UPPER

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
        "konst.", "fung.", "pers.", "ila.", "ifht.", "iom.", "mtp.", "vedl.", "adv.", "adr.",
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
    {"kr.", "mill.", "mrd.", "mnd.", "pers.", "pst.", "sek.", "stk.", "t."}
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


# --- Text written in lower case ----------------------------------------------------------
# Notes typed fast are often all in lower case ("vi trenger flere plasser. kommunen bør
# …"): there a full stop, "!" or "?" before a lower-case word ends a sentence, where in
# normally written text it is an abbreviation's or an ordinal's, or a typing slip. Not an
# ellipsis, which runs on in such notes ("vi vet ikke … kanskje").
LOWER_CASE_SENTENCE_FINAL = frozenset({".", "!", "?"})


# "!" or "?" closed by a quote mark ends the quoted speech, not always its sentence: in
# text written in lower case a lower-case word after it goes on with the sentence ("hun
# ropte «nei!» og gikk"), as it does in normally written text. A full stop there ends the
# sentence ("han sa «det er bra.» vi gikk"); a bracket closes no speech.
QUOTED_SPEECH_FINAL = frozenset({"!", "?"})
CLOSING_QUOTES = CLOSING_MARKS - {")", "]"}


def ends_quoted_speech(mark: str, closing: str) -> bool:
    """Whether ``mark`` closed by ``closing`` ends quoted speech ("«nei!»")."""
    return mark in QUOTED_SPEECH_FINAL and closing in CLOSING_QUOTES


# Notes typed fast also often keep the capital of their first word alone ("Vi trenger
# flere plasser. kommunen bør … . det er …"). Such a block counts as written in lower case
# when at least this many sentence ends inside it open a lower-case word and none opens a
# capitalised one: in normally written text one is a typing slip ("… i dag. det er …") or
# an unlisted abbreviation's full stop as often as a sentence end, while two or more with
# no capitalised start beside them are a habit of the writer.
LOWER_CASE_STARTS_NEEDED = 2
# A full stop, "!" or "?" after a word, then a space and a lower-case word ("plasser.
# kommunen"); not an ellipsis ("ikke... kanskje"), and not after closing marks, which
# close direct speech as often ("«Nei!» svarte hun").
LOWER_CASE_START_INSIDE = re.compile(rf"(?<!\S)(\S*?[^\s.])([.!?])\s+(?=[{LOWER}])")
# The full stops that end no sentence before a lower-case word in normally written text:
# an abbreviation's (also one that is a word too, "alt.", or a title or a measure), and a
# number's ("kl. 10. deretter", "hver 2. uke"), which ``lower_case_starts`` leaves out.
ABBREVIATIONS_BEFORE_LOWER_CASE: frozenset[str] = (
    ABBREVIATIONS | TITLE_ABBREVIATIONS | MEASURE_ABBREVIATIONS | ABBREVIATIONS_ALSO_WORDS
)


def lower_case_starts(text: str) -> int:
    """How many sentence ends inside ``text`` open a lower-case word
    (``LOWER_CASE_START_INSIDE``), leaving out an abbreviation's or a number's full stop
    ("bl.a. kommunen", "ca. 30 pers. møtte", "kl. 10. deretter")."""
    count = 0
    for found in LOWER_CASE_START_INSIDE.finditer(text):
        word = found[1].lstrip('«("“')
        if found[2] == "." and (
            any(character.isdigit() for character in word)
            or is_abbreviation(word + ".")
            or (word + ".").lower() in ABBREVIATIONS_BEFORE_LOWER_CASE
        ):
            continue
        count += 1
    return count


def written_in_lower_case(text: str) -> bool:
    """Whether ``text`` is written in lower case: no sentence end inside it opens a
    capitalised sentence (``holds_sentence_end``), and its first letter is in lower case
    or, after a capital first letter, at least ``LOWER_CASE_STARTS_NEEDED`` sentence ends
    open a lower-case word (``lower_case_starts``); names and acronyms inside a sentence
    may keep their capitals ("… samarbeide med NAV.")."""
    first = next((character for character in text if character.isalpha()), "")
    if not first or holds_sentence_end(text):
        return False
    return first.islower() or lower_case_starts(text) >= LOWER_CASE_STARTS_NEEDED


# --- Colons -------------------------------------------------------------------------------
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
