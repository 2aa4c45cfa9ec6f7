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

from quizgen.engine.activations import Activation
from quizgen.engine.backprop import Backward, solve_backward, solve_forward
from quizgen.engine.losses import Loss
from quizgen.engine.network import Network
from quizgen.engine.tape import Tape


class NotApplicable(Exception):
    """The mistake cannot be made on this network (e.g. the shapes would not multiply)."""


@dataclass(frozen=True)
class Mistake:
    id: str
    name: str  # completes "this is what you get if you ..."
    explanation: str
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

    def backward(self, tape: Tape, stop: int = 0, only: int | None = None) -> Tape:
        """`solve` reusing `tape`, a correct tape, without setting np.errstate (the caller holds it)."""
        net = tape.network
        if not self.applies(net):
            raise NotApplicable(self.id)
        rules = self.rules() if only is None else in_one_layer(self.rules, only, len(net.layers) - 1)
        try:
            return solve_backward(tape, rules, stop=stop, correct=True)
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

    return OneLayer


def _acts(net: Network):
    return [a for layer in net.layers for a in layer.activations]


class _Rules(Backward):
    @staticmethod
    def applies(net: Network) -> bool:
        return True


class _ActivationSlip(_Rules):
    """The mistake as each activation's registry entry computes it (`slips`); correct elsewhere."""

    mistake_id = ""

    @classmethod
    def applies(cls, net):
        return any(cls.mistake_id in a.rule.slips for a in _acts(net))

    def activation_backward(self, layer, act, z, a, da):
        wrong = act.slip(self.mistake_id, z, a, da)
        return super().activation_backward(layer, act, z, a, da) if wrong is None else wrong


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


class InputSummed(_Rules):
    @staticmethod
    def applies(net):
        return net.X.shape[0] > 1

    def weight_gradient(self, layer, dZ, A_prev):
        if layer != 0:
            return super().weight_gradient(layer, dZ, A_prev)
        summed = np.broadcast_to(A_prev.sum(axis=0, keepdims=True), A_prev.shape)  # Σ over features
        return dZ @ summed.T


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


CATALOG: dict[str, Mistake] = {m.id: m for m in [
    Mistake("sigma_for_derivative", "use the activation g(z) where its derivative g′(z) belongs",
            "The chain rule needs the activation's derivative g′(Z), but this multiplies by the "
            "activation's value g(Z): σ(z) instead of σ(z)(1 − σ(z)), tanh(z) instead of "
            "1 − tanh²(z), ReLU(z) instead of the 0/1 step.", ActivationForDerivative),
    Mistake("derivative_dropped", "leave out the activation's derivative σ′(z)",
            "Going back through an activation you must multiply by its derivative; this skips "
            "that factor and passes dA straight through as dZ.", DerivativeDropped),
    Mistake("tanh_sigmoid_swapped", "mix up σ′ = a(1 − a) and tanh′ = 1 − a²",
            "The sigmoid's derivative is a(1 − a) and tanh's is 1 − a²; this uses one in place "
            "of the other.", TanhSigmoidSwapped),
    Mistake("derivative_at_output", "evaluate the derivative at A instead of at Z",
            "σ′ must be taken at the pre-activation Z; this plugs the activation's output A into "
            "σ′ (for the sigmoid, a(1 − a) is already σ′(z) — do not apply σ′ to a again).",
            DerivativeAtOutput),
    Mistake("forgot_1_over_m", "forget the 1/m of the mean over the batch",
            "The loss averages over the m examples, so every gradient carries a factor 1/m; "
            "this leaves it out and gets m times the gradient.", ForgotOneOverM),
    Mistake("double_1_over_m", "apply the 1/m twice",
            "dZ of the output already contains 1/m from the mean; dividing dW and db by m "
            "again makes them m times too small.", DoubleOneOverM),
    Mistake("bias_not_summed", "take db from one example instead of summing over the batch",
            "b is added to every example, so db sums dZ over all m examples (columns in column "
            "notation, rows in row notation); this keeps only the first example's dZ.", BiasNotSummed),
    Mistake("transposed_weight", "use W instead of Wᵀ when passing the gradient back",
            "Going back a layer multiplies by the transpose of the weights: Wᵀ·dZ in column "
            "notation, dZ·Wᵀ in row notation. Without the transpose the entries are mixed up.",
            TransposedWeight),
    Mistake("wrong_weight", "pass the chain through the wrong weight matrix",
            "The gradient reaching a hidden layer goes through the weights of the layer after "
            "it (W2 for layer 1); this uses the layer's own weights (W1) instead.", WrongWeight),
    Mistake("input_summed", "sum the input over its features",
            "∂z_j/∂W_jk is the single input x_k; this multiplies by Σ_k x_k, the sum of all "
            "features, for every weight.", InputSummed),
    Mistake("sign_flipped", "flip the sign (y − ŷ instead of ŷ − y)",
            "The loss gradient at the output is ŷ − y (prediction minus target); writing "
            "y − ŷ flips the sign of every gradient after it.", SignFlipped),
    Mistake("softmax_diagonal", "use only the diagonal ŷ(1 − ŷ) of the softmax Jacobian",
            "Each softmax output depends on every input, so its Jacobian is diag(ŷ) − ŷŷᵀ; "
            "keeping only ŷ(1 − ŷ) drops the cross terms.", SoftmaxDiagonal),
    Mistake("shortcut_on_squared_error", "apply the ŷ − y shortcut to a squared-error loss",
            "dZ = ŷ − y holds for sigmoid with binary cross-entropy (or softmax with "
            "cross-entropy); with a squared error the sigmoid's derivative ŷ(1 − ŷ) stays in.",
            ShortcutOnSquaredError),
    Mistake("factor2_dropped", "drop the factor 2 of the squared error",
            "The derivative of (a − y)² is 2(a − y); this writes (a − y).", FactorTwoDropped),
    Mistake("factor2_doubled", "double the factor 2 of the ½ squared error",
            "With ½(a − y)² the 2 from the square cancels the ½, giving (a − y); this keeps "
            "an extra factor 2.", FactorTwoDoubled),
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
class Misconception:
    """A mistake outside the backward pass (a formula, a finite difference, a shape)."""

    id: str
    name: str
    explanation: str


OTHER: dict[str, Misconception] = {m.id: m for m in [
    Misconception("eps_not_doubled", "divide by ε instead of 2ε",
                  "The central difference (J(w + ε) − J(w − ε)) spans a width of 2ε, so it is "
                  "divided by 2ε; dividing by ε doubles the estimate."),
    Misconception("difference_reversed", "subtract in the wrong order",
                  "The central difference is J(w + ε) − J(w − ε); reversing it flips the sign."),
    Misconception("other_notation_shapes", "use the other notation's orientation",
                  "In column notation data are (features, examples) and W is (units out, units "
                  "in); in row notation both are transposed. This mixes the two."),
    Misconception("rounded_too_early", "round intermediate results too early",
                  "Every step was right, but rounding intermediate values to few digits moved the "
                  "result outside the tolerance; carry more significant figures than you give."),
    Misconception("wrong_order", "multiply the factors in the wrong order",
                  "Matrix products do not commute: check the shapes — the result must have the "
                  "shape of W, so the factors must be ordered (and transposed) to give it."),
]}


def describe(mistake_id: str):
    """The catalog entry (with .name and .explanation) for any mistake id."""
    return CATALOG.get(mistake_id) or OTHER[mistake_id]
