"""The promotion gate: a newly trained model replaces the current one only if it is no worse.

Both models are scored on the **same units with the same labels**, chosen in this order:

1. `holdout`: a fixed labelled file (the `data/labeled/` format) that neither model
   trains on — the fairest comparison; units whose text is also in the training labels
   are left out of it.
2. `shared out-of-fold`: the units both models' cross-validations scored, i.e. the
   labelled units that were already there last time (same id, text and label), each
   predicted by a model that never saw it: the current model's out-of-fold predictions
   (`metrics/cv_predictions.csv`) against the candidate's. It answers "do the new
   labels help predict the labels we already trusted?" — a poisoned label file makes
   the candidate worse here.
3. `cross-validation cards`: when there is nothing shared, each model's own CV score,
   on different label sets (stated as such in the verdict).

The candidate is rejected if its macro-F1 falls below the lower end of the current
model's 95% interval, or if any theme's F1 drops by more than `max_theme_drop`.

A few wrong labels among thousands barely move those scores, so the new labels are
checked too: the current model has never seen them, and its probabilities are
calibrated, so the share of new labels that match its guess should be close to its
mean confidence on them (lower confidence on the hard units `tema suggest` picks lowers
the expectation too). If the observed share is more than `new_label_max_shortfall`
below it and more than `new_label_z` standard errors below it, the new labels are held
back as suspect (a poisoned or mixed-up file).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from tema.errors import TemaError
from tema.labels.store import normalise_for_comparison, read_label_file
from tema.numbers import percent

DEFAULT_SETTINGS: dict[str, Any] = {
    "candidate_dir": "models/candidate",
    "promotion": "metrics/promotion.json",
    "max_theme_drop": 0.05,
    "holdout": "",
    "force": False,
    "resamples": 1000,
    "new_label_max_shortfall": 0.15,
    "new_label_z": 3.0,
}


# What the gate says, in English (the record in metrics/promotion.json, and `--language en`)
# and Norwegian bokmål (what `tema train` prints by default; tema.messages).
GATE_TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "macro_below": "macro-F1 {candidate} is below the current model's 95% interval "
        "({low}–{high})",
        "theme_drop": "{theme} F1 drops by {drop} ({old} → {new}; at most {limit} allowed)",
        "suspect": "the {n} new labels match the current model's guess for {agree} of the "
        "units, where its calibrated confidence expects {expected} (z = {z}): suspect labels",
        "no_current": "no current model to compare with",
        "unusable": "the current model cannot be used: {error}",
        "shared_oof": "the {n} labelled units both cross-validations predicted (same id, text "
        "and label), each by a model that had not seen it",
        "cards_same": "each model's cross-validated score on the same labelled units",
        "cards_other": "each model's cross-validated score on its own label set ({old} vs "
        "{new} units: not the same test)",
        "basis": "basis",
        "units_of": "{n} units of {file}",
        "current": "current",
        "candidate": "candidate",
        "change": "change",
        "change_ci": "95% CI of change",
        "new_labels": "new labels: {n}, matching the current model's guess {agree} (its "
        "confidence expects {expected})",
        "rejected": "NOT PROMOTED: the new model or its new labels failed the gate; the current "
        "model stays in use.",
        "kept_aside": "The candidate is kept aside in {path} (its out-of-fold predictions "
        "beside it).",
        "how_to": "Check the new labels (`tema labels audit --cv-predictions "
        "{folder}/cv_predictions.csv`), or promote it anyway with `tema train --force` (or "
        "params promote.force: true).",
        "forced": "PROMOTED BY FORCE despite:",
        "first": "promoted ({reasons})",
        "promoted": "promoted: no theme dropped beyond the limits",
    },
    "nb": {
        "macro_below": "makro-F1 {candidate} er under den gjeldende modellens 95 %-intervall "
        "({low}–{high})",
        "theme_drop": "F1 for {theme} faller med {drop} ({old} → {new}; høyst {limit} tillatt)",
        "suspect": "de {n} nye merkingene stemmer med den gjeldende modellens gjetning for "
        "{agree} av innspillene, der den kalibrerte sikkerheten venter {expected} (z = {z}): "
        "mistenkelige merkinger",
        "no_current": "ingen gjeldende modell å sammenligne med",
        "unusable": "den gjeldende modellen kan ikke brukes: {error}",
        "shared_oof": "de {n} merkede innspillene begge kryssvalideringene har sortert (samme "
        "id, tekst og merke), hvert av en modell som ikke hadde sett det",
        "cards_same": "hver modells kryssvaliderte tall på de samme merkede innspillene",
        "cards_other": "hver modells kryssvaliderte tall på sine egne merkede innspill ({old} "
        "mot {new}: ikke samme test)",
        "basis": "grunnlag",
        "units_of": "{n} innspill i {file}",
        "current": "gjeldende",
        "candidate": "ny",
        "change": "endring",
        "change_ci": "95 % KI for endringen",
        "new_labels": "nye merkinger: {n}, i samsvar med den gjeldende modellens gjetning "
        "{agree} (sikkerheten venter {expected})",
        "rejected": "IKKE TATT I BRUK: den nye modellen eller de nye merkingene besto ikke "
        "kontrollen; den gjeldende modellen brukes fortsatt.",
        "kept_aside": "Den nye modellen er lagt til side i {path} (med prediksjonene fra "
        "kryssvalideringen ved siden av).",
        "how_to": "Sjekk de nye merkingene (`tema labels audit --cv-predictions "
        "{folder}/cv_predictions.csv`), eller ta den i bruk likevel med `tema train --force` "
        "(eller params promote.force: true).",
        "forced": "TATT I BRUK MED --force til tross for:",
        "first": "tatt i bruk ({reasons})",
        "promoted": "tatt i bruk: ingen tema falt mer enn grensen",
    },
}


# The comparison bases as a Norwegian reader sees them (the record keeps the English ids).
BASIS_NAMES = {
    "nb": {
        "cross-validation cards": "modellkortenes kryssvalidering",
        "shared out-of-fold": "felles kryssvalidering",
        "labelled file": "merket fil",
        "holdout": "holdt-ut-fil",
    },
}


class GateText(str):
    """A sentence of the gate: the English text (what is recorded), with its key and
    values so that it can be said in another language (`say`)."""

    key: str
    values: dict[str, Any]

    @classmethod
    def make(cls, key: str, **values: Any) -> GateText:
        text = cls(GATE_TEXTS["en"][key].format(**{k: _plain(v) for k, v in values.items()}))
        text.key, text.values = key, values
        return text


def _plain(value: Any, language: str = "en") -> str:
    """A value of a gate sentence as text: numbers in the language's style."""
    if isinstance(value, tuple):  # (number, digits) or (share, "%")
        number, digits = value
        if digits == "%":
            return percent(number, language)
        return f"{number:.{digits}f}".replace(".", "," if language == "nb" else ".")
    return str(value)


