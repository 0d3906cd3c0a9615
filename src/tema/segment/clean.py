"""Clean-up of text extracted from PDF reports, keeping a map back to the raw text.

The raw text is cut into lines, the lines are grouped into *blocks* (a paragraph, one
bullet item, a pull quote, a link line, a heading ...), and each block is cleaned:

* whitespace runs and line breaks become one space;
* a word hyphenated across a line break is rejoined ("interes-/senter" -> "interessenter")
  unless the hyphen belongs to the word ("NAV-/tiltak") or to a suspended compound
  ("Utdannings-/og" -> "Utdannings- og"); the decision uses a Norwegian word list;
* kerning gaps inside words ("distri butøren", "inte greringskonferanse") are closed where
  the text shows the artefact: a piece that is no word on its own, or (in a document that
  shows letter-spaced extraction) a joined word far more common than its pieces
  ("skatte betalere"); words typed apart stay apart ("Språkkravene er");
* control characters and soft hyphens are dropped, UTF-8 misread as Latin-1 ("Ã¸") is
  repaired.

Every character of a block's cleaned text remembers the raw span it came from
(``Block.raw_char_span``), so a span of cleaned text maps back to an exact ``start, end``
in the raw text. The map is kept as pieces (a run of copied characters, or a replacement
and the raw span it replaces), not per character: it costs memory and time per edit, not
per character of text.

All functions are pure. The word list is loaded lazily (``load_lexicon``) and cached.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import itertools
import marshal
import math
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from tema.io.files import atomic_write
from tema.segment import nb_rules

BLOCK_KINDS = ("heading", "paragraph", "bullet", "quote", "caption", "url", "noise")
LEXICON_SOURCES = ("wordfreq", "simplemma", "spacy-lookups-data", "wordfreq+simplemma")
DEFAULT_LEXICON = "wordfreq+simplemma"
# Kerning-gap answers remembered per word list (then the memo starts again).
GAP_DECISIONS_KEPT = 200_000
# Raise when the layout of a cached word list file, or the way a list is built from the
# packages (_build_lexicon, _is_word_form), changes: the cache key holds only this and
# the packages' versions (see load_lexicon).
LEXICON_CACHE_FORMAT = 2

# Zipf frequency (log10 of occurrences per billion words) from which a word counts as
# known. Below 1.5 wordfreq's Norwegian list is mostly typos and name fragments.
KNOWN_WORD_ZIPF = 1.5
# Membership-only word lists get this pseudo-frequency for every word they hold.
MEMBERSHIP_ZIPF = 3.0
# Zipf frequency of the commonest words (about 115 in Norwegian: "og", "er", "en", "som",
# "for", "over", ... one in a thousand running words or more). A piece of text that is one
# of them is that word, never a piece of a word split by a kerning gap.
COMMON_WORD_ZIPF = 6.0
# What a pair of words says about a kerning gap between them (kerning_gap_evidence).
NO_GAP, GAP_IF_LETTER_SPACED, GAP = 0, 1, 2

# Longest line handled as one piece; longer ones (a file without line breaks) are cut at
# whitespace so memory and spaCy's max_length stay bounded.
MAX_LINE_CHARS = 2_500
# Longest block; a longer run of lines without a blank line is cut into several blocks.
# Small enough that a spaCy batch of such blocks stays small in memory.
MAX_BLOCK_CHARS = 5_000

_LOWER = "a-zæøåäöüéèêóòôáàâíú"
_L = nb_rules.LETTERS
# Everything in a line that is not copied unchanged: whitespace other than one plain
# space, control characters, soft hyphens and zero-width marks, and mojibake pairs.
_FIX = re.compile(
    nb_rules.MOJIBAKE.pattern
    + r"|[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]{2,}|[\t\u00a0\u2000-\u200a\u202f\u205f\u3000]"
    + r"|[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u200b-\u200d\u2060\ufeff]+"
)
# Where a _FIX match can start (two spaces, or one character of its classes): one fast
# character scan tells that a line needs no fix, as most lines do.
_FIX_CANDIDATE = re.compile(
    r"  |[\t\u00a0\u2000-\u200d\u202f\u205f\u3000\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u2060"
    r"\ufeff\u00c2-\u00df]"
)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u200b-\u200d\u2060\ufeff]")
# Two words separated by spaces; the second word sits in a look-ahead so that every
# adjacent pair is seen ("a b c" gives a|b and b|c).
_WORD_PAIR = re.compile(rf"(?<![{_L}\-])([{_L}]{{2,}})( +)(?=([{_LOWER}][{_L}]+)(?![{_L}\-]))")
_LAST_WORD = re.compile(rf"([{_L}]+)$")
_FIRST_WORD = re.compile(rf"([{_L}]+)")  # used with match(): anchored at pos
# A hyphen and a line break just before a position (search with endpos there).
_HYPHEN_BEFORE = re.compile(r"[-\u00ad][ \t]*\r?\n[ \t]*$")
_NOISE_LINE = re.compile(r"^\W*\d{1,4}\W*$|^[\W_]*$")


# --- Word list ----------------------------------------------------------------------------
class Lexicon(dict[str, float]):
    """Zipf frequency by lower-case word form, plus the forms that a normative
    dictionary lists (``normative``) and the proper names it lists (``names``); both are
    empty for a plain frequency list.

    Read-only by convention: ``load_lexicon`` caches and shares one instance. Besides
    the lists it holds ``known`` (the forms from ``KNOWN_WORD_ZIPF`` up) and
    ``gap_decisions``, a memo of ``kerning_gap_evidence`` answers: the same word pairs come
    back all through a corpus, and the full check costs a compound analysis.
    ``normative`` is made into a set when first used: only a word hyphenated across
    lines needs it, and the set of 640,000 forms takes a fifth of the list's load time.
    """

    def __init__(
        self,
        frequencies: Mapping[str, float],
        normative: Iterable[str] = (),
        names: Iterable[str] = (),
    ) -> None:
        super().__init__(frequencies)
        self._normative_forms = list(normative)
        self.names = frozenset(names)  # proper names, as written ("Oslo", "Nato")
        self.known = frozenset(word for word, z in self.items() if z >= KNOWN_WORD_ZIPF)
        self.gap_decisions: dict[tuple[str, str], int] = {}

    @functools.cached_property
    def normative(self) -> frozenset[str]:
        return frozenset(self._normative_forms)


def _wordfreq_frequencies() -> dict[str, float]:
    from wordfreq import get_frequency_dict

    return {
        word: 9 + math.log10(freq)
        for word, freq in get_frequency_dict("nb").items()
        if freq > 0 and _is_word_form(word)
    }


def _simplemma_forms() -> tuple[set[str], set[str]]:
    """Lower-cased word forms of simplemma's Bokmål dictionary, and its proper names
    (forms it only lists with a capital)."""
    try:
        from simplemma.strategies.dictionaries import DefaultDictionaryFactory
    except ImportError as error:
        raise ImportError(
            "tema's word list needs the simplemma package: pip install simplemma"
        ) from error

    dictionary = DefaultDictionaryFactory().get_dictionary("nb")
    written = {form for form in (*dictionary, *dictionary.values()) if _is_word_form(form)}
    names = {form for form in written if form[:1].isupper() and form.lower() not in written}
    return {form.lower() for form in written}, names


def _spacy_lookups_forms() -> set[str]:
    import gzip
    import json

    from spacy_lookups_data import get_file  # type: ignore[import-untyped]

    with gzip.open(get_file("nb_lemma_lookup.json.gz"), "rt", encoding="utf-8") as handle:
        table = json.load(handle)
    return {form.lower() for form in (*table, *table.values()) if _is_word_form(form)}


def load_lexicon(source: str = DEFAULT_LEXICON, cache_dir: str | Path | None = None) -> Lexicon:
    """Norwegian word forms (lower case) with a Zipf frequency, from maintained packages.

    ``wordfreq`` gives real frequencies but no hyphenated forms and many informal
    spellings ("epost"); ``simplemma`` is a normative full-form dictionary (with
    "e-post") without frequencies; ``spacy-lookups-data`` only has a small lemma table.
    ``wordfreq+simplemma`` takes frequencies from the first and spelling from the second.
    Membership-only lists give every form ``MEMBERSHIP_ZIPF``. Loaded once per process.

    Building the list from the packages takes seconds; with ``cache_dir`` the built list
    is kept there (one file per source and package versions) and read back in a fraction
    of that on later runs. A missing, stale or damaged cache file is rebuilt.
    """
    return _load_lexicon(source, None if cache_dir is None else str(cache_dir))


@functools.lru_cache(maxsize=4)
def _load_lexicon(source: str, cache_dir: str | None) -> Lexicon:
    # Cached under the arguments as given (a default argument would be a separate key).
    if source not in LEXICON_SOURCES:
        raise ValueError(
            f"unknown word list {source!r}; choose one of {', '.join(LEXICON_SOURCES)}"
        )
    if cache_dir is None:
        return _build_lexicon(source)
    path = Path(cache_dir) / f"{source}-{_lexicon_fingerprint()}.marshal"
    cached = _read_cached_lexicon(path)
    if cached is not None:
        return cached
    lexicon = _build_lexicon(source)
    # Equal frequencies as one float object (wordfreq has a few hundred distinct values):
    # marshal then writes each once and reading back makes 800,000 fewer objects.
    shared: dict[float, float] = {}
    frequencies = {word: shared.setdefault(z, z) for word, z in lexicon.items()}
    payload = marshal.dumps((frequencies, sorted(lexicon.normative), sorted(lexicon.names)))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_write(path, mode="wb") as handle:
            handle.write(payload)
    except OSError:
        pass  # the cache only saves time; an unwritable folder costs the rebuild next time
    return lexicon


def as_lexicon(lexicon: str | Mapping[str, float] | None) -> Lexicon:
    """A ``Lexicon`` from a word list name (None: the default list), a plain mapping of
    word to Zipf frequency, or a ``Lexicon`` (returned as it is)."""
    if lexicon is None or isinstance(lexicon, str):
        return load_lexicon(lexicon or DEFAULT_LEXICON)
    return lexicon if isinstance(lexicon, Lexicon) else Lexicon(lexicon)


def _lexicon_fingerprint() -> str:
    """Short hash of what a built word list depends on: the packages' versions."""
    from importlib.metadata import PackageNotFoundError, version

    parts = [f"format {LEXICON_CACHE_FORMAT}"]
    for package in ("wordfreq", "simplemma", "spacy-lookups-data"):
        try:
            parts.append(f"{package} {version(package)}")
        except PackageNotFoundError:
            parts.append(f"{package} -")
    return hashlib.sha256("; ".join(parts).encode()).hexdigest()[:12]


