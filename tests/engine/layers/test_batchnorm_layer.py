"""The batch-normalization layer type (training mode): dx, dγ and dβ against central differences in
both notations, against an independent staged formula (dx̂ → dσ² → dμ → dx), on a case worked by
hand, and each catalogued mistake's value on that case."""

import numpy as np
import pytest
from hypothesis import assume, given, settings, strategies as st

from quizgen.engine.gradcheck import central_difference
from quizgen.engine.layers import TYPES, evaluate, run
from quizgen.engine.network import Notation

BN = TYPES["batchnorm"]


@st.composite
def cases(draw):
    n, m = draw(st.integers(1, 3)), draw(st.integers(2, 4))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    x = rng.normal(size=(n, m)) * 2
    return {"x": x, "gamma": rng.normal(size=n), "beta": rng.normal(size=n), "dy": rng.normal(size=(n, m)),
            "eps": draw(st.sampled_from([0.0, 0.01, 0.1, 1.0])), "notation": draw(st.sampled_from(list(Notation)))}


def staged_dx(x, gamma, eps, dy):
    """The step-by-step backward pass (Ioffe and Szegedy 2015, eq. for ∂ℓ/∂x_i), written independently
    of the layer: dx̂, then dσ², then dμ, then dx; per feature over the batch axis 1."""
    m = x.shape[1]
    mu = x.mean(axis=1, keepdims=True)
    var = ((x - mu) ** 2).mean(axis=1, keepdims=True)
    inv = 1.0 / np.sqrt(var + eps)
    dxhat = dy * gamma[:, None]
    dvar = (dxhat * (x - mu)).sum(axis=1, keepdims=True) * -0.5 * inv**3
    dmu = (-dxhat * inv).sum(axis=1, keepdims=True) + dvar * (-2.0 * (x - mu)).mean(axis=1, keepdims=True)
    return dxhat * inv + dvar * 2.0 * (x - mu) / m + dmu / m


@settings(max_examples=60, deadline=None)
@given(cases())
def test_batchnorm_backward_matches_central_differences_in_both_notations(case):
    x, gamma, beta, dy, eps = case["x"], case["gamma"], case["beta"], case["dy"], case["eps"]
    assume(((x - x.mean(axis=1, keepdims=True)) ** 2).mean(axis=1).min() > 0.05)
    o = case["notation"].orient
    params = {"gamma": gamma, "beta": beta, "eps": eps}
    x_shown, dy_shown = o(x).copy(), o(dy)

    def objective(_):  # J = Σ dy ⊙ y in the notation's orientation; γ and β are perturbed in place
        return float((o(BN.forward(o(x_shown), params)[0]) * dy_shown).sum())

    tape = run(BN, x, params, dy)
    tol = dict(rtol=1e-5, atol=1e-6)
    assert np.allclose(o(tape["dA_prev"]), central_difference(objective, x_shown), **tol)
    assert np.allclose(tape["dgamma"], central_difference(objective, gamma), **tol)
    assert np.allclose(tape["dbeta"], central_difference(objective, beta), **tol)
    assert np.allclose(tape["dA_prev"], staged_dx(x, gamma, eps, dy), **tol)


# Worked by hand: one feature, m = 4, x = [0, 0, 2, 2]: μ = 1, σ² = 1 (biased), ε = 0 so √(σ²+ε) = 1,
# x̂ = [−1, −1, 1, 1]; γ = 2, β = 0.5: y = [−1.5, −1.5, 2.5, 2.5]. dy = [1, 0, 0, 0]: dβ = 1, dγ = −1,
# dx = 2·(dy − 1/4 − x̂·(−1)/4) = 2·[0.5, −0.5, 0, 0] = [1, −1, 0, 0].
HAND = {"x": np.array([[0.0, 0.0, 2.0, 2.0]]), "gamma": np.array([2.0]), "beta": np.array([0.5]), "eps": 0.0,
        "dy": np.array([[1.0, 0.0, 0.0, 0.0]]), "m": 4.0}


