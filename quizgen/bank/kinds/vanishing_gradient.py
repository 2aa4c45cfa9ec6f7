"""vanishing_gradient: a deep chain of scalar sigmoid, tanh or ReLU units; asks ∂a_L/∂x, the loss
gradient ∂J/∂x from a given ∂J/∂a_L, the factor |∂a_L/∂x| a gradient is scaled by on its way down,
or the bound (1/4)^L·Π|w_l| every sigmoid chain's gradient stays under (engine/vanishing.py).

The family's [vanishing] table names the activation, the depth, what is given (the pre-activations
or the input) and what is asked; the worked solution walks back one line per unit, local gradient
× weight × upstream, then multiplies the factors. The wrong answers are the walk's slips.
"""

from __future__ import annotations

import math

import numpy as np

from quizgen.bank.fields import add_known, grid_holds_points, number_range, own_table
from quizgen.bank.kinds import precision
from quizgen.bank.kinds.base import Kind, register
from quizgen.bank.kinds.common import Distractors, Draft, asked_precision, make_answer, require
from quizgen.bank.kinds.values import value_step
from quizgen.bank.latex import act_tex
from quizgen.bank.prompts import DEFAULTS
from quizgen.bank.question import Given
from quizgen.bank.sample import Degenerate, grid_values
from quizgen.bank.spec import GRIDS, Family
from quizgen.datafile import clip
from quizgen.engine import vanishing as van
from quizgen.engine.activations import parse_activation
from quizgen.messages import t
from quizgen.messages.text import text
from quizgen.render.numbers import round_sig

KEYS = {"activation", "layers", "ask", "given", "w", "z", "x", "b", "g", "dead"}
ASKS = ("derivative", "gradient", "factor", "bound")
GIVEN = ("preactivations", "input")
MAX_LAYERS = 8  # eight factors is the deepest chain a hand calculation should multiply out
MAX_RANGE = 10  # |w|, |z|, |x|, |b|, |g|


def validate(c, seen: dict) -> None:
    raw = own_table(c, seen.get("table"), "vanishing", KEYS, "kinds.van_table", "kinds.van_unknown_key")
    if raw is None:
        return
    acts = raw.get("activation", "sigmoid")
    names = acts.split("|") if isinstance(acts, str) else [None]
    if not all(n in van.ACTIVATIONS for n in names):
        add_known(c, "vanishing.activation", "kinds.van_activation", van.ACTIVATIONS, value=clip(str(acts)))
        names = []
    ask = raw.get("ask", "derivative")
    if ask not in ASKS:
        add_known(c, "vanishing.ask", "family.unknown_name", ASKS, what="ask", value=clip(str(ask)))
    elif ask == "bound" and any(van.UNITS[n].peak != 0.25 for n in names):
        c.add("vanishing.ask", t("kinds.van_bound_sigmoid"))
    given = raw.get("given", "preactivations")
    if given not in GIVEN:
        add_known(c, "vanishing.given", "family.unknown_name", GIVEN, what="given", value=clip(str(given)))
    number_range(c, "vanishing.layers", raw.get("layers", [3, 3]), low=2, high=MAX_LAYERS)
    dead = raw.get("dead", False)
    if not isinstance(dead, bool):
        c.add("vanishing.dead", t("family.boolean", value=clip(dead) if isinstance(dead, str) else dead))
    elif dead and not (names and all(van.UNITS[n].gate for n in names)):
        c.add("vanishing.dead", t("kinds.van_dead_relu"))
    step = GRIDS.get(seen.get("grid") or "integers", 1.0)
    for key, default in (("w", [-2, 2]), ("z", [-2, 2]), ("x", [-2, 2]), ("b", [0, 0]), ("g", [-2, 2])):
        bounds = number_range(c, f"vanishing.{key}", raw.get(key, default), integer=False, low=-MAX_RANGE,
                              high=MAX_RANGE)
        if bounds and key in raw:
            grid_holds_points(c, f"vanishing.{key}", bounds, step, key != "b")


