"""Optimizer steps as tape quantities: SGD (with L2 weight decay), momentum, RMSProp and Adam.

One registry entry per rule says which state it keeps, how one step updates it, the LaTeX of
each line of the rule and the text key of its name. `run` applies a rule to one scalar parameter
over a gradient sequence and records every quantity of every step, so a question can ask any of
them and a worked solution can show each update with its numbers.

A slip (a catalogued mistake id, engine/mistakes.py OTHER) changes exactly one line of a rule,
so the wrong value a distractor carries is computed, never typed in.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

# The mistakes a rule can be run with (each changes one line of the update).
SLIPS = ("adam_no_bias_correction", "eps_inside_sqrt", "eps_forgotten", "velocity_sign_flipped",
         "lr_applied_twice", "decay_on_bias", "decay_forgotten")


@dataclass(frozen=True)
class Hyper:
    """The hyperparameters of a run; `beta` is momentum's μ and RMSProp's ρ."""

    lr: float
    beta: float = 0.9
    beta1: float = 0.9
    beta2: float = 0.999
    eps: float = 1e-8
    decay: float = 0.0  # L2 weight decay λ (the loss gains λ/2·w²; biases are not decayed)


def _denominator(s: float, eps: float, slip: str | None) -> float:
    """√s + ε, or what a student writes instead."""
    if slip == "eps_inside_sqrt":
        return math.sqrt(s + eps)
    if slip == "eps_forgotten":
        return math.sqrt(s)
    return math.sqrt(s) + eps


def _sgd(state: dict, w: float, g: float, h: Hyper, t: int, slip: str | None) -> tuple[dict, float]:
    return {}, w - h.lr * g


def _momentum(state: dict, w: float, g: float, h: Hyper, t: int, slip: str | None) -> tuple[dict, float]:
    v = h.beta * state.get("v", 0.0) - h.lr * g
    if slip == "velocity_sign_flipped":
        return {"v": v}, w - v
    if slip == "lr_applied_twice":
        return {"v": v}, w + h.lr * v
    return {"v": v}, w + v


def _rmsprop(state: dict, w: float, g: float, h: Hyper, t: int, slip: str | None) -> tuple[dict, float]:
    s = h.beta * state.get("s", 0.0) + (1 - h.beta) * g * g
    return {"s": s}, w - h.lr * g / _denominator(s, h.eps, slip)


def _adam(state: dict, w: float, g: float, h: Hyper, t: int, slip: str | None) -> tuple[dict, float]:
    m = h.beta1 * state.get("m", 0.0) + (1 - h.beta1) * g
    s = h.beta2 * state.get("s", 0.0) + (1 - h.beta2) * g * g
    if slip == "adam_no_bias_correction":
        m_hat, s_hat = m, s
    else:
        m_hat, s_hat = m / (1 - h.beta1 ** t), s / (1 - h.beta2 ** t)
    return {"m": m, "s": s, "m_hat": m_hat, "s_hat": s_hat}, w - h.lr * m_hat / _denominator(s_hat, h.eps, slip)


@dataclass(frozen=True)
class Optimizer:
    """One update rule: the state it keeps (in the order a step computes it) and its lines."""

    name: str
    state: tuple[str, ...]
    rule_tex: tuple[str, ...]  # one LaTeX line per state quantity, then the parameter's update
    update: Callable[..., tuple[dict, float]]
    slips: tuple[str, ...]  # the catalogued mistakes this rule can be made with

    @property
    def key(self) -> str:
        """Its name's text key (kinds.toml, beside the steps that name it)."""
        return f"kinds.optim_name_{self.name}"


OPTIMIZERS: dict[str, Optimizer] = {o.name: o for o in [
    Optimizer("sgd", (), (r"w_{t} = w_{t-1} - \eta\, g_{t}",), _sgd, ()),
    Optimizer("momentum", ("v",), (r"v_{t} = \mu\, v_{t-1} - \eta\, g_{t}", r"w_{t} = w_{t-1} + v_{t}"), _momentum,
              ("velocity_sign_flipped", "lr_applied_twice")),
    Optimizer("rmsprop", ("s",), (r"s_{t} = \rho\, s_{t-1} + (1 - \rho)\, g_{t}^{2}",
                                   r"w_{t} = w_{t-1} - \eta\, \frac{g_{t}}{\sqrt{s_{t}} + \varepsilon}"), _rmsprop,
              ("eps_inside_sqrt", "eps_forgotten")),
    Optimizer("adam", ("m", "s", "m_hat", "s_hat"), (
        r"m_{t} = \beta_{1} m_{t-1} + (1 - \beta_{1})\, g_{t}",
        r"s_{t} = \beta_{2} s_{t-1} + (1 - \beta_{2})\, g_{t}^{2}",
        r"\hat{m}_{t} = \frac{m_{t}}{1 - \beta_{1}^{t}}",
        r"\hat{s}_{t} = \frac{s_{t}}{1 - \beta_{2}^{t}}",
        r"w_{t} = w_{t-1} - \eta\, \frac{\hat{m}_{t}}{\sqrt{\hat{s}_{t}} + \varepsilon}"), _adam,
        ("adam_no_bias_correction", "eps_inside_sqrt", "eps_forgotten")),
]}


def run(rule: str, w0: float, grads: list[float], h: Hyper, bias: bool = False,
        slip: str | None = None) -> list[dict]:
    """Every quantity of every step: [{"t", "g" (the loss gradient), "g_eff" (with decay), state…, "w"}].

    `bias`: the parameter is a bias, which L2 weight decay leaves alone (slip "decay_on_bias"
    decays it anyway; slip "decay_forgotten" leaves the decay out of a weight's gradient)."""
    opt = OPTIMIZERS[rule]
    decays = h.decay and (not bias or slip == "decay_on_bias") and slip != "decay_forgotten"
    state: dict = {}
    w = float(w0)
    out = []
    for t, g in enumerate(grads, start=1):
        g_eff = g + h.decay * w if decays else float(g)
        state, w = opt.update(state, w, g_eff, h, t, slip)
        out.append({"t": t, "g": float(g), "g_eff": g_eff, **state, "w": w})
    return out
