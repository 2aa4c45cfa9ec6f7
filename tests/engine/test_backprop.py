"""Backprop on random networks against finite differences, through the problem-file path.

Structure (layers, units, m, notation, activations, bias, loss, reduction) is drawn by hypothesis;
the numbers come from a drawn seed, so no entry lands exactly on a kink by accident.
"""

import numpy as np
import pytest
from hypothesis import assume, given, settings, strategies as st

from quizgen.engine import numerical_gradients, solve
from quizgen.problem import parse_problem

CHAINS = (["identity"], ["relu"], ["leaky_relu"], ["leaky_relu(0.1)"], ["sigmoid"], ["tanh"], ["softmax"],
          ["softplus"], ["elu"], ["elu(2)"], ["relu", "softmax"], ["tanh", "relu"], ["sigmoid", "elu(2)"])
OUTPUT_CHAINS = {
    "mse": CHAINS,
    "half_sse": CHAINS,
    "bce": (["sigmoid"], ["tanh", "sigmoid"], ["relu", "sigmoid"]),  # outputs in (0, 1)
    "cross_entropy": (["softmax"], ["relu", "softmax"], ["softplus"], ["sigmoid"]),  # positive outputs
}
KINKED = {"relu", "leaky_relu", "elu"}
MARGIN = 1e-3  # a kinked input this far from 0 stays on its side under an ε = 1e-6 nudge


def labels(loss: str, rng, k: int, m: int, one_hot: bool) -> np.ndarray:
    """Y in column orientation (k, m), valid for the loss."""
    if loss in ("mse", "half_sse"):
        return rng.uniform(-1, 1, (k, m))
    if one_hot:
        return np.eye(k)[:, rng.integers(0, k, m)]
    return rng.uniform(0, 1, (k, m))


def orient(notation: str, matrix: np.ndarray) -> list:
    return (matrix.T if notation == "row" else matrix).tolist()


@st.composite
def problems(draw, notation=None):
    """A problem dictionary as a file would hold it (arrays in the notation's own orientation)."""
    notation = notation or draw(st.sampled_from(["column", "row"]))
    loss = draw(st.sampled_from(list(OUTPUT_CHAINS)))
    depth = draw(st.integers(1, 4))
    units = draw(st.lists(st.integers(1, 5), min_size=depth + 1, max_size=depth + 1))
    m = draw(st.integers(1, 4))
    chains = [draw(st.sampled_from(CHAINS)) for _ in range(depth - 1)]
    chains.append(draw(st.sampled_from(OUTPUT_CHAINS[loss])))
    with_bias = draw(st.lists(st.booleans(), min_size=depth, max_size=depth))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))

    layers = []
    for n_in, n_out, chain, bias in zip(units, units[1:], chains, with_bias):
        layer = {"W": orient(notation, rng.uniform(-1, 1, (n_out, n_in))),
                 "activation": chain[0] if len(chain) == 1 else chain}
        if bias:
            layer["b"] = rng.uniform(-1, 1, n_out).tolist()
        layers.append(layer)
    problem = {
        "notation": notation,
        "loss": loss,
        "reduction": draw(st.sampled_from(["mean", "sum"])),
        "X": orient(notation, rng.uniform(-2, 2, (units[0], m))),
        "Y": orient(notation, labels(loss, rng, units[-1], m, draw(st.booleans()))),
        "layers": layers,
    }
    learning_rate = draw(st.sampled_from([None, 0.1, 0.5]))
    if learning_rate is not None:
        problem["learning_rate"] = learning_rate
    return problem


def away_from_kinks(tape) -> bool:
    """Every input of relu/leaky_relu/elu is exactly 0 (an example cut off upstream) or ≥ MARGIN from it."""
    for net_layer, t in zip(tape.network.layers, tape.layers):
        for k, act in enumerate(net_layer.activations):
            z_in = t.Z if k == 0 else t.H[k - 1]
            if act.name in KINKED and np.any((z_in != 0) & (np.abs(z_in) < MARGIN)):
                return False
    return True


def file_oriented(notation: str, array: np.ndarray) -> np.ndarray:
    return array.T if notation == "row" and array.ndim == 2 else array


