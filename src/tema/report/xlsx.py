"""report.xlsx: one sheet per view, with headers in the report language, for Excel users.

Written in openpyxl's write-only mode, so the sheet of uncertain units can hold any
number of rows (up to Excel's limit) without holding them all in memory.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from tema.config import Theme, theme_names
from tema.io.files import as_text_cell, fit_cell
from tema.numbers import Style
from tema.report.charts import key_label
from tema.report.model_text import (
    about_lines,
    describe_model,
    left_out_lines,
    uncertainty_lines,
)
from tema.report.summary import Summary
from tema.report.words import TEXTS

EXCEL_MAX_ROWS = 1_048_576
PERCENT = "0.0%"


class _Sheet:
    def __init__(self, workbook: Any, title: str, headers: Sequence[tuple[str, int]]) -> None:
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font, PatternFill
        from openpyxl.utils import get_column_letter

        self.sheet = workbook.create_sheet(title=title[:31])
        for index, (_, width) in enumerate(headers, start=1):
            self.sheet.column_dimensions[get_column_letter(index)].width = width
        self.sheet.freeze_panes = "A2"
        self._cell = WriteOnlyCell
        bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDE6EE")
        cells = []
        for name, _ in headers:
            cell = WriteOnlyCell(self.sheet, value=name)
            cell.font, cell.fill = bold, fill
            cells.append(cell)
        self.sheet.append(cells)
        self.rows = 1

    def append(self, values: Iterable[Any], percent: Sequence[int] = ()) -> bool:
        """Add a row; False (row not written) once Excel's row limit is reached."""
        if self.rows >= EXCEL_MAX_ROWS:
            return False
        cells = []
        for index, value in enumerate(values):
            if value is not None and not isinstance(value, str) and pd.isna(value):
                value = None
            elif hasattr(value, "item"):
                value = value.item()  # numpy scalar → Python
            cell = as_text_cell(self._cell(self.sheet, value=value))
            if index in percent:
                cell.number_format = PERCENT
            cells.append(cell)
        self.sheet.append(cells)
        self.rows += 1
        return True


def write_xlsx(
    path: str | Path,
    summary: Summary,
    themes: Sequence[Theme],
    card: dict[str, Any],
    language: str = "nb",
    uncertain_chunks: Iterable[pd.DataFrame] = (),
) -> None:
    """Write report.xlsx (atomically)."""
    from openpyxl import Workbook

    from tema.io.files import atomic_write, reproducible_zip

    words = TEXTS[language]
    names = theme_names(themes, language)
    workbook = Workbook(write_only=True)
    _count_sheets(workbook, summary, words, names)
    _unit_sheets(workbook, summary, words, names, uncertain_chunks)
    _method_sheet(workbook, summary, themes, card, words, names, language)
    buffer = io.BytesIO()
    workbook.save(buffer)
    with atomic_write(path, "wb") as handle:  # the same report gives the same bytes
        handle.write(reproducible_zip(buffer.getvalue()))


def _count_sheets(
    workbook: Any, summary: Summary, words: dict[str, str], names: dict[str, str]
) -> None:
    """Sammendrag, Regioner, Møter, Dokumenter and (with dates) Over tid: the count table."""
    count_headers = [
        (words["theme"], 30), (words["count"], 10), (words["share"], 10),
        (words["ci_low"], 11), (words["ci_high"], 11), (words["adjusted"], 15),
        (words["uncertain"], 10),
    ]  # fmt: skip
    counts = summary.counts

    def count_values(row: Any) -> list[Any]:
        return [
            names.get(row.theme, row.theme),
            row.count,
            row.share,
            row.ci_low,
            row.ci_high,
            row.adjusted_share,
            row.uncertain,
        ]

    sheet = _Sheet(workbook, words["sheet_summary"], count_headers)
    for row in counts[counts["level"] == "all"].itertuples():
        sheet.append(count_values(row), percent=(2, 3, 4, 5))
    for level, title, heading in (
        ("region", "sheet_regions", "region"),
        ("meeting", "sheet_meetings", "meeting"),
        ("document", "sheet_documents", "document"),
    ):
        sheet = _Sheet(workbook, words[title], [(words[heading], 36), *count_headers])
        for row in counts[counts["level"] == level].itertuples():
            sheet.append([key_label(row.key, words), *count_values(row)], (3, 4, 5, 6))
    if summary.period and not summary.over_time.empty:
        sheet = _Sheet(
            workbook, words["sheet_time"], [(words[f"period_{summary.period}"], 14), *count_headers]
        )
        for row in summary.over_time.itertuples():
            sheet.append([row.key, *count_values(row)], (3, 4, 5, 6))


