"""The scalar chain of engine/vanishing.py: its walked-back derivative against central differences
of the chain itself, the bound against every input, and each catalogued slip against the value it
is named for (hand formulas written here, independent of the engine's)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings, strategies as st

from quizgen.engine import vanishing as van
from quizgen.engine.mistakes import OTHER

F = {"sigmoid": lambda z: 1 / (1 + math.exp(-z)), "tanh": math.tanh, "relu": lambda z: max(z, 0.0)}
DF = {"sigmoid": lambda z: F["sigmoid"](z) * (1 - F["sigmoid"](z)), "tanh": lambda z: 1 - math.tanh(z) ** 2,
      "relu": lambda z: 1.0 if z > 0 else 0.0}


def run(name: str, w, b, x: float) -> tuple[float, list[float]]:
    """The chain's output and pre-activations, computed here."""
    a, zs = x, []
    for wl, bl in zip(w, b):
        z = wl * a + bl
        zs.append(z)
        a = F[name](z)
    return a, zs


chains = st.tuples(st.sampled_from(van.ACTIVATIONS), st.integers(2, 8), st.integers(0, 2**32 - 1))


@settings(max_examples=60, deadline=None)
@given(chains)
def test_derivative_is_the_central_difference_of_the_chain(case):
    name, L, seed = case
    rng = np.random.default_rng(seed)
    w, b, x = rng.uniform(-3, 3, L), rng.uniform(-1, 1, L), float(rng.uniform(-2, 2))
    _, zs = run(name, w, b, x)
    assume(name != "relu" or min(abs(z) for z in zs) > 1e-3)  # away from ReLU's kink
    chain = van.forward(name, w, x=x, b=b)
    assert np.allclose(chain.z, zs)
    h = 1e-6
    numeric = (run(name, w, b, x + h)[0] - run(name, w, b, x - h)[0]) / (2 * h)
    assert van.gradient(chain) == pytest.approx(numeric, rel=1e-5, abs=1e-9)
    assert van.gradient(chain, 2.5) == pytest.approx(2.5 * numeric, rel=1e-5, abs=1e-9)
    assert van.gradient(chain) == pytest.approx(math.prod(DF[name](z) * wl for z, wl in zip(zs, w)))


@settings(max_examples=60, deadline=None)
@given(chains)
def test_given_preactivations_give_the_product_of_local_factors(case):
    name, L, seed = case
    rng = np.random.default_rng(seed)
    w, z = rng.uniform(-3, 3, L), rng.uniform(-3, 3, L)
    chain = van.forward(name, w, z=z)
    walk = van.walk(chain)
    assert [v.layer for v in walk] == list(range(L, 0, -1))  # from the output down
    assert walk[-1].product == pytest.approx(math.prod(DF[name](zl) * wl for zl, wl in zip(z, w)))


@settings(max_examples=60, deadline=None)
@given(st.integers(2, 8), st.integers(0, 2**32 - 1))
def test_no_input_beats_the_sigmoid_bound(L, seed):
    rng = np.random.default_rng(seed)
    w, b, x = rng.uniform(-4, 4, L), rng.uniform(-3, 3, L), float(rng.uniform(-3, 3))
    bound = van.bound("sigmoid", w)
    assert bound == pytest.approx(0.25 ** L * np.prod(np.abs(w)))
    assert abs(van.gradient(van.forward("sigmoid", w, x=x, b=b))) <= bound * (1 + 1e-12)


def test_the_bound_is_reached_when_every_unit_sits_at_zero():
    w = [2.0, -1.5, 0.5]
    assert abs(van.gradient(van.forward("sigmoid", w, z=[0, 0, 0]))) == pytest.approx(van.bound("sigmoid", w))


W = (2.0, -0.5, 1.5)
Z = (0.5, -1.0, 2.0)


def hand(name: str, local) -> float:
    return math.prod(local(z) for z in Z)


@pytest.mark.parametrize("name", ["sigmoid", "tanh"])
def test_each_walk_slip_gives_its_named_value(name):
    chain = van.forward(name, W, z=Z)
    a = [F[name](z) for z in Z]
    assert van.gradient(chain, slip="sigma_for_derivative") == pytest.approx(math.prod(al * wl for al, wl in zip(a, W)))
    swapped = [1 - al * al if name == "sigmoid" else al * (1 - al) for al in a]
    assert van.gradient(chain, slip="tanh_sigmoid_swapped") == pytest.approx(math.prod(s * wl for s, wl in zip(swapped, W)))
    assert van.gradient(chain, slip="vanish_weights_forgotten") == pytest.approx(math.prod(DF[name](z) for z in Z))
    assert van.gradient(chain, slip="vanish_sum_not_product") == pytest.approx(sum(DF[name](z) * wl for z, wl in zip(Z, W)))
    assert van.gradient(chain, 3.0, slip="vanish_sum_not_product") == pytest.approx(
        3.0 * sum(DF[name](z) * wl for z, wl in zip(Z, W)))


def test_relu_slips():
    """z = (0.5, −1, 2): unit 2 is inactive, so the gradient is 0; passing it gives Π w = −1.5."""
    chain = van.forward("relu", W, z=Z)
    assert van.gradient(chain) == 0.0
    assert van.gradient(chain, slip="vanish_relu_dead_passes") == pytest.approx(2.0 * -0.5 * 1.5)
    assert van.gradient(chain, slip="vanish_sum_not_product") == pytest.approx(2.0 + 1.5)
    assert van.gradient(chain, slip="sigma_for_derivative") == 0.0  # ReLU(−1) = 0 too
    active = van.forward("relu", W, z=(0.5, 1.0, 2.0))
    assert van.gradient(active, slip="sigma_for_derivative") == pytest.approx(2.0 * 0.5 * -0.5 * 1.0 * 1.5 * 2.0)


def test_bound_slips():
    w = (2.0, -0.5, 1.5)
    assert van.bound("sigmoid", w) == pytest.approx(0.25 ** 3 * 1.5)
    assert van.bound("sigmoid", w, "vanish_bound_half") == pytest.approx(0.5 ** 3 * 1.5)
    assert van.bound("sigmoid", w, "vanish_weights_forgotten") == pytest.approx(0.25 ** 3)
    assert van.bound("sigmoid", w, "vanish_sum_not_product") == pytest.approx(0.25 * 4.0)


def test_carry_rounds_each_stage():
    r = lambda v: float(f"{v:.2g}")  # noqa: E731
    chain = van.forward("sigmoid", [1.0, 1.0], z=[0.0, 1.0], carry=r)
    assert chain.a == (0.5, 0.73)
    assert van.gradient(chain, carry=r) == pytest.approx(r(0.25 * r(0.73 * 0.27)))


def test_the_own_slips_are_in_the_catalog():
    assert set(van.OWN) <= set(OTHER)
    with pytest.raises(ValueError):
        van.local("softplus", 0.0, 0.5)
