"""Activation functions: one registry entry per activation holds everything quizgen knows of it.

An entry (`ActivationRule`) keeps the calculus side by side — forward, derivative, VJP — with its
notation (LaTeX symbol and derivative, the terminal's text rule), whether values on the number
grid stay exact, the degeneracy rule a drawn network is rejected by (a kink hit exactly,
saturation), and its slips: the catalogued mistakes (engine/mistakes.py) that apply to it, each
with the wrong VJP a student making it computes. Adding an activation is one `register(...)`.

Arrays are in the engine's internal column orientation: (units, examples). Softmax normalizes
over axis 0 (the unit axis) and its backward applies the full Jacobian.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np

from quizgen.engine.registry import Registry
from quizgen.messages import catalog, t
from quizgen.messages.text import key_or_words, text

Array = np.ndarray
Check = Callable[[Array, Array], "str | None"]  # (z, a) -> why the draw is degenerate (a message key), or None


@dataclass(frozen=True)
class ActivationRule:
    """One activation's every facet; the functions take the parameter p (None if it has none)."""

    name: str
    forward: Callable[[Array, float | None], Array]
    derivative: Callable[[Array, Array, float | None], Array] | None  # f'(z) given a = f(z); None: not elementwise
    tex: str  # the symbol, e.g. \sigma (a parameter is added as a subscript)
    deriv_tex: str | None  # f'(z) in closed form with {z} input, {a} output, {p} parameter
    text: str  # the terminal's backward rule with {dz}, {da}, {z}, {a}
    vjp: Callable[[Array, Array, Array, float | None], Array] | None = None  # dz from da; default da ⊙ f'(z)
    vjp_tex: str | None = None  # a non-elementwise activation's VJP with {a} output, {da} upstream
    param: float | None = None  # the default parameter; None: takes no parameter
    exact: bool = False  # piecewise linear: grid inputs give exactly representable answers
    degenerate: Check | None = None  # why a drawn (z, a) makes a poor question
    slips: Mapping[str, Callable[[Array, Array, Array, float | None], Array]] = field(default_factory=dict)
    mistakes: tuple[str, ...] = ()  # further mistake ids that apply (their rule lives in mistakes.py)

    def __post_init__(self):
        if (self.derivative is None) == (self.vjp is None):
            raise ValueError(f"activation {self.name!r}: give a derivative (elementwise) or a vjp, not both")
        if self.deriv_tex is None and self.derivative is not None:
            raise ValueError(f"activation {self.name!r}: an elementwise activation needs deriv_tex")
        if self.vjp_tex is None and self.vjp is not None:
            raise ValueError(f"activation {self.name!r}: a vjp needs its vjp_tex")

    @property
    def applies(self) -> tuple[str, ...]:
        """Every catalogued mistake id that applies to this activation."""
        return tuple(self.slips) + self.mistakes


RULES: Registry[ActivationRule] = Registry("activation")
register, unregister = RULES.register, RULES.unregister
NAMES = RULES.names()  # live: a registered activation shows up here
EXACT = RULES.names(lambda r: r.exact)
_rule = RULES.lookup()  # RULES[name] without a Python call: the per-array methods below use it


def _sigmoid(z: Array) -> Array:
    # Split by sign so neither branch overflows in exp: 1/(1 + e^-z) for z >= 0, e^z/(1 + e^z) below.
    # exp(-|z|) is e^-z on the first branch's entries and e^z on the second's, so one exp over the
    # whole array serves both (the same floats as each branch on its own entries, without the
    # boolean indexing: test_activation_fast_paths).
    e = np.exp(-np.abs(z))
    d = 1.0 + e
    return np.where(z >= 0, 1.0 / d, e / d)


# np.maximum.reduce and np.add.reduce are the reductions ndarray.max and ndarray.sum call (the same
# bits), without those methods' Python-level wrappers: softmax runs in every pass over a softmax layer.
def _softmax(z: Array, p=None) -> Array:
    shifted = z - np.maximum.reduce(z, axis=0, keepdims=True)  # over the unit axis
    e = np.exp(shifted)
    return e / np.add.reduce(e, axis=0, keepdims=True)


def _softmax_vjp(z: Array, a: Array, da: Array, p=None) -> Array:
    # Full softmax Jacobian per example: J = diag(a) - a a^T, so J^T da = a * (da - a.da).
    return a * (da - np.add.reduce(a * da, axis=0, keepdims=True))  # (units, m)


# -- the degeneracy rules a sampler rejects a draw by -----------------------------------------------
def kink_at_zero(z: Array, a: Array) -> str | None:
    return "reject.kink" if (z == 0).any() else None


