"""multipart: one network, several gradient arrays asked in backprop order, each part with its own
points and precision, and the data that lets a later part earn credit from a wrong earlier one.

A family lists its parts as [[parts]] tables (quantity, layer, points, optional sig or decimals).
Each part is a whole tape quantity (dA, dZ, dW or db of a layer). For every earlier part the
record says how this one follows from it (`Part.carry`, graded by quizgen/ecf.py):
- from a dA or dZ: everything below is linear in it, so `map` holds the matrix of that re-run;
- from a dW or db: the two share the layer's dZ, so `table` lists, for each catalogued wrong
  value of the earlier part, the later value that the same wrong dZ gives by correct steps.
"""

from __future__ import annotations

from functools import partial

import numpy as np

from quizgen.bank.kinds import precision
from quizgen.bank.fields import add_known
from quizgen.bank.prompts import DEFAULTS
from quizgen.bank.kinds.base import Kind, answer_value_box, register, steps_space, with_role
from quizgen.bank.kinds.common import (
    Distractors, Draft, approximations, asked_precision, base_context, is_exact, make_answer, network_given, require,
)
from quizgen.bank.kinds.numeric import asked_tex, asked_text
from quizgen.bank.question import Part
from quizgen.bank.sample import Degenerate, draw_network, solved
from quizgen.bank.steps import StepWriter
from quizgen.datafile import clip, key_name
from quizgen.engine import carry, mistakes
from quizgen.messages import t
from quizgen.messages.text import text

QUANTITIES = ("dA", "dZ", "dW", "db")
ORDER = {"dA": 0, "dZ": 1, "dW": 2, "db": 2}  # within a layer; layers go from the output down
PART_KEYS = {"quantity", "layer", "points", "sig", "decimals"}
MAX_PARTS = 8
NAMES = "abcdefgh"


def rank(quantity: str, layer: int) -> tuple[int, int]:
    """Position in backprop order: higher layers first, then dA, dZ, then dW and db."""
    return (-layer, ORDER[quantity])


def validate(c, seen: dict) -> None:
    raw, layers = seen.get("parts"), len(seen["hidden"]) + 1
    if not isinstance(raw, list) or not raw or not all(isinstance(p, dict) for p in raw):
        c.add("parts", t("family.parts_tables"))
        return
    if len(raw) > MAX_PARTS:
        c.add("parts", t("family.parts_too_many", count=len(raw), limit=MAX_PARTS))
        return
    last, seen_parts = None, set()
    for i, p in enumerate(raw, start=1):
        key = f"parts[{i}]"
        for extra in sorted(set(p) - PART_KEYS):
            add_known(c, f"{key}.{key_name(extra)}", "family.unknown_key", sorted(PART_KEYS))
        quantity, layer = p.get("quantity"), p.get("layer", layers)
        ok = quantity in QUANTITIES
        if not ok:
            c.add(f"{key}.quantity", t("family.one_of", names=", ".join(QUANTITIES), value=clip(repr(quantity))))
        if not isinstance(layer, int) or isinstance(layer, bool) or not 1 <= layer <= layers:
            c.add(f"{key}.layer", t("family.part_layer", layers=layers, value=clip(repr(layer))))
            ok = False
        if quantity == "db" and seen.get("bias") is False:
            c.add(f"{key}.quantity", t("family.no_bias", quantity="db"))
        points = p.get("points", 1)
        if isinstance(points, bool) or not isinstance(points, (int, float)) or not 0 < points <= 100:
            c.add(f"{key}.points", t("family.part_points", value=clip(repr(points))))
        if "sig" in p and "decimals" in p:
            c.add(key, t("family.sig_or_decimals"))
        for name, low, high in (("sig", 1, 6), ("decimals", 0, 8)):
            v = p.get(name)
            if v is not None and (isinstance(v, bool) or not isinstance(v, int) or not low <= v <= high):
                c.add(f"{key}.{name}", t("family.whole_range", low=low, high=high, value=clip(repr(v))))
        if not ok:
            continue
        if (quantity, layer) in seen_parts:
            c.add(key, t("family.part_twice", quantity=quantity, layer=layer))
        elif last is not None and rank(quantity, layer) < last:
            c.add(key, t("family.parts_order"))
        seen_parts.add((quantity, layer))
        last = rank(quantity, layer)


