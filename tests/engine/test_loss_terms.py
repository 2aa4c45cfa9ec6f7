"""The L2 penalty, multi-label sigmoid + BCE and cross-entropy from logits (issue 20), against
central differences in both notations, and each of their catalogued mistakes against its value.

Structure is drawn by hypothesis, the numbers from a drawn seed (as tests/engine/test_backprop.py).
"""

import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from quizgen.engine import mistakes, numerical_gradients, solve
from quizgen.engine.loss_mistakes import RULES, VALUE_ONLY, value_slips
from quizgen.engine.losses import l2_penalty, log_sum_exp
from quizgen.engine.optimizers import Hyper, run
from quizgen.errors import ProblemError
from quizgen.problem import parse_problem


def orient(notation: str, matrix: np.ndarray) -> list:
    return (matrix.T if notation == "row" else matrix).tolist()


def problem(notation, sizes, m, acts, loss, Y, rng, l2=0.0, reduction="mean", bias=True, scale=1.0):
    """A problem file for a drawn structure; arrays drawn in column orientation, written in `notation`."""
    X = rng.uniform(-1, 1, (sizes[0], m))
    layers = []
    for n_in, n_out, act in zip(sizes[:-1], sizes[1:], acts):
        entry = {"W": orient(notation, rng.uniform(-1, 1, (n_out, n_in)) * scale), "activation": act}
        if bias:
            entry["b"] = rng.uniform(-0.5, 0.5, n_out).tolist()
        layers.append(entry)
    data = {"notation": notation, "loss": loss, "reduction": reduction, "X": orient(notation, X),
            "Y": orient(notation, Y), "layers": layers}
    if l2:
        data["l2"] = l2
    return data


def assert_matches_central_differences(net, rtol=1e-5, atol=1e-7):
    tape, numeric = solve(net), numerical_gradients(net)
    for t, n in zip(tape.layers, numeric["layers"]):
        np.testing.assert_allclose(t.dW, n["dW"], rtol=rtol, atol=atol)
        if t.db is not None:
            np.testing.assert_allclose(t.db, n["db"], rtol=rtol, atol=atol)
    np.testing.assert_allclose(tape.dX, numeric["dX"], rtol=rtol, atol=atol)


shapes = st.tuples(st.integers(1, 3), st.integers(1, 3), st.integers(1, 3), st.integers(1, 3))


@settings(max_examples=40, deadline=None)
@given(shape=shapes, notation=st.sampled_from(["column", "row"]), reduction=st.sampled_from(["mean", "sum"]),
       l2=st.sampled_from([0.1, 0.5, 2.0]), seed=st.integers(0, 2**31 - 1))
def test_l2_gradients_match_central_differences(shape, notation, reduction, l2, seed):
    rng = np.random.default_rng(seed)
    n0, n1, k, m = shape
    Y = rng.uniform(-1, 1, (k, m))
    net = parse_problem(problem(notation, [n0, n1, k], m, ["tanh", "identity"], "half_sse", Y, rng, l2, reduction))
    assert_matches_central_differences(net)


@settings(max_examples=40, deadline=None)
@given(shape=shapes, notation=st.sampled_from(["column", "row"]), seed=st.integers(0, 2**31 - 1))
def test_multi_label_bce_matches_central_differences_and_dz_is_a_minus_y_over_m(shape, notation, seed):
    rng = np.random.default_rng(seed)
    n0, n1, k, m = shape
    k += 1  # k ≥ 2 independent sigmoids
    Y = rng.integers(0, 2, (k, m)).astype(float)
    net = parse_problem(problem(notation, [n0, n1, k], m, ["tanh", "sigmoid"], "bce", Y, rng, l2=0.3))
    assert_matches_central_differences(net)
    tape = solve(net)
    np.testing.assert_allclose(tape.layers[-1].dZ, (tape.output - net.Y) / m, atol=1e-12)


@settings(max_examples=40, deadline=None)
@given(shape=shapes, notation=st.sampled_from(["column", "row"]), seed=st.integers(0, 2**31 - 1))
def test_cross_entropy_from_logits_matches_central_differences(shape, notation, seed):
    rng = np.random.default_rng(seed)
    n0, n1, k, m = shape
    k += 1
    Y = np.eye(k)[:, rng.integers(0, k, m)]
    net = parse_problem(problem(notation, [n0, n1, k], m, ["relu", "identity"], "cross_entropy_logits", Y, rng))
    assert_matches_central_differences(net)


