"""tema.parallel: rows rendered in workers give the same file, the collector is left as
found, and `tema segment` reports what it wrote."""

from __future__ import annotations

import gc
from pathlib import Path

import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from conftest import packages_loaded_by_tema
from tema import parallel
from tema.cli.main import app

REPO = Path(__file__).resolve().parent.parent


def _frames() -> list[pd.DataFrame]:
    tricky = ["plain", "with, comma", 'with "quotes"', "two\nlines", "", "007", "Ærlig talt"]
    first = pd.DataFrame({"doc": "d1", "svar, fritekst": tricky, "n": range(len(tricky))})
    empty = first.iloc[0:0]
    return [first, empty, first.iloc[2:5]]


def test_rendered_rows_give_the_same_csv_as_frames(tmp_path: Path):
    frames = _frames()
    from_frames = parallel.write_csv_chunks(frames, tmp_path / "frames.csv", ["unused"])
    rendered = [parallel.render_csv(frame) for frame in frames]
    from_rows = parallel.write_csv_chunks(rendered, tmp_path / "rows.csv", ["unused"])
    expected = pd.concat(frames).to_csv(index=False, lineterminator="\n")
    assert from_frames == from_rows == 10
    assert (tmp_path / "frames.csv").read_text(encoding="utf-8") == expected
    assert (tmp_path / "rows.csv").read_text(encoding="utf-8") == expected


def test_plain_rows_render_as_their_table_does():
    # What `tema segment` writes without building a table: the same bytes as pandas.
    rows = [
        ("d1", 0, 0, 9, "bullet", "", "plain", None),
        ("d1", 1, 10, 30, "sentence", "Bolig, leie", 'with "quotes", comma', 0),
        ("d 2", 0, 0, 12, "heading", "", "two\nlines\r", None),
        ("d3", 7, 3, 4, "quote", "Ærlig", "", 12),
    ]
    columns = ("doc", "unit", "start", "end", "kind", "section", "text", "repeat_of")
    frame = pd.DataFrame(rows, columns=list(columns)).astype({"repeat_of": "Int64"})
    rendered = parallel.rows_csv(rows, columns)
    assert rendered == parallel.render_csv(frame)
    assert parallel.rows_csv([], columns) == parallel.render_csv(frame.iloc[0:0])


def test_an_empty_stream_writes_the_given_header(tmp_path: Path):
    assert parallel.write_csv_chunks(iter([]), tmp_path / "out.csv", ["doc", "a, b"]) == 0
    assert (tmp_path / "out.csv").read_text(encoding="utf-8") == 'doc,"a, b"\n'


@pytest.mark.parametrize("jobs", [1, 2])
def test_ordered_map_leaves_the_collector_as_it_found_it(jobs: int):
    before = gc.get_freeze_count()
    results = list(parallel.ordered_map(sum, [[1, 2], [3], []], jobs))
    assert results == [3, 3, 0]
    assert gc.get_freeze_count() == before
    assert gc.isenabled()


def _segment_params(folder: Path) -> None:
    params = yaml.safe_load((REPO / "params.yaml").read_text(encoding="utf-8"))
    params["segment"]["spacy_model"] = str(REPO / params["segment"]["spacy_model"])
    params["segment"]["lexicon_cache"] = str(folder / "lexicon_cache")
    (folder / "params.yaml").write_text(yaml.safe_dump(params), encoding="utf-8")


def test_segment_reports_its_units_and_documents(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    _segment_params(tmp_path)
    (tmp_path / "notes.txt").write_text("Flere ønsker norskkurs på kveldstid.\n", "utf-8")
    (tmp_path / "more.txt").write_text("- Bolig\n- Arbeid\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(
        app, ["--params", "params.yaml", "segment", "notes.txt", "more.txt", "-o", "u.csv"]
    )
    assert result.exit_code == 0, result.output
    units = pd.read_csv(tmp_path / "u.csv")
    assert units["doc"].nunique() == 2
    assert f"{len(units)} enheter fra 2 dokumenter" in result.output


def test_tema_segment_writes_its_units_without_pandas(tmp_path: Path):
    # Importing pandas is a quarter of a second of every `tema segment` start.
    _segment_params(tmp_path)
    (tmp_path / "notes.txt").write_text(
        'Bolig:\n- "Startlån", for dem som leier\n- Arbeid, språk\n', encoding="utf-8"
    )
    command = ["--params", "params.yaml", "segment", "notes.txt", "-o", "u.csv", "--jobs", "2"]
    assert packages_loaded_by_tema(tmp_path, command, {"pandas"}) == []
    units = pd.read_csv(tmp_path / "u.csv", keep_default_na=False)
    assert units["text"].tolist() == ["Bolig:", '"Startlån", for dem som leier', "Arbeid, språk"]
