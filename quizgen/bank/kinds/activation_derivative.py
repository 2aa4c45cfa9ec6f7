"""activation_derivative: the derivative of an activation at one point z (no network)."""

from __future__ import annotations

import numpy as np

from quizgen.bank.kinds import precision
from quizgen.bank.kinds.base import Kind, register
from quizgen.bank.kinds.common import EXACT_ACTS, Distractors, Draft, asked_precision, make_answer, require
from quizgen.bank.kinds.values import value_step
from quizgen.bank.latex import act_tex, deriv_tex
from quizgen.bank.prompts import DEFAULTS
from quizgen.bank.question import Given
from quizgen.bank.sample import grid_values
from quizgen.bank.spec import GRIDS, Family
from quizgen.engine import mistakes, parse_activation
from quizgen.messages.text import text
from quizgen.render.numbers import fmt, round_sig


def build(family: Family, rng: np.random.Generator) -> Draft:
    act = parse_activation(family.ask_activation[int(rng.integers(len(family.ask_activation)))])
    lo, hi = family.z_range
    z = float(grid_values(rng, lo, hi, GRIDS[family.grid], (), nonzero=True))
    zz = np.array([[z]])
    a = act.forward(zz)
    value = float(act.derivative(zz, a)[0, 0])
    exact = act.name in EXACT_ACTS

    def from_given(digits: int) -> float:  # the derivative from a rounded to `digits` figures
        shown = precision.round_sig(a, digits)
        return float(precision.round_sig(act.derivative(zz, shown), digits)[0, 0])

    asked = asked_precision(value, exact)
    answer = make_answer(value, asked, 0.0 if exact else from_given(precision.CARRY) - value)
    f = act_tex(act)
    d_tex = deriv_tex(act, "z", f"{f}(z)")
    given = [Given("z", "z", z)]
    steps = [value_step(text("kinds.derivative_rule_title"), f"{f}'(z) = {d_tex}", [{"tex": f"{f}'(z) = {d_tex}"}], value,
                   text("kinds.derivative_rule_explanation", activation=act.title), shape=[], role="rule")]
    if not exact:
        a_val = float(round_sig(a[0, 0], 4))
        given.append(Given("a", f"{f}({fmt(z)})", a_val, approx=True))
        steps.insert(0, value_step(text("kinds.activation_value_title"), f"a = {f}(z)",
                              [{"tex": f"{f}\\left({fmt(z)}\\right) \\approx"}, {"num": a_val}], a[0, 0],
                              text("kinds.activation_value_explanation"), shape=[], role="given"))
    # the rule with z (and the given a) written in: a step that shows the substitution it makes
    a_text = fmt(round_sig(a[0, 0], 4)) if not exact else f"{f}({fmt(z)})"
    filled = deriv_tex(act, fmt(z), a_text).replace(r"\odot", r"\cdot")
    steps.append(value_step(text("kinds.substitute_title"), f"{f}'({fmt(z)})",
                       [{"tex": f"{f}'\\left({fmt(z)}\\right) = {filled} ="}, {"num": value}],
                       value, text("kinds.substitute_explanation"), shape=[], role="substitute"))
    found = Distractors(answer)
    for mid, wrong in mistakes.activation_mistakes(act, z).items():
        found.add(wrong, mid)
    require(found.kept, family.min_distractors)
    if not exact:
        found.add(from_given(precision.EARLY), "rounded_too_early", strict=False)
    context = {"z": fmt(z), "activation": act.title, "activation_latex": f,
               "asked": f"{f}'\\left({fmt(z)}\\right)", "asked_text": f"{act.label}'({fmt(z)})", "param": act.param}
    return Draft(answer=answer, steps=steps, given=given, context=context, distractors=found.kept)


KIND = register(Kind("activation_derivative", build, lambda: DEFAULTS["activation_derivative"], flashcard=True,
                     sized=False))  # no network: nothing to hold equal
