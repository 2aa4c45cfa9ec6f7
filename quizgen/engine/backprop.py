"""Forward and backward passes that fill a Tape.

`Backward` is the correct backward pass written as a few overridable steps; each catalogued
student mistake (engine/mistakes.py) is a subclass that overrides exactly one of them, so a
distractor is always a real computation, never a typed-in number.
"""

from __future__ import annotations

import numpy as np

from quizgen.engine.activations import Activation
from quizgen.engine.losses import Loss
from quizgen.engine.network import Network
from quizgen.engine.tape import LayerTape, Tape


class Backward:
    """The correct backward pass, one method per rule a student has to apply."""

    def output_gradient(self, loss: Loss, A: np.ndarray, Y: np.ndarray) -> np.ndarray:
        return loss.gradient(A, Y)  # (k, m) dJ/dA of the last layer, includes 1/m

    def activation_backward(self, layer: int, act: Activation, z, a, da) -> np.ndarray:
        return act.backward(z, a, da)  # (n, m)

    def weight_gradient(self, layer: int, dZ: np.ndarray, A_prev: np.ndarray) -> np.ndarray:
        return dZ @ A_prev.T  # (n_out, m)·(m, n_in) -> (n_out, n_in)

    def bias_gradient(self, layer: int, dZ: np.ndarray) -> np.ndarray:
        return dZ.sum(axis=1)  # sum over the batch -> (n_out,)

    def propagate(self, net: Network, layer: int, dZ: np.ndarray) -> np.ndarray:
        return net.layers[layer].W.T @ dZ  # (n_in, n_out)·(n_out, m) -> (n_in, m)


CORRECT = Backward()


def forward(net: Network) -> list[LayerTape]:
    records = []
    A = net.X  # (n0, m)
    for layer in net.layers:
        Z = layer.W @ A  # (n_out, n_in)·(n_in, m) -> (n_out, m)
        if layer.b is not None:
            Z = Z + layer.b[:, None]
        H, h = [], Z
        for act in layer.activations:
            h = act.forward(h)
            H.append(h)
        records.append(LayerTape(A_prev=A, Z=Z, H=H))
        A = H[-1]
    return records


def backward(net: Network, records: list[LayerTape], rules: Backward = CORRECT, stop: int = 0,
             output_dA: np.ndarray | None = None) -> np.ndarray | None:
    """Fill dA, dH, dZ, dW, db (and the SGD step) on `records`; return dX.

    `stop` > 0 ends the pass after layer index `stop` (0-based), leaving lower layers and dX
    empty: a question about layer 2 needs nothing below it. `output_dA`, if given, is the
    output layer's dJ/dA already computed by `rules.output_gradient`.
    """
    dA = output_dA if output_dA is not None else rules.output_gradient(net.loss, records[-1].A, net.Y)
    for index in reversed(range(stop, len(net.layers))):
        layer, t = net.layers[index], records[index]
        t.dA = dA
        t.dH = [None] * len(t.H)
        grad = dA
        for k in reversed(range(len(layer.activations))):
            t.dH[k] = grad
            z_in = t.H[k - 1] if k > 0 else t.Z
            grad = rules.activation_backward(index, layer.activations[k], z_in, t.H[k], grad)
        t.dZ = grad
        t.dW = rules.weight_gradient(index, t.dZ, t.A_prev)
        if layer.b is not None:
            t.db = rules.bias_gradient(index, t.dZ)
        if net.learning_rate is not None:
            t.W_new = layer.W - net.learning_rate * t.dW
            if layer.b is not None:
                t.b_new = layer.b - net.learning_rate * t.db
        if index > stop or stop == 0:
            dA = rules.propagate(net, index, t.dZ)
    return dA if stop == 0 else None


def solve(net: Network, rules: Backward = CORRECT, reuse: Tape | None = None, stop: int = 0) -> Tape:
    """Run forward and backward; the returned tape holds every quantity.

    `reuse` shares the forward pass of an earlier tape of the same network (mistakes change only
    the backward pass, so the catalog does not redo the forward once per mistake); `stop` ends
    the backward pass at that layer index (see `backward`).
    """
    with np.errstate(over="ignore", under="ignore"):
        if reuse is not None:
            return solve_backward(Tape(network=net, layers=reuse.layers, loss=reuse.loss), rules, stop)
        return solve_backward(solve_forward(net), rules, stop)


def solve_forward(net: Network) -> Tape:
    """The forward half of `solve`: a tape with the loss and no gradients yet.

    Lets a caller reject a draw on its forward values before paying for a backward pass. Does not
    set np.errstate: the caller holds it (one errstate per question, not one per pass).
    """
    records = forward(net)
    return Tape(network=net, layers=records, loss=net.loss.value(records[-1].A, net.Y))


def solve_backward(forward_tape: Tape, rules: Backward = CORRECT, stop: int = 0, correct: bool = False) -> Tape:
    """The backward half of `solve`: a new tape sharing `forward_tape`'s forward records.

    `correct=True` promises `forward_tape` was solved by the correct rules; its output dJ/dA is
    then reused when `rules` do not change that step: the same computation, done once per
    question instead of once per mistake. Does not set np.errstate (see `solve_forward`).
    """
    net = forward_tape.network
    records = [LayerTape(A_prev=r.A_prev, Z=r.Z, H=r.H) for r in forward_tape.layers]
    same_start = correct and type(rules).output_gradient is Backward.output_gradient
    dX = backward(net, records, rules, stop, forward_tape.layers[-1].dA if same_start else None)
    return Tape(network=net, layers=records, loss=forward_tape.loss, dX=dX)
