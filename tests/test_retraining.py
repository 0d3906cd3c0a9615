"""End to end: suggest → a simulated annotator → import → retrain → the gate.

A weak model (the tiny labelled set) meets a pool of unlabelled units whose true
themes only the simulated annotator knows. Labelling the suggested units must give a
model that is promoted and scores better on a held-out file; a poisoned label file
(the right texts with wrong themes) must be caught by the gate and kept aside.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
import yaml
from openpyxl import Workbook
from threadpoolctl import threadpool_limits
from typer.testing import CliRunner

from conftest import THEMES, tiny_rows, write_labeled_csv
from tema.classify.persist import load_model
from tema.cli.main import app
from tema.labels.store import find_near_duplicates
from tema.train.comparisons import compare_on_units

REPO = Path(__file__).resolve().parent.parent
runner = CliRunner()

KEYWORDS = {
    "education": [
        "norskkurset",
        "voksenopplæringen",
        "fagbrevet",
        "lærlingplassene",
        "introduksjonsprogrammet",
        "leksehjelpen på skolen",
        "studiestøtten",
        "godkjenningen av vitnemål",
        "karriereveiledningen",
        "yrkesfagene",
        "språkopplæringen",
        "kompetansekartleggingen",
    ],
    "employers": [
        "arbeidsgiverne",
        "praksisplassene",
        "lønnstilskuddet",
        "bedriftene",
        "rekrutteringen",
        "ansettelsene",
        "mentorordningen på jobben",
        "næringslivet",
        "arbeidsplassene",
        "lederne i bedriften",
        "bemanningsbyråene",
        "jobbintervjuene",
    ],
    "discrimination": [
        "rasismen",
        "fordommene",
        "diskrimineringen",
        "hetsen på nett",
        "stereotypiene",
        "forskjellsbehandlingen",
        "holdningene til muslimer",
        "hatpraten",
        "mistenkeliggjøringen",
        "trakasseringen",
        "utestengingen",
        "stigmaet",
    ],
    "housing": [
        "boligmarkedet",
        "startlånet",
        "bostøtten",
        "husleiene",
        "de kommunale boligene",
        "bosettingen",
        "leilighetene",
        "boligkøen",
        "utleierne",
        "trangboddheten",
        "boligstandarden",
        "områdesatsingen",
    ],
    "voluntary": [
        "frivilligsentralen",
        "idrettslaget",
        "foreningslivet",
        "dugnadene",
        "språkkafeen",
        "Røde Kors-gruppen",
        "skolekorpset",
        "speidergruppa",
        "de frivillige organisasjonene",
        "turlaget",
        "innvandrerforeningene",
        "menighetens ungdomsklubb",
    ],
    "other": [
        "kaffepausen",
        "dagsprogrammet",
        "lunsjen",
        "innlederen",
        "møtelederen",
        "pausene",
        "statistikken",
        "tolketjenesten",
        "helsetilbudet",
        "åpningstalen",
        "oppsummeringen",
        "neste møtedato",
    ],
}
POOL_TEMPLATES = [
    "{w} var et viktig tema i {place}",
    "Mange i {place} snakket om {w}",
    "Deltakerne ba om at {w} blir bedre",
    "I {place} fungerer {w} dårlig",
]
HOLDOUT_TEMPLATES = [
    "Flere mente {w} burde få mer oppmerksomhet",
    "Gruppa fra {place} var opptatt av {w}",
]
PLACES = ["Bodø", "Tromsø", "Drammen", "Skien", "Gjøvik", "Molde", "Arendal", "Hamar"]
MEETINGS = ["bodo.txt", "tromso.txt", "drammen.txt", "skien.txt"]


def sentences(templates: list[str], per_keyword: int, offset: int) -> list[tuple[str, str]]:
    rows = []
    for theme, words in KEYWORDS.items():
        for k, word in enumerate(words):
            for j in range(per_keyword):
                template = templates[(k + j + offset) % len(templates)]
                text = template.format(w=word, place=PLACES[(k * 3 + j + offset) % len(PLACES)])
                rows.append((text[0].upper() + text[1:], theme))
    return rows


POOL = sentences(POOL_TEMPLATES, 2, 0)  # 144 units: 24 per theme
HOLDOUT = sentences(HOLDOUT_TEMPLATES, 1, 1)  # 72 units: 12 per theme
TRUTH = dict(POOL)
ROTATE = dict(zip(THEMES, THEMES[1:] + THEMES[:1], strict=True))


def test_fixture_texts_are_not_near_copies():
    texts = [text for text, _ in POOL + HOLDOUT] + [row["text"] for row in tiny_rows()]
    assert len(set(texts)) == len(texts)
    assert find_near_duplicates(texts) == (None, None)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    params = yaml.safe_load((REPO / "params.yaml").read_text(encoding="utf-8"))
    params["train"].update(cv_folds=3, jobs=1)
    params["train"]["classifier"].update(calibration_folds=2, embeddings="none")
    # The gate scores both models on a fixed held-out file: 54 tiny CV units are too
    # few for a per-theme comparison (one unit moves a theme's F1 by ~0.1).
    params["promote"].update(resamples=200, holdout="holdout.csv")
    (tmp_path / "params.yaml").write_text(yaml.safe_dump(params, allow_unicode=True), "utf-8")
    labeled = tmp_path / "data" / "labeled"
    labeled.mkdir(parents=True)
    write_labeled_csv(labeled / "tiny.csv", tiny_rows())
    write_labeled_csv(
        tmp_path / "holdout.csv",
        [
            {"id": f"h{n}", "text": t, "label": label, "batch": "h", "annotator": "test"}
            for n, (t, label) in enumerate(HOLDOUT)
        ],
    )
    monkeypatch.chdir(tmp_path)
    # One BLAS thread: on a busy machine, threaded L-BFGS on these small problems is
    # ten times slower than one thread.
    with threadpool_limits(limits=1):
        yield tmp_path


def invoke(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def classify_pool(project: Path) -> None:
    """What the classify stage would write for the pool's units (4 meetings)."""
    units = pd.DataFrame(
        {
            "doc": [MEETINGS[n % len(MEETINGS)] for n in range(len(POOL))],
            "unit": range(len(POOL)),
            "kind": "sentence",
            "text": [text for text, _ in POOL],
        }
    )
    predictions = load_model("models/theme_classifier.skops").predict(units["text"].tolist())
    path = project / "data" / "processed" / "classified.csv"
    path.parent.mkdir(parents=True)
    pd.concat([units, predictions], axis=1).to_csv(path, index=False)


