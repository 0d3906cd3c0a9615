"""Reading a unit in its context: neighbours, section heading, fitted weights."""

from __future__ import annotations

import numpy as np
import pytest

from tema.classify.context import (
    ContextWeights,
    fit_context,
    fit_temperature,
    no_theme_column,
    read_context,
    sections,
    sharpen,
    with_context,
    with_questions,
)

HOUSING, EDUCATION = [0.9, 0.1], [0.1, 0.9]
UNSURE = [0.5, 0.5]


@pytest.mark.parametrize(
    ("docs", "kinds", "expected_sections", "expected_headings"),
    [
        # a heading starts a section and belongs to it
        (["a"] * 4, ["heading", "sentence", "heading", "bullet"], [1, 1, 2, 2], [0, 0, 2, 2]),
        # a new document starts a section without a heading
        (["a", "a", "b"], ["heading", "sentence", "sentence"], [1, 1, 2], [0, 0, -1]),
        # no heading at all
        (["a", "a"], ["sentence", "sentence"], [1, 1], [-1, -1]),
    ],
)
def test_sections_follow_headings_and_documents(docs, kinds, expected_sections, expected_headings):
    section, heading = sections(docs, kinds)
    # Section numbers only need to tell sections apart: number them by first appearance.
    first_seen = {number: rank for rank, number in enumerate(dict.fromkeys(section.tolist()), 1)}
    assert [first_seen[number] for number in section.tolist()] == expected_sections
    assert heading.tolist() == expected_headings


def test_an_unsure_unit_takes_the_theme_of_its_neighbours():
    probabilities = np.array([HOUSING, HOUSING, UNSURE, HOUSING])
    docs, kinds = ["d"] * 4, ["sentence"] * 4
    weights = ContextWeights(reach=2, neighbour_weight=1.0)
    read = with_context(probabilities, docs, kinds, weights)
    assert read[2].argmax() == 0 and read[2, 0] > 0.6


def test_neighbours_do_not_cross_a_heading_or_a_document():
    probabilities = np.array([EDUCATION, [0.6, 0.4], HOUSING, UNSURE, EDUCATION])
    docs = ["d", "d", "d", "d", "e"]
    kinds = ["sentence", "heading", "sentence", "sentence", "sentence"]
    context = read_context(probabilities, docs, kinds, reach=2)
    # Unit 3's only neighbour in its section is unit 2 (unit 0 is before the heading,
    # unit 4 is another document); its heading is unit 1.
    assert np.allclose(context.neighbours[3], HOUSING)
    assert np.allclose(context.heading[3], [0.6, 0.4])
    # Unit 4 is alone in its document: no context, so it keeps its own probabilities.
    assert not context.has_context[4]
    weights = ContextWeights(reach=2, neighbour_weight=1.0, heading_weight=0.5)
    assert np.allclose(with_context(probabilities, docs, kinds, weights)[4], EDUCATION)


def test_headings_and_other_kinds_keep_their_own_probabilities():
    probabilities = np.array([EDUCATION, HOUSING, HOUSING, [0.3, 0.7]])
    kinds = ["heading", "sentence", "sentence", "caption"]
    weights = ContextWeights(reach=2, neighbour_weight=1.0, heading_weight=1.0)
    read = with_context(probabilities, ["d"] * 4, kinds, weights)
    assert np.allclose(read[0], EDUCATION)
    assert np.allclose(read[3], [0.3, 0.7])


def test_zero_weights_change_nothing():
    probabilities = np.array([HOUSING, UNSURE, EDUCATION])
    read = with_context(probabilities, ["d"] * 3, ["sentence"] * 3, ContextWeights())
    assert np.allclose(read, probabilities)


def test_sharpen_raises_the_top_probability_and_keeps_the_order():
    probabilities = np.array([[0.5, 0.3, 0.2]])
    sharper = sharpen(probabilities, 0.5)
    assert sharper[0, 0] > 0.5 and np.isclose(sharper.sum(), 1.0)
    assert sharper[0].argsort().tolist() == probabilities[0].argsort().tolist()
    assert np.allclose(sharpen(probabilities, 1.0), probabilities)


