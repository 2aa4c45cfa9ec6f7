"""engine/carry.py: the re-run behind error carried forward agrees with the full backward pass,
and its linear map is the same re-run as a matrix (what the study site ships)."""

from __future__ import annotations

import numpy as np
import pytest

from quizgen.bank.load import load_bank
from quizgen.bank.sample import Degenerate, draw_network, solved
from quizgen.engine import carry

from pathlib import Path

BANK = Path(__file__).resolve().parents[2] / "question_bank"
FAMILIES = {f.id: f for f in load_bank(BANK)}


def solved_draw(family: str, seed: int):
    """The first non-degenerate draw of `family` from `seed` on (as the bank redraws)."""
    rng = np.random.default_rng(seed)
    for _ in range(200):
        try:
            return solved(draw_network(FAMILIES[family], rng))
        except Degenerate:
            continue
    raise AssertionError(family)


@pytest.mark.parametrize("family", ["exam-relu-softmax-parts", "sigmoid-delta-chain", "deep-relu-three-layer-dw1"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_rerun_from_the_right_value_gives_the_tape(family, seed):
    tape = solved_draw(family, seed)
    net = tape.network
    for i in range(len(net.layers)):
        for start in (f"layers.{i}.dA", f"layers.{i}.dZ"):
            again = carry.rerun(tape, start, tape.value_at(start))
            for j in range(i + 1):
                for name in ("dZ", "dW", "db"):
                    np.testing.assert_allclose(again.value_at(f"layers.{j}.{name}"),
                                               tape.value_at(f"layers.{j}.{name}"), rtol=1e-12, atol=1e-12)
            np.testing.assert_allclose(again.dX, tape.dX, rtol=1e-12, atol=1e-12)


def test_linear_map_is_the_rerun_for_any_value():
    tape = solved_draw("sigmoid-delta-chain", 5)
    rng = np.random.default_rng(0)
    for start, target in (("layers.1.dZ", "layers.0.dW"), ("layers.1.dZ", "layers.1.dW"), ("layers.0.dA", "layers.0.db")):
        value = rng.normal(size=np.shape(tape.value_at(start)))
        M = carry.linear_map(tape, start, target)
        np.testing.assert_allclose(M @ value.ravel(), carry.carried(tape, start, value, target).ravel(), atol=1e-12)


def test_rerun_starts_only_at_da_or_dz():
    with pytest.raises(ValueError):
        carry.rerun(solved_draw("sigmoid-delta-chain", 0), "layers.1.dW", np.zeros((1, 2)))


@pytest.mark.parametrize("family", ["exam-relu-softmax-parts", "sigmoid-delta-chain", "deep-relu-three-layer-dw1"])
def test_rerun_to_one_target_gives_that_value_bit_for_bit(family):
    """Guards carried()'s short pass (rerun with target=): the value it reads equals the full re-run's exactly."""
    tape = solved_draw(family, 3)
    rng = np.random.default_rng(1)
    layers = len(tape.network.layers)
    for i in range(layers):
        for start in (f"layers.{i}.dA", f"layers.{i}.dZ"):
            value = rng.normal(size=np.shape(tape.value_at(start)))
            full = carry.rerun(tape, start, value)
            for j in range(i + 1):
                for name in ("dZ", "dW", "db", "dA"):
                    target = f"layers.{j}.{name}"
                    if getattr(full.layers[j], name) is None:
                        continue
                    short = carry.rerun(tape, start, value, target).value_at(target)
                    assert np.array_equal(short, full.value_at(target)), target
