"""The speed cut in bank/steps.py gives the very records of the form it replaces (issue 15, speed:
output stays byte-identical): a step's arrays typeset once by their bits (`_typeset`)."""

from __future__ import annotations

import numpy as np

from quizgen.bank import steps
from quizgen.bank.latex import plain_tex
from quizgen.render.numbers import plain


def _same(a, b) -> bool:
    """Equal, bit for bit (the sign of a zero, a NaN), and of the same types, all the way down."""
    if isinstance(a, list):
        return type(b) is list and len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and np.float64(a).tobytes() == np.float64(b).tobytes()


def _cases():
    rng = np.random.default_rng(15)
    yield 0.5
    yield -0.0
    yield np.float64(1e-13)
    yield np.array(2.0)
    yield np.array([0.0, -0.0])
    yield np.array([[0.0], [0.0]])  # same bytes as [0.0, 0.0]: another shape
    yield np.zeros((0, 2))
    yield [[1.0, 2.0], [3.0, 4.0]]
    yield np.arange(-40.0, 40.0).reshape(8, 10) / 8  # more entries than the memo keeps
    for shape in [(1,), (3,), (2, 2), (3, 2), (2, 3), (4, 1)]:
        for _ in range(40):
            a = np.round(rng.normal(size=shape), int(rng.integers(0, 6)))
            a[rng.random(shape) < 0.2] = rng.choice([0.0, -0.0, 1e-13, -8.3e-17])
            yield a
            yield a.T


def test_typeset_is_floats_and_plain_tex_with_lists_of_its_own():
    """Guards the step memo: the record value and LaTeX the unmemoised form gives, for arrays met
    before and new ones, zeros of either sign, residue, shapes sharing bytes, transposes; and
    never a list another record holds (the memo's own copy stays untouched)."""
    steps._TYPESET.clear()
    for _round in range(2):
        for value in _cases():
            want_value, want_shape = steps._floats(value)
            got_value, got_tex, got_shape = steps._typeset(value)
            assert _same(got_value, want_value), value
            assert got_tex == plain_tex(want_value) and got_shape == want_shape
            again = steps._typeset(value)[0]
            if isinstance(again, list):
                assert again is not got_value
                again.append("changed")  # a caller changing its list changes no later answer
                assert _same(steps._typeset(value)[0], plain(np.asarray(value, dtype=float).tolist()))


def test_typeset_of_a_clean_array_reads_its_tolist_again():
    """Guards the memo's None entry: a value with no float noise is kept without its record value
    and answers with the array's own `.tolist()`: equal bits, a fresh list each call, and a value
    with noise beside it (same shape) still gets its cleaned copy."""
    steps._TYPESET.clear()
    clean, noisy = np.array([[0.5, 0.0], [2.0, 3.25]]), np.array([[0.5, 1e-17], [2.0, 3.25]])
    for value in (clean, noisy, clean, noisy):
        got, tex, shape = steps._typeset(value)
        want = plain(value.tolist())
        assert _same(got, want) and tex == plain_tex(want) and shape == (2, 2)
        assert got is not steps._typeset(value)[0] and got[0] is not steps._typeset(value)[0][0]
    assert steps._TYPESET[((2, 2), clean.tobytes())][0] is None
    assert steps._TYPESET[((2, 2), noisy.tobytes())][0] == [[0.5, 0.0], [2.0, 3.25]]