def say(text: str, language: str = "en") -> str:
    """`text` in `language` when it is a `GateText`, else as it is."""
    if isinstance(text, GateText) and language in GATE_TEXTS:
        values = {k: _plain(v, language) for k, v in text.values.items()}
        return GATE_TEXTS[language][text.key].format(**values)
    return str(text)


@dataclass
class Comparison:
    """Current and candidate scores on one basis; F1 values with 95% intervals."""

    basis: str
    description: str
    n_units: int | None
    macro: dict[str, float]  # current, current_ci_low/high, candidate, candidate_ci_low/high,
    # change, change_ci_low/high (the last two when paired)
    per_theme: dict[str, dict[str, float]] = field(default_factory=dict)


@dataclass
class Verdict:
    promote: bool
    status: str  # promoted | rejected | forced | first model
    reasons: list[str]
    comparison: Comparison | None
    new_labels: dict | None = None  # the check of the new labels (check_new_labels)


# --------------------------------------------------------------------------- scoring


def _f1_from_counts(tp: np.ndarray, fp: np.ndarray, fn: np.ndarray) -> np.ndarray:
    denominator = 2 * tp + fp + fn
    return np.divide(
        2 * tp, denominator, out=np.zeros_like(denominator, dtype=float), where=denominator > 0
    )


