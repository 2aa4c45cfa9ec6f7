"""Draw a network for a family on its hand-computable grid, and reject degenerate ones.

A draw is its structure first (sizes, batch, activations, loss: how much arithmetic there is),
then its numbers. Numbers are drawn on the display grid *before* anything is computed, so what
the student is shown is exactly what the engine solves. The rules that reject a draw live in
bank/degenerate.py; `solved` applies them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from quizgen.bank import degenerate
from quizgen.bank.degenerate import Degenerate
from quizgen.bank.spec import GRIDS, Family
from quizgen.engine.activations import Activation, parse_activation
from quizgen.engine.backprop import solve_backward, solve_forward
from quizgen.engine.losses import get_loss
from quizgen.engine.network import Network, Notation
from quizgen.engine.tape import Tape


@dataclass(frozen=True)
class Structure:
    """What fixes the amount of arithmetic in a network question; the numbers are drawn after it."""

    units: tuple[int, ...]  # inputs, each hidden layer, outputs (k)
    batch: int  # m
    activations: tuple[str, ...]  # the chosen chain per layer, e.g. "relu+softmax"
    loss: str


def draw_structure(family: Family, rng: np.random.Generator) -> Structure:
    """The structure of one draw, from the family's ranges (a range of one value draws nothing)."""
    sizes = [_between(rng, *family.inputs)]
    sizes += [_between(rng, lo, hi) for lo, hi in family.hidden]
    sizes.append(_between(rng, *family.outputs))
    m = _between(rng, *family.batch)
    chains = tuple(_one_of(rng, choices) for choices in family.activations)
    loss = _one_of(rng, family.losses)
    return Structure(tuple(sizes), m, chains, loss)


# Most families fix most of these; NumPy draws nothing for a range of one value (it returns it
# without touching the stream), so skipping the call for one leaves every later draw the same.
def _between(rng: np.random.Generator, lo: int, hi: int) -> int:
    """A uniform whole number in [lo, hi]."""
    return int(lo) if lo == hi else int(rng.integers(lo, hi + 1))


def _one_of(rng: np.random.Generator, options):
    """A uniform choice among `options`."""
    return options[0] if len(options) == 1 else options[int(rng.integers(len(options)))]


@lru_cache(maxsize=1024)
def grid_points(lo: float, hi: float, step: float, nonzero: bool) -> np.ndarray:
    """The grid {lo, lo + step, ..., hi} (optionally without 0), built once per range."""
    points = np.round(np.arange(np.ceil(lo / step), np.floor(hi / step) + 1) * step, 10)
    return points[points != 0] if nonzero else points


def grid_values(rng: np.random.Generator, lo: float, hi: float, step: float, shape, nonzero: bool) -> np.ndarray:
    """Uniform draws from the grid of [lo, hi]."""
    points = grid_points(float(lo), float(hi), float(step), bool(nonzero))
    if points.size == 0:
        raise Degenerate("reject.no_grid_point", key="values")
    return points[rng.integers(points.size, size=shape)]


@lru_cache(maxsize=1024)
def activation_chain(choice: str) -> tuple[Activation, ...]:
    """A family's "tanh+sigmoid" as activations, parsed once (activations are immutable)."""
    return tuple(parse_activation(part) for part in choice.split("+"))


def draw_network(family: Family, rng: np.random.Generator) -> Network:
    """One random network, with data and labels, in the family's notation."""
    step = GRIDS[family.grid]
    notation = Notation(family.notation)
    shape = draw_structure(family, rng)
    sizes, m = list(shape.units), shape.batch
    chains = [activation_chain(choice) for choice in shape.activations]
    loss = get_loss(shape.loss, family.reduction)

    def draw(name: str, shape, nonzero: bool = False) -> np.ndarray:
        lo, hi = family.ranges[name]
        return grid_values(rng, lo, hi, step, shape, nonzero)

    X = draw("X", (sizes[0], m), nonzero=True)  # internal (features, m)
    weights, biases = [], []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        weights.append(draw("W", (n_out, n_in), family.nonzero_weights))
        biases.append(draw("b", (n_out,)) if family.bias else None)
    k = sizes[-1]
    if family.labels == "one_hot" or loss.rule.one_hot:
        Y = np.zeros((k, m))
        Y[rng.integers(k, size=m), np.arange(m)] = 1.0
    elif family.labels == "binary":
        Y = rng.integers(0, 2, size=(k, m)).astype(float)
    else:
        Y = draw("X", (k, m))
    o = notation.orient
    net = Network.from_arrays(
        notation, [o(W) for W in weights], biases, chains, loss, o(X), o(Y), family.learning_rate
    )
    net.l2 = family.l2  # the L2 coefficient, 0 for most families
    net.meta["ask"] = (family.quantity, family.layer)  # for degenerate.check: is the asked gradient all zeros?
    return net


def solved(net: Network) -> Tape:
    """The network's full tape; Degenerate (before any backward pass) if its forward pass is,
    or after it if the solved network is (the one hook: every network kind solves here)."""
    tape = solve_forward(net)
    degenerate.check_forward(tape)
    tape = solve_backward(tape)
    degenerate.check(tape)
    return tape
