"""Draw a network for a family on its hand-computable grid, and reject degenerate ones.

Numbers are drawn on the display grid *before* anything is computed, so what the student is
shown is exactly what the engine solves.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from quizgen.bank.spec import GRIDS, Family
from quizgen.engine.activations import Activation, parse_activation
from quizgen.engine.backprop import solve_backward, solve_forward
from quizgen.engine.losses import get_loss
from quizgen.engine.network import Network, Notation
from quizgen.engine.tape import Tape


class Degenerate(Exception):
    """This draw cannot make a good question; the reason is counted and another is drawn."""


@lru_cache(maxsize=1024)
def grid_points(lo: float, hi: float, step: float, nonzero: bool) -> np.ndarray:
    """The grid {lo, lo + step, ..., hi} (optionally without 0), built once per range."""
    points = np.round(np.arange(np.ceil(lo / step), np.floor(hi / step) + 1) * step, 10)
    return points[points != 0] if nonzero else points


def grid_values(rng: np.random.Generator, lo: float, hi: float, step: float, shape, nonzero: bool) -> np.ndarray:
    """Uniform draws from the grid of [lo, hi]."""
    points = grid_points(float(lo), float(hi), float(step), bool(nonzero))
    if points.size == 0:
        raise Degenerate("the value range holds no grid point")
    return points[rng.integers(points.size, size=shape)]


@lru_cache(maxsize=1024)
def activation_chain(choice: str) -> tuple[Activation, ...]:
    """A family's "tanh+sigmoid" as activations, parsed once (activations are immutable)."""
    return tuple(parse_activation(part) for part in choice.split("+"))


def draw_network(family: Family, rng: np.random.Generator) -> Network:
    """One random network, with data and labels, in the family's notation."""
    step = GRIDS[family.grid]
    notation = Notation(family.notation)
    sizes = [int(rng.integers(family.inputs[0], family.inputs[1] + 1))]
    sizes += [int(rng.integers(lo, hi + 1)) for lo, hi in family.hidden]
    sizes.append(int(rng.integers(family.outputs[0], family.outputs[1] + 1)))
    m = int(rng.integers(family.batch[0], family.batch[1] + 1))
    chains = []
    for choices in family.activations:
        choice = choices[int(rng.integers(len(choices)))]
        chains.append(activation_chain(choice))
    loss = get_loss(family.losses[int(rng.integers(len(family.losses)))], family.reduction)

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
    return Network.from_arrays(
        notation, [o(W) for W in weights], biases, chains, loss, o(X), o(Y), family.learning_rate
    )


def check_tape(tape: Tape) -> None:
    """Raise Degenerate for kinks hit exactly, saturation, and near-log(0) outputs."""
    net = tape.network
    for i, (layer, t) in enumerate(zip(net.layers, tape.layers), start=1):
        inputs = [t.Z] + t.H[:-1]
        for act, z, a in zip(layer.activations, inputs, t.H):
            why = act.degenerate(z, a, i)  # the activation's own rule: its kink, its saturation
            if why:
                raise Degenerate(why)
    why = net.loss.degenerate(tape.output, net.Y)
    if why:
        raise Degenerate(why)
    if not np.isfinite(tape.loss):
        raise Degenerate("the loss is not finite")


def solved(net: Network) -> Tape:
    """The network's full tape; Degenerate (before any backward pass) if its forward pass is."""
    tape = solve_forward(net)
    check_tape(tape)
    return solve_backward(tape)
