"""The math the issue-20 flashcards state, checked by numbers (tolerance 1e-6).

Each test transcribes a card's answer (templates/site/formulas.toml) into numpy, symbol for
symbol, and compares it with central differences of the forward formula on the front of the
card, so a wrong sign or a lost term on a card fails here and not in a student's exam.
"""

from __future__ import annotations

import numpy as np
import pytest

from quizgen.engine.gradcheck import central_difference

RNG = np.random.default_rng(20)
TOL = 1e-6


def _close(a, b):
    np.testing.assert_allclose(a, b, rtol=TOL, atol=TOL)


def test_batchnorm_backward_cards():
    """batchnorm-dgamma-dbeta, -dxhat, -dvar, -dmean, -dx, -dx-compact and -dx-from-dgamma-dbeta, one
    feature over m = 5."""
    x, dy = RNG.normal(size=5), RNG.normal(size=5)
    gamma, beta, eps, m = 1.7, -0.4, 1e-3, 5

    def forward(x, gamma=gamma, beta=beta):
        mu = x.mean()
        var = ((x - mu) ** 2).mean()
        return gamma * (x - mu) / np.sqrt(var + eps) + beta

    mu, var = x.mean(), ((x - x.mean()) ** 2).mean()
    xhat = (x - mu) / np.sqrt(var + eps)
    dxhat = gamma * dy
    dvar = -0.5 * (var + eps) ** -1.5 * (dxhat * (x - mu)).sum()
    dmu = -dxhat.sum() / np.sqrt(var + eps) - dvar * 2 / m * (x - mu).sum()
    dx = dxhat / np.sqrt(var + eps) + dvar * 2 * (x - mu) / m + dmu / m
    compact = (m * dxhat - dxhat.sum() - xhat * (dxhat * xhat).sum()) / (m * np.sqrt(var + eps))
    loss = lambda f: lambda v: float((f(v) * dy).sum())  # noqa: E731  dJ/dy = dy
    _close(dx, central_difference(loss(forward), x.copy()))
    _close(compact, dx)
    dbeta, dgamma = dy.sum(), (dy * xhat).sum()  # batchnorm-dx-from-dgamma-dbeta, the worked solutions' form
    _close(gamma / np.sqrt(var + eps) * (dy - dbeta / m - xhat * dgamma / m), dx)
    _close(dmu, -dxhat.sum() / np.sqrt(var + eps))  # the card's "second term is 0"
    _close((dy * xhat).sum(), central_difference(lambda g: float((forward(x, g[0]) * dy).sum()), np.array([gamma]))[0])
    _close(dy.sum(), central_difference(lambda b: float((forward(x, gamma, b[0]) * dy).sum()), np.array([beta]))[0])


def test_conv1d_cards():
    """conv1d-forward, -dw, -dx: valid cross-correlation, stride 1, 1-based indices as on the card."""
    n, k = 7, 3
    x, w, b = RNG.normal(size=n), RNG.normal(size=k), 0.3
    dz = RNG.normal(size=n - k + 1)

    def forward(x, w, b=b):  # z_i = Σ_j w_j x_{i+j-1} + b
        return np.array([sum(w[j - 1] * x[i + j - 2] for j in range(1, k + 1)) + b for i in range(1, n - k + 2)])

    dw = np.array([sum(dz[i - 1] * x[i + j - 2] for i in range(1, n - k + 2)) for j in range(1, k + 1)])
    dx = np.array([sum(w[j - 1] * dz[t - j] for j in range(1, k + 1) if 1 <= t - j + 1 <= n - k + 1)
                   for t in range(1, n + 1)])
    _close(forward(x, w), np.correlate(x, w, mode="valid") + b)
    _close(dw, central_difference(lambda v: float(forward(x, v) @ dz), w.copy()))
    _close(dx, central_difference(lambda v: float(forward(v, w) @ dz), x.copy()))
    _close(dz.sum(), central_difference(lambda v: float(forward(x, w, v[0]) @ dz), np.array([b]))[0])


@pytest.mark.parametrize("n, k, s", [(7, 3, 1), (7, 3, 2), (8, 3, 2), (9, 2, 3), (5, 5, 2)])
def test_conv1d_stride_cards(n, k, s):
    """conv1d-output-length ⌊(n − k)/s⌋ + 1 and the stride-s row: dx_t sums w_j dz_i over (i−1)s + j = t."""
    x, w = RNG.normal(size=n), RNG.normal(size=k)
    n_out = (n - k) // s + 1
    assert n_out == len(range(1, n - k + 2, s))  # window starts 1, 1 + s, … up to n − k + 1
    forward = lambda x, w: np.array([sum(w[j - 1] * x[(i - 1) * s + j - 1] for j in range(1, k + 1))  # noqa: E731
                                     for i in range(1, n_out + 1)])
    dz = RNG.normal(size=n_out)
    dx = np.zeros(n)
    for i in range(1, n_out + 1):
        for j in range(1, k + 1):
            dx[(i - 1) * s + j - 1] += w[j - 1] * dz[i - 1]
    _close(dx, central_difference(lambda v: float(forward(v, w) @ dz), x.copy()))


