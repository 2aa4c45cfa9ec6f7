"""The engine against the closed forms a student learns, each recomputed here in plain NumPy."""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from quizgen.engine import solve
from quizgen.problem import parse_problem

seeds = st.integers(0, 2**32 - 1)


def one_layer(notation, activation, loss, reduction, X, Y, W, b=None):
    layer = {"W": W.tolist(), "activation": activation}
    if b is not None:
        layer["b"] = b.tolist()
    return parse_problem({"notation": notation, "loss": loss, "reduction": reduction,
                          "X": X.tolist(), "Y": Y.tolist(), "layers": [layer]})


@pytest.mark.parametrize("reduction, scale", [("mean", "1/m"), ("sum", "1")])
@settings(max_examples=25, deadline=None)
@given(seed=seeds, k=st.integers(1, 5), n=st.integers(1, 4), m=st.integers(1, 4))
def test_softmax_cross_entropy_gives_y_hat_minus_y(reduction, scale, seed, k, n, m):
    rng = np.random.default_rng(seed)
    X, W, b = rng.normal(size=(n, m)), rng.normal(size=(k, n)), rng.normal(size=k)  # column: (n, m), (k, n)
    Y = np.eye(k)[:, rng.integers(0, k, m)]  # one-hot, (k, m)
    tape = solve(one_layer("column", "softmax", "cross_entropy", reduction, X, Y, W, b))

    Z = W @ X + b[:, None]  # (k, m)
    Y_hat = np.exp(Z) / np.exp(Z).sum(axis=0)  # (k, m)
    expected = (Y_hat - Y) / (m if scale == "1/m" else 1)
    np.testing.assert_allclose(tape.layers[0].dZ, expected, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("reduction", ["mean", "sum"])
@settings(max_examples=25, deadline=None)
@given(seed=seeds, k=st.integers(1, 3), m=st.integers(1, 4))
def test_sigmoid_bce_gives_a_minus_y(reduction, seed, k, m):
    rng = np.random.default_rng(seed)
    X, W = rng.normal(size=(m, 3)), rng.normal(size=(3, k))  # row: (m, 3), (3, k)
    Y = rng.integers(0, 2, (m, k)).astype(float)
    tape = solve(one_layer("row", "sigmoid", "bce", reduction, X, Y, W))

    A = 1 / (1 + np.exp(-(X @ W)))  # (m, k)
    expected = (A - Y) / (m if reduction == "mean" else 1)
    np.testing.assert_allclose(tape.to_json()["layers"][0]["dZ"], expected, rtol=1e-9, atol=1e-12)


@settings(max_examples=25, deadline=None)
@given(seed=seeds, k=st.integers(1, 3), m=st.integers(1, 4))
def test_identity_half_sse_gives_a_minus_y_over_m(seed, k, m):
    rng = np.random.default_rng(seed)
    X, W, b, Y = rng.normal(size=(2, m)), rng.normal(size=(k, 2)), rng.normal(size=k), rng.normal(size=(k, m))
    tape = solve(one_layer("column", "identity", "half_sse", "mean", X, Y, W, b))

    A = W @ X + b[:, None]  # (k, m)
    np.testing.assert_allclose(tape.layers[0].dZ, (A - Y) / m, rtol=1e-9, atol=1e-12)


# Elementwise activations and their derivatives at the pre-activation P = Z_i W_i.
SIGMA = {
    "sigmoid": (lambda p: 1 / (1 + np.exp(-p)), lambda p: np.exp(-p) / (1 + np.exp(-p)) ** 2),
    "tanh": (np.tanh, lambda p: 1 / np.cosh(p) ** 2),
    "relu": (lambda p: np.maximum(p, 0), lambda p: (p > 0).astype(float)),
    "identity": (lambda p: p, np.ones_like),
}


@settings(max_examples=60, deadline=None)
@given(seed=seeds, units=st.lists(st.integers(1, 5), min_size=2, max_size=5),
       acts=st.lists(st.sampled_from(sorted(SIGMA)), min_size=4, max_size=4), m=st.integers(1, 4))
def test_batch_row_recursion_from_the_lecture_notes(seed, units, acts, m):
    """Row notation, no bias: Z_{i+1} = σ_i(Z_i W_i), ∇W_i = Z_iᵀ(G_{i+1} ∘ σ'(Z_i W_i)), G_i = (G_{i+1} ∘ σ'(Z_i W_i)) W_iᵀ."""
    rng = np.random.default_rng(seed)
    depth = len(units) - 1
    acts = acts[:depth]
    X = rng.normal(size=(m, units[0]))  # Z_1, (m, n_1)
    Ws = [rng.normal(size=(n_in, n_out)) for n_in, n_out in zip(units, units[1:])]  # (n_i, n_{i+1})
    Y = rng.normal(size=(m, units[-1]))
    net = parse_problem({"notation": "row", "loss": "half_sse", "X": X.tolist(), "Y": Y.tolist(),
                         "layers": [{"W": W.tolist(), "activation": a} for W, a in zip(Ws, acts)]})
    doc = solve(net).to_json()

    Zs = [X]
    for W, a in zip(Ws, acts):
        Zs.append(SIGMA[a][0](Zs[-1] @ W))  # (m, n_{i+1})
    G = (Zs[-1] - Y) / m  # G_{L+1} = dJ/dZ_{L+1} for half_sse, mean, (m, n_{L+1})
    grads, Gs = [None] * depth, [None] * depth
    for i in reversed(range(depth)):
        D = G * SIGMA[acts[i]][1](Zs[i] @ Ws[i])  # (m, n_{i+1})
        grads[i] = Zs[i].T @ D  # (n_i, m)·(m, n_{i+1}) -> (n_i, n_{i+1})
        G = D @ Ws[i].T  # (m, n_{i+1})·(n_{i+1}, n_i) -> (m, n_i)
        Gs[i] = G

    for i in range(depth):
        np.testing.assert_allclose(doc["layers"][i]["dW"], grads[i], rtol=1e-9, atol=1e-12, err_msg=f"dW{i + 1}")
        if i > 0:  # G_i is the gradient with respect to layer i's input, i.e. dA of layer i - 1
            np.testing.assert_allclose(doc["layers"][i - 1]["dA"], Gs[i], rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(doc["dX"], Gs[0], rtol=1e-9, atol=1e-12, err_msg="dX = G_1")


@settings(max_examples=40, deadline=None)
@given(seed=seeds, n_x=st.integers(1, 4), n_h=st.integers(1, 5), m=st.integers(1, 5))
def test_two_layer_tanh_sigmoid_bce_column_network(seed, n_x, n_h, m):
    """The classic course derivation (dZ2 = A2 − Y, the 1/m applied in dW, db); SGD W_new = W − η dW."""
    rng = np.random.default_rng(seed)
    X, Y = rng.normal(size=(n_x, m)), rng.integers(0, 2, (1, m)).astype(float)  # (n_x, m), (1, m)
    W1, b1 = rng.normal(size=(n_h, n_x)), rng.normal(size=n_h)
    W2, b2 = rng.normal(size=(1, n_h)), rng.normal(size=1)
    lr = 0.5
    tape = solve(parse_problem({
        "loss": "bce", "learning_rate": lr, "X": X.tolist(), "Y": Y.tolist(),
        "layers": [{"W": W1.tolist(), "b": b1.tolist(), "activation": "tanh"},
                   {"W": W2.tolist(), "b": b2.tolist(), "activation": "sigmoid"}]}))

    A1 = np.tanh(W1 @ X + b1[:, None])  # (n_h, m)
    A2 = 1 / (1 + np.exp(-(W2 @ A1 + b2[:, None])))  # (1, m)
    dZ2 = A2 - Y  # (1, m)
    dW2 = dZ2 @ A1.T / m  # (1, m)·(m, n_h) -> (1, n_h)
    db2 = dZ2.sum(axis=1) / m  # (1,)
    dZ1 = (W2.T @ dZ2) * (1 - A1**2)  # (n_h, 1)·(1, m) -> (n_h, m)
    dW1 = dZ1 @ X.T / m  # (n_h, m)·(m, n_x) -> (n_h, n_x)
    db1 = dZ1.sum(axis=1) / m  # (n_h,)

    first, second = tape.layers
    close = dict(rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(second.dZ * m, dZ2, **close)  # the engine folds 1/m into dJ/dA
    np.testing.assert_allclose(first.dZ * m, dZ1, **close)
    np.testing.assert_allclose(second.dW, dW2, **close)
    np.testing.assert_allclose(second.db, db2, **close)
    np.testing.assert_allclose(first.dW, dW1, **close)
    np.testing.assert_allclose(first.db, db1, **close)
    np.testing.assert_allclose(first.W_new, W1 - lr * dW1, **close)
    np.testing.assert_allclose(first.b_new, b1 - lr * db1, **close)
    np.testing.assert_allclose(second.W_new, W2 - lr * dW2, **close)
    np.testing.assert_allclose(second.b_new, b2 - lr * db2, **close)
