"""Saving and loading a model: the skops model file, the predictor file and the card.

`save_model` writes, for a model file ``models/theme_classifier.skops``
(`tema.config.ModelFiles` names the others):

- the fitted ``ThemeClassifier`` in skops's format (``skops.io``): a zip of JSON and
  ``.npy`` arrays, no pickle. Loading it constructs only the types skops trusts by default
  (builtins, numpy arrays, scikit-learn's public estimators) and the ones in
  `TRUSTED_TYPES`; any other type in the file is refused *before anything is constructed
  or imported*, so a hostile file runs no code of its own.
- the predictor file: the TF-IDF stage as plain arrays (`tema.classify.predictor`),
  read with ``allow_pickle=False``;
- the card, written last, which records both files' hashes and binds itself to them
  (`tema.classify.card`: what that does and does not guarantee).

Both ways of loading check the card's binding and the files' hashes before anything is
deserialised: `load_model` (the scikit-learn model, with scikit-learn and skops) and
`load_predictor` (the plain-array predictor when it gives the whole model's predictions,
which needs neither: the fast path of `tema classify`).

The same model gives the same bytes in every run (dvc.lock records their hashes): skops
names objects and array files by memory address and stamps zip members with the time, so
`skops_bytes` renumbers them in order and dates every member `tema.io.files.ZIP_DATE`.
"""

from __future__ import annotations

import hashlib
import io
import json
import warnings
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from tema.classify.card import (
    WAY_OUT,
    Card,
    bound,
    check_library_versions,
    checked_card,
    library_versions,
    render_card_markdown,
    verified_bytes,
)
from tema.classify.decision import DecisionRule
from tema.classify.predictor import (
    PREDICTOR_FORMAT,
    LinearThemePredictor,
    read_arrays,
)
from tema.config import ModelFiles
from tema.errors import ModelError
from tema.io.files import ZIP_DATE, json_text, npz_bytes, write_together

if TYPE_CHECKING:  # scikit-learn: only for the model, never on the predictor's fast path
    from tema.classify.model import ThemeClassifier, ThemeModel

# The types of a saved ThemeClassifier that skops does not trust by default, all of them
# and nothing else: tema's own estimator and e5 transformer (its cascade), the vectorizers'
# preprocessor (a function, saved by name), and scikit-learn's calibration internals.
# Everything else in the file is trusted by skops's defaults: builtins (dict, list, str,
# tuple), numpy.ndarray and numpy.float64, and the public scikit-learn estimators
# Pipeline, FeatureUnion, TfidfVectorizer, TfidfTransformer, LogisticRegression,
# CalibratedClassifierCV (and IsotonicRegression with isotonic calibration).
TRUSTED_TYPES = (
    "tema.classify.model.ThemeClassifier",
    "tema.classify.embeddings.E5Embedder",
    "tema.classify.text.normalise_text",
    "sklearn.calibration._CalibratedClassifier",
    "sklearn.calibration._SigmoidCalibration",
)
# Libraries whose version must match between training and loading: a model from another
# scikit-learn (or skops protocol) may load yet predict differently.
PINNED_LIBRARIES = ("scikit-learn", "numpy", "scipy", "skops")
# Card entries about the predictor file (tema.classify.predictor).
PREDICTOR_CARD_KEYS = ("predictor_file", "predictor_sha256", "predictor_scope")
# Deflate level of the model file's members (skops stores them uncompressed: 9× larger).
ZIP_LEVEL = 6


def pinned_libraries(classifier: ThemeClassifier) -> tuple[str, ...]:
    """The libraries whose version a saved classifier depends on."""
    from tema.classify.embeddings import EMBEDDING_PACKAGE

    uses_embeddings = getattr(classifier, "embeddings", "none") != "none"
    return PINNED_LIBRARIES + ((EMBEDDING_PACKAGE,) if uses_embeddings else ())


