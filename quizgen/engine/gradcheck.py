"""Central finite differences: the independent check of every backward rule.

Public because a numerical gradient check is itself a question kind.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from quizgen.engine.network import Network


def central_difference(f: Callable[[np.ndarray], float], x: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    """∂f/∂x by (f(x + ε) − f(x − ε)) / 2ε, one entry at a time; x is restored afterwards."""
    x = np.asarray(x, dtype=float)
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        saved = x[idx]
        x[idx] = saved + eps
        plus = f(x)
        x[idx] = saved - eps
        minus = f(x)
        x[idx] = saved
        grad[idx] = (plus - minus) / (2 * eps)
    return grad


def network_loss(net: Network) -> float:
    from quizgen.engine.backprop import forward

    from quizgen.engine.losses import objective

    return objective(net, forward(net)[-1].A)  # the data loss plus any L2 penalty


def numerical_gradients(net: Network, eps: float = 1e-6) -> dict:
    """Finite-difference dW, db for every layer and dX, internal orientation, same keys as the tape."""
    def loss_at(_):
        return network_loss(net)

    layers = []
    for layer in net.layers:
        entry = {"dW": central_difference(loss_at, layer.W, eps)}
        if layer.b is not None:
            entry["db"] = central_difference(loss_at, layer.b, eps)
        layers.append(entry)
    return {"layers": layers, "dX": central_difference(loss_at, net.X, eps)}
