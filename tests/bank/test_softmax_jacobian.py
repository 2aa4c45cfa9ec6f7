"""softmax_jacobian families: the answer is softmax's own central difference on the question's
givens, each distractor the value its named slip gives there, and a bad [jacobian] table is one
`key: what is wrong` line per key (hostile values are data, never a crash)."""

from __future__ import annotations

import numpy as np
import pytest

from quizgen.bank.generate import variant
from quizgen.bank.load import load_bank
from quizgen.bank.spec import parse_family
from quizgen.engine import central_difference
from quizgen.engine import jacobian as jac
from quizgen.messages.text import say

FAMILIES = [f for f in load_bank("question_bank") if f.kind == "softmax_jacobian"]


def plain_softmax(z, axis=0):
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def read(q):
    """The question's givens and what it asks, as a student reads them."""
    given = {g.name: np.asarray(g.value, dtype=float) for g in q.given}
    z = given.get("z", given.get("Z"))
    y = given.get("y_hat", given.get("Y_hat"))
    g = given.get("g", given.get("G"))
    batch = ("Z" in given or "Y_hat" in given) and q.notation == "row"
    return z, y, g, 1 if batch else 0  # the units axis: along each row of a row-notation batch


def test_the_bank_has_softmax_jacobian_families_of_every_ask():
    assert len(FAMILIES) >= 4
    assert {f.table.get("ask") for f in FAMILIES} == {"matrix", "entry", "vjp"}
    assert {f.notation for f in FAMILIES if f.table.get("batch", [1, 1])[1] > 1} == {"column", "row"}


@pytest.mark.parametrize("family", FAMILIES, ids=lambda f: f.id)
def test_answer_is_the_central_difference_of_softmax_at_the_givens(family):
    for index in range(6):
        q = variant(family, index, 0)
        z, y, g, axis = read(q)
        ask = family.table.get("ask", "matrix")
        if z is None:  # given probabilities: logits log ŷ give them back exactly
            z = np.log(y)
        if ask == "vjp":
            loss = lambda v: float((g * plain_softmax(v, axis)).sum())  # noqa: E731
            want = central_difference(loss, z.copy())
        else:
            want = np.stack([central_difference(lambda v: plain_softmax(v)[i], z.copy()) for i in range(z.size)])
            if ask == "entry":
                want = want[entry_of(q)]
        assert np.allclose(q.answer.value, want, rtol=1e-6, atol=1e-8), q.id
        assert np.allclose(q.steps[-1].result, q.answer.value), "the worked steps end at the answer"


def entry_of(q) -> tuple[int, int]:
    """The asked entry (i, j), 0-based, from the prompt's ∂ŷ_i/∂z_j."""
    import re

    m = re.search(r"Give \$\\frac\{\\partial \\hat\{y\}_\{(\d+)\}\}\{\\partial z_\{(\d+)\}\}\$", say(q.prompt))
    return int(m.group(1)) - 1, int(m.group(2)) - 1


@pytest.mark.parametrize("family", FAMILIES, ids=lambda f: f.id)
def test_each_distractor_is_its_slip_on_the_givens(family):
    seen = set()
    for index in range(8):
        q = variant(family, index, 0)
        z, y, g, axis = read(q)
        if y is None:
            y = jac.softmax(z, axis)["y"]
        ask = family.table.get("ask", "matrix")
        for d in q.distractors:
            seen.add(d.mistake)
            if d.mistake == "rounded_too_early":
                continue
            if ask == "vjp" and np.ndim(y) == 2:
                wrong = jac.batched_vjp(y, g, axis, d.mistake, z)
            elif ask == "vjp":
                wrong = jac.vjp(y, g, d.mistake, z)
            else:
                wrong = jac.jacobian(y, d.mistake, z)
                if ask == "entry":
                    wrong = wrong[entry_of(q)]
            assert np.allclose(d.value, wrong, rtol=1e-9, atol=1e-12), (q.id, d.mistake)
    assert seen - {"rounded_too_early"}, f"{family.id}: no catalogued slip ever shows"


def test_batched_families_offer_the_wrong_axis():
    batched = [f for f in FAMILIES if f.table.get("batch", [1, 1])[1] > 1]
    assert batched and all(any(d.mistake == "jacobian_wrong_axis" for i in range(4)
                               for d in variant(f, i, 0).distractors) for f in batched)


def test_row_notation_answer_is_one_row_per_example():
    family = next(f for f in FAMILIES if f.notation == "row" and f.table.get("batch", [1, 1])[1] > 1)
    q = variant(family, 0, 0)
    m = np.asarray(q.given[0].value).shape[0]
    assert np.shape(q.answer.value) == (m, 3) and q.layout["answer_box"] == {"kind": "matrix", "rows": m, "cols": 3}
    assert "row notation" in say(q.prompt)



BASE = {"title": "t", "difficulty": 1, "source": "s", "kind": "softmax_jacobian"}


@pytest.mark.parametrize("table, key", [
    (None, "jacobian"),
    ("matrix", "jacobian"),
    ({"given": "scores"}, "jacobian.given"),
    ({"ask": ["matrix"]}, "jacobian.ask"),
    ({"ask": "entry", "entry": "corner"}, "jacobian.entry"),
    ({"classes": [1, 3]}, "jacobian.classes"),
    ({"classes": [2, 1000000]}, "jacobian.classes"),
    ({"classes": "3"}, "jacobian.classes"),
    ({"batch": [1, 4], "ask": "vjp"}, "jacobian.batch"),
    ({"batch": [2, 2], "ask": "matrix"}, "jacobian.batch"),
    ({"z": [-1e9, 1]}, "jacobian.z"),
    ({"g": [0, 0]}, "jacobian.g"),
    ({"z": [0.2, 0.4]}, "jacobian.z"),
    ({"__import__('os')": 1}, 'jacobian."__import__(\'os\')"'),
])
def test_a_bad_jacobian_table_names_its_key(table, key):
    data = dict(BASE) if table is None else {**BASE, "jacobian": table}
    family, errors = parse_family(data, "f.toml", "f", "jacobian")
    assert family is None
    assert key in [e.key for e in errors], [str(e) for e in errors]
    assert all(len(str(e)) < 400 and "\n" not in str(e) for e in errors)


def test_a_jacobian_table_on_another_kind_is_an_error():
    family, errors = parse_family({**BASE, "kind": "gradient_entry", "jacobian": {"ask": "matrix"}}, "f.toml", "f", "t")
    assert family is None and [e.key for e in errors] == ["jacobian"]
    assert str(errors[0]) == "f.toml: jacobian: only a softmax_jacobian family has a [jacobian] table"


def test_a_huge_value_is_clipped_in_the_message():
    _, errors = parse_family({**BASE, "jacobian": {"given": "x" * 100_000}}, "f.toml", "f", "t")
    assert len(str(errors[0])) < 400
