"""layer_forward / layer_backward families: the answer is the layer type's value on the question's own
givens (read back as a student sees them), each distractor is its named mistake's value on them, every
worked step recomputes from the numbers it shows, and a bad [layer] table is one error per key."""

from __future__ import annotations

import numpy as np
import pytest

from quizgen.bank.generate import variant
from quizgen.bank.kinds.layer_tape import options_of
from quizgen.bank.load import load_bank
from quizgen.bank.spec import parse_family
from quizgen.engine.layers import TYPES, evaluate
from quizgen.render.numbers import fmt

FAMILIES = [f for f in load_bank("question_bank") if f.kind in ("layer_forward", "layer_backward")]


def ndims(layer, options) -> dict[str, int]:
    """How many axes each named value has internally (0 scalar, 1 per feature, 2 features × m)."""
    rng = np.random.default_rng(0)
    values = {"x": np.ones((2, 3)) + np.arange(6).reshape(2, 3), "dy": np.ones((2, 3)), "m": 3.0,
              **{k: d[2][0] for k, d in layer.scalars.items()}}
    values.update(layer.draw(rng, (2, 3), lambda name, shape, nonzero: np.ones(shape), {**options, **values}))
    rules = layer.rules(options)
    for name in rules:
        values = evaluate(rules, values, name)
    return {name: np.ndim(v) for name, v in values.items()}


def internal(value, ndim: int, row: bool):
    """A shown value back in the engine's orientation."""
    arr = np.asarray(value, dtype=float)
    if ndim == 0:
        return float(arr)
    if ndim == 1:
        return arr.ravel()
    arr = arr.reshape(1, 1) if arr.ndim == 0 else arr
    return arr.T if row else arr


def case(q, family):
    layer = TYPES[family.table["type"]]
    options = options_of(layer, family.table)
    dims = ndims(layer, options)
    row = family.notation == "row"
    values = {g.name: internal(g.value, dims[g.name], row) for g in q.given}
    values["m"] = float(np.shape(values["x"])[1])
    return layer, options, values, dims, row


def shown_array(value):
    return np.asarray(value, dtype=float)


@pytest.mark.parametrize("family", FAMILIES, ids=lambda f: f.id)
def test_answer_and_each_distractor_come_from_the_givens(family):
    ask = family.table["ask"]
    seen = set()
    for index in range(8):
        q = variant(family, index, 0)
        layer, options, values, dims, row = case(q, family)
        want = evaluate(layer.rules(options), values, ask)[ask]
        got = internal(q.answer.value, dims[ask], row)
        assert np.allclose(got, want, rtol=1e-9, atol=1e-12), q.id
        assert np.allclose(shown_array(q.steps[-1].result), shown_array(q.answer.value)), "the steps end at the answer"
        for d in q.distractors:
            seen.add(d.mistake)
            if d.mistake == "rounded_too_early":
                continue
            wrong = evaluate(layer.mistaken(d.mistake, options), values, ask)[ask]
            assert np.allclose(internal(d.value, dims[ask], row), wrong), (q.id, d.mistake)
    assert seen - {"rounded_too_early"}, f"{family.id}: no catalogued mistake ever shows"


@pytest.mark.parametrize("family", FAMILIES, ids=lambda f: f.id)
def test_every_step_recomputes_from_its_shown_numbers(family):
    for index in range(6):
        q = variant(family, index, 7)
        layer, options, _, dims, row = case(q, family)
        rules = layer.rules(options)
        for s in q.steps:
            name = s.title["key"].rsplit(".", 1)[1]
            nums = [p["num"] for p in s.parts if "num" in p]
            shown = {use: internal(np.vectorize(lambda v: float(fmt(v)))(np.asarray(n, dtype=float)), dims[use], row)
                     for use, n in zip(rules[name].uses, nums[:-1])}
            want = np.asarray(rules[name].value(shown), dtype=float)
            got = internal(s.result, dims[name], row)
            assert np.allclose(got, want, rtol=2e-2, atol=2e-3), (q.id, name, got, want)


def test_the_bank_has_layer_families_at_every_difficulty():
    assert len(FAMILIES) >= 8
    assert {f.difficulty for f in FAMILIES} == {1, 2, 3, 4, 5}
    assert {f.table["type"] for f in FAMILIES} >= {"dropout", "batchnorm"}
    assert {f.kind for f in FAMILIES} == {"layer_forward", "layer_backward"}


BASE = {"title": "T", "difficulty": 1, "source": "S", "kind": "layer_backward"}


@pytest.mark.parametrize("table, key", [
    (None, "layer"),
    ({"type": "conv9", "ask": "y"}, "layer.type"),
    ({"type": "dropout", "ask": "y"}, "layer.ask"),  # a forward quantity asked of the backward kind
    ({"type": "dropout", "ask": "dA_prev", "p": 1.5}, "layer.p"),
    ({"type": "dropout", "ask": "dA_prev", "p": ["half"]}, "layer.p"),
    ({"type": "dropout", "ask": "dA_prev", "convention": "upside-down"}, "layer.convention"),
    ({"type": "dropout", "ask": "dA_prev", "mode": "test"}, "layer.ask"),  # no backward pass at test time
    ({"type": "batchnorm", "ask": "dgamma", "features": [1, 99]}, "layer.features"),
    ({"type": "batchnorm", "ask": "dgamma", "colour": "red"}, "layer.colour"),
    ({"type": "batchnorm", "ask": "dgamma", "eps": True}, "layer.eps"),
    ({"type": ["dropout"], "ask": "dA_prev"}, "layer.type"),
])
def test_a_bad_layer_table_is_one_error_at_its_key(table, key):
    data = dict(BASE) if table is None else {**BASE, "layer": table}
    family, errors = parse_family(data, "f.toml", "f", "t")
    assert family is None
    assert [e.key for e in errors] == [key], [str(e) for e in errors]


def test_a_layer_table_in_another_kind_is_refused():
    data = {**BASE, "kind": "gradient_matrix", "ask": {"entry": "all"}, "layer": {"type": "dropout", "ask": "y"}}
    family, errors = parse_family(data, "f.toml", "f", "t")
    assert family is None and [e.key for e in errors] == ["layer"]
