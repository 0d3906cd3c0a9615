"""Where a sentence starts: the Norwegian rules that correct the model's sentence starts.

``rule_sentence_starts`` takes the sentence starts a spaCy pipeline proposed for a block
(``tema.segment.sentences``) and decides each start next to punctuation again with the
rules of ``tema.segment.nb_sentences`` (abbreviations, ordinals, years, «», colons), and
in unpunctuated text keeps the model's start only at a capital. The rules read token
offsets and string slices, not spaCy Token objects, so that they do not slow tema down.
"""

from __future__ import annotations

import re

import numpy

from tema.segment import nb_layout, nb_sentences, nb_words


def _starts_like_sentence(text: str) -> bool:
    """A capital, a digit, an opening quote, a dialogue dash or a bullet; also an opening
    bracket before a capital ("(Og dette ...)"), a phone number ("+47 …") or a handle
    ("@NAV …")."""
    return (
        bool(nb_words.STARTS_UPPER.match(text))
        or text[:1] in _SENTENCE_OPENERS
        or bool(nb_sentences.SENTENCE_OPENING_SIGN.match(text))
    )


# Also a bullet: PDF extraction may run list items into one line ("... vil. • Debatten").
_SENTENCE_OPENERS = frozenset(
    nb_sentences.OPENING_QUOTES | set(nb_layout.DASH_BULLET_CHARS) | set(nb_layout.BULLET_CHARS)
)
# Tokens whose last (or first) character is one of these may trigger a rule.
_RULE_TRIGGERS = frozenset(".!?…:;,»«”“’‘\"'()[]–—-" + nb_sentences.SUPERSCRIPT_DIGITS)
_STRAIGHT_QUOTES = frozenset({'"', "'"})
# SENT_START values: a sentence starts at the token, or does not.
START, NOT_START = 1, -1
_HAS_ALNUM = re.compile(r"\w")
_CAPITAL = re.compile(rf"[{nb_words.UPPER}]")


# A token that opens with an acronym ("NAV", "NAV-kontoret").
_ACRONYM_START = re.compile(r"[A-ZÆØÅ]{2,}\b")


def _lower_case_abbreviation(abbreviation: str, following: str, lower_case: bool) -> bool:
    """Whether a listed ``abbreviation`` in lower case that spaCy cut into word and full
    stop is one before the token ``following``: before a number ("omkr. 30", "tab. 3")
    or an acronym ("ift. NAV"), unless it is also a word that ends sentences there
    (``nb_sentences.ABBREVIATIONS_ALSO_WORDS``); a title also before a capital ("prof.
    Hansen", ``nb_sentences.TITLE_ABBREVIATIONS``). In text written in lower case
    (``lower_case``) before any word, unless it is also such a word ("prof. hansen", "ca.
    tretti"; "vi har prøvd alt. nav må …" ends a sentence)."""
    if abbreviation in nb_sentences.ABBREVIATIONS_ENDING_SENTENCES:
        return False
    if following[:1].isdigit():
        return True
    if lower_case:
        return abbreviation not in nb_sentences.ABBREVIATIONS_ALSO_WORDS
    if abbreviation in nb_sentences.TITLE_ABBREVIATIONS:
        return bool(_CAPITAL.match(following))  # "prof. Hansen"
    return bool(_ACRONYM_START.match(following)) and (
        abbreviation not in nb_sentences.ABBREVIATIONS_ALSO_WORDS
    )


def _opens_after_end(mark: str, word: str, lower_case: bool) -> bool:
    """Whether ``word`` opens a sentence after the sentence-final ``mark``: where it
    starts like a sentence, and in text written in lower case (``lower_case``) also at a
    lower-case word after a full stop, "!" or "?" ("… norskkurs. kommunen bør …")."""
    return _starts_like_sentence(word) or (
        lower_case
        and mark in nb_sentences.LOWER_CASE_SENTENCE_FINAL
        and bool(nb_words.STARTS_LOWER.match(word))
    )


