"""The mistake catalog: each misconception is a variant of the backward pass.

A mistake overrides exactly one rule of `Backward`, so the wrong answer it produces is computed,
never typed in. `applies(net)` says whether the network has the part the mistake is about (a
sigmoid to confuse with tanh, a batch to forget 1/m over); whether the wrong number differs from
the right one is decided by whoever asks, at the grading tolerance.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from quizgen.engine.activations import RULES as ACTIVATION_RULES, Activation
from quizgen.engine.graph import MISTAKES as GRAPH_MISTAKES
from quizgen.engine.counting import SLIPS as COUNTING_SLIPS
from quizgen.engine.training import SLIPS as TRAINING_SLIPS
from quizgen.engine.layers import TYPES as LAYER_TYPES
from quizgen.engine.jacobian import OWN as JACOBIAN_MISTAKES
from quizgen.engine.vanishing import OWN as VANISHING_MISTAKES
from quizgen.engine.backprop import Backward, solve_backward, solve_forward
from quizgen.engine.losses import Loss
from quizgen.engine.network import Network
from quizgen.engine.tape import Tape
from quizgen.messages.text import text


class NotApplicable(Exception):
    """The mistake cannot be made on this network (e.g. the shapes would not multiply)."""


class _Worded:
    """A catalogued mistake's words, as texts keyed by its id (mistakes.toml), worded by writers."""

    id: str

    @property
    def name(self) -> dict:
        """Completes "this is what you get if you ..."."""
        return text(f"mistakes.{self.id}.name")

    @property
    def explanation(self) -> dict:
        """What the student did, in words a student understands."""
        return text(f"mistakes.{self.id}.explanation")


@dataclass(frozen=True)
class Mistake(_Worded):
    id: str
    rules: type[Backward]

    def applies(self, net: Network) -> bool:
        return self.rules.applies(net)

    def solve(self, net: Network, reuse: Tape | None = None, stop: int = 0, only: int | None = None) -> Tape:
        """The tape a student making this mistake would write; NotApplicable if they cannot.

        `reuse`: a correct tape of `net`, whose forward pass is shared; `stop`: the lowest layer
        index needed (see backprop.backward); `only`: make the mistake in that layer index alone
        and do every other layer right (a derivation with exactly one wrong step).
        """
        with np.errstate(all="ignore"):
            shared = self._forward(net) if reuse is None else Tape(network=net, layers=reuse.layers, loss=reuse.loss)
            return self.backward(shared, stop=stop, only=only)

    def _forward(self, net: Network) -> Tape:
        if not self.applies(net):
            raise NotApplicable(self.id)
        try:
            return solve_forward(net)
        except ValueError as exc:  # shapes that do not multiply
            raise NotApplicable(f"{self.id}: {exc}") from None

    def backward(self, tape: Tape, stop: int = 0, only: int | None = None, need: str | None = None) -> Tape:
        """`solve` reusing `tape`, a correct tape, without setting np.errstate (the caller holds it);
        `need`: the one quantity the caller reads (see backprop.backward)."""
        if not self.applies(tape.network):
            raise NotApplicable(self.id)
        return self.applied(tape, stop, only, need)

    def applied(self, tape: Tape, stop: int = 0, only: int | None = None, need: str | None = None) -> Tape:
        """`backward` for a caller that has checked `applies` itself (no exception per mistake
        that does not apply, the common case)."""
        rules = self.rules() if only is None else in_one_layer(self.rules, only, len(tape.network.layers) - 1)
        try:
            return solve_backward(tape, rules, stop=stop, correct=True, need=need)
        except ValueError as exc:  # shapes that do not multiply
            raise NotApplicable(f"{self.id}: {exc}") from None


def in_one_layer(rules: type[Backward], only: int, last: int) -> Backward:
    """`rules` applied in layer index `only` alone; every other layer uses the correct rule."""
    return _one_layer(rules, only, last)()  # a fresh instance: some rules keep state in it


