"""Model cards: what a saved model is, and the checks that bind its files together.

A model is three files, named by one rule (`tema.config.ModelFiles.beside`): the skops
model file (``theme_classifier.skops``), the predictor file (``….predictor.npz``) and the
card (``….card.json``, with a readable copy in ``….card.md`` that tema never reads).

The card records the SHA-256 of the model file and of the predictor file, the library
versions the model was trained with, and ``binding_sha256``: the SHA-256 of the card's own
content (every other key, canonical JSON), and so of both files' hashes too. Before any
file is deserialised, `checked_card` and `verified_bytes` establish that

- the card is the one training wrote (an edited card no longer matches its binding hash),
- the model file and the predictor file are the bytes that card describes.

What this guarantees: corruption, a truncated copy, a file swapped for another model's, a
planted file and any edit by hand or by a tool that does not recompute the hashes are
refused with a message naming the file. What it does not: the hashes are not a signature
(there is no secret key), so someone who rewrites the files *and* recomputes the card's
hashes and binding is not detected here. Against that, the model file's format is what
protects: skops refuses any type outside an explicit list before it constructs anything
(`tema.classify.persist`), and the predictor file is plain arrays read without pickle.

This module imports neither scikit-learn nor skops: `tema classify` checks a model with it
before deciding what to load.
"""

from __future__ import annotations

import hashlib
import json
import platform
from collections.abc import Iterable, Mapping
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from tema.config import Config, ModelFiles
from tema.errors import ModelError, TemaError

Card = dict[str, Any]
# The card's hash over its own content (and so over the files' hashes it records).
BINDING_KEY = "binding_sha256"
# What the predictor file's scope means (card key `predictor_scope`).
PREDICTOR_SCOPES = {
    "model": "gives the model's predictions",
    "tfidf_stage": "the TF-IDF stage only; the cascade is classified with the model file",
    "none": "its format only; this layout is classified with the model file",
}


# What to do about a model folder that fails its checks. Plain `tema train` refuses it too
# (it would compare the new model with it): --force replaces it without a comparison.
WAY_OUT = (
    "restore the model folder (a backup, `dvc checkout`), or retrain with `tema train --force` "
    "(it replaces the model without comparing it)"
)


class EarlierVersionModelError(ModelError):
    """A model saved by an earlier tema: a pickled model file and a card without binding."""

    def __init__(self, card_path: Path) -> None:
        self.card_path = card_path
        super().__init__(
            f"{card_path}: written by an earlier version of tema, whose model file is a "
            "pickle that tema no longer loads; retrain with `tema train`"
        )


def binding_of(card: Mapping[str, Any]) -> str:
    """SHA-256 of the card's content without its binding key, as canonical JSON."""
    content = {key: value for key, value in card.items() if key != BINDING_KEY}
    text = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def bound(card: Mapping[str, Any]) -> Card:
    """The card as JSON will give it back, with its binding hash added."""
    content: Card = json.loads(
        json.dumps({key: value for key, value in card.items() if key != BINDING_KEY})
    )
    return {**content, BINDING_KEY: binding_of(content)}


def card_path_of(path: str | Path) -> Path:
    """The card file itself, or the card beside a model file."""
    path = Path(path)
    return path if path.name.endswith(".card.json") else ModelFiles.beside(path).card


def read_card(path: str | Path) -> Card:
    """A model card from a card file, or from the model file it belongs to, unchecked:
    what shows a card's figures reads it with `read_checked_card`, and loading a model
    checks it with `checked_card`."""
    path = card_path_of(path)
    try:
        card = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ModelError(f"{path}: cannot read the model card ({error})", WAY_OUT) from error
    if not isinstance(card, dict):
        raise ModelError(f"{path}: not a model card (a JSON object)", WAY_OUT)
    return card


def read_checked_card(path: str | Path) -> Card:
    """`read_card`, refused when the card was edited after training (`check_binding`): the
    scores a report, `tema evaluate` or `tema compare-models` shows are those training
    wrote. The model files are not read; loading a model checks them (`checked_card`)."""
    card = read_card(path)
    check_binding(card, card_path_of(path))
    return card


def model_path_of(card_path: str | Path) -> Path:
    """The model file a card describes: its `model_file`, beside the card."""
    card_path = Path(card_path)
    name = read_card(card_path).get("model_file")
    if not isinstance(name, str) or not name or Path(name).name != name:
        raise ModelError(f"{card_path}: the card names no model file", WAY_OUT)
    return card_path.with_name(name)


def check_binding(card: Mapping[str, Any], path: Path) -> None:
    """Refuse a card without a binding hash (an earlier tema's) or one whose content no
    longer matches it (edited)."""
    recorded = card.get(BINDING_KEY)
    if recorded is None:
        raise EarlierVersionModelError(path)
    if recorded != binding_of(card):
        raise ModelError(
            f"{path}: the model card was changed after training (its content does not "
            f"match its binding hash)",
            WAY_OUT,
        )


def checked_card(files: ModelFiles) -> Card:
    """The card of the model `files`, after checking that the card is unedited and that
    the model file exists; a missing file or an edited card is a clear error."""
    if not files.card.is_file():
        if files.model.is_file():
            raise ModelError(
                f"{files.card}: model card not found; the model cannot be verified", WAY_OUT
            )
        raise ModelError(
            f"{files.model}: model file not found; train one with `tema train` or `make run`"
        )
    card = read_checked_card(files.card)
    if not files.model.is_file():
        raise ModelError(
            f"{files.model}: model file not found; train one with `tema train` or `make run`"
        )
    return card


