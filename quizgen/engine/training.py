"""One full training iteration: forward, loss, backward, SGD update, forward again, new loss.

The backward pass is backprop.solve (its W_new/b_new are the SGD step); the new loss is a second
forward pass on a network holding the updated parameters. A student's slip in the update or in
the second forward pass is a named SLIP; a slip in the backward pass is any `Backward` rules
(engine/mistakes.py CATALOG), whose wrong gradients then give a real, wrong new loss.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from quizgen.engine.backprop import CORRECT, Backward, solve_backward, solve_forward
from quizgen.engine.network import Layer, Network
from quizgen.engine.tape import Tape

# Mistakes of the update and of the second pass (names and explanations: mistakes.toml).
SLIPS = ("gradient_ascent", "learning_rate_forgotten", "old_weights_loss", "bias_not_updated",
         "output_layer_only")


@dataclass(frozen=True)
class Iteration:
    """What one iteration leaves on paper: both tapes and the updated network."""

    before: Tape  # forward, loss and backward of the given network (W_new, b_new on it)
    updated: Network  # the same network with the updated parameters
    after: Tape  # the forward pass and loss of `updated` (no gradients)

    @property
    def decrease(self) -> float:
        """J before − J after (positive when the step helped)."""
        return float(self.before.loss - self.after.loss)


def applies(net: Network, slip: str) -> bool:
    """Whether `slip` can be made on `net` (a bias to forget, a lower layer to leave alone)."""
    if slip == "bias_not_updated":
        return any(layer.b is not None for layer in net.layers)
    if slip == "output_layer_only":
        return len(net.layers) > 1
    return slip in SLIPS


def _updated_layer(layer: Layer, t, lr: float, slip: str | None, index: int, last: int) -> Layer:
    """The layer after one step: W − η·dW, b − η·db (or what a slip writes instead)."""
    if slip == "output_layer_only" and index != last:
        return layer
    sign, rate = (1.0, lr) if slip == "gradient_ascent" else (-1.0, 1.0 if slip == "learning_rate_forgotten" else lr)
    W = layer.W + sign * rate * t.dW  # (n_out, n_in)
    b = layer.b
    if b is not None and slip != "bias_not_updated":
        b = b + sign * rate * t.db  # (n_out,)
    return Layer(W=W, b=b, activations=layer.activations)


def iterate(net: Network, rules: Backward = CORRECT, slip: str | None = None, before: Tape | None = None) -> Iteration:
    """One SGD iteration on `net` (its learning_rate), with `rules` for the backward pass and an
    optional update `slip`; `before`, if given, is that backward pass already made (a kind that
    solved `net` once does not redo it per slip). Does not set np.errstate: the caller holds it."""
    if net.learning_rate is None:
        raise ValueError("a training iteration needs a learning rate")
    if slip is not None and not applies(net, slip):
        raise ValueError(f"{slip} does not apply to this network")
    if before is None:
        before = solve_backward(solve_forward(net), rules)
    updated = stepped(net, before, slip)
    after = before if slip == "old_weights_loss" else solve_forward(updated)
    return Iteration(before=before, updated=updated, after=after)


def stepped(net: Network, before: Tape, slip: str | None = None) -> Network:
    """`net` after one SGD step with the gradients of `before` (its backward pass), or what an
    update `slip` writes: the iteration without its second forward pass, for a question that
    asks an updated parameter and never the new loss."""
    last = len(net.layers) - 1
    layers = [_updated_layer(layer, t, net.learning_rate, slip, i, last)
              for i, (layer, t) in enumerate(zip(net.layers, before.layers))]
    return replace(net, layers=layers, meta=dict(net.meta))


def new_loss(net: Network, rules: Backward = CORRECT, slip: str | None = None) -> float:
    """The loss after one iteration (see `iterate`)."""
    return float(iterate(net, rules, slip).after.loss)


def updated_entry(net: Network, layer: int, name: str, index: tuple, rules: Backward = CORRECT,
                  slip: str | None = None) -> float:
    """One updated parameter, W (internal orientation) or b, of layer index `layer`."""
    it = iterate(net, rules, slip)
    value = getattr(it.updated.layers[layer], name)
    return float(np.asarray(value)[index])
