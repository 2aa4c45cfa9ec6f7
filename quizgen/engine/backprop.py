"""Forward and backward passes that fill a Tape.

`Backward` is the correct backward pass written as a few overridable steps; each catalogued
student mistake (engine/mistakes.py) is a subclass that overrides exactly one of them, so a
distractor is always a real computation, never a typed-in number. The correct rules are the dense
layer type's (engine/layers/dense.py), the first type of the layer protocol.
"""

from __future__ import annotations

import numpy as np

from quizgen.engine.activations import Activation
from quizgen.engine.layers import dense
from quizgen.engine.losses import Loss, l2_coefficient, objective
from quizgen.engine.network import Network
from quizgen.engine.tape import LayerTape, Tape


class Backward:
    """The correct backward pass, one method per rule a student has to apply."""

    def output_gradient(self, loss: Loss, A: np.ndarray, Y: np.ndarray) -> np.ndarray:
        return loss.gradient(A, Y)  # (k, m) dJ/dA of the last layer, includes 1/m

    def activation_backward(self, layer: int, act: Activation, z, a, da) -> np.ndarray:
        return act.backward(z, a, da)  # (n, m)

    def weight_gradient(self, layer: int, dZ: np.ndarray, A_prev: np.ndarray) -> np.ndarray:
        return dense.weight_gradient(dZ, A_prev)

    def bias_gradient(self, layer: int, dZ: np.ndarray) -> np.ndarray:
        return dense.bias_gradient(dZ)

    def propagate(self, net: Network, layer: int, dZ: np.ndarray) -> np.ndarray:
        return dense.input_gradient(net.layers[layer].W, dZ)

    def weight_penalty(self, net: Network, layer: int) -> np.ndarray | None:
        """The L2 term of dW, (λ/m)·W (None without L2)."""
        return l2_coefficient(net.l2, net.loss, net.m) * net.layers[layer].W if net.l2 else None  # (n_out, n_in)

    def bias_penalty(self, net: Network, layer: int) -> np.ndarray | None:
        """The L2 term of db: none, a bias is not penalised."""
        return None

    def alters(self, net: Network, layer: int, rule: str) -> bool:
        """Whether `rule` (one of the methods above) may compute layer index `layer` differently
        from the correct pass, given the same inputs. A pass reuses the correct tape's values
        wherever it does not. Overriding a rule alters it in every layer unless a subclass says
        where (a mistake about sigmoid leaves a ReLU layer alone)."""
        return getattr(type(self), rule) is not getattr(Backward, rule)


CORRECT = Backward()


def forward(net: Network) -> list[LayerTape]:
    records = []
    A = net.X  # (n0, m)
    for layer in net.layers:
        Z = dense.affine(layer.W, A, layer.b)
        H, h = [], Z
        for act in layer.activations:
            h = act.forward(h)
            H.append(h)
        records.append(LayerTape(A, Z, H))  # (A_prev, Z, H)
        A = H[-1]
    return records


