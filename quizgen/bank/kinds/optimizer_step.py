"""optimizer_step: a parameter (or its velocity / moment) after k optimizer steps on a given
gradient sequence: SGD with L2 weight decay, momentum, RMSProp, Adam (engine/optimizers.py).

The family's [optimizer] table names the rule, the number of steps, what is asked and the
hyperparameter choices; the worked solution shows every update of every step with its numbers.
"""

from __future__ import annotations

import numpy as np

from quizgen.bank.fields import number_range, one_of, own_table
from quizgen.bank.kinds import precision
from quizgen.bank.kinds.base import Kind, register
from quizgen.bank.kinds.common import DISPLAY_FLOOR, Distractors, Draft, asked_precision, make_answer, require
from quizgen.bank.kinds.values import value_step
from quizgen.bank.prompts import DEFAULTS
from quizgen.bank.question import Given
from quizgen.bank.sample import Degenerate, grid_values
from quizgen.bank.spec import GRIDS, Family
from quizgen.engine.optimizers import OPTIMIZERS, Hyper, run
from quizgen.messages import t
from quizgen.messages.text import text
from quizgen.render.numbers import fmt

KEYS = {"rule", "steps", "ask", "learning_rate", "beta", "beta1", "beta2", "eps", "weight_decay", "parameter", "w",
        "g"}
MAX_STEPS = 4  # more updates than this is no longer a hand calculation
# The hyperparameters each rule reads, with their default choices.
HYPER = {"sgd": {"learning_rate": [0.1], "weight_decay": [0.0]},
         "momentum": {"learning_rate": [0.1], "beta": [0.9], "weight_decay": [0.0]},
         "rmsprop": {"learning_rate": [0.01], "beta": [0.9], "eps": [1e-8]},
         "adam": {"learning_rate": [0.001], "beta1": [0.9], "beta2": [0.999], "eps": [1e-8]}}
SYMBOL = {"w": "w", "v": "v", "s": "s", "m": "m", "m_hat": r"\hat{m}", "s_hat": r"\hat{s}"}
HYPER_TEX = {"learning_rate": r"\eta", "beta": None, "beta1": r"\beta_{1}", "beta2": r"\beta_{2}",
             "eps": r"\varepsilon", "weight_decay": r"\lambda"}
# The lines of the rule a velocity or moment is computed from.
NEEDS = {"v": ("v",), "m": ("m",), "m_hat": ("m", "m_hat"), "s": ("s",), "s_hat": ("s", "s_hat")}
# Slips whose effect can vanish at the asked precision (a tiny ε): kept only where they show.
SOFT = {"eps_inside_sqrt", "eps_forgotten"}


def _choices(c, key: str, value) -> list[float] | None:
    values = value if isinstance(value, list) else [value]
    if (not values or len(values) > 8 or not all(isinstance(v, (int, float)) and not isinstance(v, bool)
                                                 and 0 <= v < 10 for v in values)):
        c.add(key, t("kinds.optimizer_choices", value=str(value)[:40]))
        return None
    return [float(v) for v in values]


def validate(c, seen: dict) -> None:
    raw = own_table(c, seen.get("table"), "optimizer", KEYS, "kinds.optimizer_table", "kinds.optimizer_unknown_key")
    if raw is None:
        return
    rule = one_of(c, "optimizer.rule", raw.get("rule"), tuple(OPTIMIZERS), "rule")
    number_range(c, "optimizer.steps", raw.get("steps", [1, 1]), low=1, high=MAX_STEPS)
    asks = ("w",) + (OPTIMIZERS[rule].state if rule else ())
    one_of(c, "optimizer.ask", raw.get("ask", "w"), asks, "ask")
    one_of(c, "optimizer.parameter", raw.get("parameter", "weight"), ("weight", "bias"), "parameter")
    for key in ("learning_rate", "beta", "beta1", "beta2", "eps", "weight_decay"):
        if key in raw:
            values = _choices(c, f"optimizer.{key}", raw[key])
            if values and key in ("beta", "beta1", "beta2") and not all(0 < v < 1 for v in values):
                c.add(f"optimizer.{key}", t("kinds.optimizer_choices", value=str(raw[key])[:40]))
            if values and key in ("learning_rate",) and not all(v > 0 for v in values):
                c.add(f"optimizer.{key}", t("kinds.optimizer_choices", value=str(raw[key])[:40]))
    for key, default in (("w", [-2, 2]), ("g", [-2, 2])):
        number_range(c, f"optimizer.{key}", raw.get(key, default), integer=False, low=-100, high=100)


def _pick(rng, values: list) -> float:
    return float(values[int(rng.integers(len(values)))])


def _n(x: float) -> list[dict]:
    """A number as a step part, bracketed when negative (0.9 · (−0.5), not 0.9 · −0.5)."""
    return [{"tex": r"\left("}, {"num": x}, {"tex": r"\right)"}] if x < 0 else [{"num": x}]


