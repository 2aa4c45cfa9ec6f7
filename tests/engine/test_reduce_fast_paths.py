"""The engine's direct ufunc reductions (np.add.reduce, np.maximum.reduce instead of the ndarray
.sum/.max methods) give the very bits the methods gave (issue 15: output stays byte-identical)."""

from __future__ import annotations

import numpy as np

from quizgen.engine.activations import _softmax, _softmax_vjp
from quizgen.engine.layers import dense
from quizgen.engine.losses import Loss, _bce, _cross_entropy, _half_sse
from quizgen.engine.network import Notation


def _arrays(seed: int, count: int):
    """Random (k, m) arrays in both memory layouts, with ties, zeros and signed zeros among them."""
    rng = np.random.default_rng(seed)
    for i in range(count):
        k, m = (int(x) for x in rng.integers(1, 6, size=2))
        x = rng.normal(0, 3, (k, m)) if i % 2 else rng.normal(0, 3, (m, k)).T
        if i % 5 == 0:
            x = np.round(x)  # ties and exact zeros
        if i % 7 == 0:
            x = x * -0.0  # signed zeros
        yield rng, x


def _bits(x) -> tuple:
    x = np.asarray(x)
    return x.shape, x.dtype.str, np.ascontiguousarray(x).tobytes()


def test_softmax_and_its_vjp_reduce_as_the_methods_did():
    """Guards activations._softmax and _softmax_vjp: max and sum over units, keepdims."""
    for rng, z in _arrays(21, 3000):
        want = np.exp(z - z.max(axis=0, keepdims=True))
        want = want / want.sum(axis=0, keepdims=True)
        a = _softmax(z)
        assert _bits(a) == _bits(want)
        da = rng.normal(size=z.shape)
        assert _bits(_softmax_vjp(z, a, da)) == _bits(a * (da - (a * da).sum(axis=0, keepdims=True)))


def test_bias_gradient_sums_over_the_batch_as_sum_did():
    """Guards dense.bias_gradient: Σ over examples of dZ, either layout."""
    for _, dZ in _arrays(22, 3000):
        assert _bits(dense.bias_gradient(dZ)) == _bits(dZ.sum(axis=1))


def test_losses_reduce_as_the_methods_did():
    """Guards losses._half_sse, _bce, _cross_entropy and Loss.value (the per-example loss summed)."""
    for rng, a in _arrays(23, 2000):
        y = rng.normal(size=a.shape)
        assert _bits(_half_sse(a, y)) == _bits(0.5 * ((a - y) ** 2).sum(axis=0))
        p = 1.0 / (1.0 + np.exp(-a))
        labels = (rng.random(a.shape) < 0.5).astype(float)
        with np.errstate(divide="ignore", invalid="ignore"):
            bce = np.where(labels > 0, labels * np.log(p), 0.0) + np.where(labels < 1, (1 - labels) * np.log1p(-p), 0.0)
            ce = np.where(labels != 0, labels * np.log(p), 0.0)
        assert _bits(_bce(p, labels)) == _bits(-bce.sum(axis=0))
        assert _bits(_cross_entropy(p, labels)) == _bits(-ce.sum(axis=0))
        for name in ("half_sse", "mse", "bce"):
            for reduction in ("mean", "sum"):
                loss = Loss(name, reduction)
                with np.errstate(all="ignore"):
                    want = float(loss.per_example(p, labels).sum() * loss.scale(p.shape[1]))
                    got = loss.value(p, labels)
                assert type(got) is float and np.float64(got).tobytes() == np.float64(want).tobytes()


def test_orient_transposes_matrices_in_row_notation_only():
    """Guards Notation.orient's module-level ROW: the same views as comparing with Notation.ROW."""
    x, v = np.arange(6.0).reshape(2, 3), np.arange(3.0)
    t = Notation.ROW.orient(x)
    assert np.shares_memory(t, x) and (t.shape, t.strides) == (x.T.shape, x.T.strides)
    assert Notation.COLUMN.orient(x) is x and Notation.ROW.orient(v) is v