# --- Saving ----------------------------------------------------------------------------------
def save_model(
    model: ThemeModel, path: str | Path, together: Sequence[tuple[Path, str]] = ()
) -> None:
    """Write the model file, its predictor file and its card with both files' hashes, all
    or none (`tema.io.files.write_together`): everything is made in memory, written beside
    the old files, and renamed into place card last. `together` are files (path, text)
    that belong to this model, such as its out-of-fold predictions, written with it. A run
    killed or failing while saving leaves the old model whole and usable (before, a kill
    after the model file left an old card that refused the new file, and neither `tema
    train` nor `tema classify` ran until the files were deleted). A classifier whose
    layout the predictor cannot reproduce (isotonic calibration) gets a predictor file
    that holds only its format, and the card's ``predictor_scope`` "none": the file always
    exists, as `dvc.yaml` declares it, and `tema classify` uses the model file.
    """
    from tema.classify.export import arrays_from_classifier

    files = ModelFiles.beside(Path(path))
    data = skops_bytes(model.classifier)
    try:
        arrays = arrays_from_classifier(model.classifier)
        cascade = getattr(model.classifier, "embedding_pipeline_", None) is not None
        scope = "tfidf_stage" if cascade else "model"
    except ModelError:
        arrays, scope = {"format": np.array(PREDICTOR_FORMAT)}, "none"
    predictor = npz_bytes(arrays)
    card = bound(
        {
            **{key: value for key, value in model.card.items() if key not in PREDICTOR_CARD_KEYS},
            "model_file": files.model.name,
            "model_sha256": hashlib.sha256(data).hexdigest(),
            "predictor_file": files.predictor.name,
            "predictor_sha256": hashlib.sha256(predictor).hexdigest(),
            "predictor_scope": scope,
            "library_versions": library_versions(pinned_libraries(model.classifier)),
        }
    )
    write_together(
        [
            (files.model, data),
            (files.predictor, predictor),
            *together,
            (files.card, json_text(card)),
            (files.card_md, render_card_markdown(card)),
        ]
    )


def skops_bytes(classifier: ThemeClassifier) -> bytes:
    """The classifier in skops's format, the same bytes for the same model."""
    import skops.io as sio

    _forget_process_ids(classifier)
    with zipfile.ZipFile(io.BytesIO(sio.dumps(classifier))) as source:
        schema = json.loads(source.read("schema.json"))
        names: dict[str, str] = {}
        _renumber(schema, {}, names)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as target:
            for info in source.infolist():
                if info.filename == "schema.json":
                    name, content = info.filename, json.dumps(schema).encode("utf-8")
                else:
                    name, content = names.get(info.filename, info.filename), source.read(info)
                member = zipfile.ZipInfo(name, date_time=ZIP_DATE)
                member.compress_type = zipfile.ZIP_DEFLATED
                target.writestr(member, content, compresslevel=ZIP_LEVEL)
    return out.getvalue()


def _renumber(node: Any, ids: dict[int, int], names: dict[str, str]) -> None:
    """Replace skops's object ids (memory addresses) and the array file names made from
    them by numbers in order of appearance (from 1: skops reads id 0 as no id)."""
    if isinstance(node, dict):
        if "__loader__" in node:
            if isinstance(node.get("__id__"), int):
                node["__id__"] = ids.setdefault(node["__id__"], len(ids) + 1)
            file = node.get("file")
            if isinstance(file, str):
                node["file"] = names.setdefault(file, f"{len(names) + 1}{Path(file).suffix}")
        for value in node.values():
            _renumber(value, ids, names)
    elif isinstance(node, list):
        for value in node:
            _renumber(value, ids, names)


