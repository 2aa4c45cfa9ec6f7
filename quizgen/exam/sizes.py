"""Fair versions: each section's network structure (units, batch, activations, loss), drawn once
from the spec's seed or held by its `sizes`, is shared by every version, so every student does
the same amount of arithmetic and only the numbers differ.

A kind without network sizes (a shapes table, whose sizes are its answer; an activation
derivative) draws as before.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from quizgen.bank.generate import sized
from quizgen.bank.sample import Structure, activation_chain, draw_structure
from quizgen.bank.seeds import stable_seed
from quizgen.bank.spec import Family
from quizgen.exam.spec import ExamSpec, SectionSpec, Sizes
from quizgen.messages import t


def problems(family: Family, sizes: Sizes) -> list[tuple[str, str]]:
    """(key under sizes, message) for each held size the family cannot take."""
    if sizes == Sizes():
        return []
    if not sized(family):
        return [("", t("spec.no_sizes", family=family.id, kind=family.kind))]
    found = []
    ranges = [family.inputs, *family.hidden, family.outputs]
    if sizes.units is not None:
        if len(sizes.units) != len(ranges):
            found.append(("units", t("spec.units_count", family=family.id, count=len(ranges),
                                     hidden=len(family.hidden), given=len(sizes.units))))
        else:
            for i, (value, (lo, hi)) in enumerate(zip(sizes.units, ranges)):
                if not lo <= value <= hi:
                    layer = (t("spec.layer_inputs") if i == 0 else t("spec.layer_outputs") if i == len(ranges) - 1
                             else t("spec.layer_hidden", number=i))
                    found.append(("units", t("spec.units_range", family=family.id, allowed=_span(lo, hi), layer=layer,
                                             value=value)))
    if sizes.batch is not None and not family.batch[0] <= sizes.batch <= family.batch[1]:
        found.append(("batch", t("spec.batch_range", family=family.id, allowed=_span(*family.batch),
                                 value=sizes.batch)))
    return found


def _span(lo: int, hi: int) -> str:
    return str(lo) if lo == hi else f"{lo}–{hi}"


def structure(spec: ExamSpec, section: SectionSpec, family: Family) -> Structure | None:
    """The structure every version of this section asks `family` in (None: the kind has none).

    Drawn from (spec seed, section, the family's ranges) alone, so adding versions or sections
    elsewhere never changes it, and families with the same ranges in one section share it;
    held sizes narrow the family's ranges before the draw."""
    if not sized(family):
        return None
    held = family
    if section.sizes.units is not None:
        u = section.sizes.units
        held = replace(held, inputs=(u[0], u[0]), hidden=tuple((n, n) for n in u[1:-1]), outputs=(u[-1], u[-1]))
    if section.sizes.batch is not None:
        held = replace(held, batch=(section.sizes.batch, section.sizes.batch))
    # keyed by the ranges, not the family: families of one network in a section get one network
    ranges = (held.inputs, held.hidden, held.outputs, held.batch, held.activations, held.losses)
    rng = np.random.default_rng(stable_seed(spec.seed, "exam-sizes", section.number, repr(ranges)))
    return draw_structure(held, rng)


def shape_of(q) -> Structure | None:
    """The structure a drawn question has, read off its problem (None: it has no network)."""
    p = q.problem
    if p is None:
        return None
    row = p["notation"] == "row"
    m = len(p["X"]) if row else len(p["X"][0])  # X is (m, n0) in row notation, (n0, m) in column
    units = []
    for i, layer in enumerate(p["layers"]):
        W = layer["W"]  # (n_in, n_out) in row notation, (n_out, n_in) in column
        n_in, n_out = (len(W), len(W[0])) if row else (len(W[0]), len(W))
        units += [n_in, n_out] if i == 0 else [n_out]
    chains = tuple("+".join(a) if isinstance(a, list) else a for a in (layer["activation"] for layer in p["layers"]))
    return Structure(tuple(units), m, chains, p["loss"])


def spelled(s: Structure) -> Structure:
    """`s` with each chain spelled as a problem file spells it ("leaky_relu(0.01)" -> "leaky_relu")."""
    return Structure(s.units, s.batch, tuple("+".join(a.label for a in activation_chain(c)) for c in s.activations),
                     s.loss)


def choices(family: Family) -> int:
    """How many structures the family can draw: an exam scans about this many indices per match."""
    count = (family.inputs[1] - family.inputs[0] + 1) * (family.outputs[1] - family.outputs[0] + 1)
    for lo, hi in family.hidden:
        count *= hi - lo + 1
    count *= family.batch[1] - family.batch[0] + 1
    for options in family.activations:
        count *= len(options)
    return count * len(family.losses)
