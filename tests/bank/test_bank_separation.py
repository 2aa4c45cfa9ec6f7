"""Issue 14, "verdicts a student can trust", over every shipped family × SEEDS variants: the key's
display and the true value at the stated precision grade correct; every value a catalogued mistake
produces grades not-correct and, where named, names a mistake that produces it; separation is
a property of every variant."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pytest
from bankcheck import family, family_ids, graph_case

from quizgen.bank.generate import variant
from quizgen.bank.kinds import precision
from quizgen.bank.latex import act_tex
from quizgen.engine import graph, mistakes, parse_activation
from quizgen.grading import format_value, grade
from quizgen.problem import parse_problem
from quizgen.render.numbers import fmt
from quizgen.messages.text import say

SEEDS = 20
NUMERIC_ANSWERS = ("number", "vector", "matrix")


@lru_cache(maxsize=None)
def sample(fid: str):
    return tuple(variant(family(fid), i, 0) for i in range(SEEDS))


def typed(value, digits: int = 4) -> str:
    """A value as a student types it, each entry at `digits` significant figures."""
    arr = np.asarray(value, dtype=float)
    if arr.ndim == 0:
        return fmt(float(arr), digits)
    return format_value([[fmt(x, digits) for x in row] for row in arr] if arr.ndim == 2
                        else [fmt(x, digits) for x in arr]).replace("'", "")


def at_precision(q) -> str:
    """The true value rounded as the answer's precision asks."""
    p, arr = q.answer.precision, np.asarray(q.answer.value, dtype=float)
    if p["rule"] == "exact":
        return format_value(arr.tolist())
    if p["rule"] == "sig":
        return format_value(np.asarray(precision.round_sig(arr, p["digits"])).tolist())
    return format_value(np.round(arr, p["digits"]).tolist())


def catalogued(q) -> dict[str, np.ndarray]:
    """Every catalogued mistake's value at the question's target that differs from the answer."""
    want = np.asarray(q.answer.value, dtype=float)
    out = {}
    if q.target is not None:
        net = parse_problem(q.problem)
        stop = int(q.target.split(".")[1]) if q.target.startswith("layers.") else 0
        for m in mistakes.CATALOG.values():
            try:
                out[m.id] = np.asarray(m.solve(net, stop=stop).value_at(q.target), dtype=float)
            except (mistakes.NotApplicable, KeyError, IndexError, TypeError):
                continue
    elif q.kind == "activation_derivative":
        f = family(q.family)
        rule = next(s.symbolic for s in q.steps if say(s.title) == "Derivative rule")
        act = next(a for a in map(parse_activation, f.ask_activation) if rule.startswith(act_tex(a) + "'(z)"))
        z = next(g.value for g in q.given if g.name == "z")
        out = {k: np.asarray(v) for k, v in mistakes.activation_mistakes(act, z).items()}
    elif q.kind == "gradient_check":
        out = {d.mistake: np.asarray(d.value, dtype=float) for d in q.distractors}
    elif q.kind == "computational_graph":
        circuit, inputs, wrt = graph_case(q)
        for mid in graph.MISTAKES:
            try:
                out[mid] = np.asarray(graph.gradient(circuit, inputs, wrt, mid))
            except ValueError:
                continue
    if q.kind == "training_iteration" and q.target is None:  # the new loss or the decrease
        out = training_catalogued(q)
    return {k: v for k, v in out.items()
            if v.shape == want.shape and np.all(np.isfinite(v)) and not np.allclose(v, want, rtol=1e-9, atol=1e-12)}


@pytest.mark.parametrize("fid", family_ids())
def test_key_display_and_true_value_at_stated_precision_grade_correct(fid):
    for q in sample(fid):
        if q.answer.kind not in NUMERIC_ANSWERS:
            continue
        assert q.answer.precision, q.id
        if q.kind != "shapes_table":  # a shapes table asks whole numbers in its own words, never "the exact value"
            assert say(q.answer.precision["text"]) in say(q.prompt), q.id
        else:
            assert "rows, columns" in say(q.prompt) and "exact value" not in say(q.prompt), q.id
        for text in (q.answer.display, at_precision(q)):
            verdict = grade(q.answer, q.distractors, text)
            assert verdict["correct"], (q.id, text, verdict["message"])