class Case:
    """One variant: the activation, weights, the forward chain (unless a bound is asked), g."""

    def __init__(self, family: Family, rng: np.random.Generator):
        raw = family.table
        names = raw.get("activation", "sigmoid").split("|")
        self.name = names[int(rng.integers(len(names)))]
        self.unit = van.UNITS[self.name]
        self.ask = raw.get("ask", "derivative")
        self.given = raw.get("given", "preactivations")
        lo, hi = raw.get("layers", [3, 3])
        L = int(rng.integers(lo, hi + 1))
        step = GRIDS[family.grid]
        draw = lambda key, default, shape, nonzero: grid_values(rng, *raw.get(key, default), step, shape, nonzero)  # noqa: E731
        self.w = tuple(float(v) for v in draw("w", [-2, 2], (L,), True))
        self.x = self.b = self.z = self.chain = None
        self.g = float(draw("g", [-2, 2], (), True)) if self.ask == "gradient" else 1.0
        if self.ask == "bound":
            return
        dead = raw.get("dead", False)
        if self.given == "preactivations":
            z = draw("z", [-2, 2], (L,), True)
            if self.unit.gate and not dead:
                z = np.abs(z)  # every unit active: each passes its gradient whole
            self.z = tuple(float(v) for v in z)
            self.chain = van.forward(self.name, self.w, z=self.z)
        else:
            self.x = float(draw("x", [-2, 2], (), True))
            self.b = tuple(float(v) for v in draw("b", [0, 0], (L,), False)) if "b" in raw else None
            self.chain = van.forward(self.name, self.w, x=self.x, b=self.b)
            if self.unit.gate and any(z == 0 for z in self.chain.z):
                raise Degenerate("reject.relu_kink", key="vanishing")
            if self.unit.gate and not dead and any(z < 0 for z in self.chain.z):
                raise Degenerate("reject.relu_dead", key="vanishing")

    @property
    def exact(self) -> bool:
        return self.ask == "bound" or self.unit.gate

    def value(self, slip: str | None = None, digits: int | None = None) -> float:
        """The asked value, right or with `slip`; `digits`: every stage carried to that many figures."""
        if self.ask == "bound":
            return van.bound(self.name, self.w, slip)
        carry = (lambda v: float(round_sig(v, digits))) if digits else None  # noqa: E731
        chain = self.chain
        if carry:
            chain = (van.forward(self.name, self.w, z=self.z, carry=carry) if self.z is not None
                     else van.forward(self.name, self.w, x=self.x, b=self.b, carry=carry))
        value = van.gradient(chain, self.g, slip, carry)
        return abs(value) if self.ask == "factor" else value

    def slips(self) -> tuple[str, ...]:
        if self.ask == "bound":
            return van.BOUND_SLIPS
        out = ["sigma_for_derivative", "vanish_weights_forgotten", "vanish_sum_not_product"]
        if self.unit.swapped:
            out.insert(1, "tanh_sigmoid_swapped")
        if self.unit.gate and any(z < 0 for z in self.chain.z):
            out.append("vanish_relu_dead_passes")
        return tuple(out)


def _n(x: float) -> list[dict]:
    return [{"tex": r"("}, {"num": x}, {"tex": r")"}] if x < 0 else [{"num": x}]


def _a(l: int) -> str:
    return "x" if l == 0 else f"a_{{{l}}}"


def forward_steps(case: Case) -> list:
    """Each unit's pre-activation (from the input) and activation."""
    steps, tex = [], act_tex(parse_activation(case.name))
    chain = case.chain
    for l in range(1, chain.layers + 1):
        z, a = chain.z[l - 1], chain.a[l - 1]
        if case.x is not None:
            prev = case.x if l == 1 else chain.a[l - 2]
            parts = [{"tex": f"z_{{{l}}} ="}, *_n(case.w[l - 1]), {"tex": r"\cdot"}, *_n(prev)]
            symbolic = f"z_{{{l}}} = w_{{{l}}} {_a(l - 1)}"
            if case.b is not None:
                parts += [{"tex": "+"}, *_n(case.b[l - 1])]
                symbolic += f" + b_{{{l}}}"
            steps.append(value_step(text("kinds.van_pre_title", l=l), symbolic, parts + [{"tex": "="}, {"num": z}], z,
                                    text("kinds.van_pre_explanation" if case.b is not None else "kinds.van_pre_nobias_explanation"), shape=[], role="forward"))
        steps.append(value_step(text("kinds.van_act_title", l=l), f"a_{{{l}}} = {tex}(z_{{{l}}})",
                                [{"tex": f"a_{{{l}}} = {tex}("}, {"num": z}, {"tex": r") ="}, {"num": a}], a,
                                text("kinds.van_act_explanation"), shape=[], role="forward"))
    return steps


