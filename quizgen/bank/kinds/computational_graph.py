"""computational_graph: the gradient of a small scalar circuit at one input, walked gate by gate.

A family names a circuit of engine/graph.py (its grammar) and the inputs it may ask about; each
variant draws the inputs on the grid, evaluates the gates forward and walks them backward, each
step a local gradient times the upstream one. The wrong answers are the walk's misconceptions.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from quizgen.bank.kinds import precision
from quizgen.bank.fields import add_known
from quizgen.bank.kinds.base import Kind, register
from quizgen.bank.kinds.common import Distractors, Draft, asked_precision, make_answer, require
from quizgen.bank.kinds.values import value_step
from quizgen.bank.prompts import DEFAULTS
from quizgen.bank.question import Given
from quizgen.bank.sample import Degenerate, grid_values
from quizgen.bank.spec import GRIDS, Family
from quizgen.engine import graph
from quizgen.messages import t
from quizgen.messages.text import text
from quizgen.render.numbers import round_sig

GRAPH_KEYS = {"circuit", "wrt"}


def validate(c, seen: dict) -> None:
    g = seen.get("table")
    if not isinstance(g, dict):
        c.add("graph", t("kinds.graph_family_table", circuits=", ".join(graph.CIRCUITS)))
        return
    for key in sorted(set(g) - GRAPH_KEYS):
        add_known(c, f"graph.{key}", "kinds.graph_family_key", sorted(GRAPH_KEYS))
    name = g.get("circuit")
    if not isinstance(name, str) or name not in graph.CIRCUITS:
        c.add("graph.circuit", t("kinds.graph_family_circuit", value=str(name)[:40], circuits=", ".join(graph.CIRCUITS)))
        return
    circuit = graph.CIRCUITS[name]
    wrt = g.get("wrt", "|".join(circuit.inputs))
    choices = wrt.split("|") if isinstance(wrt, str) else [None]
    if any(w not in circuit.inputs for w in choices):
        c.add("graph.wrt", t("kinds.graph_family_wrt", value=str(wrt)[:40], inputs=", ".join(circuit.inputs)))


@lru_cache(maxsize=256)  # speed: a circuit's few names, written once each, not at every step
def name_tex(name: str) -> str:
    """w0 -> w_{0}."""
    stem = name.rstrip("0123456789")
    return f"{stem}_{{{name[len(stem):]}}}" if stem != name else name


def gate_tex(gate: graph.Gate, args: list[str]) -> str:
    a = args
    return {"add": f"{a[0]} + {a[-1]}", "mul": f"{a[0]} \\cdot {a[-1]}", "max": f"\\max({a[0]}, {a[-1]})",
            "exp": f"e^{{{a[0]}}}", "log": f"\\log({a[0]})", "sigmoid": f"\\sigma({a[0]})",
            "square": f"{a[0]}^{{2}}"}[gate.op]


@lru_cache(maxsize=256)  # speed: the same few pairs in every variant of a circuit
def partial(top: str, bottom: str) -> str:
    return f"\\frac{{\\partial {name_tex(top)}}}{{\\partial {name_tex(bottom)}}}"


def draw_inputs(family: Family, circuit: graph.Circuit, rng: np.random.Generator) -> dict[str, float]:
    """Weights (w…) from values.W, biases (b) from values.b, everything else from values.X."""
    step = GRIDS[family.grid]
    out = {}
    for name in circuit.inputs:
        lo, hi = family.ranges["W" if name.startswith("w") else "b" if name == "b" else "X"]
        out[name] = float(grid_values(rng, lo, hi, step, (), nonzero=True))
    return out


def depends(circuit: graph.Circuit, wrt: str) -> set[str]:
    """The nodes whose value changes with `wrt` (the backward walk to it passes only these)."""
    found = {wrt}
    for g in circuit.gates:
        if any(a in found for a in g.args):
            found.add(g.node)
    return found


def build(family: Family, rng: np.random.Generator) -> Draft:
    circuit = graph.CIRCUITS[family.table["circuit"]]
    choices = family.table.get("wrt", "|".join(circuit.inputs)).split("|")
    wrt = choices[int(rng.integers(len(choices)))]
    inputs = draw_inputs(family, circuit, rng)
    exact = circuit.exact
    try:
        values = graph.forward(circuit, inputs)
        grads, visits = graph.backward(circuit, values)
    except (ValueError, OverflowError) as exc:  # a max tie, a log of a non-positive value
        raise Degenerate("reject.graph_undefined", key="values") from None
    value = grads[wrt]
    if abs(value) < 1e-9:
        raise Degenerate("reject.graph_no_path", key="values")

    def carried(digits: int, mistake: str | None = None) -> float:
        carry = lambda v: float(round_sig(v, digits))  # noqa: E731
        vals = graph.forward(circuit, inputs, carry)
        return graph.backward(circuit, vals, mistake, carry)[0][wrt]

    asked = asked_precision(value, exact)
    answer = make_answer(value, asked, 0.0 if exact else carried(precision.CARRY) - value)
    steps = forward_steps(circuit, values) + backward_steps(circuit, wrt, visits)
    found = Distractors(answer)
    for mid in graph.MISTAKES:
        try:
            found.add(graph.gradient(circuit, inputs, wrt, mid), mid)
        except (ValueError, OverflowError):
            continue
    require(found.kept, family.min_distractors)
    if not exact:
        found.add(carried(precision.EARLY), "rounded_too_early", strict=False)
    given = [Given(name, name_tex(name), inputs[name]) for name in circuit.inputs]
    equations = r",\quad ".join(f"{name_tex(g.node)} = {gate_tex(g, [name_tex(a) for a in g.args])}"
                                for g in circuit.gates)
    context = {"network": equations, "asked": partial(circuit.output, wrt),
               "asked_text": f"∂{circuit.output}/∂{wrt}"}
    return Draft(answer=answer, steps=steps, given=given, context=context, distractors=found.kept)


def forward_steps(circuit: graph.Circuit, values: dict[str, float]) -> list:
    """One step per gate: its inputs' values in, its output out."""
    steps = []
    for g in circuit.gates:
        paren = g.op in ("add", "mul")  # -2 + (-3), but σ(-1), (-1.5)² and max(-4, -3)
        node = name_tex(g.node)
        parts = [{"tex": f"{node} ="}]
        inner = {"add": ("", "+", ""), "mul": ("", r"\cdot", ""), "max": (r"\max(", ",", ")"), "exp": (r"\exp(", "", ")"),
                 "log": (r"\log(", "", ")"), "sigmoid": (r"\sigma(", "", ")"), "square": ("(", "", ")^{2}")}[g.op]
        parts.append({"tex": inner[0]} if inner[0] else None)
        for i, a in enumerate(g.args):
            if i:
                parts.append({"tex": inner[1]})
            parts += signed(values[a]) if paren else [{"num": values[a]}]
        parts.append({"tex": inner[2]} if inner[2] else None)
        parts = [p for p in parts if p]
        parts += [{"tex": "="}, {"num": values[g.node]}]
        steps.append(value_step(text(f"kinds.graph_forward_{g.op}_title"), f"{node} = {gate_tex(g, [name_tex(a) for a in g.args])}",
                                parts, values[g.node], text("kinds.graph_forward_explanation", node=g.node),
                                shape=[], role="forward"))
    return steps


