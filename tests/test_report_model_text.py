"""tema.report.model_text: what the reports say about the model and skipped files."""

from __future__ import annotations

from pathlib import Path

import pytest

from tema.errors import UnreadableFile
from tema.io.files import OLE2_SIGNATURE


def test_a_skip_reason_code_wins_over_the_text():
    from tema.report.model_text import skip_reason

    assert skip_reason({"reason": "whatever", "code": "empty"}, "nb") == "filen er tom"
    assert skip_reason({"reason": "disk on fire"}, "nb") == "filen kunne ikke leses (disk on fire)"


@pytest.mark.parametrize("content", [OLE2_SIGNATURE, b"<html>"])
def test_an_old_office_file_is_named_in_the_report_with_what_to_save_it_as(
    tmp_path: Path, content: bytes
):
    from tema.ingest.readers import read_source
    from tema.report.model_text import skip_reason

    path = tmp_path / "gammel.doc"
    path.write_bytes(content)
    with pytest.raises(UnreadableFile) as error:
        read_source(path)
    assert skip_reason({"reason": error.value.reason}, "nb") == (
        "filen er en gammel Office-fil eller passordbeskyttet: åpne den, fjern et "
        "eventuelt passord og lagre den som .docx"
    )


def test_the_report_says_answers_are_read_with_their_question_only_when_they_are():
    from tema.numbers import Style
    from tema.report.model_text import describe_model

    context = {"reach": 2, "neighbour_weight": 0.75, "heading_weight": 0.1, "temperature": 0.5}
    reads = {"context": {**context, "question_weight": 1.5, "question_temperature": 0.7}}
    ignores = {"context": {**context, "question_weight": 0.0}}
    older = {"context": context}  # a card from before questions were read
    sentence = "Et svar i en spørreundersøkelse leses sammen med spørsmålet det svarer på"
    assert any(line.startswith(sentence) for line in describe_model(reads, Style("nb")))
    for card in (ignores, older):
        assert not any(line.startswith(sentence) for line in describe_model(card, Style("nb")))
    english = describe_model(reads, Style("en"))
    assert any(line.startswith("A survey answer is read together with") for line in english)
