"""One training iteration (engine/training.py) against an independent computation, and each
catalogued training mistake against the value it is named for.

The reference here shares no code with the engine: its own forward pass and losses written out
in NumPy, gradients by central differences of that loss, the update W − η·g, the loss again.
Both notations: a row-notation network is the transposed problem and must give the same loss.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizgen.engine import mistakes, training
from quizgen.engine.activations import parse_activation
from quizgen.engine.backprop import solve
from quizgen.engine.losses import get_loss
from quizgen.engine.network import Network, Notation

H = 1e-6
ACTS = {"sigmoid": lambda z: 1 / (1 + np.exp(-z)), "tanh": np.tanh, "relu": lambda z: np.maximum(z, 0),
        "identity": lambda z: z}
LOSSES = {"half_sse": lambda a, y: 0.5 * np.sum((a - y) ** 2, axis=0),
          "bce": lambda a, y: -np.sum(y * np.log(a) + (1 - y) * np.log(1 - a), axis=0)}


def reference_loss(params, acts, loss, X, Y):
    """J of a column-notation network, (W, b) pairs, written out independently (mean over examples)."""
    A = X
    for (W, b), act in zip(params, acts):
        A = ACTS[act](W @ A + b[:, None])  # (n_out, n_in)·(n_in, m) + (n_out, 1)
    return float(np.mean(LOSSES[loss](A, Y)))


def numeric_gradients(params, acts, loss, X, Y):
    """∂J/∂W and ∂J/∂b of every layer by central differences."""
    grads = []
    for i, (W, b) in enumerate(params):
        pair = []
        for which, P in ((0, W), (1, b)):
            G = np.zeros_like(P)
            for idx in np.ndindex(P.shape):
                up = [(w.copy(), c.copy()) for w, c in params]
                down = [(w.copy(), c.copy()) for w, c in params]
                up[i][which][idx] += H
                down[i][which][idx] -= H
                G[idx] = (reference_loss(up, acts, loss, X, Y) - reference_loss(down, acts, loss, X, Y)) / (2 * H)
            pair.append(G)
        grads.append(tuple(pair))
    return grads


def network(params, acts, loss, X, Y, lr, notation="column"):
    n = Notation(notation)
    o = n.orient
    return Network.from_arrays(n, [o(W) for W, _ in params], [b for _, b in params],
                               [(parse_activation(a),) for a in acts], get_loss(loss, "mean"), o(X), o(Y), lr)


@st.composite
def problems(draw):
    sizes = draw(st.lists(st.integers(1, 3), min_size=2, max_size=3))
    m = draw(st.integers(1, 3))
    loss = draw(st.sampled_from(sorted(LOSSES)))
    hidden = [draw(st.sampled_from(["sigmoid", "tanh", "identity"])) for _ in sizes[1:-1]]
    acts = hidden + (["sigmoid"] if loss == "bce" else [draw(st.sampled_from(["identity", "tanh"]))])
    values = st.integers(-4, 4).map(lambda k: k / 4)
    arr = lambda shape: np.array(draw(st.lists(values, min_size=int(np.prod(shape)), max_size=int(np.prod(shape))))
                                 ).reshape(shape)
    params = [(arr((n_out, n_in)), arr((n_out,))) for n_in, n_out in zip(sizes[:-1], sizes[1:])]
    X = arr((sizes[0], m))
    Y = (arr((sizes[-1], m)) > 0).astype(float) if loss == "bce" else arr((sizes[-1], m))
    lr = draw(st.sampled_from([0.1, 0.5, 1.0]))
    return params, acts, loss, X, Y, lr


@settings(max_examples=60, deadline=None)
@given(problems(), st.sampled_from(["column", "row"]))
def test_new_loss_is_the_loss_after_a_central_difference_step(case, notation):
    params, acts, loss, X, Y, lr = case
    grads = numeric_gradients(params, acts, loss, X, Y)
    stepped = [(W - lr * gW, b - lr * gb) for (W, b), (gW, gb) in zip(params, grads)]
    want = reference_loss(stepped, acts, loss, X, Y)
    net = network(params, acts, loss, X, Y, lr, notation)
    it = training.iterate(net)
    assert it.before.loss == pytest.approx(reference_loss(params, acts, loss, X, Y), rel=1e-9, abs=1e-12)
    assert it.after.loss == pytest.approx(want, rel=1e-6, abs=1e-7)
    for t, (gW, gb) in zip(it.before.layers, grads):  # the gradients the update used
        np.testing.assert_allclose(t.dW, gW, rtol=1e-5, atol=1e-7)
        np.testing.assert_allclose(t.db, gb, rtol=1e-5, atol=1e-7)
    assert it.decrease == pytest.approx(it.before.loss - want, rel=1e-6, abs=1e-7)


# A fixed two-layer problem for the named mistakes: tanh hidden layer, sigmoid output, BCE, m = 2.
PARAMS = [(np.array([[0.5, -1.0], [1.0, 0.5]]), np.array([0.5, -0.5])), (np.array([[1.0, -0.5]]), np.array([0.25]))]
ACTS_2 = ["tanh", "sigmoid"]
X2 = np.array([[1.0, -0.5], [0.5, 1.0]])
Y2 = np.array([[1.0, 0.0]])
LR = 0.5


def after(update) -> float:
    """The reference loss after the parameters are changed by `update(i, W, b, gW, gb)`."""
    grads = numeric_gradients(PARAMS, ACTS_2, "bce", X2, Y2)
    stepped = [update(i, W, b, gW, gb) for i, ((W, b), (gW, gb)) in enumerate(zip(PARAMS, grads))]
    return reference_loss(stepped, ACTS_2, "bce", X2, Y2)


NAMED = {
    "gradient_ascent": lambda i, W, b, gW, gb: (W + LR * gW, b + LR * gb),
    "learning_rate_forgotten": lambda i, W, b, gW, gb: (W - gW, b - gb),
    "bias_not_updated": lambda i, W, b, gW, gb: (W - LR * gW, b),
    "output_layer_only": lambda i, W, b, gW, gb: (W - LR * gW, b - LR * gb) if i == 1 else (W, b),
    # a lost 1/m: every gradient m = 2 times too large
    "forgot_1_over_m": lambda i, W, b, gW, gb: (W - LR * 2 * gW, b - LR * 2 * gb),
    # the 1/m applied twice to dW and db: every gradient halved
    "double_1_over_m": lambda i, W, b, gW, gb: (W - LR * gW / 2, b - LR * gb / 2),
}


@pytest.mark.parametrize("mistake", sorted(NAMED))
@pytest.mark.parametrize("notation", ["column", "row"])
def test_each_training_mistake_gives_its_named_new_loss(mistake, notation):
    net = network(PARAMS, ACTS_2, "bce", X2, Y2, LR, notation)
    if mistake in training.SLIPS:
        got = training.new_loss(net, slip=mistake)
    else:
        got = training.new_loss(net, rules=mistakes.get(mistake).rules())
    right = training.new_loss(net)
    assert got == pytest.approx(after(NAMED[mistake]), rel=1e-6)
    assert abs(got - right) > 1e-4, "the mistake changes the answer"


def test_old_weights_loss_is_the_loss_before_the_step():
    net = network(PARAMS, ACTS_2, "bce", X2, Y2, LR)
    assert training.new_loss(net, slip="old_weights_loss") == pytest.approx(reference_loss(PARAMS, ACTS_2, "bce", X2, Y2))
    assert training.iterate(net, slip="old_weights_loss").decrease == 0.0


def test_the_update_is_backprops_sgd_step():
    """W_new on the solved tape is what the iteration's updated network holds."""
    net = network(PARAMS, ACTS_2, "bce", X2, Y2, LR)
    tape, it = solve(net), training.iterate(net)
    for t, layer in zip(tape.layers, it.updated.layers):
        np.testing.assert_array_equal(t.W_new, layer.W)
        np.testing.assert_array_equal(t.b_new, layer.b)