def _weighted_f1(
    weights: np.ndarray, truth: np.ndarray, predicted: np.ndarray, themes: list[str]
) -> np.ndarray:
    """Per-theme F1 under each row of unit weights (bootstrap counts): shape (rows, themes)."""
    tp = np.stack([weights @ ((truth == t) & (predicted == t)) for t in themes], axis=1)
    fp = np.stack([weights @ ((truth != t) & (predicted == t)) for t in themes], axis=1)
    fn = np.stack([weights @ ((truth == t) & (predicted != t)) for t in themes], axis=1)
    return _f1_from_counts(tp.astype(float), fp.astype(float), fn.astype(float))


def compare_on_units(
    truth,
    current,
    candidate,
    themes: list[str],
    basis: str,
    description: str,
    seed: int = 0,
    resamples: int = 1000,
) -> Comparison:
    """Both models' predictions of the same units: F1s with paired bootstrap intervals."""
    truth = np.asarray(truth, dtype=object)
    current = np.asarray(current, dtype=object)
    candidate = np.asarray(candidate, dtype=object)
    n = len(truth)
    rng = np.random.default_rng(seed)
    weights = np.vstack(
        [np.ones(n)] + [np.bincount(rng.integers(0, n, n), minlength=n) for _ in range(resamples)]
    )
    old = _weighted_f1(weights, truth, current, themes)
    new = _weighted_f1(weights, truth, candidate, themes)
    old_macro, new_macro = old.mean(axis=1), new.mean(axis=1)

    def interval(values: np.ndarray) -> tuple[float, float]:
        low, high = np.percentile(values[1:], [2.5, 97.5])
        return round(float(low), 4), round(float(high), 4)

    change = new_macro - old_macro
    macro = {
        "current": round(float(old_macro[0]), 4),
        "candidate": round(float(new_macro[0]), 4),
        "change": round(float(change[0]), 4),
    }
    macro["current_ci_low"], macro["current_ci_high"] = interval(old_macro)
    macro["candidate_ci_low"], macro["candidate_ci_high"] = interval(new_macro)
    macro["change_ci_low"], macro["change_ci_high"] = interval(change)
    per_theme = {}
    for index, theme in enumerate(themes):
        difference = new[:, index] - old[:, index]
        low, high = interval(difference)
        per_theme[theme] = {
            "current": round(float(old[0, index]), 4),
            "candidate": round(float(new[0, index]), 4),
            "change": round(float(difference[0]), 4),
            "change_ci_low": low,
            "change_ci_high": high,
            "support": int(np.sum(truth == theme)),
        }
    return Comparison(basis, description, n, macro, per_theme)


def compare_cards(current: dict, candidate: dict, themes: list[str]) -> Comparison:
    """Each card's own cross-validated scores (each on its own label set)."""

    def cv(card: dict) -> dict:
        try:
            return card["cross_validation"]
        except KeyError as exc:
            raise TemaError("model card without cross_validation scores") from exc

    old, new = cv(current), cv(candidate)
    macro = {
        "current": old["macro_f1"]["value"],
        "current_ci_low": old["macro_f1"]["ci_low"],
        "current_ci_high": old["macro_f1"]["ci_high"],
        "candidate": new["macro_f1"]["value"],
        "candidate_ci_low": new["macro_f1"]["ci_low"],
        "candidate_ci_high": new["macro_f1"]["ci_high"],
        "change": round(new["macro_f1"]["value"] - old["macro_f1"]["value"], 4),
    }
    per_theme = {}
    for theme in themes:
        a = old.get("per_theme_f1", {}).get(theme)
        b = new.get("per_theme_f1", {}).get(theme)
        if a is None or b is None:
            continue
        per_theme[theme] = {
            "current": a["value"],
            "current_ci_low": a["ci_low"],
            "current_ci_high": a["ci_high"],
            "candidate": b["value"],
            "candidate_ci_low": b["ci_low"],
            "candidate_ci_high": b["ci_high"],
            "change": round(b["value"] - a["value"], 4),
        }
    same_data = current.get("training_data_sha256") == candidate.get("training_data_sha256")
    description = (
        GateText.make("cards_same")
        if same_data
        else GateText.make(
            "cards_other",
            old=current.get("n_training_units"),
            new=candidate.get("n_training_units"),
        )
    )
    return Comparison("cross-validation cards", description, None, macro, per_theme)


