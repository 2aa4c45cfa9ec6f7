"""Losses: one registry entry per loss holds everything quizgen knows of it.

A per-example value summed over output units, reduced over examples by mean or sum. An entry
(`LossRule`) keeps the value and its gradient side by side with its notation (LaTeX, the message
key of its name, the terminal's text rule), whether its value on the grid is exact, the labels it
needs, the output activation it pairs with (the pair's dZ is A − Y), the degeneracy rule for a drawn network
(log of a value near 0) and its slips: the catalogued mistakes that apply, each with the wrong
output gradient it produces. Adding a loss is one `register(...)`.

Arrays are (units k, examples m) in the engine's internal orientation.
    mse            (1/k) Σ_j (a_j − y_j)²
    half_sse       ½ Σ_j (a_j − y_j)²
    bce            −Σ_j [y_j log a_j + (1 − y_j) log(1 − a_j)]
    cross_entropy  −Σ_j y_j log a_j
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np

from quizgen.engine.registry import Registry
from quizgen.messages import t

Array = np.ndarray
REDUCTIONS = ("mean", "sum")


@dataclass(frozen=True)
class LossRule:
    """One loss's every facet."""

    name: str
    per_example: Callable[[Array, Array], Array]  # (k, m), (k, m) -> (m,)
    local_gradient: Callable[[Array, Array], Array]  # d(per-example loss)/da, (k, m)
    tex: str  # the per-example loss with a_j, y_j
    title: str  # message key of its name as a reader sees it: "engine.loss.mse" ("mean squared error")
    text: str  # the terminal's rule for dA
    exact: bool = False  # its value is exact for exact outputs (no logarithm)
    one_hot: bool = False  # its labels are one-hot whatever the family says
    pairs_with: str | None = None  # the output activation whose pair gives dZ = (A − Y)/m
    labels: Callable[[Array], str | None] | None = None  # why labels y are not this loss's
    problem: Callable[[Array, Array], str | None] | None = None  # why it cannot be evaluated at (a, y)
    degenerate: Callable[[Array, Array], str | None] | None = None  # why (output, Y) is a poor draw
    slips: Mapping[str, Callable[[Array], Array]] = field(default_factory=dict)  # dA -> the wrong dA
    mistakes: tuple[str, ...] = ()  # further mistake ids that apply (their rule lives in mistakes.py)
    value_slips: tuple[str, ...] = ()  # mistakes about its value J (engine/loss_mistakes.py), when they apply
    from_logits: bool = False  # it takes the logits: its value is worked by log-sum-exp (bank/steps.py)

    @property
    def applies(self) -> tuple[str, ...]:
        return tuple(self.slips) + self.mistakes


RULES: Registry[LossRule] = Registry("loss")
register, unregister = RULES.register, RULES.unregister
NAMES = RULES.names()  # live: a registered loss shows up here
_rule = RULES.lookup()  # RULES[name] without a Python call: the per-array methods below use it


def _mse(a, y):
    return ((a - y) ** 2).mean(axis=0)  # .mean(): np.mean's own method, without its wrapper


# np.add.reduce(x, axis=...) is the reduction x.sum(axis=...) calls (the same bits), without
# ndarray.sum's Python-level wrapper: a loss is evaluated once or more per drawn network.
def _half_sse(a, y):
    return 0.5 * np.add.reduce((a - y) ** 2, axis=0)


def _bce(a, y):
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(y > 0, y * np.log(a), 0.0) + np.where(y < 1, (1 - y) * np.log1p(-a), 0.0)
    return -np.add.reduce(terms, axis=0)


def _cross_entropy(a, y):
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(y != 0, y * np.log(a), 0.0)
    return -np.add.reduce(terms, axis=0)


def _pull(a, y):
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(y != 0, -y / a, 0.0)  # a term whose label is 0 has no gradient


