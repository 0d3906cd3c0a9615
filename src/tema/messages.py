"""The lines the stage commands print when they finish, in Norwegian bokmål or English.

The language is `tema --language` (or the environment variable TEMA_LANGUAGE), else
params.yaml's `report.language`. Warnings and errors stay in English: they name files and
lines for whoever fixes the input, and are matched by scripts and tests.
"""

from __future__ import annotations

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
    },
    "en": {
        "document": ("document", "documents"),
        "unit": ("unit", "units"),
        "input": ("unit", "units"),
        "labelled": ("labelled unit", "labelled units"),
        "file": ("file", "files"),
        "label": ("label", "labels"),
    },
}


def counted(count: int, noun: str, language: str = "nb", space: str = " ") -> str:
    """ "1 dokument", "3 700 dokumenter" (the number in the language's style; `space`
    between its thousands: a no-break space on a web page)."""
    from tema.numbers import number

    one, many = NOUNS[language][noun]
    return f"{number(count, language, space=space)} {one if count == 1 else many}"
