"""The optimizer steps (engine/optimizers.py) against independent hand formulas, and each
catalogued optimizer mistake against the value it is named for.

The closed forms here unroll the recursions (a state started at 0 is a weighted sum of the
gradients), so they share no code with the step-by-step engine.
"""

from __future__ import annotations

import math

import pytest

from quizgen.engine.mistakes import OTHER
from quizgen.engine.optimizers import OPTIMIZERS, SLIPS, Hyper, run

GRADS = [1.5, -0.5, 2.0]


def weighted(beta: float, values: list[float]) -> float:
    """(1 − β)·Σ β^(t−i)·x_i: an exponential average started at 0, unrolled."""
    t = len(values)
    return (1 - beta) * sum(beta ** (t - i) * x for i, x in enumerate(values, start=1))


def test_sgd_hand_numbers():
    """w = 1 − 0.1·1.5 = 0.85, then 0.85 + 0.05 = 0.9."""
    record = run("sgd", 1.0, [1.5, -0.5], Hyper(lr=0.1))
    assert [r["w"] for r in record] == pytest.approx([0.85, 0.9])


def test_momentum_closed_form():
    h = Hyper(lr=0.1, beta=0.9)
    record = run("momentum", 2.0, GRADS, h)
    for t in range(1, len(GRADS) + 1):
        v = -h.lr * sum(h.beta ** (t - i) * g for i, g in enumerate(GRADS[:t], start=1))
        assert record[t - 1]["v"] == pytest.approx(v)
    velocities = [r["v"] for r in record]
    assert record[-1]["w"] == pytest.approx(2.0 + sum(velocities))


def test_momentum_hand_numbers():
    """v1 = −0.5·1 = −0.5, w1 = 0.5; v2 = 0.5·(−0.5) − 0.5·(−1) = 0.25, w2 = 0.75."""
    record = run("momentum", 1.0, [1.0, -1.0], Hyper(lr=0.5, beta=0.5))
    assert [x for r in record for x in (r["v"], r["w"])] == pytest.approx([-0.5, 0.5, 0.25, 0.75])


def test_rmsprop_closed_form():
    h = Hyper(lr=0.01, beta=0.9, eps=0.1)
    record = run("rmsprop", -1.0, GRADS, h)
    w = -1.0
    for t, g in enumerate(GRADS, start=1):
        s = weighted(h.beta, [x * x for x in GRADS[:t]])
        assert record[t - 1]["s"] == pytest.approx(s)
        w -= h.lr * g / (math.sqrt(s) + h.eps)
        assert record[t - 1]["w"] == pytest.approx(w)


def test_adam_closed_form_with_bias_correction():
    h = Hyper(lr=0.1, beta1=0.9, beta2=0.99, eps=0.1)
    record = run("adam", 1.5, GRADS, h)
    w = 1.5
    for t, g in enumerate(GRADS, start=1):
        m_hat = weighted(h.beta1, GRADS[:t]) / (1 - h.beta1 ** t)
        s_hat = weighted(h.beta2, [x * x for x in GRADS[:t]]) / (1 - h.beta2 ** t)
        assert (record[t - 1]["m_hat"], record[t - 1]["s_hat"]) == pytest.approx((m_hat, s_hat))
        w -= h.lr * m_hat / (math.sqrt(s_hat) + h.eps)
        assert record[t - 1]["w"] == pytest.approx(w)


@pytest.mark.parametrize("g", [2.0, -0.5])
def test_adam_first_step_moves_by_the_learning_rate(g):
    """The textbook fact bias correction exists for: step 1 is η·sign(g) whatever |g| is."""
    record = run("adam", 0.0, [g], Hyper(lr=0.01))
    assert record[0]["w"] == pytest.approx(-0.01 * math.copysign(1, g), rel=1e-6)


def test_weight_decay_gradient_matches_a_central_difference():
    """The decay term λ·w is the derivative of the penalty λ/2·w² (central difference)."""
    lam, w, eps = 0.5, 1.5, 1e-5
    penalty = lambda x: lam / 2 * x * x
    record = run("sgd", w, [0.0], Hyper(lr=0.1, decay=lam))
    numeric = (penalty(w + eps) - penalty(w - eps)) / (2 * eps)
    assert record[0]["g_eff"] == pytest.approx(numeric)
    assert record[0]["w"] == pytest.approx(w - 0.1 * numeric)