def _bce_gradient(a, y):
    with np.errstate(divide="ignore", invalid="ignore"):  # _pull's terms inline: one errstate, not two
        return np.where(y != 0, -y / a, 0.0) + np.where(y != 1, (1.0 - y) / (1.0 - a), 0.0)


def _bce_labels(y):
    return t("engine.error.bce_labels") if ((y < 0) | (y > 1)).any() else None


def _bce_problem(a, y):
    if _bce_labels(y):
        return _bce_labels(y)
    if (((a <= 0) & (y > 0)) | ((a >= 1) & (y < 1))).any():
        return t("engine.error.bce_log_zero")
    return None


def _cross_entropy_problem(a, y):
    if ((a <= 0) & (y != 0)).any():
        return t("engine.error.cross_entropy_log_zero")
    return None


def _log_near_zero(out, y):
    if ((out < 0.01) & (y > 0)).any():
        return "reject.log_near_zero"
    return None


def _bce_near_zero(out, y):
    if _log_near_zero(out, y) or ((out > 0.99) & (y < 1)).any():
        return "reject.log_near_zero"
    return None


register(LossRule(
    "mse", _mse, lambda a, y: 2.0 * (a - y) / a.shape[0],
    tex=r"\frac{1}{k}\sum_{j=1}^{k}(a_j - y_j)^2",  # k = number of outputs (stated in the prompt)
    title="engine.loss.mse", text="dA = 2(A − Y)/k", exact=True,
    slips={"factor2_dropped": lambda g: g / 2.0}, mistakes=("shortcut_on_squared_error",)))
register(LossRule(
    "half_sse", _half_sse, lambda a, y: a - y,
    tex=r"\frac{1}{2}\sum_{j}(a_j - y_j)^2", title="engine.loss.half_sse", text="dA = A − Y",
    exact=True, pairs_with="identity",
    slips={"factor2_doubled": lambda g: g * 2.0}, mistakes=("shortcut_on_squared_error",)))
register(LossRule(
    "bce", _bce, _bce_gradient,
    tex=r"-\sum_{j}\left[y_j \log a_j + (1 - y_j)\log(1 - a_j)\right]", title="engine.loss.bce",
    text="dA = −Y/A + (1 − Y)/(1 − A)", pairs_with="sigmoid", labels=_bce_labels, problem=_bce_problem,
    degenerate=_bce_near_zero, value_slips=("bce_softmax_output", "bce_no_negative_term")))
register(LossRule(
    "cross_entropy", _cross_entropy, _pull,
    tex=r"-\sum_{j} y_j \log a_j", title="engine.loss.cross_entropy", text="dA = −Y/A", one_hot=True,
    pairs_with="softmax", problem=_cross_entropy_problem, degenerate=_log_near_zero))


@dataclass(frozen=True)
class Loss:
    name: str
    reduction: str = "mean"

    @property
    def rule(self) -> LossRule:
        return _rule(self.name)

    @property
    def exact(self) -> bool:
        return _rule(self.name).exact

    def scale(self, m: int) -> float:
        """The factor the reduction applies to each example: 1/m for mean, 1 for sum."""
        return 1.0 / m if self.reduction == "mean" else 1.0

    def per_example(self, a: Array, y: Array) -> Array:
        """Loss of each example, shape (m,)."""
        return _rule(self.name).per_example(a, y)

    def value(self, a: Array, y: Array) -> float:
        return float(np.add.reduce(self.per_example(a, y), axis=None) * self.scale(a.shape[1]))  # .sum()'s reduction

    def local_gradient(self, a: Array, y: Array) -> Array:
        """d(per-example loss)/da, before the reduction's 1/m."""
        return _rule(self.name).local_gradient(a, y)

    def gradient(self, a: Array, y: Array) -> Array:
        """dJ/dA, shape (k, m), including the reduction."""
        return self.local_gradient(a, y) * self.scale(a.shape[1])

    def label_problem(self, y: Array) -> str | None:
        """Why `y` cannot be this loss's labels (bce: outside [0, 1]), or None."""
        check = _rule(self.name).labels
        return None if check is None else check(y)

    def problem_with(self, a: Array, y: Array) -> str | None:
        """Why this loss cannot be evaluated at (a, y), or None if it can."""
        check = _rule(self.name).problem
        return None if check is None else check(a, y)

    def degenerate(self, out: Array, y: Array) -> str | None:
        """Why the network's output makes a poor question under this loss (log near 0), or None."""
        check = _rule(self.name).degenerate
        return None if check is None else check(out, y)

    def pairs_with(self, act) -> bool:
        """Whether `act` (an Activation or a name) at the output pairs with this loss: dZ = A − Y."""
        return _rule(self.name).pairs_with == getattr(act, "name", act)

    def slip(self, mistake_id: str, gradient: Array) -> Array | None:
        """The output gradient a student making `mistake_id` writes, or None if it does not apply."""
        wrong = _rule(self.name).slips.get(mistake_id)
        return None if wrong is None else wrong(gradient)


