"""Stage `report`: theme counts per document, meeting and region, with examples.

`run` is the stage: it reads the classified units (`classify.classified`), the ingested
documents and the skipped files (for provenance and for what the report says about the
batch), the cross-validated predictions (for the corrected shares) and the model card,
and writes into `report.out_dir`: units.csv, theme_counts.csv, theme_over_time.csv,
report.html and report.xlsx. `run` prints nothing: it returns what the CLI prints. It also
answers `tema report --show` (the last report's counts) and `--compare OLD NEW` (`compare`).

The classified units are streamed in chunks (`build_report`), so a batch of any size runs
in bounded memory: each chunk gets its provenance (meeting, region, date, page, survey
row; `tema.report.units`), is appended to `units.csv` and is added to running counts
(`tema.report.tally`).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from tema.config import Config, Theme, theme_names
from tema.errors import InputError, TemaError
from tema.io.files import atomic_write, csv_line_of_row, write_csv
from tema.io.tables import read_frame
from tema.numbers import Style
from tema.progress import progress
from tema.report.shares import confusion_for_correction
from tema.report.summary import Batch, Summary
from tema.report.tally import Tally, counted_units
from tema.report.units import (
    CHUNK_ROWS,
    UNIT_COLUMNS,
    Provenance,
    read_classified_chunks,
    uncertain_units,
)
from tema.report.words import TEXTS


@dataclass(frozen=True)
class ReportResult:
    """What `run` did, for the CLI's closing lines.

    `mode` is "report" (a report written), "show" (the last report's counts read) or
    "compare" (two reports compared); `table` is the terminal table (the overall counts,
    or the change per theme); `files` the files written or shown, by the name the
    closing message gives them (html, xlsx, counts, unit_table; csv for a comparison).
    """

    mode: Literal["report", "show", "compare"]
    table: str
    files: dict[str, Path] = field(default_factory=dict)
    n_units: int = 0
    n_uncertain: int = 0


def run(
    config: Config,
    *,
    language: str | None = None,
    out_dir: Path | None = None,
    compare: tuple[Path, Path] | None = None,
    show: bool = False,
    quiet: bool = True,
    names: Mapping[str, str] | None = None,
) -> ReportResult:
    """The report of the pipeline's classified units; or, with `show`, the counts of the
    last report; or, with `compare`, the change between two reports.

    `language` (default `report.language`) is the reports' language; `out_dir` the folder
    to write into (default `report.out_dir`, or `report.compare_dir` with `compare`);
    `quiet` turns the progress bar off. `names`: the name report.html and report.xlsx show
    for a document (its file in `ingest.raw_dir`), where its owner knows it by another
    (`tema.report.names`); the tables keep the file's.
    """
    language = language or config.report.language
    if language not in TEXTS:
        raise TemaError(f"unknown language {language!r}; use nb or en")
    if compare is not None:
        return _compare(config, compare, out_dir or config.report.compare_dir, language)
    out = out_dir or config.report.out_dir
    if show:
        counts_file = out / "theme_counts.csv"
        if not counts_file.is_file():  # a new user's first `--show`: no damaged file
            raise InputError(counts_file, "no report yet; `tema report` (or `make run`) makes one")
        counts = read_frame(counts_file)
        table = format_count_table(counts, config.themes, language)
        return ReportResult("show", table, {"html": out / "report.html"})
    return _report(config, out, language, quiet, names or {})


def _report(
    config: Config, out: Path, language: str, quiet: bool, names: Mapping[str, str]
) -> ReportResult:
    # Imported here, not at the top: `--show` and `--compare` need none of them.
    from tema.classify.card import check_themes, read_checked_card

    # Read before anything is written: a bad card stops the report with the old one whole.
    card = read_checked_card(config.train.model_files.card)
    # A theme added since the model was trained would be reported as raised by no one.
    if "themes" in card:
        check_themes(card["themes"], config, config.train.model_files.model)
    # Every file is written into a folder beside `out` and moved in only when all are:
    # a report that fails midway must not leave the units and counts of this batch beside
    # report.html of the last one.
    # report.out_dir a link to another disk: the folder goes beside where its files live.
    beside = out.resolve().parent
    beside.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=beside))
    try:
        summary = _write_report(config, staging, card, language, quiet, names)
        out.mkdir(parents=True, exist_ok=True)
        for written in sorted(staging.iterdir()):
            os.replace(written, out / written.name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    files = {
        "html": out / "report.html",
        "xlsx": out / "report.xlsx",
        "counts": out / "theme_counts.csv",
        "unit_table": out / "units.csv",
    }
    table = format_count_table(summary.counts, config.themes, language)
    return ReportResult("report", table, files, summary.n_units, summary.n_uncertain)


def _write_report(
    config: Config,
    out: Path,
    card: dict[str, Any],
    language: str,
    quiet: bool,
    names: Mapping[str, str],
) -> Summary:
    """Write every file of the report into `out`; the summary they show."""
    from tema.ingest.stage import read_documents
    from tema.report.html import render_html
    from tema.report.names import shown_chunks, shown_summary
    from tema.report.xlsx import write_xlsx

    settings = config.report
    summary = build_report(
        config.classify.classified,
        read_documents(config.ingest.documents),
        out,
        config.theme_ids,
        settings.counted_kinds,
        read_confusion(config.train.cv_predictions, config.theme_ids),
        settings.examples_per_theme,
        settings.review_limit,
        quiet=quiet,
    )
    if summary.n_units == 0:
        warnings.warn(
            f"{config.classify.classified}: no unit of the counted kinds "
            f"({', '.join(settings.counted_kinds)}); every share of the report is empty",
            stacklevel=3,
        )
    if config.ingest.skipped.is_file():
        summary.skipped = read_frame(config.ingest.skipped).to_dict("records")
    summary.batch = Batch(
        made=datetime.now().astimezone(),
        input_dir=str(config.ingest.raw_dir),
        n_files=(summary.n_documents_read or 0) + len(summary.skipped),
        n_skipped=len(summary.skipped),
    )
    shown = shown_summary(summary, names)
    with atomic_write(out / "report.html") as handle:
        handle.write(render_html(shown, config.themes, card, language))
    uncertain = shown_chunks(uncertain_units(out / "units.csv"), names)
    write_xlsx(out / "report.xlsx", shown, config.themes, card, language, uncertain)
    return summary


def _compare(config: Config, reports: tuple[Path, Path], out: Path, language: str) -> ReportResult:
    from tema.report.compare import format_compare_table, write_comparison

    table, old, new = write_comparison(reports[0], reports[1], out, config.themes, language)
    text = format_compare_table(table, config.themes, old, new, language)
    return ReportResult("compare", text, {"html": out / "compare.html", "csv": out / "compare.csv"})


def read_confusion(path: Path, theme_ids: Sequence[str]) -> pd.DataFrame | None:
    """P(predicted | true) from the cross-validated predictions; None (with a warning) if absent."""
    if not path.is_file():
        warnings.warn(f"{path}: not found; the report has no adjusted shares", stacklevel=2)
        return None
    oof = pd.read_csv(
        path,
        usecols=lambda column: column in ("label", "theme", "origin"),
        dtype=str,
        keep_default_na=False,
    )
    return confusion_for_correction(oof, theme_ids)


def build_report(
    classified: str | Path,
    documents: Iterable[Any],
    out_dir: str | Path,
    theme_ids: Sequence[str],
    counted_kinds: Iterable[str],
    confusion: pd.DataFrame | None = None,
    per_theme: int = 3,
    review_limit: int = 200,
    chunk_rows: int = CHUNK_ROWS,
    quiet: bool = True,
) -> Summary:
    """Stream classified units into units.csv and the counts; write theme_counts.csv."""
    out_dir = Path(out_dir)
    provenance = Provenance(documents)
    counted_kinds = list(counted_kinds)
    tally = Tally(review_limit)
    with atomic_write(out_dir / "units.csv") as handle:
        header = True
        chunks = read_classified_chunks(classified, chunk_rows)
        for chunk in progress(chunks, "report", None, quiet, unit="chunk"):
            _refuse_unknown_themes(classified, chunk, counted_kinds, theme_ids)
            units = provenance.attach(counted_units(chunk, counted_kinds))
            units.to_csv(handle, index=False, header=header, lineterminator="\n")
            header = False
            tally.add(units)
        if header:
            pd.DataFrame(columns=list(UNIT_COLUMNS)).to_csv(handle, index=False)
    summary = tally.summary(theme_ids, confusion, per_theme)
    summary.n_documents_read = len(provenance.by_doc)
    summary.unread_pages = provenance.unread_pages
    summary.unread_sheets = provenance.unread_sheets
    write_csv(summary.counts, out_dir / "theme_counts.csv")
    write_csv(summary.over_time, out_dir / "theme_over_time.csv")
    return summary


def _refuse_unknown_themes(
    path: str | Path, chunk: pd.DataFrame, counted_kinds: Sequence[str], theme_ids: Sequence[str]
) -> None:
    """A counted unit whose theme is not in the theme set would be in the number of units
    but in no theme's count, so that the shares no longer add up: refused with its line.
    The chunk's index is the row's place in the file (pandas numbers the rows of a chunked
    read on from the chunk before)."""
    counted = chunk[chunk["kind"].isin(counted_kinds)]
    unknown = counted.index[~counted["theme"].astype(str).isin(theme_ids)]
    if len(unknown) == 0:
        return
    theme = counted.loc[unknown[0], "theme"]
    raise InputError(
        path,
        f"theme {str(theme)!r} is not one of the themes in the params file "
        f"({', '.join(theme_ids)}); classify the units again (tema classify) "
        "or correct the theme",
        csv_line_of_row(path, int(unknown[0])),
    )


def format_count_table(counts: pd.DataFrame, themes: Sequence[Theme], language: str = "nb") -> str:
    """The overall counts as a plain-text table for the terminal."""
    words = TEXTS[language]
    style = Style(language)
    name = theme_names(themes, language)
    overall = counts[counts["level"] == "all"]
    width = max(len(n) for n in name.values()) + 2
    lines = [
        f"{words['theme']:<{width}}{words['count']:>8}{words['share']:>8}  "
        f"{words['interval']:<16}{words['adjusted']}"
    ]
    for row in overall.itertuples():
        lines.append(
            f"{name.get(row.theme, row.theme):<{width}}{style.num(row.count):>8}"
            f"{style.pct(row.share):>8}  {style.pct_range(row.ci_low, row.ci_high):<16}"
            f"{style.pct(row.adjusted_share)}"
        )
    return "\n".join(lines)