def _forget_process_ids(root: Any) -> None:
    """Drop what scikit-learn's vectorizers keep of this process: `_stop_words_id`, the
    memory address of their stop-word list (only a cache key for a consistency check).
    Saved, it made the same model a different file in every run, and dvc.lock, which
    records the model's hash, changed with it."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        item = stack.pop()
        if id(item) in seen or isinstance(item, str | bytes | int | float | np.ndarray):
            continue
        seen.add(id(item))
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)
        elif hasattr(item, "__dict__") and not isinstance(item, type):
            vars(item).pop("_stop_words_id", None)
            stack.extend(vars(item).values())


# --- Loading ---------------------------------------------------------------------------------
def load_model(path: str | Path) -> ThemeModel:
    """The model at `path` (its skops file), after checking the card's binding, the model
    and predictor files' hashes and the library versions against the card.

    Nothing is deserialised before those checks pass; then skops constructs the model
    only if every type in it is trusted (`TRUSTED_TYPES` and skops's defaults).
    """
    from tema.classify.model import ThemeModel

    files = ModelFiles.beside(Path(path))
    card = checked_card(files)
    data = verified_bytes(files.model, card, "model_sha256")
    if card.get("predictor_file") and files.predictor.is_file():
        verified_bytes(files.predictor, card, "predictor_sha256")  # not read: a damaged folder
    # The base libraries always, plus any other the card names (the embedding package).
    names = tuple(dict.fromkeys([*PINNED_LIBRARIES, *card.get("library_versions", {})]))
    check_library_versions(files.model, card, names)
    return ThemeModel(classifier=_classifier_from(data, files.model), card=card)


def check_container(data: bytes, path: Path) -> None:
    """Refuse content that is not a skops file (a zip with its schema.json), unread."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            archive.getinfo("schema.json")
    except (zipfile.BadZipFile, KeyError) as error:
        raise ModelError(
            f"{path}: not a skops model file (tema never loads a pickle)", WAY_OUT
        ) from error


def _classifier_from(data: bytes, path: Path) -> ThemeClassifier:
    """The classifier in skops bytes, constructed only from trusted types."""
    import skops.io as sio
    from skops.io.exceptions import UntrustedTypesFoundException

    from tema.classify.model import ThemeClassifier

    check_container(data, path)
    try:
        classifier = sio.loads(data, trusted=list(TRUSTED_TYPES))
    except UntrustedTypesFoundException as error:
        raise ModelError(
            f"{path}: refused, it holds types tema does not trust: {error}", WAY_OUT
        ) from error
    # A malformed file that passed the hash check (a forged card) fails inside skops.
    except (
        zipfile.BadZipFile,
        KeyError,
        ValueError,
        TypeError,
        AttributeError,
        ImportError,
    ) as error:
        raise ModelError(f"{path}: cannot be loaded ({error})", WAY_OUT) from error
    if not isinstance(classifier, ThemeClassifier):
        raise ModelError(
            f"{path}: holds a {type(classifier).__name__}, not a ThemeClassifier", WAY_OUT
        )
    return classifier


def load_predictor(model_path: str | Path) -> LinearThemePredictor | ThemeModel:
    """What classifies fastest with the saved model at `model_path`, checked by its card.

    The model's predictor file, hash-checked and never unpickled, when the card records
    one that gives the whole model's predictions. Otherwise — the embedding cascade, or
    a layout the predictor does not reproduce — the model itself from `load_model`
    (which imports scikit-learn). Both have ``predict(texts)`` with the same results.
    """
    files = ModelFiles.beside(Path(model_path))
    card = checked_card(files)
    if card.get("predictor_scope") != "model":
        return load_model(files.model)
    if not files.predictor.is_file():
        warnings.warn(
            f"{files.predictor}: predictor file missing; classifying with the (slower) model "
            "file. `tema train` writes it again.",
            stacklevel=2,
        )
        return load_model(files.model)
    # The model file is not loaded, but a damaged model folder is refused all the same.
    check_container(verified_bytes(files.model, card, "model_sha256"), files.model)
    data = verified_bytes(files.predictor, card, "predictor_sha256")
    return predictor_from(data, files.predictor, card)


def predictor_from(data: bytes, path: Path, card: Card) -> LinearThemePredictor:
    """The predictor of a (hash-checked) predictor file's content."""
    try:
        return LinearThemePredictor(
            read_arrays(data, path),
            card["uncertainty_threshold"],
            card["second_theme_threshold"],
            DecisionRule.from_card(card),
        )
    except (KeyError, ValueError, ModelError) as error:
        raise ModelError(f"{path}: cannot be used ({error})") from error
