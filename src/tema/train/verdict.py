"""What the promotion gate says: its sentences in English (what metrics/promotion.json
records) and Norwegian bokmål (what `tema train` prints by default), the comparison it
made (`Comparison`), its decision (`Verdict`), and the table and verdict `tema train` and
`tema compare-models` print. The decision itself is `tema.train.promote`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tema.numbers import MINUS, number, percent

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
        "earlier": "no comparable current model: {error}",
        "unusable": "no comparable current model: {path} failed its checks and was replaced "
        "with --force",
        "shared_oof": "the {n} labelled units both cross-validations predicted (same id, text "
        "and label), each by a model that had not seen it",
        "cards_same": "each model's cross-validated score on the same labelled units",
        "cards_other": "each model's cross-validated score on its own label set ({old} vs "
        "{new} units: not the same test)",
        "basis": "basis",
        "macro_f1": "macro-F1",
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
        "earlier": "ingen sammenlignbar gjeldende modell: {error}",
        "unusable": "ingen sammenlignbar gjeldende modell: {path} besto ikke kontrollen og ble "
        "erstattet med --force",
        "shared_oof": "de {n} merkede innspillene begge kryssvalideringene har sortert (samme "
        "id, tekst og merke), hvert av en modell som ikke hadde sett det",
        "cards_same": "hver modells kryssvaliderte tall på de samme merkede innspillene",
        "cards_other": "hver modells kryssvaliderte tall på sine egne merkede innspill ({old} "
        "mot {new}: ikke samme test)",
        "basis": "grunnlag",
        "macro_f1": "makro-F1",
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
    """A value of a gate sentence as text: numbers in the language's style (Norwegian:
    decimal comma, a space between thousands, a true minus; the English record keeps
    plain numbers)."""
    if isinstance(value, tuple):  # (number, digits) or (share, "%")
        amount, digits = value
        if digits == "%":
            return percent(amount, language)
        if language == "nb":
            return number(amount, language, digits)
        return f"{amount:.{digits}f}"
    if language == "nb" and isinstance(value, int) and not isinstance(value, bool):
        return number(value, language)
    return str(value)


def say(text: str, language: str = "en", names: Mapping[str, str] | None = None) -> str:
    """`text` in `language` when it is a `GateText`, else as it is; `names`: the themes'
    names in that language, for the ids a sentence names."""
    if isinstance(text, GateText) and language in GATE_TEXTS:
        values = {k: _plain(v, language) for k, v in text.values.items()}
        if names and "theme" in values:
            values["theme"] = names.get(values["theme"], values["theme"])
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
    new_labels: dict[str, Any] | None = None  # the check of the new labels (check_new_labels)


def format_comparison(
    comparison: Comparison, language: str = "en", names: Mapping[str, str] | None = None
) -> str:
    """Per-theme F1, current → candidate, change, with intervals; each theme by its name
    in `names` (the ids without)."""
    words = GATE_TEXTS[language]
    names = names or {}
    basis = BASIS_NAMES.get(language, {}).get(comparison.basis, comparison.basis)
    lines = [f"{words['basis']}: {basis} — {say(comparison.description, language)}"]
    paired = "change_ci_low" in comparison.macro
    shown = [names.get(theme, theme) for theme in comparison.per_theme]
    width = max(16, *(len(name) + 2 for name in shown)) if shown else 16
    header = f"{'':<{width}}{words['current']:>18}{words['candidate']:>18}{words['change']:>9}"
    lines.append(header + (f"   {words['change_ci']}" if paired else ""))

    def decimal(text: str) -> str:
        return text.replace(".", ",").replace("-", MINUS) if language == "nb" else text

    def value(scores: dict[str, float], who: str) -> str:
        low, high = scores.get(f"{who}_ci_low"), scores.get(f"{who}_ci_high")
        text = f"{scores[who]:.3f}"
        return decimal(text + (f" ({low:.2f}–{high:.2f})" if low is not None else " " * 12))

    def line(name: str, scores: dict[str, float]) -> str:
        # round(…) + 0.0: a change of -0.0001 is "+0.000", never "-0.000".
        change = decimal(f"{round(scores['change'], 3) + 0.0:>+9.3f}")
        text = (
            f"{name:<{width}}{value(scores, 'current'):>18}{value(scores, 'candidate'):>18}{change}"
        )
        if "change_ci_low" in scores:
            text += decimal(f"   {scores['change_ci_low']:+.3f} – {scores['change_ci_high']:+.3f}")
        return text

    lines.append(line(words["macro_f1"], comparison.macro))
    for name, scores in zip(shown, comparison.per_theme.values(), strict=True):
        lines.append(line(name, scores))
    return "\n".join(lines)


def format_verdict(
    verdict: Verdict,
    record: dict[str, Any],
    language: str = "en",
    names: Mapping[str, str] | None = None,
) -> str:
    """What `tema train` prints about the gate, in `language` ("nb" or "en"), each theme
    by its name in `names`."""
    words = GATE_TEXTS[language]
    reasons = [say(reason, language, names) for reason in verdict.reasons]
    lines = []
    if verdict.comparison is not None:
        lines.append(format_comparison(verdict.comparison, language, names))
    if verdict.new_labels is not None:
        check = verdict.new_labels
        lines.append(
            words["new_labels"].format(
                n=_plain(int(check["n_new_units"]), language),
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