def _sentence_start_decision(
    before: str,
    word: str,
    closed: str,
    model_start: bool,
    unpunctuated_starts: bool = True,
    colon_continues: bool = True,
    lower_case: bool = False,
) -> bool:
    """Whether ``word`` starts a sentence, given the token ``before`` it and the token
    ``closed`` before that; ``model_start`` is the statistical model's decision, which is
    followed where no punctuation decides only if ``unpunctuated_starts``;
    ``colon_continues`` says whether a colon ``before`` continues its sentence after a
    capital (``_colon_continues_sentence``); ``lower_case``: the text is written in lower
    case (``nb_sentences.written_in_lower_case``), so a lower-case word after a sentence
    end starts a sentence too."""
    before = before.rstrip(nb_sentences.SUPERSCRIPT_DIGITS) or before  # "bakgrunn.¹ Neste"
    if word in nb_sentences.CLOSING_MARKS or word in ".,;:!?)":
        return False  # closing quotes, brackets and punctuation stay with their sentence
    if before in nb_sentences.OPENING_QUOTES or before in "(":
        return False
    if nb_sentences.is_abbreviation(before):
        # "f.eks.", "bl.a." never end a sentence; "m.m.", "osv." may, before a capital, and
        # so may a measure after a number before a capital letter ("i 3 mnd. Etterpå …",
        # not "2 kr. 50 øre").
        if before.lower() in nb_sentences.MEASURE_ABBREVIATIONS and closed[-1:].isdigit():
            return bool(_CAPITAL.match(word))
        return before.lower() in nb_sentences.SENTENCE_END_ABBREVIATIONS and _starts_like_sentence(
            word
        )
    if (
        nb_sentences.NUMBER_WITH_STOP.match(before)
        and word.lower() in nb_sentences.ORDINAL_FOLLOWERS
    ):
        return False  # "17. mai", "3. klasse"
    if nb_sentences.YEAR_WITH_STOP.match(before) or before in nb_sentences.SENTENCE_FINAL:
        # "... i 2017. Neste år ...": a year's full stop ends its sentence as any other. An
        # ellipsis is passed whole ("...", not its last "."): in lower case it runs on.
        mark = before if before in nb_sentences.SENTENCE_FINAL else before[-1]
        return _opens_after_end(mark, word, lower_case)
    if before in nb_sentences.CLOSING_MARKS:
        # "hun ropte «nei!» og gikk": a lower-case word after quoted speech goes on.
        speech = nb_sentences.ends_quoted_speech(closed, before)
        return closed in nb_sentences.SENTENCE_FINAL and _opens_after_end(
            closed, word, lower_case and not speech
        )
    if before == ":":
        # Direct speech or a quotation after a colon is a sentence of its own, and so is a
        # capitalised sentence after a clause or a label ("... var sikker på to ting: Han
        # skulle ...", "Status: Det er ..."), unless the colon continues the sentence.
        if word[:1] in _SENTENCE_OPENERS:
            return True
        return not colon_continues and bool(_CAPITAL.match(word))
    if len(before) > 1 and before.endswith("."):
        # "i P1. Hun ...", "nummer 14. Bjørn ...": not an abbreviation (above); in lower
        # case a word that spaCy kept with its full stop ("kl. ti. det …"), not a number.
        return _starts_like_sentence(word) or (
            before[:-1].isalpha() and _opens_after_end(".", word, lower_case)
        )
    if model_start and unpunctuated_starts and _HAS_ALNUM.search(before):
        # Without sentence punctuation before it, a sentence starts only at a capital, and
        # not right after an acronym ("NAV Tromsø", "UDI Oslo" name one office) unless
        # the word is one that opens sentences ("… med NAV De har …").
        after_acronym = bool(nb_sentences.CAPITALS_ACRONYM.match(before))
        opens = word.lower() in nb_sentences.SENTENCE_OPENING_WORDS
        return bool(_CAPITAL.match(word)) and (not after_acronym or opens)
    return False


