"""Kinds without a whole tape to ask about: a derivative at a point, a finite-difference check,
and the shapes table of an architecture."""

from __future__ import annotations

import copy

import numpy as np

from quizgen.bank.kinds import precision
from quizgen.bank.kinds.common import (
    EXACT_ACTS, Distractors, Draft, asked_precision, base_context, make_answer, network_given, require,
)
from quizgen.bank.latex import act_tex, deriv_tex, num_tex, sym
from quizgen.bank.question import Given, Step
from quizgen.bank.sample import Degenerate, draw_network, solved, grid_values
from quizgen.bank.spec import GRIDS, Family
from quizgen.engine import mistakes, parse_activation
from quizgen.engine.gradcheck import network_loss
from quizgen.engine.network import Notation
from quizgen.render.numbers import exact_digits, fmt, round_sig

GRADCHECK_CARRY = 6  # significant figures of J(w ± ε) that a central difference with ε ~ 0.01 needs


def _step(title, symbolic, parts, value, explanation, shape=None) -> Step:
    from quizgen.bank.latex import parts_tex

    arr = np.asarray(value, dtype=float) + 0.0
    return Step(title, symbolic, parts_tex(parts), parts, arr.tolist() if arr.ndim else float(arr),
                num_tex(arr), shape if shape is not None else list(arr.shape), explanation)


def activation_derivative(family: Family, rng: np.random.Generator) -> Draft:
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
    steps = [_step("Derivative rule", f"{f}'(z) = {d_tex}", [{"tex": f"{f}'(z) = {d_tex}"}], value,
                   f"Differentiate {act.label} in closed form.", shape=[])]
    if not exact:
        a_val = float(round_sig(a[0, 0], 4))
        given.append(Given("a", f"{f}({fmt(z)})", a_val, approx=True))
        steps.insert(0, _step("Activation value", f"a = {f}(z)",
                              [{"tex": f"{f}\\left({fmt(z)}\\right) \\approx"}, {"num": a_val}], a[0, 0],
                              "Evaluate the activation at z (given in the question).", shape=[]))
    # the rule with z (and the given a) written in: a step that shows the substitution it makes
    a_text = fmt(round_sig(a[0, 0], 4)) if not exact else f"{f}({fmt(z)})"
    filled = deriv_tex(act, fmt(z), a_text).replace(r"\odot", r"\cdot")
    steps.append(_step("Substitute", f"{f}'({fmt(z)})",
                       [{"tex": f"{f}'\\left({fmt(z)}\\right) = {filled} ="}, {"num": value}],
                       value, "Put the numbers into the rule.", shape=[]))
    found = Distractors(answer)
    for mid, wrong in mistakes.activation_mistakes(act, z).items():
        found.add(wrong, mid)
    require(found.kept, family.min_distractors)
    if not exact:
        found.add(from_given(precision.EARLY), "rounded_too_early", strict=False)
    context = {"z": fmt(z), "activation": act.label, "activation_latex": f,
               "asked": f"{f}'\\left({fmt(z)}\\right)", "asked_text": f"{act.label}'({fmt(z)})", "param": act.param}
    return Draft(answer=answer, steps=steps, given=given, context=context, distractors=found.kept)


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


