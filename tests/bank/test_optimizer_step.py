"""optimizer_step families: each distractor carries the value its named mistake gives on the
question's own givens, the answer is the engine's, and a bad [optimizer] table is one error per
key (never a crash)."""

from __future__ import annotations

import pytest

from quizgen.bank.generate import variant
from quizgen.bank.load import load_bank
from quizgen.bank.spec import parse_family
from quizgen.engine.optimizers import Hyper, run

FAMILIES = [f for f in load_bank("question_bank") if f.kind == "optimizer_step"]


def inputs(q, family):
    """The rule's inputs read back from the question's givens, as a student sees them."""
    given = {g.name: g.value for g in q.given}
    grads = [given[f"g{i}"] for i in range(1, len(given)) if f"g{i}" in given]
    rule = family.table["rule"]
    beta = given.get("mu", given.get("rho", 0.9))
    h = Hyper(lr=given["learning_rate"], beta=beta, beta1=given.get("beta1", 0.9), beta2=given.get("beta2", 0.999),
              eps=given.get("eps", 1e-8), decay=given.get("weight_decay", 0.0))
    return rule, given["w0"], grads, h, family.table.get("parameter") == "bias"


def test_the_bank_has_optimizer_families_at_every_difficulty():
    assert len(FAMILIES) >= 6
    assert {f.difficulty for f in FAMILIES} == {1, 2, 3, 4, 5}
    assert {f.table["rule"] for f in FAMILIES} == {"sgd", "momentum", "rmsprop", "adam"}


@pytest.mark.parametrize("family", FAMILIES, ids=lambda f: f.id)
def test_answer_and_each_distractor_come_from_the_givens(family):
    ask = family.table.get("ask", "w")
    seen = set()
    for index in range(8):
        q = variant(family, index, 0)
        rule, w0, grads, h, bias = inputs(q, family)
        assert q.answer.value == pytest.approx(run(rule, w0, grads, h, bias=bias)[-1][ask])
        assert q.steps[-1].result == pytest.approx(q.answer.value), "the worked steps end at the answer"
        for d in q.distractors:
            seen.add(d.mistake)
            if d.mistake == "rounded_too_early":
                continue
            wrong = run(rule, w0, grads, h, bias=bias, slip=d.mistake)
            assert d.value == pytest.approx(wrong[-1][ask]), (q.id, d.mistake)
    assert seen - {"rounded_too_early"}, f"{family.id}: no catalogued mistake ever shows"


def test_bias_family_offers_weight_decay_on_the_bias():
    family = next(f for f in FAMILIES if f.table.get("parameter") == "bias")
    assert any(d.mistake == "decay_on_bias" for i in range(4) for d in variant(family, i, 0).distractors)


def test_adam_family_offers_the_uncorrected_moments():
    family = next(f for f in FAMILIES if f.id == "adam-first-steps")
    assert all(any(d.mistake == "adam_no_bias_correction" for d in variant(family, i, 0).distractors)
               for i in range(4))


BASE = {"title": "t", "difficulty": 1, "source": "s", "kind": "optimizer_step"}


@pytest.mark.parametrize("table, key", [
    (None, "optimizer"),
    ({"rule": "nesterov"}, "optimizer.rule"),
    ({"rule": "adam", "steps": [0, 9]}, "optimizer.steps"),
    ({"rule": "momentum", "ask": "m_hat"}, "optimizer.ask"),
    ({"rule": "adam", "beta1": [1.5]}, "optimizer.beta1"),
    ({"rule": "adam", "learning_rate": ["0.1"]}, "optimizer.learning_rate"),
    ({"rule": "adam", "eps": {"a": 1}}, "optimizer.eps"),
    ({"rule": "sgd", "color": 1}, "optimizer.color"),
    ({"rule": "sgd", "parameter": "gamma"}, "optimizer.parameter"),
    ({"rule": "sgd", "w": "wide"}, "optimizer.w"),
])
def test_a_bad_optimizer_table_names_its_key(table, key):
    data = dict(BASE) if table is None else {**BASE, "optimizer": table}
    family, errors = parse_family(data, "f.toml", "f", "optimizers")
    assert family is None
    assert key in [e.key for e in errors], [str(e) for e in errors]


def test_an_optimizer_table_on_another_kind_is_an_error():
    family, errors = parse_family({**BASE, "kind": "gradient_entry", "optimizer": {"rule": "adam"}}, "f.toml", "f", "t")
    assert family is None and "optimizer" in [e.key for e in errors]

