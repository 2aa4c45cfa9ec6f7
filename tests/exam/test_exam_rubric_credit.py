"""Issue 14, credit by rubric: marking a typed final answer follows the graders' rule, so a
catalogued wrong answer earns its credit (0), never the share of entries it happens to match."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from quizgen.bank.generate import variant
from quizgen.bank.load import load_bank
from quizgen.exam.rubric import typed_points
from quizgen.grading import format_value

FAMILIES = {f.id: f for f in load_bank("question_bank")}


def first(fid: str, test):
    return next(q for q in (variant(FAMILIES[fid], i, 0) for i in range(40)) if test(q))


def test_a_catalogued_wrong_answer_scores_its_credit_not_half():
    """Regression guard: a sign-flipped db with a 0 entry scored 0.5, so 2.5 of 5 points."""
    q = first("gradient-matrix-db", lambda q: any(d.mistake == "sign_flipped" for d in q.distractors))
    flipped = next(d for d in q.distractors if d.mistake == "sign_flipped")
    assert typed_points(5, q, format_value(flipped.value)) == 0
    assert typed_points(5, q, q.answer.display) == 5
    credited = replace(q, distractors=[replace(d, credit=0.5) if d is flipped else d for d in q.distractors])
    assert typed_points(5, credited, format_value(flipped.value)) == 2.5  # a family's own credit is kept
    assert typed_points(5, q, format_value(flipped.value), credit={"sign_flipped": 0.2}) == 1  # the exam's
    assert typed_points(5, credited, format_value(flipped.value), credit={}) == 2.5


def test_a_transposed_square_gradient_scores_nothing_from_its_diagonal():
    q = first("textbook-sigmoid-softmax-dw1-matrix", lambda q: np.shape(q.answer.value) == (2, 2))
    transposed = np.asarray(q.answer.value).T.tolist()
    assert typed_points(5, q, format_value(transposed)) == 0


def test_partly_right_answers_earn_the_share_of_informative_entries():
    q = first("gradient-matrix-db", lambda q: np.size(q.answer.value) >= 3)
    value = np.asarray(q.answer.value, dtype=float).ravel()
    informative = [i for i in range(value.size)
                   if not any(abs(np.ravel(d.value)[i] - value[i]) <= np.ravel(d.tol)[i] for d in q.distractors)]
    wrong = value.copy()
    wrong[informative[0]] += 10  # one informative entry wrong, no catalogued mistake gives it
    expect = np.floor((len(informative) - 1) / len(informative) * 4 * 2) / 2
    assert typed_points(4, q, format_value(wrong.tolist())) == expect