def test_maxpool_cards():
    """maxpool-forward and -backward: each window's gradient goes to its argmax (windows overlap here)."""
    x, k, s = np.array([0.3, 1.2, -0.5, 0.9, 2.0, 0.1, -1.0]), 3, 2
    windows = [list(range((i - 1) * s, (i - 1) * s + k)) for i in range(1, (len(x) - k) // s + 2)]
    dy = RNG.normal(size=len(windows))
    forward = lambda v: np.array([v[w].max() for w in windows])  # noqa: E731
    dx = np.zeros_like(x)
    for i, w in enumerate(windows):
        dx[w[int(np.argmax(x[w]))]] += dy[i]
    _close(dx, central_difference(lambda v: float(forward(v) @ dy), x.copy()))


def test_softmax_jacobian_cards_in_both_notations():
    z, dyhat = RNG.normal(size=4), RNG.normal(size=4)
    softmax = lambda v: np.exp(v - v.max()) / np.exp(v - v.max()).sum()  # noqa: E731
    y = softmax(z)
    numeric = np.array([central_difference(lambda v: float(softmax(v)[i]), z.copy()) for i in range(4)])
    col, row = y.reshape(4, 1), y.reshape(1, 4)
    _close(np.diag(y) - col @ col.T, numeric)  # column: diag(ŷ) − ŷŷᵀ
    _close(np.diag(y) - row.T @ row, numeric)  # row: diag(ŷ) − ŷᵀŷ
    _close(y * (dyhat - y @ dyhat), (np.diag(y) - col @ col.T) @ dyhat)  # without building the matrix


def test_cross_entropy_from_scores_cards():
    z, y = np.array([1000.0, 998.5, 1001.0]), np.array([0.0, 1.0, 0.0])  # e^1000 overflows unshifted
    c = z.max()
    loss = lambda v: -(y * v).sum() + v.max() + np.log(np.exp(v - v.max()).sum())  # noqa: E731
    assert np.isfinite(loss(z)) and loss(z) == pytest.approx(-(y * z).sum() + c + np.log(np.exp(z - c).sum()))
    _close(np.exp(z - c) / np.exp(z - c).sum() - y, central_difference(loss, z.copy()))


def test_multi_output_sigmoid_bce_card():
    Z, Y, m = RNG.normal(size=(3, 4)), RNG.integers(0, 2, size=(3, 4)).astype(float), 4
    J = lambda Z: float(-(Y * np.log(1 / (1 + np.exp(-Z))) + (1 - Y) * np.log(1 - 1 / (1 + np.exp(-Z)))).sum() / m)  # noqa: E731
    _close((1 / (1 + np.exp(-Z)) - Y) / m, central_difference(J, Z.copy()))


def test_l2_and_dropout_cards():
    W, lam, m = RNG.normal(size=(2, 3)), 0.7, 5
    _close(lam / m * W, central_difference(lambda V: lam / (2 * m) * float((V ** 2).sum()), W.copy()))
    A, M, p = RNG.normal(size=(2, 3)), np.array([[1, 0, 1], [1, 1, 0]]), 0.8
    dout = RNG.normal(size=(2, 3))
    _close(M * dout / p, central_difference(lambda V: float((M * V / p * dout).sum()), A.copy()))
    w, g, eta = 1.5, 0.4, 0.1  # weight-decay-step: both forms on the card agree
    assert w - eta * (g + lam * w) == pytest.approx((1 - eta * lam) * w - eta * g)


def test_vanishing_gradient_bound_card():
    s = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731
    zs = np.linspace(-6, 6, 1201)
    assert (s(zs) * (1 - s(zs))).max() == pytest.approx(0.25)
    w, b = RNG.normal(size=6), RNG.normal(size=6)

    def chain(a):
        for wl, bl in zip(w, b):
            a = s(wl * a + bl)
        return a

    slope = central_difference(lambda a: float(chain(a[0])), np.array([0.3]))[0]
    assert abs(slope) <= 0.25 ** len(w) * np.prod(np.abs(w))


def test_parameter_count_cards():
    n_in, n_out, k, c_in, c_out = 4, 3, 5, 2, 6
    assert np.zeros((n_out, n_in)).size + np.zeros(n_out).size == n_in * n_out + n_out
    assert np.zeros((c_out, c_in, k)).size + np.zeros(c_out).size == k * c_in * c_out + c_out


def test_gate_cards():
    """gate-add, -multiply, -max and -fanout as local gradient × upstream."""
    up = 1.7
    x, y = 2.0, -3.0
    f = lambda op: lambda v: up * op(v[0], v[1])  # noqa: E731
    _close(central_difference(f(lambda a, b: a + b), np.array([x, y])), [up, up])
    _close(central_difference(f(lambda a, b: a * b), np.array([x, y])), [y * up, x * up])
    _close(central_difference(f(max), np.array([x, y])), [up, 0.0])
    fan = lambda v: (v[0] ** 2) * np.sin(v[0])  # noqa: E731  z1 = x², z2 = sin x, f = z1·z2
    _close(central_difference(fan, np.array([x])), [2 * x * np.sin(x) + np.cos(x) * x ** 2])
