"""gradient_check's relative-error and verdict modes: is a backprop gradient right?

The question gives J(w), J(w + ε), J(w − ε) for one entry w of W1 and a backprop value g of ∂J/∂w
that is the right one or a catalogued mistake's (a buggy backward pass). The student forms the
central difference ĝ, then the relative error |g − ĝ|/(|g| + |ĝ|), and (verdict mode) reads it
against the thresholds the prompt states. Every number is computed from the numbers shown.
"""

from __future__ import annotations

import numpy as np

from quizgen.bank.kinds import precision
from quizgen.bank.kinds.gradient_check import probe_of
from quizgen.bank.kinds.common import Distractors, Draft, base_context, make_answer, network_given, require
from quizgen.bank.kinds.values import value_step
from quizgen.bank.latex import sym
from quizgen.bank.question import Answer, Choice, Distractor, Given
from quizgen.bank.sample import Degenerate, draw_network, solved
from quizgen.bank.spec import Family
from quizgen.datafile import key_name
from quizgen.bank.fields import add_known
from quizgen.engine import mistakes
from quizgen.engine.gradcheck import network_loss
from quizgen.engine.network import Notation
from quizgen.messages import t
from quizgen.messages.text import text
from quizgen.render.numbers import fmt, round_sig

MODES = ("estimate", "relative_error", "verdict")
BACKPROP = ("correct", "buggy")
SHOWN_LOSS = 8  # significant figures of J, J± shown: ĝ from them is good to ~1e-6
SHOWN_GRADIENT = 6  # significant figures of the backprop gradient g shown
DEFAULTS = {"ok": 1e-4, "bug": 1e-2}  # below ok: correct; above bug: a bug (ε = 0.01 truncates at ~ε²)
VERDICTS = ("correct", "unsure", "bug")
LABELS = "ABC"
# the misreading behind a wrong option no computed mistake leads to (the call is never "unsure")
MISREAD = {"correct": "verdict_missed_bug", "unsure": "verdict_inconclusive", "bug": "verdict_false_alarm"}
KEYS = {"ask", "backprop", "ok", "bug"}

# |g − ĝ|/(|g| + |ĝ|) with its bars as fences: a bare "|" between two terms is set as an infix
# relation, spaced "|g | + | ĝ|". The symbolic form is one TeX piece (\left|…\right|); the
# substituted one has its numbers as parts, so each bar is a piece of its own, \lvert or \rvert.
RELATIVE = r"\frac{\left| g - \hat{g} \right|}{\left| g \right| + \left| \hat{g} \right|}"
OPEN, CLOSE = {"tex": r"\lvert"}, {"tex": r"\rvert"}


def validate_table(c, table) -> None:
    """The [gradcheck] table: ask mode, which backprop gradients to draw, the two thresholds."""
    if table is None:
        return
    if not isinstance(table, dict):
        c.add("gradcheck", t("kinds.gradcheck_table"))
        return
    for key in sorted(set(table) - KEYS, key=str):
        add_known(c, f"gradcheck.{key_name(key)}", "kinds.gradcheck_unknown_key", sorted(KEYS))
    ask = table.get("ask", "estimate")
    if ask not in MODES:
        add_known(c, "gradcheck.ask", "kinds.gradcheck_ask", MODES, value=str(ask)[:40])
    backprop = table.get("backprop", "correct|buggy")
    if not isinstance(backprop, str) or not set(backprop.split("|")) <= set(BACKPROP):
        c.add("gradcheck.backprop", t("kinds.gradcheck_backprop", value=str(backprop)[:40]))
    for key in ("ok", "bug"):
        v = table.get(key, DEFAULTS[key])
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not 0 < v < 1:
            c.add(f"gradcheck.{key}", t("kinds.gradcheck_threshold", value=str(v)[:40]))
    ok, bug = table.get("ok", DEFAULTS["ok"]), table.get("bug", DEFAULTS["bug"])
    if isinstance(ok, (int, float)) and isinstance(bug, (int, float)) and not ok < bug:
        c.add("gradcheck.bug", t("kinds.gradcheck_order"))


def _shown(x: float, digits: int) -> float:
    return float(round_sig(x, digits))


def relative(g: float, estimate: float) -> float:
    """|g − ĝ| / (|g| + |ĝ|)."""
    return abs(g - estimate) / (abs(g) + abs(estimate))


def verdict(rel: float, ok: float, bug: float) -> str:
    return "correct" if rel < ok else "bug" if rel > bug else "unsure"