# f′(z_l) written from unit l's numbers (a, z), and its symbol: one entry per chain activation.
LOCAL_PARTS = {
    "sigmoid": lambda l, a, z: ([{"num": a}, {"tex": "(1 -"}, {"num": a}, {"tex": ")"}], f"a_{{{l}}}(1 - a_{{{l}}})"),
    "tanh": lambda l, a, z: ([{"tex": "(1 -"}, *_n(a), {"tex": "^{2})"}], f"(1 - a_{{{l}}}^{{2}})"),
    "relu": lambda l, a, z: ([{"num": 1.0 if z > 0 else 0.0}], rf"\mathrm{{ReLU}}'(z_{{{l}}})"),
}


def backward_steps(case: Case) -> list:
    """Seed, one line per unit (local gradient × weight × upstream), then the product of the factors."""
    chain, L = case.chain, case.chain.layers
    top = "J" if case.ask == "gradient" else f"a_{{{L}}}"
    d = lambda l: rf"\frac{{\partial {top}}}{{\partial {_a(l)}}}"  # noqa: E731
    seed = (("kinds.van_seed_g_title", "kinds.van_seed_g_explanation") if case.ask == "gradient"
            else ("kinds.van_seed_title", "kinds.van_seed_explanation"))
    steps = [value_step(text(seed[0]), f"{d(L)} = {'g' if case.ask == 'gradient' else '1'}",
                        [{"tex": f"{d(L)} ="}, {"num": case.g}], case.g, text(seed[1]), shape=[], role="given")]
    factors = []
    for v in van.walk(chain, case.g):
        l = v.layer
        parts, rule = LOCAL_PARTS[case.name](l, chain.a[l - 1], chain.z[l - 1])
        symbolic = f"{d(l - 1)} = {rule} \\cdot w_{{{l}}} \\cdot {d(l)}"
        steps.append(value_step(text(f"kinds.van_back_{case.name}_title", l=l), symbolic,
                                [{"tex": f"{d(l - 1)} ="}, *parts, {"tex": r"\cdot"}, *_n(v.weight), {"tex": r"\cdot"},
                                 *_n(v.upstream), {"tex": "="}, {"num": v.product}], v.product,
                                text(f"kinds.van_back_{case.name}_explanation", l=l), shape=[], role="backward"))
        factors.append(v.local * v.weight)
    value = steps[-1].result
    parts = [{"tex": f"{d(0)} ="}] + ([{"num": case.g}, {"tex": r"\cdot"}] if case.ask == "gradient" else [])
    for i, f in enumerate(reversed(factors)):
        parts += ([{"tex": r"\cdot"}] if i else []) + _n(f)
    lead = "g \\cdot " if case.ask == "gradient" else ""
    steps.append(value_step(text("kinds.van_product_title"),
                            rf"{d(0)} = {lead}\prod_{{l=1}}^{{{L}}} f'(z_{{l}})\, w_{{l}}",
                            parts + [{"tex": "="}, {"num": value}], value,
                            text("kinds.van_product_explanation", count=L), shape=[], role="backward"))
    if case.ask == "factor":
        steps.append(value_step(text("kinds.van_factor_title"), rf"\left|{d(0)}\right|",
                                [{"tex": r"|"}, {"num": value}, {"tex": r"| ="}, {"num": abs(value)}],
                                abs(value), text("kinds.van_factor_explanation", count=L), shape=[], role="read"))
    return steps


