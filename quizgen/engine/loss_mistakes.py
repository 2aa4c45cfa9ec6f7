"""Mistakes about the loss itself: the L2 penalty, multi-label sigmoid + BCE, cross-entropy from logits.

Two sorts, both computed, never typed in. `RULES` are backward-pass variants (subclasses of
`Backward` overriding one rule, as in engine/mistakes.py, which registers them in its CATALOG).
`value_slips(tape)` gives the wrong loss value J each mistake about the loss's value produces; the
ids only a loss value can show are `VALUE_ONLY` (registered as Misconceptions). Every mistake here
applies only to networks with an L2 coefficient, a multi-output BCE or the logits loss, so the
questions of every other network are unchanged.
"""

from __future__ import annotations

import numpy as np

from quizgen.engine.backprop import Backward
from quizgen.engine.losses import l2_coefficient, log_sum_exp, softmax_of


def _l2(net) -> bool:
    return bool(net.l2)


def _multi_label_bce(net) -> bool:
    """k ≥ 2 independent sigmoids under BCE, the loss's entry says (one output is logistic regression)."""
    rule = net.loss.rule
    return ("bce_softmax_output" in rule.value_slips and net.Y.shape[0] >= 2
            and net.loss.pairs_with(net.layers[-1].activations[-1]))


class L2OnBias(Backward):
    """db gains (λ/m)·b as if the bias were in the penalty."""

    applies = staticmethod(lambda net: _l2(net) and any(layer.b is not None for layer in net.layers))

    def bias_penalty(self, net, layer):
        b = net.layers[layer].b
        return l2_coefficient(net.l2, net.loss, net.m) * b  # (n_out,)


class L2WithoutOneOverM(Backward):
    """dW gains λ·W: the penalty's 1/m forgotten."""

    applies = staticmethod(lambda net: _l2(net) and net.loss.reduction == "mean" and net.m > 1)

    def weight_penalty(self, net, layer):
        return net.l2 * net.layers[layer].W


class L2HalfDropped(Backward):
    """dW gains 2(λ/m)·W: the penalty written (λ/m)‖W‖², without its ½."""

    applies = staticmethod(_l2)

    def weight_penalty(self, net, layer):
        return 2.0 * l2_coefficient(net.l2, net.loss, net.m) * net.layers[layer].W


class L2Forgotten(Backward):
    """dW without the penalty's term: the data gradient alone."""

    applies = staticmethod(_l2)

    def weight_penalty(self, net, layer):
        return None


class BCESoftmaxOutput(Backward):
    """dZ = (softmax(Z) − Y)/m at independent sigmoid outputs: treated as one softmax over classes."""

    applies = staticmethod(_multi_label_bce)

    def output_gradient(self, loss, A, Y):
        self._output, self._Y, self._scale = A, Y, loss.scale(A.shape[1])
        return super().output_gradient(loss, A, Y)

    def activation_backward(self, layer, act, z, a, da):
        if a is getattr(self, "_output", None):  # the network's own output array
            return (softmax_of(z) - self._Y) * self._scale
        return super().activation_backward(layer, act, z, a, da)


class BCENoNegativeTerm(Backward):
    """dA = −Y/A (the softmax cross-entropy's rule): the (1 − y)·log(1 − a) term left out."""

    applies = staticmethod(_multi_label_bce)

    def output_gradient(self, loss, A, Y):
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(Y != 0, -Y / A, 0.0) * loss.scale(A.shape[1])  # (k, m)


# Backward-pass mistakes, by id (their words: messages/<lang>/mistakes.toml).
RULES: dict[str, type[Backward]] = {
    "l2_on_bias": L2OnBias,
    "l2_without_1_over_m": L2WithoutOneOverM,
    "l2_half_dropped": L2HalfDropped,
    "l2_forgotten": L2Forgotten,
    "bce_softmax_output": BCESoftmaxOutput,
    "bce_no_negative_term": BCENoNegativeTerm,
}

# Mistakes only a loss value shows.
VALUE_ONLY = ("l2_gradient_in_loss", "lse_max_only", "lse_no_exp", "lse_shift_not_added_back")


def _mean(per_example: np.ndarray, net) -> float:
    return float(per_example.sum() * net.loss.scale(net.m))


def value_slips(tape) -> list[tuple[str, float]]:
    """(mistake id, the loss J a student making it writes) for every mistake about J that applies."""
    net = tape.network
    out: list[tuple[str, float]] = []
    with np.errstate(all="ignore"):
        if net.l2:
            data = net.loss.value(tape.output, net.Y)
            c = l2_coefficient(net.l2, net.loss, net.m)  # λ/m
            squares = sum(float((layer.W ** 2).sum()) for layer in net.layers)
            bias_squares = sum(float((layer.b ** 2).sum()) for layer in net.layers if layer.b is not None)
            out.append(("l2_forgotten", data))
            out.append(("l2_half_dropped", data + c * squares))
            if net.loss.reduction == "mean" and net.m > 1:
                out.append(("l2_without_1_over_m", data + 0.5 * net.l2 * squares))
            if bias_squares:
                out.append(("l2_on_bias", data + 0.5 * c * (squares + bias_squares)))
            out.append(("l2_gradient_in_loss", data + c * sum(float(layer.W.sum()) for layer in net.layers)))
        if _multi_label_bce(net):
            Y, Z = net.Y, tape.layers[-1].Z
            soft = softmax_of(Z)
            out.append(("bce_softmax_output", _mean(-(np.where(Y != 0, Y * np.log(soft), 0.0)).sum(axis=0), net)))
            out.append(("bce_no_negative_term",
                        _mean(-(np.where(Y != 0, Y * np.log(tape.output), 0.0)).sum(axis=0), net)))
        if net.loss.rule.from_logits:
            Z, Y = tape.output, net.Y  # the logits (identity output)
            true = (Y * Z).sum(axis=0)
            top = Z.max(axis=0)
            out.append(("lse_max_only", _mean(top - true, net)))
            out.append(("lse_no_exp", _mean(np.log(Z.sum(axis=0)) - true, net)))
            out.append(("lse_shift_not_added_back", _mean(log_sum_exp(Z) - top - true, net)))
    return [(mid, value) for mid, value in out if np.isfinite(value)]
