"""Number display shared by every renderer: short, exact where possible, deterministic."""

from __future__ import annotations

import math
import re
from itertools import chain, repeat
from operator import not_
from functools import lru_cache

import numpy as np

from quizgen.render.width import rjust, width


EXACT_DIGITS = 9  # a value that is a decimal of at most this many significant digits is shown whole
EXACT_RTOL = 2e-15  # float noise of grid arithmetic (0.1 + 0.2) still counts as that decimal
NOISE = 1e-12  # a float this close to 0 is the residue of an exact 0 (a − y summed to 8.327e-17)


def fmt(x: float, digits: int = 4, exact: bool = True) -> str:
    """A number as a student would write it: integers bare, a short exact decimal whole (2.2625,
    not 2.263: an exact quantity is never rounded), anything else to `digits` significant.
    exact=False rounds every number to `digits`."""
    kind = type(x)
    if (kind is float or kind is np.float64) and digits == 4 and exact:  # the default, most numbers: one dict lookup
        text = _SHOWN.get(x)
        return text if text is not None else shown(x)
    return _fmt(float(x), digits, exact)


# fmt(x) of every number shown at the default 4 digits so far: a step's numbers recur in the
# next steps, the mistakes' steps and the pages, and a dict lookup is several times cheaper than
# fmt's own cache (equal keys, 1 and 1.0 or 0.0 and -0.0, have equal texts). Bounded, per process.
_SHOWN: dict[float, str] = {}
_SHOWN_MAX = 100_000


def shown(x: float) -> str:
    """fmt(x) at 4 digits, memoised."""
    text = _SHOWN.get(x)
    if text is None:
        if len(_SHOWN) >= _SHOWN_MAX:
            _SHOWN.clear()
        # _SHOWN missed, so _fmt's own cache almost surely does too: call the function beneath it
        text = _SHOWN[x] = _fmt.__wrapped__(float(x), 4, True)
    return text


def fmt_floats(values: list, digits: int = 4) -> list[str]:
    """fmt over Python floats (a `.tolist()` row), skipping the per-number float() of `fmt`."""
    if digits == 4:
        get = _SHOWN.get
        return [get(v) or shown(v) for v in values]
    return [_fmt(v, digits, True) for v in values]


def fmt_rows(rows: list, sep: str) -> list[str]:
    """Each row of Python floats (a `.tolist()` matrix) written as fmt does at 4 digits, joined by
    `sep`: fmt_floats of each row without a call per row (a loop: cheaper than nested lists)."""
    get, out = _SHOWN.get, []
    for row in rows:
        out.append(sep.join([get(v) or shown(v) for v in row]))
    return out


def plain(v):
    """A number, vector or matrix (floats, lists of them, or a NumPy array) as plain Python values
    with floating-point residue of an exact 0 (|x| < NOISE, and -0.0) written 0.0; other values
    (ints, strings) untouched. A list holding no residue comes back as the same object: the
    common case copies nothing. The one place float noise is cleaned, for records and pages."""
    if type(v) is not list and isinstance(v, np.ndarray):  # a list (most calls) skips the array test
        v = v.astype(float, copy=False).tolist()
    if isinstance(v, list):
        if not v:
            return v
        try:  # the common cases, checked in C: the smallest magnitude is no residue, or (exact
            # zeros: one-hot targets, ReLU) no nonzero entry is residue and no zero is -0.0; the
            # first min() has no default= (a keyword argument costs as much as the test itself)
            nested = isinstance(v[0], list)
            flat = chain.from_iterable(v) if nested else v
            if min(map(abs, flat)) >= NOISE:
                return v
            flat = [*chain.from_iterable(v)] if nested else v
            if (min(map(abs, filter(None, flat)), default=NOISE) >= NOISE
                    and min(map(math.copysign, repeat(1.0), filter(not_, flat)), default=1.0) > 0.0):
                return v
        except (TypeError, ValueError):  # not all numbers, or an empty row: look entry by entry
            pass
        if v and isinstance(v[0], list):
            rows = [plain(row) for row in v]
            return v if all(a is b for a, b in zip(rows, v)) else rows
        for x in v:
            if isinstance(x, float) and -NOISE < x < NOISE and (x or math.copysign(1.0, x) < 0):
                return [0.0 if isinstance(x, float) and -NOISE < x < NOISE else x for x in v]
        return v
    if isinstance(v, float) and -NOISE < v < NOISE:
        return 0.0
    return v


