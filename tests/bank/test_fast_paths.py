"""The speed fast paths give the very bits of the forms they replace (issue 15: output stays
byte-identical): precision.round_sig on one number, render.numbers.exact_digits."""

from __future__ import annotations

import math
import random

import numpy as np

from quizgen.bank.kinds.precision import round_sig
from quizgen.render.numbers import EXACT_DIGITS, EXACT_RTOL, exact_digits


def _numpy_round_sig(x, digits):
    """round_sig's 0-d form as it was written before the fast path (NumPy all the way)."""
    arr = np.asarray(x, dtype=float)
    mag = np.floor(np.log10(np.where(arr == 0, 1.0, np.abs(arr))))
    scale = 10.0 ** (digits - 1 - mag)
    return np.rint(arr * scale) / scale


def _every_k(x):
    """exact_digits as it was written before the fast path: every k formatted and parsed."""
    for k in range(1, EXACT_DIGITS + 1):
        if abs(float(f"{x:.{k}g}") - x) <= EXACT_RTOL * abs(x):
            return k
    return None


def _values(n=6000):
    """Grid arithmetic, its float noise, powers of ten and their neighbours, halves, zeros."""
    rng = random.Random(15)
    out = [0.0, -0.0, 0.5, -0.5, 2.5, 0.1 + 0.2, 0.3 - 0.2, 0.00125, -0.00125, 12345.5, 5e-324, 1e-300, 1e300,
           math.inf, -math.inf, math.nan]
    for e in range(-15, 16):
        p = 10.0 ** e
        out += [p, -p, math.nextafter(p, 0.0), math.nextafter(p, math.inf), 5 * p, 2.5 * p, 0.25 * p]
    for _ in range(n):
        r = rng.random()
        if r < 0.4:
            x = round(rng.uniform(-2, 2), 2) * round(rng.uniform(-2, 2), 2) / rng.choice([1, 2, 3, 4, 6, 8])
        elif r < 0.7:
            x = rng.uniform(-1, 1) * 10.0 ** rng.randint(-8, 8)
        else:
            x = float(1 / (1 + math.exp(-rng.uniform(-5, 5))))
        out += [x, math.nextafter(x, math.inf)]
    return out


def test_round_sig_of_one_number_is_the_numpy_form_bit_for_bit():
    """Guards precision._round_number (the carried-rounding pass rounds ~40 numbers a question)."""
    with np.errstate(all="ignore"):
        for digits in (2, 3, 4):
            for x in _values():
                for given in (x, np.float64(x), np.asarray(x)):
                    want, got = _numpy_round_sig(given, digits), round_sig(given, digits)
                    assert type(got) is type(want) and np.float64(got).tobytes() == np.float64(want).tobytes(), \
                        (digits, x, want, got)


def test_exact_digits_skips_only_what_cannot_pass():
    """Guards the digit-window shortcut of render.numbers.exact_digits."""
    for x in _values():
        assert exact_digits(x) == _every_k(x), x
