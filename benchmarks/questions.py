"""What reading survey answers with their questions costs `tema classify`.

    .venv/bin/python benchmarks/questions.py [--answers 1000] [--model MODEL]

Classifies the same number of survey answers three times in this process with the
project's model (`tema.classify.stage.classify_units`, as `tema classify` does per chunk):
without a question, with a question on every row in the worst order (a table sorted by
respondent, ten questions taking turns, so every answer starts a new run of its question),
and without a question again (to show the spread). The answers are labelled units of
data/labeled/ (sampled, seeded), each made distinct by a tag, and the encoder's cache is
switched off, so every run embeds what the cascade sends it.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import uuid
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parent.parent
QUESTIONS = [f"Spørsmål {number}: hva mener du om tilbudet i kommunen?" for number in range(10)]


def survey(texts: list[str], with_questions: bool) -> pd.DataFrame:
    """Answers as `tema segment` writes a survey table's units, each text made new."""
    tag = uuid.uuid4().hex[:8]
    asked = [QUESTIONS[number % len(QUESTIONS)] for number in range(len(texts))]
    return pd.DataFrame(
        {
            "doc": "svar.csv",
            "kind": "answer",
            "section": asked if with_questions else "",
            "text": [f"{text} ({tag} {number})" for number, text in enumerate(texts)],
        }
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--answers", type=int, default=1000)
    parser.add_argument("--model", default=str(REPO / "models" / "theme_classifier.skops"),
                        help="a saved model (default: the project's)")  # fmt: skip
    args = parser.parse_args(argv)

    from tema.classify.persist import load_model
    from tema.classify.stage import classify_units
    from tema.config import load_config
    from tema.labels.store import load_labeled

    model = load_model(args.model)
    if model.uses_embeddings:
        model.classifier.embedding_pipeline_.steps[0][1].cache_dir = None
    themes = load_config(REPO / "params.yaml").theme_ids
    labeled = load_labeled(REPO / "data" / "labeled", themes)
    texts = random.Random(0).sample(labeled["text"].tolist(), args.answers)
    model.predict_proba(["oppvarming"])  # loads the encoder before timing
    for name, with_questions in (
        ("without questions", False),
        ("a question on every row, sorted by respondent", True),
        ("without questions, again", False),
    ):
        units = survey(texts, with_questions)
        start = time.perf_counter()
        classify_units(units, model)
        seconds = time.perf_counter() - start
        print(f"{name:48s} {len(units):,} answers in {seconds:5.1f} s "
              f"({len(units) / seconds:,.0f} units/s)")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
