"""A scratch project for the browser app's tests: the tiny labelled set, the fast path."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import yaml

from conftest import tiny_rows, write_labeled_csv

REPO = Path(__file__).resolve().parent.parent


def start_serve(
    project: Path, stderr: int = subprocess.STDOUT, options: tuple[str, ...] = ()
) -> tuple[subprocess.Popen[str], str]:
    """`tema serve --port 0` (and `options`) in `project`, in a session of its own (stop it
    with ``os.killpg``); returns the process and the base URL it printed ("http://…/").
    The caller reads or drains the rest of its output."""
    tema = Path(sys.executable).parent / "tema"
    process = subprocess.Popen(
        [str(tema), "serve", "--port", "0", *options],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=stderr,
        text=True,
        start_new_session=True,
    )
    assert process.stdout is not None
    first = process.stdout.readline()
    found = re.search(r"(http://127\.0\.0\.1:\d+/)", first)
    if not found:
        rest = process.stdout.read() if process.poll() is not None else ""
        raise RuntimeError(f"tema serve did not start: {first}{rest}")
    return process, found.group(1)


def make_project(root: Path, lexicon_cache: Path) -> Path:
    """A project folder: params.yaml (fast TF-IDF path, one process per stage), the tiny
    labelled set in data/labeled/, and the shipped sentence model by its absolute path."""
    params = yaml.safe_load((REPO / "params.yaml").read_text(encoding="utf-8"))
    params["segment"]["spacy_model"] = str(REPO / "models" / "nb_senter")
    params["segment"]["lexicon_cache"] = str(lexicon_cache)
    params["segment"]["jobs"] = 1
    params["classify"]["jobs"] = 1
    train = params["train"]
    train.update(jobs=1, cv_folds=3)
    train["classifier"].update(embeddings="none", embedding_cache="", calibration_folds=2)
    train.pop("context", None)  # the tiny set has no document rounds to fit it on
    params["promote"]["resamples"] = 200
    params["labels"]["suggest_n"] = 40
    root.mkdir(parents=True, exist_ok=True)
    (root / "params.yaml").write_text(yaml.safe_dump(params, allow_unicode=True), encoding="utf-8")
    labeled = root / "data" / "labeled"
    labeled.mkdir(parents=True, exist_ok=True)
    write_labeled_csv(labeled / "tiny.csv", tiny_rows())
    return root


def minimal_pdf(text: str) -> bytes:
    """A one-page PDF with a text layer (reportlab)."""
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    for number, line in enumerate(text.splitlines()):
        page.drawString(72, 760 - 16 * number, line)
    page.save()
    return buffer.getvalue()


def minimal_docx(paragraphs: list[str]) -> bytes:
    import docx

    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def minimal_xlsx(rows: list[list[str]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def fake_zip(name: str) -> bytes:
    """A zip that is neither a Word nor an Excel file."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(name, "not an office file")
    return buffer.getvalue()


THEME_WORDS = {
    "education": "norskopplæringen og voksenopplæringen",
    "employers": "arbeidsgivere som ansetter",
    "discrimination": "fordommer og diskriminering",
    "housing": "kommunale boliger og bostøtte",
    "voluntary": "frivillige lag og foreninger",
    "other": "programmet for dagen",
}


def fake_done_batch(
    app_state, n_units: int, name: str = "Fake", n_docs: int = 20, kind: str = "sentence"
):
    """A batch as its job leaves it (the run's units, report tables and review order),
    written directly: for route tests and the benchmark, without running the pipeline.
    `kind`: every unit's kind (``answer``: survey answers, whose section is a question)."""
    import numpy as np
    import pandas as pd

    from tema.report.tally import theme_counts
    from tema.report.units import UNIT_COLUMNS
    from tema.segment.units import FRAME_COLUMNS
    from tema.serve.batches import BatchFile

    themes = app_state.config.theme_ids
    rng = np.random.default_rng(7)
    batch = app_state.batches.create(name, "upload")
    batch.files = [
        BatchFile(f"dokument-{d:03d}.txt", f"Møte {d % 7}", f"Region {d % 3}", "2025-03-01")
        for d in range(n_docs)
    ]
    files = app_state.batches.files_of(batch, "run-1")
    files.report_dir.mkdir(parents=True)
    rows, segments = [], []
    per_doc = max(1, n_units // n_docs)
    for i in range(n_units):
        doc, unit = f"dokument-{i // per_doc % n_docs:03d}.txt", i
        theme = themes[int(rng.integers(len(themes)))]
        text = f"Innspill {i}: vi trenger mer innsats for {THEME_WORDS[theme]} i kommune {i % 97}."
        confidence = float(rng.uniform(0.2, 0.99))
        section = f"Del {i // 10}"
        segments.append((doc, unit, 0, len(text), kind, section, text, ""))
        rows.append({
            "doc": doc, "meeting": f"Møte {i % 7}", "region": f"Region {i % 3}",
            "date": "2025-03-01", "page": "", "row": "", "unit": unit, "start": 0,
            "end": len(text), "kind": kind, "section": section, "text": text,
            "theme": theme, "confidence": round(confidence, 4), "second_theme": "",
            "uncertain": confidence < 0.5, "metadata": "",
        })  # fmt: skip
    units = pd.DataFrame(rows, columns=list(UNIT_COLUMNS))
    units.to_csv(files.report_dir / "units.csv", index=False)
    pd.DataFrame(segments, columns=list(FRAME_COLUMNS)).to_csv(files.units, index=False)
    theme_counts(units, themes).to_csv(files.report_dir / "theme_counts.csv", index=False)
    for name_ in ("report.html", "report.xlsx"):
        (files.report_dir / name_).write_bytes(b"fake")
    queue = units.nsmallest(min(200, n_units), "confidence")
    pd.DataFrame(
        {
            "doc": queue["doc"], "unit": queue["unit"], "text": queue["text"],
            "model_theme": queue["theme"], "model_confidence": queue["confidence"],
            "uncertainty": 1 - queue["confidence"],
        }
    ).to_csv(files.suggestions, index=False)  # fmt: skip
    batch.run, batch.state = "run-1", "done"
    batch.summary = {
        "documents": n_docs,
        "units": n_units,
        "uncertain": int(units["uncertain"].sum()),
    }
    app_state.batches.save(batch)
    return batch
