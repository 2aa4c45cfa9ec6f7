"""gradient_check's relative-error and verdict modes (issue 20): the answer is the relative error of
the numbers shown, each distractor is its named checker's mistake, and the verdict reads the
stated thresholds."""

from __future__ import annotations

import pytest
from bankcheck import family, family_ids, questions

from quizgen.bank.kinds.relative_error import DEFAULTS, verdict
from quizgen.bank.load import load_bank
from quizgen.bank.spec import parse_family
from quizgen.engine import mistakes, solve
from quizgen.messages.text import say
from quizgen.problem import parse_problem

MODES = [f.id for f in load_bank("question_bank") if f.kind == "gradient_check"
         and f.table.get("ask", "estimate") != "estimate"]


def shown(q) -> dict:
    return {g.name: g.value for g in q.given}


def test_the_bank_has_both_modes():
    assert {family(fid).table["ask"] for fid in MODES} == {"relative_error", "verdict"}


@pytest.mark.parametrize("fid", MODES)
def test_the_relative_error_comes_from_the_shown_numbers_and_each_mistake_from_its_rule(fid):
    f = family(fid)
    ok, bug = f.table.get("ok", DEFAULTS["ok"]), f.table.get("bug", DEFAULTS["bug"])
    for q in questions(fid):
        v = shown(q)
        g, J, Jp, Jm = v["g"], v["J"], v["J_plus"], v["J_minus"]
        est = (Jp - Jm) / (2 * f.eps)
        rel = abs(g - est) / (abs(g) + abs(est))
        assert q.steps[1].result == pytest.approx(rel, rel=1e-9)
        # the backprop value is the right gradient or a catalogued mistake's, to the 6 figures shown
        right = solve(parse_problem(q.problem)).layers[0].dW
        wrongs = [m.solve(parse_problem(q.problem)).layers[0].dW for m in mistakes.CATALOG.values()
                  if m.applies(parse_problem(q.problem))]
        assert any(abs(g - x) <= 1e-5 * max(1.0, abs(x)) for a in [right, *wrongs] for x in a.ravel()), q.id
        if f.table["ask"] == "relative_error":
            assert q.answer.value == pytest.approx(rel, rel=1e-9)
            wrong = {"one_sided_difference": abs(g - (Jp - J) / f.eps) / (abs(g) + abs((Jp - J) / f.eps)),
                     "eps_not_doubled": abs(g - (Jp - Jm) / f.eps) / (abs(g) + abs((Jp - Jm) / f.eps)),
                     "absolute_error": abs(g - est), "difference_reversed": abs(g + est) / (abs(g) + abs(est))}
            for d in q.distractors:
                for mid in [d.mistake, *d.also]:
                    assert d.value == pytest.approx(wrong[d.mistake], rel=1e-9), (q.id, mid)
            assert len(q.distractors) >= f.min_distractors
        else:
            right = next(ch for ch in q.choices if ch.correct)
            assert say(right.text).startswith({"correct": "Correct", "bug": "A bug", "unsure": "Inconclusive"}
                                              [verdict(rel, ok, bug)])
            assert verdict(rel, ok, bug) != "unsure"  # a draw is clear-cut
            for ch in q.choices:
                assert ch.correct or ch.mistake in mistakes.OTHER


def test_a_correct_backprop_passes_and_a_buggy_one_fails_across_variants():
    fid = next(fid for fid in MODES if family(fid).table["ask"] == "verdict")
    answers = {next(ch.text["key"] for ch in q.choices if ch.correct) for q in questions(fid)}
    assert any(a.endswith("correct") for a in answers) or len(questions(fid)) < 4
    assert any(a.endswith("bug") for a in answers)


@pytest.mark.parametrize("table, key", [
    ({"ask": "guess"}, "gradcheck.ask"), ({"backprop": "maybe"}, "gradcheck.backprop"),
    ({"ok": 2}, "gradcheck.ok"), ({"ok": 0.1, "bug": 0.01}, "gradcheck.bug"), ({"nope": 1}, "gradcheck.nope"),
    ({"a\nb": 1}, 'gradcheck."a\\nb"'),  # a hostile key is quoted, not printed raw
])
def test_a_bad_gradcheck_table_names_its_key(table, key):
    data = {"title": "t", "difficulty": 1, "source": "s", "kind": "gradient_check", "gradcheck": table}
    _, errors = parse_family(data, "x.toml", "x", "t")
    assert any(e.key == key for e in errors), [(e.key, str(e)) for e in errors]


def test_a_gradcheck_table_belongs_to_a_gradient_check_family():
    data = {"title": "t", "difficulty": 1, "source": "s", "kind": "loss_value", "gradcheck": {"ask": "verdict"}}
    _, errors = parse_family(data, "x.toml", "x", "t")
    assert any(e.key == "gradcheck" for e in errors)


@pytest.mark.parametrize("fid", MODES)
def test_the_relative_error_bars_are_fences_not_spaced_relations(fid):
    """Regression: |g − ĝ|/(|g| + |ĝ|) rendered "|g | + | ĝ|": a bare "|" between two terms is
    set as an infix relation. Every bar in its steps and prompt is now a fence with its form."""
    import re

    from quizgen.present.math import md, parts, tex
    from quizgen.render.text import tex_text

    bare = re.compile(r"<mo(?![^>]*form=)[^>]*>(?:\||&#x0007C;)</mo>")
    for q in questions(fid)[:2]:
        steps = [s for s in q.steps if r"\hat{g}" in s.symbolic and "|" in s.symbolic]
        assert steps, q.id
        for s in steps:
            for html in (tex(s.symbolic), parts(s.parts)):
                assert "|" in html or "&#x0007C;" in html
                assert not bare.search(html), html
            assert "(|g - ĝ|)/(|g| + |ĝ|)" in tex_text(s.symbolic)
        assert not bare.search(md(say(q.prompt)))
    shown_sum = tex_text(" ".join(p.get("tex", "1") for p in next(
        s for s in questions(MODES[0])[0].steps if s.symbolic.startswith(r"\frac{\left|")).parts))
    assert " |1| + |1| " in shown_sum and "| -" not in shown_sum, shown_sum
