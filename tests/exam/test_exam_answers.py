"""Every printed key answer is the Question's answer, and the engine, solving afresh, agrees."""

from __future__ import annotations

import html
import re

import numpy as np
import pytest
from exam_helpers import MIDTERM, THREE

from quizgen.engine import solve
from quizgen.engine.tape import lookup
from quizgen.exam.build import prepare
from quizgen.problem import parse_problem

KEY_ANSWER = re.compile(r'<article class="kq" id="q(\d+)">.*?typed: <code>(.*?)</code>', re.S)


def key_answers(text: str) -> dict[int, str]:
    return {int(n): html.unescape(display) for n, display in KEY_ANSWER.findall(text)}


@pytest.mark.parametrize("spec, versions", [(THREE, 3), (MIDTERM, 1)], ids=["three_versions", "midterm"])
def test_key_answers_equal_the_questions_answers(spec, versions, tmp_path, run_exam):
    out = tmp_path / "out"
    assert run_exam(spec, "--versions", versions, "--out", out)[0] == 0
    exam = prepare(spec, versions)
    for version in exam.versions:
        printed = key_answers((out / f"key-{version.code}.html").read_text(encoding="utf-8"))
        assert printed == {item.number: item.question.answer.display for item in version.items}


@pytest.mark.parametrize("spec, versions", [(THREE, 3), (MIDTERM, 1)], ids=["three_versions", "midterm"])
def test_the_engine_solving_each_problem_again_gives_the_same_answer(spec, versions):
    checked = 0
    for version in prepare(spec, versions).versions:
        for item in version.items:
            q = item.question
            if q.problem is None or q.target is None:
                continue
            solved = solve(parse_problem(q.problem)).to_json()
            for target, answer in [(p.target, p.answer) for p in q.parts] or [(q.target, q.answer)]:  # issue 17: each part
                value = lookup(solved, target)
                np.testing.assert_allclose(np.asarray(answer.value, dtype=float), np.asarray(value, dtype=float),
                                           rtol=1e-9, atol=1e-12, err_msg=f"{q.id} {target}")
                checked += 1
    assert checked >= (3 * 4 if spec == THREE else 3)  # not vacuous: the numeric questions


def test_choice_answers_point_at_the_correct_option(three_exam):
    for version in three_exam.versions:
        for item in version.items:
            q = item.question
            if q.answer.kind == "choice":
                assert [c.label for c in q.choices if c.correct] == [q.answer.value]