def _steps(rule: str, w0: float, record: list[dict], h: Hyper, decays: bool) -> list:
    """One worked step per line of the rule per update, each with its numbers."""
    out = []
    prev = {"w": w0, "v": 0.0, "m": 0.0, "s": 0.0}
    for r in record:
        t_ = r["t"]
        g = r["g_eff"]
        if decays:
            out.append(value_step(text("kinds.optim_decay_title", t=t_), rf"g_{{{t_}}} + \lambda\, w_{{{t_ - 1}}}",
                                  [{"tex": rf"g_{{{t_}}} ="}, *_n(r["g"]), {"tex": "+"}, {"num": h.decay},
                                   {"tex": r"\cdot"}, *_n(prev["w"]), {"tex": "="}, {"num": g}], g,
                                  text("kinds.optim_decay_explanation"), shape=[], role="rule"))
        sub = lambda name: f"{SYMBOL[name]}_{{{t_}}}"
        line = lambda i, t=t_: (OPTIMIZERS[rule].rule_tex[i].replace("_{t-1}", f"_{{{t - 1}}}")
                                .replace("_{t}", f"_{{{t}}}").replace("^{t}", f"^{{{t}}}"))
        if rule == "momentum":
            out.append(value_step(text("kinds.optim_v_title", t=t_), line(0),
                                  [{"tex": f"{sub('v')} ="}, {"num": h.beta}, {"tex": r"\cdot"}, *_n(prev["v"]),
                                   {"tex": "-"}, {"num": h.lr}, {"tex": r"\cdot"}, *_n(g), {"tex": "="},
                                   {"num": r["v"]}], r["v"], text("kinds.optim_v_explanation"), shape=[],
                                  role="update"))
            out.append(value_step(text("kinds.optim_momentum_w_title", t=t_), line(1),
                                  [{"tex": f"{sub('w')} ="}, *_n(prev["w"]), {"tex": "+"}, *_n(r["v"]), {"tex": "="},
                                   {"num": r["w"]}], r["w"], text("kinds.optim_momentum_w_explanation"), shape=[],
                                  role="update"))
        elif rule == "sgd":
            out.append(value_step(text("kinds.optim_sgd_w_title", t=t_), line(0),
                                  [{"tex": f"{sub('w')} ="}, *_n(prev["w"]), {"tex": "-"}, {"num": h.lr},
                                   {"tex": r"\cdot"}, *_n(g), {"tex": "="}, {"num": r["w"]}], r["w"],
                                  text("kinds.optim_sgd_w_explanation"), shape=[], role="update"))
        else:
            beta = h.beta if rule == "rmsprop" else h.beta1
            if rule == "adam":
                out.append(value_step(text("kinds.optim_m_title", t=t_), line(0),
                                      [{"tex": f"{sub('m')} ="}, {"num": beta}, {"tex": r"\cdot"}, *_n(prev["m"]),
                                       {"tex": "+"}, {"num": round(1 - beta, 12)}, {"tex": r"\cdot"}, *_n(g),
                                       {"tex": "="}, {"num": r["m"]}], r["m"], text("kinds.optim_m_explanation"),
                                      shape=[], role="update"))
            b2 = h.beta if rule == "rmsprop" else h.beta2
            out.append(value_step(text("kinds.optim_s_title", t=t_), line(0 if rule == "rmsprop" else 1),
                                  [{"tex": f"{sub('s')} ="}, {"num": b2}, {"tex": r"\cdot"}, {"num": prev["s"]},
                                   {"tex": "+"}, {"num": round(1 - b2, 12)}, {"tex": r"\cdot"}, *_n(g),
                                   {"tex": "^{2} ="}, {"num": r["s"]}], r["s"], text("kinds.optim_s_explanation"),
                                  shape=[], role="update"))
            top, bottom = g, r["s"]
            if rule == "adam":
                c1, c2 = round(1 - h.beta1 ** t_, 12), round(1 - h.beta2 ** t_, 12)
                out.append(value_step(text("kinds.optim_m_hat_title", t=t_), line(2),
                                      [{"tex": rf"{sub('m_hat')} ="}, *_n(r["m"]), {"tex": "/"}, {"num": c1},
                                       {"tex": "="}, {"num": r["m_hat"]}], r["m_hat"],
                                      text("kinds.optim_m_hat_explanation"), shape=[], role="update"))
                out.append(value_step(text("kinds.optim_s_hat_title", t=t_), line(3),
                                      [{"tex": rf"{sub('s_hat')} ="}, {"num": r["s"]}, {"tex": "/"}, {"num": c2},
                                       {"tex": "="}, {"num": r["s_hat"]}], r["s_hat"],
                                      text("kinds.optim_s_hat_explanation"), shape=[], role="update"))
                top, bottom = r["m_hat"], r["s_hat"]
            out.append(value_step(text(f"kinds.optim_{rule}_w_title", t=t_), line(-1),
                                  [{"tex": f"{sub('w')} ="}, *_n(prev["w"]), {"tex": "-"}, {"num": h.lr},
                                   {"tex": r"\cdot"}, *_n(top), {"tex": r"/ (\surd"}, {"num": bottom},
                                   {"tex": "+"}, {"num": h.eps}, {"tex": ") ="}, {"num": r["w"]}], r["w"],
                                  text(f"kinds.optim_{rule}_w_explanation"), shape=[], role="update"))
        prev = {"w": r["w"], "v": r.get("v", 0.0), "m": r.get("m", 0.0), "s": r.get("s", 0.0)}
    return out