def _read_cached_lexicon(path: Path) -> Lexicon | None:
    """The word list in a cache file, or None when there is none or it is not one."""
    try:
        frequencies, normative, names = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if not (
        isinstance(frequencies, dict) and isinstance(normative, list) and isinstance(names, list)
    ):
        return None
    return Lexicon(frequencies, normative=normative, names=names)


def _build_lexicon(source: str) -> Lexicon:
    if source == "wordfreq":
        return Lexicon(_wordfreq_frequencies())
    if source == "simplemma":
        forms, names = _simplemma_forms()
        return Lexicon(dict.fromkeys(forms, MEMBERSHIP_ZIPF), normative=forms, names=names)
    if source == "spacy-lookups-data":
        return Lexicon(dict.fromkeys(_spacy_lookups_forms(), MEMBERSHIP_ZIPF))
    forms, names = _simplemma_forms()  # wordfreq+simplemma
    frequencies = dict.fromkeys(forms, MEMBERSHIP_ZIPF)
    frequencies.update(_wordfreq_frequencies())
    return Lexicon(frequencies, normative=forms, names=names)


def _is_word_form(word: str) -> bool:
    """Letters, or letters joined by hyphens ("e-post")."""
    return word.replace("-", "").isalpha() and "--" not in word and word.strip("-") == word


def zipf(lexicon: Mapping[str, float], word: str) -> float:
    """Zipf frequency of ``word`` (any case) in ``lexicon``; 0 for unknown words."""
    return lexicon.get(word.lower(), 0.0)


def is_known(lexicon: Mapping[str, float], word: str) -> bool:
    return zipf(lexicon, word) >= KNOWN_WORD_ZIPF


