"""The softmax Jacobian (engine/jacobian.py) against central differences of softmax itself, in
both notations for a batch, and each catalogued slip against the value it is named for (hand
formulas written here, independent of the engine's)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from quizgen.engine import central_difference
from quizgen.engine import jacobian as jac
from quizgen.engine.mistakes import OTHER, describe

FD = dict(rtol=1e-6, atol=1e-8)


def plain_softmax(z: np.ndarray, axis: int = 0) -> np.ndarray:
    """exp(z)/Σ exp(z) without the shift: an independent forward pass."""
    e = np.exp(z)
    return e / e.sum(axis=axis, keepdims=True)


def logits(seed: int, shape) -> np.ndarray:
    return np.random.default_rng(seed).uniform(-4, 4, size=shape)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), k=st.integers(2, 6))
def test_softmax_with_the_shift_is_softmax(seed, k):
    z = logits(seed, (k,))
    s = jac.softmax(z)
    assert np.allclose(s["y"], plain_softmax(z)) and s["y"].sum() == pytest.approx(1.0)
    assert s["shifted"].max() == 0.0 and (s["exp"] <= 1.0).all()


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), k=st.integers(2, 6))
def test_jacobian_is_the_central_difference_of_softmax(seed, k):
    z = logits(seed, (k,))
    y = jac.softmax(z)["y"]
    J = jac.jacobian(y)
    for i in range(k):  # row i: ∂ŷ_i/∂z
        numeric = central_difference(lambda v: plain_softmax(v)[i], z.copy())
        assert np.allclose(J[i], numeric, **FD), (i, J[i], numeric)
    assert np.allclose(J, J.T) and np.allclose(J.sum(axis=1), 0.0)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), k=st.integers(2, 6))
def test_vjp_is_the_central_difference_of_the_loss(seed, k):
    z, g = logits(seed, (k,)), logits(seed + 1, (k,))
    y = jac.softmax(z)["y"]
    numeric = central_difference(lambda v: float(g @ plain_softmax(v)), z.copy())  # ℓ = g·ŷ, so ∂ℓ/∂ŷ = g
    assert np.allclose(jac.vjp(y, g), numeric, **FD)
    assert np.allclose(jac.vjp(y, g), y * (g - y @ g))  # the shortcut ŷ ⊙ (g − ŷ·g)


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), k=st.integers(2, 5), m=st.integers(1, 4))
def test_batched_vjp_in_column_and_row_notation(seed, k, m):
    """Column notation holds one example per column (k, m), row notation per row (m, k); both give
    the central difference of J = Σ G ⊙ softmax(Z) and each example's own vjp."""
    Z, G = logits(seed, (k, m)), logits(seed + 1, (k, m))
    for axis, (Zn, Gn) in ((0, (Z, G)), (1, (Z.T.copy(), G.T.copy()))):
        Y = jac.softmax(Zn, axis)["y"]
        assert np.allclose(Y, plain_softmax(Zn, axis))
        dZ = jac.batched_vjp(Y, Gn, axis)
        numeric = central_difference(lambda v: float((Gn * plain_softmax(v, axis)).sum()), Zn.copy())
        assert np.allclose(dZ, numeric, **FD), axis
        cols = np.moveaxis(dZ, axis, 0)  # (k, m) whatever the notation
        for n in range(m):
            assert np.allclose(cols[:, n], jac.vjp(np.moveaxis(Y, axis, 0)[:, n], np.moveaxis(Gn, axis, 0)[:, n]))
    assert np.allclose(jac.batched_vjp(jac.softmax(Z.T, 1)["y"], G.T, 1),
                       jac.batched_vjp(jac.softmax(Z, 0)["y"], G, 0).T), "row notation is column notation transposed"


