from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from tema.files import atomic_write, write_csv


def test_failed_write_keeps_the_previous_file(tmp_path: Path):
    target = tmp_path / "report.csv"
    target.write_text("old\n", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_write(target) as handle:
        handle.write("half of the new")
        raise RuntimeError("killed mid-way")
    assert target.read_text(encoding="utf-8") == "old\n"
    assert list(tmp_path.iterdir()) == [target]  # no temporary file left behind


def test_write_csv_creates_folders_and_round_trips(tmp_path: Path):
    frame = pd.DataFrame({"text": ["Bolig, «fra leie til eie»", "Linje\nto"], "n": [1, 2]})
    target = tmp_path / "deep" / "units.csv"
    write_csv(frame, target)
    pd.testing.assert_frame_equal(pd.read_csv(target), frame)
