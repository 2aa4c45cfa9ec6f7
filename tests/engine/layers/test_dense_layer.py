"""The dense layer type against central differences, and against the network engine's own rules."""

import numpy as np
import pytest

from quizgen.engine.gradcheck import central_difference
from quizgen.engine.layers import TYPES, run
from quizgen.engine.network import Notation
from quizgen.messages import catalog


@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("notation", list(Notation))
def test_dense_backward_matches_central_differences(bias, notation):
    rng = np.random.default_rng(7)
    dense = TYPES["dense"]
    W, x = rng.normal(size=(3, 4)), rng.normal(size=(4, 5))
    params = {"W": W, "b": rng.normal(size=3) if bias else None}
    dy = rng.normal(size=(3, 5))
    tape = run(dense, x, params, dy)

    def objective(_):  # J = Σ dy ⊙ y, so dJ/dy = dy
        return float((dense.forward(x, params)[0] * dy).sum())

    assert np.allclose(tape["dW"], central_difference(objective, W))
    assert np.allclose(tape["dA_prev"], central_difference(objective, x))
    if bias:
        assert np.allclose(tape["db"], central_difference(objective, params["b"]))
    # Row notation is the transpose of every matrix: the same numbers, oriented at the edges.
    o = notation.orient
    assert np.allclose(o(tape["dW"]), o(central_difference(objective, W)))


def test_every_layer_type_declares_its_quantities_and_step_text():
    for name, layer in TYPES.items():
        assert set(layer.step_keys) <= set(layer.forward_quantities + layer.backward_quantities), name
        for quantity, key in layer.step_keys.items():
            assert key in catalog("en") and key in catalog("zh"), (name, quantity, key)
        assert {"d" + p for p in layer.params} <= set(layer.backward_quantities), name
