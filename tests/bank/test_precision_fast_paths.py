"""The speed cuts in bank/kinds/precision.py give the very bits of the forms they replace (issue
15, speed: output stays byte-identical): `tolerance`, and `carried` computing only what its
target reads."""

from __future__ import annotations

import numpy as np
import pytest

from quizgen.bank.generate import variant
from quizgen.bank.kinds import precision
from quizgen.bank.kinds.precision import _Carried, half_unit, tolerance
from quizgen.bank.load import load_bank
from quizgen.engine.backprop import backward
from quizgen.engine.losses import objective
from quizgen.engine.tape import LayerTape, Tape
from quizgen.problem import parse_problem

RULES = [{"rule": "sig", "digits": 3}, {"rule": "sig", "digits": 4}, {"rule": "dec", "digits": 2},
         {"rule": "exact", "digits": 0}]


def _tolerance_before(value, p, widen=0.0):
    """`tolerance` as it was written before the cut: half_unit of the value, then both terms."""
    arr = np.asarray(value, dtype=float)
    return half_unit(arr, p["rule"], p["digits"]) + np.abs(widen) + precision.FUZZ * np.maximum(1.0, np.abs(arr))


def _values():
    rng = np.random.default_rng(15)
    yield 0.0
    yield -0.0
    yield 0.125
    yield np.float64(-3.25)
    yield np.asarray(2.5e-7)
    yield np.array([0.0, -0.0, 1e-300, 5e-324, 1e300, np.inf, np.nan, -2.0])
    for shape in [(1,), (3,), (2, 2), (3, 4), (10, 3)]:
        yield rng.normal(size=shape) * 10.0 ** rng.integers(-6, 6, size=shape)
        yield np.round(rng.normal(size=shape), 2)


@pytest.mark.parametrize("p", RULES, ids=lambda p: p["rule"] + str(p["digits"]))
def test_tolerance_is_the_two_pass_form_bit_for_bit(p):
    """Guards the one-magnitude tolerance and its skipped add of a 0.0 widening."""
    with np.errstate(all="ignore"):
        for value in _values():
            shape = np.shape(value)
            for widen in (0.0, -0.0, 1e-3, np.float64(0.0), np.full(shape, 2e-4), np.zeros(shape)):
                want, got = _tolerance_before(value, p, widen), tolerance(value, p, widen)
                assert type(got) is type(want)
                assert np.asarray(got).tobytes() == np.asarray(want).tobytes(), (value, widen)


def _carried_before(net, target, digits):
    """`carried` as it was written before the cut: the loss and a backward pass for every target."""
    rules, records, A = _Carried(digits), [], net.X
    for layer in net.layers:
        Z = rules.r(layer.W @ A + (layer.b[:, None] if layer.b is not None else 0.0))
        H, h = [], Z
        for act in layer.activations:
            h = rules.r(act.forward(h))
            H.append(h)
        records.append(LayerTape(A_prev=A, Z=Z, H=H))
        A = H[-1]
    loss = float(rules.r(objective(net, records[-1].A)))
    stop = int(target.split(".")[1]) if target.startswith("layers.") and target.split(".")[2][0] == "d" else 0
    dX = backward(net, records, rules, stop=stop) if target != "loss" else None
    return np.asarray(Tape(network=net, layers=records, loss=loss, dX=dX).value_at(target), dtype=float)


def _targets(net):
    """Every quantity a target may name in `net`, forward and backward, in each layer."""
    yield "loss"
    yield "dX"
    for i, layer in enumerate(net.layers):
        yield from (f"layers.{i}.{name}" for name in ("A_prev", "Z", "A", "dA", "dZ", "dW", "H.0"))
        if layer.b is not None:
            yield f"layers.{i}.db"
        if net.learning_rate is not None:
            yield f"layers.{i}.W_new"
            if layer.b is not None:
                yield f"layers.{i}.b_new"


def test_carried_computes_only_its_target_and_the_same_bits():
    """Guards the skipped loss, the skipped backward pass of a forward target and the stop of an
    SGD step's pass at its own layer."""
    seen = 0
    with np.errstate(all="ignore"):
        for family in load_bank(None):
            q = variant(family, 0, 0)
            if q.kind not in ("gradient_entry", "gradient_matrix", "sgd_update", "forward_value", "loss_value",
                              "output_delta") or not q.problem:
                continue
            net = parse_problem(q.problem)
            for target in _targets(net):
                for digits in (precision.CARRY, precision.EARLY):
                    want = _carried_before(net, target, digits)
                    assert precision.carried(net, target, digits).tobytes() == want.tobytes(), (family.id, target)
                    seen += 1
    assert seen > 500


