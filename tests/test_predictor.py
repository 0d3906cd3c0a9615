"""The plain-array predictor gives the scikit-learn model's predictions, exactly.

Identity is asserted with ``np.array_equal`` (bit for bit, not within a tolerance): the
predictor repeats scikit-learn's floating-point operations in scikit-learn's order. That
holds where numpy, scipy and scikit-learn do not fuse multiply-adds (x86-64 wheels).
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import tema.classify.persist as persist_module
import tema.classify.predictor as predictor_module
from conftest import MEETING_REPORTS, TINY_LABELED, packages_loaded_by_tema
from tema.classify.card import bound
from tema.classify.decision import decide
from tema.classify.export import arrays_from_classifier
from tema.classify.model import ThemeClassifier, ThemeModel
from tema.classify.persist import load_model, load_predictor, save_model
from tema.classify.predictor import LinearThemePredictor, expit, read_arrays
from tema.classify.text import normalise_text, normalise_word
from tema.config import ModelFiles
from tema.errors import ModelError
from tema.io.files import write_npz

REPO = Path(__file__).resolve().parent.parent
TEXTS = [text for texts in TINY_LABELED.values() for text in texts]
LABELS = [label for label, texts in TINY_LABELED.items() for _ in texts]
CARD = {"uncertainty_threshold": 0.4, "second_theme_threshold": 0.25}

TRICKY = {
    "empty": "",
    "spaces only": " \t\n ",
    "upper case and Norwegian letters": "ÆRLIG talt: ÅPNE Boliger i TROMSØ",
    "case folding that changes length": "Straße ΟΔΟΣ ς İstanbul ǅ",
    "numbers": "17. mai 2017: 3,5 % av 1990-tallets 40 000",
    "non-ASCII digits": "٣ ١٢ ３４ ۷",
    "bullets": "• – * Flere kommunale boliger",
    "bullet only": "•",
    "bullets and spaces nested": "  - • ▪ ◦ Norskopplæring - viktig",
    "whitespace kinds": "a  b\tc\u00a0d\u2003e\u2028f\x1cg\u3000h\u0085i",
    "line breaks": "Bolig\n\nog\r\narbeid\n",
    "repeated words": "bolig bolig bolig og og skole skole skole skole",
    "unknown words": "zqxj blorfk kvrrkt",
    "hyphens and compounds": "NAV-tiltak og arbeids- og velferdsetaten",
    "punctuation only": "!!! ??? ... –",
    "one-letter words": "a b c i å ø",
    "long text": ("Arbeidsgivere må ansette flere innvandrere. " * 80)[:3000],
    "one long word": "x" * 3000,
    "emoji and symbols": "Bolig 🏠 ✓ — «sitat» ‘x’",
    "control characters": "\x00bolig\x01 skole\x7f",
}


@pytest.fixture(scope="module")
def tiny() -> ThemeModel:
    classifier = ThemeClassifier(calibration_folds=2).fit(TEXTS, LABELS)
    return ThemeModel(classifier=classifier, card=CARD)


@pytest.fixture(scope="module")
def project_like() -> ThemeModel:
    """The project's classifier settings on every 4th labelled unit of data/labeled."""
    labeled = pd.concat(
        pd.read_csv(path, keep_default_na=False)
        for path in sorted((REPO / "data" / "labeled").glob("*.csv"))
    ).iloc[::4]
    classifier = ThemeClassifier(
        c=4.0, char_ngram_min=3, char_ngram_max=5, calibration_folds=3
    ).fit(labeled["text"], labeled["label"])
    return ThemeModel(classifier=classifier, card=CARD)


@pytest.fixture(params=["tiny", "project_like"])
def model(request) -> ThemeModel:
    return request.getfixturevalue(request.param)


def card_path_for(model_path: Path) -> Path:
    return ModelFiles.beside(model_path).card


