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


def test_decade_and_powers_are_numpys_bit_for_bit():
    """Guards the plain-float forms' building blocks: decade() is the floor of NumPy's log10 (libm's
    log10 differs from it in the last bit at times; beside a power of ten that moves the floor),
    pow10() NumPy's array power and scalar_pow10() its scalar power (they differ, at 10.0 ** -5)."""
    rng = np.random.default_rng(15)
    values = [float(f"{m}e{e}") for e in range(-200, 200) for m in (1, 2, 5, 9.999999999999999)]
    values += [math.nextafter(v, d) for v in values[::4] for d in (0.0, math.inf)]
    values += (10.0 ** rng.uniform(-200, 200, size=20000)).tolist()
    want = np.floor(np.log10(np.array(values)))
    assert [numbers.decade(v) for v in values] == want.astype(int).tolist()
    ks = np.arange(-330, 300, dtype=float)
    with np.errstate(all="ignore"):
        array_power = np.power(10.0, ks)
        assert np.array([numbers.pow10(int(k)) for k in ks]).tobytes() == array_power.tobytes()
        scalar_power = [float(10.0 ** np.float64(k)) for k in ks]
    assert np.array([numbers.scalar_pow10(int(k)) for k in ks]).tobytes() == np.array(scalar_power).tobytes()
    assert (np.array(scalar_power) != array_power).any()  # why there are two tables


def test_round_sig_of_a_few_entries_in_floats_is_the_array_form_bit_for_bit():
    """Guards round_sig's plain-float path (both modules) for arrays of up to SMALL entries, beside
    powers of ten, at every decade, with zeros of either sign, and the array form for the rest
    (inf, nan, subnormal, huge, more entries, a transposed array)."""
    from quizgen.bank.kinds import precision

    rng = np.random.default_rng(4)
    cases = [np.array([float(f"{m}e{e}") * s for m in (1, 9.9995, 4.5) for s in (1, -1)]) for e in range(-60, 60)]
    cases += [np.array([0.0, -0.0, 0.05, -0.25]), np.array([np.nan, 1.0]), np.array([1e-250, 1.0]),
              np.array([1.0, 1e250]), np.array([5e-324]), rng.normal(size=(4, 3)).T, rng.normal(size=17)]
    for _ in range(3000):
        shape = tuple(int(n) for n in rng.integers(1, 5, size=rng.integers(1, 3)))
        cases.append(rng.normal(size=shape) * 10.0 ** rng.integers(-20, 20, size=shape))
        cases.append(np.round(rng.normal(size=shape), 3) * (rng.random(shape) < 0.7))
    with np.errstate(all="ignore"):
        for a in cases:
            for digits in (1, 2, 3, 4, 6):
                want = _round_sig_before(a, digits)
                assert round_sig(a, digits).tobytes() == want.tobytes(), (a, digits)
                assert precision.round_sig(a, digits).tobytes() == want.tobytes(), (a, digits)
                assert precision.round_sig(a, digits).flags.c_contiguous == want.flags.c_contiguous


def test_fmt_rows_is_fmt_floats_of_each_row():
    """Guards fmt_rows (plain_tex's matrices): each row as fmt_floats writes it, joined, for numbers
    seen before and new ones alike."""
    values = _values(300)
    rows = [values[i:i + 4] for i in range(0, 200, 4)] + [[], [0.0, -0.0, 1e-13]]
    want = [" & ".join(fmt_floats(row)) for row in rows]
    numbers._SHOWN.clear()
    assert numbers.fmt_rows(rows, " & ") == want
    assert numbers.fmt_rows(rows, " & ") == want  # read back from the memo


def test_round_sig_beyond_a_floats_figures_takes_the_array_form():
    """Guards round_floats' digits check: 0 or more than 15 figures is the array form's answer
    (no OverflowError from a scale past the float range)."""
    a = np.array([1e-150, 2.5, -3.75e100])
    with np.errstate(all="ignore"):
        for digits in (0, 15, 16, 17, 18, 150, 400):
            assert round_sig(a, digits).tobytes() == _round_sig_before(a, digits).tobytes(), digits


