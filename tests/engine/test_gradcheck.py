"""central_difference and numerical_gradients: the independent check must itself be exact and tidy."""

import numpy as np

from quizgen.engine.gradcheck import central_difference, numerical_gradients
from quizgen.problem import parse_problem


def test_central_difference_of_a_quadratic_is_exact():
    Q = np.array([[2.0, 0.5, 0.0], [0.5, 1.0, -1.0], [0.0, -1.0, 3.0]])
    c = np.array([1.0, -2.0, 0.5])
    x = np.array([0.3, -0.7, 1.1])

    grad = central_difference(lambda v: float(v @ Q @ v + c @ v + 4.0), x)

    np.testing.assert_allclose(grad, 2 * Q @ x + c, rtol=0, atol=1e-8)


def test_central_difference_restores_x_in_place():
    x = np.array([[0.1, -2.5], [3.0, 1e-3]])
    before = x.copy()
    seen = []

    central_difference(lambda v: seen.append(v is x) or float(np.sum(v**2)), x)

    assert all(seen)  # f is handed the caller's own array, perturbed in place ...
    np.testing.assert_array_equal(x, before)  # ... and every entry is put back exactly


def test_numerical_gradients_leaves_the_network_unchanged():
    net = parse_problem({
        "notation": "row", "loss": "mse",
        "X": [[0.3, -0.1], [0.7, 0.2]], "Y": [[1.0], [0.0]],
        "layers": [{"W": [[0.5, -0.2], [0.1, 0.4]], "b": [0.1, 0.0], "activation": "tanh"},
                   {"W": [[1.0], [-1.0]], "activation": "sigmoid"}],
    })
    before = [(layer.W.copy(), None if layer.b is None else layer.b.copy()) for layer in net.layers]
    X = net.X.copy()

    grads = numerical_gradients(net)

    for layer, (W, b) in zip(net.layers, before):
        np.testing.assert_array_equal(layer.W, W)
        if b is not None:
            np.testing.assert_array_equal(layer.b, b)
    np.testing.assert_array_equal(net.X, X)
    assert [sorted(entry) for entry in grads["layers"]] == [["dW", "db"], ["dW"]]
    assert grads["layers"][0]["dW"].shape == (2, 2) and grads["dX"].shape == (2, 2)  # internal orientation
