"""Regression: an exact whole-number answer (parameter_count, shapes_table, whole conv_pool
outputs) names a catalogued mistake only for the mistake's exact value. The mistake tolerance
used to be the CARRY-figure one (±50 around 209650), so typing 209600 was told it forgot the
biases; a near miss must now say "Not quite." in both the stored record and the grader."""

from __future__ import annotations

import numpy as np
import pytest
from bankcheck import family_ids, questions

from quizgen.grading import grade


def _whole(v) -> bool:
    a = np.asarray(v, dtype=float)
    return bool((a == np.rint(a)).all())


@pytest.mark.parametrize("fid", family_ids(("parameter_count", "shapes_table", "conv_pool")))
def test_a_near_miss_of_a_whole_number_mistake_is_not_named(fid):
    checked = 0
    for q in questions(fid):
        a = q.answer
        if a.kind not in ("number", "vector", "matrix") or a.precision["rule"] != "exact" or not _whole(a.value):
            continue
        for d in q.distractors:
            if not _whole(d.value):
                continue
            assert np.max(np.asarray(d.tol, dtype=float)) < 0.01, (q.id, d.mistake, d.tol)
            exact = np.asarray(d.value, dtype=float)
            assert grade(a, q.distractors, _typed(exact))["mistake"] in [d.mistake] + [x.mistake for x in q.distractors]
            near = exact.copy()
            near.flat[0] += 1 if abs(near.flat[0]) < 20 else -(10 ** (len(str(int(abs(near.flat[0])))) - 3))
            if any(np.array_equal(near, np.asarray(o.value, dtype=float)) for o in q.distractors) \
                    or np.array_equal(near, np.asarray(a.value, dtype=float)):
                continue
            verdict = grade(a, q.distractors, _typed(near))
            assert verdict["mistake"] is None and not verdict["correct"], (q.id, d.mistake, _typed(near), verdict)
            checked += 1
    if fid.startswith("parameter") or "shape" in fid:
        assert checked, "no whole-number mistake was checked"


def _typed(arr: np.ndarray) -> str:
    if arr.ndim == 0:
        return str(int(arr))
    if arr.ndim == 1:
        return "[" + ", ".join(str(int(v)) for v in arr) + "]"
    return "[" + ", ".join("[" + ", ".join(str(int(v)) for v in row) + "]" for row in arr) + "]"
