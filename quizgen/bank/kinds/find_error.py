"""find_error: a derivation with one wrong step (a catalogued slip); which step is it?"""

from __future__ import annotations

import numpy as np

from quizgen.bank.kinds.base import Kind, register, with_role
from quizgen.bank.kinds.common import Draft, base_context, network_given
from quizgen.bank.kinds.formula_choice import LABELS, choice_space
from quizgen.bank.latex import sym
from quizgen.bank.prompts import DEFAULTS
from quizgen.bank.question import Answer, Choice, Step
from quizgen.bank.degenerate import silent_after
from quizgen.bank.sample import Degenerate, draw_network, solved
from quizgen.bank.spec import Family
from quizgen.bank.steps import StepWriter
from quizgen.engine import mistakes
from quizgen.messages.text import is_text, text


# Which slips each kind of step can carry, by the step writer's title key (bank/steps.py): a step
# shown as (A − Y)/m cannot hold a σ′ mix-up.
STEP_MISTAKES = {
    "steps.output_error": {"forgot_1_over_m", "sign_flipped"},
    "steps.loss_gradient": {"forgot_1_over_m", "sign_flipped", "factor2_dropped", "factor2_doubled"},
    "steps.back_through": {"sigma_for_derivative", "derivative_dropped", "tanh_sigmoid_swapped",
                           "derivative_at_output", "softmax_diagonal"},
    "steps.propagate": {"transposed_weight", "wrong_weight"},
    "steps.weight_gradient": {"input_summed", "double_1_over_m"},
    "steps.bias_gradient": {"bias_not_summed", "double_1_over_m"},
    "steps.input_gradient": {"transposed_weight"},
}


def fits(mistake_id: str, title) -> bool:
    """Whether a step with this title (a text from the step writer) is where that slip shows."""
    return is_text(title) and mistake_id in STEP_MISTAKES.get(title.get("key"), ())


def carried_by(steps: list) -> set:
    """The slips some step among the options (the first len(LABELS) steps) can carry: a slip is
    offered only where its first wrong step fits it, so no other slip can be."""
    return {mid for s in steps[:len(LABELS)] if is_text(s.title) for mid in STEP_MISTAKES.get(s.title.get("key"), ())}


# The rules a slip may change in the layer it is made in (engine/backprop.py Backward.alters).
LAYER_RULES = ("activation_backward", "weight_gradient", "weight_penalty", "bias_gradient", "bias_penalty", "propagate")


def can_show(mistake, net, only: int) -> bool:
    """Whether the slip, made in layer index `only` alone, changes any rule there: where it changes
    none, its pass is the correct one (no step is wrong), so it is not worth solving."""
    rules = mistake.rules()
    if only == len(net.layers) - 1 and rules.alters(net, only, "output_gradient"):
        return True
    return any(rules.alters(net, only, rule) for rule in LAYER_RULES)


RTOL, ATOL = 1e-2, 1e-3  # a wrong step's result within this of the right one's is the same step


class Right:
    """A right step's result with what common.close(wrong, it, RTOL, ATOL) compares a wrong
    result against, worked out once per draw (close made them again for every candidate slip)."""

    def __init__(self, result):
        self.result = result
        self.scalar = isinstance(result, (float, int))
        self.bound = ATOL + RTOL * abs(result) if self.scalar else None
        self.array = np.asarray(result, dtype=float)
        self.bounds = ATOL + RTOL * np.abs(self.array)  # close's own arithmetic on the same array

    def near(self, wrong) -> bool:
        """common.close(wrong, self.result, RTOL, ATOL), the same comparisons on the same values."""
        if self.scalar and isinstance(wrong, (float, int)):
            return abs(wrong - self.result) <= self.bound
        a = np.asarray(wrong, dtype=float)
        return a.shape == self.array.shape and bool((np.abs(a - self.array) <= self.bounds).all())


def build(family: Family, rng: np.random.Generator) -> Draft:
    net = draw_network(family, rng)
    tape = solved(net)
    l, quantity = family.layer, family.quantity
    right_steps = StepWriter(tape).backward_to(l, quantity)
    rights = [Right(s.result) for s in right_steps]
    showable = carried_by(right_steps)  # any other slip is never offered: its passes are not made
    candidates = [m for m in mistakes.CATALOG.values() if m.id in showable and m.applies(net)]
    # (mistake, layer index): the mistake is made in one layer only, so exactly one step is wrong.
    # Every such slip whose first wrong step is a step that could carry it, grouped by that step.
    # Each candidate's results alone are compared (nothing typeset); the chosen one is written in full.
    options: dict[int, list] = {}
    # the derivation reads no layer below the asked one: a slip made there never shows, and each
    # pass stops at that layer (its values above it are the whole pass's, bit for bit)
    stop = 0 if quantity == "dX" else l - 1
    for mistake in candidates:
        for only in range(stop, len(net.layers)):
            if not can_show(mistake, net, only):
                continue
            try:
                wrong_tape = mistake.backward(tape, stop=stop, only=only)
                wrong_steps = StepWriter(wrong_tape, values_only=True).backward_to(l, quantity)
            except (mistakes.NotApplicable, ValueError, IndexError):
                continue
            if len(wrong_steps) != len(right_steps):
                continue
            diverge = next((i for i, (a, b) in enumerate(zip(rights, wrong_steps)) if not a.near(b.result)), None)
            if (diverge is not None and diverge < len(LABELS) and fits(mistake.id, right_steps[diverge].title)
                    and np.all(np.isfinite(np.asarray(wrong_steps[-1].result, dtype=float)))
                    and not silent_after(wrong_steps, diverge)):  # a slip whose steps after it all show 0
                options.setdefault(diverge, []).append((mistake, wrong_tape))
    if not options:
        raise Degenerate("reject.no_slip")
    # the wrong step varies across variants: first which step, then which slip made it
    diverge = sorted(options)[int(rng.integers(len(options)))]
    mistake, wrong_tape = options[diverge][int(rng.integers(len(options[diverge])))]
    wrong_steps = StepWriter(wrong_tape).backward_to(l, quantity)
    why = text("kinds.find_error_rationale", name=mistake.name, explanation=mistake.explanation)
    choices = [Choice(LABELS[i], text("kinds.find_error_option", title=s.title, formula=f"{s.symbolic} = {s.result_display}"),
                      i == diverge,
                      mistake.id if i == diverge else None, why if i == diverge else None)
               for i, s in enumerate(wrong_steps[: len(LABELS)])]
    answer = Answer("choice", LABELS[diverge], LABELS[diverge], LABELS[diverge])
    fixed = right_steps[diverge]
    steps = with_role("backward", list(right_steps)) + with_role("error", [Step(
        text("kinds.find_error_title", label=LABELS[diverge]), fixed.symbolic, fixed.substituted, fixed.parts, fixed.result,
        fixed.result_display, fixed.shape,
        text("kinds.find_error_explanation", label=LABELS[diverge], name=mistake.name,
             explanation=mistake.explanation))])
    context = base_context(net)
    context.update(asked=f"\\frac{{\\partial J}}{{\\partial {sym(quantity[1:], l)}}}",
                   asked_text=text("prompts.asked_derivation", name=f"d{quantity[1:]}{l}"))
    given = network_given(net)
    return Draft(answer=answer, steps=steps, given=given, context=context, problem=net.to_problem(),
                 target=None, choices=choices)


# Its options are the derivation's steps: their order is part of the question.
KIND = register(Kind("find_error", build, lambda: DEFAULTS["find_error"], answer_box=lambda q: {"kind": "choice"},
                     work_space=choice_space, rubric="all", ordered_choices=True, network_prompt=True))
