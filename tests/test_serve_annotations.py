"""tema.serve.annotations: the annotation log the review page writes."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

from tema.serve.annotations import AnnotationLog

KEY = ("batch-1", "notat.txt", 4)


def test_saving_the_same_decision_twice_writes_nothing(tmp_path: Path):
    log = AnnotationLog(tmp_path)
    first = log.record("kari", "label", KEY, "Boliger i Bodø", "housing", "employers")
    assert first is not None
    assert log.record("kari", "label", KEY, "Boliger i Bodø", "housing", "employers") is None
    assert len(log.path.read_text(encoding="utf-8").splitlines()) == 1
    changed = log.record("kari", "label", KEY, "Boliger i Bodø", "housing")  # no second theme
    assert changed is not None and log.decision("kari", KEY) == changed


def test_undo_goes_back_one_decision_at_a_time(tmp_path: Path):
    log = AnnotationLog(tmp_path)
    log.record("kari", "label", KEY, "t", "housing")
    log.record("kari", "label", KEY, "t", "education")  # changed her mind
    other = ("batch-1", "notat.txt", 5)
    log.record("kari", "skip", other)
    undone, why = log.undo("kari", "batch-1")
    assert why == "" and undone is not None and undone.action == "skip"
    assert log.decision("kari", other) is None
    log.undo("kari", "batch-1")
    assert log.decision("kari", KEY).label == "housing"  # the earlier decision is back
    log.undo("kari", "batch-1")
    assert log.decision("kari", KEY) is None
    assert log.undo("kari", "batch-1") == (None, "nothing")
    assert log.undo("kari", "another-batch") == (None, "nothing")


def test_imported_labels_are_not_pending_and_cannot_be_undone(tmp_path: Path):
    log = AnnotationLog(tmp_path)
    decision = log.record("kari", "label", KEY, "t", "housing")
    assert [d.id for d in log.pending()["kari"]] == [decision.id]
    log.mark_imported([decision.id], {"annotator": "kari", "added": 1})
    assert log.pending() == {}
    assert log.undo("kari", "batch-1") == (None, "imported")
    assert log.decision("kari", KEY) == decision


def test_a_decision_from_a_page_shown_before_a_label_does_not_replace_it(tmp_path: Path):
    log = AnnotationLog(tmp_path)
    # Two tabs showed the unit undecided (seen ""); the first labels it.
    outcome, label = log.decide("kari", "label", KEY, "", "t", "housing")
    assert outcome == "saved" and label is not None
    assert log.decide("kari", "skip", KEY, "") == ("stale", label)
    assert log.decide("kari", "label", KEY, "", "t", "education") == ("stale", label)
    assert log.decide("kari", "label", KEY, "", "t", "housing") == ("unchanged", label)
    assert log.decision("kari", KEY) == label
    assert len(log.path.read_text(encoding="utf-8").splitlines()) == 1
    # Shown with the label in view, a skip still leaves it; another theme replaces it.
    assert log.decide("kari", "skip", KEY, label.id) == ("kept", label)
    outcome, changed = log.decide("kari", "label", KEY, label.id, "t", "education")
    assert outcome == "saved" and changed is not None and changed.label == "education"
    # A skip made elsewhere holds no label: a label from a page shown before it is saved.
    other = ("batch-1", "notat.txt", 5)
    outcome, skipped = log.decide("kari", "skip", other, "")
    assert outcome == "skipped" and skipped is not None
    assert log.decide("kari", "label", other, "", "t", "housing")[0] == "saved"


def test_a_second_reader_sees_what_the_first_wrote(tmp_path: Path):
    writer, reader = AnnotationLog(tmp_path), AnnotationLog(tmp_path)
    assert reader.counts() == {}
    writer.record("kari", "label", KEY, "t", "housing")
    writer.record("ola", "label", KEY, "t", "education")
    assert reader.counts() == {"housing": 1, "education": 1}
    assert reader.labelled_by_others("kari") == {KEY}


def test_a_line_being_written_is_read_once_it_is_complete(tmp_path: Path):
    log = AnnotationLog(tmp_path)
    log.record("kari", "label", KEY, "t", "housing")
    complete = log.path.read_bytes()
    log.path.write_bytes(complete + complete[: len(complete) // 2])  # half a line more
    assert AnnotationLog(tmp_path).counts() == {"housing": 1}


def _label_many(folder: Path, annotator: str, n: int, start) -> None:
    log = AnnotationLog(folder)
    start.wait(timeout=30)
    for unit in range(n):
        log.record(annotator, "label", ("b", "d.txt", unit), f"tekst {unit}", "housing")
        if unit % 10 == 9:
            log.undo(annotator, "b")


def test_two_processes_writing_at_once_lose_no_line(tmp_path: Path):
    context = multiprocessing.get_context("fork")
    start = context.Barrier(2)
    workers = [
        context.Process(target=_label_many, args=(tmp_path, who, 200, start))
        for who in ("kari", "ola")
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert [worker.exitcode for worker in workers] == [0, 0]
    lines = AnnotationLog(tmp_path).path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2 * (200 + 20)  # every label and every undo, none torn
    labels = AnnotationLog(tmp_path).labels()
    assert len(labels["kari"]) == len(labels["ola"]) == 180
