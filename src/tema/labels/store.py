"""Hand-labelled examples: reading and validating `data/labeled/*.csv`.

Validation happens here, at the border, so that training never sees a bad row.
Every error names the file and the line a person would open to fix it.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer

from tema.errors import InputError

LABEL_COLUMNS = ("id", "text", "label", "second_label", "batch", "annotator")
# Optional columns of a document round: units written as short documents, in reading order,
# so that the classifier can learn how much a unit's neighbours and heading tell
# (tema.classify.context). `doc` names the document; `kind` is heading, sentence or bullet,
# or answer: a survey answer under the heading row that holds its question.
DOCUMENT_COLUMNS = ("doc", "kind")
DOCUMENT_KINDS = ("heading", "sentence", "bullet", "answer")
# Written by `tema labels import` (where an imported unit came from); empty for the
# team's own rounds. Imported labels are real input, so the report's correction for
# the classifier's confusions prefers them (tema.report.shares.confusion_for_correction).
SOURCE_COLUMN = "source"
OPTIONAL_COLUMNS = (*DOCUMENT_COLUMNS, SOURCE_COLUMN)
# Two texts whose character n-gram profiles are this similar are the same example
# written twice (a copy with a changed word or two); it would leak across CV folds.
NEAR_DUPLICATE_SIMILARITY = 0.9

_NON_WORD = re.compile(r"[\W_]+")


def normalise_for_comparison(text: str) -> str:
    """Lower-case words only: the form under which two texts count as the same."""
    return _NON_WORD.sub(" ", text.casefold()).strip()


def read_label_file(path: Path, theme_ids: list[str]) -> pd.DataFrame:
    """Read one labelled CSV file and check every row; returns rows with file and line."""
    allowed = set(theme_ids)
    rows = []
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            _check_columns(path, reader.fieldnames or [])
            for row in reader:
                record = {
                    column: (row.get(column) or "").strip()
                    for column in (*LABEL_COLUMNS, *OPTIONAL_COLUMNS)
                }
                _check_row(path, reader.line_num, record, allowed)
                rows.append({**record, "file": str(path), "line": reader.line_num})
    except OSError as exc:
        raise InputError(path, f"cannot be read: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise InputError(path, "is not UTF-8 text (save it as UTF-8 CSV)") from exc
    except csv.Error as exc:
        raise InputError(path, f"malformed CSV: {exc}") from exc
    return pd.DataFrame(rows, columns=[*LABEL_COLUMNS, *OPTIONAL_COLUMNS, "file", "line"])


def _check_columns(path: Path, header: Sequence[str]) -> None:
    """The header has every one of `LABEL_COLUMNS`. A file that Excel saved as "CSV" in a
    Norwegian locale has them all, joined by ";": read with commas, it seems to have none
    of them, so that is said instead of a list of columns that are there."""
    missing = [column for column in LABEL_COLUMNS if column not in header]
    if not missing:
        return
    joined = ",".join(header)
    for delimiter, name in ((";", "';'"), ("\t", "tabs")):
        if set(LABEL_COLUMNS) <= {column.strip() for column in joined.split(delimiter)}:
            raise InputError(
                path,
                f"is separated by {name}, not by "
                "commas (as Excel saves CSV in a Norwegian locale); label files are "
                'comma-separated UTF-8: save it as "CSV UTF-8 (Comma delimited)"',
                line=1,
            )
    raise InputError(
        path,
        f"missing column(s) {', '.join(missing)}; expected {', '.join(LABEL_COLUMNS)}",
        line=1,
    )


def _check_row(path: Path, line: int, record: dict[str, str], allowed: set[str]) -> None:
    if not record["id"]:
        raise InputError(path, "empty id", line)
    if not record["text"]:
        raise InputError(path, f"empty text (id {record['id']})", line)
    # Fixed by hand, a label is often written as a person names its theme ("Bolig").
    ids = (
        f"expected one of {', '.join(sorted(allowed))} (a labelled file holds theme ids, not "
        "names: `themes:` in params.yaml gives each id with its names)"
    )
    if record["label"] not in allowed:
        raise InputError(path, f"unknown theme {record['label']!r}; {ids}", line)
    second = record["second_label"]
    if second and second not in allowed:
        raise InputError(path, f"unknown second_label {second!r}; {ids}", line)
    if second and second == record["label"]:
        raise InputError(path, f"second_label repeats label {second!r}", line)
    if not record["batch"]:
        raise InputError(path, "empty batch (needed to group cross-validation)", line)
    if record["doc"] and record["kind"] not in DOCUMENT_KINDS:
        raise InputError(
            path,
            f"kind {record['kind']!r} of a document row; expected one of "
            f"{', '.join(DOCUMENT_KINDS)}",
            line,
        )


def load_labeled(directory: str | Path, theme_ids: list[str]) -> pd.DataFrame:
    """All labelled files in `directory`, validated together (ids and texts are unique)."""
    directory = Path(directory)
    files = sorted(directory.glob("*.csv"))
    if not files:
        raise InputError(directory, "no labelled .csv files found")
    frame = pd.concat([read_label_file(path, theme_ids) for path in files], ignore_index=True)
    check_folder(frame)
    return frame


def check_folder(frame: pd.DataFrame) -> None:
    """The rows of a folder (columns id, text, file, line) taken together: ids unique, and
    no text the same as, or a near copy of, another (it would leak across CV folds)."""
    _check_unique_ids(frame)
    _check_no_duplicate_texts(frame)


def _where(frame: pd.DataFrame, index: int) -> str:
    return f"{frame.at[index, 'file']}, line {frame.at[index, 'line']}"


def _check_unique_ids(frame: pd.DataFrame) -> None:
    duplicated = frame[frame["id"].duplicated(keep=False)]
    if not duplicated.empty:
        first, second = duplicated.index[:2]
        raise InputError(
            frame.at[second, "file"],
            f"duplicate id {frame.at[second, 'id']!r} (also at {_where(frame, first)})",
            int(frame.at[second, "line"]),
        )


def _check_no_duplicate_texts(frame: pd.DataFrame) -> None:
    normalised = frame["text"].map(normalise_for_comparison)
    seen: dict[str, int] = {}
    for index, key in normalised.items():
        if key in seen:
            _raise_duplicate(frame, seen[key], index, "same text as")
        seen[key] = index
    first, second = find_near_duplicates(frame["text"].tolist())
    if first is not None and second is not None:
        _raise_duplicate(frame, first, second, "nearly the same text as")


def _raise_duplicate(frame: pd.DataFrame, first: int, second: int, relation: str) -> None:
    raise InputError(
        frame.at[second, "file"],
        f"{relation} {_where(frame, first)}: {frame.at[second, 'text'][:80]!r}",
        int(frame.at[second, "line"]),
    )


def find_near_duplicates(texts: list[str]) -> tuple[int | None, int | None]:
    """The first pair (i < j) of texts more similar than NEAR_DUPLICATE_SIMILARITY."""
    if len(texts) < 2:
        return None, None
    # Plain (not IDF-weighted) n-gram profiles: whether two texts are copies must not
    # depend on which other texts happen to be in the folder.
    vectors = text_profiles().fit_transform(texts)
    similarity = (vectors @ vectors.T).toarray()
    np.fill_diagonal(similarity, 0.0)
    upper = np.triu(similarity > NEAR_DUPLICATE_SIMILARITY)
    pairs = np.argwhere(upper)
    if len(pairs) == 0:
        return None, None
    first, second = sorted(pairs.tolist(), key=lambda pair: (pair[1], pair[0]))[0]
    return int(first), int(second)


def text_profiles() -> TfidfVectorizer:
    """The character n-gram profiles under which two texts are (near) copies.

    Plain, not IDF-weighted: whether two texts are copies must not depend on which
    other texts happen to be in the folder, so profiles fitted on any set of texts
    compare the same.
    """
    return TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=(3, 5),
        sublinear_tf=True,
        use_idf=False,
        preprocessor=normalise_for_comparison,
    )


def nearest_texts(texts: list[str], references: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """For each text, the index of the most similar reference text and the similarity.

    Index -1 (similarity 0) when there are no references. Similarity is the cosine of
    the `text_profiles` vectors: above NEAR_DUPLICATE_SIMILARITY means a near copy.
    """
    if not texts:
        return np.zeros(0, dtype=int), np.zeros(0)
    if not references:
        return np.full(len(texts), -1), np.zeros(len(texts))
    vectors = text_profiles().fit(list(texts) + list(references))
    similarity = (vectors.transform(texts) @ vectors.transform(references).T).toarray()
    best = similarity.argmax(axis=1)
    return best, similarity[np.arange(len(texts)), best]