def _precision(spec: dict, value, exact: bool) -> dict:
    if "sig" in spec:
        return precision.precision("sig", spec["sig"], precision.CARRY)
    if "decimals" in spec:
        return precision.precision("dec", spec["decimals"], precision.CARRY)
    return asked_precision(value, exact)


class Passes:
    """The whole passes every part reads its values from, each made at most once per draw: a
    mistake's backward pass and the carried ones (a pass to the bottom layer holds every layer's
    values of a pass that stops higher, bit for bit)."""

    def __init__(self, tape):
        self.tape = tape
        self.wrong: dict = {}  # mistake id -> its whole backward pass, or None where it cannot be made
        self._carried: dict = {}  # digits -> the carried tape
        self._matched: dict = {}  # earlier part's name -> wrong_dz of it
        self._applies: dict = {}  # mistake id -> whether it applies to the network
        self._reruns: dict = {}  # (mistake id, start) -> the whole correct re-run from its wrong value there
        self._units: dict = {}  # start -> the whole re-run from each unit vector there (linear_map's columns)
        self._short: dict = {}  # (mistake id, stop) -> its pass stopped at that layer index, or None

    def mistake(self, mid: str):
        """The mistake's whole backward pass (None where it is not applicable or fails)."""
        if mid not in self.wrong:
            try:
                self.wrong[mid] = mistakes.CATALOG[mid].backward(self.tape)
            except (mistakes.NotApplicable, KeyError, IndexError, TypeError):
                self.wrong[mid] = None
        return self.wrong[mid]

    def carried(self, target: str, digits: int) -> np.ndarray:
        """precision.carried(net, target, digits), from one carried pass per digits."""
        if digits not in self._carried:
            self._carried[digits] = precision.carried_tape(self.tape.network, digits)
        return np.asarray(self._carried[digits].value_at(target), dtype=float)

    def rerun_of(self, mid: str, start: str, wrong, target: str) -> np.ndarray:
        """carry.carried(tape, start, wrong, target) for `wrong`, mistake `mid`'s value at `start`:
        one whole re-run per (mistake, start), read at every part's target (a re-run stopped at a
        target makes the same values, bit for bit; carry.rerun's docstring)."""
        key = (mid, start)
        if key not in self._reruns:  # speed: was one re-run per (distractor, later part)
            self._reruns[key] = carry.rerun(self.tape, start, wrong)
        return np.asarray(self._reruns[key].value_at(target), dtype=float) + 0.0

    def linear_map(self, start: str, target: str) -> np.ndarray:
        """carry.linear_map(tape, start, target), its columns read off one whole re-run per unit
        vector at `start`, made once and shared by every later part (the same bits)."""
        if start not in self._units:  # speed: was one re-run per unit vector per later part
            shape = np.shape(self.tape.value_at(start))
            size = int(np.prod(shape))
            runs = []
            for j in range(size):
                unit = np.zeros(size)
                unit[j] = 1.0
                runs.append(carry.rerun(self.tape, start, unit.reshape(shape)))
            self._units[start] = runs
        columns = [(np.asarray(run.value_at(target), dtype=float) + 0.0).ravel() for run in self._units[start]]
        return np.stack(columns, axis=1)

    def wrong_dz(self, earlier: Part, shared: str) -> list:
        """(distractor, mistake id, wrong dZ) for each distractor of `earlier` that some mistake's
        wrong dZ at `shared` gives when carried down correctly (the first such mistake): the same
        for every later part, so found once per earlier part."""
        if earlier.name not in self._matched:
            found = []
            for d in earlier.distractors:
                for mid in [d.mistake, *d.also]:
                    if mid not in mistakes.CATALOG:
                        continue
                    try:  # one backward pass per mistake, shared by every part and every pair of parts
                        wrong = self.mistake(mid).value_at(shared)
                    except (AttributeError, KeyError, IndexError, TypeError):
                        continue
                    mine = self.rerun_of(mid, shared, wrong, earlier.target)
                    if mine.shape != np.shape(d.value) or not (np.abs(mine - d.value) <= np.asarray(d.tol)).all():
                        continue  # this mistake's earlier value is not the wrong dZ carried down correctly
                    found.append((d, mid, wrong))
                    break
            self._matched[earlier.name] = found
        return self._matched[earlier.name]

    def short(self, mistake, stop: int):
        """mistake.backward(tape, stop=stop), made once per (mistake, stop) and read by every part
        at that layer (None where it fails too)."""
        key = (mistake.id, stop)
        if key not in self._short:  # speed: was made again by every part at that layer
            try:
                self._short[key] = mistake.backward(self.tape, stop=stop)
            except (mistakes.NotApplicable, KeyError, IndexError, TypeError):
                self._short[key] = None
        return self._short[key]

    def applies(self, mistake) -> bool:
        """mistake.applies(net), asked once per draw (a pass of one that does not apply is never made)."""
        if mistake.id not in self._applies:
            self._applies[mistake.id] = mistake.applies(self.tape.network)
        return self._applies[mistake.id]

    def distractors(self, target: str, answer) -> Distractors:
        """common.engine_distractors(tape, target, answer), read off the shared passes."""
        _, stop, name = target.split(".")
        stop = int(stop)
        right = getattr(self.tape.layers[stop], name)
        found, wrong_values = Distractors(answer), []
        try:
            for mistake in mistakes.CATALOG.values():
                if not self.applies(mistake):
                    continue  # its pass, whole or short, raises NotApplicable: nothing to add
                # a pass that failed below the part's layer may still reach it: make that one alone
                wrong = self.mistake(mistake.id)
                if wrong is None and (wrong := self.short(mistake, stop)) is None:
                    continue
                if getattr(wrong.layers[stop], name) is right:
                    continue  # the pass lent the correct array itself: the answer, which add() would drop
                try:
                    value = wrong.value_at(target)
                except (KeyError, IndexError, TypeError):
                    continue
                wrong_values.append((value, mistake.id))
        finally:  # speed: added together in catalog order, as engine_distractors adds them (one tolerance call)
            found.add_all(wrong_values)
        return found