def pairings() -> list[tuple[str, str]]:
    """Every (output activation, loss) pair whose dZ is A − Y, in registration order of the losses."""
    return [(r.pairs_with, r.name) for r in RULES.values() if r.pairs_with is not None]


def get_loss(name: str, reduction: str = "mean") -> Loss:
    if name not in RULES:
        raise ValueError(t("engine.error.unknown_loss", value=name, known=", ".join(NAMES)))
    if reduction not in REDUCTIONS:
        raise ValueError(t("engine.error.unknown_reduction", value=reduction))
    return Loss(name, reduction)


# --- L2 regularization and cross-entropy from logits (issue 20) --------------------------------
# The L2 penalty follows the course convention J = (1/m)Σ ℓ + (λ/2m) Σ_l ‖W_l‖² (biases are not
# penalised); under the sum reduction it is (λ/2) Σ_l ‖W_l‖². Its gradient adds (λ/m)·W to dW.
# engine/optimizers.py's weight decay λ' adds λ'/2·w² per parameter, so λ' = λ/m (mean) or λ (sum).


def l2_coefficient(l2: float, loss: Loss, m: int) -> float:
    """The factor of W in the penalty's gradient: λ/m under the mean, λ under the sum."""
    return l2 * loss.scale(m)


def l2_penalty(net) -> float:
    """(λ/2m) Σ_l ‖W_l‖² of a network (0 without an L2 coefficient)."""
    if not net.l2:
        return 0.0
    squares = sum(float((layer.W ** 2).sum()) for layer in net.layers)
    return 0.5 * l2_coefficient(net.l2, net.loss, net.m) * squares


def objective(net, A: Array) -> float:
    """J: the data loss of output `A` plus the network's L2 penalty."""
    data = net.loss.value(A, net.Y)
    return data + l2_penalty(net) if net.l2 else data


def log_sum_exp(z: Array) -> Array:
    """log Σ_j e^{z_j} per example (column), stable: shifted by the largest logit, shape (m,)."""
    top = z.max(axis=0)
    return top + np.log(np.exp(z - top).sum(axis=0))


def softmax_of(z: Array) -> Array:
    """softmax over units (axis 0), shifted by the largest logit."""
    e = np.exp(z - z.max(axis=0))
    return e / e.sum(axis=0)


def _ce_logits(z, y):
    return log_sum_exp(z) * y.sum(axis=0) - (y * z).sum(axis=0)


def _ce_logits_gradient(z, y):
    return softmax_of(z) * y.sum(axis=0) - y


register(LossRule(
    "cross_entropy_logits", _ce_logits, _ce_logits_gradient,
    tex=r"\log\sum_{j} e^{a_j} - \sum_{j} y_j a_j", title="engine.loss.cross_entropy_logits",
    text="dA = softmax(A) − Y", one_hot=True, from_logits=True,
    value_slips=("lse_max_only", "lse_no_exp", "lse_shift_not_added_back")))