def is_compound(lexicon: Mapping[str, float], word: str) -> bool:
    """True when ``word`` is a known word or two known words with a linking letter.

    Norwegian writes compounds as one word and coins new ones freely
    ("integreringskonferanse"), so a word list never holds them all; a known head and a
    known modifier ("integrering" + s + "konferanse") is strong evidence of a real word.
    """
    return is_known(lexicon, word) or any(True for _cut in compound_cuts(lexicon, word))


def compound_cuts(lexicon: Mapping[str, float], word: str) -> Iterator[int]:
    """The places where ``word`` splits into a known modifier, a linking letter or none,
    and a known head ("integrerings|konferanse"): offsets of the head, in order."""
    lowered = word.lower()
    min_part = nb_rules.MIN_COMPOUND_PART
    for cut in range(min_part, len(lowered) - min_part):
        head = lowered[cut:]
        if len(head) < min_part + 1 or not is_known(lexicon, head):
            continue
        modifier = lowered[:cut]
        for link in nb_rules.COMPOUND_LINKS:
            if link and not modifier.endswith(link):
                continue
            stem = modifier[: len(modifier) - len(link)] if link else modifier
            if len(stem) >= min_part and is_known(lexicon, stem):
                yield cut
                break


# --- Decisions on words -------------------------------------------------------------------
def hyphen_joint(left: str, right: str, lexicon: Mapping[str, float]) -> str:
    """What replaces ``-`` + line break between ``left`` and ``right``.

    Returns ``""`` (rejoin: a word split by hyphenation), ``"-"`` (the hyphen belongs to
    the word: "NAV-tiltak", "e-post") or ``"- "`` (a suspended compound: "Utdannings- og").
    """
    if nb_rules.ACRONYM.match(left) or left[-1:].isdigit() or right[:1].isupper():
        return "-"  # "NAV-tiltak", "2016-2017", "distrikts-Norge"
    joined, hyphenated = left + right, f"{left}-{right}"
    normative = getattr(lexicon, "normative", frozenset())
    if normative:
        joined_listed = joined.lower() in normative
        hyphenated_listed = hyphenated.lower() in normative
        if joined_listed != hyphenated_listed:
            return "" if joined_listed else "-"
    if left in getattr(lexicon, "names", ()):
        return "-"  # a name in a compound takes a hyphen: "Oslo-området", "Nato-fly"
    joined_zipf, hyphenated_zipf = zipf(lexicon, joined), zipf(lexicon, hyphenated)
    if joined_zipf >= KNOWN_WORD_ZIPF or hyphenated_zipf >= KNOWN_WORD_ZIPF:
        # The word list knows the word: take its more common spelling ("e-post", not
        # "epost"; "forteller", not "fort- eller").
        return "" if joined_zipf >= hyphenated_zipf else "-"
    if right.lower() in nb_rules.SUSPENDED_COMPOUND_FOLLOWERS:
        return "- "
    if len(left) >= 2 and left[-1] == left[-2] == right[:1].lower():
        return "-"  # three equal letters are written with a hyphen ("metall-lampe")
    # Neither form is listed. Typesetting hyphenates far more words than it breaks
    # hyphenated compounds at their hyphen, so rejoin; new compounds of known words are
    # the common case ("kvalifiserings" + "perioden").
    return ""


def kerning_gap_evidence(left: str, right: str, lexicon: Mapping[str, float]) -> int:
    """How the pair ``left right`` (lower case) speaks for a kerning gap inside one word:
    ``GAP``, ``GAP_IF_LETTER_SPACED`` or ``NO_GAP``.

    A kerning gap cuts a word at any letter, so it leaves a piece that is no word on its
    own. That is the evidence a gap needs:

    * ``GAP``: a piece is no listed word and the joined word is listed ("distri butøren",
      "introduksjons programmet", "del takerne"), or the right piece is not even a
      compound of known words and the joined word is a compound with the gap inside its
      first part ("inte greringskonferanse");
    * ``GAP_IF_LETTER_SPACED``, a gap only in a document that shows letter-spaced
      extraction (a PDF, or a text with a ``GAP`` elsewhere): both pieces are words but
      the joined word is listed and more common than the pieces ("skatte betalere",
      "bo lig"), or the left piece is no listed word but the form a compound's first
      part takes before its head ("beslutnings veier": a word in -ing, -sjon, -het ...
      and a linking s; a genitive such as "arvens egen" is not one). In typed text such
      pairs are mostly words written apart on purpose ("kan skje");
    * ``NO_GAP`` for everything else, and always next to one of the commonest words
      ("og", "er", "en", "som", ...): such a piece is that word, not part of another
      ("Språkkravene er", "en mannsjobb"). A compound in the definite form is mostly
      unlisted, so the pieces of "Integreringstiltakene er" are two words, not a piece
      of "integreringstiltakeneer".
    """
    left_zipf, right_zipf = zipf(lexicon, left), zipf(lexicon, right)
    if left_zipf >= COMMON_WORD_ZIPF or right_zipf >= COMMON_WORD_ZIPF:
        return NO_GAP
    joined = left + right
    joined_zipf = zipf(lexicon, joined)
    if left_zipf >= KNOWN_WORD_ZIPF and right_zipf >= KNOWN_WORD_ZIPF:
        common = joined_zipf >= 2.0 and joined_zipf > right_zipf and joined_zipf > left_zipf - 1.0
        return GAP_IF_LETTER_SPACED if common else NO_GAP
    if joined_zipf >= KNOWN_WORD_ZIPF:
        return GAP
    if len(joined) < 8:
        return NO_GAP
    if not is_compound(lexicon, right) and any(
        cut > len(left) for cut in compound_cuts(lexicon, joined)
    ):
        return GAP
    stem = left[:-1]
    if (
        left.endswith("s")
        and stem.endswith(nb_rules.S_LINKED_SUFFIXES)
        and right_zipf >= KNOWN_WORD_ZIPF
        and is_known(lexicon, stem)
    ):
        return GAP_IF_LETTER_SPACED  # "beslutnings veier", but not "arvens egen"
    return NO_GAP