# --------------------------------------------------------------------------- the gate


def judge(comparison: Comparison, max_theme_drop: float) -> list[str]:
    """Reasons to reject the candidate (empty: it may replace the current model)."""
    reasons: list[str] = []
    macro = comparison.macro
    if macro["candidate"] < macro["current_ci_low"]:
        reasons.append(
            GateText.make(
                "macro_below",
                candidate=(macro["candidate"], 3),
                low=(macro["current_ci_low"], 3),
                high=(macro["current_ci_high"], 3),
            )
        )
    for theme, scores in comparison.per_theme.items():
        if scores["current"] - scores["candidate"] > max_theme_drop + 1e-9:
            reasons.append(
                GateText.make(
                    "theme_drop",
                    theme=theme,
                    drop=(scores["current"] - scores["candidate"], 3),
                    old=(scores["current"], 3),
                    new=(scores["candidate"], 3),
                    limit=(max_theme_drop, 2),
                )
            )
    return reasons


def shared_oof_comparison(
    current_oof: pd.DataFrame,
    candidate_oof: pd.DataFrame,
    themes: list[str],
    seed: int,
    resamples: int,
) -> Comparison | None:
    """The units both cross-validations predicted, with the same text and label."""
    needed = {"id", "text", "label", "theme"}
    if not needed <= set(current_oof.columns) or not needed <= set(candidate_oof.columns):
        return None
    merged = current_oof[["id", "text", "label", "theme"]].merge(
        candidate_oof[["id", "text", "label", "theme"]],
        on=["id", "text", "label"],
        suffixes=("_current", "_candidate"),
    )
    if merged.empty or merged["label"].nunique() < 2:
        return None
    return compare_on_units(
        merged["label"],
        merged["theme_current"],
        merged["theme_candidate"],
        themes,
        "shared out-of-fold",
        GateText.make("shared_oof", n=len(merged)),
        seed,
        resamples,
    )


def new_units(current_oof: pd.DataFrame, candidate_oof: pd.DataFrame) -> pd.DataFrame:
    """Rows of the candidate's OOF that the current cross-validation did not have."""
    key = ["id", "text", "label"]
    known = current_oof[key].astype(str).drop_duplicates()
    merged = candidate_oof.astype({c: str for c in key}).merge(
        known, on=key, how="left", indicator=True
    )
    return merged[merged["_merge"] == "left_only"].drop(columns="_merge")


def check_new_labels(current_model, new: pd.DataFrame, settings: dict[str, Any]) -> dict | None:
    """How often the new labels match the current model's guess, against its confidence."""
    if len(new) == 0:
        return None
    texts = new["text"].tolist()
    probabilities = current_model.classifier.predict_proba(texts)
    classes = np.asarray(current_model.classifier.classes_, dtype=object)
    guessed = classes[probabilities.argmax(axis=1)]
    confidence = probabilities.max(axis=1)
    observed = float(np.mean(guessed == new["label"].to_numpy(dtype=object)))
    expected = float(np.mean(confidence))
    spread = float(np.sqrt(np.sum(confidence * (1 - confidence)))) / len(new)
    z = (observed - expected) / spread if spread > 0 else 0.0
    suspect = expected - observed > float(settings["new_label_max_shortfall"]) and z < -float(
        settings["new_label_z"]
    )
    return {
        "n_new_units": len(new),
        "agree_with_current_model": round(observed, 4),
        "expected_from_confidence": round(expected, 4),
        "z": round(z, 2),
        "suspect": int(suspect),
    }