def saturates(lo: float, hi: float) -> Check:
    def check(z: Array, a: Array) -> str | None:
        return "reject.saturated" if ((a < lo) | (a > hi)).any() else None
    return check


def _softmax_near_zero(z: Array, a: Array) -> str | None:
    return "reject.output_near_zero" if (a < 0.005).any() else None


# -- the slips: what a student computes instead of dz = da ⊙ f'(z) ----------------------------------
def value_for_derivative(f):
    """sigma_for_derivative: multiply by f(z) where f'(z) belongs."""
    return lambda z, a, da, p: da * f(z, p)


def derivative_dropped(z, a, da, p):
    return da


def derivative_at_output(f, df):
    """derivative_at_output: f'(A) instead of f'(Z)."""
    return lambda z, a, da, p: da * df(a, f(a, p), p)


def elementwise_slips(f, df) -> dict:
    return {"sigma_for_derivative": value_for_derivative(f), "derivative_dropped": derivative_dropped,
            "derivative_at_output": derivative_at_output(f, df)}


def _relu_derivative(z, a, p):
    return (z > 0).astype(float)  # ReLU'(0) = 0 by convention


def _leaky(z, p):
    return np.where(z > 0, z, p * z)


def _leaky_derivative(z, a, p):
    return np.where(z > 0, 1.0, p)


def _sigmoid_derivative(z, a, p):
    return a * (1.0 - a)


def _tanh(z, p):
    return np.tanh(z)


def _tanh_derivative(z, a, p):
    return 1.0 - a * a


def _softplus(z, p):
    return np.logaddexp(0.0, z)


def _softplus_derivative(z, a, p):
    return _sigmoid(z)


def _elu(z, p):
    return np.where(z > 0, z, p * np.expm1(np.minimum(z, 0.0)))


def _elu_derivative(z, a, p):
    return np.where(z > 0, 1.0, a + p)


register(ActivationRule(
    "identity", lambda z, p: z.astype(float, copy=True), lambda z, a, p: np.ones_like(z, dtype=float),
    tex=r"\mathrm{id}", deriv_tex=r"1", text="{dz} = {da}", exact=True))
register(ActivationRule(
    "relu", lambda z, p: np.maximum(z, 0.0), _relu_derivative,
    tex=r"\mathrm{ReLU}", deriv_tex=r"\mathbb{1}[{z} > 0]", text="{dz} = {da} ⊙ [{z} > 0]",
    exact=True, degenerate=kink_at_zero,
    # ReLU'(ReLU(z)) = ReLU'(z): the derivative taken at the output is no mistake here
    slips={"sigma_for_derivative": value_for_derivative(lambda z, p: np.maximum(z, 0.0)),
           "derivative_dropped": derivative_dropped}))
register(ActivationRule(
    "leaky_relu", _leaky, _leaky_derivative, param=0.01,
    tex=r"\mathrm{LeakyReLU}", deriv_tex=r"\mathbb{1}[{z} > 0] + {p}\,\mathbb{1}[{z} \le 0]",
    text="{dz} = {da} ⊙ (1 where {z} > 0, else α)", exact=True, degenerate=kink_at_zero,
    slips=elementwise_slips(_leaky, _leaky_derivative)))
register(ActivationRule(
    "sigmoid", lambda z, p: _sigmoid(z), _sigmoid_derivative,
    tex=r"\sigma", deriv_tex=r"{a} \odot (1 - {a})", text="{dz} = {da} ⊙ {a}(1 − {a})",
    degenerate=saturates(0.02, 0.98),
    slips={**elementwise_slips(lambda z, p: _sigmoid(z), _sigmoid_derivative),
           "tanh_sigmoid_swapped": lambda z, a, da, p: da * (1.0 - a * a)},
    mistakes=("shortcut_on_squared_error",)))
register(ActivationRule(
    "tanh", _tanh, _tanh_derivative,
    tex=r"\tanh", deriv_tex=r"1 - \left({a}\right)^{2}", text="{dz} = {da} ⊙ (1 − {a}²)",
    degenerate=saturates(-0.98, 0.98),
    slips={**elementwise_slips(_tanh, _tanh_derivative),
           "tanh_sigmoid_swapped": lambda z, a, da, p: da * a * (1.0 - a)}))
