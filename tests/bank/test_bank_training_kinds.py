"""The training_iteration and parameter_count kinds: their own family tables, each bad value one
`key: what is wrong` line (hostile values are data), and every distractor of a shipped family
reproduced by the mistake it names."""

from __future__ import annotations

import numpy as np
import pytest
from bankcheck import family, family_ids, questions

from quizgen.bank import spec
from quizgen.bank.generate import variant
from quizgen.bank.kinds import parameter_count
from quizgen.engine import counting, mistakes, training
from quizgen.messages.text import say
from quizgen.problem import parse_problem

NET = {"inputs": [2, 2], "outputs": [1, 1], "activations": ["sigmoid"], "loss": "bce", "learning_rate": 1.0}


def parse(kind: str, **fields):
    data = {"title": "T", "kind": kind, "difficulty": 1, "source": "a test", **fields}
    return spec.parse_family(data, "t.toml", "t", "training")


def errors(kind: str, **fields) -> list[str]:
    return [f"{e.key}: {e.args[0]}" for e in parse(kind, **fields)[1]]


def test_a_good_training_family_builds_its_new_loss_question():
    fam, errs = parse("training_iteration", network=NET, values={"grid": "halves", "labels": "binary"},
                      training={"ask": "new_loss"})
    assert errs == []
    q = variant(fam, 0)
    assert q.kind == "training_iteration" and "J_{\\text{new}}" in say(q.prompt) and q.problem["learning_rate"] == 1.0
    assert [s.role for s in q.steps][-1] == "loss" and "update" in [s.role for s in q.steps]


@pytest.mark.parametrize("fields, key", [
    ({"network": {**NET, "learning_rate": None}}, "network.learning_rate"),
    ({"network": {k: v for k, v in NET.items() if k != "learning_rate"}}, "network.learning_rate"),
    ({"network": NET, "training": "new_loss"}, "training"),
    ({"network": NET, "training": {"ask": "__import__('os')"}}, "training.ask"),
    ({"network": NET, "training": {"ask": ["new_loss"]}}, "training.ask"),
    ({"network": NET, "training": {"ask": "weight", "layer": 2}}, "training.layer"),
    ({"network": NET, "training": {"ask": "weight", "layer": -2}}, "training.layer"),
    ({"network": NET, "training": {"ask": "weight", "layer": True}}, "training.layer"),
    ({"network": NET, "training": {"eval": "1"}}, "training.eval"),
    ({"network": NET, "counting": {"layers": ["dense"]}}, "counting"),
])
def test_a_bad_training_table_is_one_error_at_its_key(fields, key):
    if fields["network"].get("learning_rate", 0) is None:
        fields = {**fields, "network": {k: v for k, v in NET.items() if k != "learning_rate"}}
    errs = errors("training_iteration", **fields)
    assert [e.split(":")[0] for e in errs] == [key], errs


def test_layer_minus_one_asks_the_output_layers_weight():
    net = {**NET, "hidden": [[2, 2]], "activations": ["tanh", "sigmoid"]}
    fam, errs = parse("training_iteration", network=net, values={"grid": "halves", "labels": "binary"},
                      training={"ask": "weight", "layer": -1})
    assert errs == []
    assert variant(fam, 0).target.startswith("layers.1.W_new.")


GOOD_COUNT = {"layers": ["dense", "dense"], "inputs": [2, 4], "units": [[2, 4], [1, 3]]}


def test_a_good_counting_family_builds_an_exact_whole_number():
    fam, errs = parse("parameter_count", counting=GOOD_COUNT)
    assert errs == []
    q = variant(fam, 0)
    assert q.answer.precision["rule"] == "exact" and float(q.answer.value).is_integer()
    assert "the exact value, a whole number" in say(q.prompt)
    assert say(q.steps[-1].title) == "Total parameters" and q.steps[-1].result == q.answer.value