def holdout_comparison(
    path: Path,
    current_model,
    candidate_model,
    labeled: pd.DataFrame,
    themes: list[str],
    seed: int,
    resamples: int,
) -> Comparison:
    holdout = read_label_file(path, themes)
    trained_on = set(labeled["text"].map(normalise_for_comparison))
    holdout = holdout[~holdout["text"].map(normalise_for_comparison).isin(trained_on)]
    if holdout.empty:
        raise TemaError(f"{path}: every held-out unit is also in the training labels")
    texts = holdout["text"].tolist()
    return compare_on_units(
        holdout["label"],
        current_model.predict(texts)["theme"],
        candidate_model.predict(texts)["theme"],
        themes,
        "holdout",
        f"{len(holdout)} held-out units in {path} that neither model trained on",
        seed,
        resamples,
    )


def evaluate_candidate(
    candidate,
    candidate_oof: pd.DataFrame,
    labeled: pd.DataFrame,
    themes: list[str],
    model_path: Path,
    cv_predictions: Path,
    settings: dict[str, Any],
    force: bool = False,
    seed: int = 0,
) -> Verdict:
    """Compare the candidate with the model at `model_path` and decide (see module docstring)."""
    from tema.classify.persist import load_model

    settings = {**DEFAULT_SETTINGS, **(settings or {})}
    force = force or bool(settings["force"])
    resamples = int(settings["resamples"])
    if not model_path.is_file():
        return Verdict(True, "first model", [GateText.make("no_current")], None)
    try:
        current = load_model(model_path)
    except TemaError as error:
        return Verdict(True, "first model", [GateText.make("unusable", error=error)], None)
    holdout = str(settings.get("holdout") or "")
    comparison = None
    if holdout and Path(holdout).is_file():
        comparison = holdout_comparison(
            Path(holdout), current, candidate, labeled, themes, seed, resamples
        )
    elif holdout:
        raise TemaError(f"{holdout}: held-out file (promote.holdout) not found")
    current_oof = (
        pd.read_csv(cv_predictions, dtype=str, keep_default_na=False)
        if cv_predictions.is_file()
        else None
    )
    if comparison is None and current_oof is not None:
        comparison = shared_oof_comparison(
            current_oof, candidate_oof.astype(str), themes, seed, resamples
        )
    if comparison is None:
        comparison = compare_cards(current.card, candidate.card, themes)
    reasons = judge(comparison, float(settings["max_theme_drop"]))
    new_labels = None
    if current_oof is not None:
        new_labels = check_new_labels(current, new_units(current_oof, candidate_oof), settings)
    if new_labels and new_labels["suspect"]:
        reasons.append(
            GateText.make(
                "suspect",
                n=new_labels["n_new_units"],
                agree=(new_labels["agree_with_current_model"], "%"),
                expected=(new_labels["expected_from_confidence"], "%"),
                z=(new_labels["z"], 1),
            )
        )
    if not reasons:
        return Verdict(True, "promoted", [], comparison, new_labels)
    if force:
        return Verdict(True, "forced", reasons, comparison, new_labels)
    return Verdict(False, "rejected", reasons, comparison, new_labels)


def verdict_record(verdict: Verdict, candidate_model: Path | None, settings: dict) -> dict:
    """promotion.json: the decision, and the numbers `dvc metrics diff` can compare."""
    settings = {**DEFAULT_SETTINGS, **(settings or {})}
    record: dict[str, Any] = {
        # When: here and not in the model card, which is an output of `train` and must be
        # the same bytes for the same labels (dvc.lock records its hash).
        "decided_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "status": verdict.status,
        "promoted": int(verdict.promote),
        "reasons": verdict.reasons,
        "candidate_model": str(candidate_model) if candidate_model else None,
        "max_theme_drop": settings["max_theme_drop"],
    }
    comparison = verdict.comparison
    if comparison is not None:
        record.update(
            {
                "basis": comparison.basis,
                "basis_description": comparison.description,
                "n_units": comparison.n_units,
                "macro_f1": comparison.macro,
                "per_theme_f1": comparison.per_theme,
            }
        )
    if verdict.new_labels is not None:
        record["new_labels"] = verdict.new_labels
    return record