def bound_steps(case: Case) -> list:
    """σ′ is largest at z = 0, then that largest factor for every unit times each |w_l|."""
    L = len(case.w)
    value = van.bound(case.name, case.w)
    steps = [value_step(text("kinds.van_peak_title"), r"\max_{z} \sigma'(z) = \sigma'(0) = \sigma(0)(1 - \sigma(0))",
                        [{"tex": r"\sigma'(0) ="}, {"num": 0.5}, {"tex": r"\cdot (1 -"}, {"num": 0.5}, {"tex": ") ="},
                         {"num": 0.25}], 0.25, text("kinds.van_peak_explanation"), shape=[], role="rule")]
    parts = [{"tex": "B ="}, {"num": 0.25}, {"tex": f"^{{{L}}}"}]
    for w in case.w:
        parts += [{"tex": r"\cdot |"}, {"num": w}, {"tex": r"|"}]
    steps.append(value_step(text("kinds.van_bound_title"), rf"B = \left(1/4\right)^{{{L}}} \prod_{{l=1}}^{{{L}}} |w_{{l}}|",
                            parts + [{"tex": "="}, {"num": value}], value, text("kinds.van_bound_explanation", count=L),
                            shape=[], role="backward"))
    return steps


def build(family: Family, rng: np.random.Generator) -> Draft:
    case = Case(family, rng)
    value = case.value()
    if not math.isfinite(value):
        raise Degenerate("reject.asked_value_not_finite", key="vanishing")
    if abs(value) < 1e-9 and not (case.unit.gate and family.table.get("dead")):
        raise Degenerate("reject.asked_gradient_zero", key="vanishing")
    asked = asked_precision(value, case.exact)
    answer = make_answer(value, asked, 0.0 if case.exact else case.value(digits=precision.CARRY) - value)
    found = Distractors(answer)
    for slip in case.slips():
        found.add(case.value(slip), slip)
    require(found.kept, family.min_distractors)
    if not case.exact:
        found.add(case.value(digits=precision.EARLY), "rounded_too_early", strict=False)
    steps = bound_steps(case) if case.ask == "bound" else forward_steps(case) + backward_steps(case)
    return Draft(answer=answer, steps=steps, given=_given(case), context=_context(case), distractors=found.kept)


def _given(case: Case) -> list[Given]:
    given = [] if case.x is None else [Given("x", "x", case.x)]
    given += [Given(f"w{l}", f"w_{{{l}}}", w) for l, w in enumerate(case.w, start=1)]
    if case.b is not None:
        given += [Given(f"b{l}", f"b_{{{l}}}", b) for l, b in enumerate(case.b, start=1)]
    if case.z is not None:
        given += [Given(f"z{l}", f"z_{{{l}}}", z) for l, z in enumerate(case.z, start=1)]
    if case.ask == "gradient":
        given.append(Given("g", "g", case.g))
    return given


def _context(case: Case) -> dict:
    L = len(case.w)
    act = parse_activation(case.name)
    tex = act_tex(act)
    bias = "" if case.given == "input" and case.b is None else r" + b_{l}"
    network = rf"z_{{l}} = w_{{l}}\, a_{{l-1}}{bias},\; a_{{l}} = {tex}(z_{{l}})"
    if case.ask == "bound":
        known, asked, plain = text("kinds.van_known_bound"), "B", "B"
    else:
        base = ("kinds.van_known_preactivations" if case.given == "preactivations" else
                "kinds.van_known_input" if case.b is not None else "kinds.van_known_input_nobias")
        known = text(base)
        if case.ask == "gradient":
            known = text("kinds.van_known_pair", first=known, second=text("kinds.van_known_upstream", L=L))
        if case.ask == "factor":
            known = text("kinds.van_known_pair", first=known, second=text("kinds.van_known_factor"))
        top = "J" if case.ask == "gradient" else f"a_{{{L}}}"
        asked = rf"\frac{{\partial {top}}}{{\partial x}}"
        plain = f"∂{'J' if case.ask == 'gradient' else f'a{L}'}/∂x"
        if case.ask == "factor":
            asked, plain = rf"\left|{asked}\right|", f"|{plain}|"
    return {"asked": asked, "asked_text": plain, "L": L, "network": network, "known": known,
            "activation": text(f"kinds.van_unit_{case.name}"), "activation_latex": tex}  # "ReLU", as the steps write it


KIND = register(Kind("vanishing_gradient", build, lambda: DEFAULTS["vanishing_gradient"], validate, sized=False, table="vanishing"))
