"""The lines the stage commands print when they finish, in Norwegian bokmål or English.

The language is `tema --language` (or the environment variable TEMA_LANGUAGE), else
params.yaml's `report.language`. Warnings and errors stay in English: they name files and
lines for whoever fixes the input, and are matched by scripts and tests; `numbered` names
the rows or lines of one in the same words wherever it is raised.
"""

from __future__ import annotations

from collections.abc import Sequence

MESSAGES: dict[str, dict[str, str]] = {
    "nb": {
        "ingested": "lest: {documents} → {output}",
        "ingest_skipped": "hoppet over: {files} (står i {path}): {names}",
        "segmented": "{units} fra {documents} → {output}",
        "trained": "trent på {units}; kryssvalidert makro-F1 {f1} ({interval}); {where}",
        "trained_model": "modell → {path}",
        "trained_aside": "ny modell lagt til side → {path}",
        "evaluated": "måltall → {metrics}; plottdata → {plots} (dvc plots show)",
        "classified": "sortert i tema: {units} → {output}",
        "reported": "{units}, {uncertain} usikre; rapport → {html}, {xlsx} "
        "(tabeller: {counts}, {unit_table})",
        "report_at": "rapport → {html}",
        "compared": "sammenligning → {html} (tabell: {csv})",
        "train_steps": "kryssvalidering og trening|sammenligning med gjeldende modell|lagring",
        "suggested": "{units} å merke → {csv}, {xlsx}, {label_studio} "
        "(oppsett for Label Studio: {label_studio_config})\n"
        "Modellens gjetning står ferdig i `label`: sjekk hver rad, og kjør så "
        "`tema labels import FIL --annotator NAVN`.",
        "imported": "{file}: {added}{written}; {already} allerede merket (hoppet over)"
        "{unlabelled}; {conflicts}",
        "imported_to": " → {path} (runde {batch})",
        "imported_unlabelled": "; {rows} uten merke (hoppet over)",
        "imported_conflicts": "{conflicts} med merkinger som alt finnes → {path} "
        "(avgjør dem der i `decision` og kjør `tema labels import {path}`; ingenting ble "
        "overskrevet)",
        "imported_conflicts_known": "{conflicts} listet fra før i {path} (ingen ny)",
        "imported_conflicts_also_known": "; {known} listet fra før",
        "imported_no_conflicts": "ingen konflikter",
        "decisions": "{path}: {decisions} tatt i bruk ({changed} endret, {kept} beholdt; "
        "de avgjorte er flyttet til {log}); {undecided} uten avgjørelse",
        "decisions_none": "{path}: ingen avgjørelse å ta i bruk (fyll inn `decision`); "
        "{undecided} uten avgjørelse",
        "audited": "{flagged} av {audited} ser feilmerket ut → {path} (fyll inn `decision`; "
        "rett merkingene i {labeled} for hånd)",
        "agreement_title": "Cohens kappa, {first} mot {second}, {units} merket av begge "
        "(95 % bootstrap-intervall; per tema: det temaet mot resten)",
        "agreement_columns": "tema|kappa|95 % KI|enige|innspill",
        "agreement_overall": "samlet",
        "agreement_undefined": "i.a.",
        "disagreements_at": "uenighetene → {path}",
        "agreement_repeated": "{file}: {rows} gjentok teksten og merkingen til en rad over "
        "(telt én gang)",
    },
    "en": {
        "ingested": "read: {documents} → {output}",
        "ingest_skipped": "skipped: {files} (listed in {path}): {names}",
        "segmented": "{units} from {documents} → {output}",
        "trained": "trained on {units}; cross-validated macro-F1 {f1} ({interval}); {where}",
        "trained_model": "model → {path}",
        "trained_aside": "new model kept aside → {path}",
        "evaluated": "metrics → {metrics}; plots → {plots} (dvc plots show)",
        "classified": "classified: {units} → {output}",
        "reported": "{units}, {uncertain} uncertain; report → {html}, {xlsx} "
        "(tables: {counts}, {unit_table})",
        "report_at": "report → {html}",
        "compared": "comparison → {html} (table: {csv})",
        "train_steps": "cross-validation and training|comparison with the current model|saving",
        "suggested": "{units} to label → {csv}, {xlsx}, {label_studio} "
        "(Label Studio interface: {label_studio_config})\n"
        "The model's guess is pre-filled in `label`: check every row, then "
        "`tema labels import FILE --annotator NAME`.",
        "imported": "{file}: {added}{written}; {already} already labelled (skipped)"
        "{unlabelled}; {conflicts}",
        "imported_to": " → {path} (batch {batch})",
        "imported_unlabelled": "; {rows} without a label (skipped)",
        "imported_conflicts": "{conflicts} with existing labels → {path} "
        "(decide them there in `decision`, then run `tema labels import {path}`; nothing was "
        "overwritten)",
        "imported_conflicts_known": "{conflicts} already listed in {path} (none new)",
        "imported_conflicts_also_known": "; {known} already listed",
        "imported_no_conflicts": "no conflicts",
        "decisions": "{path}: {decisions} applied ({changed} changed, {kept} kept; the "
        "decided rows moved to {log}); {undecided} not decided",
        "decisions_none": "{path}: no decision to apply (fill in `decision`); "
        "{undecided} not decided",
        "audited": "{flagged} of {audited} look mislabelled → {path} (fill in `decision`; "
        "fix labels in {labeled} by hand)",
        "agreement_title": "Cohen's kappa, {first} vs {second}, {units} labelled by both "
        "(95% bootstrap intervals; per theme: that theme vs. the rest)",
        "agreement_columns": "theme|kappa|95% CI|agree|units",
        "agreement_overall": "overall",
        "agreement_undefined": "n/a",
        "disagreements_at": "disagreements → {path}",
        "agreement_repeated": "{file}: {rows} repeated the text and labels of a row above "
        "(counted once)",
    },
}

