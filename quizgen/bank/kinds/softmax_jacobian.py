"""softmax_jacobian: the softmax Jacobian ∂ŷ/∂z of one example (the whole matrix or one entry),
or an upstream gradient sent back through it, dz = (∂ŷ/∂z)ᵀ g (one example, or a batch in the
family's notation, each example through its own Jacobian). engine/jacobian.py holds the math.

The family's [jacobian] table says what is given (logits or probabilities), what is asked and
the sizes; the worked solution computes ŷ with the max shift, each entry with its numbers, then
the matrix or the product. The wrong answers are the slips of engine/jacobian.py.
"""

from __future__ import annotations

import numpy as np

from quizgen.bank.fields import grid_holds_points, number_range, one_of, own_table
from quizgen.bank.kinds import precision
from quizgen.bank.kinds.base import Kind, register
from quizgen.bank.kinds.common import Distractors, Draft, asked_precision, make_answer, require
from quizgen.bank.kinds import values
from quizgen.bank.prompts import DEFAULTS
from quizgen.bank.question import Given
from quizgen.bank.sample import Degenerate, grid_values
from quizgen.bank.spec import GRIDS, Family
from quizgen.engine import jacobian as jac
from quizgen.messages import t
from quizgen.messages.text import text
from quizgen.render.numbers import round_sig

KEYS = {"given", "ask", "classes", "batch", "entry", "z", "g", "probabilities"}
GIVEN = ("logits", "probabilities")
ASKS = ("matrix", "entry", "vjp")
ENTRIES = ("any", "diagonal", "off_diagonal")
MAX_CLASSES = 4  # a 4×4 Jacobian is 16 entries: the most a hand calculation should hold
MAX_BATCH = 3  # examples of a batched dZ, each with its own Jacobian
MAX_RANGE = 10  # |logit| and |upstream gradient|: e^10 is already far past a hand calculation
FLOOR = 0.02  # a softmax output below this makes its entries vanish at the asked precision
# Given probabilities are multiples of a step that sum to 1: exact hand arithmetic.
PROBABILITIES = {"tenths": 10, "twentieths": 20}


def validate(c, seen: dict) -> None:
    raw = own_table(c, seen.get("table"), "jacobian", KEYS, "kinds.jac_table", "kinds.jac_unknown_key")
    if raw is None:
        return
    one_of(c, "jacobian.given", raw.get("given", "logits"), GIVEN, "given")
    ask = one_of(c, "jacobian.ask", raw.get("ask", "matrix"), ASKS, "ask")
    one_of(c, "jacobian.entry", raw.get("entry", "any"), ENTRIES, "entry")
    one_of(c, "jacobian.probabilities", raw.get("probabilities", "tenths"), tuple(PROBABILITIES), "probabilities")
    number_range(c, "jacobian.classes", raw.get("classes", [3, 3]), low=2, high=MAX_CLASSES)
    batch = number_range(c, "jacobian.batch", raw.get("batch", [1, 1]), low=1, high=MAX_BATCH)
    if batch and batch[1] > 1 and ask and ask != "vjp":
        c.add("jacobian.batch", t("kinds.jac_batch_vjp"))
    step = GRIDS.get(seen.get("grid") or "integers", 1.0)
    for key in ("z", "g"):
        bounds = number_range(c, f"jacobian.{key}", raw.get(key, [-2, 2]), integer=False, low=-MAX_RANGE,
                              high=MAX_RANGE)
        if bounds:
            grid_holds_points(c, f"jacobian.{key}", bounds, step, key == "g")


def _probabilities(rng: np.random.Generator, k: int, units: int) -> np.ndarray:
    """k positive multiples of 1/units summing to 1: cut the units at k − 1 distinct places."""
    cuts = np.sort(rng.choice(np.arange(1, units), size=k - 1, replace=False))
    return np.diff(np.concatenate([[0], cuts, [units]])) / units  # (k,)


def value_step(title, symbolic, parts, value, explanation, shape=None, role: str = ""):
    """values.value_step with array parts written as plain lists (a record holds no NumPy arrays)."""
    plain = [{"num": _plain(p["num"])} if "num" in p else p for p in parts]
    return values.value_step(title, symbolic, plain, value, explanation, shape, role)


