"""Scalar computational graphs: named circuits of gates, evaluated forward and walked backward.

A circuit is a fixed grammar (gates in forward order over named inputs); the backward walk keeps,
gate by gate, the upstream gradient, each input's local gradient and their product, so a worked
solution can show every step. A misconception is a flag that changes one rule of the walk, so a
wrong answer is computed the way a student would compute it, never typed in.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

# gate -> number of inputs
EXACT_OPS = frozenset({"add", "mul", "max", "square"})  # grid values in, short decimals out

# Misconceptions of the backward walk (mistakes.toml `graph_*`), each changing one rule.
MISTAKES = ("graph_max_both", "graph_mul_own_input", "graph_fanout_not_summed", "graph_forgot_upstream",
            "graph_square_no_two", "graph_sigmoid_output_as_local", "graph_log_local_is_log")


@dataclass(frozen=True)
class Gate:
    node: str  # the name of the value it outputs
    op: str
    args: tuple[str, ...]


@dataclass(frozen=True)
class Circuit:
    name: str
    inputs: tuple[str, ...]
    gates: tuple[Gate, ...]  # in forward order; the last one's node is the output f

    @property
    def output(self) -> str:
        return self.gates[-1].node

    @property
    def exact(self) -> bool:
        return all(g.op in EXACT_OPS for g in self.gates)

    def uses(self, name: str) -> int:
        """How many gate inputs read `name` (more than one: it fans out)."""
        return sum(g.args.count(name) for g in self.gates)


def _circuit(name: str, inputs: str, *gates: tuple[str, str, str]) -> Circuit:
    return Circuit(name, tuple(inputs.split()), tuple(Gate(n, op, tuple(a.split())) for n, op, a in gates))


CIRCUITS: dict[str, Circuit] = {c.name: c for c in [
    # f = (x + y) z, the classic first example
    _circuit("sum_times", "x y z", ("q", "add", "x y"), ("f", "mul", "q z")),
    # f = max(x, y) z: the max gate routes the gradient to the larger input only
    _circuit("max_times", "x y z", ("m", "max", "x y"), ("f", "mul", "m z")),
    # f = (w x + b)^2: a squared residual
    _circuit("square_residual", "w x b", ("p", "mul", "w x"), ("s", "add", "p b"), ("f", "square", "s")),
    # f = log(e^x + y): exp and log gates
    _circuit("log_exp_sum", "x y", ("u", "exp", "x"), ("s", "add", "u y"), ("f", "log", "s")),
    # f = (x y + x)^2... x fans out to two gates, its gradients add
    _circuit("fanout_square", "x y", ("p", "mul", "x y"), ("s", "add", "p x"), ("f", "square", "s")),
    # f = x y + max(x, z): x fans out through a multiply and a max gate
    _circuit("fanout_max", "x y z", ("p", "mul", "x y"), ("m", "max", "x z"), ("f", "add", "p m")),
    # f = σ(w0 x0 + w1 x1 + b): a sigmoid neuron
    _circuit("sigmoid_neuron", "w0 x0 w1 x1 b", ("p", "mul", "w0 x0"), ("r", "mul", "w1 x1"),
             ("s", "add", "p r"), ("t", "add", "s b"), ("f", "sigmoid", "t")),
]}


def _log(s: float) -> float:
    if s <= 0:
        raise ValueError("log of a non-positive value")
    return math.log(s)


def _max_local(args: list[float], out: float) -> list[float]:
    if args[0] == args[1]:
        raise ValueError("a max gate with equal inputs has no derivative")
    return [1.0, 0.0] if args[0] > args[1] else [0.0, 1.0]


# gate -> (its output from its inputs, its local gradients from its inputs and output)
RULES = {
    "add": (lambda a: a[0] + a[1], lambda a, out: [1.0, 1.0]),
    "mul": (lambda a: a[0] * a[1], lambda a, out: [a[1], a[0]]),
    "max": (lambda a: max(a[0], a[1]), _max_local),
    "exp": (lambda a: math.exp(a[0]), lambda a, out: [out]),
    "log": (lambda a: _log(a[0]), lambda a, out: [1.0 / a[0]]),
    "sigmoid": (lambda a: 1.0 / (1.0 + math.exp(-a[0])), lambda a, out: [out * (1.0 - out)]),
    "square": (lambda a: a[0] * a[0], lambda a, out: [2.0 * a[0]]),
}
# misconception -> (the gate whose local rule it replaces, the wrong rule)
SLIPS = {
    "graph_max_both": ("max", lambda a, out: [1.0, 1.0]),
    "graph_mul_own_input": ("mul", lambda a, out: [a[0], a[1]]),
    "graph_square_no_two": ("square", lambda a, out: [a[0]]),
    "graph_sigmoid_output_as_local": ("sigmoid", lambda a, out: [out]),
    "graph_log_local_is_log": ("log", lambda a, out: [_log(a[0])]),
}


def apply(op: str, args: list[float]) -> float:
    """The gate's output."""
    if op not in RULES:
        raise ValueError(f"unknown gate {op!r}")
    return RULES[op][0](args)


def local(op: str, args: list[float], out: float, mistake: str | None = None) -> list[float]:
    """∂out/∂arg for each input, as the rule (or the named misconception) gives it."""
    slip = SLIPS.get(mistake)
    rule = slip[1] if slip and slip[0] == op else RULES[op][1]
    return rule(args, out)


def forward(circuit: Circuit, inputs: dict[str, float], carry=None) -> dict[str, float]:
    """Every node's value; `carry` (a function of a float) rounds each gate output as a student would."""
    values = {name: float(inputs[name]) for name in circuit.inputs}
    for g in circuit.gates:
        out = apply(g.op, [values[a] for a in g.args])
        values[g.node] = carry(out) if carry else out
    return values


@dataclass(frozen=True)
class Visit:
    """One gate of the backward walk: upstream ∂f/∂node, then per input its local gradient and product."""

    gate: Gate
    upstream: float
    locals: tuple[float, ...]
    products: tuple[float, ...]


def backward(circuit: Circuit, values: dict[str, float], mistake: str | None = None,
             carry=None) -> tuple[dict[str, float], list[Visit]]:
    """∂f/∂(every node) and the gates visited from the output back; `mistake` one of MISTAKES."""
    grads: dict[str, float] = {circuit.output: 1.0}
    visits = []
    for g in reversed(circuit.gates):
        up = grads.get(g.node, 0.0)
        out = values[g.node]
        loc = local(g.op, [values[a] for a in g.args], out, mistake)
        if carry:
            loc = [carry(v) for v in loc]
        prods = [v if mistake == "graph_forgot_upstream" else v * up for v in loc]
        if carry:
            prods = [carry(v) for v in prods]
        for a, p in zip(g.args, prods):
            if mistake == "graph_fanout_not_summed":
                grads[a] = p  # keeps only the path met last
            else:
                grads[a] = grads.get(a, 0.0) + p
        visits.append(Visit(g, up, tuple(loc), tuple(prods)))
    return grads, visits


def gradient(circuit: Circuit, inputs: dict[str, float], wrt: str, mistake: str | None = None) -> float:
    """∂f/∂wrt at `inputs` (as `mistake` would have it)."""
    grads, _ = backward(circuit, forward(circuit, inputs), mistake)
    return grads.get(wrt, 0.0)


def output(circuit: Circuit, inputs: dict[str, float]) -> float:
    return forward(circuit, inputs)[circuit.output]