@settings(max_examples=200, deadline=None)
@given(problem=problems())
def test_every_gradient_matches_finite_differences(problem):
    net = parse_problem(problem)
    tape = solve(net)
    assume(away_from_kinks(tape))
    doc = tape.to_json()

    numeric = numerical_gradients(net)

    o = problem["notation"]
    for i, (layer, expected) in enumerate(zip(doc["layers"], numeric["layers"]), start=1):
        np.testing.assert_allclose(layer["dW"], file_oriented(o, expected["dW"]), rtol=1e-5, atol=1e-7,
                                   err_msg=f"dW{i}")
        assert ("db" in layer) == ("b" in problem["layers"][i - 1])
        if "db" in layer:
            np.testing.assert_allclose(layer["db"], expected["db"], rtol=1e-5, atol=1e-7, err_msg=f"db{i}")
    np.testing.assert_allclose(doc["dX"], file_oriented(o, numeric["dX"]), rtol=1e-5, atol=1e-7, err_msg="dX")


@settings(max_examples=60, deadline=None)
@given(problem=problems())
def test_sgd_step_is_w_minus_learning_rate_times_gradient(problem):
    doc = solve(parse_problem(problem)).to_json()
    lr = problem.get("learning_rate")
    for given_layer, layer in zip(problem["layers"], doc["layers"]):
        if lr is None:
            assert "W_new" not in layer and "b_new" not in layer
            continue
        np.testing.assert_allclose(layer["W_new"], np.array(given_layer["W"]) - lr * np.array(layer["dW"]), rtol=1e-12)
        if "b" in given_layer:
            np.testing.assert_allclose(layer["b_new"], np.array(given_layer["b"]) - lr * np.array(layer["db"]),
                                       rtol=1e-12)
        else:
            assert "b_new" not in layer


def transposed(problem: dict) -> dict:
    """The same problem in the other notation: every matrix transposed, vectors unchanged."""
    T = lambda matrix: np.array(matrix).T.tolist()  # noqa: E731
    other = dict(problem, notation="row" if problem["notation"] == "column" else "column",
                 X=T(problem["X"]), Y=T(problem["Y"]))
    other["layers"] = [dict(layer, W=T(layer["W"])) for layer in problem["layers"]]
    return other


@settings(max_examples=80, deadline=None)
@given(problem=problems(notation="column"))
def test_row_notation_is_column_notation_transposed(problem):
    column = solve(parse_problem(problem)).to_json()
    row = solve(parse_problem(transposed(problem))).to_json()

    # Same numbers, but a transposed memory layout may change the summation order in the last bits.
    assert row["loss"] == pytest.approx(column["loss"], rel=1e-12)
    np.testing.assert_allclose(np.array(row["dX"]).T, column["dX"], rtol=1e-12, atol=1e-15)
    for r, c in zip(row["layers"], column["layers"]):
        assert r.keys() == c.keys()
        for key in ("Z", "A", "dA", "dZ", "dW", "W_new"):
            if key in c:
                np.testing.assert_allclose(np.array(r[key]).T, c[key], rtol=1e-12, atol=1e-15, err_msg=key)
        for key in ("db", "b_new"):
            if key in c:
                np.testing.assert_allclose(r[key], c[key], rtol=1e-12, atol=1e-15, err_msg=key)
        for h_row, h_col in zip(r["H"], c["H"]):
            np.testing.assert_allclose(np.array(h_row).T, h_col, rtol=1e-12, atol=1e-15)


def test_to_json_shapes_follow_the_file_orientation():
    problem = {"notation": "row", "loss": "half_sse", "learning_rate": 0.1,
               "X": [[1.0, 2.0, 3.0]] * 4, "Y": [[0.0, 1.0]] * 4,  # m = 4 examples, 3 features, 2 outputs
               "layers": [{"W": [[0.1, 0.2]] * 3, "b": [0.0, 0.1], "activation": ["tanh", "softmax"]}]}
    doc = solve(parse_problem(problem)).to_json()
    layer = doc["layers"][0]
    shape = lambda key: np.array(layer[key]).shape  # noqa: E731
    assert shape("Z") == shape("A") == shape("dA") == shape("dZ") == (4, 2)
    assert shape("dW") == shape("W_new") == (3, 2)
    assert shape("db") == shape("b_new") == (2,)
    assert np.array(layer["H"]).shape == (2, 4, 2)
    assert np.array(doc["dX"]).shape == (4, 3)
    assert layer["A"] == layer["H"][-1]
