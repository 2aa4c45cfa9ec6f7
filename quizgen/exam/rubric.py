"""A question's points spread over its worked steps, in half points, the final answer weighted."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from quizgen.bank.question import Question
from quizgen.grading import grade

FINAL_SHARE = 0.4  # of a question's points, for the final answer itself


@dataclass(frozen=True)
class RubricLine:
    step: int | None  # 1-based step number; None for the final answer (or the correct choice)
    points: float


def rubric(points: float, q: Question) -> tuple[RubricLine, ...]:
    """Lines that add up to `points` exactly, as the record's `layout.rubric` says: "all" (multiple
    choice) is all or nothing; "rows" (a shapes table, whose first steps are its rows) is graded
    row by row; "steps": the final answer gets ~40 % and the rest goes to the steps, later steps
    first for any half point left over (they build on everything before them)."""
    units = round(points * 2)  # half points
    how = (q.layout or {}).get("rubric", "steps")
    if how == "all" or q.answer.kind == "choice" or not q.steps:
        return (RubricLine(None, units / 2),)
    if how == "rows" and q.answer.shape:  # one step per row of the table: the rows are the answer
        return _spread(units, min(len(q.steps), q.answer.shape[0]))
    final = min(units, max(1, math.ceil(units * FINAL_SHARE)))
    return _spread(units - final, len(q.steps)) + (RubricLine(None, final / 2),)


def _spread(units: int, n: int) -> tuple[RubricLine, ...]:
    base, extra = divmod(units, n)
    return tuple(RubricLine(i + 1, (base + (1 if i >= n - extra else 0)) / 2) for i in range(n))


def typed_points(points: float, q: Question, typed: str, credit: dict | None = None) -> float:
    """Points for a question marked from its typed final answer alone, by the graders' one rule:
    all of them when correct; a catalogued wrong answer earns its mistake's credit (the family's,
    or the exam's `credit` {mistake id: share} where given; 0 otherwise), never a share of the
    entries it happens to match; otherwise the share of informative entries that are right.
    Rounded down to half points."""
    distractors = q.distractors
    if credit is not None:  # the exam's word wins; a value two mistakes share earns the smaller share
        distractors = [replace(d, credit=min(credit.get(m, d.credit) for m in [d.mistake, *d.also]))
                       for d in distractors]
    answer = q.answer
    if q.choices:  # a typed letter names the option printed under it, whatever it was in the bank
        answer = dict(q.answer.__dict__, choices=[dict(c.__dict__) for c in q.choices])
    verdict = grade(answer, distractors, typed)
    if verdict["correct"]:
        return float(points)
    return math.floor(verdict["score"] * points * 2 + 1e-9) / 2
