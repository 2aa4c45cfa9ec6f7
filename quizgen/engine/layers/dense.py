"""The dense (fully connected) layer as a layer type: Z = W·A + b in the internal orientation.

The network engine (engine/backprop.py) applies the same three backward rules with a mistake hook on
each; this module is their plain statement, the first type of the layer protocol (engine/layers/base.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np

from quizgen.engine.layers.base import register


def affine(W: np.ndarray, A: np.ndarray, b: np.ndarray | None) -> np.ndarray:
    """Z = W·A (+ b broadcast over examples): (n_out, n_in)·(n_in, m) -> (n_out, m)."""
    Z = W @ A
    return Z if b is None else Z + b[:, None]


def weight_gradient(dZ: np.ndarray, A_prev: np.ndarray) -> np.ndarray:
    """dW = dZ·A_prevᵀ: (n_out, m)·(m, n_in) -> (n_out, n_in)."""
    return dZ @ A_prev.T


def bias_gradient(dZ: np.ndarray) -> np.ndarray:
    """db = Σ over the batch of dZ -> (n_out,)."""
    return np.add.reduce(dZ, axis=1)  # dZ.sum(axis=1)'s reduction, without ndarray.sum's Python-level wrapper


def input_gradient(W: np.ndarray, dZ: np.ndarray) -> np.ndarray:
    """dA_prev = Wᵀ·dZ: (n_in, n_out)·(n_out, m) -> (n_in, m)."""
    return W.T @ dZ


@dataclass(frozen=True)
class Dense:
    name: str = "dense"
    params: tuple[str, ...] = ("W", "b")
    forward_quantities: tuple[str, ...] = ("Z",)
    backward_quantities: tuple[str, ...] = ("dZ", "dW", "db", "dA_prev")
    step_keys: MappingProxyType = field(default_factory=lambda: MappingProxyType({
        "Z": "layer.dense.Z", "dW": "layer.dense.dW", "db": "layer.dense.db", "dA_prev": "layer.dense.dA_prev"}))

    def forward(self, x, params):
        Z = affine(params["W"], x, params.get("b"))
        return Z, {"Z": Z, "A_prev": x}

    def backward(self, dy, params, cache):
        grads = {"dZ": dy, "dW": weight_gradient(dy, cache["A_prev"])}
        if params.get("b") is not None:
            grads["db"] = bias_gradient(dy)
        return input_gradient(params["W"], dy), grads


DENSE = register(Dense())