def predictor_path_for(model_path: Path) -> Path:
    return ModelFiles.beside(model_path).predictor


def linear(model: ThemeModel) -> LinearThemePredictor:
    return LinearThemePredictor(arrays_from_classifier(model.classifier), **CARD)


def project_units() -> list[str]:
    """Paragraphs and lines of meeting reports (the tests' own, not data/raw)."""
    return [line for text in MEETING_REPORTS.values() for line in text.splitlines()]


@pytest.mark.parametrize("scipy_from", [1, 10**9], ids=["scipy", "numpy"])
def test_same_probabilities_as_scikit_learn(
    model: ThemeModel, scipy_from: int, monkeypatch: pytest.MonkeyPatch
):
    # Large inputs go through scipy (sparse product, expit), small ones through numpy.
    monkeypatch.setattr(predictor_module, "SCIPY_MIN_TEXTS", scipy_from)
    texts = [*TRICKY.values(), *TEXTS, *project_units()]
    expected = model.classifier.pipeline_.predict_proba(texts)
    predictor = linear(model)
    assert np.array_equal(predictor.predict_proba(texts), expected)
    assert np.array_equal(predictor.predict_proba(texts), expected)  # word cache warm


@pytest.mark.parametrize("text", TRICKY.values(), ids=TRICKY.keys())
def test_each_tricky_text_alone(project_like: ThemeModel, text: str):
    expected = project_like.classifier.pipeline_.predict_proba([text])
    assert np.array_equal(linear(project_like).predict_proba([text]), expected)


def test_predict_gives_the_columns_of_the_model(model: ThemeModel):
    texts = [*TRICKY.values(), None, float("nan"), *TEXTS]
    frame = linear(model).predict(texts)
    assert frame.equals(model.predict(texts))
    probabilities = model.classifier.predict_proba(texts)
    assert frame.equals(decide(probabilities, model.classifier.classes_, **CARD))
    assert linear(model).predict([]).equals(model.predict([]))


def test_a_single_string_is_refused(tiny: ThemeModel):
    with pytest.raises(TypeError):
        linear(tiny).predict("Bolig")


@settings(max_examples=60, deadline=None)
@given(texts=st.lists(st.text(max_size=60), min_size=1, max_size=8))
def test_random_texts_give_the_same_probabilities(texts: list[str]):
    classifier = _hypothesis_model()
    expected = classifier.pipeline_.predict_proba(texts)
    assert np.array_equal(_hypothesis_predictor().predict_proba(texts), expected)


_CACHE: dict[str, object] = {}


def _hypothesis_model() -> ThemeClassifier:
    # hypothesis runs a test many times: fit once (a fixture would be function-scoped).
    if "classifier" not in _CACHE:
        _CACHE["classifier"] = ThemeClassifier(calibration_folds=2).fit(TEXTS, LABELS)
    return _CACHE["classifier"]  # type: ignore[return-value]


def _hypothesis_predictor() -> LinearThemePredictor:
    if "predictor" not in _CACHE:
        arrays = arrays_from_classifier(_hypothesis_model())
        _CACHE["predictor"] = LinearThemePredictor(arrays, **CARD)
    return _CACHE["predictor"]  # type: ignore[return-value]


def test_words_are_normalised_as_in_their_text_for_every_code_point():
    """What the word cache relies on (`normalise_word`): case folding neither makes nor
    removes whitespace or bullet characters, and regex \\s is str.isspace."""
    bullet = re.compile(r"[\s•●▪◦‣∙·*–—-]")
    space = re.compile(r"\s")
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        assert bool(space.fullmatch(char)) == char.isspace(), hex(code)
        folded = char.casefold()
        if folded != char:
            assert not bullet.search(char) and not bullet.search(folded), hex(code)
    text = "• ÆRLIG talt:\u00a0Straße 17. MAI ٣٣ x\u2028NAV-Tiltak  "
    assert normalise_text(text).split() == [normalise_word(w) for w in text[2:].split()]


