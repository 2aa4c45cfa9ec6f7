"""A deep chain of scalar units, a_0 = x, z_l = w_l·a_{l−1} + b_l, a_l = f(z_l): its gradient
∂a_L/∂x = Π_l f′(z_l)·w_l walked back layer by layer, and the bound max f′^L·Π|w_l| that makes a
sigmoid chain's gradient vanish (σ′ ≤ 1/4, so at most (1/4)^L·Π|w_l|).

The activations are the engine's own (engine/activations.py). A slip (a catalogued mistake id)
changes one rule of the walk, so each wrong answer is computed the way a student computes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce
from typing import Callable

import numpy as np

from quizgen.engine.activations import parse_activation



@dataclass(frozen=True)
class Unit:
    """One activation's facets for a chain: its derivative from z and a = f(z), what a student who
    swaps σ′ and tanh′ writes (None: nothing to swap), the largest value of f′, and whether it is a
    gate (ReLU: f′ is 0 or 1 by the sign of z, so the arithmetic stays exact)."""

    derivative: Callable[[float, float], float]
    swapped: Callable[[float, float], float] | None
    peak: float
    gate: bool = False


UNITS = {
    "sigmoid": Unit(lambda z, a: a * (1.0 - a), lambda z, a: 1.0 - a * a, 0.25),  # σ′(0) = 1/4
    "tanh": Unit(lambda z, a: 1.0 - a * a, lambda z, a: a * (1.0 - a), 1.0),
    "relu": Unit(lambda z, a: 1.0 if z > 0 else 0.0, None, 1.0, gate=True),
}
ACTIVATIONS = tuple(UNITS)
# Slips of the walk (derivative, gradient, factor) and of the bound.
WALK_SLIPS = ("sigma_for_derivative", "tanh_sigmoid_swapped", "vanish_weights_forgotten", "vanish_sum_not_product",
              "vanish_relu_dead_passes")
BOUND_SLIPS = ("vanish_bound_half", "vanish_weights_forgotten", "vanish_sum_not_product")
# The ids this module adds to the catalog (the first two are the backward pass's own).
OWN = ("vanish_weights_forgotten", "vanish_sum_not_product", "vanish_relu_dead_passes", "vanish_bound_half")

Carry = Callable[[float], float] | None


def _keep(x: float, carry: Carry) -> float:
    return float(carry(x)) if carry else float(x)


@dataclass(frozen=True)
class Chain:
    """The forward values of every layer, first to last."""

    activation: str
    w: tuple[float, ...]
    z: tuple[float, ...]
    a: tuple[float, ...]

    @property
    def layers(self) -> int:
        return len(self.w)


def act(name: str, z: float) -> float:
    return float(parse_activation(name).forward(np.array([[float(z)]]))[0, 0])


def forward(name: str, w, *, x: float | None = None, b=None, z=None, carry: Carry = None) -> Chain:
    """The chain's values from the input x (and biases b), or from the pre-activations z as given."""
    w = tuple(float(v) for v in w)
    if z is not None:
        zs = tuple(float(v) for v in z)
        return Chain(name, w, zs, tuple(_keep(act(name, v), carry) for v in zs))
    a, zs, As = float(x), [], []
    for l, wl in enumerate(w):
        zl = _keep(wl * a + (float(b[l]) if b is not None else 0.0), carry)
        a = _keep(act(name, zl), carry)
        zs.append(zl)
        As.append(a)
    return Chain(name, w, tuple(zs), tuple(As))


def local(name: str, z: float, a: float, slip: str | None = None) -> float:
    """f′(z) from z and a = f(z), or what `slip` uses in its place."""
    if name not in UNITS:
        raise ValueError(f"unknown chain activation {name!r}")
    unit = UNITS[name]
    if slip == "sigma_for_derivative":
        return a  # the activation's value where its derivative belongs
    if slip == "tanh_sigmoid_swapped" and unit.swapped:
        return unit.swapped(z, a)
    if slip == "vanish_relu_dead_passes" and unit.gate:
        return 1.0  # an inactive unit let through
    return unit.derivative(z, a)


@dataclass(frozen=True)
class Visit:
    """One layer of the backward walk: ∂/∂a_{l−1} = f′(z_l)·w_l·(∂/∂a_l)."""

    layer: int  # 1-based
    local: float  # f′(z_l)
    weight: float
    upstream: float  # ∂/∂a_l
    product: float  # ∂/∂a_{l−1}


def walk(chain: Chain, upstream: float = 1.0, slip: str | None = None, carry: Carry = None) -> list[Visit]:
    """The layers from the last back to the first, each local gradient times the weight times upstream."""
    out, up = [], float(upstream)
    for l in range(chain.layers, 0, -1):
        loc = _keep(local(chain.activation, chain.z[l - 1], chain.a[l - 1], slip), carry)
        w = 1.0 if slip == "vanish_weights_forgotten" else chain.w[l - 1]
        prod = _keep(loc * w * up, carry)
        out.append(Visit(l, loc, chain.w[l - 1], up, prod))
        up = prod
    return out


def gradient(chain: Chain, upstream: float = 1.0, slip: str | None = None, carry: Carry = None) -> float:
    """∂out/∂x times the upstream gradient at the top (1 for ∂a_L/∂x)."""
    if slip == "vanish_sum_not_product":  # the local factors added, not multiplied
        return _keep(upstream * sum(local(chain.activation, z, a) * w for z, a, w in zip(chain.z, chain.a, chain.w)),
                     carry)
    return walk(chain, upstream, slip, carry)[-1].product


def bound(name: str, w, slip: str | None = None) -> float:
    """max f′^L·Π|w_l|: no input makes |∂a_L/∂x| larger; or what `slip` writes."""
    peak = 0.5 if slip == "vanish_bound_half" else UNITS[name].peak
    mags = [abs(float(v)) for v in w]
    if slip == "vanish_weights_forgotten":
        return peak ** len(mags)
    if slip == "vanish_sum_not_product":
        return sum(peak * m for m in mags)
    return peak ** len(mags) * reduce(lambda p, m: p * m, mags, 1.0)
