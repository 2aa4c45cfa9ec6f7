"""Schema 2: an option is known by its mistake, never by its letter, so shuffling cannot mix them up."""

from __future__ import annotations

import numpy as np
import pytest

from quizgen.bank.generate import variant
from quizgen.bank.load import load_bank
from quizgen.bank.question import shown_steps
from quizgen.exam.assemble import shuffle_choices
from quizgen.exam.rubric import typed_points
from quizgen.grading import grade
from quizgen.messages.text import say
from exam_helpers import ROOT

FAMILIES = {f.id: f for f in load_bank(ROOT / "question_bank")}


def shuffled_questions():
    """formula_choice questions in several shuffles, each with at least one option moved."""
    for index in range(4):
        q = variant(FAMILIES["formula-dw1-choice"], index)
        for seed in range(6):
            printed, order = shuffle_choices(q, np.random.default_rng(seed))
            if order != tuple(c.label for c in q.choices):
                yield q, printed


def test_multiple_choice_distractors_are_not_stored_under_a_letter():
    for q, _ in shuffled_questions():
        assert q.distractors and all(d.value is None for d in q.distractors)
        assert {d.mistake for d in q.distractors} == {c.mistake for c in q.choices if not c.correct}


def test_a_shuffled_option_graded_without_its_choice_list_never_names_another_options_mistake():
    """Regression: with distractors stored under their bank letter, an exam's shuffled question
    graded without its choice list reported option C as sigma_for_derivative when C printed the
    sign_flipped formula."""
    checked = 0
    for _, printed in shuffled_questions():
        for c in printed.choices:
            if not c.correct:
                assert grade(printed.answer, printed.distractors, c.label)["mistake"] in (None, c.mistake)
                checked += 1
    assert checked >= 30


def test_an_exam_marks_a_shuffled_option_by_the_mistake_printed_under_its_letter(monkeypatch):
    """typed_points grades with the question's choice list: the letter names the printed option."""
    from quizgen.exam import rubric

    verdicts = []
    monkeypatch.setattr(rubric, "grade", lambda *args: verdicts.append(grade(*args)) or verdicts[-1])
    for _, printed in shuffled_questions():
        for c in printed.choices:
            assert typed_points(4, printed, c.label) == (4.0 if c.correct else 0.0)
            assert verdicts[-1]["mistake"] == c.mistake


def test_why_not_rows_follow_the_printed_letters():
    for _, printed in shuffled_questions():
        rows = [s for s in shown_steps(printed) if s.role == "rationale"]
        wrong = [c for c in printed.choices if not c.correct]
        assert [say(r.title) for r in rows] == [f"Why not {c.label}" for c in wrong]
        for row, c in zip(rows, wrong):
            name = say(next(d.name for d in printed.distractors if d.mistake == c.mistake))
            assert say(row.explanation).startswith(f"Option {c.label} would {name}: ")


@pytest.mark.parametrize("family_id", ["find-error-tanh-sigmoid"])
def test_ordered_options_are_never_shuffled(family_id):
    q = variant(FAMILIES[family_id], 0)
    assert q.layout["ordered_choices"] is True
    assert shuffle_choices(q, np.random.default_rng(1)) == (q, ())
