"""The softmax Jacobian ∂ŷ/∂z = diag(ŷ) − ŷŷᵀ (entry i, j: ŷ_i(δ_ij − ŷ_j)), its product with an
upstream gradient, and the slips students make with it.

One example's Jacobian is a k×k matrix; a batch has one per example, so a batched dZ applies
each example's own Jacobian to that example's upstream gradient: dZ = Ŷ ⊙ (G − Σ_units Ŷ ⊙ G),
the sum over the units (classes) of one example. `axis` is the units axis: 0 in column notation
(Ŷ is k×m), 1 in row notation (Ŷ is m×k).

A slip (a catalogued mistake id) changes one thing a student writes, so a wrong value is computed
the way they compute it, never typed in. J is symmetric, so transposing it before applying it
changes nothing for one example; the transposition that matters is summing over the wrong axis
of a batch (`jacobian_wrong_axis`).
"""

from __future__ import annotations

from typing import Callable

import numpy as np

# The slips that change the Jacobian itself; then the one that changes only a batched product.
MATRIX_SLIPS = ("softmax_diagonal", "jacobian_offdiag_sign", "jacobian_delta_everywhere", "jacobian_delta_nowhere",
                "jacobian_sigmoid_elementwise")
SLIPS = MATRIX_SLIPS + ("jacobian_wrong_axis",)
# The ids this module adds to the catalog (softmax_diagonal is already the backward pass's).
OWN = SLIPS[1:]

Carry = Callable[[np.ndarray], np.ndarray] | None


def _keep(x, carry: Carry) -> np.ndarray:
    x = np.asarray(x, dtype=float)
    return np.asarray(carry(x), dtype=float) if carry else x


def softmax(z, axis: int = 0, carry: Carry = None) -> dict:
    """ŷ = softmax(z) over the units `axis`, with every stage a student writes: the max shift, the
    exponentials, their sum, the quotient; `carry` rounds each stage as a student would. One
    example is (k,); a batch is (k, m) (axis 0) or (m, k) (axis 1)."""
    z = np.asarray(z, dtype=float)
    top = z.max(axis=axis, keepdims=True)  # (1, m) or (m, 1); (1,) for one example
    shifted = z - top  # exact on the grid
    e = _keep(np.exp(shifted), carry)
    total = _keep(e.sum(axis=axis, keepdims=True), carry)
    y = _keep(e / total, carry)
    return {"max": top, "shifted": shifted, "exp": e, "sum": total, "y": y}


def sigmoid(z) -> np.ndarray:
    z = np.asarray(z, dtype=float)
    return 1.0 / (1.0 + np.exp(-z))


def jacobian(y, slip: str | None = None, z=None, carry: Carry = None) -> np.ndarray:
    """∂ŷ/∂z of one example, (k, k): row i is ŷ_i, column j is z_j; or what `slip` writes.

    `z` (the logits) is needed only by jacobian_sigmoid_elementwise; ValueError without it."""
    y = np.asarray(y, dtype=float)  # (k,)
    outer = np.outer(y, y)  # (k, k): ŷ_i ŷ_j
    eye = np.eye(y.size, dtype=bool)
    if slip == "softmax_diagonal":  # ŷ_i(1 − ŷ_i) on the diagonal, the cross terms dropped
        J = np.diag(y * (1.0 - y))
    elif slip == "jacobian_offdiag_sign":  # +ŷ_i ŷ_j off the diagonal
        J = np.where(eye, np.diag(y) - outer, outer)
    elif slip == "jacobian_delta_everywhere":  # δ_ij read as 1: ŷ_i(1 − ŷ_j) everywhere
        J = y[:, None] * (1.0 - y[None, :])
    elif slip == "jacobian_delta_nowhere":  # δ_ij read as 0: −ŷ_i ŷ_j everywhere
        J = -outer
    elif slip == "jacobian_sigmoid_elementwise":  # σ′(z_i) of each logit alone, as if sigmoid
        if z is None:
            raise ValueError("jacobian_sigmoid_elementwise needs the logits")
        s = _keep(sigmoid(z), carry)
        J = np.diag(s * (1.0 - s))
    elif slip in (None, "jacobian_wrong_axis"):
        J = np.diag(y) - outer  # ŷ_i(δ_ij − ŷ_j)
    else:
        raise ValueError(f"unknown softmax Jacobian slip {slip!r}")
    return _keep(J, carry)


def vjp(y, g, slip: str | None = None, z=None, carry: Carry = None) -> np.ndarray:
    """dz = (∂ŷ/∂z)ᵀ g of one example, (k,): the upstream gradient g = ∂ℓ/∂ŷ sent back through softmax."""
    J = jacobian(y, slip, z, carry)  # (k, k)
    return _keep(J.T @ np.asarray(g, dtype=float), carry)  # (k, k)ᵀ·(k,) -> (k,)


def inner(Y, G, axis: int, carry: Carry = None) -> np.ndarray:
    """Σ_units ŷ ⊙ g of each example, kept as a 1-wide axis so it broadcasts back: (1, m) or (m, 1)."""
    return _keep((np.asarray(Y) * np.asarray(G)).sum(axis=axis, keepdims=True), carry)


def batched_vjp(Y, G, axis: int, slip: str | None = None, Z=None, carry: Carry = None) -> np.ndarray:
    """dZ of a batch, one Jacobian per example; `axis` is the units axis (0: column, 1: row notation)."""
    Y, G = np.asarray(Y, dtype=float), np.asarray(G, dtype=float)
    if slip == "jacobian_wrong_axis":  # the sum runs over the examples of the batch instead
        return _keep(Y * (G - inner(Y, G, 1 - axis, carry)), carry)
    if slip in MATRIX_SLIPS:  # each example through the slipped Jacobian
        Yc, Gc = np.moveaxis(Y, axis, 0), np.moveaxis(G, axis, 0)  # (k, m)
        Zc = None if Z is None else np.moveaxis(np.asarray(Z, dtype=float), axis, 0)
        cols = [vjp(Yc[:, n], Gc[:, n], slip, None if Zc is None else Zc[:, n], carry) for n in range(Yc.shape[1])]
        return np.moveaxis(np.stack(cols, axis=1), 0, axis)  # (k, m) -> the file's orientation
    return _keep(Y * (G - inner(Y, G, axis, carry)), carry)  # (k, m) ⊙ ((k, m) − (1, m)), or its transpose