def test_weight_decay_leaves_a_bias_alone():
    h = Hyper(lr=0.1, decay=0.5)
    assert run("sgd", 1.0, [1.0], h, bias=True)[0]["w"] == pytest.approx(0.9)
    assert run("sgd", 1.0, [1.0], h)[0]["w"] == pytest.approx(1.0 - 0.1 * 1.5)


# --- each catalogued mistake gives the value it is named for -----------------------------------

def test_mistake_adam_no_bias_correction():
    h = Hyper(lr=0.1, beta1=0.9, beta2=0.999, eps=1e-8)
    got = run("adam", 1.0, [2.0], h, slip="adam_no_bias_correction")[0]["w"]
    m, s = 0.1 * 2.0, 0.001 * 4.0
    assert got == pytest.approx(1.0 - 0.1 * m / (math.sqrt(s) + 1e-8))


def test_mistake_eps_inside_sqrt_and_forgotten():
    h = Hyper(lr=0.1, beta=0.9, eps=0.1)
    s = 0.1 * 1.0
    inside = run("rmsprop", 0.0, [1.0], h, slip="eps_inside_sqrt")[0]["w"]
    forgot = run("rmsprop", 0.0, [1.0], h, slip="eps_forgotten")[0]["w"]
    assert inside == pytest.approx(-0.1 / math.sqrt(s + 0.1))
    assert forgot == pytest.approx(-0.1 / math.sqrt(s))
    assert run("rmsprop", 0.0, [1.0], h)[0]["w"] == pytest.approx(-0.1 / (math.sqrt(s) + 0.1))


def test_mistake_eps_slips_in_adam():
    h = Hyper(lr=0.1, beta1=0.9, beta2=0.99, eps=0.1)
    assert run("adam", 0.0, [1.0], h, slip="eps_inside_sqrt")[0]["w"] == pytest.approx(-0.1 / math.sqrt(1.1))
    assert run("adam", 0.0, [1.0], h, slip="eps_forgotten")[0]["w"] == pytest.approx(-0.1)


def test_mistake_velocity_sign_flipped():
    """v = −0.5, so w − v = 1.5 instead of w + v = 0.5."""
    h = Hyper(lr=0.5, beta=0.9)
    assert run("momentum", 1.0, [1.0], h, slip="velocity_sign_flipped")[0]["w"] == pytest.approx(1.5)


def test_mistake_lr_applied_twice():
    """v = −0.5, so w + η·v = 0.75 instead of 0.5."""
    h = Hyper(lr=0.5, beta=0.9)
    assert run("momentum", 1.0, [1.0], h, slip="lr_applied_twice")[0]["w"] == pytest.approx(0.75)


def test_mistake_decay_on_bias():
    """A bias b = 1 with g = 1, λ = 0.5: decayed, it steps by η·(1 + 0.5) = 0.15, not 0.1."""
    h = Hyper(lr=0.1, decay=0.5)
    assert run("sgd", 1.0, [1.0], h, bias=True, slip="decay_on_bias")[0]["w"] == pytest.approx(0.85)


def test_mistake_decay_forgotten():
    """w = 1, g = 1, λ = 0.5: without the decay the step is η·1 = 0.1, not η·1.5."""
    h = Hyper(lr=0.1, decay=0.5)
    assert run("sgd", 1.0, [1.0], h, slip="decay_forgotten")[0]["w"] == pytest.approx(0.9)


def test_every_slip_is_catalogued_and_belongs_to_a_rule():
    assert set(SLIPS) <= set(OTHER)
    for opt in OPTIMIZERS.values():
        assert set(opt.slips) <= set(SLIPS)
        assert len(opt.rule_tex) == len(opt.state) + 1


def test_a_slip_a_rule_does_not_have_changes_nothing():
    h = Hyper(lr=0.1)
    assert run("sgd", 1.0, GRADS, h, slip="eps_inside_sqrt") == run("sgd", 1.0, GRADS, h)