def test_cross_entropy_from_logits_survives_logits_where_exp_overflows():
    """Guards the shift: e^1000 is inf in float64, the log-sum-exp is not."""
    z = np.array([[1000.0, 5.0], [1001.0, 4.0], [998.0, 2.0]])
    with np.errstate(over="ignore"):
        assert not np.isfinite(np.exp(z)).all()
    np.testing.assert_allclose(log_sum_exp(z), [1001 + math.log(math.exp(-1) + 1 + math.exp(-3)),
                                                5 + math.log(1 + math.exp(-1) + math.exp(-3))])
    data = {"notation": "column", "loss": "cross_entropy_logits", "X": [[1.0]], "Y": [[0], [1], [0]],
            "layers": [{"W": [[0.0], [0.0], [0.0]], "b": [1000, 1001, 998], "activation": "identity"}]}
    tape = solve(parse_problem(data))
    softmax = np.exp([-1, 0, -3]) / np.exp([-1, 0, -3]).sum()
    assert tape.loss == pytest.approx(-math.log(softmax[1]))
    np.testing.assert_allclose(tape.layers[0].dZ[:, 0], softmax - [0, 1, 0])


def test_l2_penalty_is_lambda_over_2m_times_the_squared_weights_and_skips_biases():
    data = {"notation": "column", "loss": "half_sse", "l2": 0.5, "X": [[1.0, 2.0]], "Y": [[0.0, 0.0]],
            "layers": [{"W": [[2.0]], "b": [3.0], "activation": "identity"}]}
    net = parse_problem(data)
    assert l2_penalty(net) == pytest.approx(0.5 / (2 * 2) * 4.0)  # the bias's 9 is not in it
    tape = solve(net)
    data_loss = 0.5 * ((2 + 3) ** 2 + (4 + 3) ** 2) / 2
    assert tape.loss == pytest.approx(data_loss + 0.5)
    assert tape.layers[0].dW[0, 0] == pytest.approx((5 * 1 + 7 * 2) / 2 + 0.5 / 2 * 2.0)
    assert tape.layers[0].db[0] == pytest.approx((5 + 7) / 2)  # no λ term on the bias


def test_l2_equals_optimizer_weight_decay_of_lambda_over_m():
    """The relation the README states: the optimizer's decay λ′ is the loss's λ/m."""
    data = {"notation": "column", "loss": "half_sse", "l2": 0.6, "learning_rate": 0.1, "X": [[1.0, -1.0, 2.0]],
            "Y": [[0.5, 0.0, 1.0]], "layers": [{"W": [[0.8]], "activation": "identity"}]}
    net = parse_problem(data)
    tape = solve(net)
    plain = solve(parse_problem({**data, "l2": 0}))
    step = run("sgd", 0.8, [float(plain.layers[0].dW[0, 0])], Hyper(lr=0.1, decay=0.6 / 3))
    assert tape.layers[0].W_new[0, 0] == pytest.approx(step[-1]["w"])


def test_the_l2_key_of_a_problem_file_is_validated_and_written_back():
    data = {"notation": "row", "loss": "mse", "l2": 0.25, "X": [[1.0, 2.0]], "Y": [[1.0]],
            "layers": [{"W": [[1.0], [0.5]], "activation": "identity"}]}
    assert parse_problem(data).to_problem()["l2"] == 0.25
    assert "l2" not in parse_problem({**data, "l2": 0}).to_problem()
    for bad in (-1, "0.1", True, float("nan"), 1e9):
        with pytest.raises(ProblemError, match="l2"):
            parse_problem({**data, "l2": bad})


# -- the mistakes ---------------------------------------------------------------------------------

def _l2_net(notation="column"):
    rng = np.random.default_rng(3)
    Y = rng.integers(0, 2, (2, 3)).astype(float)
    return parse_problem(problem(notation, [2, 2, 2], 3, ["tanh", "sigmoid"], "bce", Y, rng, l2=0.4))


@pytest.mark.parametrize("notation", ["column", "row"])
def test_each_l2_gradient_mistake_gives_its_named_value(notation):
    net = _l2_net(notation)
    right, lam, m = solve(net), 0.4, 3
    for l, layer in enumerate(net.layers):
        data_dW = right.layers[l].dW - lam / m * layer.W
        expect = {"l2_forgotten": data_dW, "l2_without_1_over_m": data_dW + lam * layer.W,
                  "l2_half_dropped": data_dW + 2 * lam / m * layer.W}
        for mid, want in expect.items():
            np.testing.assert_allclose(mistakes.get(mid).solve(net).layers[l].dW, want, err_msg=mid)
        wrong = mistakes.get("l2_on_bias").solve(net).layers[l]
        np.testing.assert_allclose(wrong.db, right.layers[l].db + lam / m * layer.b)
        np.testing.assert_allclose(wrong.dW, right.layers[l].dW)


