"""Max pooling against central differences (away from ties, where it is differentiable), and each
catalogued slip against the value a student computes by hand."""

import numpy as np
from hypothesis import assume, given, settings, strategies as st

from quizgen.engine.gradcheck import central_difference
from quizgen.engine.layers import TYPES, run
from quizgen.engine.layers import maxpool
from quizgen.engine.layers.maxpool import MaxPool, backward, forward, ties
from quizgen.engine.mistakes import describe
from quizgen.messages import catalog


@st.composite
def cases(draw):
    dims = draw(st.sampled_from([1, 2]))
    k = draw(st.integers(1, 3))
    stride = draw(st.integers(1, 3))
    sizes = [draw(st.integers(k, 7)) for _ in range(dims)]
    m = draw(st.integers(0, 2)) if dims == 1 else 0
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    x = rng.normal(size=(draw(st.integers(1, 2)), *sizes, *((m,) if m else ())))
    return x, k, stride, dims


@settings(max_examples=80, deadline=None)
@given(cases())
def test_maxpool_backward_matches_central_differences(case):
    x, k, stride, dims = case
    assume(not ties(x, k, stride, dims))
    layer = MaxPool(k, stride, dims)
    p = layer.forward(x, {})[0]
    dp = np.random.default_rng(3).normal(size=p.shape)
    tape = run(layer, x, {}, dp)

    def objective(_):
        return float((layer.forward(x, {})[0] * dp).sum())

    assert np.allclose(tape["dA_prev"], central_difference(objective, x, eps=1e-7), atol=1e-5)


@settings(max_examples=40, deadline=None)
@given(cases())
def test_forward_is_the_max_of_each_window(case):
    x, k, stride, dims = case
    if dims != 1 or x.ndim != 2:
        return
    p = forward(x, k, stride)
    for c in range(x.shape[0]):
        starts = range(0, x.shape[1] - k + 1, stride)
        assert p[c].tolist() == [x[c, s:s + k].max() for s in starts]


X = np.array([[1.0, 3.0, 2.0, -1.0, 0.5]])


def test_forward_slips_give_the_hand_values():
    assert forward(X, 2, 2).tolist() == [[3.0, 2.0]]
    assert forward(X, 2, 2, slip="pool_average_forward").tolist() == [[2.0, 0.5]]
    assert forward(X, 2, 2, slip="pool_stride_ignored").tolist() == [[3.0, 3.0]]


def test_backward_slips_give_the_hand_values():
    dp = np.array([[1.0, -2.0]])
    assert backward(dp, X, 2, 2).tolist() == [[0.0, 1.0, -2.0, 0.0, 0.0]]
    assert backward(dp, X, 2, 2, slip="pool_grad_averaged").tolist() == [[0.5, 0.5, -1.0, -1.0, 0.0]]
    assert backward(dp, X, 2, 2, slip="pool_grad_to_all").tolist() == [[1.0, 1.0, -2.0, -2.0, 0.0]]
    # overlapping windows (k = 3, s = 1): x_2 = 3 is the maximum of windows 1 and 2
    dp3 = np.array([[1.0, -2.0, 0.5]])
    assert forward(X, 3, 1).tolist() == [[3.0, 3.0, 2.0]]
    assert backward(dp3, X, 3, 1).tolist() == [[0.0, -1.0, 0.5, 0.0, 0.0]]
    assert backward(dp3, X, 3, 1, slip="pool_overlap_overwritten").tolist() == [[0.0, -2.0, 0.5, 0.0, 0.0]]


def test_two_by_two_pooling_on_a_small_image():
    x = np.array([[[1.0, 2.0, 0.0, -1.0],
                   [4.0, 3.0, 1.0, 5.0],
                   [0.5, 0.0, 2.0, 1.0],
                   [1.5, 1.0, -3.0, 0.0]]])
    assert forward(x, 2, 2, dims=2).tolist() == [[[4.0, 5.0], [1.5, 2.0]]]
    dp = np.array([[[1.0, 2.0], [3.0, 4.0]]])
    dx = backward(dp, x, 2, 2, dims=2)
    assert dx.tolist() == [[[0, 0, 0, 0], [1.0, 0, 0, 2.0], [0, 0, 4.0, 0], [3.0, 0, 0, 0]]]
    assert backward(dp, x, 2, 2, dims=2, slip="pool_grad_averaged")[0, 0].tolist() == [0.25, 0.25, 0.5, 0.5]


def test_ties_are_found_and_routed_to_the_first_maximum():
    x = np.array([[2.0, 2.0, 1.0, 0.0]])
    assert ties(x, 2, 2) and not ties(np.array([[2.0, 1.0, 1.0, 0.0]]), 2, 2)
    assert backward(np.array([[1.0, 1.0]]), x, 2, 2).tolist() == [[1.0, 0.0, 1.0, 0.0]]


def test_every_pool_slip_is_catalogued_in_both_languages():
    for mid in maxpool.MISTAKES:
        describe(mid)
        for lang in ("en", "zh"):
            assert f"mistakes.{mid}.name" in catalog(lang) and f"mistakes.{mid}.explanation" in catalog(lang), (mid, lang)


def test_the_registered_type():
    layer = TYPES["maxpool"]
    assert (layer.k, layer.stride, layer.params) == (2, 2, ())
