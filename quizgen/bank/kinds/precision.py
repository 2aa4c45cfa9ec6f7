"""What an answer asks for (exact, N significant figures, N decimals) and the tolerance it implies.

The tolerance is half a unit in the last asked digit, widened per entry only by the documented
rounding a student is told to do: approximate givens and intermediates carried at CARRY
significant figures. `carried` recomputes a target that way, so the widening is a computation,
not a guess; the same model carried at fewer digits gives the "rounded too early" value.
"""

from __future__ import annotations

import math

import numpy as np

from quizgen.bank.question import ask_key
from quizgen.engine.backprop import Backward, backward
from quizgen.engine.losses import objective
from quizgen.engine.tape import LayerTape, Tape
from quizgen.messages.text import text
from quizgen.render.numbers import SMALL, round_floats, round_number, unit_floats

SIG = 3  # significant figures asked of an answer that is not exact
CARRY = 4  # significant figures of approximate givens and of carried intermediates
EARLY = 2  # significant figures of a student who rounds intermediates too early
EXACT_DECIMALS = 8  # an exact answer needing more decimals than this is asked to SIG figures
FUZZ = 1e-9  # relative: floating-point noise at a tolerance boundary


def precision(rule: str, digits: int = 0, carry: int | None = None, whole: bool = False) -> dict:
    """The Answer.precision record: the rule, its digits, and the statement every writer shows
    (`whole`: an exact answer that is a count says it is a whole number)."""
    said = "whole" if whole and rule == "exact" else rule
    return {"rule": rule, "digits": int(digits), "carry": carry,
            "text": text(f"answer.precision_{said}", digits=int(digits))}


def sentence(p: dict | None):
    """The sentence appended to a prompt (a text): what to give, and what to carry; None: nothing."""
    if not p:
        return None
    ask = text(ask_key(p), digits=p["digits"], text=p["text"])
    return text("answer.ask_and_carry", ask=ask, carry=text("answer.ask_carry", carry=p["carry"])) if p.get("carry") else ask


def exact_decimals(value) -> int | None:
    """Decimals that write every entry exactly, or None if some entry needs more than EXACT_DECIMALS."""
    arr = np.abs(np.asarray(value, dtype=float))
    if 0 < arr.size <= SMALL:  # a few entries (most): in plain floats, the same tests
        return _small_exact_decimals(arr.ravel().tolist())
    for d in range(EXACT_DECIMALS + 1):
        scaled = arr * 10.0**d
        if (scaled <= 1e12).all() and (np.abs(scaled - np.rint(scaled)) <= 1e-4).all():  # float noise only
            return d
    return None


def _small_exact_decimals(magnitudes: list) -> int | None:
    """exact_decimals of plain magnitudes: `scaled` is the same product (10.0**d is a Python
    float in both), round() is rint's integer, and a nan or inf fails `<= 1e12` in both."""
    for d in range(EXACT_DECIMALS + 1):
        f = 10.0**d
        scaled = [m * f for m in magnitudes]
        if all(s <= 1e12 for s in scaled) and all(abs(s - round(s)) <= 1e-4 for s in scaled):
            return d
    return None


def half_unit(value, rule: str, digits: int) -> np.ndarray:
    """Half a unit in the last asked digit of each entry (0 for an exact answer)."""
    return _half(np.abs(np.asarray(value, dtype=float)), rule, digits)


def _half(arr: np.ndarray, rule: str, digits: int) -> np.ndarray:
    """half_unit of magnitudes `arr` (≥ 0), which it does not change."""
    if rule == "sig":
        if type(arr) is np.ndarray and arr.size and _MIN(arr, axis=None) > 0.0:
            # every entry positive (most values; a NaN fails the test): the same ufuncs without
            # the two masks, written into one scratch array
            exponent = np.log10(arr)
            np.floor(exponent, out=exponent)
            np.subtract(exponent, float(digits - 1), out=exponent)
            np.power(10.0, exponent, out=exponent)
            return np.multiply(0.5, exponent, out=exponent)
        positive = arr > 0
        exponent = np.floor(np.log10(np.where(positive, arr, 1.0)))  # never log10(0): no errstate needed
        return np.where(positive, 0.5 * 10.0 ** (exponent - float(digits - 1)), 0.0)
    if rule == "dec":
        return np.full(arr.shape, 0.5 * 10.0**-digits)
    return np.zeros(arr.shape)


