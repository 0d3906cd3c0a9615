"""Units to classify from files named by a user (`tema classify FILE …`), outside the
pipeline: a table (.csv .tsv .xlsx) gives one unit per answer, read as ingest reads it;
a text file (.txt .md .pdf .docx) is segmented as `tema segment` does; the units CSV that
`tema segment` wrote is read as it is.

Apart from `tema.classify.stage`, so that the classify stage of the pipeline (which
classifies the segmented units CSV) does not depend on the segmentation code.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import pandas as pd

from tema.classify.decision import PREDICTION_COLUMNS
from tema.config import Config

# Columns a table's own columns may not overwrite: the unit's place, and the predictions.
# A table column of one of these names is kept as `table_<name>`.
RESERVED = frozenset({"doc", "unit", "row", "kind", "section", "text", *PREDICTION_COLUMNS})
# How the user of `tema classify FILE` names a workbook's sheet: there is no manifest.
NAME_SHEET_OPTION = "name the sheet to read with --sheet"


def read_table_units(
    path: str | Path, text_columns: Sequence[str], sheet: str | None = None
) -> pd.DataFrame:
    """A CSV/TSV/XLSX table of answers as units, read as ingest reads it
    (``tema.ingest.readers.read_answers``): one unit of kind ``answer`` per non-blank
    answer, the text from the first of `text_columns` the table has, `row` its row in the
    file (the header is row 1), `section` the question it replies to (as segment records
    it), the other columns kept (one named like a column tema writes as `table_<name>`).
    `sheet`: the sheet of a workbook to read (default: the first visible one)."""
    from tema.ingest.readers import question_of, read_answers  # only tables: ≈ 5 ms

    path = Path(path)
    header, column, answers, _not_read = read_answers(path, text_columns, sheet, NAME_SHEET_OPTION)
    others = [name for name in dict.fromkeys(header) if name and name != column]
    units = pd.DataFrame(
        [
            [path.name, number, answer.row, "answer", question_of(answer.metadata), answer.text]
            + [answer.metadata.get(name, "") for name in others]
            for number, answer in enumerate(answers)
        ],
        columns=[
            "doc",
            "unit",
            "row",
            "kind",
            "section",
            "text",
            *(f"table_{name}" if name in RESERVED else name for name in others),
        ],
        dtype=object,
    )
    return units.astype({"unit": "int64", "row": "int64"})


def is_units_file(path: Path) -> bool:
    """Whether `path` is a units CSV that `tema segment` wrote (OUT/units.csv of a batch
    outside the pipeline): its header holds every column of a unit. Such a file is read as
    its units, with their kinds and sections, not as a survey table whose column `text`
    holds answers (its headings would be counted as input, its sentences read alone)."""
    from tema.segment.units import FRAME_COLUMNS

    if path.suffix.lower() != ".csv" or not path.is_file():
        return False
    with open(path, "rb") as handle:
        first = handle.readline().decode("utf-8-sig", errors="replace")
    return set(first.strip().split(",")) >= set(FRAME_COLUMNS)


def units_from_files(
    config: Config,
    files: Sequence[Path],
    text_column: str | None = None,
    sheet: str | None = None,
) -> pd.DataFrame:
    """Units of the files in the order given: tables one unit per non-blank answer (the
    text from `text_column`, else the first of ``ingest.text_columns`` a table has; of a
    workbook, from its `sheet`, else its first visible one), text segmented with the
    ``segment`` settings, a units CSV of `tema segment` as its units."""
    from tema.ingest.stage import documents_from_files
    from tema.io.tables import TABLE_SUFFIXES
    from tema.segment.stage import Segmenter

    columns = [text_column] if text_column else list(config.ingest.text_columns)
    segmenter = None
    frames: list[pd.DataFrame] = []
    for path in files:
        if not text_column and is_units_file(path):
            from tema.classify.stage import read_units_chunks

            frames.extend(read_units_chunks(path))
            continue
        if path.suffix.lower() in TABLE_SUFFIXES:
            frames.append(read_table_units(path, columns, sheet))
            continue
        segmenter = segmenter or Segmenter.load(config.segment)
        frames.append(segmenter.frame(documents_from_files([path])))
    return pd.concat(frames, ignore_index=True)


def unit_chunks(
    config: Config,
    files: Sequence[Path],
    text_column: str | None = None,
    sheet: str | None = None,
) -> Iterator[pd.DataFrame]:
    """`units_from_files` as one chunk for `tema.classify.stage.run`, read only when the
    stage asks for it (after the model is checked and loaded)."""
    yield units_from_files(config, files, text_column, sheet)