class OnceWriter(StepWriter):
    """A StepWriter that writes each backward step once per draw: every part's backward_to walks
    down from the output, so the parts share the steps above their quantities (build keeps each
    step once anyway; a step is a function of the tape and its arguments alone)."""

    def __init__(self, tape):
        super().__init__(tape)
        self._memo: dict = {}

    def _once(self, key: tuple, make):
        if key not in self._memo:  # speed: was once per part that walks past it
            self._memo[key] = make()
        return self._memo[key]

    def output_steps(self):
        return list(self._once(("output",), super().output_steps))  # a copy: backward_to appends to it

    def loss_gradient_step(self):
        return self._once(("loss_gradient",), super().loss_gradient_step)

    def activation_steps(self, l: int, chain: list[int]):
        return list(self._once(("activation", l, tuple(chain)), partial(super().activation_steps, l, chain)))

    def propagate_step(self, l: int):
        return self._once(("propagate", l), partial(super().propagate_step, l))

    def weight_step(self, l: int):
        return self._once(("weight", l), partial(super().weight_step, l))

    def bias_step(self, l: int):
        return self._once(("bias", l), partial(super().bias_step, l))


def _part(family, net, passes: Passes, spec: dict, name: str) -> Part:
    quantity, l = spec["quantity"], spec.get("layer", len(net.layers))
    target = f"layers.{l - 1}.{quantity}"
    value = np.asarray(passes.tape.value_at(target), dtype=float)
    if np.all(np.abs(value) < 5e-4):
        raise Degenerate(text("reject.part_zero", part=name), key="values")
    asked = _precision(spec, value, is_exact(net))
    widen = 0.0 if asked["rule"] == "exact" else passes.carried(target, precision.CARRY) - value
    answer = make_answer(value, asked, widen)
    found = passes.distractors(target, answer)
    digits = precision.CARRY if asked["rule"] == "exact" else precision.EARLY  # as common.add_rounded_too_early
    found.add(passes.carried(target, digits), "rounded_too_early", strict=False)
    for d in found.kept:  # a family may give a mistake credit; a shared value earns the least
        d.credit = min(family.mistake_credit.get(mid, 0.0) for mid in [d.mistake, *d.also])
    return Part(name=name, label=f"({name})", target=target, asked=asked_tex(quantity, l, None),
                asked_text=asked_text(quantity, l, None), points=float(spec.get("points", 1)), answer=answer,
                distractors=found.kept)


