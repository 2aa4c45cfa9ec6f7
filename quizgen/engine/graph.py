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
OPS = {"add": 2, "mul": 2, "max": 2, "exp": 1, "log": 1, "sigmoid": 1, "square": 1}
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


def apply(op: str, args: list[float]) -> float:
    """The gate's output."""
    if op == "add":
        return args[0] + args[1]
    if op == "mul":
        return args[0] * args[1]
    if op == "max":
        return max(args[0], args[1])
    if op == "exp":
        return math.exp(args[0])
    if op == "log":
        if args[0] <= 0:
            raise ValueError("log of a non-positive value")
        return math.log(args[0])
    if op == "sigmoid":
        return 1.0 / (1.0 + math.exp(-args[0]))
    if op == "square":
        return args[0] * args[0]
    raise ValueError(f"unknown gate {op!r}")


def local(op: str, args: list[float], out: float, mistake: str | None = None) -> list[float]:
    """∂out/∂arg for each input, as the rule (or the named misconception) gives it."""
    if op == "add":
        return [1.0, 1.0]
    if op == "mul":
        return [args[0], args[1]] if mistake == "graph_mul_own_input" else [args[1], args[0]]
    if op == "max":
        if mistake == "graph_max_both":
            return [1.0, 1.0]
        if args[0] == args[1]:
            raise ValueError("a max gate with equal inputs has no derivative")
        return [1.0, 0.0] if args[0] > args[1] else [0.0, 1.0]
    if op == "exp":
        return [out]
    if op == "log":
        return [math.log(args[0])] if mistake == "graph_log_local_is_log" else [1.0 / args[0]]
    if op == "sigmoid":
        return [out] if mistake == "graph_sigmoid_output_as_local" else [out * (1.0 - out)]
    if op == "square":
        return [args[0]] if mistake == "graph_square_no_two" else [2.0 * args[0]]
    raise ValueError(f"unknown gate {op!r}")


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
