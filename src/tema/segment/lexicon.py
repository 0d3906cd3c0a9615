"""Norwegian word list: built from maintained packages, cached on disk, looked up.

The list decides de-hyphenation and kerning-gap repair (``tema.segment.words``). It is
built from wordfreq (frequencies), simplemma (the normative spelling and proper names)
or spacy-lookups-data, once per process (``load_lexicon``); with a cache folder the built
list is kept there in ``marshal`` format, one file per source and package versions
(``LEXICON_CACHE_FORMAT``), and read back in a fraction of the build time.
"""

from __future__ import annotations

import functools
import hashlib
import marshal
import math
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from tema.io.files import atomic_write
from tema.segment import nb_words

LEXICON_SOURCES = ("wordfreq", "simplemma", "spacy-lookups-data", "wordfreq+simplemma")
DEFAULT_LEXICON = "wordfreq+simplemma"
# Raise when the layout of a cached word list file, or the way a list is built from the
# packages (_build_lexicon, _is_word_form), changes: the cache key holds only this and
# the packages' versions (see load_lexicon).
LEXICON_CACHE_FORMAT = 2

# Zipf frequency (log10 of occurrences per billion words) from which a word counts as
# known. Below 1.5 wordfreq's Norwegian list is mostly typos and name fragments.
KNOWN_WORD_ZIPF = 1.5
# Membership-only word lists get this pseudo-frequency for every word they hold.
MEMBERSHIP_ZIPF = 3.0


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

    from spacy_lookups_data import get_file

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
    min_part = nb_words.MIN_COMPOUND_PART
    for cut in range(min_part, len(lowered) - min_part):
        head = lowered[cut:]
        if len(head) < min_part + 1 or not is_known(lexicon, head):
            continue
        modifier = lowered[:cut]
        for link in nb_words.COMPOUND_LINKS:
            if link and not modifier.endswith(link):
                continue
            stem = modifier[: len(modifier) - len(link)] if link else modifier
            if len(stem) >= min_part and is_known(lexicon, stem):
                yield cut
                break