def _plain(x):
    """A step part's number as a record holds it: np.asarray(x, dtype=float).tolist(), a float
    kept as the float it is without the round trip through an array (most parts are one number)."""
    if type(x) is float or type(x) is np.float64:
        return float(x)
    return np.asarray(x, dtype=float).tolist()


def _n(x: float) -> list[dict]:
    """A number as a step part, bracketed when negative (0.2 · (−0.5), not 0.2 · −0.5)."""
    return [{"tex": r"("}, {"num": x}, {"tex": r")"}] if x < 0 else [{"num": x}]


def _d(i: int, j: int) -> str:
    return rf"\frac{{\partial \hat{{y}}_{{{i + 1}}}}}{{\partial z_{{{j + 1}}}}}"


JAC = r"\frac{\partial \hat{y}}{\partial z}"


class Case:
    """One variant's numbers: logits or probabilities, upstream gradient, the asked entry."""

    def __init__(self, family: Family, rng: np.random.Generator):
        raw = family.table
        self.given = raw.get("given", "logits")
        self.ask = raw.get("ask", "matrix")
        lo, hi = raw.get("classes", [3, 3])
        self.k = int(rng.integers(lo, hi + 1))
        blo, bhi = raw.get("batch", [1, 1])
        self.m = int(rng.integers(blo, bhi + 1))
        self.batched = self.ask == "vjp" and self.m > 1
        self.axis = 1 if (self.batched and family.notation == "row") else 0  # the units axis
        step = GRIDS[family.grid]
        shape = (self.k, self.m) if self.batched else (self.k,)
        if self.given == "logits":
            self.z = grid_values(rng, *raw.get("z", [-2, 2]), step, shape, nonzero=False)  # (k,) or (k, m)
            self.y = jac.softmax(self.z)["y"]
            if (self.y < FLOOR).any():
                raise Degenerate("reject.softmax_output_zero", key="jacobian")
        else:
            self.z = None
            units = PROBABILITIES[raw.get("probabilities", "tenths")]
            cols = [_probabilities(rng, self.k, units) for _ in range(self.m)]
            self.y = np.stack(cols, axis=1) if self.batched else cols[0]
        self.g = grid_values(rng, *raw.get("g", [-2, 2]), step, shape, nonzero=True) if self.ask == "vjp" else None
        entry = raw.get("entry", "any")
        i, j = (int(v) for v in rng.integers(self.k, size=2))
        if entry == "diagonal" or (entry == "any" and rng.integers(2) == 0):
            j = i
        elif i == j:
            j = (i + 1 + int(rng.integers(self.k - 1))) % self.k
        self.i, self.j = i, j
        if self.batched and self.axis == 1:  # the file's orientation: one row per example
            self.z = None if self.z is None else self.z.T
            self.y, self.g = self.y.T, self.g.T
        self._softmax = None

    def softmax(self) -> dict:
        """jac.softmax of the logits, uncarried: made once, read by the value, every slip and the steps."""
        if self._softmax is None:
            self._softmax = jac.softmax(self.z, self.axis)
        return self._softmax

    def value(self, slip: str | None = None, carry=None):
        """The asked value, computed right or with `slip`; `carry` rounds each stage."""
        if self.z is None:
            y = self.y
        else:
            y = (jac.softmax(self.z, self.axis, carry) if carry else self.softmax())["y"]
        if self.batched:
            return jac.batched_vjp(y, self.g, self.axis, slip, self.z, carry)
        if self.ask == "vjp":
            return jac.vjp(y, self.g, slip, self.z, carry)
        J = jac.jacobian(y, slip, self.z, carry)
        return J if self.ask == "matrix" else float(J[self.i, self.j])

    def slips(self) -> tuple[str, ...]:
        out = tuple(s for s in jac.MATRIX_SLIPS if s != "jacobian_sigmoid_elementwise" or self.z is not None)
        return out + (("jacobian_wrong_axis",) if self.batched else ())