@lru_cache(maxsize=None)
def _one_layer(rules: type[Backward], only: int, last: int) -> type[Backward]:
    """The class of `in_one_layer`, made once per (rules, layer, last layer), not once per call."""
    class OneLayer(rules):
        def output_gradient(self, loss, A, Y):
            wrong = super().output_gradient(loss, A, Y)  # always called: some rules keep state here
            return wrong if only == last else Backward.output_gradient(self, loss, A, Y)

        def activation_backward(self, layer, act, z, a, da):
            if layer == only:
                return super().activation_backward(layer, act, z, a, da)
            return Backward.activation_backward(self, layer, act, z, a, da)

        def weight_gradient(self, layer, dZ, A_prev):
            if layer == only:
                return super().weight_gradient(layer, dZ, A_prev)
            return Backward.weight_gradient(self, layer, dZ, A_prev)

        def bias_gradient(self, layer, dZ):
            if layer == only:
                return super().bias_gradient(layer, dZ)
            return Backward.bias_gradient(self, layer, dZ)

        def propagate(self, net, layer, dZ):
            if layer == only:
                return super().propagate(net, layer, dZ)
            return Backward.propagate(self, net, layer, dZ)

        def weight_penalty(self, net, layer):
            if layer == only:
                return super().weight_penalty(net, layer)
            return Backward.weight_penalty(self, net, layer)

        def bias_penalty(self, net, layer):
            if layer == only:
                return super().bias_penalty(net, layer)
            return Backward.bias_penalty(self, net, layer)

        def alters(self, net, layer, rule):
            if rule == "output_gradient":
                return only == last and super().alters(net, layer, rule)
            return layer == only and super().alters(net, layer, rule)

    # A rule the mistake leaves as Backward's needs no wrapper (it is Backward's in every layer):
    # without one, Backward.alters sees it unaltered, so a pass reuses the correct tape's values for
    # it instead of recomputing them, and no unused output gradient is computed twice per pass.
    for rule in WRAPPED:
        if getattr(rules, rule) is getattr(Backward, rule):
            delattr(OneLayer, rule)
    return OneLayer


WRAPPED = ("output_gradient", "activation_backward", "weight_gradient", "bias_gradient", "propagate",
           "weight_penalty", "bias_penalty")  # the rules OneLayer makes in one layer alone


_activation_rule = ACTIVATION_RULES.lookup()  # Activation.rule's lookup, without the property's call


class _Rules(Backward):
    @staticmethod
    def applies(net: Network) -> bool:
        return True


class _ActivationSlip(_Rules):
    """The mistake as each activation's registry entry computes it (`slips`); correct elsewhere."""

    mistake_id = ""

    @classmethod
    def applies(cls, net):
        mid = cls.mistake_id  # asked of every network for each of these mistakes: the registry read directly
        return any(mid in _activation_rule(a.name).slips for layer in net.layers for a in layer.activations)

    def activation_backward(self, layer, act, z, a, da):
        wrong = act.slip(self.mistake_id, z, a, da)
        return super().activation_backward(layer, act, z, a, da) if wrong is None else wrong

    def alters(self, net, layer, rule):
        if rule == "activation_backward":  # only where an activation has the slip
            return any(self.mistake_id in _activation_rule(a.name).slips for a in net.layers[layer].activations)
        return super().alters(net, layer, rule)


class ActivationForDerivative(_ActivationSlip):
    mistake_id = "sigma_for_derivative"


class DerivativeDropped(_ActivationSlip):
    mistake_id = "derivative_dropped"


class TanhSigmoidSwapped(_ActivationSlip):
    mistake_id = "tanh_sigmoid_swapped"


class DerivativeAtOutput(_ActivationSlip):
    mistake_id = "derivative_at_output"


class ForgotOneOverM(_Rules):
    @staticmethod
    def applies(net):
        return net.loss.reduction == "mean" and net.m > 1

    def output_gradient(self, loss, A, Y):
        return loss.local_gradient(A, Y)


class DoubleOneOverM(_Rules):
    @staticmethod
    def applies(net):
        return net.loss.reduction == "mean" and net.m > 1

    def weight_gradient(self, layer, dZ, A_prev):
        return super().weight_gradient(layer, dZ, A_prev) / A_prev.shape[1]

    def bias_gradient(self, layer, dZ):
        return super().bias_gradient(layer, dZ) / dZ.shape[1]