def _round_sig_array_before(x, digits):
    """round_sig's array form as it was written before the zero check (every 0 looked for)."""
    arr = np.asarray(x, dtype=float)
    magnitude = np.abs(arr)
    magnitude[magnitude == 0.0] = 1.0
    exponent = np.log10(magnitude)
    np.floor(exponent, out=exponent)
    scale = np.power(10.0, np.subtract(float(digits - 1), exponent, out=exponent), out=exponent)
    out = np.multiply(arr, scale)
    np.rint(out, out=out)
    return np.divide(out, scale, out=out)


def test_round_sig_of_an_array_skips_only_the_zeros_it_does_not_have():
    """Guards round_sig's count_nonzero check (the 0 → 1 replacement runs only when there is a 0)."""
    rng = np.random.default_rng(3)
    with np.errstate(all="ignore"):
        for _ in range(3000):
            shape = tuple(int(n) for n in rng.integers(1, 5, size=rng.integers(1, 3)))
            a = rng.normal(size=shape) * 10.0 ** rng.integers(-9, 9, size=shape)
            if rng.random() < 0.5:
                a[rng.random(shape) < 0.3] = 0.0
            if rng.random() < 0.1:
                a.flat[0] = rng.choice([np.nan, np.inf, -0.0, 5e-324])
            for digits in (2, 3, 4):
                assert precision.round_sig(a, digits).tobytes() == _round_sig_array_before(a, digits).tobytes(), a


def _half_masked(arr, digits):
    """The sig rule's half unit as written before its all-positive fast path (both masks)."""
    positive = arr > 0
    exponent = np.floor(np.log10(np.where(positive, arr, 1.0)))
    return np.where(positive, 0.5 * 10.0 ** (exponent - float(digits - 1)), 0.0)


def test_half_unit_of_positive_magnitudes_skips_the_masks_bit_for_bit():
    # guards precision._half's unmasked path: the same bits as the masked form, and a 0, NaN or
    # inf entry still takes (or matches) the masked one
    for value in _values():
        magnitude = np.abs(np.asarray(value, dtype=float))
        for digits in (2, 3, 4):
            got = precision._half(magnitude, "sig", digits)
            want = _half_masked(magnitude, digits)
            assert np.shape(got) == np.shape(want)
            assert np.asarray(got).tobytes() == np.asarray(want).tobytes()


def _tolerance_array_form(value, p, widen=0.0):
    """`tolerance` as the array form computes it (the form its plain-float path for a few entries
    stands in for): _half of the magnitudes, the widening, then the float noise."""
    magnitude = np.abs(np.asarray(value, dtype=float))
    half = precision._half(magnitude, p["rule"], p["digits"])
    if not (type(widen) is float and widen == 0.0):
        half = half + np.abs(widen)
    return half + precision.FUZZ * np.maximum(1.0, magnitude)


def _every_decade(rng):
    """Arrays whose entries reach every exponent NumPy's array and scalar powers disagree on
    (10.0 ** -5 is one), sit next to powers of ten, or are 0, -0.0, tiny, huge, inf or nan."""
    near = []
    for e in range(-40, 40):
        p = float(f"1e{e}")
        near += [p, -p, np.nextafter(p, 0.0), np.nextafter(p, np.inf), 1.64794921875 * p, 9.995 * p]
    yield from (np.array(near[i:i + 6]) for i in range(0, len(near), 6))
    yield np.array([0.0, -0.0, 1e-250, 5e-324, 1e250, 3.0])
    yield np.array([1.0, np.inf, 2.0])
    yield np.array([np.nan, 0.5])
    for shape in [(), (1,), (4,), (2, 3), (4, 4), (2, 2, 2)]:
        for _ in range(300):
            yield rng.normal(size=shape) * 10.0 ** rng.integers(-30, 30, size=shape)
            yield np.round(rng.normal(size=shape), int(rng.integers(0, 4)))