def test_each_loss_value_mistake_gives_its_named_value():
    net = _l2_net()
    tape = solve(net)
    slips = dict(value_slips(tape))
    W2 = sum(float((layer.W ** 2).sum()) for layer in net.layers)
    B2 = sum(float((layer.b ** 2).sum()) for layer in net.layers)
    data = tape.loss - 0.4 / 6 * W2
    assert slips["l2_forgotten"] == pytest.approx(data)
    assert slips["l2_half_dropped"] == pytest.approx(data + 0.4 / 3 * W2)
    assert slips["l2_without_1_over_m"] == pytest.approx(data + 0.2 * W2)
    assert slips["l2_on_bias"] == pytest.approx(data + 0.4 / 6 * (W2 + B2))
    assert slips["l2_gradient_in_loss"] == pytest.approx(data + 0.4 / 3 * sum(float(l.W.sum()) for l in net.layers))
    A, Y, Z = tape.output, net.Y, tape.layers[-1].Z
    soft = np.exp(Z) / np.exp(Z).sum(axis=0)
    assert slips["bce_softmax_output"] == pytest.approx(-(Y * np.log(soft)).sum() / 3)
    assert slips["bce_no_negative_term"] == pytest.approx(-(Y * np.log(A)).sum() / 3)


def test_the_multi_label_bce_mistakes_give_their_named_dz():
    net = _l2_net()
    tape = solve(net)
    A, Y, Z = tape.output, net.Y, tape.layers[-1].Z
    soft = np.exp(Z) / np.exp(Z).sum(axis=0)
    np.testing.assert_allclose(mistakes.get("bce_softmax_output").solve(net).layers[-1].dZ, (soft - Y) / 3)
    np.testing.assert_allclose(mistakes.get("bce_no_negative_term").solve(net).layers[-1].dZ, -Y * (1 - A) / 3)


def test_the_log_sum_exp_mistakes_give_their_named_values():
    data = {"notation": "column", "loss": "cross_entropy_logits", "X": [[1.0, 1.0]], "Y": [[0, 1], [1, 0], [0, 0]],
            "layers": [{"W": [[0.0], [1.0], [2.0]], "b": [1000, 999, 997], "activation": "identity"}]}
    tape = solve(parse_problem(data))
    z = tape.output  # [[1000, 1000], [1000, 1000], [999, 999]]
    slips = dict(value_slips(tape))
    true = np.array([z[1, 0], z[0, 1]])
    assert slips["lse_max_only"] == pytest.approx(np.mean(z.max(axis=0) - true))
    assert slips["lse_no_exp"] == pytest.approx(np.mean(np.log(z.sum(axis=0)) - true))
    assert slips["lse_shift_not_added_back"] == pytest.approx(np.mean(log_sum_exp(z) - z.max(axis=0) - true))
    assert tape.loss == pytest.approx(np.mean(log_sum_exp(z) - true))


def test_the_loss_mistakes_leave_every_other_network_alone():
    """Published questions stay the same: no new mistake applies without L2, k ≥ 2 BCE or logits."""
    rng = np.random.default_rng(0)
    net = parse_problem(problem("column", [2, 2, 1], 2, ["tanh", "sigmoid"], "bce", np.array([[1.0, 0.0]]), rng))
    assert not any(mistakes.get(mid).applies(net) for mid in RULES)
    assert value_slips(solve(net)) == []
    assert set(VALUE_ONLY) <= set(mistakes.OTHER)


def test_solve_text_states_the_l2_penalty_and_the_l2_term_of_dw():
    """`quizgen solve` on a file with `l2`: J's line says it holds the penalty, each dW rule shows (λ/m)·W."""
    from quizgen.render.solution_text import render_solution

    data = {"notation": "column", "loss": "half_sse", "l2": 0.5, "X": [[1.0, 2.0]], "Y": [[0.0, 0.0]],
            "layers": [{"W": [[2.0]], "b": [3.0], "activation": "identity"}]}
    out = render_solution(solve(parse_problem(data)))
    assert "L2 penalty (λ/2m)·Σ‖W‖² = 0.5 with λ = 0.5" in out
    assert "+ (λ/m)·W1" in out
    assert "L2" not in render_solution(solve(parse_problem({**data, "l2": 0})))
