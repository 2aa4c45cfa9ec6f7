"""The speed cuts in render/numbers.py give the very text and bits of the forms they replace
(issue 15, speed: output stays byte-identical): `round_sig` on one number and without an
errstate, and the 4-digit memo that `fmt` and `plain_tex` read."""

from __future__ import annotations

import math
import random

import numpy as np

from quizgen.bank.latex import plain_tex
from quizgen.render import numbers
from quizgen.render.numbers import _fmt, fmt, fmt_floats, round_sig


def _round_sig_before(x, digits=4):
    """render.numbers.round_sig as it was written before the cut (NumPy all the way, errstate)."""
    arr = np.asarray(x, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        mag = np.where(arr == 0, 0, np.floor(np.log10(np.abs(arr))))
    scale = 10.0 ** (digits - 1 - mag)
    out = np.round(arr * scale) / scale
    return out if out.ndim else float(out)


def _values(n=4000):
    rng = random.Random(15)
    out = [0.0, -0.0, 0.5, -2.5, 0.1 + 0.2, 12345.5, 5e-324, 1e-300, 1e300, math.inf, -math.inf, math.nan]
    for e in range(-15, 16):
        p = 10.0 ** e
        out += [p, -p, math.nextafter(p, 0.0), math.nextafter(p, math.inf), 5 * p, 2.5 * p]
    for _ in range(n):
        x = rng.uniform(-1, 1) * 10.0 ** rng.randint(-8, 8) if rng.random() < 0.6 else round(rng.uniform(-3, 3), 3)
        out += [x, math.nextafter(x, math.inf)]
    return out


def test_round_sig_is_the_numpy_form_bit_for_bit():
    """Guards round_sig's plain-float path for one number and its errstate-free array path."""
    values = _values()
    with np.errstate(all="ignore"):
        for digits in (2, 3, 4):
            for x in values:
                for given in (x, np.float64(x), np.asarray(x)):
                    want, got = _round_sig_before(given, digits), round_sig(given, digits)
                    assert type(got) is type(want) and np.float64(got).tobytes() == np.float64(want).tobytes(), \
                        (digits, x, want, got)
            arr = np.array(values[:600]).reshape(20, 30)
            assert round_sig(arr, digits).tobytes() == _round_sig_before(arr, digits).tobytes()


def test_fmt_memo_gives_fmts_own_text():
    """Guards the 4-digit memo: every number, and its equal keys (1 and 1.0, 0.0 and -0.0), reads
    the text fmt computes."""
    numbers._SHOWN.clear()
    values = _values(1000)
    for x in values + [1, 0, -0.0, np.float64(2.5), np.asarray(0.375), True, "1.25"]:
        want = _fmt(float(x), 4, True)
        assert fmt(x) == want, x
        assert fmt(x) == want, x  # read back from the memo
    assert fmt_floats(values) == [_fmt(v, 4, True) for v in values]
    rows = [values[i:i + 3] for i in range(0, 30, 3)]
    assert plain_tex(rows) == (r"\begin{bmatrix}" + r" \\ ".join(" & ".join(_fmt(v, 4, True) for v in row)
                                                                 for row in rows) + r"\end{bmatrix}")
    assert plain_tex(values[:5]) == r"\begin{bmatrix}" + r" \\ ".join(_fmt(v, 4, True) for v in values[:5]) + r"\end{bmatrix}"


def _plain_before(v):
    """render.numbers.plain as it was written before the zero-aware check (0.0 took the slow path)."""
    from itertools import chain

    if isinstance(v, np.ndarray):
        v = v.astype(float, copy=False).tolist()
    if isinstance(v, list):
        try:
            if not v or min(map(abs, chain.from_iterable(v) if isinstance(v[0], list) else v)) >= numbers.NOISE:
                return v
        except (TypeError, ValueError):
            pass
        if v and isinstance(v[0], list):
            rows = [_plain_before(row) for row in v]
            return v if all(a is b for a, b in zip(rows, v)) else rows
        for x in v:
            if isinstance(x, float) and -numbers.NOISE < x < numbers.NOISE and (x or math.copysign(1.0, x) < 0):
                return [0.0 if isinstance(x, float) and -numbers.NOISE < x < numbers.NOISE else x for x in v]
        return v
    if isinstance(v, float) and -numbers.NOISE < v < numbers.NOISE:
        return 0.0
    return v


def _same(a, b) -> bool:
    """Equal, bit for bit (the sign of a zero, a NaN), and of the same types, all the way down."""
    if isinstance(a, list):
        return type(b) is list and len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, float) and isinstance(b, float):
        return type(a) is type(b) and np.float64(a).tobytes() == np.float64(b).tobytes()
    return type(a) is type(b) and a == b


def test_plain_zero_aware_check_gives_the_same_values_and_objects():
    """Guards plain's C-level check that lets exact zeros (one-hot targets, ReLU) through without
    the entry-by-entry look, and still catches -0.0 and residue beside them."""
    rng = random.Random(15)
    pool = [0.0, -0.0, 0, 1, 2.5, -1.25, 1e-13, -8.3e-17, 5e-324, 1e-12, -1e-12, math.nan, math.inf, True, False,
            "x", None, np.float64(0.5), np.float64(-0.0)]
    cases = [[], [[]], [[], []], [[1.0], 2.0], [1.0, [2.0]], 0.0, -0.0, 1e-13, 3, "s"]
    for _ in range(3000):
        n, m = rng.randint(1, 4), rng.randint(1, 4)
        pick = (lambda: rng.choice(pool)) if rng.random() < 0.3 else (lambda: rng.choice([0.0, 0.5, -2.0, 1e-13, -0.0, 1.0]))
        cases.append([pick() for _ in range(n)])
        cases.append([[pick() for _ in range(m)] for _ in range(n)])
    cases.append(np.array([[0.0, -0.0], [1e-14, 2.0]]))
    for v in cases:
        want, got = _plain_before(v), numbers.plain(v)
        assert _same(got, want), v
        if isinstance(v, list):
            assert (got is v) == (want is v), v  # no residue: the very same list comes back
