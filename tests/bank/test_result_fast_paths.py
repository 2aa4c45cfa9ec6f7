"""Comparing step results without arrays gives NumPy's answer (issue 15, speed: output stays
byte-identical): common.close and degenerate.silent_after on plain-float vectors, the form
find_error compares every candidate slip's steps in (matrices stay with NumPy)."""

from __future__ import annotations

import random

import numpy as np
import pytest

from quizgen.bank.degenerate import ZERO, _all_zero
from quizgen.bank.kinds.common import close
from quizgen.bank.question import float_row

SPECIAL = [0.0, -0.0, 1e-3, -1e-3, 5e-4, -5e-4, 4.9999e-4, 1e-2, 1.0, -1.0, float("nan"), float("inf"), -float("inf"),
           1e308, -1e308, 5e-324, 2.0 ** 53 + 1.0]


def _numpy_close(a, b, rtol, atol):
    """close's array form, as it was written before the list fast path (the reference)."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    with np.errstate(all="ignore"):  # inf - inf
        return a.shape == b.shape and bool((np.abs(a - b) <= atol + rtol * np.abs(b)).all())


def _numpy_all_zero(result):
    """silent_after's test of one result before the fast path (the reference)."""
    return bool(np.all(np.abs(np.asarray(result, dtype=float)) < ZERO))


def _number(rng):
    return rng.choice(SPECIAL) if rng.random() < 0.3 else rng.uniform(-3, 3) * 10.0 ** rng.randint(-6, 2)


def _result(rng, shape):
    if not shape:
        return _number(rng)
    return [_result(rng, shape[1:]) for _ in range(shape[0])]


def _near(rng, value):
    """`value` nudged here and there by about the tolerance, so both answers of close occur."""
    if isinstance(value, list):
        return [_near(rng, v) for v in value]
    r = rng.random()
    return value if r < 0.5 else value + rng.choice([1e-3, -1e-3, 1e-2, 2e-3, 1e-9]) * (1 + abs(value) * (r > 0.8))


def test_close_on_plain_float_lists_is_the_array_comparison_bit_for_bit():
    """Guards common.close's list path: random regular results (NaN, inf, -0.0, huge and tiny
    values), equal and unequal shapes, each compared both ways."""
    rng = random.Random(15)
    shapes = [(0,), (1,), (3,), (2, 3), (3, 1), (1, 0), (2, 2, 2)]
    answers = set()
    for _ in range(4000):
        shape = rng.choice(shapes)
        a = _result(rng, shape)
        b = _near(rng, a) if rng.random() < 0.7 else _result(rng, rng.choice(shapes))
        for rtol, atol in ((1e-2, 1e-3), (0.0, 0.0), (1e-9, 1e-12)):
            with np.errstate(all="ignore"):  # inf - inf, as under generate.draw's errstate
                assert close(a, b, rtol, atol) is _numpy_close(a, b, rtol, atol), (a, b)
                assert close(b, a, rtol, atol) is _numpy_close(b, a, rtol, atol), (b, a)
                answers.add(close(a, b, rtol, atol))
    assert answers == {True, False}


@pytest.mark.parametrize("a, b", [
    ([1, 2.0], [1.0, 2.0]),  # an int entry: left to NumPy
    ([[1.0], [2.0, 3.0]], [[1.0], [2.0]]),  # ragged: NumPy's own error
    ([np.float64(1.0)], [1.0]),
    (["1.0"], [1.0]),  # NumPy reads a numeric string
    ([None], [1.0]),
])
def test_close_leaves_anything_but_plain_float_lists_to_numpy(a, b):
    assert not float_row(a)
    try:
        want = _numpy_close(a, b, 1e-2, 1e-3)
    except ValueError:
        with pytest.raises(ValueError):
            close(a, b, 1e-2, 1e-3)
    else:
        assert close(a, b, 1e-2, 1e-3) is want


def test_all_zero_is_the_array_test_bit_for_bit():
    """Guards degenerate._all_zero (silent_after): floats, lists, and what it leaves to NumPy."""
    rng = random.Random(16)
    answers = set()
    for _ in range(4000):
        value = _result(rng, rng.choice([(), (0,), (2,), (2, 3), (1, 1)]))
        if rng.random() < 0.5:  # mostly tiny values, so both answers occur
            value = _near(rng, np.multiply(value, 1e-4).tolist() if isinstance(value, list) else value * 1e-4)
        assert _all_zero(value) is _numpy_all_zero(value), value
        answers.add(_all_zero(value))
    assert answers == {True, False}
    for odd in (0, 1, [0, 0.0], np.float64(0.0), np.zeros((2, 2))):
        assert _all_zero(odd) is _numpy_all_zero(odd)


def test_float_row_is_a_plain_float_vector_only():
    assert float_row([]) and float_row([1.0, -0.0, float("nan")])
    for value in ([[1.0]], [1.0, 1], [np.float64(1.0)], [True], 1.0, (1.0,), np.zeros(2), [None]):
        assert not float_row(value)
