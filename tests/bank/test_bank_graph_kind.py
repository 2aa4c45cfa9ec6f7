"""The computational_graph kind's own family rules: a [graph] table naming a known circuit and
inputs it has, each reported as one `key: what is wrong` line (hostile values are data)."""

from __future__ import annotations

import pytest

from quizgen.bank import spec
from quizgen.bank.generate import variant
from quizgen.messages.text import say


def parse(**fields):
    data = {"title": "G", "kind": "computational_graph", "difficulty": 1, "source": "a test", **fields}
    return spec.parse_family(data, "g.toml", "g", "graphs")


def errors(**fields) -> list[str]:
    return [f"{e.key}: {e.args[0]}" for e in parse(**fields)[1]]


def test_a_good_family_builds_and_asks_one_of_its_inputs():
    family, errs = parse(graph={"circuit": "sum_times", "wrt": "z"})
    assert errs == []
    q = variant(family, 0)
    assert q.kind == "computational_graph" and "\\partial z" in say(q.prompt) and q.problem is None


@pytest.mark.parametrize("fields, key", [
    ({}, "graph"),
    ({"graph": "sum_times"}, "graph"),
    ({"graph": {"circuit": "__import__('os')"}}, "graph.circuit"),
    ({"graph": {"circuit": ["sum_times"]}}, "graph.circuit"),
    ({"graph": {"circuit": "sum_times", "wrt": "w"}}, "graph.wrt"),
    ({"graph": {"circuit": "sum_times", "wrt": 3}}, "graph.wrt"),
    ({"graph": {"circuit": "sum_times", "eval": "1"}}, "graph.eval"),
])
def test_a_bad_graph_table_is_one_error_at_its_key(fields, key):
    errs = errors(**fields)
    assert [e.split(":")[0] for e in errs] == [key], errs


def test_a_huge_circuit_name_is_clipped_in_the_message():
    (err,) = errors(graph={"circuit": "x" * 10_000})
    assert len(err) < 400
