from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from conftest import TINY_LABELED
from tema.classify.inputs import read_table_units
from tema.classify.model import ThemeClassifier, ThemeModel
from tema.classify.stage import classify_units, whole_documents
from tema.errors import InputError
from tema.ingest.stage import documents_from_files


@pytest.fixture(scope="module")
def model() -> ThemeModel:
    texts = [text for texts in TINY_LABELED.values() for text in texts]
    labels = [label for label, texts in TINY_LABELED.items() for _ in texts]
    classifier = ThemeClassifier(calibration_folds=2).fit(texts, labels)
    return ThemeModel(classifier, {"uncertainty_threshold": 0.3, "second_theme_threshold": 0.3})


SURVEY = [
    ("respondent", "svar", "kommune"),
    ("1", "Flere kommunale boliger, og billigere", "Bodø"),
    ("2", "", "Alta"),
    ("3", "Arbeidsgivere må ansette flere", "Hamar"),
    ("4", "   ", "Tromsø"),
]


def write_table(path: Path, rows=SURVEY, delimiter: str = ",", encoding: str = "utf-8") -> Path:
    """A survey table as Excel or a script saves it."""
    if path.suffix == ".xlsx":
        workbook = Workbook()
        for row in rows:
            workbook.active.append(list(row))
        workbook.save(path)
        return path
    with open(path, "w", encoding=encoding, newline="") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    return path


TABLES = {
    "comma utf-8": ("svar.csv", ",", "utf-8"),
    "semicolon windows-1252 (Excel, Norwegian)": ("svar.csv", ";", "cp1252"),
    "semicolon utf-8 with BOM": ("svar.csv", ";", "utf-8-sig"),
    "tab": ("svar.tsv", "\t", "utf-8"),
    "tab in a .csv": ("svar.csv", "\t", "utf-8"),
    "xlsx": ("svar.xlsx", ",", "utf-8"),
}


@pytest.mark.parametrize("table", TABLES.values(), ids=TABLES.keys())
def test_classify_reads_a_table_as_ingest_does(tmp_path: Path, model: ThemeModel, table):
    name, delimiter, encoding = table
    path = write_table(tmp_path / name, delimiter=delimiter, encoding=encoding)
    units = read_table_units(path, ["answer", "svar"])  # found without naming it
    [document] = documents_from_files([path], ["answer", "svar"])
    assert units["text"].tolist() == [
        document.text[a["start"] : a["end"]] for a in document.answers
    ]
    assert units["text"].tolist() == [
        "Flere kommunale boliger, og billigere",
        "Arbeidsgivere må ansette flere",
    ]  # blank ones left out
    assert units["row"].tolist() == [a["row"] for a in document.answers] == [2, 4]
    assert units["kommune"].tolist() == ["Bodø", "Hamar"]  # the other columns kept
    classified = classify_units(units, model)
    assert classified["doc"].unique().tolist() == [name]
    assert classified["theme"].tolist() == ["housing", "employers"]


def test_an_answer_is_read_with_its_question(tmp_path: Path, model: ThemeModel):
    """The same elliptic answer under two questions: with a model whose card reads
    questions, each takes its question's theme; without, both get the same theme."""
    survey = write_table(
        tmp_path / "svar.csv",
        [
            ("spørsmål", "svar"),
            ("Hvordan kan det bli lettere å finne en kommunal bolig?", "Mer av det"),
            ("Hvordan kan arbeidsgivere ansette flere innvandrere?", "Mer av det"),
        ],
    )
    units = read_table_units(survey, ["svar"])
    assert units["kind"].tolist() == ["answer", "answer"]
    assert units["section"].tolist() == [
        "Hvordan kan det bli lettere å finne en kommunal bolig?",
        "Hvordan kan arbeidsgivere ansette flere innvandrere?",
    ]
    read = classify_units(units, _reading_questions(model))
    assert read["theme"].tolist() == ["housing", "employers"]
    assert read["text"].tolist() == ["Mer av det", "Mer av det"]  # rows and text unchanged
    alone = classify_units(units, model)
    assert alone["theme"].nunique() == 1


def _reading_questions(model: ThemeModel, weight: float = 3.0) -> ThemeModel:
    weights = {"reach": 2, "neighbour_weight": 0.0, "heading_weight": 0.0, "temperature": 1.0}
    context = {**weights, "question_weight": weight}
    return ThemeModel(model.classifier, {**model.card, "context": context})


