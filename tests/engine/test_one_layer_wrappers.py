"""A slip made in one layer (find_error) wraps only the rules its mistake overrides (issue 15,
speed): its passes give the very bits the class wrapping every rule gave, computed from scratch."""

from __future__ import annotations

import numpy as np
import pytest

from quizgen.bank.load import load_bank
from quizgen.engine import mistakes
from quizgen.engine.backprop import Backward, solve_backward
from quizgen.engine.tape import Tape

from tests.engine.test_mistake_reuse import tapes


def _every_rule_wrapped(rules, only, last):
    """in_one_layer's class as it was before (every rule wrapped): the reference."""
    class OneLayer(rules):
        def output_gradient(self, loss, A, Y):
            wrong = super().output_gradient(loss, A, Y)
            return wrong if only == last else Backward.output_gradient(self, loss, A, Y)

        def activation_backward(self, layer, act, z, a, da):
            if layer == only:
                return super().activation_backward(layer, act, z, a, da)
            return Backward.activation_backward(self, layer, act, z, a, da)

        def weight_gradient(self, layer, dZ, A_prev):
            if layer == only:
                return super().weight_gradient(layer, dZ, A_prev)
            return Backward.weight_gradient(self, layer, dZ, A_prev)

        def bias_gradient(self, layer, dZ):
            if layer == only:
                return super().bias_gradient(layer, dZ)
            return Backward.bias_gradient(self, layer, dZ)

        def propagate(self, net, layer, dZ):
            if layer == only:
                return super().propagate(net, layer, dZ)
            return Backward.propagate(self, net, layer, dZ)

        def weight_penalty(self, net, layer):
            if layer == only:
                return super().weight_penalty(net, layer)
            return Backward.weight_penalty(self, net, layer)

        def bias_penalty(self, net, layer):
            if layer == only:
                return super().bias_penalty(net, layer)
            return Backward.bias_penalty(self, net, layer)

    return OneLayer()


def _bits(a):
    return None if a is None else (np.asarray(a).shape, np.asarray(a).tobytes())


FAMILIES = [f for f in load_bank("question_bank") if f.kind in ("find_error", "gradient_entry", "gradient_matrix")]


@pytest.mark.parametrize("family", FAMILIES[:40], ids=lambda f: f.id)
def test_a_slip_in_one_layer_gives_the_bits_of_the_class_wrapping_every_rule(family):
    """Guards mistakes._one_layer's dropped wrappers: every mistake, layer and stop, every quantity."""
    with np.errstate(all="ignore"):
        for tape in tapes(family, count=4):
            net = tape.network
            last = len(net.layers) - 1
            for mistake in mistakes.CATALOG.values():
                if not mistake.applies(net):
                    continue
                for only in range(len(net.layers)):
                    for stop in sorted({0, only, last}):
                        try:
                            fast = mistake.backward(tape, stop=stop, only=only)
                        except mistakes.NotApplicable:
                            with pytest.raises(ValueError):
                                solve_backward(Tape(network=net, layers=tape.layers, loss=tape.loss),
                                               _every_rule_wrapped(mistake.rules, only, last), stop)
                            continue
                        slow = solve_backward(Tape(network=net, layers=tape.layers, loss=tape.loss),
                                              _every_rule_wrapped(mistake.rules, only, last), stop)
                        assert _bits(fast.dX) == _bits(slow.dX)
                        for f, s in zip(fast.layers, slow.layers):
                            for name in ("dA", "dZ", "dW", "db", "W_new", "b_new"):
                                assert _bits(getattr(f, name)) == _bits(getattr(s, name)), (mistake.id, only, name)
                            assert [_bits(x) for x in f.dH] == [_bits(x) for x in s.dH]