def test_fit_temperature_sharpens_an_under_confident_model():
    rng = np.random.default_rng(0)
    truth = rng.integers(0, 2, 500)
    # Right 90 % of the time but only 60 % confident: a temperature below 1 fits better.
    right = rng.random(500) < 0.9
    top = np.where(right, truth, 1 - truth)
    probabilities = np.full((500, 2), 0.4)
    probabilities[np.arange(500), top] = 0.6
    assert fit_temperature(probabilities, truth) < 1.0


def documents(units_of, kinds_of_one, count: int = 40):
    """`count` documents alternating between the two themes, each made of the units
    `units_of(sure)` (sure: the theme's confident probabilities) with the kinds
    `kinds_of_one`: probabilities, true columns, docs and kinds for `fit_context`."""
    rows, truth, docs, kinds = [], [], [], []
    for number in range(count):
        theme = number % 2
        units = units_of(HOUSING if theme == 0 else EDUCATION)
        rows += units
        truth += [theme] * len(units)
        docs += [f"doc{number}"] * len(units)
        kinds += kinds_of_one
    return np.array(rows), np.array(truth), docs, kinds


def test_fit_context_learns_weight_from_documents_where_neighbours_decide():
    # Documents of four units of one theme each, where the second unit is unsure: its
    # neighbours tell the theme, so the fitted neighbour weight is positive and lowers the
    # log-loss.
    rows, truth, docs, kinds = documents(lambda sure: [sure, UNSURE, sure, sure], ["sentence"] * 4)
    weights, fit = fit_context(rows, truth, docs, kinds)
    assert weights.neighbour_weight > 0
    assert fit["log_loss_with"] < fit["log_loss_without"]


def test_fit_context_without_documents_keeps_weights_at_zero():
    weights, fit = fit_context(np.array([HOUSING]), np.array([0]), ["d"], ["sentence"])
    assert weights == ContextWeights() and fit == {"units": 0}


def test_an_elliptic_answer_takes_the_theme_of_its_question():
    # A question (a heading row) and two answers: "Mer av det" (unsure) and one that
    # carries its own theme strongly.
    probabilities = np.array([HOUSING, UNSURE, [0.02, 0.98]])
    kinds = ["heading", "answer", "answer"]
    weights = ContextWeights(question_weight=1.0)
    read = with_context(probabilities, ["survey"] * 3, kinds, weights)
    assert read[1].argmax() == 0
    assert read[2].argmax() == 1  # a clear answer keeps its own theme
    assert np.allclose(read[0], HOUSING)  # the question keeps its own


def test_a_general_question_lends_no_theme_to_its_answers():
    # Columns: housing, education, other. "Andre innspill?" reads as other; under it a
    # clear housing answer stays housing, and "vet ikke" stays other.
    general, housing_answer, empty_answer = [0.02, 0.03, 0.95], [0.6, 0.1, 0.3], [0.1, 0.1, 0.8]
    probabilities = np.array([general, housing_answer, empty_answer])
    kinds = ["heading", "answer", "answer"]
    weights = ContextWeights(question_weight=3.0)
    read = with_context(probabilities, ["survey"] * 3, kinds, weights, no_theme=2)
    assert read[1].argmax() == 0 and read[2].argmax() == 2
    # Without naming the no-theme column the question's `other` would win.
    assert with_context(probabilities, ["survey"] * 3, kinds, weights)[1].argmax() == 2


def test_no_theme_column_finds_other():
    assert no_theme_column(["discrimination", "education", "other", "voluntary"]) == 2
    assert no_theme_column(np.array(["a", "b"], dtype=object)) is None


