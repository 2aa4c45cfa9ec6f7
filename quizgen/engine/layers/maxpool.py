"""Max pooling over windows of k positions taken every s positions (1-D, and 2-D with a square
window): p_i = max of window i; backward sends each dp_i to the position of its window's maximum
and adds where windows overlap.

A tie inside a window goes to the first maximum (row-major in 2-D), as np.argmax does; a question
never draws one (the kind rejects it), so the rule never has to be guessed. A student's slip is a
flag (`slip`, one of MISTAKES) that changes one rule.

Shapes: 1-D x (c, n) or (c, n, m); 2-D x (c, h, w) with `dims=2` (one example). Pooling acts on
each channel (and example) alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from types import MappingProxyType

import numpy as np

from quizgen.engine.layers.base import register

FORWARD_SLIPS = ("pool_average_forward", "pool_stride_ignored")
BACKWARD_SLIPS = ("pool_grad_averaged", "pool_grad_to_all", "pool_overlap_overwritten")
MISTAKES = FORWARD_SLIPS + BACKWARD_SLIPS


def out_length(n: int, k: int, stride: int) -> int:
    """⌊(n − k)/s⌋ + 1 windows fit (a last, partial window is dropped)."""
    return (n - k) // stride + 1 if k <= n else 0


@lru_cache(maxsize=512)
def _starts(shape: tuple[int, ...], k: int, stride: int, step: int) -> tuple[tuple[tuple[int, ...], tuple[slice, ...]], ...]:
    """Each output index with the slices of its window over the pooled axes (made once per size)."""
    counts = [out_length(n, k, stride) for n in shape]
    return tuple((idx, tuple(slice(i * step, i * step + k) for i in idx)) for idx in np.ndindex(*counts))


def _argmax(window: np.ndarray) -> tuple[int, ...]:
    """The first maximum's index inside a window (row-major)."""
    if window.ndim == 1:  # a 1-D window's index is the argmax itself (unravel_index costs more than the pooling)
        return (int(window.argmax()),)
    return np.unravel_index(int(np.argmax(window)), window.shape)


def ties(x: np.ndarray, k: int, stride: int, dims: int = 1) -> bool:
    """Whether some window holds its maximum twice (its gradient's route would be a convention)."""
    x = np.asarray(x, dtype=float)
    for sel in _planes(x, dims):  # each channel (and example)
        plane = x[sel]
        for _, window in _starts(plane.shape, k, stride, stride):
            if np.count_nonzero(plane[window] == plane[window].max()) > 1:
                return True
    return False


def _planes(x: np.ndarray, dims: int) -> tuple[tuple, ...]:
    """The index of each channel's (and example's) pooled plane."""
    return _plane_index(x.shape, dims)


@lru_cache(maxsize=256)
def _plane_index(shape: tuple[int, ...], dims: int) -> tuple[tuple, ...]:
    lead = shape[:1] + shape[1 + dims:]
    return tuple(c[:1] + (slice(None),) * dims + c[1:] for c in np.ndindex(*lead))


def forward(x: np.ndarray, k: int, stride: int, dims: int = 1, slip: str | None = None) -> np.ndarray:
    """p = the max of each window (the mean with slip pool_average_forward)."""
    x = np.asarray(x, dtype=float)
    step = 1 if slip == "pool_stride_ignored" else stride
    counts = [out_length(n, k, stride) for n in x.shape[1:1 + dims]]
    p = np.zeros(x.shape[:1] + tuple(counts) + x.shape[1 + dims:])
    reduce = np.mean if slip == "pool_average_forward" else np.ndarray.max  # the method: np.max's wrappers cost more
    for sel in _planes(x, dims):
        plane, out = x[sel], p[sel[:1] + (slice(None),) * dims + sel[1 + dims:]]
        for idx, window in _starts(plane.shape, k, stride, step):
            out[idx] = reduce(plane[window])
    return p


def backward(dp: np.ndarray, x: np.ndarray, k: int, stride: int, dims: int = 1, slip: str | None = None) -> np.ndarray:
    """dx: each dp_i routed to its window's (first) maximum, summed where windows overlap."""
    x, dp = np.asarray(x, dtype=float), np.asarray(dp, dtype=float)
    dx = np.zeros_like(x)
    for sel in _planes(x, dims):
        plane, grad, up = x[sel], dx[sel], dp[sel]
        for idx, window in _starts(plane.shape, k, stride, stride):
            if slip == "pool_grad_averaged":  # as average pooling: an equal share to every position
                grad[window] += up[idx] / k ** dims
            elif slip == "pool_grad_to_all":
                grad[window] += up[idx]
            else:
                at = tuple(s.start + a for s, a in zip(window, _argmax(plane[window])))
                if slip == "pool_overlap_overwritten":  # the later window replaces instead of adding
                    grad[at] = up[idx]
                else:
                    grad[at] += up[idx]
    return dx


@dataclass(frozen=True)
class MaxPool:
    """The layer type: window `k`, stride `stride` (default: non-overlapping), over `dims` axes."""

    k: int = 2
    stride: int = 2
    dims: int = 1
    name: str = "maxpool"
    params: tuple[str, ...] = ()
    forward_quantities: tuple[str, ...] = ("p",)
    backward_quantities: tuple[str, ...] = ("dA_prev",)
    mistakes: tuple[str, ...] = MISTAKES  # catalogued slips (engine/mistakes.py OTHER)
    step_keys: MappingProxyType = field(default_factory=lambda: MappingProxyType({
        "p": "layer.maxpool.p", "dA_prev": "layer.maxpool.dA_prev"}))

    def forward(self, x, params):
        p = forward(x, self.k, self.stride, self.dims)
        return p, {"p": p, "A_prev": x}

    def backward(self, dy, params, cache):
        return backward(dy, cache["A_prev"], self.k, self.stride, self.dims), {}


MAXPOOL = register(MaxPool())