class LetterSpacing:
    """Whether a document shows letter-spaced extraction, so that weaker evidence of a
    kerning gap counts (``kerning_gap_evidence``): it is a PDF (``is_pdf``), or somewhere
    in it a pair of pieces is a ``GAP``. Found out when a gap first needs it: most pairs
    of words are decided without it."""

    def __init__(self, raw: str, lexicon: Lexicon, is_pdf: bool = False) -> None:
        self._raw, self._lexicon, self._is_pdf = raw, lexicon, is_pdf

    @functools.cached_property
    def shown(self) -> bool:
        if self._is_pdf:
            return True
        known = self._lexicon.known
        for match in _WORD_PAIR.finditer(self._raw):
            left, right = match.group(1).lower(), match.group(3).lower()
            if left in known and right in known:
                continue  # two words: never a GAP on their own
            if _HYPHEN_BEFORE.search(self._raw, max(0, match.start() - 16), match.start()):
                continue  # the second half of a word hyphenated across lines
            if _gap_evidence(left, right, self._lexicon) == GAP:
                return True
        return False


def _gap_evidence(left: str, right: str, lexicon: Lexicon) -> int:
    """``kerning_gap_evidence`` of lower-case pieces, remembered in ``lexicon``."""
    decisions = lexicon.gap_decisions
    evidence = decisions.get((left, right))
    if evidence is None:
        if len(decisions) >= GAP_DECISIONS_KEPT:
            decisions.clear()
        evidence = decisions[left, right] = kerning_gap_evidence(left, right, lexicon)
    return evidence


# --- Lines --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Line:
    """One line of raw text: ``start``/``end`` exclude the line break."""

    start: int
    end: int
    kind: str  # blank, url, noise, bullet, marker, quote, footnote, programme, text
    frame_start: bool  # indented and capitalised: a new text frame in PDF extraction


def classify_line(content: str) -> str:
    """Kind of one raw line (without its line break)."""
    stripped = content.strip()
    if not stripped:
        return "blank" if not _CONTROL.search(content) else "noise"
    if nb_rules.URL_LINE.match(stripped):
        return "url"
    if stripped.startswith(nb_rules.PULL_QUOTE_OPENERS[:3]):
        return "quote"  # also a line with only the opening marks: the quote follows
    if len(stripped) == 1 and nb_rules.LONE_BULLET_LINE.match(content):
        return "marker"  # the item's text follows on the next line
    if _NOISE_LINE.match(stripped):
        return "noise"
    # Cheap character tests first: most lines are none of these, and this runs per line.
    first, last = stripped[0], stripped[-1]
    if last.isdigit() and (
        nb_rules.PAGE_LABEL_LINE.match(stripped) or nb_rules.TOC_LINE.search(stripped)
    ):
        return "noise"
    if (last.isdigit() or first.isdigit()) and nb_rules.RUNNING_HEADER_LINE.search(content):
        return "noise"
    if first in nb_rules.SUPERSCRIPT_DIGITS and nb_rules.FOOTNOTE_LINE.match(content):
        return "footnote"
    if (first.isdigit() or first == "K") and nb_rules.PROGRAMME_LINE.match(content):
        return "programme"
    if _item_marker(content):
        return "bullet"
    if stripped.startswith(nb_rules.PULL_QUOTE_OPENERS):
        return "quote"
    return "text"


_SENTENCE_END_THEN_SPACE = re.compile(r"[.!?…][»”’\"')\]]*(?= +[\"«(]*[A-ZÆØÅ\d])")


def _split_long(start: int, end: int, text: str) -> Iterator[tuple[int, int]]:
    """Cut the line ``text[start:end]`` into pieces of at most MAX_LINE_CHARS: after the
    last likely sentence end in the second half of the piece (a full stop not after an
    abbreviation: "som Dr. Donsbach"), else at the last space."""
    while end - start > MAX_LINE_CHARS:
        window_start, window_end = start + MAX_LINE_CHARS // 2, start + MAX_LINE_CHARS
        sentence_ends = [
            match
            for match in _SENTENCE_END_THEN_SPACE.finditer(text, window_start, window_end)
            if not _after_abbreviation(text, match.start())
        ]
        if sentence_ends:
            sentence_end = sentence_ends[-1]
            cut = sentence_end.end()
        else:
            space = text.rfind(" ", window_start, window_end)
            cut = space if space > 0 else window_end
        yield start, cut
        start = cut
    yield start, end


def _after_abbreviation(text: str, stop: int) -> bool:
    """True when the full stop at ``text[stop]`` ends an abbreviation ("Dr.", "f.eks.")."""
    if text[stop] != ".":
        return False
    low = max(0, stop - 20)  # abbreviations are short
    word_start = max(text.rfind(" ", low, stop), text.rfind("\n", low, stop), low - 1) + 1
    return nb_rules.is_abbreviation(text[word_start : stop + 1].lstrip('«("“'))


# Running headers and footers: the first and last lines of each page are compared, and
# text that recurs there (numbers aside) on at least this many pages, and on at least
# this share of all pages, is page furniture. A heading that opens a few sections on new
# pages ("INNSPILL FRA DELTAKERNE") recurs too, but on far fewer pages.
FURNITURE_EDGE_LINES = 2
FURNITURE_MIN_PAGES = 3
FURNITURE_MIN_SHARE = 0.4
_DIGITS = re.compile(r"\d+")


def page_furniture(text: str, pages: Sequence[int]) -> frozenset[int]:
    """Start offsets of the lines of ``text`` that are running headers or footers, given
    the offsets where its pages start (``tema.ingest.readers``: PDF pages); empty without pages."""
    if len(pages) < FURNITURE_MIN_PAGES:
        return frozenset()
    edges: list[tuple[str, int, int]] = []  # (text without numbers, page, line start)
    bounds = [*pages, len(text)]
    for page, (page_start, page_end) in enumerate(itertools.pairwise(bounds)):
        lines = []
        position = page_start
        for with_break in text[page_start:page_end].splitlines(keepends=True):
            if with_break.strip():
                lines.append((position, with_break))
            position += len(with_break)
        if len(lines) > 2 * FURNITURE_EDGE_LINES:
            lines = lines[:FURNITURE_EDGE_LINES] + lines[-FURNITURE_EDGE_LINES:]
        for start, line in lines:
            key = " ".join(_DIGITS.sub("#", line).lower().split())
            edges.append((key, page, start))
    pages_with: dict[str, set[int]] = {}
    for key, page, _start in edges:
        pages_with.setdefault(key, set()).add(page)
    needed = max(FURNITURE_MIN_PAGES, FURNITURE_MIN_SHARE * len(pages))
    return frozenset(start for key, _page, start in edges if len(pages_with[key]) >= needed)