# Nouns counted in the messages: (one, many).
NOUNS: dict[str, dict[str, tuple[str, str]]] = {
    "nb": {
        "document": ("dokument", "dokumenter"),
        "unit": ("enhet", "enheter"),
        "input": ("innspill", "innspill"),
        "labelled": ("merket innspill", "merkede innspill"),
        "file": ("fil", "filer"),
        "label": ("merking", "merkinger"),
        "new_labelled": ("nytt merket innspill", "nye merkede innspill"),
        "row": ("rad", "rader"),
        "conflict": ("konflikt", "konflikter"),
        "decision": ("avgjørelse", "avgjørelser"),
        "disagreement": ("uenighet", "uenigheter"),
    },
    "en": {
        "document": ("document", "documents"),
        "unit": ("unit", "units"),
        "input": ("unit", "units"),
        "labelled": ("labelled unit", "labelled units"),
        "file": ("file", "files"),
        "label": ("label", "labels"),
        "new_labelled": ("new labelled unit", "new labelled units"),
        "row": ("row", "rows"),
        "conflict": ("conflict", "conflicts"),
        "decision": ("decision", "decisions"),
        "disagreement": ("disagreement", "disagreements"),
    },
}


def counted(count: int, noun: str, language: str = "nb", space: str = " ") -> str:
    """ "1 dokument", "3 700 dokumenter" (the number in the language's style; `space`
    between its thousands: a no-break space on a web page)."""
    from tema.numbers import number

    one, many = NOUNS[language][noun]
    return f"{number(count, language, space=space)} {one if count == 1 else many}"


def numbered(noun: str, numbers: Sequence[int], named: int = 10) -> str:
    """The rows or lines a warning names, after their noun: "line 3", "rows 3, 7", and of
    more than `named` the first ones and how many more ("lines 2, 3, 4, 5, 6, 7, 8, 9, 10,
    11 and 2 more"). English, as warnings are; `noun` is singular, and takes an "s" for more
    than one."""
    shown = ", ".join(map(str, numbers[:named]))
    more = f" and {len(numbers) - named} more" if len(numbers) > named else ""
    return f"{noun}{'' if len(numbers) == 1 else 's'} {shown}{more}"
