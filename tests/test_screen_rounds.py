"""scripts/screen_rounds.py: units of a new round too close to an evaluation unit are listed."""

import importlib.util
from pathlib import Path

import numpy as np

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "screen_rounds.py"
spec = importlib.util.spec_from_file_location("screen_rounds", SCRIPT)
assert spec is not None and spec.loader is not None
screen = importlib.util.module_from_spec(spec)
spec.loader.exec_module(screen)

REFERENCES = [
    "Kommunen bør tilby flere plasser i norskopplæringen på kveldstid.",
    "Utleiere avviser søkere med utenlandske navn.",
]


def test_a_near_copy_is_listed_and_a_new_text_is_not():
    texts = [
        "Kommunen bør tilby flere plasser i norskopplæringen på kveldstid!",
        "Idrettslaget har fått ny kunstgressbane ved skolen.",
    ]
    frame = screen.closest(texts, REFERENCES)
    flagged = screen.too_close(frame, chars=0.5, meaning=0.925)
    assert flagged["text"].tolist() == [texts[0]]
    assert flagged["nearest_by_chars"].tolist() == [REFERENCES[0]]


def test_closeness_in_meaning_alone_is_listed():
    # Other words, the same meaning: the embeddings (here made up) decide.
    texts = ["Søkere med fremmede navn blir valgt bort av huseiere."]
    text_vectors = np.array([[0.0, 1.0]])
    reference_vectors = np.array([[1.0, 0.0], [0.0, 1.0]])
    frame = screen.closest(texts, REFERENCES, text_vectors, reference_vectors)
    assert frame.loc[0, "chars"] < 0.5
    flagged = screen.too_close(frame, chars=0.5, meaning=0.925)
    assert flagged["nearest_by_meaning"].tolist() == [REFERENCES[1]]
    assert screen.too_close(frame, chars=0.5, meaning=1.01).empty