def verified_bytes(path: Path, card: Mapping[str, Any], hash_key: str) -> bytes:
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
            f"replaced",
            WAY_OUT,
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


def check_library_versions(path: Path, card: Mapping[str, Any], names: tuple[str, ...]) -> None:
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
            f"{path}: trained with other library versions: {'; '.join(mismatched)}",
            "install those versions, or retrain with `tema train --force` (it replaces the "
            "model without comparing it)",
        )


# --- The readable copy (….card.md) ---------------------------------------------------------
def _flagging_lines(card: Mapping[str, Any]) -> list[str]:
    flagging = card.get("flagging") or {}
    if flagging.get("until_accuracy") is None:
        return []
    return [
        f"- also uncertain: the least confident units of a batch, until the mean confidence "
        f"of the rest reaches {flagging['until_accuracy']} (at most "
        f"{flagging.get('max_share', 0.3):.0%} of the batch)"
    ]


def _fitted_lines(card: Mapping[str, Any]) -> list[str]:
    """The numbers fitted on out-of-fold predictions: pool temperature, context weights."""
    lines = []
    if card.get("pool_temperature") not in (None, 1.0):
        lines.append(
            f"- pooled TF-IDF and e5 probabilities sharpened by temperature "
            f"{card['pool_temperature']} (fitted on out-of-fold pools)"
        )
    context = card.get("context")
    if context:
        fit = context.get("fitted_on", {})
        lines.append(
            f"- context: neighbours within {context['reach']} units weigh "
            f"{context['neighbour_weight']}, the section heading {context['heading_weight']}, "
            f"temperature {context['temperature']} (fitted on {fit.get('units', 0)} units of the "
            f"labelled document rounds; log-loss {fit.get('log_loss_without')} → "
            f"{fit.get('log_loss_with')})"
        )
        if fit.get("answers"):
            lines.append(
                f"- survey answers: the question weighs {context['question_weight']}, "
                f"temperature {context['question_temperature']} (fitted on {fit['answers']} "
                f"answers of the labelled surveys; log-loss {fit.get('answer_log_loss_without')}"
                f" → {fit.get('answer_log_loss_with')})"
            )
    return lines


def render_card_markdown(card: Mapping[str, Any]) -> str:
    """A human-readable model card."""
    cv = card.get("cross_validation", {})
    lines = [
        f"# Model card: {card.get('name', 'tema theme classifier')}",
        "",
        card.get("description", ""),
        "",
        "## Training data",
        f"- labelled units: {card.get('n_training_units')}",
        f"- per theme: {', '.join(f'{k} {v}' for k, v in card.get('label_counts', {}).items())}",
        f"- training data SHA-256: `{card.get('training_data_sha256')}`",
        "",
        "## Cross-validated quality",
        f"- scheme: {cv.get('scheme', '')}",
    ]
    for name in ("macro_f1", "accuracy", "expected_calibration_error"):
        metric = cv.get(name)
        if metric:
            lines.append(
                f"- {name}: {metric['value']:.3f} "
                f"(95% CI {metric['ci_low']:.3f}–{metric['ci_high']:.3f})"
            )
    per_theme = cv.get("per_theme_f1", {})
    if per_theme:
        lines += ["", "| theme | F1 | 95% CI |", "|---|---|---|"]
        lines += [
            f"| {theme} | {m['value']:.3f} | {m['ci_low']:.3f}–{m['ci_high']:.3f} |"
            for theme, m in per_theme.items()
        ]
    lines += [
        "",
        "## Decision rule",
        f"- uncertain below confidence {card.get('uncertainty_threshold')} "
        f"(chosen for precision ≥ {card.get('target_precision')} among confident units; "
        f"{cv.get('flagged_share', float('nan')):.1%} flagged in cross-validation)",
        *_flagging_lines(card),
        f"- second theme when its probability ≥ {card.get('second_theme_threshold')}",
        *_fitted_lines(card),
        "",
        "## Files and versions",
        f"- model file: `{card.get('model_file')}`, SHA-256 `{card.get('model_sha256')}`",
        *(
            [
                f"- predictor file (plain arrays for `tema classify`; "
                f"{PREDICTOR_SCOPES.get(card['predictor_scope'], card['predictor_scope'])}): "
                f"`{card['predictor_file']}`, SHA-256 `{card.get('predictor_sha256')}`"
            ]
            if card.get("predictor_file")
            else []
        ),
        *[f"- {name}: {value}" for name, value in card.get("library_versions", {}).items()],
        f"- binding SHA-256 (of the card's content, the files' hashes included): "
        f"`{card.get(BINDING_KEY)}`",
        "",
    ]
    return "\n".join(lines)


def check_themes(classes: Iterable[str], config: Config, model: Path) -> None:
    """A model sorts into the themes it was trained on: refuse one whose themes are not
    those of the params file (a theme added, removed or renamed since), which would count
    an added theme as never raised and give rows a theme the report does not know.
    `classes`: the model's (or its card's `themes`)."""
    trained, listed = set(map(str, classes)), set(config.theme_ids)
    if trained == listed:
        return
    differences = [
        f"{label}: {', '.join(sorted(ids))}"
        for label, ids in (
            ("not in the model", listed - trained),
            ("only in the model", trained - listed),
        )
        if ids
    ]
    raise TemaError(
        f"{model} was trained on other themes than `themes` in {config.source} "
        f"({'; '.join(differences)}); train a new model (tema train) and classify again"
    )