def backward(net: Network, records: list[LayerTape], rules: Backward = CORRECT, stop: int = 0,
             output_dA: np.ndarray | None = None, reference: Tape | None = None,
             need: str | None = None) -> np.ndarray | None:
    """Fill dA, dH, dZ, dW, db (and the SGD step) on `records`; return dX.

    `stop` > 0 ends the pass after layer index `stop` (0-based), leaving lower layers and dX
    empty: a question about layer 2 needs nothing below it. `output_dA`, if given, is the
    output layer's dJ/dA already computed by `rules.output_gradient`. `reference`, a tape of the
    same forward records solved by the correct rules, lends its values wherever this pass
    computes the same thing from the same arrays (`Backward.alters`): a mistake made in one
    layer recomputes only that layer and the ones below it. `need`, if given, is the one
    quantity a caller reads (a name at layer index `stop`, or "dX"): the pass then computes
    only the chain (dA, dH, dZ) down to it and that quantity, leaving dW, db and the SGD step
    of every other layer empty (the same values where it does compute them).
    """
    layers = net.layers
    last = len(layers) - 1
    alters = rules.alters  # looked up once: asked a few times per layer
    refs = reference.layers if reference is not None else None
    dA, dX = output_dA, None
    if (dA is None and refs is not None and refs[-1].dA is not None
            and not alters(net, last, "output_gradient")):
        if type(rules).output_gradient is not Backward.output_gradient:
            rules.output_gradient(net.loss, records[-1].A, net.Y)  # called for any state it keeps
        dA = refs[-1].dA
    if dA is None:
        dA = rules.output_gradient(net.loss, records[-1].A, net.Y)
    at_stop = _ALL if need is None else _WANTS.get(need, _NONE)  # (dW, db) wanted at layer `stop`
    above_stop = _ALL if need is None else _NONE  # ... and above it
    to_dX = stop == 0 and (need is None or need == "dX")  # layer 0 propagates on to dX
    rate = net.learning_rate
    for index in range(last, stop - 1, -1):
        layer, t = layers[index], records[index]
        ref = refs[index] if refs is not None else None
        same = ref is not None and dA is ref.dA  # the correct upstream gradient, the very array
        t.dA = dA
        if same and not alters(net, index, "activation_backward"):
            t.dH, t.dZ = list(ref.dH), ref.dZ
        else:
            same = False
            acts, H = layer.activations, t.H
            t.dH = dH = [None] * len(H)
            grad = dA
            for k in range(len(acts) - 1, -1, -1):
                dH[k] = grad
                grad = rules.activation_backward(index, acts[k], H[k - 1] if k > 0 else t.Z, H[k], grad)
            t.dZ = grad
        want_w, want_b = at_stop if index == stop else above_stop
        if want_w:
            same_dW = same and not alters(net, index, "weight_gradient") and not alters(net, index, "weight_penalty")
            t.dW = ref.dW if same_dW else _penalised(rules.weight_gradient(index, t.dZ, t.A_prev),
                                                      rules.weight_penalty(net, index))
            if rate is not None:
                t.W_new = ref.W_new if same_dW else layer.W - rate * t.dW
        if want_b and layer.b is not None:
            same_db = same and not alters(net, index, "bias_gradient") and not alters(net, index, "bias_penalty")
            t.db = ref.db if same_db else _penalised(rules.bias_gradient(index, t.dZ), rules.bias_penalty(net, index))
            if rate is not None:
                t.b_new = ref.b_new if same_db else layer.b - rate * t.db
        if index > stop or to_dX:
            below = (refs[index - 1].dA if index > 0 else reference.dX) if same else None
            if below is None or alters(net, index, "propagate"):
                below = rules.propagate(net, index, t.dZ)
            dA = below
            if index == 0:
                dX = dA
    return dX


_NONE, _ALL = (False, False), (True, True)
_WANTS = {"dW": (True, False), "W_new": (True, False), "db": (False, True), "b_new": (False, True)}  # (dW, db) by `need`


def _penalised(gradient: np.ndarray, penalty: np.ndarray | None) -> np.ndarray:
    return gradient if penalty is None else gradient + penalty


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
    return Tape(net, records, objective(net, records[-1].A))  # (network, layers, loss)


def solve_backward(forward_tape: Tape, rules: Backward = CORRECT, stop: int = 0, correct: bool = False,
                   need: str | None = None) -> Tape:
    """The backward half of `solve`: a new tape sharing `forward_tape`'s forward records.

    `correct=True` promises `forward_tape` was solved by the correct rules (or holds its forward
    pass alone); its values are then reused wherever `rules` compute the same (see `backward`):
    the same computation, done once per question instead of once per mistake. `need`: the one
    quantity the caller reads (see `backward`). Does not set np.errstate (see `solve_forward`).
    """
    net = forward_tape.network
    records = [LayerTape(r.A_prev, r.Z, r.H) for r in forward_tape.layers]  # positional: the cheaper call
    dX = backward(net, records, rules, stop, reference=forward_tape if correct else None, need=need)
    return Tape(net, records, forward_tape.loss, dX)  # (network, layers, loss, dX)