def test_a_question_that_names_no_theme_leaves_its_answers_their_own(model: ThemeModel):
    # The "question" reads as `other` (it is one of the tiny model's own `other` texts); the
    # answer is housing. Only the question's themes count, so the answer stays housing.
    units = pd.DataFrame(
        {
            "doc": ["s.csv"] * 2,
            "kind": ["answer"] * 2,
            "section": ["Velkommen til konferansen", ""],
            "text": ["Flere kommunale boliger", "Flere kommunale boliger"],
        }
    )
    read = classify_units(units, _reading_questions(model, weight=1.0))
    assert read["theme"].tolist() == ["housing", "housing"]


def test_an_answer_without_a_question_is_not_read_with_the_one_before(model: ThemeModel):
    question = "Hvordan kan det bli lettere å finne en kommunal bolig?"
    units = pd.DataFrame(
        {
            "doc": ["s.csv"] * 3,
            "kind": ["answer"] * 3,
            "section": [question, question, ""],  # the last row's question cell is empty
            "text": ["Mer av det"] * 3,
        }
    )
    read = classify_units(units, _reading_questions(model))
    alone = classify_units(units.assign(section=""), model)
    assert read["theme"].iloc[0] == read["theme"].iloc[1] == "housing"
    assert read["confidence"].iloc[2] == alone["confidence"].iloc[2]  # as if alone


def test_a_table_column_named_like_a_unit_column_is_kept(tmp_path: Path):
    table = write_table(
        tmp_path / "svar.csv",
        [("svar", "section", "text", "kommune"), ("Flere boliger", "B", "notat", "Bodø")],
    )
    units = read_table_units(table, ["svar"])
    assert units[["table_section", "table_text", "kommune"]].iloc[0].tolist() == [
        "B",
        "notat",
        "Bodø",
    ]
    assert units["section"].tolist() == [""] and units["text"].tolist() == ["Flere boliger"]


def test_a_table_column_with_data_but_no_name_is_kept_by_its_letter(tmp_path: Path):
    """README: "other columns kept"; a column whose header cell was left empty was dropped
    (and with it the notes typed in it). An empty column without a name is not added."""
    table = write_table(
        tmp_path / "svar.csv",
        [("svar", "", "id", ""), ("Flere boliger", "notat A", "1", ""), ("Norsk", "", "2", "")],
    )
    units = read_table_units(table, ["svar"])
    assert list(units.columns[6:]) == ["column_B", "id"]
    assert units["column_B"].tolist() == ["notat A", ""]
    assert units["text"].tolist() == ["Flere boliger", "Norsk"]


def two_meetings(path: Path) -> Path:
    """A workbook of two meetings, a sheet each: the answers of the second are on its sheet."""
    from test_excel import workbook_of_sheets

    first = [["svar"], ["Flere kommunale boliger i sentrum"]]
    second = [["svar"], ["Arbeidsgivere må ansette flere"], ["Mer norskopplæring på jobben"]]
    return workbook_of_sheets(path, {"Bodø": ("visible", first), "Alta": ("visible", second)})


def test_a_table_named_outside_the_pipeline_is_read_from_the_sheet_asked_for(tmp_path: Path):
    """`tema classify FILE --sheet NAME`: no manifest to name the sheet in, so the warning
    about the sheet not read points to --sheet, which reads it."""
    path = two_meetings(tmp_path / "svar.xlsx")
    with pytest.warns(UserWarning) as caught:
        first = read_table_units(path, ["svar"])
    assert first["text"].tolist() == ["Flere kommunale boliger i sentrum"]
    [warning] = [str(warning.message) for warning in caught]
    assert "the sheet(s) 'Alta' also hold text" in warning
    assert warning.endswith("name the sheet to read with --sheet")
    assert "manifest" not in warning
    second = read_table_units(path, ["svar"], sheet="Alta")  # no warning: the user chose
    assert second["text"].tolist() == [
        "Arbeidsgivere må ansette flere",
        "Mer norskopplæring på jobben",
    ]
    assert second["row"].tolist() == [2, 3]
    with pytest.raises(
        InputError, match=r"svar\.xlsx: no sheet 'Tana'; the sheets are 'Bodø', 'Alta'"
    ):
        read_table_units(path, ["svar"], sheet="Tana")