def test_tolerance_of_a_few_entries_in_floats_is_the_array_form_bit_for_bit():
    """Guards tolerance's plain-float path for arrays of up to render.numbers.SMALL entries: the
    same bits as the array form (NumPy's log10 floor, its array power for arrays and its scalar
    power for a 0-d value), a NumPy scalar for a 0-d value, and the array form for what it skips."""
    rng = np.random.default_rng(15)
    with np.errstate(all="ignore"):
        for value in _every_decade(rng):
            for p in RULES + [{"rule": "sig", "digits": 1}, {"rule": "sig", "digits": 6}, {"rule": "dec", "digits": 5}]:
                for widen in (0.0, -0.0, 1e-3, np.abs(value) * 0.01 - 1e-4, np.float64(2e-5), np.float64(-0.0),
                              np.float64(-3e-4), np.float64(np.nan)):
                    want, got = _tolerance_array_form(value, p, widen), tolerance(value, p, widen)
                    assert type(got) is type(want), (value, p, widen)
                    assert np.asarray(got).tobytes() == np.asarray(want).tobytes(), (value, p, widen)
                    assert np.shape(got) == np.shape(want)


def _exact_decimals_array_form(value):
    """exact_decimals as the array form computes it (every entry scaled by 10.0**d, d = 0..8)."""
    arr = np.abs(np.asarray(value, dtype=float))
    for d in range(precision.EXACT_DECIMALS + 1):
        scaled = arr * 10.0**d
        if (scaled <= 1e12).all() and (np.abs(scaled - np.rint(scaled)) <= 1e-4).all():
            return d
    return None


def test_exact_decimals_of_a_few_entries_in_floats_is_the_array_form():
    """Guards exact_decimals' plain-float path: the same decimals for grid values, noisy values,
    values at the 1e12 edge, halves (rint's half-to-even) and inf or nan."""
    rng = np.random.default_rng(8)
    cases = [0.0, -0.0, 0.125, [0.1 + 0.2, 0.5], [1e12, 0.5], [1e4, 0.00005], [2.5e-9], [np.inf], [np.nan, 1.0],
             [0.30000000000000004, 1.00001], [], np.zeros((0, 3)), 12345.678901]
    for _ in range(4000):
        shape = tuple(int(n) for n in rng.integers(1, 5, size=rng.integers(0, 3)))
        grid = np.round(rng.normal(size=shape) * 10.0 ** int(rng.integers(-2, 5)), int(rng.integers(0, 10)))
        cases += [grid, grid + rng.normal(size=shape) * 10.0 ** int(rng.integers(-16, -3)), grid.tolist()]
    with np.errstate(all="ignore"):
        for value in cases:
            assert precision.exact_decimals(value) == _exact_decimals_array_form(value), value


def _round_sig_array_form(x, digits):
    """precision.round_sig's array forms (NumPy all the way), as written before the plain-float paths."""
    arr = np.asarray(x, dtype=float)
    mag = np.floor(np.log10(np.where(arr == 0, 1.0, np.abs(arr))))
    scale = 10.0 ** (digits - 1 - mag)
    out = np.rint(arr * scale) / scale
    return out


def test_round_sig_ndarray_gate_takes_only_native_float64_arrays():
    """Guards round_sig's first test (a native float64 ndarray of a few entries, contiguous):
    arrays of other dtypes, byte order, layout or size, subclasses and 0-d arrays give the bits,
    type and layout of the array forms, and so do the arrays the gate lets through."""
    rng = np.random.default_rng(21)
    base = rng.normal(size=(3, 4)) * 10.0 ** rng.integers(-5, 5, size=(3, 4))
    cases = [base, base.ravel(), base[:2, :3].copy(), base.T, base[:, 1], base.astype(">f8"), base.astype(np.float32),
             np.arange(-5, 7).reshape(3, 4), base.view(np.matrix), np.asarray(0.3721), np.array([0.0, -0.0, 5e-324]),
             np.tile(base, 2), base.reshape(2, 2, 3), np.zeros((0, 3))]
    with np.errstate(all="ignore"):
        for x in cases:
            for digits in (2, 4):
                want, got = _round_sig_array_form(x, digits), precision.round_sig(x, digits)
                assert np.asarray(got).tobytes() == np.asarray(want).tobytes(), (x, digits)
                assert np.shape(got) == np.shape(want) and np.asarray(got).dtype == np.float64
                if np.ndim(want):
                    assert got.flags.c_contiguous == want.flags.c_contiguous, x
