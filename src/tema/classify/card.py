"""Model cards: where a model's files are, and checking those files against the card.

The card (``<model>.card.json``) records the SHA-256 of every file saved with the model
and the library versions it was trained with. Both ways of loading a model use these
checks: ``tema.classify.model.load_model`` (the pickled scikit-learn model) and
``tema.classify.predictor.load_predictor`` (its plain arrays), so this module imports neither
scikit-learn nor joblib.
"""

from __future__ import annotations

import hashlib
import json
import platform
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from tema.errors import ModelError


def card_path_for(model_path: str | Path) -> Path:
    model_path = Path(model_path)
    return model_path.with_name(model_path.stem + ".card.json")


def model_path_for(card_path: str | Path) -> Path:
    """The model file a card belongs to (the inverse of `card_path_for`)."""
    card_path = Path(card_path)
    return card_path.with_name(card_path.name.removesuffix(".card.json") + ".joblib")


def predictor_path_for(model_path: str | Path) -> Path:
    """The predictor file saved beside a model (see `tema.classify.predictor`)."""
    model_path = Path(model_path)
    return model_path.with_name(model_path.stem + ".predictor.npz")


def read_card(path: str | Path) -> dict[str, Any]:
    """A model card from a card file, or from the model file it belongs to."""
    path = Path(path)
    if path.suffix != ".json":
        path = card_path_for(path)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise ModelError(f"{path}: cannot read the model card ({error})") from error


def checked_card(model_path: str | Path) -> dict[str, Any]:
    """The card of the model at `model_path`; a missing model or card is a clear error."""
    model_path = Path(model_path)
    card_path = card_path_for(model_path)
    if not model_path.is_file():
        raise ModelError(
            f"{model_path}: model file not found; train one with `tema train` or `make run`"
        )
    if not card_path.is_file():
        raise ModelError(f"{card_path}: model card not found; the model cannot be verified")
    return read_card(card_path)


def verified_bytes(path: Path, card: dict[str, Any], hash_key: str) -> bytes:
    """The file's content, after checking its SHA-256 against the card's `hash_key`.

    The file is read once: the bytes checked are the bytes the caller builds from.
    """
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ModelError(f"{path}: cannot be read ({error})") from error
    actual = hashlib.sha256(data).hexdigest()
    if actual != card.get(hash_key):
        raise ModelError(
            f"{path}: file hash {actual[:12]}… does not match the card "
            f"({str(card.get(hash_key))[:12]}…); the file is corrupted or was "
            f"replaced. Retrain with `tema train`."
        )
    return data


def installed_version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def library_versions(names: tuple[str, ...]) -> dict[str, str]:
    versions = {name: installed_version(name) for name in names}
    versions["python"] = platform.python_version()
    return versions


def check_library_versions(path: Path, card: dict[str, Any], names: tuple[str, ...]) -> None:
    """Refuse a file saved with other versions of the libraries `names` than installed."""
    expected = card.get("library_versions", {})
    installed = {name: installed_version(name) for name in names if name != "python"}
    mismatched = [
        f"{name} {expected.get(name)} (installed {actual})"
        for name, actual in installed.items()
        if expected.get(name) != actual
    ]
    if mismatched:
        raise ModelError(
            f"{path}: trained with other library versions: "
            f"{'; '.join(mismatched)}. Retrain with `tema train`."
        )
