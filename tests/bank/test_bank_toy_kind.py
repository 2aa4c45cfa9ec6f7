"""A kind is one module: registering a toy kind here (nothing else changes) gives it validation,
a builder, a default prompt and the layout the exam and site read."""

from __future__ import annotations

import numpy as np
import pytest

from quizgen.bank import spec
from quizgen.bank.generate import variant
from quizgen.bank.kinds import KINDS, Kind, register, unregister
from quizgen.bank.kinds.common import Draft, make_answer
from quizgen.bank.kinds.precision import precision
from quizgen.bank.kinds.values import value_step
from quizgen.writers import exam_views as views
from quizgen.exam.rubric import rubric
from quizgen.messages.text import say


def build(family, rng: np.random.Generator) -> Draft:
    n = int(rng.integers(1, 10))
    steps = [value_step("Double it", "2n", [{"tex": f"2 \\cdot {n} ="}, {"num": 2 * n}], 2 * n, "Add n to itself.",
                        shape=[], role="rule")]
    return Draft(answer=make_answer(2 * n, precision("exact")), steps=steps, given=[],
                 context={"asked": f"2 \\cdot {n}", "asked_text": f"2·{n}"})


def validate(c, seen: dict) -> None:
    if seen["quantity"] != "Z":
        c.add("ask.quantity", "a toy family asks Z")


@pytest.fixture
def toy():
    kind = register(Kind("toy", build, lambda: "What is ${{ asked }}$?", validate,
                         answer_box=lambda q: {"kind": "number"}, work_space=lambda q: 3.0, rubric="all"))
    yield kind
    unregister("toy")


def parse(**fields):
    data = {"title": "Toy", "kind": "toy", "difficulty": 1, "source": "a test", "ask": {"quantity": "Z"}, **fields}
    return spec.parse_family(data, "toy.toml", "toy", "toys")


def test_a_registered_kind_is_validated_built_and_laid_out(toy):
    family, errors = parse()
    assert errors == [] and family.kind == "toy" and "toy" in spec.KINDS
    q = variant(family, 0)
    assert q.kind == "toy" and say(q.prompt).startswith("What is $2 \\cdot ") and q.answer.value == q.steps[0].result
    assert q.steps[0].role == "rule"
    assert q.layout == {"answer_box": {"kind": "number"}, "space_cm": 3.0, "rubric": "all",
                        "ordered_choices": False, "flashcard": False}
    assert views.answer_box(q) == {"kind": "number"} and views.space_cm(q) == 3.0
    assert [(line.step, line.points) for line in rubric(5, q)] == [(None, 5.0)]


def test_a_kinds_own_rule_reports_like_any_family_error(toy):
    _, errors = parse(ask={"quantity": "dW"})
    assert [f"{e.key}: {e.args[0]}" for e in errors] == ["ask.quantity: a toy family asks Z"]


def test_an_unregistered_kind_is_unknown():
    assert "toy" not in KINDS
    _, errors = parse()
    assert [e.key for e in errors] == ["kind"] and "unknown kind 'toy'" in str(errors[0])


@pytest.fixture
def tabled():
    """A toy kind with its own [toy] table: the table is a known key, reaches validate and the family, and
    is refused on every other kind, with no edit to bank/spec.py."""
    def check(c, seen):
        if not isinstance(seen["table"], dict) or "n" not in seen["table"]:
            c.add("toy", "a toy family needs [toy] n")

    kind = register(Kind("toy", build, lambda: "What is ${{ asked }}$?", check, table="toy"))
    yield kind
    unregister("toy")


def test_a_kinds_own_table_is_known_checked_kept_and_refused_elsewhere(tabled):
    assert "toy" in spec.top_keys() and spec.table_owners()["toy"] == ("toy",)
    family, errors = parse(toy={"n": 3})
    assert errors == [] and family.table == {"n": 3}
    _, errors = parse()
    assert [f"{e.key}: {e.args[0]}" for e in errors] == ["toy: a toy family needs [toy] n"]
    _, errors = parse(kind="forward_value", toy={"n": 3})
    assert "toy" in [e.key for e in errors] and "only a toy family has a [toy] table" in str(errors)


def test_without_the_kind_its_table_is_an_unknown_key():
    assert "toy" not in spec.top_keys()