def test_hand_numbers():
    """ŷ = (0.2, 0.3, 0.5): diagonal 0.16, 0.21, 0.25; off-diagonal −0.06, −0.1, −0.15."""
    y = np.array([0.2, 0.3, 0.5])
    assert np.allclose(jac.jacobian(y), [[0.16, -0.06, -0.1], [-0.06, 0.21, -0.15], [-0.1, -0.15, 0.25]])
    g = np.array([1.0, 0.0, -1.0])  # ŷ·g = −0.3, dz = ŷ ⊙ (g + 0.3)
    assert np.allclose(jac.vjp(y, g), [0.26, 0.09, -0.35])


Y3 = np.array([0.2, 0.3, 0.5])
Z3 = np.array([1.0, -1.0, 0.5])
S3 = 1 / (1 + np.exp(-Z3))


@pytest.mark.parametrize("slip, want", [
    ("softmax_diagonal", np.diag(Y3 * (1 - Y3))),
    ("jacobian_offdiag_sign", [[0.16, 0.06, 0.1], [0.06, 0.21, 0.15], [0.1, 0.15, 0.25]]),
    ("jacobian_delta_everywhere", [[0.16, 0.14, 0.1], [0.24, 0.21, 0.15], [0.4, 0.35, 0.25]]),
    ("jacobian_delta_nowhere", [[-0.04, -0.06, -0.1], [-0.06, -0.09, -0.15], [-0.1, -0.15, -0.25]]),
    ("jacobian_sigmoid_elementwise", np.diag(S3 * (1 - S3))),
])
def test_each_jacobian_slip_gives_its_named_value(slip, want):
    assert np.allclose(jac.jacobian(Y3, slip, z=Z3), want)
    assert np.allclose(jac.vjp(Y3, np.ones(3), slip, z=Z3), np.asarray(want).T @ np.ones(3))
    assert slip in jac.SLIPS and describe(slip).name


def test_wrong_axis_sums_over_the_examples():
    """Column notation (k = 2, m = 2): the right s sums down each column, the slip along each row."""
    Y = np.array([[0.2, 0.6], [0.8, 0.4]])
    G = np.array([[1.0, 2.0], [-1.0, 0.5]])
    right = Y * (G - (Y * G).sum(axis=0, keepdims=True))  # s = [-0.6, 1.4]
    wrong = Y * (G - (Y * G).sum(axis=1, keepdims=True))  # s = [1.4, -0.6]^T
    assert np.allclose(jac.batched_vjp(Y, G, 0), right)
    assert np.allclose(jac.batched_vjp(Y, G, 0, "jacobian_wrong_axis"), wrong)
    assert np.allclose(jac.batched_vjp(Y.T, G.T, 1, "jacobian_wrong_axis"), wrong.T)
    assert not np.allclose(right, wrong)


def test_the_transposed_jacobian_is_the_same_matrix():
    """Why no 'transposed' slip is catalogued for one example: J is symmetric, Jᵀg = Jg."""
    y = jac.softmax(np.array([0.3, -1.2, 2.0, 0.0]))["y"]
    g = np.array([1.0, -2.0, 0.5, 3.0])
    assert np.allclose(jac.jacobian(y).T @ g, jac.jacobian(y) @ g)


def test_sigmoid_slip_needs_the_logits():
    with pytest.raises(ValueError):
        jac.jacobian(Y3, "jacobian_sigmoid_elementwise")


def test_the_own_slips_are_in_the_catalog():
    assert set(jac.OWN) <= set(OTHER)


def test_carry_rounds_every_stage():
    """A student carrying 2 significant figures: e^−1 ≈ 0.37, Σ ≈ 1.4, ŷ ≈ (0.26, 0.71), then each entry rounded."""
    from quizgen.bank.kinds.precision import round_sig

    r = lambda x: round_sig(x, 2)  # noqa: E731
    y = jac.softmax(np.array([0.0, 1.0]), carry=r)["y"]
    assert np.allclose(y, [0.26, 0.71])
    assert np.allclose(jac.jacobian(y, carry=r), [[0.19, -0.18], [-0.18, 0.21]])