class BiasNotSummed(_Rules):
    @staticmethod
    def applies(net):
        return net.m > 1 and any(layer.b is not None for layer in net.layers)

    def bias_gradient(self, layer, dZ):
        return dZ[:, 0].copy()  # kept the first example's dZ instead of summing over the batch


class TransposedWeight(_Rules):
    """dA_prev = W·dZ instead of Wᵀ·dZ (column), dZ·W instead of dZ·Wᵀ (row)."""

    @staticmethod
    def applies(net):
        return any(layer.W.shape[0] == layer.W.shape[1] for layer in net.layers[1:])

    def propagate(self, net, layer, dZ):
        W = net.layers[layer].W
        if W.shape[0] != W.shape[1]:
            return super().propagate(net, layer, dZ)
        return W @ dZ

    def alters(self, net, layer, rule):
        W = net.layers[layer].W
        return super().alters(net, layer, rule) and (rule != "propagate" or W.shape[0] == W.shape[1])


class WrongWeight(_Rules):
    """The chain passes through the layer's own input weights instead of the next layer's."""

    @staticmethod
    def applies(net):
        return len(net.layers) > 1

    def propagate(self, net, layer, dZ):
        if layer == 0:
            return super().propagate(net, layer, dZ)
        wrong = net.layers[layer - 1].W  # (n_prev, n_prev_in)
        want = (net.layers[layer - 1].units_out, dZ.shape[1])
        for candidate in (wrong, wrong.T):
            if candidate.shape[1] == dZ.shape[0] and candidate.shape[0] == want[0]:
                return candidate @ dZ
        raise ValueError("no orientation of the wrong weight fits")

    def alters(self, net, layer, rule):
        return super().alters(net, layer, rule) and (rule != "propagate" or layer > 0)


class InputSummed(_Rules):
    @staticmethod
    def applies(net):
        return net.X.shape[0] > 1

    def weight_gradient(self, layer, dZ, A_prev):
        if layer != 0:
            return super().weight_gradient(layer, dZ, A_prev)
        summed = _rows_of(A_prev.sum(axis=0, keepdims=True), A_prev.shape)  # Σ over features, (n_in, m)
        return dZ @ summed.T

    def alters(self, net, layer, rule):
        return super().alters(net, layer, rule) and (rule != "weight_gradient" or layer == 0)