def build_relative(family: Family, rng: np.random.Generator) -> Draft:
    table = family.table
    mode, eps = table.get("ask"), family.eps
    ok, bug = float(table.get("ok", DEFAULTS["ok"])), float(table.get("bug", DEFAULTS["bug"]))
    options = table.get("backprop", "correct|buggy").split("|")
    net = draw_network(family, rng)
    tape = solved(net)
    W = net.layers[0].W  # internal (out, in)
    r, c = int(rng.integers(W.shape[0])), int(rng.integers(W.shape[1]))
    right = float(tape.layers[0].dW[r, c])
    if abs(right) < 0.05:
        raise Degenerate("reject.checked_gradient_small", key="values")
    backprop, slip = options[int(rng.integers(len(options)))], None
    g_true = right
    if backprop == "buggy":  # a catalogued mistake's dW1 entry: a real buggy backward pass
        wrong = []
        for mistake in mistakes.CATALOG.values():
            try:
                value = float(mistake.backward(tape).layers[0].dW[r, c])  # internal orientation, as r, c
            except (mistakes.NotApplicable, KeyError, IndexError, TypeError, ValueError):
                continue
            if np.isfinite(value) and abs(value - right) > 0.05 * abs(right):
                wrong.append((mistake.id, value))
        if not wrong:
            raise Degenerate("reject.no_slip_checked", key="gradcheck")
        slip, g_true = wrong[int(rng.integers(len(wrong)))]
    probe = probe_of(net)
    j0 = network_loss(probe)
    probe.layers[0].W[r, c] += eps
    j_plus = network_loss(probe)
    probe.layers[0].W[r, c] -= 2 * eps
    j_minus = network_loss(probe)
    J0, Jp, Jm = (_shown(j, SHOWN_LOSS) for j in (j0, j_plus, j_minus))
    g = _shown(g_true, SHOWN_GRADIENT)
    estimate = float(round_sig((Jp - Jm) / (2 * eps), 12))
    rel = relative(g, estimate)
    call = verdict(rel, ok, bug)
    if call == "unsure" or (backprop == "correct") != (call == "correct"):
        raise Degenerate("reject.verdict_unclear", key="gradcheck")  # a draw whose verdict is clear

    fr, fc = (r, c) if net.notation is Notation.COLUMN else (c, r)
    wsym = sym("W", 1, f"{fr + 1},{fc + 1}")
    steps = [
        value_step(text("kinds.central_difference_title"), r"\hat{g} = \frac{J^{+} - J^{-}}{2\varepsilon}",
                   [{"tex": r"\hat{g} = ("}, {"num": Jp}, {"tex": "-"}, {"num": Jm},
                    {"tex": f") / (2 \\cdot {fmt(eps)}) ="}, {"num": estimate}], estimate,
                   text("kinds.central_difference_explanation"), shape=[], role="check"),
        value_step(text("kinds.relative_error_title"), RELATIVE,
                   [OPEN, {"num": g}, {"tex": "-"}, {"num": estimate}, CLOSE, {"tex": "/ ("}, OPEN, {"num": g}, CLOSE,
                    {"tex": "+"}, OPEN, {"num": estimate}, CLOSE, {"tex": ") ="}, {"num": rel}], rel,
                   text("kinds.relative_error_explanation"), shape=[], role="check"),
    ]
    context = base_context(net)
    context.update(eps=fmt(eps), entry=f"{fr + 1},{fc + 1}", ok=fmt(ok), bug=fmt(bug),
                   asked=RELATIVE, asked_text=text("prompts.asked_relative_error"),
                   known=f"\\frac{{\\partial J}}{{\\partial {wsym}}}")
    given = network_given(net) + [
        Given("g", "g", g), Given("J", "J(w)", J0), Given("J_plus", r"J(w + \varepsilon)", Jp),
        Given("J_minus", r"J(w - \varepsilon)", Jm)]
    # the mistakes a checker makes, each giving its own relative error
    one_sided = (Jp - J0) / eps
    wrong_rel = [("one_sided_difference", relative(g, one_sided)), ("eps_not_doubled", relative(g, (Jp - Jm) / eps)),
                 ("absolute_error", abs(g - estimate)), ("difference_reversed", relative(g, -estimate))]
    prompt = [text("prompts.network"), text(f"prompts.gradient_check_{mode}")]
    if slip and mode == "relative_error":
        steps[-1].explanation = text("kinds.verdict_bug_cause", first=steps[-1].explanation,
                                     name=mistakes.describe(slip).name)
    if mode == "relative_error":
        answer = make_answer(rel, precision.precision("sig", precision.SIG, None))
        found = Distractors(answer)
        for mid, value in wrong_rel:
            found.add(value, mid)
        require(found.kept, family.min_distractors)
        return Draft(answer=answer, steps=steps, given=given, context=context, problem=net.to_problem(),
                     target=None, distractors=found.kept, prompt=prompt)
    # verdict: the three readings of the thresholds, each wrong one known by a mistake that leads to it
    threshold = fmt(ok if call == "correct" else bug)
    steps.append(value_step(text("kinds.verdict_title"),
                            RELATIVE + (f" < {threshold}" if call == "correct"
                                                                        else f" > {threshold}"),
                            [{"tex": RELATIVE + " ="}, {"num": rel}], rel,
                            text(f"kinds.verdict_{call}", ok=fmt(ok), bug=fmt(bug)), shape=[], role="check"))
    leads = {verdict(value, ok, bug): mid for mid, value in reversed(wrong_rel)}
    choices, distractors = [], []
    for label, name in zip(LABELS, VERDICTS):
        mid = None if name == call else leads.get(name, MISREAD[name])
        why = None
        if mid:
            m = mistakes.describe(mid)
            why = text("kinds.formula_choice_rationale", name=m.name, explanation=m.explanation)
            if all(d.mistake != mid for d in distractors):  # one wrong answer per mistake
                distractors.append(Distractor(None, mid, m.name, m.explanation))
        choices.append(Choice(label, text(f"kinds.verdict_option_{name}", ok=fmt(ok), bug=fmt(bug)), name == call,
                              mid, why))
    right_label = next(ch.label for ch in choices if ch.correct)
    answer = Answer("choice", right_label, right_label, right_label)
    if slip:  # the slip behind a buggy g is named in the last step
        steps[-1].explanation = text("kinds.verdict_bug_cause", first=steps[-1].explanation,
                                     name=mistakes.describe(slip).name)
    return Draft(answer=answer, steps=steps, given=given, context=context, problem=net.to_problem(), target=None,
                 distractors=distractors, choices=choices, prompt=prompt)