@pytest.mark.parametrize("fields, key", [
    ({}, "counting"),
    ({"counting": ["dense"]}, "counting"),
    ({"counting": {**GOOD_COUNT, "layers": ["dense", "lstm"]}}, "counting.layers"),
    ({"counting": {**GOOD_COUNT, "layers": ["dense"] * 9}}, "counting.layers"),
    ({"counting": {**GOOD_COUNT, "layers": []}}, "counting.layers"),
    ({"counting": {**GOOD_COUNT, "layers": ["batchnorm"], "units": []}}, "counting.layers"),
    ({"counting": {**GOOD_COUNT, "layers": ["dense", "conv"], "units": [[2, 4]], "channels": [[2, 2]]}}, "counting.layers"),
    ({"counting": {**GOOD_COUNT, "units": [[2, 4]]}}, "counting.units"),
    ({"counting": {**GOOD_COUNT, "units": [[2, 10**9], [1, 3]]}}, "counting.units[1]"),
    ({"counting": {**GOOD_COUNT, "inputs": [0, 4]}}, "counting.inputs"),
    ({"counting": {**GOOD_COUNT, "inputs": "784"}}, "counting.inputs"),
    ({"counting": {**GOOD_COUNT, "bias": "yes"}}, "counting.bias"),
    ({"counting": {**GOOD_COUNT, "exec": 1}}, "counting.exec"),
    ({"counting": {"layers": ["conv"], "channels": [[2, 2]], "kernel": [3, 50]}}, "counting.kernel"),
    ({"counting": {"layers": ["conv", "conv"], "channels": [[2, 2], [2, 2]], "kernel": [5, 5], "length": [8, 8]}},
     "counting.length"),
    ({"counting": GOOD_COUNT, "training": {"ask": "new_loss"}}, "training"),
])
def test_a_bad_counting_table_is_one_error_at_its_key(fields, key):
    errs = errors("parameter_count", **fields)
    assert [e.split(":")[0] for e in errs] == [key], errs


def test_a_huge_hostile_value_is_clipped_in_the_message():
    for err in errors("parameter_count", counting={**GOOD_COUNT, "bias": "x" * 10_000}):
        assert len(err) < 400


@pytest.mark.parametrize("fid", family_ids(("parameter_count",)))
def test_count_distractors_are_their_mistakes_and_distinct(fid):
    f = family(fid)
    for q in questions(fid):
        inputs, _, layers = parameter_count.draw(f.table, np.random.default_rng(q.seed))
        if counting.total(layers) != q.answer.value:
            continue  # the first draw was rejected; the kept one is a later draw
        values = [d.value for d in q.distractors]
        assert len(set(values)) == len(values) and q.answer.value not in values
        for d in q.distractors:
            assert not d.also
            assert counting.total(layers, d.mistake, inputs) == d.value, (q.id, d.mistake)
        assert sum(s.result for s in q.steps[:-1]) == q.answer.value


@pytest.mark.parametrize("fid", family_ids(("training_iteration",)))
def test_training_distractors_are_their_mistakes(fid):
    for q in questions(fid):
        net = parse_problem(q.problem)
        decrease = "J - J_" in q.steps[-1].symbolic
        for d in q.distractors:
            if d.mistake == "rounded_too_early" or q.target is not None:
                continue
            how = {"slip": d.mistake} if d.mistake in training.SLIPS else {"rules": mistakes.get(d.mistake).rules()}
            it = training.iterate(net, **how)
            got = it.decrease if decrease else it.after.loss
            assert abs(got - d.value) <= 1e-9 * max(1.0, abs(got)), (q.id, d.mistake)
        it = training.iterate(net)
        if q.target is None:
            assert q.answer.value == pytest.approx(it.decrease if decrease else it.after.loss, rel=1e-12)
            assert q.steps[-1].result == pytest.approx(q.answer.value, rel=1e-12), "the steps end at the answer"


@pytest.mark.parametrize("lang, named", [("en", "f features"), ("zh", "f 个特征")])
def test_the_batchnorm_step_says_what_f_is(lang, named):
    """Regression: the batch-norm step wrote 2 f and never said f is the number of features."""
    from quizgen.messages import using

    fam, errs = parse("parameter_count", counting={"layers": ["dense", "batchnorm", "dense"], "inputs": [3, 3],
                                                   "units": [[4, 4], [2, 2]]})
    assert errs == []
    q = variant(fam, 0)
    step = next(s for s in q.steps if s.symbolic == r"2\, f")
    with using(lang):
        assert named in say(step.explanation), say(step.explanation)