def test_missing_text_column_lists_the_columns(tmp_path: Path):
    table = tmp_path / "svar.csv"
    table.write_text("id,answer\n1,Hei\n", encoding="utf-8")
    with pytest.raises(InputError, match="looked for 'svar'; the columns are 'id', 'answer'"):
        read_table_units(table, ["svar"])


def test_a_table_without_answers_is_refused_as_ingest_refuses_it(tmp_path: Path):
    table = write_table(tmp_path / "svar.csv", [("svar", "kommune"), ("", "Bodø")])
    with pytest.raises(InputError, match=r"svar\.csv: column 'svar' has no answers"):
        read_table_units(table, ["svar"])


def test_classify_keeps_unit_columns(model: ThemeModel):
    units = pd.DataFrame(
        {
            "doc": ["a.txt"] * 2,
            "unit": [0, 1],
            "kind": ["heading", "bullet"],
            "text": ["Bolig", "Startlån til flere"],
        }
    )
    classified = classify_units(units, model)
    assert list(classified.columns[:4]) == ["doc", "unit", "kind", "text"]
    assert {"theme", "confidence", "second_theme", "uncertain"} <= set(classified.columns)


def _reading_context(model: ThemeModel) -> ThemeModel:
    context = {"reach": 2, "neighbour_weight": 1.5, "heading_weight": 0.5, "temperature": 0.5}
    return ThemeModel(model.classifier, {**model.card, "context": context})


def test_a_unit_without_a_theme_of_its_own_is_read_with_its_neighbours(model: ThemeModel):
    # "Det tar ofte over ett år." names no theme; between two housing sentences, the card's
    # context weights make it housing. Without them it is whatever its own words suggest.
    units = pd.DataFrame(
        {
            "doc": ["notat.txt"] * 4,
            "unit": [0, 1, 2, 3],
            "kind": ["heading", "sentence", "sentence", "sentence"],
            "text": [
                "Bolig",
                "Flere kommunale boliger til flyktninger",
                "Det tar ofte over ett år.",
                "Startlån og bostøtte til flere familier",
            ],
        }
    )
    with_context = _reading_context(model)
    assert classify_units(units, with_context).loc[2, "theme"] == "housing"
    alone = model.predict(["Det tar ofte over ett år."])
    assert classify_units(units, model).loc[2, "theme"] == alone.loc[0, "theme"]
    # A table of answers has no reading order: each answer keeps its own theme.
    answers = units.drop(columns=["doc", "kind"])
    assert classify_units(answers, with_context).loc[2, "theme"] == alone.loc[0, "theme"]


def test_the_least_confident_units_of_a_batch_are_flagged_until_the_rest_is_sure(
    model: ThemeModel,
):
    known = [text for texts in TINY_LABELED.values() for text in texts][:12]
    texts = [*known, "Vi snakket om mye forskjellig", "Det var en fin dag", "Takk for sist"]
    units = pd.DataFrame({"doc": "svar.csv", "unit": range(len(texts)), "text": texts})
    strict = ThemeModel(
        model.classifier, {**model.card, "flagging": {"until_accuracy": 0.99, "max_share": 0.2}}
    )
    flagged = classify_units(units, strict)
    # At most 20 % (rounded up) are set aside, and they are the least confident ones.
    assert flagged["uncertain"].sum() == 3
    assert flagged.loc[flagged["uncertain"], "confidence"].max() <= (
        flagged.loc[~flagged["uncertain"], "confidence"].min()
    )
    assert classify_units(units, model)["uncertain"].sum() < 3


def test_headings_neither_take_flags_nor_count_in_the_batch(model: ThemeModel):
    texts = ["Bolig", "Takk for sist", "Det var en fin dag", "Flere kommunale boliger"]
    units = pd.DataFrame(
        {
            "doc": "notat.txt",
            "unit": range(4),
            "kind": ["heading", *["sentence"] * 3],
            "text": texts,
        }
    )
    card = {
        "uncertainty_threshold": 0.0,
        "second_theme_threshold": 0.3,
        "flagging": {"until_accuracy": 0.999, "max_share": 0.3},
    }
    flagged = classify_units(units, ThemeModel(model.classifier, card))
    # The target cannot be reached, so the cap decides: 30 % of the three sentences,
    # rounded up, is one sentence (the least confident); the heading is not in the batch.
    sentences = flagged.iloc[1:]
    assert not flagged.loc[0, "uncertain"]
    assert sentences["uncertain"].sum() == 1
    assert (
        sentences.loc[sentences["uncertain"], "confidence"].iloc[0] == sentences["confidence"].min()
    )