def tolerance(value, p: dict, widen=0.0) -> np.ndarray:
    """Per-entry tolerance: half a unit, the carried-rounding widening, and float noise."""
    arr = np.asarray(value, dtype=float)
    if arr.size <= SMALL and arr.flags.c_contiguous:  # a few entries (most): in plain floats, the same bits
        out = _small_tolerance(arr.ravel().tolist(), p, widen, arr.shape, arr.ndim == 0)
        if out is not None:  # one number comes back as the array form gives it: a NumPy scalar
            return np.array(out).reshape(arr.shape) if arr.ndim else np.float64(out[0])
    # the magnitudes are taken once for both terms; adding a widening of 0.0 (the default) to
    # the half unit, which is never -0.0, changes no bit, so it is skipped
    magnitude = np.abs(arr)
    half = _half(magnitude, p["rule"], p["digits"])
    if not (type(widen) is float and widen == 0.0):
        half = half + np.abs(widen)
    if type(magnitude) is not np.ndarray or type(half) is not np.ndarray or half.shape != magnitude.shape:
        return half + FUZZ * np.maximum(1.0, magnitude)
    # the same sum, written into arrays this call made (no temporaries)
    fuzz = np.maximum(1.0, magnitude)
    return np.add(half, np.multiply(FUZZ, fuzz, out=fuzz), out=half)


_MIN = np.minimum.reduce  # np.min without its Python wrapper


def _small_tolerance(values: list, p: dict, widen, shape, scalar: bool) -> list | None:
    """`tolerance` of plain floats: each entry's terms, added in the array form's order (its
    log10 and power are NumPy's: render.numbers.unit_floats; `scalar`: a 0-d value, which NumPy
    computes as scalars). None for an entry that is not finite, a sig magnitude beyond 1e±200, or
    a widening that is neither a float (or NumPy float64) nor an array of the value's shape (the
    array form then answers)."""
    magnitudes = [abs(x) for x in values]
    if p["rule"] == "sig":  # the units are None for an inf or nan
        halves = unit_floats(magnitudes, p["digits"], scalar, 0.5)
    elif sum(magnitudes) < math.inf:  # no inf or nan (a sum that overflows takes the array form too)
        halves = [0.5 * 10.0**-p["digits"] if p["rule"] == "dec" else 0.0] * len(values)
    else:
        halves = None
    if halves is None:
        return None
    if type(widen) is float or type(widen) is np.float64:  # (a 0-d value's carried difference is a NumPy scalar)
        if widen != 0.0:  # adding a 0.0 changes no half (each ≥ +0.0): the array form skips it for a float
            w = abs(float(widen))
            halves = [h + w for h in halves]
    elif type(widen) is np.ndarray and widen.shape == shape and widen.dtype == np.float64:
        halves = [h + abs(w) for h, w in zip(halves, widen.ravel().tolist())]
    else:
        return None
    return [h + FUZZ * (m if m > 1.0 else 1.0) for h, m in zip(halves, magnitudes)]  # np.maximum(1.0, m), m finite


def scalar_tolerance(x: float, p: dict, widen: float = 0.0) -> float:
    """`tolerance` of one number, in plain floats: the same value bit for bit (log10 is NumPy's,
    as the array form computes it; the rest is exact IEEE arithmetic in the same order)."""
    a = abs(x)
    if p["rule"] == "sig":
        half = 0.5 * 10.0 ** (math.floor(np.log10(a)) - p["digits"] + 1) if a > 0 else 0.0
    elif p["rule"] == "dec":
        half = 0.5 * 10.0**-p["digits"]
    else:
        half = 0.0
    return half + abs(widen) + FUZZ * max(1.0, a)


def covers(p: dict, q: dict) -> bool | None:
    """Whether the tolerance of precision `p` is at least that of `q` for every value (True), at
    most (False), or either (None): two sig rules, or an exact one, compare without computing."""
    if p["rule"] == "exact":
        return False
    if p["rule"] == "sig" and q["rule"] == "sig":
        return p["digits"] <= q["digits"]
    return None