def annotate(rows: list[tuple[str, str]], path: Path) -> Path:
    """The simulated annotator's workbook: only text and label."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["text", "label"])
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)
    return path


def holdout_macro_f1(model_path: str) -> float:
    labels = [label for _, label in HOLDOUT]
    predicted = load_model(model_path).predict([text for text, _ in HOLDOUT])["theme"]
    return compare_on_units(labels, predicted, predicted, THEMES, "", "", resamples=1).macro[
        "current"
    ]


def promotion() -> dict:
    return json.loads(Path("metrics/promotion.json").read_text(encoding="utf-8"))


def test_suggest_label_import_retrain_promote_and_catch_poison(project: Path):
    invoke("train")
    assert promotion()["status"] == "first model"
    shutil.copytree("models", "old_models")
    classify_pool(project)

    output = invoke("suggest", "-n", "72", "-o", "round/suggestions.csv")
    assert output.startswith("72 innspill å merke → round/suggestions.csv, ")  # params: nb
    assert "sjekk hver rad" in output
    suggested = pd.read_csv("round/suggestions.csv", keep_default_na=False)
    assert len(suggested) == 72 and suggested["text"].is_unique
    assert Path("round/suggestions.xlsx").is_file()
    assert len(json.loads(Path("round/suggestions.labelstudio.json").read_text("utf-8"))) == 72
    # Spread: every meeting and every guessed theme is represented.
    assert suggested["meeting"].nunique() == len(MEETINGS)
    assert suggested["model_theme"].nunique() >= 4
    # Suggesting again into the same round's files is refused: an annotator may be
    # filling them in. --overwrite replaces them.
    before = Path("round/suggestions.xlsx").read_bytes()
    again = runner.invoke(app, ["suggest", "-n", "5", "-o", "round/suggestions.csv"])
    assert again.exit_code == 1 and "suggestions.csv: already exists" in again.output
    assert Path("round/suggestions.xlsx").read_bytes() == before
    output = invoke(
        "--language", "en", "suggest", "-n", "5", "-o", "round/suggestions.csv", "--overwrite"
    )
    assert output.startswith("5 units to label → round/suggestions.csv, ")
    assert "check every row" in output
    assert len(pd.read_csv("round/suggestions.csv")) == 5

    truth = [(text, TRUTH[text]) for text in suggested["text"]]
    invoke("labels", "import", str(annotate(truth, project / "kari.xlsx")), "--annotator", "kari")
    output = invoke("train")
    assert promotion()["status"] == "promoted", output
    assert promotion()["basis"] == "holdout"
    assert promotion()["new_labels"]["suspect"] == 0
    old, new = (
        holdout_macro_f1("old_models/theme_classifier.skops"),
        holdout_macro_f1("models/theme_classifier.skops"),
    )
    assert new > old + 0.05, (old, new)

    compared = invoke(
        "compare-models",
        "old_models/theme_classifier.card.json",
        "models/theme_classifier.card.json",
    )
    assert "makro-F1" in compared and "sine egne merkede innspill" in compared
    assert "Holdninger og diskriminering" in compared  # themes by name, not id
    compared = invoke(
        "compare-models",
        "old_models/theme_classifier.skops",
        "models/theme_classifier.skops",
        "--on",
        "holdout.csv",
    )
    assert "72 innspill i holdout.csv" in compared

    # A poisoned file: the rest of the pool, every theme shifted to the next one.
    model_bytes = Path("models/theme_classifier.skops").read_bytes()
    done = set(suggested["text"])
    poison = [(text, ROTATE[label]) for text, label in POOL if text not in done]
    invoke("labels", "import", str(annotate(poison, project / "bad.xlsx")), "--annotator", "x")
    result = runner.invoke(app, ["train"])
    assert result.exit_code == 0, result.output  # dvc repro must not fail
    assert "IKKE TATT I BRUK" in result.output
    assert "F1 for" in result.output and "faller med" in result.output
    assert promotion()["status"] == "rejected" and promotion()["promoted"] == 0
    assert promotion()["new_labels"]["suspect"] == 1  # caught by both checks
    assert any("drops by" in reason for reason in promotion()["reasons"])
    assert Path("models/theme_classifier.skops").read_bytes() == model_bytes
    assert Path("models/candidate/theme_classifier.skops").is_file()
    assert Path("models/candidate/cv_predictions.csv").is_file()
    load_model("models/candidate/theme_classifier.skops")  # a valid model, kept aside

    # The audit of the candidate's cross-validation points at the poisoned units.
    invoke("labels", "audit", "--cv-predictions", "models/candidate/cv_predictions.csv")
    flagged = pd.read_csv("data/label_review/audit.csv", keep_default_na=False)
    poisoned = {text for text, _ in poison}
    top = flagged.head(20)
    assert top["text"].isin(poisoned).mean() >= 0.8

    # The explicit override promotes it anyway.
    invoke("train", "--force")
    assert promotion()["status"] == "forced"
    assert not Path("models/candidate").exists()
