"""tema.report.model_text: what the reports say about the model and skipped files."""

from __future__ import annotations


def test_a_skip_reason_code_wins_over_the_text():
    from tema.report.model_text import skip_reason

    assert skip_reason({"reason": "whatever", "code": "empty"}, "nb") == "filen er tom"
    assert skip_reason({"reason": "disk on fire"}, "nb") == "filen kunne ikke leses (disk on fire)"