def split_lines(text: str, furniture: frozenset[int] = frozenset()) -> list[Line]:
    """The lines of ``text`` with raw offsets and their kind; lines that start at an
    offset in ``furniture`` (``page_furniture``) are noise."""
    lines = []
    position = 0
    for with_break in text.splitlines(keepends=True):
        content = with_break.rstrip("\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
        line_end = position + len(content)
        for start, end in _split_long(position, line_end, text):
            piece = text[start:end]
            kind = "noise" if start in furniture else classify_line(piece)
            frame_start = (
                kind != "blank"
                and piece[:1] in (" ", "\t")
                and bool(nb_rules.STARTS_UPPER.match(piece.lstrip()))
            )
            lines.append(Line(start, end, kind, frame_start))
        position += len(with_break)
    return lines


# --- Blocks -------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class Block:
    """A run of lines that forms one layout element, with its cleaned text.

    ``start``/``end`` is the raw span of the whole block (no outer whitespace). The offset
    map: piece ``k`` of the cleaned text starts at ``piece_starts[k]``; ``pieces[k]`` is
    ``(raw_start, raw_end, copied)``: copied raw text (character for character) or a
    replacement whose every character stands for all of ``raw[raw_start:raw_end]``.
    """

    kind: str
    start: int
    end: int
    text: str
    piece_starts: list[int] = field(repr=False)
    pieces: list[tuple[int, int, bool]] = field(repr=False)
    frame_start: bool = False

    def raw_char_span(self, index: int) -> tuple[int, int]:
        """Raw ``start, end`` that cleaned character ``self.text[index]`` came from."""
        piece = bisect.bisect_right(self.piece_starts, index) - 1
        raw_start, raw_end, copied = self.pieces[piece]
        if not copied:
            return raw_start, raw_end
        position = raw_start + index - self.piece_starts[piece]
        return position, position + 1

    def raw_span(self, clean_start: int, clean_end: int) -> tuple[int, int]:
        """Raw ``start, end`` of the cleaned text ``self.text[clean_start:clean_end]``."""
        if clean_end <= clean_start:
            if clean_start < len(self.text):
                position = self.raw_char_span(clean_start)[0]
            else:
                position = self.end
            return position, position
        return self.raw_char_span(clean_start)[0], self.raw_char_span(clean_end - 1)[1]


class _Builder:
    """Accumulates cleaned text pieces with the raw span each one replaces."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.piece_starts: list[int] = []
        self.pieces: list[tuple[int, int, bool]] = []
        self.length = 0

    def copy(self, raw: str, start: int, end: int) -> None:
        """Copy ``raw[start:end]`` unchanged: each character maps to itself."""
        if end <= start:
            return
        self.parts.append(raw[start:end])
        if self.pieces and self.pieces[-1][2] and self.pieces[-1][1] == start:
            self.pieces[-1] = (self.pieces[-1][0], end, True)  # continues the last copy
        else:
            self.piece_starts.append(self.length)
            self.pieces.append((start, end, True))
        self.length += end - start

    def replace(self, replacement: str, start: int, end: int) -> None:
        """Put ``replacement`` for ``raw[start:end]``: each new character maps to all of it."""
        if replacement:
            self.parts.append(replacement)
            self.piece_starts.append(self.length)
            self.pieces.append((start, end, False))
            self.length += len(replacement)

    def text(self) -> str:
        return "".join(self.parts)


def _fix_mojibake(pair: str) -> str:
    try:
        return pair.encode("cp1252").decode("utf-8")
    except UnicodeError:
        try:
            return pair.encode("latin-1").decode("utf-8")
        except UnicodeError:
            return pair


def _line_edits(
    raw: str,
    start: int,
    end: int,
    lexicon: Lexicon,
    letter_spacing: LetterSpacing,
    *,
    words_end: int,
    first_word_is_fragment: bool,
):
    """Edits ``(start, end, replacement)`` that clean ``raw[start:end]``, in order.

    Kerning gaps are looked for in ``raw[start:words_end]`` (which includes a held-back
    line-end hyphen, so that the fragment before it is not taken for a word). The first
    word is skipped when it is the second half of a word hyphenated across lines.
    """
    segment = raw[start:end]
    edits = []
    words = raw[start:words_end]
    known = lexicon.known
    gap_spans = None  # positions are looked up only for the rare pair that is a gap
    # findall and finditer yield the same matches in the same order: findall is the
    # cheap pass over every word pair of the line.
    for index, (left, _gap, right) in enumerate(_WORD_PAIR.findall(words)):
        left, right = left.lower(), right.lower()
        if left in known and right in known and left + right not in lexicon:
            continue  # the common case, decided without the full check: two known words
        evidence = _gap_evidence(left, right, lexicon)
        if evidence == NO_GAP or (evidence == GAP_IF_LETTER_SPACED and not letter_spacing.shown):
            continue
        if gap_spans is None:
            gap_spans = [match.span(2) for match in _WORD_PAIR.finditer(words)]
        gap_start, gap_end = gap_spans[index]
        if first_word_is_fragment and index == 0 and _WORD_PAIR.match(words):
            continue
        edits.append((start + gap_start, start + gap_end, ""))
    for match in _FIX.finditer(segment) if _FIX_CANDIDATE.search(segment) else ():
        found = match.group()
        if nb_rules.MOJIBAKE.fullmatch(found):
            replacement = _fix_mojibake(found)
        elif _CONTROL.match(found):
            replacement = ""
        else:
            replacement = " "
        edits.append((start + match.start(), start + match.end(), replacement))
    if len(edits) > 1:
        edits.sort(key=lambda edit: (edit[0], edit[2] != ""))
    return edits


def _region(raw: str, line: Line) -> tuple[int, int]:
    """Raw span of a line's content: no outer whitespace."""
    start, end = line.start, line.end
    segment = raw[start:end]
    start += len(segment) - len(segment.lstrip())
    end -= len(segment) - len(segment.rstrip())
    return start, max(start, end)


def _item_marker(content: str) -> re.Match[str] | None:
    """The bullet, dash or number that opens a list item line, if it is one."""
    return (
        nb_rules.BULLET_LINE.match(content)
        or nb_rules.DASH_BULLET_LINE.match(content)
        or nb_rules.NUMBERED_ITEM_LINE.match(content)
    )


def _without_marker(raw: str, line: Line, region: tuple[int, int]) -> tuple[int, int]:
    """A line's content region (``_region``) without its bullet marker."""
    start, end = region
    marker = _item_marker(raw[line.start : line.end])
    if marker:
        start = max(start, line.start + marker.end())
    return start, max(start, end)


def clean_lines(
    raw: str,
    lines: list[Line],
    kind: str,
    lexicon: Lexicon,
    letter_spacing: LetterSpacing | None = None,
) -> Block:
    """Clean a run of lines of one block into a ``Block`` with its offset map
    (``letter_spacing``: of the document ``raw``; found from ``raw`` if not given)."""
    if letter_spacing is None:
        letter_spacing = LetterSpacing(raw, lexicon)
    builder = _Builder()
    regions = [_region(raw, line) for line in lines]
    block_start, block_end = regions[0][0], regions[-1][1]
    # After each line: where the joint to the next line starts in the raw text, and what
    # hyphen (if any) ended the line: ("hard", left word) or ("soft", "").
    pending_joint: tuple[int, tuple[str, str] | None] | None = None
    for index, line in enumerate(lines):
        if line.kind == "marker":
            continue  # a bullet alone on its line: the block's span starts at it
        start, end = regions[index]
        if index == 0 and kind == "bullet":
            start, end = _without_marker(raw, line, regions[0])
        if start >= end:
            continue
        if pending_joint is not None:
            joint_start, hyphen = pending_joint
            first = _FIRST_WORD.match(raw, start, end)
            if hyphen is None:
                joint = " "
            elif hyphen[0] == "soft":
                joint = ""
            else:
                joint = hyphen_joint(hyphen[1], first.group(1), lexicon) if first else "- "
            builder.replace(joint, joint_start, start)
        # A line ending in letter + hyphen may end with a hyphenated word: hold the hyphen
        # back and decide once the next line's first word is known.
        after_hyphen = pending_joint is not None and pending_joint[1] is not None
        line_end_with_hyphen = end
        hyphen = None
        if index + 1 < len(lines) and end - start >= 2 and raw[end - 1] in "-\u00ad":
            last = _LAST_WORD.search(raw, start, end - 1)
            if last and last.end() == end - 1:
                hyphen = ("soft", "") if raw[end - 1] == "\u00ad" else ("hard", last.group(1))
                end -= 1
        position = start
        edits = _line_edits(
            raw,
            start,
            end,
            lexicon,
            letter_spacing,
            words_end=line_end_with_hyphen,
            first_word_is_fragment=after_hyphen,
        )
        for edit_start, edit_end, replacement in edits:
            if edit_start < position:
                continue  # overlaps an edit already made (a kerning gap of two spaces)
            builder.copy(raw, position, edit_start)
            builder.replace(replacement, edit_start, edit_end)
            position = edit_end
        builder.copy(raw, position, end)
        pending_joint = (end, hyphen)
    if pending_joint is not None and pending_joint[1] is not None:
        # The block ends with a held-back hyphen (the next line was not part of it).
        builder.copy(raw, pending_joint[0], pending_joint[0] + 1)
    text = builder.text()
    return Block(
        kind=kind,
        start=block_start,
        end=max(block_start, block_end),
        text=text,
        piece_starts=builder.piece_starts,
        pieces=builder.pieces,
        frame_start=lines[0].frame_start,
    )


# A line at least this long and 1.5 times the longest line of a pull quote is body text.
PULL_QUOTE_BODY_CHARS = 40
# A line at most this share as long as the next one, without punctuation at its end and
# followed by a capital, is a title line above body text (no blank line between them).
SHORT_TITLE_SHARE = 0.6


# The most words of a title line above a one-line paragraph (see `_ends_short_title`).
TITLE_WORDS = 8
# Words a wrapped sentence line ends with but a title does not ("Vi trenger flere boliger i
# / Oslo." is one sentence).
CONTINUING_WORDS = frozenset({
    "i", "på", "til", "for", "av", "om", "med", "og", "eller", "men", "at", "som", "fra",
    "ved", "under", "etter", "mot", "over", "hos", "uten", "en", "et", "ei", "den", "det",
    "de", "der", "å", "så", "enn", "når", "hvis", "fordi", "mellom", "gjennom", "blant",
})  # fmt: skip


def _ends_short_title(
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
        nb_rules.ENDS_WITH_ANY_PUNCTUATION.search(title)
        or title.endswith(("-", "–"))
        or not nb_rules.STARTS_UPPER.match(content)
    ):
        return False
    if len(title) <= SHORT_TITLE_SHARE * len(content):
        return True
    words = title.split()
    return (
        alone
        and len(words) <= TITLE_WORDS
        and bool(nb_rules.STARTS_UPPER.match(title))
        and words[-1].lower() not in CONTINUING_WORDS
        and len(content.split()) >= 2
        and bool(nb_rules.ENDS_WITH_TERMINAL.search(content))
    )


# The most words of a line above a list that is taken for the list's title.
LIST_TITLE_WORDS = 8


def _list_title(raw: str, current: list[Line]) -> Line | None:
    """The last line of a text block when it is the title of the list that follows: short,
    capitalised, without final punctuation, below a finished sentence ("… veileder).\n
    Gruppe 2: Arbeidsliv\n- …")."""
    if len(current) < 2 or current[-1].kind != "text":
        return None
    before, title = current[-2], current[-1]
    content = raw[title.start : title.end].strip()
    if (
        len(content.split()) <= LIST_TITLE_WORDS
        and nb_rules.STARTS_UPPER.match(content)
        and not nb_rules.ENDS_WITH_ANY_PUNCTUATION.search(content)
        and nb_rules.ENDS_WITH_TERMINAL.search(raw, before.start, before.end)
    ):
        return title
    return None


def _closes_quote(raw: str, line: Line) -> bool:
    """True when ``line`` ends with a closing quote mark ("... mitt mål’’")."""
    content = raw[line.start : line.end].strip()
    inner = content.strip("’'”»‘“« ")
    return bool(inner) and content.endswith(("’’", "''", "”", "»"))


def _starts_or_answers_question(raw: str, current: list[Line], content: str) -> bool:
    """A question line of notes ("Hva fungerer ikke?") after a line without final
    punctuation, or the answer below a question line, unless the answer line opens with
    a reporting verb ("… i arbeidslivet?\nspurte Karadaki.")."""
    previous = raw[current[-1].start : current[-1].end]
    if nb_rules.is_question_line(content):
        return not nb_rules.ENDS_WITH_ANY_PUNCTUATION.search(previous)
    if nb_rules.is_question_line(previous.strip()):
        first = content.split(maxsplit=1)[0].strip(",.").lower() if content else ""
        return first not in nb_rules.REPORTING_VERBS
    return False


def _starts_text_block(
    raw: str,
    current: list[Line],
    current_kind: str,
    line: Line,
    content: str,
    previous_ends_sentence: bool,
    current_chars: int,
) -> bool:
    """Whether text ``line`` starts a new block rather than continuing ``current``."""
    if line.frame_start and (previous_ends_sentence or current_kind == "quote"):
        return True  # a new text frame after a finished sentence or a pull quote
    if current_kind == "quote":
        # Pull quotes are set in a narrow column: a much longer line is body text that
        # the extraction put right after the quote.
        longest = max(len(raw[q.start : q.end].strip()) for q in current)
        return len(content) >= PULL_QUOTE_BODY_CHARS and len(content) > 1.5 * longest
    if current_kind == "bullet" and previous_ends_sentence:
        return bool(nb_rules.STARTS_UPPER.match(content))  # body text after a list
    if nb_rules.LABEL_LINE.match(content):
        return True  # "Kontakt: ...", "Svar 2: ...": a new field of the notes
    if (
        current_kind == "bullet"
        and len(current) == 1
        and _ends_short_title(raw, current[-1], line, content)
    ):
        return True  # body text right below a short item or a numbered section title
    if current_kind == "text" and _ends_short_title(
        raw, current[-1], line, content, alone=len(current) == 1
    ):
        return True
    if current_kind in ("text", "bullet") and _starts_or_answers_question(raw, current, content):
        return True
    # Bound the block size, at a sentence end if there is one soon.
    if current_chars > MAX_BLOCK_CHARS and previous_ends_sentence:
        return True
    return current_chars > 2 * MAX_BLOCK_CHARS


def group_lines(raw: str, lines: list[Line]) -> list[tuple[str, list[Line]]]:
    """Group lines into layout blocks ``(kind, lines)``; kinds before heading detection.

    A blank line ends a block; a link, noise, bullet, pull-quote, footnote or programme
    line starts one, and so do a labelled line ("Kontakt: ..."), a question line of notes
    and its answer; an indented capitalised line after a finished sentence starts a new
    text frame, and so does body text right below a short title line. A block that starts
    in lower case after one that did not end its sentence continues it, over any page
    furniture between them (PDF extraction puts blank lines inside wrapped paragraphs and
    bullet items, and page breaks inside sentences). Lone numbered lines become titles
    and runs of unmarked points become items (``_numbered_titles_as_text``,
    ``_unmarked_list_items``).
    """
    groups: list[tuple[str, list[Line]]] = []
    current: list[Line] = []
    current_kind = ""
    current_chars = 0
    after_blank = True

    def close() -> None:
        nonlocal current, current_kind, current_chars
        if current:
            if all(line.kind == "marker" for line in current):
                # A bullet with no text after it is noise, cleaned as the text it is.
                current_kind = "noise"
                current = [replace(line, kind="noise") for line in current]
            groups.append((current_kind, current))
        current, current_kind, current_chars = [], "", 0

    for line in lines:
        if line.kind == "blank":
            close()
            after_blank = True
            continue
        content = raw[line.start : line.end].strip()
        previous_ends_sentence = bool(
            current and nb_rules.ENDS_WITH_TERMINAL.search(raw, current[-1].start, current[-1].end)
        )
        if line.kind in ("url", "noise"):
            close()
            groups.append((line.kind, [line]))
            if line.kind == "noise":
                after_blank = True  # page furniture breaks the text like a blank line
                continue
        elif line.kind in ("bullet", "marker", "quote"):
            title = _list_title(raw, current) if line.kind != "quote" else None
            close()
            if title is not None:
                kind, lines_before = groups[-1]
                groups[-1] = (kind, lines_before[:-1])
                groups.append(("text", [title]))
            current, current_kind = [line], "quote" if line.kind == "quote" else "bullet"
        elif len(current) == 1 and current[0].kind == "marker":
            current.append(line)  # the text of an item whose bullet stands on the line above
        elif line.kind in ("footnote", "programme") or (
            current_kind == "quote" and _closes_quote(raw, current[-1])
        ):
            # A footnote, a programme item, or text after a closed pull quote starts a
            # text block.
            close()
            current, current_kind = [line], "text"
        elif not current:
            # Page furniture (page numbers, running headers) between the parts of a
            # sentence broken across pages is passed over: it falls inside the joint.
            continued = len(groups) - 1
            while continued > 0 and groups[continued][0] == "noise":
                continued -= 1
            continuation = (
                after_blank
                and continued >= 0
                and groups[continued][0] in ("text", "bullet")
                and nb_rules.STARTS_LOWER.match(content)
                and not nb_rules.ENDS_WITH_ANY_PUNCTUATION.search(
                    raw, groups[continued][1][-1].start, groups[continued][1][-1].end
                )
            )
            if continuation:
                current_kind, current = groups[continued]
                del groups[continued:]
                current = [*current, line]
            else:
                current, current_kind = [line], "text"
        elif _starts_text_block(
            raw, current, current_kind, line, content, previous_ends_sentence, current_chars
        ):
            close()
            current, current_kind = [line], "text"
        else:
            current.append(line)
        current_chars += line.end - line.start
        after_blank = False
    close()
    return _unmarked_list_items(raw, _numbered_titles_as_text(raw, groups))


def _numbered_titles_as_text(
    raw: str, groups: list[tuple[str, list[Line]]]
) -> list[tuple[str, list[Line]]]:
    """A numbered line that stands alone ("2. Utdanning og kvalifisering": one line, no
    list item right before or after it, no final punctuation) is a section title, not a
    one-item list: it becomes a text group, which ``classify_text_block`` calls a heading."""
    titled = list(groups)
    for index, (kind, lines) in enumerate(groups):
        if kind != "bullet" or len(lines) != 1:
            continue
        line = lines[0]
        if not nb_rules.SECTION_NUMBER_LINE.match(raw[line.start : line.end]):
            continue
        neighbours = groups[index - 1 : index] + groups[index + 1 : index + 2]
        if any(neighbour_kind == "bullet" for neighbour_kind, _ in neighbours):
            continue
        if nb_rules.ENDS_WITH_ANY_PUNCTUATION.search(raw, line.start, line.end):
            continue
        titled[index] = ("text", lines)
    return titled


# Notes often list their points one per line, without markers or full stops. This many
# such lines in a row are list items, not a heading: report headings come one or two
# together (a title and a subtitle), never three.
MIN_UNMARKED_ITEMS = 3
_ENDS_WITH_PAGE_NUMBER = re.compile(r"\s\d{1,4}$")


def _is_unmarked_item(raw: str, line: Line) -> bool:
    """A capitalised text line without final punctuation that could be a list item (not a
    numbered title, a contents line with its page number, or a hyphenated line end)."""
    content = raw[line.start : line.end].strip()
    return (
        line.kind == "text"
        and bool(nb_rules.STARTS_UPPER.match(content))
        and not nb_rules.ENDS_WITH_ANY_PUNCTUATION.search(content)
        and not content.endswith(("-", "\u00ad", "–"))
        and not nb_rules.SECTION_NUMBER_LINE.match(content)
        and not _ENDS_WITH_PAGE_NUMBER.search(content)
    )


def _unmarked_list_items(
    raw: str, groups: list[tuple[str, list[Line]]]
) -> list[tuple[str, list[Line]]]:
    """Lines of notes that list points without markers become bullet items: a text block
    of at least ``MIN_UNMARKED_ITEMS`` lines that all look like items (``_is_unmarked_item``)
    gives one item per line, and so does a run of that many one-line blocks (points with
    blank lines between them). Otherwise they would be taken for one long heading, and
    headings are not counted as input."""
    split: list[tuple[str, list[Line]]] = []
    for kind, lines in groups:
        if (
            kind == "text"
            and len(lines) >= MIN_UNMARKED_ITEMS
            and all(_is_unmarked_item(raw, line) for line in lines)
        ):
            split.extend(("bullet", [line]) for line in lines)
        else:
            split.append((kind, lines))
    items: list[tuple[str, list[Line]]] = []
    for is_item, run in itertools.groupby(
        split,
        key=lambda group: (
            group[0] == "text" and len(group[1]) == 1 and _is_unmarked_item(raw, group[1][0])
        ),
    ):
        run = list(run)
        if is_item and len(run) >= MIN_UNMARKED_ITEMS:
            run = [("bullet", lines) for _kind, lines in run]
        items.extend(run)
    return items


def classify_text_block(block: Block, max_heading_words: int = 25) -> str:
    """Heading, caption or paragraph, for a block of plain text lines."""
    text = block.text
    words = text.split()
    lowered = text.lower()
    if lowered.startswith(nb_rules.CAPTION_PREFIXES) and len(words) <= max_heading_words:
        return "caption"
    if (
        len(words) > max_heading_words
        or nb_rules.STARTS_LOWER.match(text)  # headings start with a capital or a number
        or nb_rules.has_input_label(text)  # "Svar 2: ...": an answer, never a heading
    ):
        return "paragraph"
    if not nb_rules.ENDS_WITH_ANY_PUNCTUATION.search(text):
        # Notes leave out full stops: "Kommunen må ansette flere boligkonsulenter".
        return "paragraph" if nb_rules.is_statement(text) else "heading"
    # A short text frame of its own that holds one sentence at most is a heading or a
    # speaker line ("Sosial mobilitet blant ungdom."), not body text.
    inner = text.rstrip(" .!?…»”’\"')")
    if block.frame_start and not re.search(r"[.!?…]\s", inner) and len(words) <= 15:
        return "heading"
    return "paragraph"


def iter_blocks(
    raw: str,
    lexicon: str | Mapping[str, float] | None = None,
    max_heading_words: int = 25,
    pages: Sequence[int] = (),
) -> Iterator[Block]:
    """Cleaned, classified layout blocks of ``raw``, in order, one at a time (``lexicon``:
    anything ``as_lexicon`` takes; ``pages``: where the pages of a PDF start, used to
    find running headers and footers; a PDF shows letter-spaced extraction, so weaker
    evidence closes a kerning gap in it: ``kerning_gap_evidence``)."""
    lexicon = as_lexicon(lexicon)
    letter_spacing = LetterSpacing(raw, lexicon, is_pdf=bool(pages))
    for kind, lines in group_lines(raw, split_lines(raw, page_furniture(raw, pages))):
        block = clean_lines(raw, lines, kind, lexicon, letter_spacing)
        if kind == "text":
            block = _with_kind(block, classify_text_block(block, max_heading_words))
        elif kind in ("url", "noise"):
            # Kept as they are: not input, but nothing is silently dropped.
            block = _with_kind(block, kind)
        yield block


def clean_blocks(
    raw: str,
    lexicon: str | Mapping[str, float] | None = None,
    max_heading_words: int = 25,
    pages: Sequence[int] = (),
) -> list[Block]:
    """All blocks of ``raw`` (see ``iter_blocks`` and the module docstring)."""
    return list(iter_blocks(raw, lexicon, max_heading_words, pages))


def _with_kind(block: Block, kind: str) -> Block:
    return Block(
        kind, block.start, block.end, block.text, block.piece_starts, block.pieces,
        block.frame_start,
    )  # fmt: skip


def normalise_for_matching(text: str) -> str:
    """Lower-case letters only, no spaces: to find a pull quote in the body text even when
    one of them has kerning gaps ("selv tillit") the other has not."""
    return "".join(nb_rules.WORD.findall(text.lower()))