def _rows_of(row: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """np.broadcast_to(row, shape) of a (1, m) row NumPy has just made (C-contiguous): the same
    read-only zero-stride view, without broadcast_to's Python-level checks (~6 µs of a pass)."""
    view = np.ndarray(shape, row.dtype, row, 0, (0, row.strides[1] if shape[1] > 1 else 0))  # as broadcast_to sets them
    view.flags.writeable = False
    return view


class SignFlipped(_Rules):
    def output_gradient(self, loss, A, Y):
        return -loss.gradient(A, Y)


class SoftmaxDiagonal(_ActivationSlip):
    mistake_id = "softmax_diagonal"

    @classmethod
    def applies(cls, net):
        return super().applies(net) and net.Y.shape[0] > 1  # one unit has no cross terms


class ShortcutOnSquaredError(_Rules):
    """dZ = A − Y at a sigmoid output under a squared-error loss (the BCE shortcut)."""

    mistake_id = "shortcut_on_squared_error"

    @classmethod
    def applies(cls, net):
        last = net.layers[-1].activations[-1]
        return cls.mistake_id in net.loss.rule.applies and cls.mistake_id in last.rule.applies

    def activation_backward(self, layer, act, z, a, da):
        if self.mistake_id in act.rule.applies and a is self._output:  # the network's own output array
            return (a - self._Y) * self._scale
        return super().activation_backward(layer, act, z, a, da)

    def output_gradient(self, loss: Loss, A, Y):
        self._output, self._Y, self._scale = A, Y, loss.scale(A.shape[1])
        return super().output_gradient(loss, A, Y)


class _LossSlip(_Rules):
    """The mistake as the loss's registry entry computes it from the right output gradient."""

    mistake_id = ""

    @classmethod
    def applies(cls, net):
        return cls.mistake_id in net.loss.rule.slips

    def output_gradient(self, loss, A, Y):
        right = super().output_gradient(loss, A, Y)
        wrong = loss.slip(self.mistake_id, right)
        return right if wrong is None else wrong


class FactorTwoDropped(_LossSlip):
    mistake_id = "factor2_dropped"


class FactorTwoDoubled(_LossSlip):
    mistake_id = "factor2_doubled"


# Names and explanations: quizgen/messages/<lang>/mistakes.toml, one table per id.
CATALOG: dict[str, Mistake] = {m.id: m for m in [
    Mistake("sigma_for_derivative", ActivationForDerivative),
    Mistake("derivative_dropped", DerivativeDropped),
    Mistake("tanh_sigmoid_swapped", TanhSigmoidSwapped),
    Mistake("derivative_at_output", DerivativeAtOutput),
    Mistake("forgot_1_over_m", ForgotOneOverM),
    Mistake("double_1_over_m", DoubleOneOverM),
    Mistake("bias_not_summed", BiasNotSummed),
    Mistake("transposed_weight", TransposedWeight),
    Mistake("wrong_weight", WrongWeight),
    Mistake("input_summed", InputSummed),
    Mistake("sign_flipped", SignFlipped),
    Mistake("softmax_diagonal", SoftmaxDiagonal),
    Mistake("shortcut_on_squared_error", ShortcutOnSquaredError),
    Mistake("factor2_dropped", FactorTwoDropped),
    Mistake("factor2_doubled", FactorTwoDoubled),
]}


def get(mistake_id: str) -> Mistake:
    return CATALOG[mistake_id]


POINTWISE = ("sigma_for_derivative", "derivative_at_output", "tanh_sigmoid_swapped")


def activation_mistakes(act: Activation, z: float) -> dict[str, float]:
    """Wrong values of act'(z) for the 'derivative at a point' kind, computed, keyed by mistake id."""
    zz = np.array([[float(z)]])
    a = act.forward(zz)
    one = np.ones_like(zz)
    out = {}
    for mid in POINTWISE:
        wrong = act.slip(mid, zz, a, one)
        if wrong is not None:
            out[mid] = float(wrong[0, 0])
    return out


@dataclass(frozen=True)
class Misconception(_Worded):
    """A mistake outside the backward pass (a formula, a finite difference, a shape)."""

    id: str


OTHER: dict[str, Misconception] = {m.id: m for m in [
    Misconception("eps_not_doubled"),
    Misconception("difference_reversed"),
    Misconception("other_notation_shapes"),
    Misconception("rounded_too_early"),
    Misconception("wrong_order"),
    # optimizer steps (engine/optimizers.py SLIPS)
    Misconception("adam_no_bias_correction"),
    Misconception("eps_inside_sqrt"),
    Misconception("eps_forgotten"),
    Misconception("velocity_sign_flipped"),
    Misconception("lr_applied_twice"),
    Misconception("decay_on_bias"),
    Misconception("decay_forgotten"),
    *(Misconception(mid) for mid in GRAPH_MISTAKES),  # computational graphs (engine/graph.py)
    *(Misconception(mid) for mid in TRAINING_SLIPS + COUNTING_SLIPS),  # engine/training.py, engine/counting.py
    # layer types (engine/layers/*.py): each asked type's catalogued `mistakes`
    *(Misconception(mid) for layer in LAYER_TYPES.values() for mid in getattr(layer, "mistakes", ())),
    *(Misconception(mid) for mid in JACOBIAN_MISTAKES + VANISHING_MISTAKES),  # engine/jacobian.py, vanishing.py
]}


def describe(mistake_id: str):
    """The catalog entry (with .name and .explanation, texts to word with say()) for any mistake id."""
    return CATALOG.get(mistake_id) or OTHER[mistake_id]


# Mistakes about the loss (L2 penalty, multi-label BCE, CE from logits): engine/loss_mistakes.py.
from quizgen.engine import loss_mistakes as _loss_mistakes  # noqa: E402

CATALOG.update({mid: Mistake(mid, rules) for mid, rules in _loss_mistakes.RULES.items()})
OTHER.update({mid: Misconception(mid) for mid in _loss_mistakes.VALUE_ONLY + ("one_sided_difference", "absolute_error", "verdict_misread")})
OTHER.update({mid: Misconception(mid) for mid in ("verdict_inconclusive", "verdict_false_alarm", "verdict_missed_bug")})