def _notes(docs: list[str]) -> pd.DataFrame:
    texts = ["Bolig", "Flere kommunale boliger", "Det tar ofte over ett år.", "Startlån"]
    return pd.DataFrame(
        {
            "doc": docs,
            "unit": range(len(docs)),
            "kind": ["sentence"] * len(docs),
            "text": [texts[index % len(texts)] for index in range(len(docs))],
        }
    )


@pytest.mark.parametrize(
    ("docs", "chunk_rows", "expected"),
    [
        # the last document of a chunk waits for the rest of it in the next chunk
        (["a", "a", "b", "b", "b", "c"], 3, [["a", "a"], ["b", "b", "b"], ["c"]]),
        # a chunk that is all one document goes on whole: the document is cut there
        (["a", "a", "a", "a", "b"], 2, [["a", "a"], ["a", "a"], ["b"]]),
        # borders that fall between documents change nothing
        (["a", "a", "b", "b"], 2, [["a", "a"], ["b", "b"]]),
        (["a"], 5, [["a"]]),
    ],
)
def test_chunks_are_cut_at_document_borders(docs, chunk_rows, expected):
    units = _notes(docs)
    chunks = [units.iloc[start : start + chunk_rows] for start in range(0, len(units), chunk_rows)]
    whole = list(whole_documents(chunks))
    assert [chunk["doc"].tolist() for chunk in whole] == expected
    assert pd.concat(whole).equals(units)


def test_a_table_without_documents_keeps_its_chunks():
    answers = _notes(["a"] * 4).drop(columns=["doc"])
    chunks = [answers.iloc[:3], answers.iloc[3:]]
    assert [len(chunk) for chunk in whole_documents(chunks)] == [3, 1]


def test_a_unit_at_a_chunk_border_is_read_with_its_neighbours(model: ThemeModel):
    with_context = _reading_context(model)
    units = _notes(["a"] * 3 + ["b"] * 5 + ["c"] * 2)
    chunks = [units.iloc[start : start + 4] for start in range(0, len(units), 4)]
    in_chunks = pd.concat(classify_units(chunk, with_context) for chunk in whole_documents(chunks))
    assert in_chunks.equals(classify_units(units, with_context))


def test_a_units_file_of_tema_segment_is_read_as_its_units(tmp_path: Path):
    """`tema classify OUT/units.csv -o …` (the batch outside the pipeline that README
    describes): the units keep their kind and section, so headings are not read as
    survey answers (and counted as input) and sentences are read with their neighbours.
    Before, the file was taken for a survey table with a column `text`."""
    from tema.classify.inputs import units_from_files
    from tema.config import load_config

    units = tmp_path / "units.csv"
    units.write_text(
        "doc,unit,start,end,kind,section,text,repeat_of\n"
        "notat.txt,0,0,5,heading,Bolig,Bolig,\n"
        "notat.txt,1,7,40,sentence,Bolig,Det er for få utleieboliger.,\n",
        encoding="utf-8",
    )
    read = units_from_files(load_config(), [units])
    assert read["doc"].tolist() == ["notat.txt", "notat.txt"]
    assert read["kind"].tolist() == ["heading", "sentence"]
    assert read["section"].tolist() == ["Bolig", "Bolig"]
    assert read["start"].tolist() == [0, 7]


def test_a_units_file_without_a_text_column_is_refused_with_its_header_line(tmp_path: Path):
    """A units CSV whose `text` column was renamed (opened and saved by hand) stopped
    `tema classify` with a Python traceback (KeyError: 'text')."""
    from tema.classify.stage import read_units_chunks

    units = tmp_path / "units.csv"
    units.write_text("doc,unit,kind,tekst\nnotat.txt,0,sentence,Flere boliger.\n", "utf-8")
    with pytest.raises(InputError, match=r"units\.csv, line 1: no column 'text'"):
        list(read_units_chunks(units))