def softmax_steps(case: Case) -> list:
    """ŷ from the logits: shift by the largest (nothing changes but overflow), exponentiate, sum, divide."""
    s = case.softmax()
    z, y = "Z" if case.batched else "z", r"\hat{Y}" if case.batched else r"\hat{y}"
    top = s["max"] if case.batched else float(s["max"][0])
    u = "U" if case.batched else "u"  # the shifted logits
    total = s["sum"] if case.batched else float(s["sum"][0])
    return [
        value_step(text("kinds.jac_shift_title"), rf"{u} = {z} - \max_{{j}} {z}_{{j}}",
                   [{"tex": f"{u} ="}, {"num": case.z}, {"tex": "-"}, {"num": top}, {"tex": "="}, {"num": s["shifted"]}],
                   s["shifted"], text("kinds.jac_shift_explanation"), role="forward"),
        value_step(text("kinds.jac_exp_title"), rf"e^{{{u}}}",
                   [{"tex": rf"e^{{{u}}} = \exp"}, {"num": s["shifted"]}, {"tex": "="}, {"num": s["exp"]}], s["exp"],
                   text("kinds.jac_exp_explanation"), role="forward"),
        value_step(text("kinds.jac_sum_title"), rf"\sum_{{j}} e^{{{u}_{{j}}}}",
                   [{"tex": r"\sum"}, {"num": s["exp"]}, {"tex": "="}, {"num": total}], total,
                   text("kinds.jac_sum_explanation"), role="forward"),
        value_step(text("kinds.jac_divide_title"), rf"{y} = e^{{{u}}} / \sum_{{j}} e^{{{u}_{{j}}}}",
                   [{"tex": f"{y} ="}, {"num": s["exp"]}, {"tex": "/"}, {"num": total}, {"tex": "="}, {"num": s["y"]}],
                   s["y"], text("kinds.jac_divide_explanation"), role="forward"),
    ]


def entry_step(y: np.ndarray, i: int, j: int) -> object:
    """One entry ŷ_i(δ_ij − ŷ_j) with its numbers."""
    yi, yj = float(y[i]), float(y[j])
    if i == j:
        value = yi * (1.0 - yi)
        return value_step(text("kinds.jac_diag_title", i=i + 1), rf"{_d(i, i)} = \hat{{y}}_{{{i + 1}}}(1 - \hat{{y}}_{{{i + 1}}})",
                          [{"tex": f"{_d(i, i)} ="}, {"num": yi}, {"tex": r"\cdot (1 -"}, {"num": yi}, {"tex": ") ="},
                           {"num": value}], value, text("kinds.jac_diag_explanation"), shape=[], role="backward")
    value = -yi * yj
    return value_step(text("kinds.jac_off_title", i=i + 1, j=j + 1),
                      rf"{_d(i, j)} = -\hat{{y}}_{{{i + 1}}} \hat{{y}}_{{{j + 1}}}",
                      [{"tex": f"{_d(i, j)} = -"}, {"num": yi}, {"tex": r"\cdot"}, {"num": yj}, {"tex": "="},
                       {"num": value}], value, text("kinds.jac_off_explanation"), shape=[], role="backward")


def jacobian_steps(y: np.ndarray) -> list:
    """The diagonal and the entries above it (J is symmetric), then the whole matrix."""
    k = y.size
    steps = [entry_step(y, i, j) for i in range(k) for j in range(i, k)]
    J = jac.jacobian(y)
    steps.append(value_step(text("kinds.jac_matrix_title"), rf"{JAC} = \mathrm{{diag}}(\hat{{y}}) - \hat{{y}} \hat{{y}}^{{\top}}",
                            [{"tex": f"{JAC} ="}, {"num": J}], J, text("kinds.jac_matrix_explanation"), role="backward"))
    return steps