def round_sig(x, digits: int):
    """Round to `digits` significant figures, elementwise (0 stays 0)."""
    if type(x) is np.ndarray and x.ndim and x.dtype is _FLOAT64 and x.size <= SMALL and x.flags.c_contiguous:
        # the carried passes' arrays (most calls): the small-array path below without asarray's copy
        # check and the scalar tests, `ravel` only where there is more than one axis
        out = round_floats(x.tolist() if x.ndim == 1 else x.ravel().tolist(), digits)
        if out is not None:
            return np.array(out) if x.ndim == 1 else np.array(out).reshape(x.shape)
    if type(x) is float or type(x) is np.float64 or (type(x) is np.ndarray and x.ndim == 0):
        a = float(x)
        m = abs(a)
        if 1e-200 < m < 1e200 or m == 0.0:
            return round_number(a, m, digits)
    arr = np.asarray(x, dtype=float)
    if arr.ndim == 0:
        # log10 of 1 where x is 0 gives magnitude 0 with no divide warning, so no errstate is needed
        # (an errstate per call cost as much as the rounding); rint is round()'s own half-to-even.
        mag = np.floor(np.log10(np.where(arr == 0, 1.0, np.abs(arr))))
        scale = 10.0 ** (digits - 1 - mag)
        return np.rint(arr * scale) / scale
    if arr.size <= SMALL and arr.flags.c_contiguous:  # a few entries (most): in plain floats, the same bits
        out = round_floats(arr.ravel().tolist(), digits)
        if out is not None:
            return np.array(out) if arr.ndim == 1 else np.array(out).reshape(arr.shape)
    # the same ufuncs on the same values, written into one scratch array (fewer temporaries)
    magnitude = np.abs(arr)
    if np.count_nonzero(magnitude) != magnitude.size:  # only a 0 is replaced (by 1: magnitude 0); most have none
        magnitude[magnitude == 0.0] = 1.0
    exponent = np.log10(magnitude)
    np.floor(exponent, out=exponent)
    scale = np.power(10.0, np.subtract(float(digits - 1), exponent, out=exponent), out=exponent)
    out = np.multiply(arr, scale)
    np.rint(out, out=out)
    return np.divide(out, scale, out=out)


class _Carried(Backward):
    """The correct rules with every intermediate rounded to `digits` significant figures."""

    def __init__(self, digits: int):
        self.digits = digits

    def r(self, x):
        return round_sig(x, self.digits)

    def output_gradient(self, loss, A, Y):
        return self.r(super().output_gradient(loss, A, Y))

    def activation_backward(self, layer, act, z, a, da):
        if act.elementwise:
            return self.r(da * self.r(act.derivative(z, a)))
        return self.r(super().activation_backward(layer, act, z, a, da))

    def weight_gradient(self, layer, dZ, A_prev):
        return self.r(super().weight_gradient(layer, dZ, A_prev))

    def bias_gradient(self, layer, dZ):
        return self.r(super().bias_gradient(layer, dZ))

    def propagate(self, net, layer, dZ):
        return self.r(super().propagate(net, layer, dZ))


def _forward(net, rules: _Carried) -> list[LayerTape]:
    """The forward pass with every Z and activation output rounded by `rules`."""
    records, A = [], net.X
    for layer in net.layers:  # (n_out, n_in)·(n_in, m) -> (n_out, m)
        Z = rules.r(layer.W @ A + (layer.b[:, None] if layer.b is not None else 0.0))
        H, h = [], Z
        for act in layer.activations:
            h = rules.r(act.forward(h))
            H.append(h)
        records.append(LayerTape(A_prev=A, Z=Z, H=H))
        A = H[-1]
    return records


def carried(net, target: str, digits: int) -> np.ndarray:
    """The target as a student computes it carrying `digits` significant figures at every step."""
    rules = _Carried(digits)
    records = _forward(net, rules)
    # only what the target reads is computed: the loss for "loss" alone, no backward pass for a
    # forward quantity, none below the asked layer, and of that layer only the quantity asked
    path = target.split(".")
    loss = float(rules.r(objective(net, records[-1].A))) if target == "loss" else None  # data loss plus any L2 penalty
    dX = None
    if path[0] == "dX":
        dX = backward(net, records, rules, need="dX")
    elif path[0] == "layers" and path[2] not in _FORWARD:
        dX = backward(net, records, rules, stop=int(path[1]), need=path[2])
    return np.asarray(Tape(network=net, layers=records, loss=loss, dX=dX).value_at(target), dtype=float)


_FLOAT64 = np.dtype(float)  # native float64 (one object): an array of it is its own np.asarray(x, dtype=float)
_FORWARD = frozenset({"A_prev", "Z", "H", "A"})  # a layer's forward quantities (engine/tape.py LayerTape)


def needed_sig(value, decimals: int) -> int:
    """Significant figures that show `decimals` decimals of the largest entry (at least 4)."""
    top = float(np.max(np.abs(np.asarray(value, dtype=float)))) if np.size(value) else 0.0
    lead = int(math.floor(math.log10(top))) + 1 if top > 0 else 1
    return max(4, lead + decimals)


def carried_tape(net, digits: int, gradients: bool = True) -> Tape:
    """`carried`'s pass in full, for a kind that reads several targets of one network (every
    W_new and the loss): the same operations, each made once instead of once per target
    (`gradients=False`: the forward pass and loss alone)."""
    rules = _Carried(digits)
    records = _forward(net, rules)
    loss = float(rules.r(objective(net, records[-1].A)))  # data loss plus any L2 penalty
    dX = backward(net, records, rules) if gradients else None
    return Tape(network=net, layers=records, loss=loss, dX=dX)
