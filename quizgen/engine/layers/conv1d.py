"""A 1-D convolution layer as deep-learning courses teach it: cross-correlation (no kernel flip),
valid padding, stride s, so z_i = Σ_j w_j·x_{i·s+j} + b.

Its backward rules sit beside its forward: dw_j = Σ_i dz_i·x_{i·s+j}, db = Σ_i dz_i, and dx the
"full" convolution of dz with the (flipped) kernel, dx_{i·s+j} += dz_i·w_j. A student's slip is a
flag (`slip`, one of MISTAKES) that changes exactly one rule, so a wrong answer is computed the way
the student computes it, never typed in.

Shapes (indices from 0 here; questions count from 1): x (c_in, n) or (c_in, n, m) with examples
along the last axis, w (c_out, c_in, k), b (c_out,), z (c_out, n_out) or (c_out, n_out, m).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from types import MappingProxyType

import numpy as np

from quizgen.engine.layers.base import register

# Misconceptions (mistakes.toml, one table each): what a student does instead of one rule.
FORWARD_SLIPS = ("conv_flipped_forward", "conv_bias_forgotten", "conv_stride_ignored")
DW_SLIPS = ("conv_dw_flipped", "conv_dw_uses_output", "conv_stride_ignored")
DB_SLIPS = ("conv_db_mean", "conv_db_one_position")
DX_SLIPS = ("conv_dx_not_flipped", "conv_dx_overlap_overwritten", "conv_stride_ignored")
LENGTH_SLIPS = ("conv_length_no_plus_one", "conv_length_stride_ignored", "conv_length_same_padding")
# A convolution followed by a ReLU: the gradient passed back through the ReLU without its 0/1 gate.
RELU_SLIPS = ("conv_relu_not_gated",)
MISTAKES = tuple(dict.fromkeys(FORWARD_SLIPS + DW_SLIPS + DB_SLIPS + DX_SLIPS + LENGTH_SLIPS + RELU_SLIPS))


def out_length(n: int, k: int, stride: int = 1, slip: str | None = None) -> int:
    """Valid-padding output length ⌊(n − k)/s⌋ + 1 (0 when the kernel is longer than the input)."""
    if k > n:
        return 0
    if slip == "conv_length_no_plus_one":
        return (n - k) // stride
    if slip == "conv_length_stride_ignored":
        return n - k + 1
    if slip == "conv_length_same_padding":  # "same" padding's length: the input's, divided by the stride
        return -(-n // stride)
    return (n - k) // stride + 1


def _batched(x: np.ndarray) -> np.ndarray:
    """x with an examples axis last: (c, n) -> (c, n, 1)."""
    x = np.asarray(x, dtype=float)
    return x if x.ndim == 3 else x[..., None]


@lru_cache(maxsize=256)
def _window_index(k: int, n_out: int, step: int) -> np.ndarray:
    """Positions i·step + j of every window (n_out, k), made once per size (read-only: shared)."""
    index = (np.arange(n_out) * step)[:, None] + np.arange(k)
    index.flags.writeable = False
    return index


def _windows(x3: np.ndarray, k: int, n_out: int, step: int) -> np.ndarray:
    """Window i holds x[:, i·step : i·step + k]: (c_in, n, m) -> (c_in, n_out, k, m)."""
    # one gather instead of stacking n_out slices: the same values in the same C-contiguous layout
    return x3.take(_window_index(k, n_out, step), axis=1)


def forward(x: np.ndarray, w: np.ndarray, b: np.ndarray | None, stride: int = 1, slip: str | None = None) -> np.ndarray:
    """z[o, i] = Σ_c Σ_j w[o, c, j]·x[c, i·s + j] + b[o]: (c_in, n[, m]) -> (c_out, n_out[, m])."""
    x3, w = _batched(x), np.asarray(w, dtype=float)
    k = w.shape[-1]
    n_out = out_length(x3.shape[1], k, stride)
    if slip == "conv_flipped_forward":  # a true convolution: the kernel flipped
        w = w[..., ::-1]
    step = 1 if slip == "conv_stride_ignored" else stride
    z = np.einsum("ocj,cijm->oim", w, _windows(x3, k, n_out, step))  # (c_out, n_out, m)
    if b is not None and slip != "conv_bias_forgotten":
        z = z + np.asarray(b, dtype=float)[:, None, None]
    return z if np.ndim(x) == 3 else z[..., 0]


def backward(dz: np.ndarray, x: np.ndarray, w: np.ndarray, stride: int = 1, slip: str | None = None,
             z: np.ndarray | None = None, need: str | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(dx, dw, db) from the upstream dz = ∂J/∂z; `z` (the forward output) only for the slip that uses it.

    need="dx", "dw" or "db" computes that one alone (the other two come back None): a slip's value
    asks for one gradient."""
    x3, dz3, w = _batched(x), _batched(dz), np.asarray(w, dtype=float)
    k, n_out = w.shape[-1], dz3.shape[1]
    step = 1 if slip == "conv_stride_ignored" else stride
    dw = db = dx3 = None
    if need in (None, "dw"):
        windows = _windows(x3, k, n_out, step)  # (c_in, n_out, k, m)
        dw = np.einsum("oim,cijm->ocj", dz3, windows)  # (c_out, c_in, k)
        if slip == "conv_dw_flipped":
            dw = dw[..., ::-1]
        elif slip == "conv_dw_uses_output":  # the output z where the input x belongs (terms past z's end dropped)
            z3 = _batched(z)
            dw = np.zeros_like(w)
            for o, c, j, i in np.ndindex(w.shape[0], w.shape[1], k, n_out):
                if i * stride + j < n_out:
                    dw[o, c, j] += float(dz3[o, i] @ z3[o, i * stride + j])
    if need in (None, "db"):
        db = dz3.sum(axis=(1, 2))  # (c_out,)
        if slip == "conv_db_mean":
            db = dz3.mean(axis=(1, 2))
        elif slip == "conv_db_one_position":
            db = dz3[:, 0, :].sum(axis=1)
    if need not in (None, "dx"):
        return None, dw, db
    kernel = w[..., ::-1] if slip == "conv_dx_not_flipped" else w
    dx3 = np.zeros_like(x3)
    for i in range(n_out):  # dx[:, i·s + j] += Σ_o dz[o, i]·w[o, :, j]: the kernel scattered back
        back = np.einsum("om,ocj->cjm", dz3[:, i, :], kernel)
        if slip == "conv_dx_overlap_overwritten":  # the later window replaces instead of adding
            dx3[:, i * step:i * step + k, :] = back
        else:
            dx3[:, i * step:i * step + k, :] += back
    return (dx3 if np.ndim(x) == 3 else dx3[..., 0]), dw, db


@dataclass(frozen=True)
class Conv1D:
    """The layer type; `stride` is part of the layer (the registered one has stride 1)."""

    stride: int = 1
    name: str = "conv1d"
    params: tuple[str, ...] = ("w", "b")
    forward_quantities: tuple[str, ...] = ("z",)
    backward_quantities: tuple[str, ...] = ("dw", "db", "dA_prev")
    mistakes: tuple[str, ...] = MISTAKES  # catalogued slips (engine/mistakes.py OTHER)
    step_keys: MappingProxyType = field(default_factory=lambda: MappingProxyType({
        "z": "layer.conv1d.z", "dw": "layer.conv1d.dw", "db": "layer.conv1d.db", "dA_prev": "layer.conv1d.dA_prev"}))

    def forward(self, x, params):
        z = forward(x, params["w"], params.get("b"), self.stride)
        return z, {"z": z, "A_prev": x}

    def backward(self, dy, params, cache):
        dx, dw, db = backward(dy, cache["A_prev"], params["w"], self.stride)
        grads = {"dw": dw}
        if params.get("b") is not None:
            grads["db"] = db
        return dx, grads


CONV1D = register(Conv1D())
