"""Activation functions, each with its forward, derivative and backward side by side.

Arrays are in the engine's internal column orientation: (units, examples). Softmax normalizes
over axis 0 (the unit axis) and its backward applies the full Jacobian.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np

# name -> default parameter (None: takes no parameter)
_PARAMS: dict[str, float | None] = {
    "identity": None,
    "relu": None,
    "leaky_relu": 0.01,
    "sigmoid": None,
    "tanh": None,
    "softmax": None,
    "softplus": None,
    "elu": 1.0,
}
NAMES = tuple(_PARAMS)
_SPEC = re.compile(r"^\s*([a-z_]+)\s*(?:\(\s*([-+0-9.eE]+)\s*\))?\s*$")


def _sigmoid(z: np.ndarray) -> np.ndarray:
    # Split by sign so neither branch overflows in exp.
    out = np.empty_like(z, dtype=float)
    pos = z >= 0
    out[pos] = 1.0 / (1.0 + np.exp(-z[pos]))
    ez = np.exp(z[~pos])
    out[~pos] = ez / (1.0 + ez)
    return out


@dataclass(frozen=True)
class Activation:
    """One activation, e.g. Activation("leaky_relu", 0.1)."""

    name: str
    param: float | None = None

    @property
    def elementwise(self) -> bool:
        return self.name != "softmax"

    @property
    def label(self) -> str:
        """The name as a problem file spells it."""
        if self.param is None or self.param == _PARAMS[self.name]:
            return self.name
        text = f"{self.param:g}"
        if float(text) != self.param:  # :g keeps 6 digits; fall back to the exact repr
            text = repr(self.param)
        return f"{self.name}({text})"

    def forward(self, z: np.ndarray) -> np.ndarray:
        n, p = self.name, self.param
        if n == "identity":
            return z.astype(float, copy=True)
        if n == "relu":
            return np.maximum(z, 0.0)
        if n == "leaky_relu":
            return np.where(z > 0, z, p * z)
        if n == "sigmoid":
            return _sigmoid(z)
        if n == "tanh":
            return np.tanh(z)
        if n == "softplus":
            return np.logaddexp(0.0, z)
        if n == "elu":
            return np.where(z > 0, z, p * np.expm1(np.minimum(z, 0.0)))
        # softmax over the unit axis
        shifted = z - z.max(axis=0, keepdims=True)
        e = np.exp(shifted)
        return e / e.sum(axis=0, keepdims=True)

    def derivative(self, z: np.ndarray, a: np.ndarray) -> np.ndarray:
        """Elementwise f'(z); `a` is f(z), reused where the closed form needs it."""
        n, p = self.name, self.param
        if n == "identity":
            return np.ones_like(z, dtype=float)
        if n == "relu":
            return (z > 0).astype(float)  # ReLU'(0) = 0 by convention
        if n == "leaky_relu":
            return np.where(z > 0, 1.0, p)
        if n == "sigmoid":
            return a * (1.0 - a)
        if n == "tanh":
            return 1.0 - a * a
        if n == "softplus":
            return _sigmoid(z)
        if n == "elu":
            return np.where(z > 0, 1.0, a + p)
        raise ValueError("softmax has no elementwise derivative; use backward()")

    def backward(self, z: np.ndarray, a: np.ndarray, da: np.ndarray) -> np.ndarray:
        """Vector-Jacobian product: dL/dz from dL/da."""
        if self.elementwise:
            return da * self.derivative(z, a)
        # Full softmax Jacobian per example: J = diag(a) - a a^T, so J^T da = a * (da - a.da).
        return a * (da - np.sum(a * da, axis=0, keepdims=True))  # (units, m)


def parse_activation(spec: str) -> Activation:
    """Read "relu", "leaky_relu(0.1)" or "elu(2)"; raise ValueError with what is wrong."""
    if not isinstance(spec, str):
        raise ValueError(f"activation must be a name, got {spec!r}")
    match = _SPEC.match(spec)
    if not match or match.group(1) not in _PARAMS:
        raise ValueError(f"unknown activation {spec!r} (known: {', '.join(NAMES)})")
    name, raw = match.group(1), match.group(2)
    default = _PARAMS[name]
    if raw is None:
        return Activation(name, default)
    if default is None:
        raise ValueError(f"activation {name!r} takes no parameter")
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"activation {spec!r}: parameter is not a number") from None
    if not math.isfinite(value):
        raise ValueError(f"activation {spec!r}: parameter must be finite")
    return Activation(name, value)
