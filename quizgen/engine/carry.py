"""Error carried forward: re-run the backward pass from a student's own value of an earlier quantity.

A multi-part question asks tape quantities in backprop order (dZ2, dW2, db2, dA1, dZ1, dW1, ...).
`rerun` puts a typed value of a dA or dZ on the tape and applies the correct rules below it, so a
later part can be graded against what the student's own earlier answer implies. Every step below
a gradient quantity is linear in it (the forward values are fixed), so `linear_map` pushes unit
vectors through the same re-run: the matrix the study site ships to grade offline without eval.
"""

from __future__ import annotations

import numpy as np

from quizgen.engine.backprop import CORRECT
from quizgen.engine.tape import LayerTape, Tape

STARTS = ("dA", "dZ")  # quantities a re-run can start from: everything later is computed from them


def parse_target(target: str) -> tuple[int, str]:
    """`layers.1.dW` -> (1, "dW"): the 0-based layer index and the quantity of a whole-array target."""
    parts = target.split(".")
    if len(parts) != 3 or parts[0] != "layers":
        raise ValueError(f"not a whole-layer target: {target!r}")
    return int(parts[1]), parts[2]


def rerun(tape: Tape, start: str, value, target: str | None = None) -> Tape:
    """A new tape: `value` (in the problem's orientation) as the quantity `start` names, and the
    correct backward rules applied from there down to dX. Quantities above `start` are left empty.

    `target` ("layers.i.q"), if given, is the one quantity the caller reads: the pass then stops at
    layer i and makes there only the chain (dA, dH, dZ) and q, leaving the rest empty (the values it
    does make are the same, bit for bit)."""
    index, name = parse_target(start)
    low, only = 0, None
    if target is not None and target.startswith("layers."):
        low, only = int(target.split(".")[1]), target.split(".")[2]
    if name not in STARTS:
        raise ValueError(f"a re-run starts at a dA or dZ, not {name!r}")
    net = tape.network
    v = net.notation.orient(np.asarray(value, dtype=float))  # file -> internal (n_out, m)
    records = [LayerTape(A_prev=r.A_prev, Z=r.Z, H=r.H) for r in tape.layers]
    dA = v
    with np.errstate(all="ignore"):
        for i in reversed(range(low, index + 1)):
            layer, t = net.layers[i], records[i]
            if i == index and name == "dZ":
                t.dZ = v
            else:
                t.dA, t.dH, grad = dA, [None] * len(t.H), dA
                for k in reversed(range(len(layer.activations))):
                    t.dH[k] = grad
                    z_in = t.H[k - 1] if k > 0 else t.Z
                    grad = CORRECT.activation_backward(i, layer.activations[k], z_in, t.H[k], grad)  # (n_out, m)
                t.dZ = grad
            last = only is not None and i == low
            if only is None or (last and only == "dW"):
                t.dW = CORRECT.weight_gradient(i, t.dZ, t.A_prev)  # (n_out, n_in)
            if layer.b is not None and (only is None or (last and only == "db")):
                t.db = CORRECT.bias_gradient(i, t.dZ)  # (n_out,)
            if not last:
                dA = CORRECT.propagate(net, i, t.dZ)  # (n_in, m)
    if only is not None:
        dA = None
    return Tape(network=net, layers=records, loss=tape.loss, dX=dA)


def carried(tape: Tape, start: str, value, target: str) -> np.ndarray:
    """The value of `target` that follows from `value` at `start` by correct steps (problem orientation)."""
    return np.asarray(rerun(tape, start, value, target).value_at(target), dtype=float) + 0.0


def linear_map(tape: Tape, start: str, target: str) -> np.ndarray:
    """M with flat(carried(start = v, target)) = M · flat(v) for every v: (size of target, size of start)."""
    shape = np.shape(tape.value_at(start))
    size = int(np.prod(shape))
    columns = []
    for j in range(size):
        unit = np.zeros(size)
        unit[j] = 1.0
        columns.append(carried(tape, start, unit.reshape(shape), target).ravel())
    return np.stack(columns, axis=1)