@pytest.mark.parametrize("fid", family_ids())
def test_every_catalogued_mistake_grades_wrong_and_is_named_rightly(fid):
    for q in sample(fid):
        if q.answer.kind not in NUMERIC_ANSWERS:
            continue
        values = catalogued(q)
        for mid, value in values.items():
            # typed as it comes out, and at 4 figures as a student writes it
            for text in (format_value(value.tolist()), typed(value)):
                verdict = grade(q.answer, q.distractors, text)
                assert not verdict["correct"], (q.id, mid, text)
                assert verdict["score"] == 0.0 or verdict["mistake"] is None, (q.id, mid, verdict)
                if verdict["mistake"] is None or verdict["mistake"] == "rounded_too_early":
                    continue
                d = next(d for d in q.distractors if d.mistake == verdict["mistake"])
                named = [d.mistake, *d.also]
                assert mid in named or any(k in values and typed(values[k]) == typed(value) for k in named), (
                    q.id, mid, "named", named)


@pytest.mark.parametrize("fid", family_ids())
def test_separation_is_a_property_of_every_variant(fid):
    for q in sample(fid):
        if q.answer.kind not in NUMERIC_ANSWERS:
            continue
        a, tol = np.asarray(q.answer.value, dtype=float), np.asarray(q.answer.tol, dtype=float)
        for mid, value in catalogued(q).items():
            assert np.any(np.abs(value - a) > tol), f"{q.id}: {mid} lies within the answer's tolerance"
        for i, d in enumerate(q.distractors):
            for e in q.distractors[:i]:
                assert np.any(np.abs(np.asarray(d.value) - np.asarray(e.value)) > np.asarray(e.tol)), (
                    f"{q.id}: {d.mistake} and {e.mistake} should be one distractor")


def test_two_mistakes_within_tolerance_are_one_distractor_naming_both():
    """Regression guard: logistic-db used to drop the 1/m distractor for lying within tolerance
    of σ′/tanh′ and then call forgetting 1/m "mix up σ′ and tanh′"."""
    merged = [d for fid in family_ids() for q in sample(fid) for d in q.distractors if d.also]
    assert merged, "some variant has two mistakes giving one value"
    for d in merged:
        for mid in [d.mistake, *d.also]:
            assert say(mistakes.describe(mid).name) in say(d.name)
        assert ", or " in say(d.name)


def _family_with(credit):
    import tomllib
    from pathlib import Path

    from quizgen.bank.spec import parse_family

    path = Path(__file__).resolve().parents[2] / "question_bank" / "gradients" / "logistic-db.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return parse_family({**data, "mistake_credit": credit}, str(path), "logistic-db", "gradients")


def test_a_family_can_give_a_mistake_credit_and_graders_use_it():
    fam, errors = _family_with({"forgot_1_over_m": 0.5})
    assert errors == []
    q = variant(fam, 0, 0)
    d = next(d for d in q.distractors if "forgot_1_over_m" in [d.mistake, *d.also])
    assert d.credit == (0.5 if not d.also else 0.0)  # a value two mistakes share earns the smaller share
    assert all(e.credit == 0.0 for e in q.distractors if e is not d)
    assert grade(q.answer, q.distractors, format_value(d.value))["score"] == d.credit


def test_mistake_credit_is_validated():
    _, errors = _family_with({"forgot_1_over_m": 2, "no_such_mistake": 0.5, "sign_flipped": True})
    assert sorted(e.key for e in errors) == ["mistake_credit.forgot_1_over_m", "mistake_credit.no_such_mistake",
                                             "mistake_credit.sign_flipped"]
    _, errors = _family_with([1, 2])
    assert [e.key for e in errors] == ["mistake_credit"]


def training_catalogued(q) -> dict[str, np.ndarray]:
    """A training_iteration question's value under each update slip and each backward mistake."""
    from quizgen.engine import training

    net = parse_problem(q.problem)
    decrease = "J - J_" in q.steps[-1].symbolic

    def value(**how):
        it = training.iterate(net, **how)
        return np.asarray(it.decrease if decrease else it.after.loss)

    out = {slip: value(slip=slip) for slip in training.SLIPS if training.applies(net, slip)}
    for m in mistakes.CATALOG.values():
        if m.applies(net):
            try:
                out[m.id] = value(rules=m.rules())
            except (ValueError, TypeError):
                continue
    return out
