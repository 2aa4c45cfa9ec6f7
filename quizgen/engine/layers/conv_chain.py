"""The small convolutional block of exam questions, x → 1-D convolution → ReLU → max pooling → p,
as one tape: every named quantity forward and back from a given dp = ∂J/∂p.

Each layer keeps its own rules (conv1d.py, maxpool.py); a slip (one of their MISTAKES) changes the
one rule it names, wherever in the block that rule is used.
"""

from __future__ import annotations

import numpy as np

from quizgen.engine.layers import conv1d, maxpool


def run(x, w, b, stride: int, pool_k: int, pool_stride: int, dp, slip: str | None = None,
        z: np.ndarray | None = None, need: str | None = None) -> dict[str, np.ndarray]:
    """{z, a, p, da, dz, dw, db, dx} for one example; x (c_in, n), w (c_out, c_in, k), dp like p.

    `z` is the forward conv output when the caller has it (no slip changes the forward pass); with
    need="dw", "db" or "dx" only the backward pass to that gradient is made (no "p", the others None).
    """
    if z is None:
        z = conv1d.forward(x, w, b, stride)  # (c_out, n_z)
    a = np.maximum(z, 0.0)  # (c_out, n_z)
    p = maxpool.forward(a, pool_k, pool_stride) if need is None else None  # (c_out, n_p)
    pool_slip = slip if slip in maxpool.MISTAKES else None
    da = maxpool.backward(dp, a, pool_k, pool_stride, slip=pool_slip)  # (c_out, n_z)
    dz = da if slip == "conv_relu_not_gated" else da * (z > 0)
    conv_slip = slip if slip in conv1d.MISTAKES else None
    dx, dw, db = conv1d.backward(dz, x, w, stride, slip=conv_slip, z=z, need=need)
    return {"z": z, "a": a, "p": p, "da": da, "dz": dz, "dw": dw, "db": db, "dx": dx}
