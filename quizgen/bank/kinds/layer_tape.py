"""What layer_forward and layer_backward share: a family's [layer] table checked against a layer type
(engine/layers/base.py `AskedLayer`), one variant drawn and solved by the type's rules, its worked
steps and its catalogued mistakes. Nothing here knows which type it asks about.

A [layer] table: `type`, `ask` (a quantity the type's rules compute), `features` and `batch`
(ranges of the input's size), `dy` (the range of the upstream gradient), each of the type's options
(one word) and of its stated scalars (a number, or a list of choices).
"""

from __future__ import annotations

from itertools import groupby
from operator import itemgetter

import numpy as np

from quizgen.bank.fields import add_known, number_range, one_of
from quizgen.bank.kinds import precision
from quizgen.bank.kinds.common import DISPLAY_FLOOR, Distractors, Draft, asked_precision, make_answer, require
from quizgen.bank.kinds.values import value_step
from quizgen.bank.question import Given
from quizgen.bank.sample import Degenerate, grid_values
from quizgen.bank.spec import GRIDS, Family
from quizgen.engine.layers import TYPES, evaluate, needed
from quizgen.engine.network import Notation
from quizgen.messages import t
from quizgen.messages.text import text
from quizgen.render.numbers import round_sig

TABLE = "layer"  # the family's table; error keys are built from it (not catalog keys of the 'layer' area)
COMMON = {"type", "ask", "features", "batch", "dy"}
MAX_FEATURES, MAX_BATCH = 4, 5  # a hand calculation
MAX_CHOICES = 8
NEAR_CANCEL = 0.01  # an entry this small beside the largest is a cancellation, not a hand calculation


def asked_types() -> list[str]:
    return [name for name, layer in TYPES.items() if hasattr(layer, "rules")]


def options_of(layer, raw: dict) -> dict:
    return {key: raw.get(key, allowed[0]) for key, allowed in layer.options.items()}


def validate(c, seen: dict, backward: bool) -> None:
    raw = seen.get("table")
    if not isinstance(raw, dict):
        c.add(TABLE, t("kinds.layer_table", types=", ".join(asked_types())))
        return
    name = one_of(c, f"{TABLE}.type", raw.get("type"), tuple(asked_types()), "layer type")
    if name is None:
        return
    layer = TYPES[name]
    known = COMMON | set(layer.options) | set(layer.scalars)
    for key in sorted(set(raw) - known, key=str):
        add_known(c, f"{TABLE}.{key}"[:80], "kinds.layer_unknown_key", sorted(known))
    for key, allowed in layer.options.items():
        if key in raw:
            one_of(c, f"{TABLE}.{key}", raw[key], allowed, key)
    for key, (low, high, _) in layer.scalars.items():
        values = raw.get(key, [low])
        values = values if isinstance(values, list) else [values]
        if (not values or len(values) > MAX_CHOICES or not all(
                isinstance(v, (int, float)) and not isinstance(v, bool) and low <= v <= high for v in values)):
            c.add(f"{TABLE}.{key}", t("kinds.layer_choices", low=low, high=high, value=str(raw[key])[:40]))
    number_range(c, f"{TABLE}.features", raw.get("features", [1, 2]), low=1, high=MAX_FEATURES)
    number_range(c, f"{TABLE}.batch", raw.get("batch", [2, 3]), low=1, high=MAX_BATCH)
    number_range(c, f"{TABLE}.dy", raw.get("dy", [-2, 2]), integer=False, low=-100, high=100)
    options = options_of(layer, raw)
    if any(options[k] not in allowed for k, allowed in layer.options.items()):
        return
    side = layer.backward_quantities if backward else layer.forward_quantities
    rules = layer.rules(options)
    one_of(c, f"{TABLE}.ask", raw.get("ask"), tuple(q for q in side if q in rules), "quantity")


def _choose(rng, value) -> float:
    values = value if isinstance(value, list) else [value]
    return float(values[int(rng.integers(len(values)))])


def shown(value, notation: Notation):
    """A value as the student sees it: a per-feature vector along the features axis (a column in column
    notation, a row in row notation), a matrix oriented, one entry as a number."""
    arr = np.asarray(value, dtype=float) + 0.0
    if arr.size == 1:
        return float(arr.reshape(()))
    if arr.ndim == 1:
        return (arr[:, None] if notation is Notation.COLUMN else arr[None, :]).tolist()
    return notation.orient(arr).tolist()