def vjp_steps(case: Case, y: np.ndarray) -> list:
    if not case.batched:
        J = jac.jacobian(y)
        dz = J.T @ case.g  # (k, k)ᵀ·(k,) -> (k,)
        return jacobian_steps(y) + [value_step(
            text("kinds.jac_apply_title"), rf"\frac{{\partial \ell}}{{\partial z}} = \left({JAC}\right)^{{\top}} g",
            [{"num": J}, {"tex": r"^{\top}"}, {"num": case.g}, {"tex": "="}, {"num": dz}], dz,
            text("kinds.jac_apply_explanation"), role="backward")]
    s = jac.inner(y, case.g, case.axis)  # (1, m) or (m, 1)
    dZ = jac.batched_vjp(y, case.g, case.axis)
    return [
        value_step(text("kinds.jac_inner_title"), r"s = \sum_{j} \hat{y}_{j} g_{j}",
                   [{"tex": r"s = \sum_{j} ("}, {"num": y}, {"tex": r"\odot"}, {"num": case.g}, {"tex": r") ="},
                    {"num": s}], s, text("kinds.jac_inner_explanation", axis=text(f"kinds.jac_axis_{case.axis}")),
                   role="backward"),
        value_step(text("kinds.jac_batch_title"), r"\frac{\partial J}{\partial Z} = \hat{Y} \odot (G - s)",
                   [{"num": y}, {"tex": r"\odot ("}, {"num": case.g}, {"tex": "-"}, {"num": s}, {"tex": r") ="},
                    {"num": dZ}], dZ, text("kinds.jac_batch_explanation"), role="backward"),
    ]


def build(family: Family, rng: np.random.Generator) -> Draft:
    case = Case(family, rng)
    value = case.value()
    if np.all(np.abs(value) < 1e-9):
        raise Degenerate("reject.upstream_uniform", key="jacobian")
    exact = case.z is None

    def carried(digits: int, slip=None):
        return case.value(slip, lambda x: round_sig(x, digits))

    asked = asked_precision(value, exact)
    widen = 0.0 if exact else np.asarray(carried(precision.CARRY), dtype=float) - np.asarray(value, dtype=float)
    answer = make_answer(value, asked, widen)
    found = Distractors(answer)
    for slip in case.slips():
        found.add(case.value(slip), slip)
    require(found.kept, family.min_distractors)
    if not exact:
        found.add(carried(precision.EARLY), "rounded_too_early", strict=False)

    y = case.y if case.z is None else case.softmax()["y"]
    steps = softmax_steps(case) if case.z is not None else []
    if case.ask == "matrix":
        steps += jacobian_steps(y)
    elif case.ask == "entry":
        steps.append(entry_step(y, case.i, case.j))
    else:
        steps += vjp_steps(case, y)
    return Draft(answer=answer, steps=steps, given=_given(case), context=_context(case, family),
                 distractors=found.kept)


def _given(case: Case) -> list[Given]:
    big = case.batched
    if case.z is not None:
        given = [Given("Z" if big else "z", "Z" if big else "z", (np.asarray(case.z) + 0.0).tolist())]
    else:
        given = [Given("Y_hat" if big else "y_hat", r"\hat{Y}" if big else r"\hat{y}", (np.asarray(case.y) + 0.0).tolist())]
    if case.g is not None:
        given.append(Given("G" if big else "g", "G" if big else "g", (np.asarray(case.g) + 0.0).tolist()))
    return given


def _context(case: Case, family: Family) -> dict:
    if case.batched:
        asked, plain = r"\frac{\partial J}{\partial Z}", "∂J/∂Z"
        known = text(f"kinds.jac_known_batch_{case.given}", m=case.m, layout=text(f"kinds.jac_layout_{family.notation}"))
    elif case.ask == "vjp":
        asked, plain = r"\frac{\partial \ell}{\partial z}", "∂ℓ/∂z"
        known = text(f"kinds.jac_known_vjp_{case.given}")
    elif case.ask == "entry":
        asked, plain = _d(case.i, case.j), f"∂ŷ{case.i + 1}/∂z{case.j + 1}"
        known = text(f"kinds.jac_known_{case.given}")
    else:
        asked, plain = JAC, "∂ŷ/∂z"
        known = text(f"kinds.jac_known_{case.given}")
    return {"asked": asked, "asked_text": plain, "count": str(case.k), "m": case.m, "known": known,
            "network": r"\hat{y}_{i} = \frac{e^{z_{i}}}{\sum_{j} e^{z_{j}}}",
            "notation": family.notation if case.batched else None}  # one example's vectors have no orientation to state


KIND = register(Kind("softmax_jacobian", build, lambda: DEFAULTS["softmax_jacobian"], validate, sized=False, table="jacobian"))
