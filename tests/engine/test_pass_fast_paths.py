"""The mistake passes' and losses' speed forms give the very bits of the forms they replace
(issue 15: output stays byte-identical)."""

from __future__ import annotations

import numpy as np

from quizgen.engine.losses import _bce_gradient, _pull
from quizgen.engine.mistakes import InputSummed, _rows_of


def test_rows_of_is_broadcast_to_and_input_summed_multiplies_the_same_bits():
    """Guards mistakes._rows_of (InputSummed's Σ over features): the view broadcast_to made, and
    the product with it, for both orientations of A_prev and dZ."""
    rng = np.random.default_rng(15)
    rules = InputSummed()
    for i in range(5000):
        n0, m, n1 = (int(x) for x in rng.integers(1, 7, size=3))
        A = rng.normal(size=(n0, m)) if i % 2 else rng.normal(size=(m, n0)).T
        dZ = rng.normal(size=(n1, m)) if i % 3 else rng.normal(size=(m, n1)).T
        row = A.sum(axis=0, keepdims=True)
        fast, slow = _rows_of(row, A.shape), np.broadcast_to(row, A.shape)
        assert (fast.shape, fast.strides, fast.flags.writeable, fast.tobytes()) == (
            slow.shape, slow.strides, slow.flags.writeable, slow.tobytes())
        want = dZ @ np.broadcast_to(A.sum(axis=0, keepdims=True), A.shape).T
        got = rules.weight_gradient(0, dZ, A)
        assert (got.shape, got.strides, got.tobytes()) == (want.shape, want.strides, want.tobytes())


def test_bce_gradient_with_its_terms_inline_is_the_pull_plus_push_bit_for_bit():
    """Guards losses._bce_gradient (one errstate): labels 0, 1 and between, outputs at 0 and 1 too."""
    rng = np.random.default_rng(16)
    for _ in range(3000):
        shape = (int(rng.integers(1, 5)), int(rng.integers(1, 5)))
        a = rng.choice([0.0, 1.0, 1e-300, 0.5, 0.999999]) * (rng.random(shape) < 0.2) + rng.random(shape)
        a = np.clip(a, 0.0, 1.0)
        y = rng.choice([0.0, 1.0, 0.3], size=shape)
        with np.errstate(divide="ignore", invalid="ignore"):
            want = _pull(a, y) + np.where(y != 1, (1.0 - y) / (1.0 - a), 0.0)
        got = _bce_gradient(a, y)
        assert got.tobytes() == want.tobytes()


def test_activation_slips_apply_and_alter_where_the_rule_property_says():
    """Guards _ActivationSlip.applies/alters reading the registry directly: the answers
    Activation.rule gives, for every slip over networks of every activation chain."""
    from quizgen.engine import mistakes
    from quizgen.engine.activations import NAMES, Activation
    from quizgen.engine.losses import Loss
    from quizgen.engine.network import Network

    slips = [m.rules for m in mistakes.CATALOG.values() if issubclass(m.rules, mistakes._ActivationSlip)]
    names = list(NAMES)
    rng = np.random.default_rng(25)
    for _ in range(300):
        chains = [[Activation(names[int(i)]) for i in rng.integers(len(names), size=int(rng.integers(1, 3)))]
                  for _ in range(int(rng.integers(1, 4)))]
        net = Network.from_arrays("column", [np.ones((2, 2))] * len(chains), [None] * len(chains), chains,
                                  Loss("mse"), np.ones((2, 3)), np.ones((2, 3)))
        for rules in slips:
            acts = [a for layer in net.layers for a in layer.activations]
            assert rules.applies(net) == any(rules.mistake_id in a.rule.slips for a in acts)
            for index, layer in enumerate(net.layers):
                want = any(rules.mistake_id in a.rule.slips for a in layer.activations)
                assert rules().alters(net, index, "activation_backward") == want
