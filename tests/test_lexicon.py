"""The Norwegian word list: lookups, building, the cache on disk."""

from __future__ import annotations

import pytest

from cleaning import LEXICON
from tema.segment import lexicon as lexicon_module
from tema.segment.lexicon import is_compound, load_lexicon


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("integreringskonferanse", True),
        ("kvalifiseringsperioden", True),
        ("konferanse", True),
        ("xyzkonferanse", False),
        ("abc", False),
    ],
)
def test_is_compound(word: str, expected: bool) -> None:
    assert is_compound(LEXICON, word) is expected


def test_wordfreq_lexicon_loads_lazily() -> None:
    lexicon = load_lexicon("wordfreq")
    assert lexicon["og"] > 6
    assert load_lexicon("wordfreq") is lexicon  # cached
    with pytest.raises(ValueError, match="unknown word list"):
        load_lexicon("no-such-list")


def test_cached_word_list_reads_back_the_same(tmp_path) -> None:
    built = load_lexicon("wordfreq", cache_dir=tmp_path)
    (cache_file,) = tmp_path.glob("wordfreq-*.marshal")
    lexicon_module._load_lexicon.cache_clear()  # as in a new process
    read_back = load_lexicon("wordfreq", cache_dir=tmp_path)
    assert read_back is not built
    assert dict(read_back) == dict(built)
    assert (read_back.normative, read_back.names) == (built.normative, built.names)
    assert cache_file.stat().st_size > 0


def test_damaged_word_list_cache_is_rebuilt(tmp_path) -> None:
    load_lexicon("wordfreq", cache_dir=tmp_path)
    (cache_file,) = tmp_path.glob("wordfreq-*.marshal")
    cache_file.write_bytes(b"\x00not a word list")
    lexicon_module._load_lexicon.cache_clear()
    lexicon = load_lexicon("wordfreq", cache_dir=tmp_path)
    assert lexicon["og"] > 6
    lexicon_module._load_lexicon.cache_clear()
    assert dict(load_lexicon("wordfreq", cache_dir=tmp_path)) == dict(lexicon)


def test_unwritable_word_list_cache_still_gives_the_list(tmp_path) -> None:
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x")
    assert load_lexicon("wordfreq", cache_dir=blocked / "cache")["og"] > 6