def exact_digits(x: float) -> int | None:
    """The fewest significant digits that write x exactly (up to float noise), or None.

    Only a k whose next four digits (of x's 17) are all 0 or all 9 can pass the round trip (x is
    within EXACT_RTOL, about 2 units of the 15th digit, of k digits), so the others are skipped
    without formatting and parsing: the same answer, bit for bit, at a fraction of the cost for
    the noisy values that pass no k at all."""
    m = abs(x)
    if not 1e-280 < m < 1e280:  # 0, subnormal, huge, inf, nan: every k, as written
        return _exact_digits(x)
    # Most values (a sigmoid's output, a gradient) are no short decimal at all: a value that
    # passes some k is within ~2.2e-15 relative of a multiple of 10^(e - 8), e its decade, so
    # x · 10^(9 - e) lies within 2.2e-4 of a whole number (3.4e-5 more for the float product, and
    # an e off by one from log10 keeps both true). Farther than _NEAR: no k passes; no formatting.
    y = m * _TENS[EXACT_DIGITS - _floor(_log10(m)) + _TENS_FROM]
    if abs(y - round(y)) > _NEAR:
        return None
    digits = f"{m:.16e}"  # "d.dddddddddddddddde±XX": digit k ≥ 1 of the 17 sits at index k + 1
    k = 1
    # each k whose window of digits k..k + 3 is all 0s and 9s, found by one regex scan (most values
    # have none): the same k, in the same order, as testing each window in turn
    while (window := _WINDOW.search(digits, k + 1, EXACT_DIGITS + 5)) is not None:
        k = window.start() - 1
        if abs(float(f"{x:.{k}g}") - x) <= EXACT_RTOL * abs(x):
            return k
        k += 1
    return None


_WINDOW = re.compile("[09]{4}")  # four of x's 17 digits, each a 0 or a 9
# exact_digits' first test: 10.0 ** k by k + _TENS_FROM (x within 1e±280: k from -271 to 290),
# and the distance from a whole number beyond which no k passes (4× the bound for margin). The
# bound needs x · 10^(9 - e) < 1e11 far below 2^53, so EXACT_DIGITS stays 9 or so.
_TENS_FROM = 300
_TENS = tuple(10.0 ** k for k in range(-_TENS_FROM, _TENS_FROM))
_NEAR = 4 * (EXACT_RTOL + 2.0 ** -52) * 10.0 ** (EXACT_DIGITS + 2)


def _exact_digits(x: float) -> int | None:
    """exact_digits trying every k (for the values its shortcut does not cover)."""
    for k in range(1, EXACT_DIGITS + 1):
        if abs(float(f"{x:.{k}g}") - x) <= EXACT_RTOL * abs(x):
            return k
    return None


@lru_cache(maxsize=65536)
def _fmt(x: float, digits: int, exact: bool) -> str:
    if abs(x) < 1e-12:  # floating-point residue of an exact 0 (e.g. a − y summed to nothing)
        return "0"
    if not math.isfinite(x):
        return "0" if x == 0 else str(x)
    if x == round(x) and abs(x) < 1e12:
        return str(int(round(x)))
    if exact:
        digits = max(digits, exact_digits(x) or digits)
    text = f"{x:.{digits}g}"
    if "e" in text:
        mant, exp = text.split("e")
        return f"{mant}e{int(exp)}"
    return text