def test_answers_read_no_neighbours_and_sentences_no_question_weight():
    probabilities = np.array([HOUSING, UNSURE, EDUCATION, HOUSING, UNSURE])
    kinds = ["heading", "answer", "answer", "heading", "sentence"]
    # Answers are not one another's neighbours: with only a neighbour weight they keep
    # their own probabilities; a sentence ignores the question weight.
    only_neighbours = ContextWeights(neighbour_weight=1.5, question_weight=0.0)
    assert np.allclose(with_context(probabilities, ["d"] * 5, kinds, only_neighbours)[1], UNSURE)
    only_questions = ContextWeights(question_weight=3.0)
    assert np.allclose(with_context(probabilities, ["d"] * 5, kinds, only_questions)[4], UNSURE)


def test_cards_written_before_questions_read_none():
    old_card = {"reach": 2, "neighbour_weight": 0.75, "heading_weight": 0.1, "temperature": 0.5}
    weights = ContextWeights.from_dict(old_card)
    assert weights.question_weight == 0.0 and weights.question_temperature == 1.0


@pytest.mark.parametrize(
    ("kinds", "questions", "docs", "expected_texts", "expected_rows"),
    [
        # one heading row per run of answers to the same question
        (["answer"] * 3, ["Q1", "Q1", "Q2"], ["t"] * 3,
         ["Q1", "a0", "a1", "Q2", "a2"], [1, 2, 4]),
        # an answer without a question, and other kinds, are left as they are
        (["answer", "sentence", "answer"], ["", "Q1", "Q1"], ["t"] * 3,
         ["a0", "a1", "Q1", "a2"], [0, 1, 3]),
        # the same question in another table is asked again
        (["answer", "answer"], ["Q1", "Q1"], ["t", "u"],
         ["Q1", "a0", "Q1", "a1"], [1, 3]),
        # an answer whose question cell is empty has none, and the next is asked again
        (["answer"] * 3, ["Q1", "", "Q1"], ["t"] * 3,
         ["Q1", "a0", "a1", "Q1", "a2"], [1, 2, 4]),
        # a question that comes back after another is asked again
        (["answer"] * 3, ["Q1", "Q2", "Q1"], ["t"] * 3,
         ["Q1", "a0", "Q2", "a1", "Q1", "a2"], [1, 3, 5]),
    ],
)  # fmt: skip
def test_with_questions_puts_each_question_before_its_answers(
    kinds, questions, docs, expected_texts, expected_rows
):
    texts = [f"a{number}" for number in range(len(kinds))]
    layout = with_questions(texts, docs, kinds, questions)
    assert layout.texts == expected_texts
    assert layout.rows.tolist() == expected_rows
    assert [layout.texts[row] for row in layout.rows] == texts
    assert all(
        kind == "heading" for text, kind in zip(layout.texts, layout.kinds, strict=True)
        if text.startswith("Q")
    )  # fmt: skip


def test_fit_context_learns_a_question_weight_from_surveys_where_questions_decide():
    # Surveys of one theme each: the question is sure, two of its three answers are not.
    layout = ["heading", "answer", "answer", "answer"]
    rows, truth, docs, kinds = documents(lambda sure: [sure, UNSURE, UNSURE, sure], layout)
    weights, fit = fit_context(rows, truth, docs, kinds)
    assert weights.question_weight > 0
    assert fit["answer_log_loss_with"] < fit["answer_log_loss_without"]
    assert fit["answers"] == 120 and fit["units"] == 0


def test_fit_context_keeps_the_question_weight_at_zero_where_questions_mislead():
    rows, truth, docs, kinds = [], [], [], []
    for number in range(40):
        theme = number % 2
        # The question reads as the other theme; the answers are right on their own.
        question = EDUCATION if theme == 0 else HOUSING
        answer = [0.7, 0.3] if theme == 0 else [0.3, 0.7]
        rows += [question, answer, answer]
        truth += [1 - theme, theme, theme]
        docs += [f"survey{number}"] * 3
        kinds += ["heading", "answer", "answer"]
    weights, _fit = fit_context(np.array(rows), np.array(truth), docs, kinds)
    assert weights.question_weight == 0.0