@pytest.mark.parametrize("slip", [None, *training.SLIPS])
@pytest.mark.parametrize("notation", ["column", "row"])
def test_stepped_is_the_iterations_updated_network(slip, notation):
    """stepped (the update without the second forward pass, for an updated-weight question)
    holds the very parameters iterate's updated network holds."""
    net = network(PARAMS, ACTS_2, "bce", X2, Y2, LR, notation)
    tape = solve(net)
    for got, want in zip(training.stepped(net, tape, slip).layers, training.iterate(net, slip=slip, before=tape).updated.layers):
        np.testing.assert_array_equal(got.W, want.W)
        np.testing.assert_array_equal(got.b, want.b)


def test_a_slip_that_cannot_be_made_is_refused():
    one = network(PARAMS[1:], ACTS_2[1:], "bce", X2[:2], Y2, LR)
    assert not training.applies(one, "output_layer_only")
    with pytest.raises(ValueError):
        training.iterate(one, slip="output_layer_only")
    with pytest.raises(ValueError):
        training.iterate(network(PARAMS, ACTS_2, "bce", X2, Y2, None))


def test_every_slip_is_catalogued_with_words():
    for slip in training.SLIPS:
        m = mistakes.describe(slip)
        assert m.name["key"] == f"mistakes.{slip}.name"