def rule_sentence_starts(
    text: str, table: numpy.ndarray, *, unpunctuated_starts: bool = True, lower_case: bool = False
) -> numpy.ndarray:
    """Sentence starts corrected with the Norwegian rules in ``tema.segment.nb_sentences``.

    ``table`` holds one row per token of a doc over ``text``: SENT_START (1 start, -1 not,
    0 unknown), IDX and LENGTH, as from ``doc.to_array([SENT_START, IDX, LENGTH])``.
    ``lower_case``: ``text`` is written in lower case, so that a sentence may start with a
    lower-case word (``nb_sentences.written_in_lower_case``).
    Each rule is a case where the rule is more reliable than a statistical model. Only
    tokens next to punctuation or marked as a start are looked at, through offsets and
    string slices rather than spaCy Token objects: the rules must not slow tema down.
    """
    if len(table) < 2:
        return numpy.full(len(table), START, dtype=numpy.int64)
    model_starts, offsets, lengths = (table[:, column].tolist() for column in range(3))
    sent_starts = list(model_starts)
    # A plain loop: blocks are short, and numpy's per-call cost outweighs its speed there.
    candidates = [
        i
        for i in range(1, len(offsets))
        if model_starts[i] == START
        or text[offsets[i] : offsets[i] + 1] in _RULE_TRIGGERS
        or text[offsets[i - 1] + max(lengths[i - 1], 1) - 1] in _RULE_TRIGGERS
    ]

    def word(i: int) -> str:
        return text[offsets[i] : offsets[i] + lengths[i]]

    sentence_begin = 0  # the token that starts the sentence being read
    for i in candidates:
        current = word(i)
        if not current or current.isspace():
            continue
        previous_index = i - 1
        while previous_index > 0 and word(previous_index).isspace():
            previous_index -= 1
        before = word(previous_index)
        closed = word(previous_index - 1) if previous_index >= 1 else ""
        if before == "." and _attached(offsets, lengths, previous_index):
            # spaCy's exceptions are case-sensitive: "jf." is one token, "Jf." two.
            abbreviation = closed + "."
            # spaCy knows only some lower-case ones: "ift. NAV", "omkr. 30" come as two
            # tokens (`_lower_case_abbreviation` says when they are abbreviations).
            if abbreviation.lower() in nb_sentences.ABBREVIATIONS and (
                closed[:1].isupper()
                or _lower_case_abbreviation(abbreviation.lower(), current, lower_case)
            ):
                before = abbreviation
                closed = word(previous_index - 2) if previous_index >= 2 else ""
        mark = _opening_mark(current, _attached(offsets, lengths, i))
        if mark and i + 1 < len(offsets) and _attached(offsets, lengths, i + 1):
            current = mark + word(i + 1)  # "(Og dette …)", "… møte. "Vi …": it opens one
        model_start = model_starts[i] == START
        if previous_index == 0 and nb_sentences.NUMBER_WITH_STOP.match(before):
            decision = False  # a number opens the block: "2. Utdanning og kvalifisering"
        elif _opening_mark(before, _attached(offsets, lengths, previous_index)):
            decision = False  # the word after an opening bracket or quote: they start
        else:
            colon_continues = before == ":" and _colon_continues_sentence(
                [word(k) for k in range(sentence_begin, previous_index)]
            )
            decision = _sentence_start_decision(
                before,
                current,
                closed,
                model_start,
                unpunctuated_starts,
                colon_continues,
                lower_case,
            )
        sent_starts[i] = START if decision else NOT_START
        if decision:
            sentence_begin = i
    sent_starts[0] = START
    return numpy.array(sent_starts, dtype=numpy.int64)


def _colon_continues_sentence(lead: list[str]) -> bool:
    """Whether a colon after the tokens ``lead`` (its sentence so far) continues the
    sentence after a capital: after a one-word label ("Bolig: For få boliger ..."; alone
    the label would be a unit of its own, counted beside its sentence), an input label
    ("Svar 2: Mer kurs"), a name ("Ola Nordmann: Han mener ..." is one unit to sort), or
    a verb whose complement follows ("oppskriften er: Ha motivasjon ..."), and a date
    ("17. mai: Oppstart")."""
    words = [token for token in lead if _HAS_ALNUM.search(token)]
    if len(words) <= 1 or words[-1].lower() in nb_sentences.COLON_COMPLEMENT_VERBS:
        return True
    if len(words) == 2 and nb_sentences.NUMBER_WITH_STOP.match(words[0]):
        return words[1].lower() in nb_sentences.MONTHS
    if nb_layout.has_input_label(" ".join(words) + ":"):
        return True
    return nb_sentences.is_name(words)


def _opening_mark(token: str, attached_before: bool) -> str:
    """The opening mark ``token`` is, as the rules read it: an opening bracket, or a
    straight quote with a space before it, read as "«" ("… møte. "Vi …"; one right after
    a word closes its quotation); "" for any other token."""
    if token == "(":
        return token
    if token in _STRAIGHT_QUOTES and not attached_before:
        return "«"
    return ""


def _attached(offsets: list[int], lengths: list[int], i: int) -> bool:
    """True when token ``i`` follows token ``i - 1`` with no space between them."""
    return i >= 1 and offsets[i - 1] + lengths[i - 1] == offsets[i]