def round_sig(x, digits: int = 4):
    """Round to `digits` significant digits (elementwise), as displayed by fmt."""
    if type(x) is float or type(x) is np.float64:  # one number: plain floats, the same bits (round_number)
        a = float(x)
        m = abs(a)
        if 1e-200 < m < 1e200 or m == 0.0:
            return float(round_number(a, m, digits))
    arr = np.asarray(x, dtype=float)
    if 0 < arr.ndim and arr.size <= SMALL and arr.flags.c_contiguous:  # a few entries: in plain floats
        out = round_floats(arr.ravel().tolist(), digits)
        if out is not None:
            return np.array(out).reshape(arr.shape)
    # log10 of 1 where x is 0 (magnitude 0 either way): no divide warning, so no errstate, which
    # cost as much as the rounding; every other entry's magnitude is the same log10
    mag = np.where(arr == 0, 0, np.floor(np.log10(np.where(arr == 0, 1.0, np.abs(arr)))))
    scale = 10.0 ** (digits - 1 - mag)
    out = np.round(arr * scale) / scale
    return out if out.ndim else float(out)


_SCALES: dict[int, float] = {}  # 10.0 ** k as the NumPy scalar power computes it, by exponent k


def round_number(a: float, m: float, digits: int) -> np.float64:
    """The 0-d case of `round_sig` (this one and bank/kinds/precision.py's) for a Python float `a`
    (|a| = m, 0 or within 1e±200), in plain floats: the same bits as the NumPy form (log10 is
    NumPy's; the power is NumPy's, made once per exponent; ×, ÷ are IEEE; round() is rint's
    half-to-even, with the sign of a zero kept), about six times faster."""
    scale = scalar_pow10(digits - 1 - (math.floor(np.log10(m)) if m else 0))
    y = a * scale
    return np.float64(math.copysign(float(round(y)), y) / scale)


# A small array is rounded in plain floats: a NumPy call costs about as much as a dozen float
# operations, and the array forms make nine of them. The bits are those of the array forms:
# NumPy's own log10 and power are asked wherever libm's could differ (both tables are bounded:
# an exponent of a number within 1e±200, a magnitude next to a power of ten).
SMALL = 16  # entries up to which the plain-float forms are cheaper than the array forms
_POW10: dict[int, float] = {}  # 10.0 ** k as NumPy's array power gives it (its scalar power can differ)
_DECADE: dict[float, int] = {}  # decade(m) of magnitudes next to a power of ten, NumPy's log10 asked
_DECADE_MAX = 4096
_EDGE = 1e-9  # farther than this from a whole number, NumPy's and libm's log10 floor alike


def pow10(k: int) -> float:
    """10.0 ** k (k whole) with the bits of NumPy's array power, which the array forms use."""
    scale = _POW10.get(k)
    if scale is None:
        scale = _POW10[k] = float(np.power(10.0, np.array([float(k)]))[0])
    return scale


def scalar_pow10(k: int) -> float:
    """10.0 ** k (k whole) with the bits of NumPy's scalar power (libm's), which a 0-d form uses."""
    scale = _SCALES.get(k)
    if scale is None:
        scale = _SCALES[k] = float(10.0 ** np.float64(k))
    return scale


def decade(m: float) -> int:
    """floor(log10(m)) for a finite m > 0, as NumPy's log10 gives it. libm's log10 differs from
    NumPy's in the last bit at times, which can move the floor only next to a whole number."""
    l = math.log10(m)
    e = math.floor(l)
    if _EDGE < l - e < _BELOW_ONE:
        return e
    e = _DECADE.get(m)
    if e is None:
        if len(_DECADE) >= _DECADE_MAX:
            _DECADE.clear()
        e = _DECADE[m] = int(np.floor(np.log10(np.array([m])))[0])
    return e


def round_floats(values: list, digits: int) -> list | None:
    """round_sig of plain floats (both modules' array forms: the same ufuncs, in the same order),
    or None if an entry is not 0 nor within 1e±200 (the caller then takes the array form).
    decade() and pow10() are written out in the loop: a call costs as much as the arithmetic.
    Each result is kept by value and digits (_ROUNDED): the carried passes round about half
    their numbers again (a rounded Z is rounded as the next activation's input, the givens
    at every pass)."""
    if not 0 < digits <= _RINT_DIGITS:  # beyond, y may pass 2^51: the array forms answer
        return None
    memo = _ROUNDED.get(digits)
    if memo is None or len(memo) >= _ROUNDED_MAX:
        memo = _ROUNDED[digits] = {}
    out = []
    top = digits - 1
    for a in values:
        r = memo.get(a)  # a 0 is never kept (0.0 and -0.0 are one key), nor a nan (no key finds it)
        if r is None:
            m = abs(a)
            if 1e-200 < m < 1e200:
                l = _log10(m)
                e = _floor(l)
                if not _EDGE < l - e < _BELOW_ONE:
                    e = decade(m)
                scale = _POW10.get(top - e) or pow10(top - e)
                y = a * scale
                # (y + _RINT) - _RINT is rint(y), half to even, for |y| < 2^51 (y < 10^digits
                # here): the float sum's own rounding, and no int made as round() makes one;
                # copysign gives a zero y's sign, as rint does
                r = memo[a] = _copysign((y + _RINT) - _RINT, y) / scale
            elif m == 0.0:  # magnitude 0 in the array forms: ±0 · scale rounds and divides to itself
                r = a
            else:
                return None
        out.append(r)
    return out


