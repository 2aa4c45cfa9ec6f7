"""The 1-D convolution layer against central differences, against NumPy's own correlate/convolve
(an independent formula), and each catalogued slip against the value a student computes by hand."""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from quizgen.engine.gradcheck import central_difference
from quizgen.engine.layers import TYPES, run
from quizgen.engine.layers import conv1d
from quizgen.engine.layers.conv1d import Conv1D, backward, forward, out_length
from quizgen.engine.mistakes import describe
from quizgen.messages import catalog


@st.composite
def cases(draw):
    """A random small convolution: lengths, kernel, stride, channels, batch, values."""
    k = draw(st.integers(1, 4))
    n = draw(st.integers(k, 9))
    stride = draw(st.integers(1, 3))
    c_in, c_out, m = draw(st.integers(1, 2)), draw(st.integers(1, 2)), draw(st.integers(0, 2))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(c_in, n, m) if m else (c_in, n))
    return x, rng.normal(size=(c_out, c_in, k)), rng.normal(size=c_out), stride


@settings(max_examples=60, deadline=None)
@given(cases())
def test_conv_backward_matches_central_differences(case):
    x, w, b, stride = case
    layer = Conv1D(stride=stride)
    params = {"w": w, "b": b}
    z = layer.forward(x, params)[0]
    dz = np.random.default_rng(1).normal(size=z.shape)
    tape = run(layer, x, params, dz)

    def objective(_):  # J = Σ dz ⊙ z, so ∂J/∂z = dz
        return float((layer.forward(x, params)[0] * dz).sum())

    assert np.allclose(tape["dw"], central_difference(objective, w), atol=1e-6)
    assert np.allclose(tape["db"], central_difference(objective, b), atol=1e-6)
    assert np.allclose(tape["dA_prev"], central_difference(objective, x), atol=1e-6)


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 4).flatmap(lambda k: st.tuples(st.just(k), st.integers(k, 10), st.integers(0, 2**32 - 1))))
def test_single_channel_stride_one_is_numpys_correlate_and_convolve(case):
    k, n, seed = case
    rng = np.random.default_rng(seed)
    x, w, b = rng.normal(size=n), rng.normal(size=k), float(rng.normal())
    z = forward(x[None], w[None, None], np.array([b]))[0]
    assert np.allclose(z, np.correlate(x, w, "valid") + b)
    dz = rng.normal(size=z.shape)
    dx, dw, db = backward(dz[None], x[None], w[None, None])
    assert np.allclose(dx[0], np.convolve(dz, w, "full"))  # the full convolution: the kernel flipped
    assert np.allclose(dw[0, 0], np.correlate(x, dz, "valid"))
    assert np.isclose(db[0], dz.sum())
    # forgetting the flip is NumPy's full correlation
    wrong = backward(dz[None], x[None], w[None, None], slip="conv_dx_not_flipped")[0][0]
    assert np.allclose(wrong, np.correlate(dz, w, "full"))


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 5), st.integers(0, 8), st.integers(1, 3))
def test_output_length_counts_the_windows(k, extra, stride):
    n = k + extra
    assert out_length(n, k, stride) == len(range(0, n - k + 1, stride))
    assert forward(np.ones((1, n)), np.ones((1, 1, k)), None, stride).shape == (1, out_length(n, k, stride))


X = np.array([[1.0, 2.0, -1.0, 0.5, 3.0]])  # (c_in = 1, n = 5)
W = np.array([[[2.0, -1.0, 0.5]]])  # (c_out = 1, c_in = 1, k = 3)
B = np.array([0.5])
DZ = np.array([[1.0, -2.0, 0.5]])  # n_out = 3


def test_forward_slips_give_the_hand_values():
    # z_i = 2·x_i − x_{i+1} + 0.5·x_{i+2} + 0.5
    assert forward(X, W, B).tolist() == [[0.0, 5.75, -0.5]]
    # flipped kernel: 0.5·x_i − x_{i+1} + 2·x_{i+2} + 0.5
    assert forward(X, W, B, slip="conv_flipped_forward").tolist() == [[-3.0, 3.5, 5.5]]
    assert forward(X, W, B, slip="conv_bias_forgotten").tolist() == [[-0.5, 5.25, -1.0]]
    # stride 2 on n = 5, k = 3: two windows starting at x_1, x_3; ignoring the stride starts them at x_1, x_2
    assert forward(X, W, B, 2).tolist() == [[0.0, -0.5]]
    assert forward(X, W, B, 2, slip="conv_stride_ignored").tolist() == [[0.0, 5.75]]


