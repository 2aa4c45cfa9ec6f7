"""No degenerate variant is ever drawn, for any family (issue 16): checked here independently of
bank/degenerate.py, on the record a student sees (its problem, re-solved by the engine)."""

from __future__ import annotations

import re

import numpy as np
import pytest

from quizgen.bank.generate import draw, structure, variant
from quizgen.bank.load import load_bank
from quizgen.bank.sample import activation_chain
from quizgen.engine.backprop import solve_backward, solve_forward
from quizgen.messages.text import say
from quizgen.problem import parse_problem

FAMILIES = load_bank()
SEEDS = (0, 2025)
PER_SEED = 20  # variants per family and seed; find-error-deep-relu (15% dead before) gets more
NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def output(problem: dict, X) -> np.ndarray:
    net = parse_problem(dict(problem, X=X))
    return solve_forward(net).output


def input_blind(problem: dict) -> bool:
    """Whether nudging the inputs leaves every output unchanged (finite differences, no engine rules)."""
    X = np.asarray(problem["X"], dtype=float)
    base = output(problem, X.tolist())
    for index in np.ndindex(X.shape):
        for h in (1e-4, -1e-4):
            nudged = X.copy()
            nudged[index] += h
            if np.max(np.abs(output(problem, nudged.tolist()) - base)) > 1e-9:
                return False
    return True


def dead_layer(problem: dict) -> int | None:
    """The first hidden ReLU layer whose outputs are all 0 on the batch, else None."""
    tape = solve_forward(parse_problem(problem))
    for i, (layer, t) in enumerate(zip(problem["layers"][:-1], tape.layers[:-1]), start=1):
        if "relu" in str(layer["activation"]) and not np.any(t.A):
            return i
    return None


def silent_after_mistake(q) -> bool:
    """find_error: every option after the wrong one shows only zeros."""
    wrong = "ABCDEFGH".index(q.answer.value)
    after = [say(c.text).rsplit("=", 1)[-1] for c in q.choices[wrong + 1:]]
    return bool(after) and all(all(float(n) == 0 for n in NUMBER.findall(text)) for text in after)


def variants(family):
    count = 120 if family.id == "find-error-deep-relu" else PER_SEED
    return [variant(family, i, seed) for seed in SEEDS for i in range(count)]


@pytest.mark.parametrize("family", FAMILIES, ids=lambda f: f.id)
def test_no_family_draws_a_degenerate_variant(family):
    for q in variants(family):
        if q.problem is None:
            continue
        where = f"{q.id}"
        assert dead_layer(q.problem) is None, where
        assert not input_blind(q.problem), where
        if q.kind in ("find_error", "formula_choice", "gradient_check"):  # their asked gradient, on the tape
            tape = solve_backward(solve_forward(parse_problem(q.problem)))
            asked = getattr(tape.layers[family.layer - 1], family.quantity)
            assert np.any(np.abs(asked) >= 5e-4), where
        if q.kind == "find_error":
            assert not silent_after_mistake(q), where


@pytest.mark.parametrize("family", [f for f in FAMILIES if structure(f, 0) is not None], ids=lambda f: f.id)
def test_a_variants_first_structure_is_known_without_building_it(family):
    """An exam scans indices by structure: a variant kept at its first draw has that structure."""
    for i in range(30):
        q, rejected = draw(family, i, 2025)
        if rejected:
            continue  # redrawn: it may end in another structure (the exam checks what it builds)
        s = structure(family, i, 2025)
        net = parse_problem(q.problem)
        units = (net.layers[0].units_in, *(layer.units_out for layer in net.layers))
        assert (units, net.m, net.loss.name) == (s.units, s.batch, s.loss), q.id
        assert [layer.activations for layer in net.layers] == [activation_chain(a) for a in s.activations], q.id
