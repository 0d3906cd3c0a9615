"""Screen labelled rounds against the evaluation sets before they are added.

    .venv/bin/python scripts/screen_rounds.py data/labeled/b73-b74_….csv [more files]

The evaluation sets (../shared/eval/seed_gold.tsv and dev_real.tsv) must never reach the
training data, not even as paraphrases. Rounds are written from scratch, but a writer who
aims at a convention area can land close to an evaluation unit by chance. This lists every
unit of the given files whose nearest evaluation unit is

- close in characters: cosine of the character n-gram profiles that the label store uses
  for near-duplicates (`tema.labels.store.nearest_texts`) at or above `--chars`;
- or close in meaning: cosine of the multilingual-e5 sentence embeddings (the encoder of
  the cascade, offline) at or above `--meaning`;

with the nearest evaluation unit beside it, for a person to drop or reword. It exits with
status 1 when it lists anything. The thresholds are screening thresholds, not proofs:
short generic headings ("Innledning", "Bolig") match by chance, and a paraphrase in other
words can stay under both. docs/labeling.md says how the bundled rounds were screened.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parent.parent
EVALUATION = (
    REPO.parent / "shared" / "eval" / "seed_gold.tsv",
    REPO.parent / "shared" / "eval" / "dev_real.tsv",
)


def closest(
    texts: list[str],
    references: list[str],
    text_vectors: np.ndarray | None = None,
    reference_vectors: np.ndarray | None = None,
) -> pd.DataFrame:
    """For each text: its nearest reference in characters and (given embeddings, rows
    of unit length) in meaning, with both cosines."""
    from tema.labels.store import nearest_texts

    by_chars, chars = nearest_texts(texts, references)
    frame = pd.DataFrame(
        {"text": texts, "chars": chars, "nearest_by_chars": [references[i] for i in by_chars]}
    )
    if text_vectors is not None and reference_vectors is not None:
        similarity = text_vectors @ reference_vectors.T
        by_meaning = similarity.argmax(axis=1)
        frame["meaning"] = similarity[np.arange(len(texts)), by_meaning]
        frame["nearest_by_meaning"] = [references[i] for i in by_meaning]
    return frame


def too_close(frame: pd.DataFrame, chars: float, meaning: float) -> pd.DataFrame:
    """The rows at or above either threshold."""
    flagged = frame["chars"] >= chars
    if "meaning" in frame:
        flagged |= frame["meaning"] >= meaning
    return frame[flagged]


def unit_vectors(texts: list[str], cache_dir: Path) -> np.ndarray:
    """e5 sentence embeddings (query prefix, as the classifier), scaled to unit length."""
    from tema.classify.embeddings import E5Embedder

    vectors = np.asarray(E5Embedder(cache_dir=str(cache_dir), prefix="query").transform(texts))
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="+", type=Path, help="label files (CSV) to screen")
    parser.add_argument("--chars", type=float, default=0.5)
    parser.add_argument("--meaning", type=float, default=0.925)
    parser.add_argument("--no-meaning", action="store_true", help="characters only (fast)")
    args = parser.parse_args(argv)

    missing = [path for path in (*EVALUATION, *args.files) if not path.is_file()]
    if missing:
        sys.exit(f"error: {missing[0]} not found")
    rounds = pd.concat(
        [pd.read_csv(path, dtype=str, keep_default_na=False) for path in args.files],
        ignore_index=True,
    )
    references = [
        text
        for path in EVALUATION
        for text in pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False)["text"]
    ]
    texts = rounds["text"].tolist()
    vectors: tuple[np.ndarray, np.ndarray] | tuple[None, None] = (None, None)
    if not args.no_meaning:
        cache = REPO / "data" / "interim" / "embedding_cache"
        vectors = (unit_vectors(texts, cache), unit_vectors(references, cache))
    frame = closest(texts, references, *vectors)
    frame.insert(0, "id", rounds["id"])
    flagged = too_close(frame, args.chars, args.meaning)
    for row in flagged.itertuples():
        print(f"{row.id}  chars {row.chars:.2f}  {row.text}\n      nearest: {row.nearest_by_chars}")
        if "meaning" in flagged:
            print(f"      meaning {row.meaning:.3f}, nearest: {row.nearest_by_meaning}")
    print(f"{len(flagged)} of {len(frame)} units at or above the thresholds")
    return 1 if len(flagged) else 0


if __name__ == "__main__":
    sys.exit(main())
