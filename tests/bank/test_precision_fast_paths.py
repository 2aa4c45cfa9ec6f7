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
