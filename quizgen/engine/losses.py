"""Losses: a per-example value summed over output units, reduced over examples by mean or sum.

Arrays are (units k, examples m) in the engine's internal orientation.
    mse            (1/k) Σ_j (a_j − y_j)²
    half_sse       ½ Σ_j (a_j − y_j)²
    bce            −Σ_j [y_j log a_j + (1 − y_j) log(1 − a_j)]
    cross_entropy  −Σ_j y_j log a_j
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

NAMES = ("mse", "half_sse", "bce", "cross_entropy")
REDUCTIONS = ("mean", "sum")


@dataclass(frozen=True)
class Loss:
    name: str
    reduction: str = "mean"

    def scale(self, m: int) -> float:
        """The factor the reduction applies to each example: 1/m for mean, 1 for sum."""
        return 1.0 / m if self.reduction == "mean" else 1.0

    def per_example(self, a: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Loss of each example, shape (m,)."""
        if self.name == "mse":
            return np.mean((a - y) ** 2, axis=0)
        if self.name == "half_sse":
            return 0.5 * np.sum((a - y) ** 2, axis=0)
        if self.name == "bce":
            with np.errstate(divide="ignore", invalid="ignore"):
                terms = np.where(y > 0, y * np.log(a), 0.0) + np.where(y < 1, (1 - y) * np.log1p(-a), 0.0)
            return -np.sum(terms, axis=0)
        with np.errstate(divide="ignore", invalid="ignore"):
            terms = np.where(y != 0, y * np.log(a), 0.0)
        return -np.sum(terms, axis=0)

    def value(self, a: np.ndarray, y: np.ndarray) -> float:
        return float(np.sum(self.per_example(a, y)) * self.scale(a.shape[1]))

    def local_gradient(self, a: np.ndarray, y: np.ndarray) -> np.ndarray:
        """d(per-example loss)/da, before the reduction's 1/m."""
        k = a.shape[0]
        if self.name == "mse":
            return 2.0 * (a - y) / k
        if self.name == "half_sse":
            return a - y
        with np.errstate(divide="ignore", invalid="ignore"):
            pull = np.where(y != 0, -y / a, 0.0)  # a term whose label is 0 has no gradient
            if self.name == "bce":
                return pull + np.where(y != 1, (1.0 - y) / (1.0 - a), 0.0)
        return pull

    def gradient(self, a: np.ndarray, y: np.ndarray) -> np.ndarray:
        """dJ/dA, shape (k, m), including the reduction."""
        return self.local_gradient(a, y) * self.scale(a.shape[1])

    def problem_with(self, a: np.ndarray, y: np.ndarray) -> str | None:
        """Why this loss cannot be evaluated at (a, y), or None if it can."""
        if self.name == "bce":
            if np.any((y < 0) | (y > 1)):
                return "bce labels must lie in [0, 1]"
            if np.any(((a <= 0) & (y > 0)) | ((a >= 1) & (y < 1))):
                return "bce would take log(0): an output is exactly 0 or 1"
        if self.name == "cross_entropy" and np.any((a <= 0) & (y != 0)):
            return "cross_entropy would take log(0): an output is 0 where its label is not"
        return None


def get_loss(name: str, reduction: str = "mean") -> Loss:
    if name not in NAMES:
        raise ValueError(f"unknown loss {name!r} (known: {', '.join(NAMES)})")
    if reduction not in REDUCTIONS:
        raise ValueError(f"unknown reduction {reduction!r} (known: mean, sum)")
    return Loss(name, reduction)
