from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest

from tema.io.files import atomic_write, write_csv, write_together


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


def test_zip_outputs_are_the_same_bytes_on_another_day(tmp_path: Path, monkeypatch):
    """dvc.lock records every output's hash: the predictor .npz and report.xlsx must not
    carry the time they were written."""
    import time

    import numpy as np
    from openpyxl import Workbook

    from tema.io.files import reproducible_zip, write_npz

    def outputs(folder: Path) -> tuple[bytes, bytes]:
        folder.mkdir()
        write_npz({"coef": np.arange(6.0).reshape(2, 3)}, folder / "arrays.npz")
        workbook = Workbook()
        workbook.active.append(["tema", 1])
        buffer = io.BytesIO()
        workbook.save(buffer)
        return (folder / "arrays.npz").read_bytes(), reproducible_zip(buffer.getvalue())

    today = outputs(tmp_path / "today")
    later = time.time() + 400 * 86_400
    monkeypatch.setattr(time, "time", lambda: later)
    monkeypatch.setattr("openpyxl.writer.excel.datetime", _Later, raising=True)
    assert outputs(tmp_path / "later") == today
    with np.load(io.BytesIO(today[0])) as npz:
        assert npz["coef"].tolist() == [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]


class _Later:
    """openpyxl's `datetime` module, 400 days on."""

    import datetime as _datetime

    timezone = _datetime.timezone

    class datetime:
        @staticmethod
        def now(tz=None):
            import datetime

            return datetime.datetime.now(tz) + datetime.timedelta(days=400)


def test_files_written_together_replace_none_until_all_are_written(tmp_path: Path):
    model, card = tmp_path / "model.bin", tmp_path / "card.json"
    model.write_bytes(b"old model")
    card.write_text("old card", encoding="utf-8")
    with pytest.raises(TypeError):  # the model cannot be written: as on a full disk
        write_together([(model, None), (card, "new card")])  # type: ignore[list-item]
    assert (model.read_bytes(), card.read_text(encoding="utf-8")) == (b"old model", "old card")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["card.json", "model.bin"]
    write_together([(model, b"new model"), (card, "new card")])
    assert (model.read_bytes(), card.read_text(encoding="utf-8")) == (b"new model", "new card")
