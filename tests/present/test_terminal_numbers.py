"""The terminal shows a step's own numbers in its formula (as the pages do), so a student in
`show` or `practice` can check each step's arithmetic, not only its formula and result."""

from __future__ import annotations

import re

from quizgen.bank.generate import variant
from quizgen.bank.load import load_bank
from quizgen.present import view as present
from quizgen.present.terminal import formula, numbers_line, solution_text

FAMILIES = {f.id: f for f in load_bank()}


def test_a_scalar_step_prints_its_substituted_numbers():
    text = solution_text(variant(FAMILIES["graph-log-exp-sum"], 0, 0))
    number = r"\(?-?\d+(?:\.\d+)?\)?"
    assert re.search(rf"^    s = {number} \+ {number} = {number}$", text, re.M), text  # s = 4.482 + (-0.5) = 3.982


def test_every_scalar_step_of_a_count_shows_its_arithmetic():
    q = variant(FAMILIES["count-dense-mlp"], 0, 0)
    lines = solution_text(q).splitlines()
    for number, step in enumerate(q.steps, start=1):
        view = present.step(step, number)
        substituted = numbers_line(view, formula(view.symbolic) if view.symbolic else "")
        if substituted:
            assert any(line.strip().endswith(substituted) for line in lines), substituted
    assert any(re.search(r"\d+ · \d+ \+ \d+ = \d+", line) for line in lines)


def test_a_matrix_step_keeps_its_block_and_prints_no_numbers_line():
    q = variant(FAMILIES["exam-relu-softmax-dw2"], 0, 0)
    matrix_steps = [s for s in q.steps if any("num" in p and not isinstance(p["num"], (int, float)) for p in s.parts)]
    assert matrix_steps and all(numbers_line(present.step(s, 1)) == "" for s in matrix_steps)
