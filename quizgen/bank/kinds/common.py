"""What every kind shares: the Draft a kind returns, tolerances, given data, distractors."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from quizgen.bank.kinds import precision
from quizgen.bank.latex import LOSS_TEX, act_tex, num_tex, sym
from quizgen.bank.question import Answer, Choice, Distractor, Given, Step, float_row
from quizgen.bank.sample import Degenerate
from quizgen.engine import activations, mistakes
from quizgen.engine.network import Network, Notation
from quizgen.engine.tape import Tape
from quizgen.messages.text import key_or_words, text
from quizgen.render.numbers import fmt, fmt_floats, plain

EXACT_ACTS = activations.EXACT  # live: each activation's registry entry says whether it is exact
DISPLAY_FLOOR = 5e-4  # an asked value smaller than this underflows the 4-digit display


@dataclass
class Draft:
    """What a kind builds; generate.py turns it into a Question."""

    answer: Answer
    steps: list[Step]
    given: list[Given]
    context: dict
    problem: dict | None = None
    target: str | None = None
    distractors: list[Distractor] = field(default_factory=list)
    choices: list[Choice] = field(default_factory=list)
    prompt: list | None = None  # the kind's own default prompt paragraphs (catalog texts) for this draw, if not its usual one


def is_exact(net: Network) -> bool:
    return all(a.exact for layer in net.layers for a in layer.activations)  # its registry entry's, as EXACT_ACTS reads it


def close(a, b, rtol: float, atol: float) -> bool:
    if isinstance(a, (float, int)) and isinstance(b, (float, int)):
        return abs(a - b) <= atol + rtol * abs(b)
    if float_row(a) and float_row(b):  # a step's few plain floats, without arrays: the same float64 arithmetic
        return len(a) == len(b) and all(abs(x - y) <= atol + rtol * abs(y) for x, y in zip(a, b))
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return a.shape == b.shape and bool((np.abs(a - b) <= atol + rtol * np.abs(b)).all())  # .all(): no np.all wrapper


def clean(value) -> np.ndarray:
    """A float array with floating-point residue of an exact 0 written 0.0 (render.numbers.plain)."""
    arr = np.asarray(value, dtype=float)
    if arr.size == 0:
        return arr + 0.0
    entries = arr.tolist()
    cleaned = plain(entries)
    # no residue (the common case): plain hands back the same list, whose floats are arr's own
    return arr.copy() if cleaned is entries else np.asarray(cleaned, dtype=float)


def make_answer(value, p: dict, widen=0.0) -> Answer:
    """The Answer for `value` asked at precision `p` (see precision.py), displayed as asked, so the
    key shows what a student should write: exact answers in full, decimals with every asked
    decimal, else the asked significant figures (a rounding to the asked digit is always inside
    the tolerance)."""
    arr = clean(value)
    tol = precision.tolerance(arr, p, widen)
    digits = (precision.EXACT_DECIMALS + 6 if p["rule"] == "exact"
              else precision.needed_sig(arr, p["digits"]) if p["rule"] == "dec" else p["digits"])
    atol = float(np.maximum.reduce(tol, axis=None)) if tol.size else 0.0  # tol.max()'s reduction, without its wrapper
    if arr.ndim == 0:
        x = float(arr)
        shown = fmt(x, digits)  # one text for both fields: fmt of the same float
        return Answer("number", x, shown, shown, 0.0, atol, [], p, float(tol))
    kind = "vector" if arr.ndim == 1 else "matrix"
    # the entries as Python floats, converted once: fmt_floats writes each as fmt does
    entries = arr.tolist()
    display = ("[" + ", ".join(fmt_floats(entries, digits)) + "]" if arr.ndim == 1
               else "[" + ", ".join(["[" + ", ".join(fmt_floats(row, digits)) + "]" for row in entries]) + "]")
    return Answer(kind, entries, display, num_tex(arr, digits), 0.0, atol, list(arr.shape), p, tol.tolist())


def asked_precision(value, exact_arithmetic: bool, carry: int | None = precision.CARRY) -> dict:
    """Exact if the arithmetic is exact and the value has few decimals, else SIG figures."""
    if exact_arithmetic and precision.exact_decimals(value) is not None:
        return precision.precision("exact")
    return precision.precision("sig", precision.SIG, carry)


def engine_distractors(tape: Tape, target: str, answer: Answer) -> "Distractors":
    """Every applicable mistake's backward pass, separated from the answer and merged where two
    agree (Degenerate if one lies within the answer's tolerance). `answer` is the correct
    `tape`'s value at `target`, as make_answer states it."""
    parts = target.split(".")
    layered = parts[0] == "layers"
    stop = int(parts[1]) if layered else 0
    need = parts[2] if layered else parts[0]  # each pass computes only what the target reads
    right = getattr(tape.layers[stop], need, None) if layered and 0 <= stop < len(tape.layers) else tape.dX
    net = tape.network
    found = Distractors(answer)
    wrong_values = []  # (value, mistake id) in catalog order, added together: one tolerance call for all
    try:
        for mistake in mistakes.CATALOG.values():
            if not mistake.applies(net):
                continue
            try:
                wrong = mistake.applied(tape, stop=stop, need=need)
                if right is not None and (getattr(wrong.layers[stop], need, None) if layered else wrong.dX) is right:
                    continue  # the pass lent the correct array itself: the answer, which add() would drop
                value = wrong.value_at(target)
            except (mistakes.NotApplicable, KeyError, IndexError, TypeError):
                continue
            wrong_values.append((value, mistake.id))
    finally:  # even if a pass fails: an earlier mistake's Inseparable comes first, as one add at a time had it
        found.add_all(wrong_values)
    return found


def add_rounded_too_early(found: "Distractors", net: Network, target: str) -> None:
    """The value of a student who carries too few figures (exact answers: the usual CARRY)."""
    p = found.answer.precision
    digits = precision.CARRY if p["rule"] == "exact" else precision.EARLY
    found.add(precision.carried(net, target, digits), "rounded_too_early", strict=False)


class Inseparable(Degenerate):
    """A catalogued mistake lands within the answer's tolerance: the draw cannot tell them apart."""

    def __init__(self, mistake_id: str):
        super().__init__(text("reject.inseparable", mistake=mistake_id))
        self.mistake = mistake_id


class Distractors:
    """Wrong values kept for one answer: finite, its shape, outside its tolerance, one per value.

    A catalogued mistake within the answer's tolerance raises Degenerate (the draw cannot be told
    apart from the mistake); a value within tolerance of a kept one joins it, naming both.
    """

    def __init__(self, answer: Answer):
        self.answer = answer
        self.kept: list[Distractor] = []
        p = answer.precision or {"rule": "exact", "digits": 0}
        self._p = p
        value, tol = answer.value, answer.tol
        if type(value) is float and type(tol) is float and math.isfinite(value) and math.isfinite(tol):
            self._one_number(value, tol, p)  # one finite number, as make_answer states it
            return
        self._target = np.asarray(answer.value, dtype=float)
        self._shape = self._target.shape
        self._tol = (np.asarray(answer.tol, dtype=float) if answer.tol is not None
                     else answer.atol + answer.rtol * np.abs(self._target))
        self._widen = np.maximum(self._tol - precision.tolerance(self._target, p), 0.0)
        if self._target.ndim and not self._widen.any():
            # no widening (an exact answer): tolerance skips adding a float 0.0, the same bits as
            # adding zeros to a half unit, which is never -0.0
            self._widen = 0.0
        self._arrays: list[tuple[np.ndarray, np.ndarray]] = []  # (value, tol) of each kept distractor
        self._carry = _CARRY  # made once, not per added value
        self._covers = precision.covers(p, _CARRY)
        self._fuzz = precision.FUZZ * np.maximum(1.0, np.abs(self._target))
        # an exact whole-number answer (a count, a length, a shape): nobody rounds a wrong count
        # to CARRY figures, so a whole-number mistake is recognised only exactly
        self._whole = p["rule"] == "exact" and _whole(self._target)
        # one number (the common case): plain floats, the same values as the arrays give, bit for bit
        self._scalar = self._target.ndim == 0
        if self._target.size:  # the first entries, for add's quick test
            self._t0, self._fuzz0, self._tol0 = (float(self._target.flat[0]), float(self._fuzz.flat[0]),
                                                 float(np.asarray(self._tol).flat[0]))
        if self._scalar:
            self._t, self._tol, self._widen, self._fuzz = (float(self._target), float(self._tol), float(self._widen),
                                                           float(self._fuzz))

    def _one_number(self, t: float, tol: float, p: dict) -> None:
        """`__init__` for one number in plain floats, without making arrays first: the values the
        array form gives, bit for bit (scalar_tolerance is tolerance's; a zero's sign reaches no
        comparison differently)."""
        self._shape, self._scalar, self._arrays = (), True, []
        self._carry, self._covers = _CARRY, precision.covers(p, _CARRY)
        self._target = self._t = t
        self._tol = tol
        self._widen = max(tol - precision.scalar_tolerance(t, p), 0.0)
        self._fuzz = precision.FUZZ * max(1.0, abs(t))
        self._whole = p["rule"] == "exact" and math.isfinite(t) and t.is_integer()

    def _mine_tol(self, arr):
        """A mistake is recognised as asked and at the CARRY figures a student writes it with."""
        tolerance = precision.scalar_tolerance if self._scalar else precision.tolerance
        if self._whole and (arr.is_integer() if self._scalar else bool((arr == np.rint(arr)).all())):  # finite
            return tolerance(arr, self._p, self._widen)
        if self._covers is None:
            mine, carry = tolerance(arr, self._p, self._widen), tolerance(arr, self._carry, self._widen)
            return max(mine, carry) if self._scalar else np.maximum(mine, carry)
        return tolerance(arr, self._p if self._covers else self._carry, self._widen)

    def add(self, value, mistake_id: str, strict: bool = True) -> None:
        if self._scalar:
            if type(value) not in _FLOATS and np.ndim(value):  # a float (most values) has no axes
                return
            x = plain(float(value))
            if not math.isfinite(x):
                return
            off = abs(x - self._t)
            if off <= self._fuzz:
                return  # the mistake does not change this quantity
            if off <= self._tol:
                if strict:
                    raise Inseparable(mistake_id)
                return
            self._keep(x, self._mine_tol(x), mistake_id, lambda value, tol, mine: abs(x - value) <= tol
                       or abs(x - value) <= mine)
            return
        arr = clean(value)
        if self._usable(arr):
            self._add_array(arr, mistake_id, strict)

    def add_all(self, values: list, strict: bool = True) -> None:
        """add() each (value, mistake id) in turn, the tolerances of the arrays among them computed
        by one call (precision.tolerance is elementwise: each row is the array's own, bit for bit)."""
        if self._scalar or self._whole or len(values) < 2:
            for value, mistake_id in values:
                self.add(value, mistake_id, strict)
            return
        arrays = [clean(value) for value, _ in values]
        usable = [self._usable(arr) for arr in arrays]
        mines = iter(self._mine_tols([arr for arr, ok in zip(arrays, usable) if ok]))
        for arr, ok, (_, mistake_id) in zip(arrays, usable, values):
            if ok:
                self._add_array(arr, mistake_id, strict, next(mines))

    def _usable(self, arr: np.ndarray) -> bool:
        """Whether a cleaned array can be a distractor: the answer's shape, every entry finite."""
        return arr.shape == self._shape and bool(np.isfinite(arr).all())

    def _mine_tols(self, arrays: list) -> np.ndarray | list:
        """_mine_tol of each array (an answer that is not an exact whole number), stacked: one
        tolerance call for all of them."""
        if not arrays:
            return []
        stack = np.stack(arrays)  # (n, *shape)
        tolerance = precision.tolerance
        if self._covers is None:
            return np.maximum(tolerance(stack, self._p, self._widen), tolerance(stack, self._carry, self._widen))
        return tolerance(stack, self._p if self._covers else self._carry, self._widen)

    def _add_array(self, arr: np.ndarray, mistake_id: str, strict: bool, mine: np.ndarray | None = None) -> None:
        """add() of a usable array; `mine`: its _mine_tol, if already computed."""
        # the first entry, in floats (the arrays' own subtraction), settles most wrong values: off
        # by more than the fuzz and the tolerance there, no "every entry within" test can hold
        x0 = arr.item(0) if arr.size else None  # item(0): float(arr.flat[0]), without the flat iterator
        d0 = None if x0 is None else abs(x0 - self._t0)
        if d0 is None or not (d0 > self._fuzz0 and d0 > self._tol0):
            off = np.abs(arr - self._target)
            if (off <= self._fuzz).all():
                return  # the mistake does not change this quantity
            if (off <= self._tol).all():
                if strict:
                    raise Inseparable(mistake_id)
                return
        if mine is None:
            mine = self._mine_tol(arr)
        m0 = None if x0 is None else mine.item(0)

        def near(value, tol, mine):
            if x0 is not None:  # within neither tolerance at the first entry: not near, no arrays made
                d = abs(x0 - value.item(0))
                if d > tol.item(0) and d > m0:
                    return False
            return _within(np.abs(arr - value), tol, mine)

        self._keep(arr, mine, mistake_id, near)

    def _keep(self, arr, mine_tol, mistake_id: str, near) -> None:
        """Keep `arr` as a distractor, or name the mistake beside a kept one it is `near`."""
        m = mistakes.describe(mistake_id)
        for kept, (value, tol) in zip(self.kept, self._arrays):
            if near(value, tol, mine_tol):
                if mistake_id != kept.mistake and mistake_id not in kept.also:
                    kept.also.append(mistake_id)
                    kept.name = text("answer.mistakes_or", first=kept.name, second=m.name)
                    kept.explanation = text("answer.explanations_or", first=kept.explanation, second=m.explanation)
                return
        scalar = isinstance(arr, float) or arr.ndim == 0
        plain_value = float(arr) if scalar else arr.tolist()
        tol = float(mine_tol) if scalar else mine_tol.tolist()
        self.kept.append(Distractor(plain_value, mistake_id, m.name, m.explanation, [], tol))
        self._arrays.append((arr, mine_tol))  # converted once, not at every comparison


def _whole(value) -> bool:
    """Whether every entry is a whole number."""
    arr = np.asarray(value, dtype=float)
    return bool(np.isfinite(arr).all() and (arr == np.rint(arr)).all())


def _within(off: np.ndarray, tol, mine) -> bool:
    """Whether every entry of `off` is within `tol`, or every one within `mine` (the distance
    computed once for both tests)."""
    return bool((off <= tol).all()) or bool((off <= mine).all())


_FLOATS = (float, np.float64)
_CARRY = {"rule": "sig", "digits": precision.CARRY}  # the figures a student carries (rule and digits suffice)


def require(found: list, minimum: int) -> None:
    if len(found) < minimum:
        raise Degenerate(text("reject.too_few_distractors", minimum=minimum), key="min_distractors")


def network_given(net: Network, upto: int | None = None, labels: bool = True) -> list[Given]:
    o = net.notation.orient
    given = [Given("X", "X", (o(net.X) + 0.0).tolist())]
    if labels:
        given.append(Given("Y", "Y", (o(net.Y) + 0.0).tolist()))
    for l, layer in enumerate(net.layers[: upto or len(net.layers)], start=1):
        given.append(Given(f"W{l}", sym("W", l), (o(layer.W) + 0.0).tolist()))
        if layer.b is not None:
            b = layer.b[:, None] if net.notation is Notation.COLUMN else layer.b[None, :]
            given.append(Given(f"b{l}", sym("b", l), (b + 0.0).tolist()))
    if net.learning_rate is not None:
        given.append(Given("eta", r"\eta", net.learning_rate))
    if net.l2:
        given.append(Given("lambda", r"\lambda", net.l2))
    return given


def approximations(tape: Tape, upto: int) -> list[Given]:
    """Rounded outputs of transcendental activations, supplied so the work stays by hand."""
    from quizgen.render.numbers import round_sig

    net, out = tape.network, []
    for l in range(1, upto + 1):
        layer, t = net.layers[l - 1], tape.layers[l - 1]
        if all(a.exact for a in layer.activations):  # its registry entry's, as EXACT_ACTS reads it
            continue
        value = round_sig(net.notation.orient(t.A), 4)
        out.append(Given(f"A{l}", sym("A", l), (np.asarray(value) + 0.0).tolist(), approx=True))
    return out


def network_tex(net: Network) -> str:
    """The forward equations and the loss, in symbols (identical across a family's variants)."""
    parts = []
    for l, layer in enumerate(net.layers, start=1):
        a0 = "X" if l == 1 else sym("A", l - 1)
        b = f" + {sym('b', l)}" if layer.b is not None else ""
        z = f"{sym('W', l)} {a0}" if net.notation is Notation.COLUMN else f"{a0} {sym('W', l)}"
        parts.append(f"{sym('Z', l)} = {z}{b}")
        inner = sym("Z", l)
        for act in layer.activations:
            inner = f"{act_tex(act)}\\left({inner}\\right)"
        parts.append(f"{sym('A', l)} = {inner}")
    red = r"\frac{1}{m}\sum_{i=1}^{m}" if net.loss.reduction == "mean" else r"\sum_{i=1}^{m}"
    penalty = ""
    if net.l2:  # the L2 penalty is part of J (engine/losses.py l2_penalty)
        coefficient = r"\frac{\lambda}{2m}" if net.loss.reduction == "mean" else r"\frac{\lambda}{2}"
        penalty = f" + {coefficient} \\sum_{{l}} \\lVert W^{{[l]}} \\rVert^2"
    parts.append(f"J = {red} \\ell_i{penalty},\\; \\ell = {LOSS_TEX[net.loss.name]}")
    return r",\quad ".join(parts)


def base_context(net: Network) -> dict:
    from quizgen.bank.latex import LOSS_NAME

    sizes = [net.X.shape[0]] + [layer.units_out for layer in net.layers]
    return {
        "network": network_tex(net), "notation": net.notation.value, "m": net.m, "L": len(net.layers),
        "sizes": sizes, "loss": key_or_words(LOSS_NAME[net.loss.name]), "loss_latex": LOSS_TEX[net.loss.name],
        "reduction": net.loss.reduction, "learning_rate": net.learning_rate,
    }
