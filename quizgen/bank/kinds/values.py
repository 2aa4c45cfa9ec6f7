"""A worked step from a plain value: what the kinds without a tape (derivative at a point,
gradient check, shapes table) build their solutions from."""

from __future__ import annotations

import numpy as np

from quizgen.bank.latex import num_tex, parts_tex, plain_tex
from quizgen.bank.question import Step


def value_step(title, symbolic, parts, value, explanation, shape=None, role: str = "") -> Step:
    if type(value) is float or type(value) is np.float64:  # one number (most steps): the same record in plain floats
        v = float(value) + 0.0
        return Step(title, symbolic, parts_tex(parts), parts, v, num_tex(v), shape if shape is not None else [],
                    explanation, role)
    arr = np.asarray(value, dtype=float) + 0.0
    entries = arr.tolist()  # converted once: num_tex(arr) is plain_tex(arr.tolist())
    return Step(title, symbolic, parts_tex(parts), parts, entries if arr.ndim else float(arr),
                plain_tex(entries), shape if shape is not None else list(arr.shape), explanation, role)