register(ActivationRule(
    "softmax", _softmax, None, vjp=_softmax_vjp,
    vjp_tex=r"{a} \odot \left({da} - \mathbf{1}\,(\mathbf{1}^{\top}({a} \odot {da}))\right)",
    tex=r"\mathrm{softmax}", deriv_tex=None,
    text="{dz} = {a} ⊙ ({da} − Σ_units {a} ⊙ {da})   (full softmax Jacobian)",
    degenerate=_softmax_near_zero,
    slips={"softmax_diagonal": lambda z, a, da, p: da * a * (1.0 - a)}))
register(ActivationRule(
    "softplus", _softplus, _softplus_derivative,
    tex=r"\mathrm{softplus}", deriv_tex=r"\sigma({z})", text="{dz} = {da} ⊙ sigmoid({z})",
    slips=elementwise_slips(_softplus, _softplus_derivative)))
register(ActivationRule(
    "elu", _elu, _elu_derivative, param=1.0,
    tex=r"\mathrm{ELU}", deriv_tex=r"\mathbb{1}[{z} > 0] + ({a} + {p})\,\mathbb{1}[{z} \le 0]",
    text="{dz} = {da} ⊙ (1 where {z} > 0, else {a} + α)", degenerate=kink_at_zero,
    slips=elementwise_slips(_elu, _elu_derivative)))

_SPEC = re.compile(r"^\s*([a-z_]+)\s*(?:\(\s*([-+0-9.eE]+)\s*\))?\s*$")


@dataclass(frozen=True)
class Activation:
    """One activation, e.g. Activation("leaky_relu", 0.1); its calculus is its registry entry's."""

    name: str
    param: float | None = None

    @property
    def rule(self) -> ActivationRule:
        return _rule(self.name)

    @property
    def elementwise(self) -> bool:
        return _rule(self.name).derivative is not None

    @property
    def exact(self) -> bool:
        return _rule(self.name).exact

    @property
    def label(self) -> str:
        """The name as a problem file spells it."""
        if self.param is None or self.param == _rule(self.name).param:
            return self.name
        text = f"{self.param:g}"
        if float(text) != self.param:  # :g keeps 6 digits; fall back to the exact repr
            text = repr(self.param)
        return f"{self.name}({text})"

    @property
    def title(self):
        """Its name as a reader sees it, a text to word (with its parameter when not the default)."""
        name = key_or_words(f"engine.activation.{self.name}", self.name)  # engine.toml; a toy's: its own name
        label = self.label
        return name if label == self.name else text("engine.activation_with_param", name=name,
                                                    param=label[len(self.name) + 1:-1])

    def forward(self, z: Array) -> Array:
        return _rule(self.name).forward(z, self.param)

    def derivative(self, z: Array, a: Array) -> Array:
        """Elementwise f'(z); `a` is f(z), reused where the closed form needs it."""
        rule = _rule(self.name)
        if rule.derivative is None:
            raise ValueError(f"{self.name} has no elementwise derivative; use backward()")
        return rule.derivative(z, a, self.param)

    def backward(self, z: Array, a: Array, da: Array) -> Array:
        """Vector-Jacobian product: dL/dz from dL/da."""
        rule = _rule(self.name)
        if rule.vjp is not None:
            return rule.vjp(z, a, da, self.param)
        return da * rule.derivative(z, a, self.param)

    def slip(self, mistake_id: str, z: Array, a: Array, da: Array) -> Array | None:
        """The dz a student making `mistake_id` computes here, or None if it does not apply."""
        wrong = _rule(self.name).slips.get(mistake_id)
        return None if wrong is None else wrong(z, a, da, self.param)

    def degenerate(self, z: Array, a: Array, layer: int):
        """Why (z, a) in `layer` makes a poor question (a kink hit exactly, saturation): a text, or None."""
        check = _rule(self.name).degenerate
        why = check(z, a) if check is not None else None
        if why is None:
            return None
        return text(why, name=self.name, layer=layer) if why in catalog() else why.format(name=self.name, layer=layer)


def parse_activation(spec: str) -> Activation:
    """Read "relu", "leaky_relu(0.1)" or "elu(2)"; raise ValueError with what is wrong."""
    if not isinstance(spec, str):
        raise ValueError(t("engine.error.activation_not_name", value=spec))
    match = _SPEC.match(spec)
    if not match or match.group(1) not in RULES:
        raise ValueError(t("engine.error.unknown_activation", value=spec, known=", ".join(NAMES)))
    name, raw = match.group(1), match.group(2)
    default = RULES[name].param
    if raw is None:
        return Activation(name, default)
    if default is None:
        raise ValueError(t("engine.error.no_parameter", name=name))
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(t("engine.error.parameter_not_number", value=spec)) from None
    if not math.isfinite(value):
        raise ValueError(t("engine.error.parameter_not_finite", value=spec))
    return Activation(name, value)