def _every_k(x):
    """exact_digits as it was first written: every k formatted and parsed."""
    for k in range(1, numbers.EXACT_DIGITS + 1):
        if abs(float(f"{x:.{k}g}") - x) <= numbers.EXACT_RTOL * abs(x):
            return k
    return None


def test_exact_digits_whole_number_test_rejects_only_what_cannot_pass():
    """Guards exact_digits' first test (x · 10^(9 - e) near a whole number): short decimals of
    1 to 9 digits at every decade, nudged by relative amounts on either side of EXACT_RTOL,
    and values next to powers of ten, where log10's floor can be one off."""
    rng = random.Random(20)
    values = []
    for e in range(-279, 279, 3):
        for k in range(1, 11):
            d = rng.randrange(10 ** (k - 1), 10 ** k)
            x = float(f"{d}e{e - k + 1}")
            for rel in (0.0, 1e-16, 5e-16, 1.9e-15, 2e-15, 2.1e-15, 2.5e-15, 1e-14, 1e-12):
                for s in (1, -1):
                    values.append(s * x * (1 + rel))
                    values.append(s * x * (1 - rel))
            values += [math.nextafter(x, 0.0), math.nextafter(x, math.inf), 10.0 ** e,
                       math.nextafter(10.0 ** e, 0.0), 9.99999999 * 10.0 ** e, 9.999999999 * 10.0 ** e]
    values += [rng.uniform(-1, 1) * 10.0 ** rng.randint(-280, 280) for _ in range(20000)]
    values += [0.0, -0.0, 5e-324, 1e-280, 1e280, 1.7e308, math.inf, -math.inf, math.nan, 0.1 + 0.2, 1 / 3]
    passed = 0
    for x in values:
        want = _every_k(x)
        assert numbers.exact_digits(x) == want, x
        passed += want is not None
    assert passed > len(values) // 4  # the short decimals do pass: the test sees both outcomes


def test_round_floats_memo_and_rint_give_the_array_forms_bits():
    """Guards round_floats' kept results and its magic-number rint: ties (n + 0.5 after scaling,
    where half-to-even decides), both zeros, every figure count up to 15, read cold and again
    from the memo, and the memo starting again when full."""
    rng = random.Random(51)
    values = [0.0, -0.0, 0.5, -0.5, 1.5, 2.5, -2.5, 0.125, 0.0625, 1e-200 * 1.5, 9.5e199]
    for digits in range(1, 16):
        for _ in range(300):
            n = rng.randrange(10 ** (digits - 1), 10 ** digits)
            e = rng.randint(-30, 30)
            values += [float(f"{n}.5e{e - digits + 1}"), -float(f"{n}.5e{e - digits + 1}"),
                       (n + 0.5) * 2.0 ** rng.randint(-20, 0)]
    values += [rng.uniform(-1, 1) * 10.0 ** rng.randint(-25, 25) for _ in range(5000)]
    values += [math.nextafter(v, d) for v in values[:2000] for d in (0.0, math.inf)]
    with np.errstate(all="ignore"):
        for digits in range(1, 16):
            numbers._ROUNDED.clear()
            for rounds in range(2):  # cold, then from the memo
                for i in range(0, len(values), 7):
                    chunk = values[i:i + 7]
                    want, got = _round_sig_before(np.array(chunk), digits), numbers.round_floats(chunk, digits)
                    if got is None:  # a subnormal (a zero's neighbour): the array form answers
                        assert any(0.0 < abs(v) <= 1e-200 for v in chunk), chunk
                        continue
                    assert np.array(got).tobytes() == want.tobytes(), (chunk, digits)
    numbers._ROUNDED.clear()
    for i in range(numbers._ROUNDED_MAX + 10):
        numbers.round_floats([1.0 + i], 4)
    assert len(numbers._ROUNDED[4]) <= numbers._ROUNDED_MAX
    assert numbers.round_floats([-0.0, 0.0, -0.0], 4) == [0.0, 0.0, 0.0]
    assert [math.copysign(1.0, v) for v in numbers.round_floats([-0.0, 0.0, -0.0], 4)] == [-1.0, 1.0, -1.0]