def _tol(value, p: dict, widen) -> list:
    return np.atleast_1d(precision.tolerance(value, p, widen)).tolist()


def _widen(later: Part) -> tuple[np.ndarray, np.ndarray]:
    """The later part's value as an array and how far its tolerance widens the asked one's (the
    same for every earlier part, so worked out once per part)."""
    a = later.answer
    want = np.asarray(a.value, dtype=float)
    return want, np.maximum(np.asarray(a.tol, dtype=float) - precision.tolerance(want, a.precision), 0.0)


def _carry(passes: Passes, earlier: Part, later: Part, want: np.ndarray, widen: np.ndarray) -> dict | None:
    """How `later` follows from `earlier` (see the module docstring); None if nothing to carry.
    `want`, `widen`: _widen(later)."""
    index, name = carry.parse_target(earlier.target)
    a = later.answer
    if name in carry.STARTS:
        return {"from": earlier.name, "map": passes.linear_map(earlier.target, later.target).tolist(),
                "widen": np.atleast_1d(widen).ravel().tolist()}
    shared, table = f"layers.{index}.dZ", []
    for d, mid, wrong in passes.wrong_dz(earlier, shared):
        then = passes.rerun_of(mid, shared, wrong, later.target)
        if (np.abs(then - want) <= np.asarray(a.tol)).all():
            continue  # the same later value as the right one: nothing to carry
        table.append({"mistake": d.mistake, "value": d.value, "tol": d.tol, "then": then.tolist(),
                      "then_tol": precision.tolerance(then, a.precision, widen).tolist()})
    return {"from": earlier.name, "table": table} if table else None


def build(family, rng: np.random.Generator) -> Draft:
    net = draw_network(family, rng)
    tape = solved(net)
    passes = Passes(tape)
    parts = [_part(family, net, passes, spec, NAMES[i]) for i, spec in enumerate(family.parts)]
    require(parts[0].distractors, family.min_distractors)
    for k, later in enumerate(parts[1:], start=1):  # the first part follows from none
        want, widen = _widen(later)
        later.carry = [c for c in (_carry(passes, earlier, later, want, widen) for earlier in parts[:k]) if c]

    writer = OnceWriter(tape)
    steps, shown = with_role("forward", writer.forward()), set()
    for spec in family.parts:
        for s in with_role("backward", writer.backward_to(spec.get("layer", len(net.layers)), spec["quantity"])):
            key = (str(s.title), s.symbolic, s.substituted)
            if key not in shown:
                shown.add(key)
                steps.append(s)

    context = base_context(net)
    lines = [text("kinds.multipart_line", label=p.label, asked=p.asked, points=_points(p.points),
                  precision=precision.sentence(dict(p.answer.precision, carry=None))) for p in parts]
    listed = lines[-1]
    for line in reversed(lines[:-1]):  # one line per part, kept as texts: writers word them
        listed = text("kinds.multipart_next", first=line, rest=listed)
    context.update(asked=text("kinds.multipart_asked", lines=listed, carry=text("answer.ask_carry", carry=precision.CARRY)),
                   asked_text=", ".join(f"{p.label} {p.asked_text}" for p in parts))
    given = network_given(net) + approximations(tape, len(net.layers))
    first = parts[0]
    draft = Draft(answer=first.answer, steps=steps, given=given, context=context, problem=net.to_problem(),
                  target=first.target, distractors=first.distractors)
    draft.parts = parts
    return draft


def _points(points: float) -> str:
    n = int(points) if float(points).is_integer() else points
    return text("kinds.multipart_point_one") if n == 1 else text("kinds.multipart_points", n=n)


def answer_box(q) -> dict:
    """A labelled box per part, each a number box or bracketed grid like a one-part question's."""
    return {"kind": "parts", "parts": [dict(answer_value_box(p.answer, q.notation), label=p.label) for p in q.parts]}


def work_space(q) -> float:
    return min(steps_space(q) + 1.0 * len(q.parts), 16.0)


# rubric "all": the key spreads a question's points over its parts (part points), not its steps
KIND = register(Kind("multipart", build, lambda: DEFAULTS["multipart"], validate, answer_box=answer_box, work_space=work_space, rubric="all",
                     states_precision=False, network_prompt=True))
