"""What every kind shares: the Draft a kind returns, tolerances, given data, distractors."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from quizgen.bank.latex import LOSS_TEX, act_tex, num_tex, sym
from quizgen.bank.question import Answer, Choice, Distractor, Given, Step
from quizgen.bank.sample import Degenerate
from quizgen.engine import mistakes
from quizgen.engine.network import Network, Notation
from quizgen.engine.tape import Tape
from quizgen.render.numbers import fmt

EXACT_ACTS = {"identity", "relu", "leaky_relu"}
EXACT_TOL = (1e-3, 5e-4)  # rtol, atol: grid arithmetic, short decimals
ROUNDED_TOL = (2e-2, 2e-3)  # transcendental values carried at 4 significant digits
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


def is_exact(net: Network) -> bool:
    return all(a.name in EXACT_ACTS for layer in net.layers for a in layer.activations)


def close(a, b, rtol: float, atol: float) -> bool:
    if isinstance(a, (float, int)) and isinstance(b, (float, int)):
        return abs(a - b) <= atol + rtol * abs(b)
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return a.shape == b.shape and bool(np.all(np.abs(a - b) <= atol + rtol * np.abs(b)))


def clean(value) -> np.ndarray:
    """A float array with floating-point residue of exact zeros (|x| < 1e-12) set to 0."""
    arr = np.array(value, dtype=float)
    arr[np.abs(arr) < 1e-12] = 0.0
    return arr + 0.0


def make_answer(value, rtol: float, atol: float) -> Answer:
    arr = clean(value)
    if arr.ndim == 0:
        return Answer("number", float(arr), fmt(arr), fmt(arr), rtol, atol, [])
    kind = "vector" if arr.ndim == 1 else "matrix"
    display = ("[" + ", ".join(fmt(v) for v in arr) + "]" if arr.ndim == 1
               else "[" + ", ".join("[" + ", ".join(fmt(v) for v in row) + "]" for row in arr) + "]")
    return Answer(kind, arr.tolist(), display, num_tex(arr), rtol, atol, list(arr.shape))


def engine_distractors(tape: Tape, target: str, answer: Answer) -> list[Distractor]:
    """Run every applicable mistake's backward pass; keep values distinct beyond tolerance."""
    stop = int(target.split(".")[1]) if target.startswith("layers.") else 0
    found = Distractors(answer)
    for mistake in mistakes.CATALOG.values():
        try:  # NotApplicable where the mistake does not apply
            value = mistake.backward(tape, stop=stop).value_at(target)
        except (mistakes.NotApplicable, KeyError, IndexError, TypeError):
            continue
        found.add(value, mistake.id)
    return found.kept


class Distractors:
    """Wrong values kept for one answer: finite, its shape, and apart from it and from each other."""

    def __init__(self, answer: Answer):
        self.answer = answer
        self.kept: list[Distractor] = []
        self._shape = np.shape(answer.value)
        self._target = _comparable(np.asarray(answer.value, dtype=float))
        self._values: list = []  # each kept value, converted once rather than at every comparison

    def add(self, value, mistake_id: str) -> None:
        if isinstance(value, float):  # a single entry (NumPy scalars included): no array round trip
            mine = _clean_float(value)
            fits = self._shape == () and math.isfinite(mine)
        else:
            arr = clean(value)
            mine = _comparable(arr)
            fits = arr.shape == self._shape and bool(np.all(np.isfinite(arr)))
        if not fits:
            return
        rtol, atol = self.answer.rtol, self.answer.atol
        if close(mine, self._target, rtol, atol) or self._near_kept(mine, rtol, atol):
            return
        m = mistakes.describe(mistake_id)
        self.kept.append(Distractor(mine if isinstance(mine, float) else mine.tolist(), mistake_id, m.name,
                                    m.explanation))
        self._values.append(mine)

    def _near_kept(self, mine, rtol: float, atol: float) -> bool:
        """close(mine, v) for any kept v; arrays are compared against all kept ones in one pass."""
        if not self._values:
            return False
        if isinstance(mine, float):
            return any(close(mine, v, rtol, atol) for v in self._values)
        kept = np.stack(self._values)  # (kept, *shape)
        within = np.abs(mine - kept) <= atol + rtol * np.abs(kept)
        return bool(within.all(axis=tuple(range(1, within.ndim))).any())


def _clean_float(x: float) -> float:
    """`clean` for one number."""
    x = float(x)
    return 0.0 if abs(x) < 1e-12 else x + 0.0


def _comparable(arr: np.ndarray):
    """A 0-d array as a float (close() then skips NumPy); other arrays as they are."""
    return float(arr) if arr.ndim == 0 else arr




def require(found: list, minimum: int, what: str = "distinct distractors") -> None:
    if len(found) < minimum:
        raise Degenerate(f"fewer than {minimum} {what}")


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
    return given


def approximations(tape: Tape, upto: int) -> list[Given]:
    """Rounded outputs of transcendental activations, supplied so the work stays by hand."""
    from quizgen.render.numbers import round_sig

    net, out = tape.network, []
    for l in range(1, upto + 1):
        layer, t = net.layers[l - 1], tape.layers[l - 1]
        if all(a.name in EXACT_ACTS for a in layer.activations):
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
    parts.append(f"J = {red} \\ell_i,\\; \\ell = {LOSS_TEX[net.loss.name]}")
    return r",\quad ".join(parts)


def base_context(net: Network) -> dict:
    from quizgen.bank.latex import LOSS_NAME

    sizes = [net.X.shape[0]] + [layer.units_out for layer in net.layers]
    return {
        "network": network_tex(net), "notation": net.notation.value, "m": net.m, "L": len(net.layers),
        "sizes": sizes, "loss": LOSS_NAME[net.loss.name], "loss_latex": LOSS_TEX[net.loss.name],
        "reduction": net.loss.reduction, "learning_rate": net.learning_rate,
    }
