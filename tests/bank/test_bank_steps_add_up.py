"""Regression guard: every worked step, recomputed from the numbers it displays, gives the result
it displays (issue 14 "steps that add up"), and an exact question never shows a rounded value.

A student checks a step with the numbers on the page, not with the engine's floats, so each
number is taken as `fmt` shows it. A step's tolerance is its question's: the exact grid's for an
exact network (ReLU, leaky ReLU, identity), the 4-digit one otherwise.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from quizgen.bank.generate import variant
from quizgen.bank.kinds.common import EXACT_ACTS, is_exact
from quizgen.bank.load import load_bank
from quizgen.engine import graph, parse_activation
from quizgen.engine.backprop import CORRECT, solve
from quizgen.engine.gradcheck import network_loss
from quizgen.engine.network import Notation
from quizgen.problem import parse_problem
from quizgen.render.numbers import fmt
from quizgen.messages.text import say

# A step's own tolerance (rtol, atol): exact grid arithmetic, or values carried at 4 significant digits.
EXACT_TOL = (1e-3, 5e-4)
ROUNDED_TOL = (2e-2, 2e-3)

FAMILIES = load_bank("question_bank")
VARIANTS = [(seed, index) for seed in (0, 7) for index in range(6)]
LABELS = "ABCDEFGH"


def shown(value) -> np.ndarray:
    """A value as the page shows it, read back as a number."""
    return np.vectorize(lambda x: float(fmt(x)), otypes=[float])(np.asarray(value, dtype=float))


def nums(step) -> list[np.ndarray]:
    return [shown(p["num"]) for p in step.parts if "num" in p]


class Recompute:
    """What one question's steps should show, computed from the numbers shown before them."""

    def __init__(self, q, family):
        self.q, self.family = q, family
        self.net = parse_problem(q.problem) if q.problem else None
        self.col = self.net is None or self.net.notation is Notation.COLUMN
        self.last_result = None  # the previous step's shown result
        self.act_results: dict[int, np.ndarray] = {}  # layer -> shown output of its last activation

    def internal(self, arr):
        return self.net.notation.orient(np.asarray(arr))

    def step(self, s, title: str):
        """The recomputed value of step s read as `title`, or None for a step without arithmetic."""
        n = nums(s)
        if self.q.kind == "softmax_jacobian":
            return jacobian_line(title, n, self.q)
        if self.q.kind == "vanishing_gradient":
            return vanishing_line(title, n, self.q)
        if self.q.kind == "conv_pool":  # one line per entry, from its shown numbers
            return conv_pool_line(title, n)
        if m := re.match(r"Forward through the (\S+) gate", title):  # computational_graph
            op = {"multiply": "mul"}.get(m.group(1), m.group(1))
            return graph.apply(op, [float(x) for x in n[:-1]])
        if title.startswith("Back through the ") and self.q.kind == "computational_graph":
            return n[0] * n[1]  # local gradient × upstream
        if title == "Sum over the paths":
            return sum(n[:-1])
        if title == "Loss, after the update":  # training_iteration: the second forward pass's loss
            return self.net.loss.value(self.internal(n[0]), self.internal(n[1]))
        if title == "Loss decrease":
            return n[0] - n[1]
        if title.startswith("Parameters of layer"):  # parameter_count: the layer's formula, then its count
            has_bias = any(p.get("tex") == "+" for p in s.parts)
            factors = n[:-2] if has_bias else n[:-1]
            return np.prod(factors) + (n[-2] if has_bias else 0)
        if title == "Total parameters":
            return sum(n[:-1])
        if m := re.match(r"Pre-activation of layer (\d+)", title):
            return n[0] @ n[1] + (n[2] if len(n) > 2 else 0.0)
        if m := re.match(r"Activation (\S+) of layer (\d+)", title):
            act = parse_activation(m.group(1))
            return self.internal(act.forward(self.internal(n[0])))
        if title == "Loss":
            return self.net.loss.value(self.internal(n[0]), self.internal(n[1]))
        if title == "Output error":
            mean = r"\frac{1}{m}" in s.parts[0]["tex"]
            return (n[0] - n[1]) / (self.net.m if mean else 1)
        if title == "Loss gradient at the output":
            A = self.act_results[len(self.net.layers)]
            return self.internal(CORRECT.output_gradient(self.net.loss, self.internal(A), self.net.Y))
        if m := re.match(r"Back through (\S+) \(layer (\d+)\)", title):
            if len(n) == 2:
                return n[0] * n[1]
            act = parse_activation(m.group(1))  # softmax: the Jacobian from the shown output and upstream
            a = self.internal(self.act_results[int(m.group(2))])
            return self.internal(CORRECT.activation_backward(int(m.group(2)), act, None, a,
                                                             self.internal(self.last_result)))
        if title.startswith("Regularized weight gradient"):  # issue 20: dZ·Aᵀ + (λ/m)·W, λ and W shown
            return n[0] @ n[1] + n[2] * self.net.loss.scale(self.net.m) * n[3]
        if title == "L2 penalty":
            return n[0] * self.net.loss.scale(self.net.m) / 2 * sum(n[1:])
        if title == "Regularized loss":
            return n[0] + n[1]
        if title == "Shift by the largest logit":
            if n[1].ndim == 2:  # shown as a row (column notation) or a column (row notation): it broadcasts
                return n[0] - n[1]
            return n[0] - (n[1][None, :] if self.col else n[1][:, None])  # each example's largest logit
        if title == "Log-sum-exp of the shifted logits":
            return np.log(np.exp(n[0]).sum(axis=0 if self.col else 1))
        if title == "Loss from the log-sum-exp":
            return (n[0] - n[1]).sum() * self.net.loss.scale(self.net.m)
        if title == "Relative error":
            return abs(n[0] - n[1]) / (abs(n[2]) + abs(n[3]))
        if title.startswith(("Gradient reaching", "Weight gradient", "Gradient with respect to the input")):
            return n[0] @ n[1]
        if title.startswith("Bias gradient"):
            return n[0].sum(axis=1 if self.col else 0)
        if title.startswith("SGD update"):
            return n[0] - self.net.learning_rate * n[1]
        if title == "Read off the entry":
            path = self.q.target.split(".")
            index = tuple(int(i) for i in path[3 if path[0] == "layers" else 1:])
            return self.last_result[index]
        if title.startswith("Loss with the weight nudged"):
            return self.nudged(+1 if title.endswith("up") else -1)
        if title == "Central difference":
            return (n[0] - n[1]) / (2 * self.family.eps)
        if title == "Compare with backprop":
            return solve(self.net).layers[0].dW[self.entry()]
        if m := re.match(r"Update \d+: (.+)", title):  # optimizer_step: each line of the rule, from its numbers
            return optimizer_line(m.group(1), n)
        if title == "Activation value":
            act, z = self.pointwise()
            return act.forward(np.array([[z]]))[0, 0]
        if title == "Substitute":
            act, z = self.pointwise()
            a = self.act_results.get(0, act.forward(np.array([[z]]))[0, 0])  # the shown σ(z) if any
            return act.derivative(np.array([[z]]), np.array([[a]]))[0, 0]
        return None

    def entry(self) -> tuple[int, int]:
        fr, fc = (int(i) - 1 for i in re.search(r"W\^\{\[1\]\}_\{(\d+),(\d+)\}", self.q.steps[0].symbolic).groups())
        return (fr, fc) if self.col else (fc, fr)

    def nudged(self, sign: int) -> float:
        import copy

        r, c = self.entry()
        probe = copy.deepcopy(self.net)
        probe.layers[0].W[r, c] += sign * self.family.eps
        return network_loss(probe)

    def pointwise(self):
        z = next(g.value for g in self.q.given if g.name == "z")
        spec = re.search(r"derivative of (\S+) at", say(self.q.prompt)).group(1)
        return parse_activation(spec), z

    def exact(self) -> bool:
        if self.q.kind == "activation_derivative":
            return self.pointwise()[0].name in EXACT_ACTS
        if self.q.kind == "computational_graph":
            return graph.CIRCUITS[self.family.table["circuit"]].exact
        if self.q.kind == "parameter_count":
            return True
        if self.q.kind in ("softmax_jacobian", "vanishing_gradient"):  # exact when given tenths, ReLU or a bound
            return self.q.answer.precision["rule"] == "exact"
        return self.net is not None and is_exact(self.net)