def test_the_hand_case():
    tape = run(BN, HAND["x"], HAND, HAND["dy"])
    assert tape["mu"].tolist() == [1.0] and tape["var"].tolist() == [1.0]
    assert tape["xhat"].tolist() == [[-1.0, -1.0, 1.0, 1.0]]
    assert tape["y"].tolist() == [[-1.5, -1.5, 2.5, 2.5]]
    assert tape["dbeta"].tolist() == [1.0] and tape["dgamma"].tolist() == [-1.0]
    assert np.allclose(tape["dA_prev"], [[1.0, -1.0, 0.0, 0.0]])
    assert np.allclose(staged_dx(HAND["x"], HAND["gamma"], 0.0, HAND["dy"]), [[1.0, -1.0, 0.0, 0.0]])


def test_rules_give_the_protocol_values():
    rng = np.random.default_rng(5)
    values = {"x": rng.normal(size=(3, 4)), "gamma": rng.normal(size=3), "beta": rng.normal(size=3), "eps": 0.01,
              "dy": rng.normal(size=(3, 4)), "m": 4.0}
    tape = run(BN, values["x"], values, values["dy"])
    solved = evaluate(BN.rules({}), values, "dA_prev")
    solved.update(evaluate(BN.rules({}), values, "y"))
    for name in BN.forward_quantities + BN.backward_quantities:
        assert np.allclose(solved[name], tape[name]), name


def asked(mistake, quantity, **changes):
    return evaluate(BN.mistaken(mistake, {}), {**HAND, **changes}, quantity)[quantity]


@pytest.mark.parametrize("mistake, quantity, value", [
    ("bn_mean_dependence_ignored", "dA_prev", [[2.0, 0.0, 0.0, 0.0]]),  # γ·dy/√(σ²+ε)
    ("bn_unbiased_variance", "var", [4.0 / 3.0]),  # Σ(x − μ)²/(m − 1) = 4/3
    ("bn_dgamma_without_xhat", "dgamma", [1.0]),  # Σ dy
    ("bn_dgamma_with_x", "dgamma", [0.0]),  # Σ dy ⊙ x = 1·0
    ("bn_dbeta_averaged", "dbeta", [0.25]),  # Σ dy / m
    ("bn_sum_wrong_axis", "dbeta", [1.0, 0.0, 0.0, 0.0]),  # one "sum" per example: (m,), not (features,)
])
def test_each_mistake_gives_its_named_value(mistake, quantity, value):
    assert np.allclose(asked(mistake, quantity), value)


def test_eps_mistakes_need_an_eps():
    # ε = 0.25: √(σ² + ε) = √1.25; forgetting it gives √1 = 1; dividing by σ² + ε gives x̂ = ±1/1.25 = ±0.8
    assert np.allclose(asked("bn_eps_forgotten", "std", eps=0.25), [1.0])
    assert np.allclose(evaluate(BN.rules({}), {**HAND, "eps": 0.25}, "std")["std"], [np.sqrt(1.25)])
    assert np.allclose(asked("bn_divide_by_variance", "xhat", eps=0.25), [[-0.8, -0.8, 0.8, 0.8]])


@pytest.mark.parametrize("mistake", sorted(BN.mistakes))
@pytest.mark.parametrize("quantity", ["y", "dA_prev", "dgamma", "dbeta"])
def test_a_mistake_reusing_the_right_evaluation_gives_the_same_bits(mistake, quantity):
    """Guards evaluate(reuse=...) (layer_tape's mistakes): taking unchanged quantities from the right
    tape gives exactly what evaluating the mistaken rules from scratch gives."""
    rng = np.random.default_rng(7)
    values = {"x": rng.normal(size=(3, 4)), "gamma": rng.normal(size=3), "beta": rng.normal(size=3), "eps": 0.01,
              "dy": rng.normal(size=(3, 4)), "m": 4.0}
    rules, wrong = BN.rules({}), BN.mistaken(mistake, {})
    if wrong is None or quantity not in wrong:
        return
    right = evaluate(rules, values, quantity)
    try:
        alone = evaluate(wrong, values, quantity)
    except ValueError:  # the mistake's shapes do not fit: so with reuse
        with pytest.raises(ValueError):
            evaluate(wrong, values, quantity, reuse=(rules, right))
        return
    reused = evaluate(wrong, values, quantity, reuse=(rules, right))
    assert np.array_equal(alone[quantity], reused[quantity]) and alone.keys() == reused.keys()
