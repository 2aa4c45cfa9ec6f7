"""vanishing_gradient families: the answer is the chain's own central difference (or the bound,
checked against random inputs) on the question's givens, each distractor the value its named slip
gives there, and a bad [vanishing] table is one `key: what is wrong` line per key."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

from quizgen.bank.generate import variant
from quizgen.bank.load import load_bank
from quizgen.bank.spec import parse_family
from quizgen.engine import vanishing as van
from quizgen.messages import using
from quizgen.messages.text import say

FAMILIES = [f for f in load_bank("question_bank") if f.kind == "vanishing_gradient"]
F = {"sigmoid": lambda z: 1 / (1 + math.exp(-z)), "tanh": math.tanh, "relu": lambda z: max(z, 0.0)}


def read(q):
    """The activation, weights, biases, input, pre-activations and g, as the question gives them."""
    given = {g.name: g.value for g in q.given}
    L = sum(1 for name in given if name.startswith("w"))
    name = next(n for n in van.ACTIVATIONS if f" {n} units" in say(q.prompt).lower())  # the prompt writes "ReLU units"
    pick = lambda p: [given[f"{p}{l}"] for l in range(1, L + 1)] if f"{p}1" in given else None  # noqa: E731
    return name, pick("w"), pick("b"), given.get("x"), pick("z"), given.get("g", 1.0)


def output(name, w, b, x, z=None, dx=0.0):
    """a_L from the input; with pre-activations given, the biases that make them: b_l = z_l − w_l a_{l−1}."""
    a = a0 = 0.0 if x is None else x
    if z is not None:  # rebuild the biases at the unperturbed point
        b, prev = [], a0
        for zl, wl in zip(z, w):
            b.append(zl - wl * prev)
            prev = F[name](zl)
    a = a0 + dx
    for l, wl in enumerate(w):
        a = F[name](wl * a + (b[l] if b else 0.0))
    return a


def test_the_bank_has_vanishing_families_of_every_activation_and_ask():
    assert len(FAMILIES) >= 4
    assert {f.table.get("activation") for f in FAMILIES} >= {"sigmoid", "tanh", "relu"}
    assert {f.table.get("ask", "derivative") for f in FAMILIES} == {"derivative", "gradient", "factor", "bound"}


def test_families_of_both_topics_spread_over_every_difficulty():
    both = [f for f in load_bank("question_bank") if f.kind in ("vanishing_gradient", "softmax_jacobian")]
    assert {f.difficulty for f in both} == {1, 2, 3, 4, 5}


@pytest.mark.parametrize("family", FAMILIES, ids=lambda f: f.id)
def test_answer_is_the_central_difference_of_the_chain(family):
    ask = family.table.get("ask", "derivative")
    for index in range(6):
        q = variant(family, index, 0)
        name, w, b, x, z, g = read(q)
        if ask == "bound":
            rng = np.random.default_rng(index)
            for _ in range(200):  # no input and no biases beat it; z = 0 everywhere reaches it
                xs, bs = float(rng.uniform(-3, 3)), list(rng.uniform(-3, 3, len(w)))
                assert abs(van.gradient(van.forward(name, w, x=xs, b=bs))) <= q.answer.value * (1 + 1e-12)
            assert q.answer.value == pytest.approx(abs(van.gradient(van.forward(name, w, z=[0.0] * len(w)))))
            continue
        h = 1e-6
        numeric = g * (output(name, w, b, x, z, h) - output(name, w, b, x, z, -h)) / (2 * h)
        want = abs(numeric) if ask == "factor" else numeric
        assert q.answer.value == pytest.approx(want, rel=1e-5, abs=1e-9), q.id
        assert q.steps[-1].result == pytest.approx(q.answer.value), "the worked steps end at the answer"


@pytest.mark.parametrize("family", FAMILIES, ids=lambda f: f.id)
def test_each_distractor_is_its_slip_on_the_givens(family):
    ask = family.table.get("ask", "derivative")
    seen = set()
    for index in range(8):
        q = variant(family, index, 0)
        name, w, b, x, z, g = read(q)
        for d in q.distractors:
            seen.add(d.mistake)
            if d.mistake == "rounded_too_early":
                continue
            if ask == "bound":
                wrong = van.bound(name, w, d.mistake)
            else:
                chain = van.forward(name, w, z=z) if z is not None else van.forward(name, w, x=x, b=b)
                wrong = van.gradient(chain, g, d.mistake)
                wrong = abs(wrong) if ask == "factor" else wrong
            assert d.value == pytest.approx(wrong, rel=1e-9, abs=1e-12), (q.id, d.mistake)
    assert seen - {"rounded_too_early"}, f"{family.id}: no catalogued slip ever shows"


def test_the_bound_family_offers_the_half_bound():
    family = next(f for f in FAMILIES if f.table.get("ask") == "bound")
    assert all(any(d.mistake == "vanish_bound_half" for d in variant(family, i, 0).distractors) for i in range(4))


def test_a_dead_relu_unit_zeroes_the_answer_and_offers_the_pass_through():
    family = next(f for f in FAMILIES if f.table.get("dead"))
    dead = alive = 0
    for i in range(12):
        q = variant(family, i, 0)
        if any(s.result < 0 for s in q.steps if say(s.title).endswith("pre-activation")):
            dead += 1
            assert q.answer.value == 0.0 and any(d.mistake == "vanish_relu_dead_passes" for d in q.distractors)
        else:
            alive += 1
            assert q.answer.value != 0.0
    assert dead and alive, (dead, alive)



BASE = {"title": "t", "difficulty": 1, "source": "s", "kind": "vanishing_gradient"}


@pytest.mark.parametrize("table, key", [
    (None, "vanishing"),
    ([1, 2], "vanishing"),
    ({"activation": "softmax"}, "vanishing.activation"),
    ({"activation": ["sigmoid"]}, "vanishing.activation"),
    ({"layers": [1, 3]}, "vanishing.layers"),
    ({"layers": [2, 10**9]}, "vanishing.layers"),
    ({"ask": "hessian"}, "vanishing.ask"),
    ({"ask": "bound", "activation": "tanh"}, "vanishing.ask"),
    ({"given": "weights"}, "vanishing.given"),
    ({"dead": "yes", "activation": "relu"}, "vanishing.dead"),
    ({"dead": True, "activation": "sigmoid"}, "vanishing.dead"),
    ({"w": [-1e6, 1]}, "vanishing.w"),
    ({"x": [0, 0]}, "vanishing.x"),
    ({"color": 1}, "vanishing.color"),
])
def test_a_bad_vanishing_table_names_its_key(table, key):
    data = dict(BASE) if table is None else {**BASE, "vanishing": table}
    family, errors = parse_family(data, "f.toml", "f", "vanishing")
    assert family is None
    assert key in [e.key for e in errors], [str(e) for e in errors]
    assert all(len(str(e)) < 400 and "\n" not in str(e) for e in errors)


def test_a_vanishing_table_on_another_kind_is_an_error():
    family, errors = parse_family({**BASE, "kind": "softmax_jacobian", "jacobian": {}, "vanishing": {}}, "f.toml", "f", "t")
    assert family is None and [e.key for e in errors] == ["vanishing"]


def test_a_huge_activation_is_clipped_in_the_message():
    _, errors = parse_family({**BASE, "vanishing": {"activation": "s" * 100_000}}, "f.toml", "f", "t")
    assert len(str(errors[0])) < 400


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_relu_chain_prompt_names_its_units_as_its_steps_do(lang):
    """Regression: the prompt said "relu units" while its steps and formula say "ReLU"."""
    relu = [f for f in FAMILIES if "relu" in f.table.get("activation", "")]
    assert relu
    with using(lang):
        for f in relu:
            q = variant(f, 0)
            prompt, steps = say(q.prompt), " ".join(say(s.title) for s in q.steps)
            assert "ReLU" in steps and re.search(r"\bReLU\b", prompt) and not re.search(r"\brelu\b", prompt), prompt