_RINT = 6755399441055744.0  # 1.5 · 2^52: adding it leaves a float with ulp 1 for |y| < 2^51
_RINT_DIGITS = 15  # figures up to which |y| < 10^digits stays below 2^51
_ROUNDED: dict[int, dict[float, float]] = {}  # round_floats' results by digits, then by value
_ROUNDED_MAX = 8192  # values kept per digits (per process); the dict starts again when full


def unit_floats(magnitudes: list, digits: int, scalar: bool = False, times: float = 1.0) -> list | None:
    """`times` the unit in the last of `digits` significant figures of each magnitude m ≥ 0,
    times * 10.0 ** (floor(log10(m)) - (digits - 1)), and 0.0 for m = 0, with the bits of the
    array form (`scalar`: of the 0-d form, which NumPy computes with its scalar power); None if
    an m is not 0 nor within 1e±200 (the caller then takes the array form)."""
    out = []
    table, power = (_SCALES, scalar_pow10) if scalar else (_POW10, pow10)
    for m in magnitudes:
        if 1e-200 < m < 1e200:
            l = _log10(m)
            e = _floor(l)
            if not _EDGE < l - e < _BELOW_ONE:
                e = decade(m)
            e -= digits - 1
            out.append(times * (table.get(e) or power(e)))
        elif m == 0.0:
            out.append(0.0)
        else:
            return None
    return out


_log10, _floor, _copysign = math.log10, math.floor, math.copysign
_BELOW_ONE = 1.0 - _EDGE


def shape_text(shape) -> str:
    return "(" + ", ".join(str(d) for d in shape) + ")" if len(shape) != 1 else f"({shape[0]},)"


def matrix_lines(a, digits: int = 4) -> list[str]:
    """A matrix or vector as aligned text rows inside brackets."""
    arr = np.atleast_2d(np.asarray(a, dtype=float))
    cells = [[fmt(v, digits) for v in row] for row in arr]
    columns = max(width(c) for row in cells for c in row)  # display columns (quizgen.render.width)
    rows = ["  ".join(rjust(c, columns) for c in row) for row in cells]
    if len(rows) == 1:
        return [f"[ {rows[0]} ]"]
    out = []
    for i, r in enumerate(rows):
        left, right = ("⎡", "⎤") if i == 0 else ("⎣", "⎦") if i == len(rows) - 1 else ("⎢", "⎥")
        out.append(f"{left} {r} {right}")
    return out


def example_answer(shape) -> tuple[str, str]:
    """A made-up answer of the asked shape, bracketed and plain: (2,) -> ("[1, 2]", "1 2"),
    (2, 1) -> ("[[1], [2]]", "1; 2"). Long matrices show their first two rows, then "…"."""
    shape = list(shape or [])
    if len(shape) == 1:
        row = [str(i + 1) for i in range(shape[0])]
        return "[" + ", ".join(row) + "]", " ".join(row)
    rows, cols = shape
    cells = [[str(r * cols + c + 1) for c in range(cols)] for r in range(min(rows, 3 if rows == 3 else 2))]
    more = rows > len(cells)
    bracketed = "[" + ", ".join("[" + ", ".join(r) + "]" for r in cells) + (", …" if more else "") + "]"
    plain = "; ".join(" ".join(r) for r in cells) + ("; …" if more else "")
    return bracketed, plain
