"""shapes_table: the shape of every matrix of an architecture, one row per quantity."""

from __future__ import annotations

import numpy as np

from quizgen.bank.kinds import precision
from quizgen.bank.kinds.base import Kind, register
from quizgen.bank.kinds.common import Distractors, Draft, make_answer
from quizgen.bank.kinds.values import value_step
from quizgen.bank.latex import sym
from quizgen.bank.prompts import DEFAULTS
from quizgen.bank.question import Step
from quizgen.bank.spec import Family
from quizgen.engine.network import Notation
from quizgen.limits import MAX_SHAPE_UNITS
from quizgen.messages.text import text


def build(family: Family, rng: np.random.Generator) -> Draft:
    notation = Notation(family.notation)
    sizes = [int(rng.integers(family.inputs[0], family.inputs[1] + 1))]
    sizes += [int(rng.integers(lo, hi + 1)) for lo, hi in family.hidden]
    sizes.append(int(rng.integers(family.outputs[0], family.outputs[1] + 1)))
    m = int(rng.integers(family.batch[0], family.batch[1] + 1))
    rows, names = [], []
    rows.append(list(notation.data_shape(sizes[0], m)))
    names.append(("X", "X"))
    for l, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:]), start=1):
        for name, shape in (("W", notation.weight_shape(n_in, n_out)),
                            ("b", notation.data_shape(n_out, 1)),
                            ("Z", notation.data_shape(n_out, m)),
                            ("A", notation.data_shape(n_out, m))):
            if name == "b" and not family.bias:
                continue
            rows.append(list(shape))
            names.append((f"{name}{l}", sym(name, l)))
    value = np.array(rows, dtype=float)
    answer = make_answer(value, precision.precision("exact"))
    answer.labels = [{"name": plain, "latex": tex} for plain, tex in names]
    found = Distractors(answer)
    found.add(value[:, ::-1], "other_notation_shapes")
    listing = ", ".join(f"${tex}$" for _, tex in names)
    steps = []
    for (plain, tex), shape in zip(names, rows):
        why = text(f"kinds.shape_why_{plain[0]}" + (f"_{notation.value}" if plain[0] in "XZW" else ""))
        size = f"{shape[0]} \\times {shape[1]}"  # rows × columns, not a [rows; columns] vector
        steps.append(Step(text("kinds.shape_title", name=plain), f"{tex} \\in \\mathbb{{R}}^{{{size}}}", f"{tex}: {size}",
                          [{"tex": f"{tex}:"}, {"tex": size}], None, size, None,
                          text("kinds.shape_explanation", name=plain, why=why), "shape"))
    rule = r"\mathrm{d}W^{[l]} \sim W^{[l]},\ \mathrm{d}b^{[l]} \sim b^{[l]}"  # ∼: of the same shape (no words in math)
    steps.append(value_step(text("kinds.gradients_title"), rule, [{"tex": rule}], value,
                       text("kinds.gradients_explanation"),
                       shape=list(value.shape), role="rule"))
    context = {"notation": notation.value, "m": m, "L": len(sizes) - 1, "sizes": sizes,
               "asked": listing, "asked_text": text("prompts.asked_shapes", names=", ".join(p for p, _ in names)),
               "network": "$" + " \\to ".join(str(s) for s in sizes) + "$"}
    return Draft(answer=answer, steps=steps, given=[], context=context, distractors=found.kept)


def answer_box(q) -> dict:
    """A table with one row per quantity, each labelled with its symbol."""
    return {"kind": "shapes", "labels": [row["latex"] for row in q.answer.labels or []]}


KIND = register(Kind("shapes_table", build, lambda: DEFAULTS["shapes_table"], answer_box=answer_box, states_precision=False,
                     work_space=lambda q: 1.5, rubric="rows", limits=(MAX_SHAPE_UNITS, MAX_SHAPE_UNITS),
                     sized=False))  # its sizes are its answer: versions must not share them