def build(family: Family, rng: np.random.Generator) -> Draft:
    raw = family.table
    rule = raw["rule"]
    opt = OPTIMIZERS[rule]
    ask = raw.get("ask", "w")
    bias = raw.get("parameter", "weight") == "bias"
    lo, hi = raw.get("steps", [1, 1])
    k = int(rng.integers(lo, hi + 1))
    chosen = {key: _pick(rng, raw[key] if isinstance(raw.get(key), list) else [raw[key]]) if key in raw
              else _pick(rng, default) for key, default in HYPER[rule].items()}
    h = Hyper(lr=chosen["learning_rate"], beta=chosen.get("beta", 0.9), beta1=chosen.get("beta1", 0.9),
              beta2=chosen.get("beta2", 0.999), eps=chosen.get("eps", 1e-8), decay=chosen.get("weight_decay", 0.0))
    step = GRIDS[family.grid]
    w0 = float(grid_values(rng, *raw.get("w", [-2, 2]), step, (), nonzero=True))
    grads = [float(grid_values(rng, *raw.get("g", [-2, 2]), step, (), nonzero=True)) for _ in range(k)]
    record = run(rule, w0, grads, h, bias=bias)
    value = float(record[-1][ask])
    if abs(value) < DISPLAY_FLOOR:
        raise Degenerate("reject.asked_value_zero", key="values")
    exact = rule in ("sgd", "momentum")
    asked = asked_precision(value, exact)
    # a student carries each intermediate to CARRY figures: widen by what that costs
    widen = 0.0 if asked["rule"] == "exact" else _carried(rule, w0, grads, h, bias, ask, precision.CARRY) - value
    answer = make_answer(value, asked, widen)
    found = Distractors(answer)
    decay_slip = ("decay_on_bias",) if bias else ("decay_forgotten",)
    slips = opt.slips + (decay_slip if h.decay else ())
    for slip in slips:
        found.add(run(rule, w0, grads, h, bias=bias, slip=slip)[-1][ask], slip, strict=slip not in SOFT)
    require(found.kept, family.min_distractors)
    if asked["rule"] != "exact":
        found.add(_carried(rule, w0, grads, h, bias, ask, precision.EARLY), "rounded_too_early", strict=False)

    decays = bool(h.decay) and not bias
    steps = _steps(rule, w0, record, h, decays)
    if ask != "w":  # a velocity or moment needs its own chain only, and its bias correction only at the end
        keys = {f"kinds.optim_{name}_title" for name in NEEDS[ask]}
        steps = [s for s in steps if s.title["key"] in keys
                 and not (s.title["key"].endswith("hat_title") and s.title["params"]["t"] != k)]
    given = [Given("w0", "w_{0}", w0)] + [Given(f"g{i}", f"g_{{{i}}}", g) for i, g in enumerate(grads, start=1)]
    for key in HYPER[rule]:
        if key == "weight_decay" and not chosen[key]:
            continue
        name = key if key != "beta" else ("mu" if rule == "momentum" else "rho")
        tex = HYPER_TEX[key] or (r"\mu" if rule == "momentum" else r"\rho")
        given.append(Given(name, tex, chosen[key]))
    asked_tex = f"{SYMBOL[ask]}_{{{k}}}"
    what = "b" if bias else "w"
    context = {"asked": asked_tex, "asked_text": f"{ask}_{k}", "optimizer": text(opt.key), "count": str(k),
               "parameter": text(f"kinds.optim_parameter_{what}" + ("_decay" if h.decay else "")),
               "learning_rate": fmt(h.lr)}
    return Draft(answer=answer, steps=steps, given=given, context=context, distractors=found.kept)


def _carried(rule: str, w0: float, grads: list, h: Hyper, bias: bool, ask: str, digits: int) -> float:
    """The asked value of a student who rounds every state and the parameter to `digits` figures."""
    opt = OPTIMIZERS[rule]
    state: dict = {}
    w = w0
    decays = h.decay and not bias
    for t_, g in enumerate(grads, start=1):
        g_eff = g + h.decay * w if decays else g
        state, w = opt.update(state, w, g_eff, h, t_, None)
        state = {key: float(precision.round_sig(v, digits)) for key, v in state.items()}
        w = float(precision.round_sig(w, digits))
    return {**state, "w": w}[ask]


KIND = register(Kind("optimizer_step", build, lambda: DEFAULTS["optimizer_step"], validate, sized=False, table="optimizer"))
