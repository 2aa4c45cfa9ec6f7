"""formula_choice: which of four expressions equals dW1 of a two-layer network."""

from __future__ import annotations

import numpy as np

from quizgen.bank.kinds.base import Kind, register, with_role
from quizgen.bank.kinds.common import Draft, approximations, base_context, network_given
from quizgen.bank.latex import act_tex
from quizgen.bank.prompts import DEFAULTS
from quizgen.bank.question import Answer, Choice, Distractor
from quizgen.bank.sample import Degenerate, draw_network, solved
from quizgen.bank.spec import Family
from quizgen.bank.steps import StepWriter
from quizgen.engine import mistakes
from quizgen.engine.losses import pairings
from quizgen.engine.network import Notation
from quizgen.engine.tape import Tape
from quizgen.messages import t
from quizgen.messages.text import text

LABELS = "ABCDEFGH"


def _hidden_parts(tape: Tape) -> dict:
    """Internal-orientation arrays the dW1 formulas are made of."""
    net, t1, t2 = tape.network, tape.layers[0], tape.layers[1]
    act = net.layers[0].activations[0]
    return {"E": t2.dZ, "W2": net.layers[1].W, "X": net.X, "g": t1.A,
            "gp": act.derivative(t1.Z, t1.A), "m": net.m}


# (mistake id or None, column LaTeX, row LaTeX, evaluator on _hidden_parts -> internal dW1).
# {s} is the 1/m factor (empty for a sum), {g} the hidden activation, {E} the output error.
FORMULAS = [
    (None, r"{s}\left[\left(W^{{[2]\top}} {E}\right) \odot {g}'(Z^{{[1]}})\right] X^{{\top}}",
     r"{s} X^{{\top}}\left[\left({E}\, W^{{[2]\top}}\right) \odot {g}'(Z^{{[1]}})\right]",
     lambda p: ((p["W2"].T @ p["E"]) * p["gp"]) @ p["X"].T),
    ("sigma_for_derivative", r"{s}\left[\left(W^{{[2]\top}} {E}\right) \odot {g}(Z^{{[1]}})\right] X^{{\top}}",
     r"{s} X^{{\top}}\left[\left({E}\, W^{{[2]\top}}\right) \odot {g}(Z^{{[1]}})\right]",
     lambda p: ((p["W2"].T @ p["E"]) * p["g"]) @ p["X"].T),
    ("derivative_dropped", r"{s} W^{{[2]\top}} {E}\, X^{{\top}}", r"{s} X^{{\top}} {E}\, W^{{[2]\top}}",
     lambda p: (p["W2"].T @ p["E"]) @ p["X"].T),
    ("sign_flipped", r"{s}\left[\left(W^{{[2]\top}} {F}\right) \odot {g}'(Z^{{[1]}})\right] X^{{\top}}",
     r"{s} X^{{\top}}\left[\left({F}\, W^{{[2]\top}}\right) \odot {g}'(Z^{{[1]}})\right]",
     lambda p: -(((p["W2"].T @ p["E"]) * p["gp"]) @ p["X"].T)),
    ("wrong_order", r"{s} X^{{\top}}\left[\left(W^{{[2]\top}} {E}\right) \odot {g}'(Z^{{[1]}})\right]",
     r"{s}\left[\left({E}\, W^{{[2]\top}}\right) \odot {g}'(Z^{{[1]}})\right] X^{{\top}}", None),
    ("wrong_weight", r"{s}\left[\left(W^{{[1]\top}} {E}\right) \odot {g}'(Z^{{[1]}})\right] X^{{\top}}",
     r"{s} X^{{\top}}\left[\left({E}\, W^{{[1]\top}}\right) \odot {g}'(Z^{{[1]}})\right]", None),
    ("forgot_1_over_m", r"\left[\left(W^{{[2]\top}} {E}\right) \odot {g}'(Z^{{[1]}})\right] X^{{\top}}",
     r"X^{{\top}}\left[\left({E}\, W^{{[2]\top}}\right) \odot {g}'(Z^{{[1]}})\right]",
     lambda p: p["m"] * (((p["W2"].T @ p["E"]) * p["gp"]) @ p["X"].T)),
]


