"""Every rule that rejects a drawn variant as a poor question, in one place.

A rule raises Degenerate with its reason as a text (a `reject.*` message key and its parameters,
worded only where `quizgen check` shows it) and the family key an author would change; the draw
loop (bank/generate.py) counts the reason and draws again from the same seeded stream, so a
rejected variant is replaced the same way on every machine. The hook is `sample.solved`, which
every network-drawing kind calls once per draw:

- the forward pass hits a kink exactly, saturates, or takes the log of a value near 0;
- a hidden layer is dead: every unit is inactive (zero derivative) on every example of the batch;
- the network's output does not depend on its input for some example (a dead path);
- the gradient the family asks about is all zeros.

find_error offers no slip whose shown steps are all zero after the wrong one (`silent_after`).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from quizgen.bank.question import float_row
from quizgen.engine.tape import Tape
from quizgen.messages import catalog
from quizgen.messages.text import is_text, say, text

ZERO = 5e-4  # below this a value shows as 0 on the 4-digit display
GRADIENTS = ("dA", "dZ", "dW", "db")
UPDATES = {"W_new": "dW", "b_new": "db"}


class Degenerate(Exception):
    """This draw cannot make a good question; the reason is counted and another is drawn.

    `reason`: a text (`text("reject.dead_layer", layer=1)`), or a catalog key without parameters,
    or (a rule written before reasons were keys) plain words, shown as they are. `key`: the family
    key to change when the reason keeps coming back."""

    def __init__(self, reason: Any, key: str = "network"):
        self.reason = as_text(reason)
        self.key = key
        super().__init__(self.reason)

    def __str__(self) -> str:
        return say(self.reason)


def as_text(reason: Any) -> Any:
    """A rule's reason as a text: a catalog key becomes its message, plain words stay as they are."""
    return text(reason) if isinstance(reason, str) and reason in catalog() else reason


@dataclass(frozen=True)
class Reason:
    """A rejection reason as counted (hashable; equal reasons count together), worded by `str()`."""

    source: str  # the reason's text as sorted JSON
    key: str  # the family key to change

    @classmethod
    def of(cls, exc: Degenerate) -> "Reason":
        return cls(json.dumps(exc.reason, sort_keys=True, ensure_ascii=False, default=str), exc.key)  # np.int64 too

    @property
    def text(self) -> Any:
        return json.loads(self.source)

    @property
    def message(self) -> str | None:
        """The reason's catalog key (None for plain words)."""
        value = self.text
        return value["key"] if is_text(value) and "key" in value else None

    def __str__(self) -> str:
        return say(self.text)


def check_forward(tape: Tape) -> None:
    """Kinks hit exactly, saturation, near-log(0) outputs: each activation's and the loss's own rule."""
    net = tape.network
    for i, (layer, t) in enumerate(zip(net.layers, tape.layers), start=1):
        inputs = [t.Z] + t.H[:-1]
        for act, z, a in zip(layer.activations, inputs, t.H):
            why = act.degenerate(z, a, i)
            if why:
                raise Degenerate(why, key="values")
    why = net.loss.degenerate(tape.output, net.Y)
    if why:
        raise Degenerate(why, key="values")
    if not math.isfinite(tape.loss):  # a float: no NumPy call for one number
        raise Degenerate("reject.loss_not_finite", key="values")


def check(tape: Tape) -> None:
    """The rules on a solved tape (forward and backward): dead layers, a blind output, a zero ask."""
    check_reach(tape)
    check_asked(tape)


def check_reach(tape: Tape) -> None:
    """Dead layers and a blind output: rules on the forward pass's values alone, so a draw they
    reject is rejected before its backward pass is paid for (`check`'s first two rules)."""
    net = tape.network
    for i, (layer, t) in enumerate(zip(net.layers[:-1], tape.layers[:-1]), start=1):
        if _dead(layer, t):
            raise Degenerate(text("reject.dead_layer", layer=i), key="values")
    if _blind(tape).all():
        raise Degenerate("reject.blind_output", key="values")


def check_asked(tape: Tape) -> None:
    """The asked gradient all zeros (`check`'s last rule; it reads the backward pass)."""
    net = tape.network
    quantity, l = net.meta.get("ask", (None, None))
    grad = UPDATES.get(quantity, quantity)
    if grad in GRADIENTS and l is not None and 1 <= l <= len(tape.layers):
        value = getattr(tape.layers[l - 1], grad)
        if value is not None and (np.abs(value) < ZERO).all():  # .all(): no np.all wrapper
            raise Degenerate("reject.asked_gradient_zero", key="values")


def _dead(layer, t) -> bool:
    """Whether some activation of the layer has zero derivative at every unit and example."""
    inputs = [t.Z] + t.H[:-1]
    for act, z, a in zip(layer.activations, inputs, t.H):
        if act.elementwise and not act.derivative(z, a).any():  # .any(): no np.any wrapper
            return True
    return False


def _blind(tape: Tape) -> np.ndarray:
    """(m,) True where that example's output has a zero Jacobian with respect to its input.

    One vector-Jacobian pass for all output units at once: column r·m + j seeds output unit r of
    example j, and each layer's values are tiled to match.
    """
    net = tape.network
    k, m = tape.output.shape
    da, tiled = _seeds(k, m)
    for layer, t in zip(reversed(net.layers), reversed(tape.layers)):
        inputs = [t.Z] + t.H[:-1]
        for act, z, a in zip(reversed(layer.activations), reversed(inputs), reversed(t.H)):
            da = act.backward(_tile(z, tiled), _tile(a, tiled), da)  # (n_out, k·m)
        da = layer.W.T @ da  # (n_in, n_out)·(n_out, k·m) -> (n_in, k·m)
    return (np.abs(da) < 1e-12).all(axis=0).reshape(k, m).all(axis=0)


def _tile(x: np.ndarray, tiled: np.ndarray) -> np.ndarray:
    """x[:, tiled]: the same values in the same (column-major) layout, taken along the transpose,
    without fancy indexing's Python-level cost (~3 µs a call, four calls a layer)."""
    return x.T.take(tiled, axis=0).T


@lru_cache(maxsize=64)
def _seeds(k: int, m: int) -> tuple[np.ndarray, np.ndarray]:
    """`_blind`'s seed (k, k·m) and its column -> example index, made once per shape (read-only)."""
    da = np.repeat(np.eye(k), m, axis=1)  # (k, k·m)
    tiled = np.arange(k * m) % m  # column r·m + j reads example j
    da.flags.writeable = tiled.flags.writeable = False
    return da, tiled


def silent_after(steps: list, wrong: int) -> bool:
    """Whether every step after the wrong one shows only zeros (the slip cannot be followed)."""
    after = steps[wrong + 1:]
    return bool(after) and all(s.result is not None and _all_zero(s.result) for s in after)


def _all_zero(result) -> bool:
    """Whether every entry of a step's result shows as 0."""
    if type(result) is float:  # plain floats (most results), without an array: the same comparisons
        return abs(result) < ZERO
    if float_row(result):
        return all(abs(x) < ZERO for x in result)
    return bool(np.all(np.abs(np.asarray(result, dtype=float)) < ZERO))
