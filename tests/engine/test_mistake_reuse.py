"""Regression guard for `Backward.alters`: a mistake's pass that borrows the correct tape's values
where its rules compute the same gives exactly (bit for bit) the tape it computes from scratch."""

from __future__ import annotations

import numpy as np
import pytest

from quizgen.bank.load import load_bank
from quizgen.bank.sample import Degenerate, draw_network, solved
from quizgen.engine import mistakes
from quizgen.engine.backprop import Backward, solve_backward
from quizgen.engine.tape import Tape

FAMILIES = [f for f in load_bank("question_bank") if f.kind != "shapes_table"]
FIELDS = ("dA", "dZ", "dW", "db", "W_new", "b_new")


def tapes(family, count: int = 6):
    """Correct tapes of a few of the family's networks (degenerate draws skipped)."""
    rng = np.random.default_rng(7)
    out = []
    with np.errstate(all="ignore"):
        while len(out) < count:
            try:
                out.append(solved(draw_network(family, rng)))
            except Degenerate:
                continue
    return out


def same(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return np.array_equal(np.asarray(a), np.asarray(b), equal_nan=True)


def assert_same_tape(reused: Tape, fresh: Tape) -> None:
    assert same(reused.dX, fresh.dX)
    for r, f in zip(reused.layers, fresh.layers):
        for name in FIELDS:
            assert same(getattr(r, name), getattr(f, name)), name
        assert len(r.dH) == len(f.dH) and all(same(x, y) for x, y in zip(r.dH, f.dH))


def from_scratch(tape: Tape, rules: Backward, stop: int) -> Tape:
    """The pass with nothing borrowed: the same forward records, no correct tape to reuse."""
    return solve_backward(Tape(network=tape.network, layers=tape.layers, loss=tape.loss), rules, stop)


@pytest.mark.parametrize("family", FAMILIES, ids=lambda f: f.id)
def test_a_mistake_reusing_the_correct_tape_computes_what_it_computes_alone(family):
    for tape in tapes(family):
        net = tape.network
        last = len(net.layers) - 1
        for mistake in mistakes.CATALOG.values():
            if not mistake.applies(net):
                continue
            for only in (None, *range(len(net.layers))):
                for stop in sorted({0, last}):
                    def rules():
                        return mistake.rules() if only is None else mistakes.in_one_layer(mistake.rules, only, last)
                    with np.errstate(all="ignore"):
                        try:
                            fresh = from_scratch(tape, rules(), stop)
                        except ValueError:
                            continue
                        reused = solve_backward(tape, rules(), stop, correct=True)
                    assert_same_tape(reused, fresh)


def test_a_rule_overridden_without_saying_where_alters_every_layer():
    class Halved(Backward):
        def weight_gradient(self, layer, dZ, A_prev):
            return super().weight_gradient(layer, dZ, A_prev) / 2

    assert Halved().alters(None, 0, "weight_gradient")
    assert not Halved().alters(None, 0, "propagate")
    assert not Backward().alters(None, 0, "output_gradient")