def signed(x: float) -> list:
    """A number as a part, in parentheses when negative (2 · (-3), not 2 · -3)."""
    return [{"tex": "("}, {"num": x}, {"tex": ")"}] if x < 0 else [{"num": x}]


def backward_steps(circuit: graph.Circuit, wrt: str, visits: list[graph.Visit]) -> list:
    """Seed ∂f/∂f = 1, then local × upstream at each gate on the way to `wrt`, then sum the paths."""
    f = circuit.output
    on_path = depends(circuit, wrt)
    steps = [value_step(text("kinds.graph_seed_title"), f"{partial(f, f)} = 1", [{"tex": f"{partial(f, f)} ="},
                        {"num": 1.0}], 1.0, text("kinds.graph_seed_explanation"), shape=[], role="given")]
    paths, terms = [], []
    for v in visits:
        for a, loc, prod in zip(v.gate.args, v.locals, v.products):
            if a not in on_path:
                continue
            symbolic = f"{partial(f, a)} = {partial(v.gate.node, a)} \\cdot {partial(f, v.gate.node)}"
            parts = [{"tex": f"{partial(v.gate.node, a)} \\cdot {partial(f, v.gate.node)} ="}, *signed(loc),
                     {"tex": r"\cdot"}, *signed(v.upstream), {"tex": "="}, {"num": prod}]
            steps.append(value_step(text(f"kinds.graph_back_{v.gate.op}_title"), symbolic, parts, prod,
                                    text(f"kinds.graph_back_{v.gate.op}_explanation", node=v.gate.node, input=a),
                                    shape=[], role="backward"))
            if a == wrt:
                paths.append(prod)
                terms.append(f"{partial(v.gate.node, a)} {partial(f, v.gate.node)}")
    if len(paths) > 1:
        parts = [{"tex": f"{partial(f, wrt)} ="}]
        for i, p in enumerate(paths):
            if i:
                parts.append({"tex": "+"})
            parts += signed(p) if i else [{"num": p}]
        total = float(sum(paths))
        parts += [{"tex": "="}, {"num": total}]
        steps.append(value_step(text("kinds.graph_sum_title"), f"{partial(f, wrt)} = {' + '.join(terms)}", parts, total,
                                text("kinds.graph_sum_explanation", input=wrt, count=len(paths)), shape=[],
                                role="backward"))
    return steps


KIND = register(Kind("computational_graph", build, lambda: DEFAULTS["computational_graph"], validate, sized=False, table="graph"))
