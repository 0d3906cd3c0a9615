"""Fuzzing ingest → segment → classify: random Unicode, huge lines, binary junk and deeply
nested bullets never crash tema; unreadable input is a clear TemaError."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import TINY_LABELED
from tema.classify.export import arrays_from_classifier
from tema.classify.model import ThemeClassifier
from tema.classify.predictor import LinearThemePredictor
from tema.errors import TemaError
from tema.ingest.stage import documents_from_files
from tema.segment.sentences import load_pipeline
from tema.segment.stage import segment_ingested
from tema.segment.units import UNIT_KINDS

REPO = Path(__file__).resolve().parent.parent
FUZZ = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
# A small word list: the fuzzing is about robustness, not de-hyphenation quality.
LEXICON = {"bolig": 5.0, "arbeid": 5.0, "skole": 5.0, "frivillig": 4.0}


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline(str(REPO / "models" / "nb_senter"))


@pytest.fixture(scope="module")
def predictor() -> LinearThemePredictor:
    texts = [text for texts in TINY_LABELED.values() for text in texts]
    labels = [label for label, texts in TINY_LABELED.items() for _ in texts]
    classifier = ThemeClassifier(calibration_folds=2).fit(texts, labels)
    return LinearThemePredictor(arrays_from_classifier(classifier), 0.4, 0.25)


def nested_bullets(depth: int, text: str) -> str:
    markers = "-•*–▪◦‣"
    return "\n".join(
        "  " * level + markers[level % len(markers)] + f" {text} {level}" for level in range(depth)
    )


texts = st.one_of(
    st.text(max_size=400),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=400),
    st.builds(lambda word, n: (word + " ") * n, st.text(min_size=1, max_size=12),
              st.integers(1, 3000)),  # huge lines
    st.builds(lambda word, n: word * n, st.text(min_size=1, max_size=3), st.integers(1, 5000)),
    st.builds(nested_bullets, st.integers(1, 60), st.text(max_size=20)),
    st.sampled_from(["", "\n" * 500, "\x00\x01\x02", "\ufeff\u200b\u202e", "-" * 4000]),
)  # fmt: skip


def _check_pipeline(path: Path, nlp, predictor: LinearThemePredictor) -> None:
    try:
        documents = list(documents_from_files([path]))
    except TemaError as error:
        assert str(error).strip() and "\n" not in str(error).strip()
        return
    pairs = list(segment_ingested(documents, nlp, lexicon=LEXICON))
    for _doc, unit in pairs:
        assert unit.kind in UNIT_KINDS
        assert 0 <= unit.start <= unit.end <= len(documents[0].text)
    predictions = predictor.predict([unit.text for _doc, unit in pairs])
    assert len(predictions) == len(pairs)
    assert predictions["confidence"].between(0, 1).all()


@FUZZ
@given(text=texts)
def test_text_files_never_crash(text: str, tmp_path: Path, nlp, predictor: LinearThemePredictor):
    path = tmp_path / "input.txt"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    _check_pipeline(path, nlp, predictor)


@pytest.mark.parametrize("suffix", [".txt", ".md", ".csv", ".pdf", ".docx", ".xlsx"])
@FUZZ
@given(data=st.binary(max_size=3000))
def test_binary_junk_is_a_clear_error_or_text(
    data: bytes, suffix: str, tmp_path: Path, nlp, predictor: LinearThemePredictor
):
    path = tmp_path / f"junk{suffix}"
    path.write_bytes(data)
    # Junk that is not UTF-8 is read as Windows-1252 with a warning: that is the intended
    # behaviour here, not a failure.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*not UTF-8", category=UserWarning)
        _check_pipeline(path, nlp, predictor)