def formula_text(entry, notation: Notation, act, mean: bool) -> str:
    _, col, row, _ = entry
    template = col if notation is Notation.COLUMN else row
    return template.format(s=r"\frac{1}{m}" if mean else "", g=act_tex(act),
                           E=r"(A^{[2]} - Y)", F=r"(Y - A^{[2]})")


def build(family: Family, rng: np.random.Generator) -> Draft:
    net = draw_network(family, rng)
    if len(net.layers) != 2:
        raise Degenerate("reject.formula_choice_two_layers")
    tape = solved(net)
    mean = net.loss.reduction == "mean"
    act = net.layers[0].activations[0]
    wrong = [f for f in FORMULAS[1:] if f[0] != "forgot_1_over_m" or mean]
    if act.name == "identity":
        wrong = [f for f in wrong if f[0] not in ("sigma_for_derivative", "derivative_dropped")]
    picks = [FORMULAS[0]] + [wrong[i] for i in rng.choice(len(wrong), size=3, replace=False)]
    order = rng.permutation(len(picks))
    choices = []
    for label, i in zip(LABELS, order):
        entry = picks[int(i)]
        formula = "$\\mathrm{d}W^{[1]} = " + formula_text(entry, net.notation, act, mean) + "$"
        choices.append(Choice(label, formula, entry[0] is None, entry[0]))
    right = next(c for c in choices if c.correct)
    answer = Answer("choice", right.label, right.label, right.label)
    distractors = []
    for c in choices:  # a wrong option is known by its mistake, never by its letter (exams relabel them)
        if c.mistake:
            m = mistakes.describe(c.mistake)
            c.rationale = text("kinds.formula_choice_rationale", name=m.name, explanation=m.explanation)
            distractors.append(Distractor(None, c.mistake, m.name, m.explanation))
    writer = StepWriter(tape)
    steps = writer.output_steps() + [writer.propagate_step(1)]
    steps = with_role("backward", steps + writer.activation_steps(1, [0]) + [writer.weight_step(1)])
    context = base_context(net)
    context.update(asked=r"\mathrm{d}W^{[1]} = \frac{\partial J}{\partial W^{[1]}}",
                   asked_text=text("prompts.asked_formula"), activation=act.title,
                   activation_latex=act_tex(act))
    # the worked solution evaluates the formula on this network, so show its numbers too
    return Draft(answer=answer, steps=steps, given=network_given(net) + approximations(tape, 2), context=context,
                 problem=net.to_problem(), target=None, choices=choices, distractors=distractors)


def validate(c, seen: dict) -> None:
    acts = seen["activations"]
    if not acts:
        return
    if len(seen["hidden"]) != 1:
        c.add("network.hidden", t("family.formula_choice_hidden"))
    for choice in acts[-1]:
        last = choice.split("+")[-1].split("(")[0]
        for name in seen["losses"]:
            if (last, name) not in pairings():  # the output/loss pairs whose output error is (A − Y)/m
                pairs = [f"{act} + {loss}" for act, loss in pairings()]  # each loss's entry names its output
                c.add("network.activations", t("family.formula_choice_pairs", output=last, loss=name,
                                               pairs=", ".join(pairs[:-1]), last=pairs[-1]))


def choice_space(q) -> float:
    """Room to work a multiple-choice question: checking room when there is data to check."""
    return 6.0 if q.given else 1.5


KIND = register(Kind("formula_choice", build, lambda: DEFAULTS["formula_choice"], validate,
                     answer_box=lambda q: {"kind": "choice"}, work_space=choice_space, rubric="all", network_prompt=True))
