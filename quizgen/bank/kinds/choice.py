"""Multiple-choice kinds: pick the right formula, or find the step that carries a mistake."""

from __future__ import annotations

import numpy as np

from quizgen.bank.kinds.common import Draft, approximations, base_context, close, network_given
from quizgen.bank.latex import act_tex, sym
from quizgen.bank.question import Answer, Choice, Distractor, Step
from quizgen.bank.sample import Degenerate, draw_network, solved
from quizgen.bank.spec import Family
from quizgen.bank.steps import StepWriter
from quizgen.engine import mistakes
from quizgen.engine.network import Notation
from quizgen.engine.tape import Tape
from quizgen.messages.text import say

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


def formula_choice(family: Family, rng: np.random.Generator) -> Draft:
    net = draw_network(family, rng)
    if len(net.layers) != 2:
        raise Degenerate("formula_choice needs a two-layer network")
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
        text = "$\\mathrm{d}W^{[1]} = " + formula_text(entry, net.notation, act, mean) + "$"
        choices.append(Choice(label, text, entry[0] is None, entry[0]))
    right = next(c for c in choices if c.correct)
    answer = Answer("choice", right.label, right.label, right.label)
    distractors = []
    for c in choices:
        if c.mistake:
            m = mistakes.describe(c.mistake)
            distractors.append(Distractor(c.label, c.mistake, m.name, m.explanation))
    writer = StepWriter(tape)
    steps = writer.output_steps() + [writer.propagate_step(1)]
    steps += writer.activation_steps(1, [0]) + [writer.weight_step(1)]
    for c in choices:
        if c.mistake:
            m = mistakes.describe(c.mistake)
            steps.append(Step(f"Why not {c.label}", "", "", [], None, "", None,
                              f"Option {c.label} would {say(m.name)}: {say(m.explanation)}"))
    context = base_context(net)
    context.update(asked=r"\mathrm{d}W^{[1]} = \frac{\partial J}{\partial W^{[1]}}",
                   asked_text="which expression equals dW1", activation=act.label,
                   activation_latex=act_tex(act))
    # the worked solution evaluates the formula on this network, so show its numbers too
    return Draft(answer=answer, steps=steps, given=network_given(net) + approximations(tape, 2), context=context,
                 problem=net.to_problem(), target=None, choices=choices, distractors=distractors)


# Which slips each kind of step can carry: a step shown as (A − Y)/m cannot hold a σ′ mix-up.
STEP_MISTAKES = {
    "Output error": {"forgot_1_over_m", "sign_flipped"},
    "Loss gradient at the output": {"forgot_1_over_m", "sign_flipped", "factor2_dropped", "factor2_doubled"},
    "Back through": {"sigma_for_derivative", "derivative_dropped", "tanh_sigmoid_swapped", "derivative_at_output",
                     "softmax_diagonal"},
    "Gradient reaching": {"transposed_weight", "wrong_weight"},
    "Weight gradient": {"input_summed", "double_1_over_m"},
    "Bias gradient": {"bias_not_summed", "double_1_over_m"},
    "Gradient with respect to the input": {"transposed_weight"},
}


def fits(mistake_id: str, title: str) -> bool:
    """Whether a step with this title is where that slip shows."""
    return any(title.startswith(kind) and mistake_id in ids for kind, ids in STEP_MISTAKES.items())


def find_error(family: Family, rng: np.random.Generator) -> Draft:
    net = draw_network(family, rng)
    tape = solved(net)
    l, quantity = family.layer, family.quantity
    right_steps = StepWriter(tape).backward_to(l, quantity)
    candidates = [m for m in mistakes.CATALOG.values() if m.applies(net)]
    # (mistake, layer index): the mistake is made in one layer only, so exactly one step is wrong.
    # Every such slip whose first wrong step is a step that could carry it, grouped by that step.
    options: dict[int, list] = {}
    for mistake in candidates:
        for only in range(len(net.layers)):
            try:
                wrong_tape = mistake.backward(tape, only=only)
                wrong_steps = StepWriter(wrong_tape).backward_to(l, quantity)
            except (mistakes.NotApplicable, ValueError, IndexError):
                continue
            if len(wrong_steps) != len(right_steps):
                continue
            diverge = next((i for i, (a, b) in enumerate(zip(right_steps, wrong_steps))
                            if not close(b.result, a.result, 1e-2, 1e-3)), None)
            if (diverge is not None and diverge < len(LABELS) and fits(mistake.id, say(right_steps[diverge].title, "en"))
                    and np.all(np.isfinite(np.asarray(wrong_steps[-1].result, dtype=float)))):
                options.setdefault(diverge, []).append((mistake, wrong_steps))
    if not options:
        raise Degenerate("no catalogued mistake changes this derivation")
    # the wrong step varies across variants: first which step, then which slip made it
    diverge = sorted(options)[int(rng.integers(len(options)))]
    mistake, wrong_steps = options[diverge][int(rng.integers(len(options[diverge])))]
    choices = [Choice(LABELS[i], f"**{say(s.title)}**: ${s.symbolic} = {s.result_display}$", i == diverge,
                      mistake.id if i == diverge else None)
               for i, s in enumerate(wrong_steps[: len(LABELS)])]
    answer = Answer("choice", LABELS[diverge], LABELS[diverge], LABELS[diverge])
    fixed = right_steps[diverge]
    steps = list(right_steps) + [Step(
        f"The error is in step {LABELS[diverge]}", fixed.symbolic, fixed.substituted, fixed.parts, fixed.result,
        fixed.result_display, fixed.shape,
        f"Step {LABELS[diverge]} went wrong: it would {say(mistake.name)}. {say(mistake.explanation)} "
        "The steps after it follow correctly from the wrong value.")]
    context = base_context(net)
    context.update(asked=f"\\frac{{\\partial J}}{{\\partial {sym(quantity[1:], l)}}}",
                   asked_text=f"the derivation of d{quantity[1:]}{l}")
    given = network_given(net)
    return Draft(answer=answer, steps=steps, given=given, context=context, problem=net.to_problem(),
                 target=None, choices=choices)
