"""gradient_check: the central-difference estimate of one weight's gradient, or (its `[gradcheck]`
table's `ask`) the relative error |g − ĝ|/(|g| + |ĝ|) against a backprop gradient g that is right
or a catalogued mistake's, or the verdict that error gives under thresholds the prompt states."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from quizgen.bank.kinds import precision
from quizgen.bank.kinds.base import Kind, register, value_box
from quizgen.bank.kinds.common import Distractors, Draft, base_context, make_answer, network_given, require
from quizgen.bank.kinds.values import value_step
from quizgen.bank.latex import sym
from quizgen.bank.prompts import DEFAULTS
from quizgen.bank.sample import Degenerate, draw_network, solved
from quizgen.bank.spec import Family
from quizgen.engine.gradcheck import network_loss
from quizgen.engine.network import Network, Notation
from quizgen.messages.text import text
from quizgen.render.numbers import exact_digits, fmt, round_sig

GRADCHECK_CARRY = 6  # significant figures of J(w ± ε) that a central difference with ε ~ 0.01 needs


def loss_digits(j_plus: float, j_minus: float, eps: float, estimate: float) -> int:
    """The fewest significant digits (4 to 9) of J± whose quotient shows as the estimate does."""
    whole = [exact_digits(j) for j in (j_plus, j_minus)]
    if all(whole):  # exact losses (a ReLU network) are shown whole
        return max(4, *whole)
    want = fmt(estimate, exact=False)
    for d in range(4, 10):
        q = (float(round_sig(j_plus, d)) - float(round_sig(j_minus, d))) / (2 * eps)
        if fmt(q, exact=False) == want:
            return d
    return 9


def probe_of(net: Network) -> Network:
    """A network to nudge W1 of: `net` with its own copy of that one array (copy.deepcopy(net)
    copied every array and activation for one entry; the copy keeps W1's memory order, as
    deepcopy does, so the nudged passes give deepcopy's bits)."""
    first = net.layers[0]
    return replace(net, layers=[replace(first, W=first.W.copy(order="K")), *net.layers[1:]])


def build(family: Family, rng: np.random.Generator) -> Draft:
    if family.table.get("ask", "estimate") != "estimate":
        from quizgen.bank.kinds.relative_error import build_relative

        return build_relative(family, rng)
    net = draw_network(family, rng)
    tape = solved(net)
    W = net.layers[0].W  # internal (out, in)
    r, c = (int(rng.integers(W.shape[0])), int(rng.integers(W.shape[1])))
    eps = family.eps
    analytic = float(tape.layers[0].dW[r, c])
    if abs(analytic) < 0.05:
        raise Degenerate("reject.checked_gradient_small", key="values")
    probe = probe_of(net)
    probe.layers[0].W[r, c] += eps
    j_plus = network_loss(probe)
    probe.layers[0].W[r, c] -= 2 * eps
    j_minus = network_loss(probe)
    estimate = (j_plus - j_minus) / (2 * eps)
    # the quotient of a small difference: the losses must be carried to GRADCHECK_CARRY figures
    def quotient(digits: int) -> float:
        return float((precision.round_sig(j_plus, digits) - precision.round_sig(j_minus, digits)) / (2 * eps))

    asked = precision.precision("sig", precision.SIG, GRADCHECK_CARRY)
    answer = make_answer(estimate, asked, quotient(GRADCHECK_CARRY) - estimate)
    # the entry's place in the file's orientation
    fr, fc = (r, c) if net.notation is Notation.COLUMN else (c, r)
    wsym = sym("W", 1, f"{fr + 1},{fc + 1}")
    # J± with the digits the quotient needs: the shown losses give the shown quotient
    d = loss_digits(j_plus, j_minus, eps, estimate)
    shown_plus, shown_minus = float(round_sig(j_plus, d)), float(round_sig(j_minus, d))
    exact = abs(shown_plus - j_plus) + abs(shown_minus - j_minus) <= 1e-12 * (abs(j_plus) + abs(j_minus))
    rel = "=" if exact else r"\approx"
    # an exact difference shows whole (0.578125), without the float noise of the subtraction
    shown_quotient = float(round_sig((shown_plus - shown_minus) / (2 * eps), 12)) if exact else estimate
    steps = [
        value_step(text("kinds.nudged_up_title"), f"J^{{+}} = J({wsym} + \\varepsilon)",
              [{"tex": f"J({wsym} + {fmt(eps)}) {rel}"}, {"num": shown_plus}], shown_plus,
              text("kinds.nudged_up_explanation"), shape=[], role="check"),
        value_step(text("kinds.nudged_down_title"), f"J^{{-}} = J({wsym} - \\varepsilon)",
              [{"tex": f"J({wsym} - {fmt(eps)}) {rel}"}, {"num": shown_minus}], shown_minus,
              text("kinds.nudged_down_explanation"), shape=[], role="check"),
        value_step(text("kinds.central_difference_title"), r"\frac{J^{+} - J^{-}}{2\varepsilon}",
              [{"tex": "("}, {"num": shown_plus}, {"tex": "-"}, {"num": shown_minus},
               {"tex": f") / (2 \\cdot {fmt(eps)}) ="}, {"num": shown_quotient}], shown_quotient,
              text("kinds.central_difference_explanation"), shape=[], role="check"),
        value_step(text("kinds.compare_title"), f"\\frac{{\\partial J}}{{\\partial {wsym}}}",
              [{"tex": f"\\frac{{\\partial J}}{{\\partial {wsym}}} ="}, {"num": analytic}], analytic,
              text("kinds.compare_explanation", analytic=fmt(analytic),
                   difference=fmt(abs(estimate - analytic) / abs(analytic), 2)), shape=[], role="check"),
    ]
    found = Distractors(answer)
    found.add((j_plus - j_minus) / eps, "eps_not_doubled")
    found.add((j_minus - j_plus) / (2 * eps), "difference_reversed")
    require(found.kept, family.min_distractors)
    found.add(quotient(precision.CARRY), "rounded_too_early", strict=False)
    context = base_context(net)
    context.update(asked=f"\\frac{{J({wsym} + \\varepsilon) - J({wsym} - \\varepsilon)}}{{2\\varepsilon}}",
                   asked_text=text("prompts.asked_central_difference", row=fr + 1, col=fc + 1),
                   eps=fmt(eps), entry=f"{fr + 1},{fc + 1}")
    return Draft(answer=answer, steps=steps, given=network_given(net), context=context,
                 problem=net.to_problem(), target=None, distractors=found.kept)


def validate(c, seen: dict) -> None:
    from quizgen.bank.kinds.relative_error import validate_table

    validate_table(c, seen.get("table"))


def _box(q) -> dict:
    return {"kind": "choice"} if q.answer.kind == "choice" else value_box(q)


KIND = register(Kind("gradient_check", build, lambda: DEFAULTS["gradient_check"], validate, answer_box=_box, table="gradcheck", network_prompt=True))