def optimizer_line(line: str, n: list) -> float | None:
    """One line of an optimizer's update (engine/optimizers.py), recomputed from its shown numbers."""
    if line in ("velocity",):
        return n[0] * n[1] - n[2] * n[3]
    if line == "momentum update":
        return n[0] + n[1]
    if line == "SGD update":
        return n[0] - n[1] * n[2]
    if line == "gradient with weight decay":
        return n[0] + n[1] * n[2]
    if line == "first moment":
        return n[0] * n[1] + n[2] * n[3]
    if line == "squared-gradient average":
        return n[0] * n[1] + n[2] * n[3] ** 2
    if line.startswith("bias-corrected"):
        return n[0] / n[1]
    if line in ("RMSProp update", "Adam update"):
        return n[0] - n[1] * n[2] / (np.sqrt(n[3]) + n[4])
    raise AssertionError(f"an optimizer step this test does not know: {line}")


def jacobian_line(title: str, n: list, q) -> float | None:
    """One step of a softmax_jacobian solution (engine/jacobian.py), recomputed from its shown numbers."""
    units = 0 if n[0].ndim < 2 or q.notation != "row" else 1  # a batch's class axis: down columns, along rows
    if title == "Shift the logits by their largest":
        return n[0] - n[1]
    if title == "Exponentiate":
        return np.exp(n[0])
    if title == "Sum the exponentials":
        return n[0].sum(axis=units, keepdims=n[0].ndim == 2)
    if title == "Divide by the sum":
        return n[0] / n[1]
    if title.startswith("Diagonal entry"):
        return n[0] * (1 - n[1])
    if title.startswith("Off-diagonal entry"):
        return -(n[0] * n[1])
    if title == "The whole Jacobian":
        return None  # the entries above, placed
    if title == "Send the upstream gradient back through the Jacobian":
        return n[0].T @ n[1]
    if title == "Each example's inner product":
        return (n[0] * n[1]).sum(axis=units, keepdims=True)
    if title == "Gradient at the logits":
        return n[0] * (n[1] - n[2])
    raise AssertionError(f"a softmax_jacobian step this test does not know: {title}")