def gradient_check(family: Family, rng: np.random.Generator) -> Draft:
    net = draw_network(family, rng)
    tape = solved(net)
    W = net.layers[0].W  # internal (out, in)
    r, c = (int(rng.integers(W.shape[0])), int(rng.integers(W.shape[1])))
    eps = family.eps
    analytic = float(tape.layers[0].dW[r, c])
    if abs(analytic) < 0.05:
        raise Degenerate("the checked gradient is too small to estimate by hand")
    probe = copy.deepcopy(net)
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
        _step("Loss with the weight nudged up", f"J^{{+}} = J({wsym} + \\varepsilon)",
              [{"tex": f"J({wsym} + {fmt(eps)}) {rel}"}, {"num": shown_plus}], shown_plus,
              "Run the forward pass again with the one weight increased by ε.", shape=[]),
        _step("Loss with the weight nudged down", f"J^{{-}} = J({wsym} - \\varepsilon)",
              [{"tex": f"J({wsym} - {fmt(eps)}) {rel}"}, {"num": shown_minus}], shown_minus,
              "The same with the weight decreased by ε.", shape=[]),
        _step("Central difference", r"\frac{J^{+} - J^{-}}{2\varepsilon}",
              [{"tex": "("}, {"num": shown_plus}, {"tex": "-"}, {"num": shown_minus},
               {"tex": f") / (2 \\cdot {fmt(eps)}) ="}, {"num": shown_quotient}], shown_quotient,
              "Divide the change in loss by the total width 2ε.", shape=[]),
        _step("Compare with backprop", f"\\frac{{\\partial J}}{{\\partial {wsym}}}",
              [{"tex": f"\\frac{{\\partial J}}{{\\partial {wsym}}} ="}, {"num": analytic}], analytic,
              f"Backprop gives {fmt(analytic)}; the relative difference "
              f"{fmt(abs(estimate - analytic) / abs(analytic), 2)} is tiny, so the gradient checks out.", shape=[]),
    ]
    found = Distractors(answer)
    found.add((j_plus - j_minus) / eps, "eps_not_doubled")
    found.add((j_minus - j_plus) / (2 * eps), "difference_reversed")
    require(found.kept, family.min_distractors)
    found.add(quotient(precision.CARRY), "rounded_too_early", strict=False)
    context = base_context(net)
    context.update(asked=f"\\frac{{J({wsym} + \\varepsilon) - J({wsym} - \\varepsilon)}}{{2\\varepsilon}}",
                   asked_text=f"the central-difference estimate of ∂J/∂W1({fr + 1},{fc + 1})",
                   eps=fmt(eps), entry=f"{fr + 1},{fc + 1}")
    return Draft(answer=answer, steps=steps, given=network_given(net), context=context,
                 problem=net.to_problem(), target=None, distractors=found.kept)


def shapes_table(family: Family, rng: np.random.Generator) -> Draft:
    notation = Notation(family.notation)
    sizes = [int(rng.integers(family.inputs[0], family.inputs[1] + 1))]
    sizes += [int(rng.integers(lo, hi + 1)) for lo, hi in family.hidden]
    sizes.append(int(rng.integers(family.outputs[0], family.outputs[1] + 1)))
    m = int(rng.integers(family.batch[0], family.batch[1] + 1))
    rows, names = [], []
    rows.append(list(notation.data_shape(sizes[0], m)))
    names.append(("X", "X"))
    for l, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:]), start=1):
        for name, shape in (("W", notation.weight_shape(n_in, n_out)),
                            ("b", notation.data_shape(n_out, 1)),
                            ("Z", notation.data_shape(n_out, m)),
                            ("A", notation.data_shape(n_out, m))):
            if name == "b" and not family.bias:
                continue
            rows.append(list(shape))
            names.append((f"{name}{l}", sym(name, l)))
    value = np.array(rows, dtype=float)
    answer = make_answer(value, precision.precision("exact"))
    other = Notation.ROW if notation is Notation.COLUMN else Notation.COLUMN
    found = Distractors(answer)
    found.add(value[:, ::-1], "other_notation_shapes")
    listing = ", ".join(f"${tex}$" for _, tex in names)
    steps = []
    for (plain, tex), shape in zip(names, rows):
        why = {"X": "one " + ("column" if notation is Notation.COLUMN else "row") + " per example",
               "W": "(units in, units out)" if notation is Notation.ROW else "(units out, units in)",
               "b": "one entry per unit, broadcast over the batch",
               "Z": "one " + ("column" if notation is Notation.COLUMN else "row") + " per example",
               "A": "same shape as Z (activations act entrywise or per example)"}[plain[0]]
        size = f"{shape[0]} \\times {shape[1]}"  # rows × columns, not a [rows; columns] vector
        steps.append(Step(f"Shape of {plain}", f"{tex} \\in \\mathbb{{R}}^{{{size}}}", f"{tex}: {size}",
                          [{"tex": f"{tex}:"}, {"tex": size}], None, size, None, f"{plain}: {why}."))
    steps.append(_step("Gradients", r"\mathrm{d}W^{[l]} \text{ has the shape of } W^{[l]}",
                       [{"tex": r"\mathrm{d}W^{[l]} \sim W^{[l]},\ \mathrm{d}b^{[l]} \sim b^{[l]}"}], value,
                       "Every gradient has exactly the shape of the quantity it differentiates.",
                       shape=list(value.shape)))
    context = {"notation": notation.value, "m": m, "L": len(sizes) - 1, "sizes": sizes,
               "asked": listing, "asked_text": "the shape (rows, columns) of " + ", ".join(p for p, _ in names),
               "network": "$" + " \\to ".join(str(s) for s in sizes) + "$"}
    del other
    return Draft(answer=answer, steps=steps, given=[], context=context, distractors=found.kept)