def test_backward_slips_give_the_hand_values():
    z = forward(X, W, B)
    dx, dw, db = backward(DZ, X, W)
    # dw_j = Σ_i dz_i·x_{i+j}: [1·1 − 2·2 + 0.5·(−1), 1·2 − 2·(−1) + 0.5·0.5, 1·(−1) − 2·0.5 + 0.5·3]
    assert dw.tolist() == [[[-3.5, 4.25, -0.5]]]
    assert db.tolist() == [-0.5]
    # dx_j = Σ_i dz_i·w_{j−i}
    assert dx.tolist() == [[2.0, -5.0, 3.5, -1.5, 0.25]]
    assert backward(DZ, X, W, slip="conv_dw_flipped")[1].tolist() == [[[-0.5, 4.25, -3.5]]]
    # z = [0, 5.75, -0.5]: dw_j = Σ_{i+j<3} dz_i·z_{i+j}
    assert backward(DZ, X, W, slip="conv_dw_uses_output", z=z)[1].tolist() == [[[-11.75, 6.75, -0.5]]]
    assert backward(DZ, X, W, slip="conv_db_mean")[2].tolist() == [-0.5 / 3]
    assert backward(DZ, X, W, slip="conv_db_one_position")[2].tolist() == [1.0]
    # the kernel unflipped: dx_j = Σ_i dz_i·w_{2−(j−i)}
    assert backward(DZ, X, W, slip="conv_dx_not_flipped")[0].tolist() == [[0.5, -2.0, 4.25, -4.5, 1.0]]
    # each window's dz_i·w written over the previous one: the last window covering x_q wins
    assert backward(DZ, X, W, slip="conv_dx_overlap_overwritten")[0].tolist() == [[2.0, -4.0, 1.0, -0.5, 0.25]]


def test_stride_slips_in_backward():
    dz = np.array([[1.0, -2.0]])
    dx, dw, _ = backward(dz, X, W, 2)
    assert dw.tolist() == [[[1.0 + 2.0, 2.0 - 1.0, -1.0 - 6.0]]]  # x_{2i+j}
    assert dx.tolist() == [[2.0, -1.0, 0.5 - 4.0, 2.0, -1.0]]
    wrong_dx, wrong_dw, _ = backward(dz, X, W, 2, slip="conv_stride_ignored")
    assert wrong_dw.tolist() == [[[1.0 - 4.0, 2.0 + 2.0, -1.0 - 1.0]]]  # x_{i+j}
    assert wrong_dx.tolist() == [[2.0, -1.0 - 4.0, 0.5 + 2.0, -1.0, 0.0]]


def test_length_slips():
    assert [out_length(7, 3, 2, slip) for slip in (None, *conv1d.LENGTH_SLIPS)] == [3, 2, 5, 4]
    assert out_length(2, 3) == 0


def test_every_conv_slip_is_catalogued_in_both_languages():
    for mid in conv1d.MISTAKES:
        describe(mid)  # in the catalog
        for lang in ("en", "zh"):
            assert f"mistakes.{mid}.name" in catalog(lang) and f"mistakes.{mid}.explanation" in catalog(lang), (mid, lang)


def test_the_registered_type_has_stride_one():
    assert TYPES["conv1d"].stride == 1 and TYPES["conv1d"].params == ("w", "b")


@pytest.mark.parametrize("bias", [True, False])
def test_without_a_bias_no_db(bias):
    tape = run(Conv1D(), X, {"w": W, "b": B if bias else None}, DZ)
    assert ("db" in tape) is bias


@settings(max_examples=40, deadline=None)
@given(cases(), st.sampled_from([None] + list(conv1d.MISTAKES)))
def test_backward_for_one_gradient_is_the_full_pass_bit_for_bit(case, slip):
    """Guards backward(need=...) (a slip's value asks one gradient): the same bits as the whole pass."""
    x, w, b, stride = case
    z = forward(x, w, b, stride)
    dz = np.random.default_rng(2).normal(size=z.shape)
    full = backward(dz, x, w, stride, slip, z=z)
    for i, need in enumerate(("dx", "dw", "db")):
        alone = backward(dz, x, w, stride, slip, z=z, need=need)
        assert np.array_equal(alone[i], full[i]) and all(alone[j] is None for j in range(3) if j != i)


def test_windows_are_the_stacked_slices():
    """Guards _windows' single gather: the values and C-contiguous layout np.stack of the slices gave."""
    x3 = np.arange(2 * 9 * 3, dtype=float).reshape(2, 9, 3)
    for k, step in ((1, 1), (2, 1), (3, 2), (4, 3)):
        n_out = out_length(9, k, step)
        stacked = np.stack([x3[:, i * step:i * step + k, :] for i in range(n_out)], axis=1)
        got = conv1d._windows(x3, k, n_out, step)
        assert np.array_equal(got, stacked) and got.strides == stacked.strides


@pytest.mark.parametrize("slip", [None, "conv_relu_not_gated", "pool_grad_averaged", "pool_grad_to_all",
                                  "conv_dw_flipped", "conv_db_one_position", "conv_dx_not_flipped"])
def test_chain_for_one_gradient_is_the_whole_tape_bit_for_bit(slip):
    """Guards conv_chain.run(z=..., need=...) (conv_pool's slips): the asked gradient's bits are the whole tape's."""
    from quizgen.engine.layers import conv_chain
    rng = np.random.default_rng(4)
    x, w, b = rng.normal(size=(1, 8)), rng.normal(size=(1, 1, 3)), rng.normal(size=1)
    z = forward(x, w, b, 1)
    dp = rng.normal(size=(1, 3))
    full = conv_chain.run(x, w, b, 1, 2, 2, dp, slip)
    for need in ("dw", "db", "dx"):
        assert np.array_equal(conv_chain.run(x, w, b, 1, 2, 2, dp, slip, z=z, need=need)[need], full[need])
