"""tema.serve.tasks: what a batch's job leaves for its report (the upload goes through the
app's route; the run is written as its job leaves it, or run without segmenting,
classifying and reporting)."""

from __future__ import annotations

import html
import io
import re
import zipfile
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from serve_helpers import fake_done_batch, make_project
from tema.io.files import write_csv
from tema.serve.app import create_app
from tema.serve.state import ServeSettings
from tema.serve.tasks import skipped_frame


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(make_project(tmp_path / "project", tmp_path / "lexicon"))
    settings = ServeSettings(
        data_dir=Path("data/serve"), allowed_hosts=("testserver",), run_jobs=False
    )
    return create_app(settings)


def _token(browser: TestClient) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', browser.get("/").text)
    assert found is not None
    return found.group(1)


def _not_office() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "not an office file")
    return buffer.getvalue()


REFUSED_UPLOADS = [
    ("Rapport «mars».pdf", b"Dette er ikke en PDF."),
    ("Notat.docx", _not_office()),
    ("Svar.xlsx", _not_office()),
    ("Svar.csv", b"\x00\x01\x02\x03" * 100),
    ("program.exe", b"MZ"),
]


def test_files_refused_at_upload_are_listed_in_the_report_as_not_counted(app):
    """A civil servant who uploads a file that is not what its name says sees it refused
    on the form; the report of the batch (report.html, report.xlsx and the report page,
    all read from the run's skipped.csv) then names it among the files not counted, by
    the name it was sent under and in the report's language, not silently leaves it out."""
    browser = TestClient(app, follow_redirects=True)
    parts = [("files", (name, data, "application/octet-stream")) for name, data in REFUSED_UPLOADS]
    parts.append(("files", ("ok.txt", b"Flere kommunale boliger.", "text/plain")))
    browser.post("/batches/upload", data={"csrf_token": _token(browser), "name": "B"}, files=parts)
    state = app.state.serve
    (uploaded,) = [b for b in state.batches.all() if not b.read_only]
    assert len(uploaded.refused) == len(REFUSED_UPLOADS)
    batch = fake_done_batch(state, 40, n_docs=4)  # its run, as its job leaves it
    files = state.batches.files_of(batch)
    rejected = [{"file": "dokument-003.txt", "reason": "is empty"}]
    write_csv(skipped_frame(uploaded.refused, rejected, files.raw_dir), files.skipped)
    page = html.unescape(browser.get(f"/batches/{batch.id}/report").text)
    for line in (
        "Rapport «mars».pdf: filen er ikke en lesbar PDF",
        "Notat.docx: filen er ikke en lesbar Word-fil (.docx)",
        "Svar.xlsx: filen er ikke en lesbar Excel-fil (.xlsx)",
        "Svar.csv: filen er ikke tekst (en binærfil)",
        "program.exe: ukjent filtype «.exe»; tema leser .txt, .md, .pdf, .docx, .csv, .tsv og",
        "dokument-003.txt: filen er tom",
    ):
        assert f"<li>{line}" in page, line
    browser.post("/language", data={"csrf_token": _token(browser), "lang": "en"})
    english = html.unescape(browser.get(f"/batches/{batch.id}/report").text)
    assert "<li>Svar.xlsx: the file is not a readable Excel (.xlsx) file</li>" in english
    assert "<li>program.exe: unknown file type '.exe'; tema reads" in english


def _upload_and_run(app, monkeypatch, files: list[tuple[str, bytes, str]]):
    """The app's state and the batch of `files` (name, content, type) uploaded and run,
    as it is after its run: checking and ingest run; segmenting, classifying and
    reporting are left out (no model needed)."""
    from tema.serve import pipeline, tasks

    browser = TestClient(app, follow_redirects=True)
    parts = [("files", file) for file in files]
    browser.post("/batches/upload", data={"csrf_token": _token(browser), "name": "B"}, files=parts)
    state = app.state.serve
    (batch,) = [b for b in state.batches.all() if not b.read_only]
    monkeypatch.setattr(pipeline, "segment", lambda config, progress: 0)
    monkeypatch.setattr(tasks, "_classify_and_report", lambda ctx, batch, files: {})
    job = state.jobs.submit("batch", batch.id, language="nb")
    tasks.run_batch(tasks.Context(state.config, state.settings.data_dir, job))
    return state, state.batches.load(batch.id)


def test_a_batch_run_lists_the_files_refused_at_upload_in_its_skipped_csv(app, monkeypatch):
    """The run itself (not only `skipped_frame`) writes the files refused when they came in
    to skipped.csv, which its report reads: by the name they were sent under, with why.
    Segmenting, classifying and reporting are left out here (no model needed); checking
    and ingest run."""
    from tema.serve.left_out import read_left_out

    state, batch = _upload_and_run(
        app,
        monkeypatch,
        [
            ("program.exe", b"MZ", "application/octet-stream"),
            ("Rapport «mars».pdf", b"Dette er ikke en PDF.", "application/pdf"),
            ("ok.txt", b"Flere kommunale boliger.", "text/plain"),
        ],
    )
    skipped = read_left_out(state.batches.files_of(batch)).skipped
    assert [(row["file"], row["code"]) for row in skipped] == [
        ("program.exe", "unknown_type"),
        ("Rapport «mars».pdf", "bad_pdf"),
    ]


def test_a_file_refused_at_upload_is_named_as_sent_not_as_another_file_saved_under_it(
    app, monkeypatch
):
    """Two files sent as "Notat.txt" are kept as "Notat.txt" and "Notat-2.txt"; an empty
    file sent as "Notat-2.txt" is refused. The report page's list of files left out names the empty
    one "Notat-2.txt", not "Notat.txt (lagret som Notat-2.txt)": the second Notat.txt
    is not empty. (The report's list is made by the same `shown_left_out`.)"""
    from tema.serve.left_out import left_out_lists, read_left_out

    state, batch = _upload_and_run(
        app,
        monkeypatch,
        [
            ("Notat.txt", b"Flere kommunale boliger.", "text/plain"),
            ("Notat.txt", b"Bedre veier i Bodo.", "text/plain"),
            ("Notat-2.txt", b"", "text/plain"),
        ],
    )
    assert [item.name for item in batch.files] == ["Notat.txt", "Notat-2.txt"]
    left = read_left_out(state.batches.files_of(batch))
    ((_, lines),) = left_out_lists(left, batch.shown_names("nb"), "nb", ["skipped"])
    assert lines == ["Notat-2.txt: filen er tom"]
