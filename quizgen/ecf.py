"""Grade a multi-part question part by part, with error carried forward (ECF).

`grade_parts(question, answers_by_part)` returns one verdict per part: "correct", "carried"
("correct given your (a)") or "wrong". A later part that is wrong against the key earns its
points when it is what an earlier, *explainable* answer gives by correct steps: that earlier
answer must itself be right or a catalogued mistake (or carried), so a random (a) buys nothing.
The value a later part must have is re-run on the engine's tape from the student's own earlier
value (`engine_rerun`); templates/static/js/grader.js (gradeParts) does the same offline with the
linear map the record ships, and tests/data/grading_cases.json holds cases both must pass.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

from quizgen.grading import _array, _get, _tolerances, grade
from quizgen.messages import t

__all__ = ["grade_parts", "engine_rerun"]

FUZZ = 1e-9  # relative float noise at a tolerance boundary (bank/kinds/precision.FUZZ)
EXPLAINED = ("mistake", "carried")  # a wrong earlier answer a later part may be carried from


def engine_rerun(question: Any) -> Callable[[Any, list, Any], list]:
    """(earlier part, its typed entries, later part) -> the later part's entries by correct steps,
    re-run on the question's own tape (built once from its problem)."""
    import numpy as np

    from quizgen.engine.backprop import solve_forward
    from quizgen.engine.carry import carried
    from quizgen.problem import parse_problem

    tape = solve_forward(parse_problem(_get(question, "problem"), source=str(_get(question, "id"))))

    def run(earlier: Any, flat: list, later: Any) -> list:
        shape = _get(_get(earlier, "answer"), "shape") or []
        value = np.asarray(flat, dtype=float).reshape(shape)
        return carried(tape, _get(earlier, "target"), value, _get(later, "target")).ravel().tolist()

    return run


def grade_parts(question: Any, answers: Mapping[str, str], lang: str | None = None,
                rerun: Callable[[Any, list, Any], list] | None = None) -> dict:
    """Grade `answers` ({part name: typed text}) against a multi-part record (or its dict form).

    Returns {score, points, parts: [{name, label, points, earned, verdict, given, ...grade()'s
    verdict}]}; `given` names the earlier part a carried verdict rests on. `rerun` replaces the
    engine re-run (grader.js uses the record's `map` instead; tests compare the two).
    """
    parts = list(_get(question, "parts") or [])
    states: dict[str, dict] = {}
    results, run = [], rerun
    for part in parts:
        name = _get(part, "name")
        text = answers.get(name, "") if answers else ""
        answer, distractors = _get(part, "answer"), _get(part, "distractors") or []
        verdict = grade(answer, distractors, text, lang)
        state = {"status": "wrong", "flat": None, "tol": None}
        got = _typed(answer, text, lang)
        if verdict["correct"]:
            state["status"] = "correct"
        elif got is not None:  # a catalogued value, whatever grade() chose to say about it
            found = _matched(distractors, got)
            if found is not None:
                state = {"status": "mistake", "flat": got, "tol": found}
        given = None
        if not verdict["correct"] and got is not None and not verdict["parse_error"]:
            for relation in reversed(list(_get(part, "carry") or [])):  # nearest earlier part first
                earlier = states.get(_get(relation, "from"))
                if earlier is None or earlier["status"] not in EXPLAINED:
                    continue
                if _get(relation, "map") is not None:
                    run = run or engine_rerun(question)
                    source = next(p for p in parts if _get(p, "name") == _get(relation, "from"))
                    want = run(source, earlier["flat"], part)
                    tol = _carried_tol(relation, answer, want, earlier["tol"])
                else:
                    row = _row(_get(relation, "table") or [], earlier["flat"])
                    if row is None:
                        continue
                    want, tol = _flat(_get(row, "then")), _flat(_get(row, "then_tol"))
                if len(want) == len(got) and all(abs(x - w) <= e for x, w, e in zip(got, want, tol)):
                    given = _get(relation, "from")
                    state = {"status": "carried", "flat": got, "tol": tol}
                    break
        points = float(_get(part, "points") or 0.0)
        if given is not None:
            label = next(_get(p, "label") for p in parts if _get(p, "name") == given)
            verdict = dict(verdict, score=1.0, message=t("grading.carried", lang, part=label), mistake=None,
                           mistake_name=None, explanation=None, wrong_entries=[])
        status = "correct" if verdict["correct"] else "carried" if given is not None else "wrong"
        states[name] = state
        results.append(dict(verdict, name=name, label=_get(part, "label"), points=points,
                            earned=points * verdict["score"], verdict=status, given=given))
    score = points = 0.0
    for r in results:  # a plain loop: sum() of floats compensates, JavaScript's + does not
        score, points = score + r["earned"], points + r["points"]
    return {"score": score, "points": points, "parts": results}


def _typed(answer: Any, text: str, lang: str | None) -> list | None:
    """The typed entries in row-major order, if they line up with the answer's size; else None."""
    from quizgen.errors import AnswerError
    from quizgen.grading import parse_answer

    try:
        parsed = parse_answer(text, lang)
    except AnswerError:
        return None
    if parsed["kind"] == "choice":
        return None
    flat = _array(parsed["value"])[0]
    want = _array(_get(answer, "value"), _get(answer, "shape"))
    return flat if want is not None and len(flat) == len(want[0]) else None


def _flat(value: Any) -> list:
    arr = _array(value)
    return arr[0] if arr is not None else []


def _matched(distractors, got: list) -> list | None:
    """The tolerance of the first catalogued value the typed entries match, else None."""
    for d in distractors:
        value = _array(_get(d, "value"))
        if value is None or len(value[0]) != len(got):
            continue
        tol = _tolerances(_get(d, "tol"), value[0], 0.0, 0.0)
        if all(abs(x - v) <= e for x, v, e in zip(got, value[0], tol)):
            return tol
    return None


def _row(table, got: list) -> Any:
    for row in table:
        value = _flat(_get(row, "value"))
        tol = _tolerances(_get(row, "tol"), value, 0.0, 0.0)
        if len(value) == len(got) and all(abs(x - v) <= e for x, v, e in zip(got, value, tol)):
            return row
    return None


def _carried_tol(relation: Any, answer: Any, want: list, earlier_tol: list) -> list:
    """Half a unit of the asked digit around the carried value, the part's own rounding widening,
    and the earlier answer's tolerance pushed through the map (a student rounds (a) before (b))."""
    matrix, widen, p = _get(relation, "map"), _flat(_get(relation, "widen")), _get(answer, "precision") or {}
    out = []
    for i, w in enumerate(want):
        pushed = 0.0
        for m, e in zip(matrix[i], earlier_tol):
            pushed += abs(m) * e
        out.append(_half_unit(w, p) + (widen[i] if i < len(widen) else 0.0) + pushed + FUZZ * max(1.0, abs(w)))
    return out


def _half_unit(v: float, p: Any) -> float:
    rule, digits = _get(p, "rule"), _get(p, "digits") or 0
    if rule == "sig" and v != 0:
        return 0.5 * _pow10(math.floor(math.log10(abs(v))) - digits + 1)
    if rule == "dec":
        return 0.5 * _pow10(-digits)
    return 0.0


def _pow10(k: int) -> float:
    """10^k by exact multiplication (the same double in Python and JavaScript for |k| ≤ 22)."""
    r = 1.0
    for _ in range(min(abs(k), 330)):
        r *= 10.0
    return r if k >= 0 else 1.0 / r