def _unit_sheets(
    workbook: Any,
    summary: Summary,
    words: dict[str, str],
    names: dict[str, str],
    uncertain_chunks: Iterable[pd.DataFrame],
) -> None:
    """Eksempler (the example quotes) and Usikre (every uncertain unit, to Excel's limit)."""
    unit_headers = [
        (words["theme"], 28), (words["text"], 80), (words["confidence"], 11),
        (words["second_theme"], 24), (words["document"], 32), (words["page"], 7),
        (words["row"], 7), (words["meeting"], 28), (words["region"], 20),
    ]  # fmt: skip

    def unit_values(r: Any) -> list[Any]:
        second = getattr(r, "second_theme", "")
        second = "" if not isinstance(second, str) else second
        return [
            names.get(r.theme, r.theme),
            fit_cell(str(r.text), words["cut_text"]),
            float(r.confidence),
            names.get(second, second),
            r.doc,
            _whole_number(getattr(r, "page", None)),
            _whole_number(getattr(r, "row", None)),
            getattr(r, "meeting", ""),
            getattr(r, "region", ""),
        ]

    sheet = _Sheet(workbook, words["sheet_examples"], unit_headers)
    if not summary.examples.empty:
        for r in summary.examples.itertuples():
            sheet.append(unit_values(r))
    sheet = _Sheet(workbook, words["sheet_review"], unit_headers)
    for chunk in uncertain_chunks:
        for r in chunk.itertuples():
            if not sheet.append(unit_values(r)):
                break


def _whole_number(value: Any) -> int | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)) or value == "":
        return None
    return int(value)


def _method_sheet(
    workbook: Any,
    summary: Summary,
    themes: Sequence[Theme],
    card: dict[str, Any],
    words: dict[str, str],
    names: dict[str, str],
    language: str,
) -> None:
    """Metode: what the report is of, the model and its scores, the correction, skipped files."""
    style = Style(language)
    sheet = _Sheet(workbook, words["sheet_method"], [("", 40), ("", 60)])
    for line in about_lines(summary, card, words, style, language):
        sheet.append(["", line])
    for line in describe_model(card, style):
        sheet.append([words["model_heading"], line])
    for line in uncertainty_lines(card, words, style):
        sheet.append([words["uncertain"], line])
    _score_rows(sheet, card, words, names, style)
    sheet.append([words["method"], words["method_text"]])
    sheet.append(
        [
            words["adjusted"],
            words["adjusted_text" if summary.confusion is not None else "adjusted_missing"],
        ]
    )
    if summary.confusion is not None:
        sheet.append([words["confusion"], ""])
        ids = [t.id for t in themes]
        sheet.append(["", *[names[i] for i in ids]])
        for true in ids:
            sheet.append(
                [names[true], *[float(summary.confusion.loc[true, p]) for p in ids]],
                percent=tuple(range(1, len(ids) + 1)),
            )
    for key, lines in left_out_lines(summary, words, language).items():
        for line in lines:
            sheet.append([words[key], line])


def _score_rows(
    sheet: _Sheet, card: dict[str, Any], words: dict[str, str], names: dict[str, str], style: Style
) -> None:
    """The model card's cross-validated scores, each with its interval."""
    cv = card.get("cross_validation", {})

    def score(value: dict[str, float]) -> str:
        interval = style.dec_range(value["ci_low"], value["ci_high"], 3)
        return f"{style.num(value['value'], 3)} ({words['interval']}: {interval})"

    for metric in ("macro_f1", "accuracy"):  # the card's keys; the sheet names them in words
        if cv.get(metric):
            sheet.append([words[f"{metric}_label"], score(cv[metric])])
    for theme, value in (cv.get("per_theme_f1") or {}).items():
        sheet.append([f"F1 {names.get(theme, theme)}", score(value)])
