"""`tema labels agreement`: how far two annotators who labelled the same units agree.

Cohen's kappa, overall and per theme (theme vs. not that theme), with bootstrap 95%
intervals; units are matched on their normalised text. Within one file a text is one
unit: given twice with the same labels it counts once, with other labels the file is
refused (which label stands is for the annotator to say).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from tema.config import Config
from tema.errors import InputError, TemaError
from tema.io.files import write_csv
from tema.labels.exchange import IncomingLabel, read_incoming_file
from tema.labels.store import normalise_for_comparison


def kappa(first: np.ndarray, second: np.ndarray) -> float:
    """Cohen's kappa; NaN when chance agreement is total (both gave one label only)."""
    first, second = np.asarray(first), np.asarray(second)
    if len(first) == 0:
        return float("nan")
    categories = np.unique(np.concatenate([first, second]))
    observed = float(np.mean(first == second))
    expected = float(sum(np.mean(first == c) * np.mean(second == c) for c in categories))
    if expected >= 1.0:
        return float("nan")
    return (observed - expected) / (1.0 - expected)


def _interval(values: list[float]) -> tuple[float, float]:
    finite = np.asarray([v for v in values if np.isfinite(v)])
    if len(finite) == 0:
        return float("nan"), float("nan")
    low, high = np.percentile(finite, [2.5, 97.5])
    return float(low), float(high)


# The disagreements file: each annotator's labels and where the row is in their file
# ("line 5", a sheet's row, or a Label Studio "task 3 (id 7)"), so the two can find it.
DISAGREEMENT_COLUMNS = [
    "text",
    "label_a",
    "second_label_a",
    "where_a",
    "label_b",
    "second_label_b",
    "where_b",
]


def paired_units(first: pd.DataFrame, second: pd.DataFrame) -> pd.DataFrame:
    """The units both annotators labelled, with each one's label, second label and where
    (empty when the frame has none). Matched on a `key` column when the frames have one
    (the browser app's unit: two units may hold one text), else on the normalised text."""

    def keyed(frame: pd.DataFrame) -> pd.DataFrame:
        missing = {name: "" for name in ("second_label", "where") if name not in frame}
        keys = frame["key"] if "key" in frame else frame["text"].map(normalise_for_comparison)
        return frame.assign(key=keys, **missing).drop_duplicates("key")

    own = ["key", "label", "second_label", "where"]
    return keyed(first)[[*own, "text"]].merge(keyed(second)[own], on="key", suffixes=("_a", "_b"))


