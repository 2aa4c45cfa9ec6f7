"""The activations' speed forms give the very bits of the forms they replace (issue 15: output
stays byte-identical)."""

from __future__ import annotations

import numpy as np

from quizgen.engine.activations import _sigmoid


def _sigmoid_split(z):
    """_sigmoid as it was written before one exp served both branches (the reference)."""
    out = np.empty_like(z, dtype=float)
    pos = z >= 0
    out[pos] = 1.0 / (1.0 + np.exp(-z[pos]))
    ez = np.exp(z[~pos])
    out[~pos] = ez / (1.0 + ez)
    return out


def test_sigmoid_with_one_exp_is_the_split_sigmoid_bit_for_bit():
    """Guards activations._sigmoid: random and grid inputs of many shapes and layouts (transposed,
    strided, 0-d, whole numbers), ±0, ±inf, huge and tiny magnitudes; values, dtype and layout."""
    rng = np.random.default_rng(15)
    inputs = [np.array(0.0), np.array(-0.0), np.float64(-2.5), np.array([[1, -2], [0, 3]]),
              np.array([0.0, -0.0, np.inf, -np.inf, 1e-300, -1e-300, 800.0, -800.0, 5e-324, -5e-324, 36.7, -745.2])]
    for i in range(20_000):
        z = rng.normal(0.0, 10.0 ** rng.uniform(-4, 3), size=(int(rng.integers(1, 9)), int(rng.integers(1, 17))))
        if i % 3 == 0:
            z = np.round(z * 4) / 4  # the number grid: many exact zeros and halves
        inputs.append(z.T if i % 5 == 0 else z[:, ::2] if i % 7 == 0 else z[0] if i % 11 == 0 else z)
    with np.errstate(all="ignore"):
        for z in inputs:
            got, want = _sigmoid(z), _sigmoid_split(z)
            assert (got.shape, got.dtype, got.strides, got.tobytes()) == (want.shape, want.dtype, want.strides,
                                                                           want.tobytes()), z