def build(family: Family, rng: np.random.Generator, backward: bool) -> Draft:
    raw = family.table
    layer = TYPES[raw["type"]]
    options = options_of(layer, raw)
    notation = Notation(family.notation)
    step = GRIDS[family.grid]
    n = int(rng.integers(raw.get("features", [1, 2])[0], raw.get("features", [1, 2])[1] + 1))
    m = int(rng.integers(raw.get("batch", [2, 3])[0], raw.get("batch", [2, 3])[1] + 1))

    def pick(name: str, shape, nonzero: bool) -> np.ndarray:
        return grid_values(rng, *family.ranges[name], step, shape, nonzero)

    x = pick("X", (n, m), True)  # (features, m) internally
    scalars = {key: _choose(rng, raw.get(key, list(default))) for key, (_, _, default) in layer.scalars.items()}
    stated = layer.draw(rng, (n, m), pick, {**options, **scalars})
    values = {"x": x, **stated, **scalars, "m": float(m)}
    if backward:
        y, _ = layer.forward(x, {**stated, **scalars, **options})
        values["dy"] = grid_values(rng, *raw.get("dy", [-2, 2]), step, np.shape(y), True)
    reason = layer.reject(values)
    if reason:
        raise Degenerate(reason, key="layer")
    ask = raw["ask"]
    rules = layer.rules(options)
    tape = evaluate(rules, values, ask)
    value = shown(tape[ask], notation)
    if not np.isfinite(np.asarray(value)).all():
        raise Degenerate("reject.asked_not_finite", key="layer")
    size = np.abs(np.asarray(value))
    if np.max(size) < DISPLAY_FLOOR:
        raise Degenerate("reject.asked_value_zero", key="layer")
    if ((size > 0) & (size < NEAR_CANCEL * np.max(size))).any():
        raise Degenerate("reject.entry_cancels", key="layer")
    exact = layer.exact(options)
    asked = asked_precision(value, exact)

    def carried(digits: int, rule_set=rules):
        return shown(evaluate(rule_set, values, ask, lambda a: round_sig(a, digits))[ask], notation)

    widen = 0.0 if asked["rule"] == "exact" else np.asarray(carried(precision.CARRY)) - np.asarray(value)
    answer = make_answer(value, asked, widen)
    found, wrongs = Distractors(answer), []
    try:
        for mistake in layer.mistakes:
            wrong_rules = layer.mistaken(mistake, options)
            if wrong_rules is None:
                continue
            try:
                wrong = shown(evaluate(wrong_rules, values, ask, reuse=(rules, tape))[ask], notation)
            except (ValueError, KeyError, ZeroDivisionError):  # the mistake's shapes do not fit this draw
                continue
            wrongs.append((wrong, mistake, mistake not in layer.soft))
    finally:  # speed: added in order, each run of one strictness together (add_all: one tolerance call);
        # even if a pass fails, an earlier mistake's Inseparable comes first, as one add at a time had it
        for strict, run in groupby(wrongs, key=itemgetter(2)):
            found.add_all([(wrong, mistake) for wrong, mistake, _ in run], strict)
    require(found.kept, family.min_distractors)
    if asked["rule"] != "exact":
        found.add(carried(precision.EARLY), "rounded_too_early", strict=False)

    given = [Given("x", "x", shown(x, notation))]
    given += [Given(k, layer.symbols[k], shown(v, notation)) for k, v in stated.items()]
    given += [Given(k, layer.symbols[k], v) for k, v in scalars.items()]
    if backward:
        given.append(Given("dy", layer.symbols["dy"], shown(values["dy"], notation)))
    forward = [q for q in rules if q in layer.forward_quantities]
    setting = text(f"layer.{layer.name}.setting",
                   **{k: text(f"layer.{layer.name}.{k}_{v}") for k, v in options.items()})
    context = {"layer": text(f"layer.{layer.name}.name"), "setting": setting, "notation": family.notation,
               "layout": text(f"prompts.layer_layout_{family.notation}"), "m": m,
               "network": r",\quad ".join(symbolic(rules[q], layer.symbols) for q in forward if not rules[q].aside),
               "asked": layer.symbols[ask], "asked_text": ask}
    return Draft(answer=answer, steps=steps(layer, rules, tape, ask, notation), given=given, context=context,
                 distractors=found.kept)


def symbolic(rule, symbols) -> str:
    return " ".join(symbols[p[1:]] if p.startswith("@") else p for p in rule.parts)


def steps(layer, rules, tape, ask: str, notation: Notation) -> list:
    """One step per quantity the asked one needs, in the rules' order, each with its numbers."""
    out = []
    for name in needed(rules, ask):
        rule = rules[name]
        parts = []
        for piece in rule.parts:
            if not piece.startswith("@"):
                parts.append({"tex": piece})
                continue
            number = shown(tape[piece[1:]], notation)
            after_operator = parts and not parts[-1].get("tex", "").rstrip().endswith(("=", "("))
            if isinstance(number, float) and number < 0 and after_operator:  # x − (−1.25), not x − −1.25
                parts += [{"tex": r"\left("}, {"num": number}, {"tex": r"\right)"}]
            else:
                parts.append({"num": number})
        result = shown(tape[name], notation)
        parts += [{"tex": "="}, {"num": result}]
        role = "forward" if name in layer.forward_quantities else "backward"
        out.append(value_step(text(layer.step_keys[name]), symbolic(rule, layer.symbols), parts, result,
                              text(rule.why), role=role))
    return out