def vanishing_line(title: str, n: list, q) -> float | None:
    """One step of a vanishing_gradient solution (engine/vanishing.py), recomputed from its shown numbers."""
    if re.match(r"Unit \d+: pre-activation", title):
        return n[0] * n[1] + (n[2] if len(n) == 4 else 0.0)
    if re.match(r"Unit \d+: activation", title):
        name = next(m.group(1) for s in q.steps if (m := re.match(r"Back through (\S+) unit", say(s.title))))
        return parse_activation(name.lower()).forward(np.array([[float(n[0])]]))[0, 0]
    if title.startswith("Start"):
        return None  # the seed: 1 or the given g
    if re.match(r"Back through sigmoid unit", title):
        return n[0] * (1 - n[1]) * n[2] * n[3]
    if re.match(r"Back through tanh unit", title):
        return (1 - n[0] ** 2) * n[1] * n[2]
    if re.match(r"Back through ReLU unit", title):
        return n[0] * n[1] * n[2]
    if title == "Multiply the local factors":
        return np.prod(n[:-1])
    if title == "The factor the gradient is scaled by":
        return abs(n[0])
    if title == "The largest local gradient":
        return n[0] * (1 - n[1])
    if title == "The bound":
        return n[0] ** (len(n) - 2) * np.prod(np.abs(n[1:-1]))
    raise AssertionError(f"a vanishing_gradient step this test does not know: {title}")
