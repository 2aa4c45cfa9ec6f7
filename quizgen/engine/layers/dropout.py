"""Dropout with the mask given (a question states it): y = x ⊙ M / p in training (inverted dropout,
keep probability p), dx = dy ⊙ M / p; or the plain convention (y = x ⊙ M in training, p·x at test).

One scaling factor F describes every case: y = x ⊙ F and dx = dy ⊙ F. The catalogued mistakes are
the factors students get wrong (no mask, no 1/p, 1/(1 − p), the mask at test time, the other
convention), each written as the rule a student who makes it follows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np

from quizgen.engine.layers.base import Rule, register

CONVENTIONS = ("inverted", "plain")
MODES = ("train", "test")
# The scale a rule applies after the mask: its TeX pieces and its value from p.
SCALES = {
    "1/p": ((r"/", "@p"), lambda p: 1.0 / p),
    "1/(1-p)": (("/", r"\left(", "1 -", "@p", r"\right)"), lambda p: 1.0 / (1.0 - p)),
    "p": ((r"\cdot", "@p"), lambda p: p),
    "1-p": ((r"\cdot", r"\left(", "1 -", "@p", r"\right)"), lambda p: 1.0 - p),
    "none": ((), lambda p: 1.0),
}
MISTAKES = ("dropout_no_mask", "dropout_no_scale", "dropout_drop_probability", "dropout_mask_at_test",
            "dropout_other_convention")


def factor(convention: str, mode: str) -> tuple[bool, str]:
    """(mask applied, scale) of the correct rule."""
    if mode == "train":
        return True, ("1/p" if convention == "inverted" else "none")
    return False, ("p" if convention == "plain" else "none")


def scaling(x: np.ndarray, mask: np.ndarray, p: float, convention: str, mode: str) -> np.ndarray:
    """F with y = x ⊙ F and dx = dy ⊙ F."""
    masked, scale = factor(convention, mode)
    return (mask if masked else np.ones_like(x)) * SCALES[scale][1](p)


def _rule(out: str, inp: str, masked: bool, scale: str, why: str) -> Rule:
    pieces, f = SCALES[scale]
    parts = (f"{'y' if out == 'y' else 'dx'} =", f"@{inp}") + ((r"\odot", "@mask") if masked else ()) + pieces
    return Rule(parts, lambda v: np.asarray(v[inp]) * (np.asarray(v["mask"]) if masked else 1.0)
                * (f(v["p"]) if pieces else 1.0), why)  # a rule reads only the values it shows


@dataclass(frozen=True)
class Dropout:
    name: str = "dropout"
    params: tuple[str, ...] = ()
    forward_quantities: tuple[str, ...] = ("y",)
    backward_quantities: tuple[str, ...] = ("dA_prev",)
    step_keys: MappingProxyType = field(default_factory=lambda: MappingProxyType({
        "y": "layer.dropout.y", "dA_prev": "layer.dropout.dA_prev"}))
    options: MappingProxyType = field(default_factory=lambda: MappingProxyType({
        "convention": CONVENTIONS, "mode": MODES}))
    scalars: MappingProxyType = field(default_factory=lambda: MappingProxyType({"p": (0.05, 0.95, (0.5,))}))
    symbols: MappingProxyType = field(default_factory=lambda: MappingProxyType({
        "x": "x", "y": "y", "dy": "dy", "dA_prev": "dx", "mask": "M", "p": "p", "m": "m"}))
    mistakes: tuple[str, ...] = MISTAKES
    soft: frozenset = frozenset()

    # --- the layer protocol (engine/layers/base.py): params carry the stated mask, p and convention ---
    def forward(self, x, params):
        F = scaling(x, params["mask"], params["p"], params.get("convention", "inverted"), params.get("mode", "train"))
        return x * F, {"y": x * F, "F": F}

    def backward(self, dy, params, cache):
        return dy * cache["F"], {}

    # --- what a question asks (bank/kinds/layer_forward.py, layer_backward.py) ---
    def rules(self, options):
        return self._rules(options["convention"], options["mode"])

    def _rules(self, convention, mode, back_mask=True, scale=None):
        masked, correct = factor(convention, mode)
        scale = correct if scale is None else scale
        rules = {"y": _rule("y", "x", masked, scale, f"layer.dropout.why_{convention}_{mode}")}
        if mode == "train":
            rules["dA_prev"] = _rule("dA_prev", "dy", masked and back_mask, scale,
                                     f"layer.dropout.why_back_{convention}")
        return rules

    def mistaken(self, mistake, options):
        conv, mode = options["convention"], options["mode"]
        other = CONVENTIONS[1 - CONVENTIONS.index(conv)]
        if mistake == "dropout_no_mask":
            return self._rules(conv, mode, back_mask=False) if mode == "train" else None
        if mistake == "dropout_no_scale":
            scale = factor(conv, mode)[1]
            return self._rules(conv, mode, scale="none") if scale != "none" else None
        if mistake == "dropout_drop_probability":
            scale = factor(conv, mode)[1]
            return self._rules(conv, mode, scale={"1/p": "1/(1-p)", "p": "1-p"}[scale]) if scale != "none" else None
        if mistake == "dropout_mask_at_test":
            return self._rules(conv, "train") if mode == "test" else None
        if mistake == "dropout_other_convention":
            return self._rules(other, mode)
        raise KeyError(mistake)

    def draw(self, rng, x_shape, pick, settings):
        """A 0/1 mask with a kept and a dropped unit (where there are two), so it matters."""
        for _ in range(20):
            mask = rng.integers(0, 2, size=x_shape).astype(float)
            if mask.size < 2 or 0 < mask.sum() < mask.size:
                break
        return {"mask": mask}

    def exact(self, options):
        return True

    def reject(self, values):
        return None


DROPOUT = register(Dropout())
