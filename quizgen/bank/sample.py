"""Draw a network for a family on its hand-computable grid, and reject degenerate ones.

A draw is its structure first (sizes, batch, activations, loss: how much arithmetic there is),
then its numbers. Numbers are drawn on the display grid *before* anything is computed, so what
the student is shown is exactly what the engine solves. The rules that reject a draw live in
bank/degenerate.py; `solved` applies them.
"""

from __future__ import annotations

import math
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
    chains = tuple(one_of(rng, choices) for choices in family.activations)
    loss = one_of(rng, family.losses)
    return Structure(tuple(sizes), m, chains, loss)


# Most families fix most of these; NumPy draws nothing for a range of one value (it returns it
# without touching the stream), so skipping the call for one leaves every later draw the same.
def _between(rng: np.random.Generator, lo: int, hi: int) -> int:
    """A uniform whole number in [lo, hi]."""
    return int(lo) if lo == hi else int(rng.integers(lo, hi + 1))


def one_of(rng: np.random.Generator, options):
    """A uniform choice among `options`: the draw Generator.choice makes (integers(0, len)), without
    its checks, and none for a single option (NumPy draws no bits for it either)."""
    return options[0] if len(options) == 1 else options[int(rng.integers(len(options)))]


@lru_cache(maxsize=1024)
def grid_points(lo: float, hi: float, step: float, nonzero: bool) -> np.ndarray:
    """The grid {lo, lo + step, ..., hi} (optionally without 0), built once per range."""
    points = np.round(np.arange(np.ceil(lo / step), np.floor(hi / step) + 1) * step, 10)
    return points[points != 0] if nonzero else points


def drawable_grid(lo: float, hi: float, step: float, nonzero: bool) -> np.ndarray:
    """grid_points of [lo, hi], or Degenerate if it holds no point (nothing to draw from)."""
    points = grid_points(float(lo), float(hi), float(step), bool(nonzero))
    if points.size == 0:
        raise Degenerate("reject.no_grid_point", key="values")
    return points


def grid_values(rng: np.random.Generator, lo: float, hi: float, step: float, shape, nonzero: bool) -> np.ndarray:
    """Uniform draws from the grid of [lo, hi]."""
    points = drawable_grid(lo, hi, step, nonzero)
    if shape == ():  # one number: NumPy's scalar draw takes the same bits as a 0-d fill, without its checks
        return points[rng.integers(points.size)]
    return points[rng.integers(points.size, size=shape)]


# One rng.integers call per network instead of one per array (~7 µs each, mostly NumPy's Python-level
# checks): NumPy draws an array of bounds entry by entry from the same stream, exactly as it fills
# one array of one bound, so the indices are the ones the separate calls drew (test_sample_fast_paths).
def draw_indices(rng: np.random.Generator, bounds: tuple[tuple[int, tuple[int, ...]], ...]) -> list[np.ndarray]:
    """For each (n, shape) in turn, uniform whole numbers in [0, n) of that shape: the values of
    `[rng.integers(n, size=shape) for n, shape in bounds]`, drawn by one call."""
    drawn = rng.integers(_highs(bounds))
    out, start = [], 0
    for n, shape in bounds:
        count = math.prod(shape)
        out.append(drawn[start:start + count].reshape(shape))
        start += count
    return out


@lru_cache(maxsize=1024)
def _highs(bounds: tuple[tuple[int, tuple[int, ...]], ...]) -> np.ndarray:
    """`draw_indices`' bounds, one entry per number drawn, made once per structure (read-only)."""
    highs = np.array([n for n, shape in bounds for _ in range(math.prod(shape))], dtype=np.int64)
    highs.flags.writeable = False
    return highs


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

    def grid(name: str, nonzero: bool = False) -> np.ndarray:
        # checked before any number is drawn: such a family fails the same way every draw
        return drawable_grid(*family.ranges[name], step, nonzero)

    # what grid_values would draw one array after another: X, each layer's W and b, then the labels
    k = sizes[-1]
    labels = "one_hot" if family.labels == "one_hot" or loss.rule.one_hot else family.labels
    grids = [grid("X", nonzero=True)]  # internal (features, m)
    shapes = [(sizes[0], m)]
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        grids.append(grid("W", family.nonzero_weights))
        shapes.append((n_out, n_in))
        if family.bias:
            grids.append(grid("b"))
            shapes.append((n_out,))
    label_bound = (k, (m,)) if labels == "one_hot" else (2, (k, m)) if labels == "binary" else None
    if label_bound is None:
        grids.append(grid("X"))
        shapes.append((k, m))
    bounds = tuple((points.size, shape) for points, shape in zip(grids, shapes))
    drawn = draw_indices(rng, bounds + (label_bound,) if label_bound else bounds)
    values = iter([points[index] for points, index in zip(grids, drawn)])
    X = next(values)
    weights, biases = [], []
    for _ in range(len(sizes) - 1):
        weights.append(next(values))
        biases.append(next(values) if family.bias else None)
    if labels == "one_hot":
        Y = np.zeros((k, m))
        Y[drawn[-1], np.arange(m)] = 1.0
    elif labels == "binary":
        Y = drawn[-1].astype(float)
    else:
        Y = next(values)
    o = notation.orient
    net = Network.from_arrays(
        notation, [o(W) for W in weights], biases, chains, loss, o(X), o(Y), family.learning_rate
    )
    net.l2 = family.l2  # the L2 coefficient, 0 for most families
    net.meta["ask"] = (family.quantity, family.layer)  # for degenerate.check: is the asked gradient all zeros?
    return net


def solved(net: Network) -> Tape:
    """The network's full tape; Degenerate before any backward pass if its forward pass is (dead
    layers and a blind output included), or after it if the asked gradient is all zeros (the one
    hook: every network kind solves here)."""
    tape = solve_forward(net)
    degenerate.check_forward(tape)
    degenerate.check_reach(tape)  # degenerate.check's rules in its order, each once its values exist
    tape = solve_backward(tape)
    degenerate.check_asked(tape)
    return tape
