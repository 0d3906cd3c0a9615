"""The app's rows of skipped.csv for files refused when they came in (tema.serve.left_out)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tema.errors import UnreadableFile
from tema.ingest import readers
from tema.report.model_text import skip_reason
from tema.serve.left_out import refused_skip


def _ingest_reason(tmp_path: Path, name: str) -> str:
    path = tmp_path / name
    path.write_bytes(b"MZ")
    with pytest.raises(UnreadableFile) as error:
        readers.read_source(path)
    return error.value.reason


def test_a_file_of_a_type_not_read_is_refused_by_the_app_as_ingest_refuses_it(tmp_path):
    """program.exe refused at upload gets the reason `tema ingest` gives it, word for word
    (the list of types it reads included), so the report says the same of both."""
    refused = refused_skip({"file": "program.exe", "reason": "bad_type"})
    assert refused["reason"] == _ingest_reason(tmp_path, "program.exe")
    assert refused["code"] == "unknown_type"


def test_a_type_added_to_what_ingest_reads_is_named_by_the_app_and_the_report(
    monkeypatch, tmp_path
):
    """The types a user is told tema reads come from ingest's own list: a type added there
    is named in ingest's reason, in the app's refusal and in the report's words, nb and en."""
    monkeypatch.setattr(readers, "READ_TYPES", (*readers.READ_TYPES, ".odt"))
    ending = ".pdf, .docx, .csv, .tsv, .xlsx {} .odt"
    assert _ingest_reason(tmp_path, "program.exe").endswith(ending.format("and"))
    refused = refused_skip({"file": "program.exe", "reason": "bad_type"})
    assert refused["reason"].endswith(ending.format("and"))
    for code in ("unknown_type", "no_type"):
        row = {**refused, "code": code}
        assert skip_reason(row, "nb").endswith(ending.format("og"))
        assert skip_reason(row, "en").endswith(ending.format("and"))


def test_the_app_takes_in_the_types_ingest_reads_and_checks_each_ones_content():
    """An upload of a type ingest reads is taken in and its content checked; no other."""
    from tema.serve.security import ACCEPTED_TYPES, TEXT_TYPES, ZIP_TYPES

    assert ACCEPTED_TYPES == readers.SUFFIXES
    assert TEXT_TYPES | set(ZIP_TYPES) | {".pdf"} == readers.SUFFIXES
