"""`tema labels audit`: likely mislabelled units, for a second look.

`audit` uses confident learning (Northcutt et al., via `cleanlab.filter.find_label_issues`)
on the out-of-fold probabilities of `tema train`: a unit is flagged when the model,
never trained on it, is confidently sure it belongs to another theme than its label,
beyond what the per-theme confusion rates make expected. Flagged units are candidates
for a second look, not errors: the review file says where each lives.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from tema.config import Config
from tema.errors import InputError, TemaError
from tema.io.files import write_csv
from tema.io.tables import read_frame, read_table
from tema.labels.store import load_labeled

AUDIT_COLUMNS = (
    "rank",
    "id",
    "text",
    "label",
    "suggested_label",
    "p_label",
    "p_suggested",
    "batch",
    "annotator",
    "where",
    "decision",
)


def audit(oof: pd.DataFrame, labeled: pd.DataFrame | None = None) -> pd.DataFrame:
    """Likely mislabelled units, most suspicious first (lowest probability of their label)."""
    from cleanlab.filter import find_label_issues

    classes = sorted(column[2:] for column in oof.columns if column.startswith("p_"))
    if not classes:
        raise TemaError("the cross-validated predictions have no p_<theme> columns")
    unknown = sorted(set(oof["label"]) - set(classes))
    if unknown:
        raise TemaError(f"labels without a probability column: {', '.join(unknown)}")
    if oof["label"].nunique() < 2:  # cleanlab needs two labels to learn any confusion
        raise TemaError(
            "the cross-validated predictions are labelled with one theme only: nothing to "
            "audit (give the predictions of the whole labelled folder)"
        )
    probabilities = oof[[f"p_{theme}" for theme in classes]].to_numpy(dtype=float)
    probabilities = probabilities / probabilities.sum(axis=1, keepdims=True)
    given = np.searchsorted(classes, oof["label"].to_numpy(dtype=str))
    issues = find_label_issues(
        labels=given, pred_probs=probabilities, return_indices_ranked_by="self_confidence"
    )
    rows = np.asarray(issues, dtype=int)
    suggested = probabilities[rows].argmax(axis=1)
    where = pd.Series("", index=oof.index)
    annotator = pd.Series("", index=oof.index)
    if labeled is not None and len(labeled):
        known = labeled.set_index("id")
        ids = oof["id"].astype(str)
        found = ids.isin(known.index)
        where[found] = [f"{known.at[i, 'file']}, line {known.at[i, 'line']}" for i in ids[found]]
        annotator[found] = [known.at[i, "annotator"] for i in ids[found]]
    return pd.DataFrame(
        {
            "rank": np.arange(1, len(rows) + 1),
            "id": oof["id"].to_numpy()[rows],
            "text": oof["text"].to_numpy()[rows] if "text" in oof else "",
            "label": oof["label"].to_numpy()[rows],
            "suggested_label": np.asarray(classes, dtype=object)[suggested],
            "p_label": np.round(probabilities[rows, given[rows]], 4),
            "p_suggested": np.round(probabilities[rows, suggested], 4),
            "batch": oof["batch"].to_numpy()[rows] if "batch" in oof else "",
            "annotator": annotator.to_numpy()[rows],
            "where": where.to_numpy()[rows],
            "decision": "",
        },
        columns=list(AUDIT_COLUMNS),
    )


@dataclass(frozen=True)
class AuditResult:
    """The flagged units (most suspicious first), how many were audited, and where they went."""

    flagged: pd.DataFrame
    n_audited: int
    output: Path


def run(
    config: Config, *, cv_predictions: Path | None = None, output: Path | None = None
) -> AuditResult:
    """Audit the labelled units from their out-of-fold predictions (default
    `train.cv_predictions`) and write the review file (default `labels.audit`)."""
    path = cv_predictions or config.train.cv_predictions
    oof = read_frame(path)
    labeled = load_labeled(config.train.labeled_dir, config.theme_ids)
    stale = sorted(set(oof["id"].astype(str)) ^ set(labeled["id"]))
    if stale:
        warnings.warn(
            f"{path}: {len(stale)} unit(s) differ from {config.train.labeled_dir} "
            "(retrain for an up-to-date audit)",
            stacklevel=2,
        )
    output = output or config.labels.audit
    try:
        flagged = audit(oof, labeled)
    except TemaError as error:  # what is wrong is in the predictions file: name it
        raise InputError(path, str(error)) from error
    write_csv(with_earlier_review(flagged, output), output)
    return AuditResult(flagged, len(oof), output)


# A unit of an audit file, as a reviewer's decision refers to it.
AUDIT_KEY = ["id", "label"]


def with_earlier_review(flagged: pd.DataFrame, path: Path) -> pd.DataFrame:
    """The new audit, keeping what a reviewer wrote in the earlier audit file at `path`.

    A re-run (after a fix, after a retrain) must not erase the reviewer's work: a
    flagged unit (same id and label; ids are unique in data/labeled/, and Excel may have
    changed the text, "=1+2" into 3) gets its earlier `decision` and any columns the
    reviewer added; reviewed units that are no longer flagged stay at the end, without a
    rank. The earlier file is read as tema reads any table (Excel saves it with ";" and
    in Windows-1252, and with empty columns beyond the last).
    """
    if not path.is_file():
        return flagged
    table = read_table(path)
    table.require(
        path, (*AUDIT_KEY, "decision"), "; restore them, or move the file away for a fresh audit"
    )
    earlier = _named_columns(table.frame())
    added = [name for name in earlier.columns if name not in AUDIT_COLUMNS]
    review_columns = ["decision", *added]
    reviewed = earlier[earlier[review_columns].apply(lambda c: c.str.strip() != "").any(axis=1)]
    reviewed = reviewed.drop_duplicates(subset=AUDIT_KEY)
    if reviewed.empty:
        return flagged
    keys = flagged[AUDIT_KEY].astype(str)
    merged = pd.concat([keys, flagged.drop(columns=[*AUDIT_KEY, "decision"])], axis=1).merge(
        reviewed[[*AUDIT_KEY, *review_columns]], on=AUDIT_KEY, how="left"
    )
    still_flagged = pd.MultiIndex.from_frame(keys)
    gone = reviewed[~pd.MultiIndex.from_frame(reviewed[AUDIT_KEY]).isin(still_flagged)]
    gone = gone.assign(rank="")
    columns = [*AUDIT_COLUMNS, *added]
    return pd.concat([merged, gone], ignore_index=True).reindex(columns=columns).fillna("")


def _named_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` without the nameless empty columns Excel adds; a nameless column that
    holds text is kept, as "column N" (its position), so nothing a reviewer wrote is lost."""
    names, keep = [], []
    for position, name in enumerate(frame.columns):
        if not str(name).strip():
            if not (frame.iloc[:, position].str.strip() != "").any():
                continue
            name = f"column {position + 1}"
        names.append(name)
        keep.append(position)
    return frame.iloc[:, keep].set_axis(names, axis=1)