def test_expit_without_scipy_is_scipys(monkeypatch: pytest.MonkeyPatch):
    from scipy.special import expit as scipy_expit

    rng = np.random.default_rng(0)
    edges = [-800, -709.78, -709.79, 0.0, -0.0, 800, np.inf, -np.inf, 1e-300]
    x = np.concatenate([rng.normal(0, 20, 20_000), edges, [0.0] * 11]).reshape(-1, 10)
    monkeypatch.setattr(predictor_module, "SCIPY_MIN_TEXTS", 10**9)
    assert np.array_equal(expit(x), scipy_expit(x))


def test_the_word_cache_is_bounded(project_like: ThemeModel, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(predictor_module, "WORD_CACHE_SIZE", 50)
    predictor = linear(project_like)
    texts = project_units()
    for start in range(0, len(texts), 20):
        batch = texts[start : start + 20]
        expected = project_like.classifier.pipeline_.predict_proba(batch)
        assert np.array_equal(predictor.predict_proba(batch), expected)
        distinct_words = len({word for text in batch for word in text.split()})
        assert len(predictor._words) <= 50 + distinct_words


def test_two_themes():
    keep = [label in ("housing", "employers") for label in LABELS]
    texts = [t for t, k in zip(TEXTS, keep, strict=True) if k]
    labels = [label for label, k in zip(LABELS, keep, strict=True) if k]
    classifier = ThemeClassifier(calibration_folds=2).fit(texts, labels)
    probe = [*TRICKY.values(), *TEXTS]
    predicted = LinearThemePredictor(arrays_from_classifier(classifier), **CARD)
    assert np.array_equal(predicted.predict_proba(probe), classifier.predict_proba(probe))


# --- Saving and loading ------------------------------------------------------------------
def saved(model: ThemeModel, folder: Path) -> Path:
    path = folder / "theme_classifier.skops"
    save_model(model, path)
    return path


def test_a_save_that_fails_part_way_leaves_the_old_model_whole(
    tiny: ThemeModel, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    path = saved(tiny, tmp_path)
    before = {file.name: file.read_bytes() for file in tmp_path.iterdir()}
    retrained = ThemeModel(ThemeClassifier(calibration_folds=2, c=0.5).fit(TEXTS, LABELS), CARD)

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    # The last file of the model fails: nothing of the new one may be in place.
    monkeypatch.setattr(persist_module, "render_card_markdown", disk_full)
    with pytest.raises(OSError):
        save_model(retrained, path)
    assert {file.name: file.read_bytes() for file in tmp_path.iterdir()} == before
    assert load_model(path).predict(TEXTS).equals(tiny.predict(TEXTS))


def test_save_then_load_gives_the_same_predictions(project_like: ThemeModel, tmp_path: Path):
    path = saved(project_like, tmp_path)
    card = json.loads(card_path_for(path).read_text(encoding="utf-8"))
    assert card["predictor_file"] == "theme_classifier.predictor.npz"
    assert card["predictor_scope"] == "model" and len(card["predictor_sha256"]) == 64
    loaded = load_predictor(path)
    assert isinstance(loaded, LinearThemePredictor)
    texts = [*TRICKY.values(), *project_units()]
    assert loaded.predict(texts).equals(project_like.predict(texts))
    assert loaded.predict(texts).equals(load_model(path).predict(texts))


def test_the_predictor_file_holds_no_pickles(tiny: ThemeModel, tmp_path: Path):
    path = predictor_path_for(saved(tiny, tmp_path))
    arrays = read_arrays(path.read_bytes(), path)
    assert all(array.dtype != object for array in arrays.values())


def test_a_tampered_predictor_file_is_refused_before_it_is_read(
    tiny: ThemeModel, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    path = saved(tiny, tmp_path)
    predictor_file = predictor_path_for(path)
    arrays = read_arrays(predictor_file.read_bytes(), predictor_file)
    arrays["coef"] = arrays["coef"] * 2  # a plausible file, with other numbers
    write_npz(arrays, predictor_file)

    def never(*args, **kwargs):
        raise AssertionError("the file was read before its hash was checked")

    monkeypatch.setattr(persist_module, "read_arrays", never)
    with pytest.raises(ModelError, match=re.escape(f"{predictor_file}: file hash")):
        load_predictor(path)


@pytest.mark.parametrize(
    "change", ["other format", "missing array", "inconsistent shapes", "not an npz"]
)
def test_a_bad_predictor_file_with_a_matching_hash_is_a_clear_error(
    tiny: ThemeModel, tmp_path: Path, change: str
):
    path = saved(tiny, tmp_path)
    predictor_file = predictor_path_for(path)
    arrays = read_arrays(predictor_file.read_bytes(), predictor_file)
    if change == "other format":
        arrays["format"] = np.array(99)
    elif change == "missing array":
        del arrays["char_idf"]
    elif change == "inconsistent shapes":
        arrays["word_idf"] = arrays["word_idf"][:-1]
    if change == "not an npz":
        predictor_file.write_bytes(b"not a zip file")
    else:
        write_npz(arrays, predictor_file)
    # Re-sign and re-bind the card, as a careless re-export would: the content checks
    # still hold.
    card_path = card_path_for(path)
    card = json.loads(card_path.read_text(encoding="utf-8"))
    card["predictor_sha256"] = hashlib.sha256(predictor_file.read_bytes()).hexdigest()
    card_path.write_text(json.dumps(bound(card)), encoding="utf-8")
    with pytest.raises(ModelError, match=re.escape(str(predictor_file))):
        load_predictor(path)


def test_a_damaged_model_file_is_refused_though_only_the_predictor_is_used(
    tiny: ThemeModel, tmp_path: Path
):
    path = saved(tiny, tmp_path)
    path.write_bytes(path.read_bytes()[:-10])
    with pytest.raises(ModelError, match="does not match the card"):
        load_predictor(path)


def test_a_missing_predictor_file_falls_back_to_the_model(tiny: ThemeModel, tmp_path: Path):
    path = saved(tiny, tmp_path)
    predictor_path_for(path).unlink()
    with pytest.warns(UserWarning, match="predictor file missing"):
        loaded = load_predictor(path)
    assert isinstance(loaded, ThemeModel)
    texts = list(TRICKY.values())
    assert loaded.predict(texts).equals(linear(tiny).predict(texts))


def test_a_model_saved_before_predictor_files_falls_back_silently(tiny: ThemeModel, tmp_path: Path):
    path = saved(tiny, tmp_path)
    predictor_path_for(path).unlink()
    card_path = card_path_for(path)
    card = json.loads(card_path.read_text(encoding="utf-8"))
    for key in ("predictor_file", "predictor_sha256", "predictor_scope"):
        del card[key]
    card_path.write_text(json.dumps(bound(card)), encoding="utf-8")
    loaded = load_predictor(path)  # no warning (warnings are errors here)
    assert isinstance(loaded, ThemeModel)
    texts = list(TRICKY.values())
    assert loaded.predict(texts).equals(linear(tiny).predict(texts))


def test_a_killed_save_keeps_the_previous_predictor_file(
    tiny: ThemeModel, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    path = saved(tiny, tmp_path)
    before = predictor_path_for(path).read_bytes()

    def killed(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(np, "savez", killed)
    with pytest.raises(KeyboardInterrupt):
        save_model(tiny, path)
    assert predictor_path_for(path).read_bytes() == before
    assert not list(tmp_path.glob(".*.tmp"))


def test_the_cascade_is_classified_by_the_model(tmp_path: Path):
    cache = tmp_path / "embedding_cache"
    classifier = ThemeClassifier(
        calibration_folds=2, embeddings="cascade", cascade_below=0.9, embedding_cache=str(cache)
    ).fit(TEXTS, LABELS)
    cascade = ThemeModel(classifier=classifier, card=CARD)
    path = saved(cascade, tmp_path)
    card = json.loads(card_path_for(path).read_text(encoding="utf-8"))
    assert card["predictor_scope"] == "tfidf_stage"  # its first stage only
    loaded = load_predictor(path)
    assert isinstance(loaded, ThemeModel)
    texts = ["Startlån og bostøtte for flere familier", "Frivillige lag", "", *TEXTS[:5]]
    assert np.array_equal(loaded.predict_proba(texts), classifier.predict_proba(texts))
    assert loaded.predict(texts).equals(cascade.predict(texts))


def test_an_unsupported_layout_is_refused_and_saved_with_an_empty_predictor(tmp_path: Path):
    classifier = ThemeClassifier(calibration_folds=2, calibration="isotonic").fit(TEXTS, LABELS)
    with pytest.raises(ModelError, match="cannot reproduce"):
        arrays_from_classifier(classifier)
    isotonic = ThemeModel(classifier=classifier, card=CARD)
    path = saved(isotonic, tmp_path)
    # The file exists (dvc.yaml declares it), holds only its format and is never used.
    with np.load(predictor_path_for(path), allow_pickle=False) as npz:
        assert npz.files == ["format"]
    assert json.loads(card_path_for(path).read_text(encoding="utf-8"))["predictor_scope"] == "none"
    loaded = load_predictor(path)
    texts = list(TRICKY.values())
    expected = decide(classifier.predict_proba(texts), classifier.classes_, **CARD)
    assert loaded.predict(texts).equals(expected)


# --- tema classify -----------------------------------------------------------------------
def test_tema_classify_imports_no_scikit_learn(tiny: ThemeModel, tmp_path: Path):
    model_path = saved(tiny, tmp_path)
    params = yaml.safe_load((REPO / "params.yaml").read_text(encoding="utf-8"))
    params["segment"]["units"] = str(tmp_path / "units.csv")
    params["train"]["model"] = str(model_path)
    (tmp_path / "params.yaml").write_text(yaml.safe_dump(params), encoding="utf-8")
    pd.DataFrame({"doc": "d", "unit": range(len(TEXTS)), "text": TEXTS}).to_csv(
        tmp_path / "units.csv", index=False
    )
    command = ["--params", "params.yaml", "classify", "-o", "out.csv", "--jobs", "1"]
    heavy = {"sklearn", "joblib", "scipy", "skops"}
    # A small input needs no scipy either (it is imported for large inputs only).
    assert packages_loaded_by_tema(tmp_path, command, heavy) == []
    classified = pd.read_csv(tmp_path / "out.csv", keep_default_na=False)
    assert classified["theme"].tolist() == tiny.predict(TEXTS)["theme"].tolist()


@pytest.mark.parametrize(
    ("confidence", "target", "max_share", "flagged"),
    [
        # mean of the rest reaches 0.85 once the two least confident are set aside
        ([0.95, 0.9, 0.5, 0.6, 0.9], 0.85, 0.5, [False, False, True, True, False]),
        # already sure enough: nothing is flagged
        ([0.95, 0.9, 0.88], 0.85, 0.3, [False, False, False]),
        # the cap (30 % of 4, rounded up = 2) stops it short of the target
        ([0.3, 0.4, 0.5, 0.6], 0.85, 0.3, [True, True, False, False]),
        # a batch of one: flagged if it is not sure enough
        ([0.6], 0.85, 0.3, [True]),
        ([], 0.85, 0.3, []),
    ],
)
def test_least_confident_until(confidence, target, max_share, flagged):
    from tema.classify.decision import least_confident_until

    result = least_confident_until(np.array(confidence, dtype=float), target, max_share)
    assert result.tolist() == flagged
