"""Shared by the tests/bank tests: the shipped bank, its questions (generated once), and the
independent re-computations the tests compare them with."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np

from quizgen.bank.generate import variant
from quizgen.bank.load import load_bank
from quizgen.bank.question import Question
from quizgen.bank.spec import Family
from quizgen.engine.network import Network
from quizgen.problem import parse_problem

ROOT = Path(__file__).resolve().parents[2]
BANK = ROOT / "question_bank"
MINIMAL = ROOT / "tests" / "fixtures" / "bank_minimal"
BAD = ROOT / "tests" / "fixtures" / "bad_families"
VARIANTS = 5  # per family, bank seed 0
NUMERIC = ("forward_value", "loss_value", "output_delta", "gradient_entry", "gradient_matrix", "sgd_update")


@lru_cache(maxsize=None)
def families() -> tuple[Family, ...]:
    return tuple(load_bank(BANK))


def family_ids(kinds: tuple[str, ...] | None = None) -> list[str]:
    return [f.id for f in families() if kinds is None or f.kind in kinds]


def family(family_id: str) -> Family:
    return next(f for f in families() if f.id == family_id)


@lru_cache(maxsize=None)
def questions(family_id: str) -> tuple[Question, ...]:
    """The first VARIANTS questions of a shipped family (bank seed 0), generated once per run."""
    return tuple(variant(family(family_id), i, 0) for i in range(VARIANTS))


def network_of(q: Question) -> Network:
    """The question's network, rebuilt from its exported problem (what a student could solve)."""
    return parse_problem(q.problem, source=q.id)


def allclose(a, b, rtol: float, atol: float) -> bool:
    """|a − b| ≤ atol + rtol·|b| entrywise, shapes equal (the schema's tolerance rule)."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return a.shape == b.shape and bool(np.all(np.abs(a - b) <= atol + rtol * np.abs(b)))


def split_target(target: str) -> tuple[str, int | None, str, tuple[int, ...]]:
    """'layers.1.dW.0.2' -> ('layers', 1, 'dW', (0, 2)); 'dX.1.0' -> ('dX', None, 'dX', (1, 0))."""
    parts = target.split(".")
    if parts[0] == "layers":
        return "layers", int(parts[1]), parts[2], tuple(int(p) for p in parts[3:])
    return parts[0], None, parts[0], tuple(int(p) for p in parts[1:])


def graph_case(q):
    """A computational_graph question's circuit, input values and asked input, read back from it."""
    from quizgen.bank.kinds.computational_graph import partial
    from quizgen.engine import graph

    circuit = graph.CIRCUITS[family(q.family).table["circuit"]]
    inputs = {g.name: float(g.value) for g in q.given}
    last = q.steps[-1].symbolic
    wrt = next(n for n in circuit.inputs if last.startswith(partial(circuit.output, n) + " ="))
    return circuit, inputs, wrt


def solved_tapes(family: Family, count: int, seed: int) -> list:
    """Correct tapes of `count` of the family's networks drawn from `seed` (degenerate draws
    skipped): what the fast-path tests run the old and the new passes on."""
    from quizgen.bank.sample import Degenerate, draw_network, solved

    rng = np.random.default_rng(seed)
    out = []
    with np.errstate(all="ignore"):
        while len(out) < count:
            try:
                out.append(solved(draw_network(family, rng)))
            except Degenerate:
                continue
    return out


def bits(x) -> bytes:
    """The exact float64 bytes of `x`: equal bits, not merely equal values (-0.0 differs from 0.0)."""
    return np.asarray(x, dtype=float).tobytes()
