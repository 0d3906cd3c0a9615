"""What the HTML and Excel reports show: `Summary`, and where the counted input came from
(`Batch`). `tema.report.tally` makes a Summary from the counted units.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import pandas as pd


@dataclass
class Batch:
    """Where the counted input came from, and when the report was made."""

    made: datetime
    input_dir: str = ""
    n_files: int = 0  # files in the batch: documents read + files skipped
    n_skipped: int = 0


@dataclass
class Summary:
    """Everything the HTML and Excel reports show, small whatever the batch size."""

    counts: pd.DataFrame
    over_time: pd.DataFrame
    period: str | None
    examples: pd.DataFrame
    review: pd.DataFrame
    n_units: int
    n_documents: int
    n_uncertain: int
    confusion: pd.DataFrame | None = None
    skipped: list[dict[str, str]] = field(default_factory=list)
    # Files read, but some of their PDF pages not (damaged or scanned): file → pages.
    unread_pages: dict[str, list[int]] = field(default_factory=dict)
    # Workbooks read, but some of their sheets that hold text not: file → sheet names.
    unread_sheets: dict[str, list[str]] = field(default_factory=dict)
    # Documents read by ingest (also those without counted units); None when not known.
    n_documents_read: int | None = None
    batch: Batch | None = None
    # Counted units without a date: not in `over_time`.
    n_undated: int = 0