def agreement(
    first: pd.DataFrame,
    second: pd.DataFrame,
    themes: list[str],
    seed: int = 0,
    resamples: int = 1000,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Kappa overall and per theme with 95% bootstrap intervals; and the disagreements."""
    pairs = paired_units(first, second)
    if pairs.empty:
        raise TemaError("the two files have no unit (text) in common")
    a = pairs["label_a"].to_numpy(dtype=str)
    b = pairs["label_b"].to_numpy(dtype=str)
    rng = np.random.default_rng(seed)
    samples = [rng.integers(0, len(a), len(a)) for _ in range(resamples)]

    def row(name: str, x: np.ndarray, y: np.ndarray, n_labelled: int) -> dict[str, Any]:
        low, high = _interval([kappa(x[s], y[s]) for s in samples])
        return {
            "theme": name,
            "kappa": round(kappa(x, y), 4),
            "ci_low": round(low, 4),
            "ci_high": round(high, 4),
            "agreement": round(float(np.mean(x == y)), 4),
            "units": n_labelled,
        }

    rows = [row("overall", a, b, len(a))]
    for theme in themes:
        rows.append(row(theme, a == theme, b == theme, int(np.sum((a == theme) | (b == theme)))))
    table = pd.DataFrame(rows)
    disagreements = pairs[pairs["label_a"] != pairs["label_b"]][DISAGREEMENT_COLUMNS]
    return table, disagreements.reset_index(drop=True)


def format_agreement(
    table: pd.DataFrame,
    n_units: int,
    names: tuple[str, str],
    language: str = "en",
    themes: Mapping[str, str] | None = None,
) -> str:
    """The kappa table as `tema labels agreement` prints it, in `language` ("nb" or "en"),
    each theme by its name in `themes` (the ids without)."""
    from tema.messages import MESSAGES, counted
    from tema.numbers import decimal_range, number

    words = MESSAGES[language]
    shown = {"overall": words["agreement_overall"], **(themes or {})}
    width = max(16, *(len(name) + 2 for name in shown.values()))
    theme, value, interval, agree, units = words["agreement_columns"].split("|")
    units_both = counted(n_units, "input", language)
    lines = [
        words["agreement_title"].format(first=names[0], second=names[1], units=units_both),
        f"{theme:<{width}}{value:>8}  {interval:<15}{agree:>7}{units:>9}",
    ]
    for r in table.itertuples(index=False):
        low_high = decimal_range(r.ci_low, r.ci_high, language) or "–"
        kappa_text = number(r.kappa, language, 3) or words["agreement_undefined"]
        lines.append(
            f"{shown.get(r.theme, r.theme):<{width}}{kappa_text:>8}  {low_high:<15}"
            f"{number(r.agreement, language, 2):>7}{number(r.units, language):>9}"
        )
    return "\n".join(lines)


@dataclass(frozen=True)
class AgreementResult:
    """Kappa per theme, the disagreements, the units both labelled, where the list went,
    and per file the rows that repeated an earlier row's text and labels (counted once)."""

    table: pd.DataFrame
    disagreements: pd.DataFrame
    n_units: int
    output: Path | None
    repeated: dict[Path, int] = field(default_factory=dict)


def _shown(row: IncomingLabel) -> str:
    return repr(row.label) + (f" (second label {row.second_label!r})" if row.second_label else "")


def one_row_per_text(path: Path, rows: Sequence[IncomingLabel]) -> list[IncomingLabel]:
    """Each text of a file once (its first row). A text given again with the same labels
    is the same unit labelled the same way (a survey answer pasted twice, say); with other
    labels the file is refused, naming both rows, as `tema labels import` refuses an id
    given twice: only the annotator can say which label stands."""
    first: dict[str, IncomingLabel] = {}
    for row in rows:
        key = normalise_for_comparison(row.text)
        earlier = first.setdefault(key, row)
        if (earlier.label, earlier.second_label) == (row.label, row.second_label):
            continue
        where = "" if row.line is not None else f"{row.where}: "
        raise InputError(
            path,
            f"{where}the same text (ignoring case and punctuation) as {earlier.where} with "
            f"another label: {_shown(row)} here, {_shown(earlier)} at {earlier.where}; a text "
            "is one unit with one label, so give both rows the same label or delete one",
            row.line,
        )
    return list(first.values())


def refuse_one_file_twice(first: Path, second: Path) -> None:
    """Stop when both annotators' files are one file, or one's copy: kappa would be 1 from
    one person's labels."""
    if not (first.is_file() and second.is_file()):
        return  # reading names the missing file
    if first.samefile(second):
        raise InputError(second, f"is the same file as {first}; give each annotator's own file")
    digests = []
    for path in (first, second):
        with path.open("rb") as handle:
            digests.append(hashlib.file_digest(handle, "sha256").hexdigest())
    if digests[0] == digests[1]:
        raise InputError(
            second,
            f"has exactly the content of {first} (a copy: kappa would be 1 from one "
            "person's labels); give each annotator's own file",
        )


def refuse_output_over_input(output: Path, first: Path, second: Path) -> None:
    """Stop before the disagreements would replace an annotator's own labels, or be
    written as CSV under a name that another program opens as something else."""
    if output.suffix.lower() != ".csv":
        # An .xlsx holding CSV text opens in Excel as a damaged workbook.
        raise InputError(output, "the disagreements are written as CSV; name the file .csv")
    if not output.exists():
        return
    for whose, path in (("first", first), ("second", second)):
        if path.exists() and output.samefile(path):
            raise InputError(
                output,
                f"is the {whose} annotator's file; write the disagreements to another file "
                "(-o), so that no label is lost",
            )


def _labelled(path: Path, config: Config) -> tuple[pd.DataFrame, int]:
    """An annotator's file as a frame of text, label, second_label and where; and the
    count of rows that repeated an earlier one (its text, or the whole row with its id)."""
    read = read_incoming_file(path, config.themes)
    rows, unlabelled = read.rows, read.unlabelled
    if not rows:
        # Said of the file, not as "no unit in common": nothing in it can be compared.
        waiting = {0: "", 1: " (1 row has a text but no label yet)"}.get(
            unlabelled, f" ({unlabelled} rows have a text but no label yet)"
        )
        raise InputError(path, f"holds no labelled rows{waiting}")
    units = one_row_per_text(path, rows)
    frame = pd.DataFrame(
        [
            {"text": r.text, "label": r.label, "second_label": r.second_label, "where": r.where}
            for r in units
        ],
        columns=["text", "label", "second_label", "where"],
    )
    return frame, read.repeated + len(rows) - len(units)


def run(config: Config, first: Path, second: Path, output: Path | None = None) -> AgreementResult:
    """Compare two annotators' files (any import format); write the disagreements to
    `output` if given."""
    refuse_one_file_twice(first, second)
    if output is not None:
        refuse_output_over_input(output, first, second)
    a, repeated_a = _labelled(first, config)
    b, repeated_b = _labelled(second, config)
    if paired_units(a, b).empty:
        raise InputError(first, f"has no unit (text) in common with {second}")
    table, disagreements = agreement(a, b, config.theme_ids)
    if output is not None:
        write_csv(disagreements, output)
    repeated = {path: n for path, n in ((first, repeated_a), (second, repeated_b)) if n}
    return AgreementResult(table, disagreements, int(table.iloc[0]["units"]), output, repeated)