def apply_verdict(
    verdict: Verdict,
    candidate,
    candidate_oof: pd.DataFrame,
    model_path: Path,
    cv_predictions: Path,
    settings: dict[str, Any],
) -> dict:
    """Write the candidate where it belongs and the verdict to promotion.json."""
    from tema.classify.persist import save_model
    from tema.io.files import write_csv, write_json

    settings = {**DEFAULT_SETTINGS, **(settings or {})}
    candidate_dir = Path(settings["candidate_dir"])
    if verdict.promote:
        write_csv(candidate_oof, cv_predictions)
        save_model(candidate, model_path)
        if candidate_dir.is_dir():  # an older rejected candidate is superseded
            shutil.rmtree(candidate_dir)
        aside = None
    else:
        aside = candidate_dir / model_path.name
        write_csv(candidate_oof, candidate_dir / cv_predictions.name)
        save_model(candidate, aside)
    record = verdict_record(verdict, aside, settings)
    write_json(record, settings["promotion"])
    return record


# --------------------------------------------------------------------------- printing


def format_comparison(comparison: Comparison, language: str = "en") -> str:
    """Per-theme F1, current → candidate, change, with intervals."""
    words = GATE_TEXTS[language]
    basis = BASIS_NAMES.get(language, {}).get(comparison.basis, comparison.basis)
    lines = [f"{words['basis']}: {basis} — {say(comparison.description, language)}"]
    paired = "change_ci_low" in comparison.macro
    header = f"{'':<16}{words['current']:>18}{words['candidate']:>18}{words['change']:>9}"
    lines.append(header + (f"   {words['change_ci']}" if paired else ""))

    def decimal(text: str) -> str:
        return text.replace(".", ",") if language == "nb" else text

    def value(scores: dict, who: str) -> str:
        low, high = scores.get(f"{who}_ci_low"), scores.get(f"{who}_ci_high")
        text = f"{scores[who]:.3f}"
        return decimal(text + (f" ({low:.2f}–{high:.2f})" if low is not None else " " * 12))

    def line(name: str, scores: dict) -> str:
        change = decimal(f"{scores['change']:>+9.3f}")
        text = f"{name:<16}{value(scores, 'current'):>18}{value(scores, 'candidate'):>18}{change}"
        if "change_ci_low" in scores:
            text += decimal(f"   {scores['change_ci_low']:+.3f} – {scores['change_ci_high']:+.3f}")
        return text

    lines.append(line("macro-F1", comparison.macro))
    for theme, scores in comparison.per_theme.items():
        lines.append(line(theme, scores))
    return "\n".join(lines)


def format_verdict(verdict: Verdict, record: dict, language: str = "en") -> str:
    """What `tema train` prints about the gate, in `language` ("nb" or "en")."""
    words = GATE_TEXTS[language]
    reasons = [say(reason, language) for reason in verdict.reasons]
    lines = []
    if verdict.comparison is not None:
        lines.append(format_comparison(verdict.comparison, language))
    if verdict.new_labels is not None:
        check = verdict.new_labels
        lines.append(
            words["new_labels"].format(
                n=check["n_new_units"],
                agree=percent(check["agree_with_current_model"], language),
                expected=percent(check["expected_from_confidence"], language),
            )
        )
    if verdict.status == "rejected":
        lines += [
            "",
            words["rejected"],
            *[f"  - {reason}" for reason in reasons],
            "  " + words["kept_aside"].format(path=record["candidate_model"]),
            "  " + words["how_to"].format(folder=Path(record["candidate_model"]).parent),
        ]
    elif verdict.status == "forced":
        lines += ["", words["forced"], *[f"  - {r}" for r in reasons]]
    elif verdict.status == "first model":
        lines += [words["first"].format(reasons="; ".join(reasons))]
    else:
        lines += [words["promoted"]]
    return "\n".join(lines)