def conv_pool_line(title: str, n: list):
    """One line of a conv_pool solution (bank/kinds/conv_steps.py), recomputed from its shown numbers."""
    if title == "Output length":
        return np.floor((n[0] - n[1]) / n[2]) + 1
    if title.startswith("Pooled entry"):
        return max(n[:-1])
    if title == "ReLU":
        return np.maximum(n[0], 0.0)
    if title == "Through the ReLU":
        return n[0] * n[1]
    if title == "The whole input gradient":  # 2-D pooling: the routed entries placed, zeros elsewhere
        return None
    if title.startswith(("Bias gradient", "Routed gradient")):
        return sum(n[:-1], 0.0)
    if title.startswith(("Output entry", "Kernel gradient entry", "Input gradient entry")):
        terms = n[:-1]  # pairs multiplied, then the bias (an odd count)
        return sum(a * b for a, b in zip(terms[0::2], terms[1::2])) + (terms[-1] if len(terms) % 2 else 0.0)
    raise AssertionError(f"a conv_pool step this test does not know: {title}")


def step_kind(q, s) -> str:
    """The arithmetic a step performs (a restated step does what the step it restates did)."""
    if m := re.match(r"The error is in step ([A-H])", say(s.title)):
        return say(q.steps[LABELS.index(m.group(1))].title)
    return say(s.title)


def failures(q, family) -> list[str]:
    check = Recompute(q, family)
    rtol, atol = EXACT_TOL if check.exact() else ROUNDED_TOL
    bad = []
    for i, s in enumerate(q.steps):
        kind = step_kind(q, s)
        if s.result is None:
            continue
        want = check.step(s, kind)
        got = shown(s.result)
        if want is not None:
            want = np.asarray(want, dtype=float)
            if want.shape != got.shape or not np.all(np.abs(want - got) <= atol + rtol * np.abs(got)):
                bad.append(f"{q.id} step {i + 1} '{s.title}': shows {got.tolist()}, its numbers give "
                           f"{np.round(want, 6).tolist()}")
        if kind == "Activation value":
            check.act_results[0] = float(got)
        if re.match(r"Activation \S+ of layer (\d+)", kind):
            check.act_results[int(re.match(r"Activation \S+ of layer (\d+)", kind).group(1))] = got
        if s.result is not None and not kind.startswith("The error"):
            check.last_result = got
    return bad


def short_decimal(x: float) -> bool:
    """x is a decimal of at most 9 significant digits (up to float noise), so it can be shown whole."""
    return any(abs(float(f"{x:.{k}g}") - x) <= 2e-15 * abs(x) for k in range(1, 10))


def rounded_exact(q) -> list[str]:
    """Values an exact question shows rounded although a short decimal writes them exactly."""
    bad = []
    for s in q.steps:
        values = [p["num"] for p in s.parts if "num" in p] + ([s.result] if s.result is not None else [])
        for v in values:
            for x in np.ravel(np.asarray(v, dtype=float)):
                if short_decimal(float(x)) and abs(float(fmt(x)) - x) > 1e-12 * max(1.0, abs(x)):
                    bad.append(f"{q.id} '{s.title}': {x!r} shown as {fmt(x)}")
    return bad


@pytest.mark.parametrize("family", FAMILIES, ids=lambda f: f.id)
def test_every_step_recomputes_from_its_shown_numbers(family):
    bad = []
    for seed, index in VARIANTS:
        bad += failures(variant(family, index, seed), family)
    assert not bad, "\n".join(bad[:10])


@pytest.mark.parametrize("family", FAMILIES, ids=lambda f: f.id)
def test_exact_questions_never_round_an_exact_value(family):
    bad = []
    for seed, index in VARIANTS:
        q = variant(family, index, seed)
        if Recompute(q, family).exact():
            bad += rounded_exact(q)
    assert not bad, "\n".join(bad[:10])


def test_gradcheck_logistic_quotient_from_shown_losses():
    """The issue's example: (1.317 − 1.31)/0.02 was shown as 0.3655."""
    family = next(f for f in FAMILIES if f.id == "gradcheck-logistic")
    for index in range(6):
        q = variant(family, index, 0)
        diff = next(s for s in q.steps if say(s.title) == "Central difference")
        j_plus, j_minus = nums(diff)[:2]
        quotient = float((j_plus - j_minus) / (2 * family.eps))
        assert fmt(quotient) == fmt(diff.result), (q.id, fmt(j_plus), fmt(j_minus), fmt(diff.result))
