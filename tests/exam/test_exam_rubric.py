"""Rubrics add up to the question's points, in half points, with the final answer weighted."""

from __future__ import annotations

from dataclasses import replace

import pytest

from quizgen.bank.kinds import KINDS
from quizgen.bank.question import Answer, Question, Step
from quizgen.exam.rubric import rubric


def question(kind: str = "gradient_entry", answer_kind: str = "number", steps: int = 5, shape=None) -> Question:
    step = Step("s", "", "", [], None, "", None, "")
    q = Question("id", "fam", 0, 0, 0, kind, "t", "topic", [], 1, "src", "column", "p", [], None, None,
                 Answer(answer_kind, 1.0, "1", "1", shape=shape), steps=[step] * steps)
    q.layout = KINDS[kind].layout(q)  # the rubric reads the kind's hints from the record, never its name
    return q


@pytest.mark.parametrize("points", [0.5, 1, 2.5, 4, 7, 10, 12.5, 40])
@pytest.mark.parametrize("steps", [1, 3, 11])
def test_lines_add_up_exactly_in_half_points(points, steps):
    lines = rubric(points, question(steps=steps))
    assert sum(line.points for line in lines) == points
    assert all((line.points * 2).is_integer() and line.points >= 0 for line in lines)
    assert [line.step for line in lines] == list(range(1, steps + 1)) + [None]


def test_the_final_answer_carries_about_forty_percent():
    lines = rubric(10, question(steps=6))
    assert lines[-1].points == 4
    assert [line.points for line in lines[:-1]] == [1, 1, 1, 1, 1, 1]
    assert max(line.points for line in lines[:-1]) <= lines[-1].points


def test_leftover_half_points_go_to_the_later_steps():
    lines = rubric(5, question(steps=4))  # 10 half points: final 4, steps 6 over 4
    assert [line.points for line in lines] == [0.5, 0.5, 1, 1, 2]


def test_multiple_choice_is_all_or_nothing():
    q = question("formula_choice", "choice", steps=7)
    assert [(line.step, line.points) for line in rubric(5, q)] == [(None, 5)]


def test_a_shapes_table_is_graded_row_by_row():
    q = question("shapes_table", "matrix", steps=10, shape=[9, 2])
    lines = rubric(9, q)
    assert [(line.step, line.points) for line in lines] == [(i, 1) for i in range(1, 10)]
    assert sum(line.points for line in rubric(6, q)) == 6


def test_a_question_without_steps_gets_all_points_for_its_answer():
    assert [(line.step, line.points) for line in rubric(3, replace(question(), steps=[]))] == [(None, 3)]
