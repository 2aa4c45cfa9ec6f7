"""The terminal form of a solved problem: every quantity, its shape and the rule behind it."""

from __future__ import annotations

import numpy as np

from quizgen.engine import activations, losses
from quizgen.engine.network import Notation
from quizgen.engine.tape import Tape
from quizgen.messages import catalog, t as words  # `t` names a layer's tape below
from quizgen.render.numbers import fmt, matrix_lines, shape_text

# The chain rule in each notation; the only place the text renderer distinguishes them.
RULES = {
    Notation.COLUMN: {
        "Z": "Z{l} = W{l}·A{p} + b{l}",
        "Z_nobias": "Z{l} = W{l}·A{p}",
        "dW": "dW{l} = dZ{l}·A{p}ᵀ",
        "db": "solve.db_rule_column",  # words: a catalog key
        "dA_prev": "dA{p} = W{l}ᵀ·dZ{l}",
    },
    Notation.ROW: {
        "Z": "Z{l} = A{p}·W{l} + b{l}",
        "Z_nobias": "Z{l} = A{p}·W{l}",
        "dW": "dW{l} = A{p}ᵀ·dZ{l}",
        "db": "solve.db_rule_row",
        "dA_prev": "dA{p} = dZ{l}·W{l}ᵀ",
    },
}

# The backward rule of each loss and activation, from its registry entry (read live); a rule with
# words in it is worded by the catalog (solve.rule_<name>) where the catalog has it.
LOSS_RULE = losses.RULES.facet("text")
ACT_RULE = activations.RULES.facet("text")


def _act_rule(name: str) -> str:
    key = f"solve.rule_{name}"
    return words(key) if key in catalog() else ACT_RULE[name]


def _block(name: str, value, rule: str, notation: Notation, oriented: bool = True) -> list[str]:
    arr = np.asarray(value)
    shown = notation.orient(arr) if oriented else arr
    head = f"  {name} {shape_text(shown.shape)}   {rule}"
    return [head] + ["      " + line for line in matrix_lines(shown)]


def render_solution(tape: Tape, title: str = "") -> str:
    """A readable step-by-step solution of one problem."""
    net = tape.network
    n = net.notation
    rules = RULES[n]
    L = len(net.layers)
    lines = []
    if title:
        lines += [title, "=" * len(title)]
    acts = " → ".join("+".join(a.label for a in layer.activations) for layer in net.layers)
    reduction = words(f"solve.reduction_{net.loss.reduction}")
    lines.append(words("solve.header", notation=words(f"solve.notation_{n.value}"), layers=L, m=net.m,
                       loss=net.loss.name, reduction=reduction, activations=acts))
    lines.append("")
    lines.append(words("solve.forward"))
    lines += _block("A0 = X", net.X, words("solve.input"), n)
    for i, (layer, t) in enumerate(zip(net.layers, tape.layers), start=1):
        key = "Z" if layer.b is not None else "Z_nobias"
        lines += _block(f"Z{i}", t.Z, rules[key].format(l=i, p=i - 1), n)
        for k, (act, h) in enumerate(zip(layer.activations, t.H)):
            source = f"Z{i}" if k == 0 else f"H{i}[{k - 1}]"
            name = f"A{i}" if k == len(t.H) - 1 else f"H{i}[{k}]"
            lines += _block(name, h, f"= {act.label}({source})", n)
    lines.append("")
    lines.append(words("solve.loss", value=fmt(tape.loss, 6), loss=net.loss.name, reduction=reduction, m=net.m))
    if net.l2:  # the L2 penalty is part of J and of every dW
        lines.append(words("solve.l2_penalty", penalty=f"(λ/2{'m' if scale_m(net) else ''})·Σ‖W‖²",
                           value=fmt(losses.l2_penalty(net), 6), l2=fmt(net.l2)))
    lines.append("")
    lines.append(words("solve.backward"))
    scale = " / m" if net.loss.reduction == "mean" else ""
    for i in range(L, 0, -1):
        layer, t = net.layers[i - 1], tape.layers[i - 1]
        if i == L:
            lines += _block(f"dA{i}", t.dA, LOSS_RULE[net.loss.name] + scale, n)
        else:
            lines += _block(f"dA{i}", t.dA, RULES[n]["dA_prev"].format(l=i + 1, p=i), n)
        names = [f"H{i}[{k}]" for k in range(len(t.H) - 1)] + [f"A{i}"]
        for k in reversed(range(len(layer.activations))):
            source = f"Z{i}" if k == 0 else names[k - 1]
            rule = _act_rule(layer.activations[k].name).format(
                dz=f"d{source}", da=f"d{names[k]}", z=source, a=names[k])
            lines += _block(f"d{source}", t.dZ if k == 0 else t.dH[k - 1], rule, n)
        l2_term = (f" + (λ/m)·W{i}" if scale_m(net) else f" + λ·W{i}") if net.l2 else ""
        lines += _block(f"dW{i}", t.dW, rules["dW"].format(l=i, p=i - 1) + l2_term, n)
        if layer.b is not None:
            lines += _block(f"db{i}", t.db, words(rules["db"], l=i), n, oriented=False)
    lines += _block("dX", tape.dX, RULES[n]["dA_prev"].format(l=1, p=0).replace("dA0", "dX"), n)
    if net.learning_rate is not None:
        lines.append("")
        lines.append(words("solve.sgd_step", eta=fmt(net.learning_rate)))
        for i, (layer, t) in enumerate(zip(net.layers, tape.layers), start=1):
            lines += _block(f"W{i}_new", t.W_new, f"W{i} − η·dW{i}", n)
            if layer.b is not None:
                lines += _block(f"b{i}_new", t.b_new, f"b{i} − η·db{i}", n, oriented=False)
    return "\n".join(lines)


def scale_m(net) -> bool:
    """Whether the loss (and so the L2 penalty) is averaged over the batch."""
    return net.loss.reduction == "mean"

