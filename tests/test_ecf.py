"""quizgen/ecf.py: error carried forward, Python side (the shared table runs it against grader.js)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from quizgen.bank.generate import variant
from quizgen.bank.load import load_bank
from quizgen.ecf import engine_rerun, grade_parts
from quizgen.grading import format_value

BANK = Path(__file__).resolve().parents[1] / "question_bank"
FAMILIES = {f.id: f for f in load_bank(BANK)}


def typed(value) -> str:
    return format_value(np.round(np.asarray(value, dtype=float), 6))


@pytest.fixture(scope="module", params=range(4))
def chain(request):
    return variant(FAMILIES["sigmoid-delta-chain"], request.param)


def test_the_right_answers_earn_every_point(chain):
    result = grade_parts(chain, {p.name: p.answer.display for p in chain.parts})
    assert [r["verdict"] for r in result["parts"]] == ["correct"] * len(chain.parts)
    assert result["score"] == result["points"] == sum(p.points for p in chain.parts)


def test_every_catalogued_slip_in_a_is_carried_through_every_later_part(chain):
    # Guards ECF down a whole chain: a student who slips once in (a) and works on correctly loses only (a).
    run = engine_rerun(chain)
    a = chain.parts[0]
    for slip in a.distractors:
        answers = {"a": typed(slip.value)}
        for p in chain.parts[1:]:
            answers[p.name] = typed(run(a, list(np.ravel(slip.value)), p))
        result = grade_parts(chain, answers)
        verdicts = [r["verdict"] for r in result["parts"]]
        assert verdicts[0] == "wrong", slip.mistake
        assert all(v in ("carried", "correct") for v in verdicts[1:]), (slip.mistake, verdicts)
        assert result["score"] == result["points"] - a.points + a.points * slip.credit


def test_a_random_a_cannot_buy_the_later_parts(chain):
    # Guards the "explainable" rule: what a made-up (a) implies earns nothing.
    run = engine_rerun(chain)
    a = chain.parts[0]
    made_up = np.full(np.shape(a.answer.value), 0.37)
    answers = {"a": typed(made_up)}
    for p in chain.parts[1:]:
        answers[p.name] = typed(run(a, list(made_up.ravel()), p))
    result = grade_parts(chain, answers)
    assert all(r["verdict"] == "wrong" for r in result["parts"][:2])
    assert "carried" not in [r["verdict"] for r in result["parts"]]


def test_a_dw_slip_carries_to_its_sibling_through_the_shared_dz():
    q = variant(FAMILIES["exam-relu-softmax-parts"], 0)
    b = q.parts[1]
    rows = [r for rel in b.carry if rel["from"] == "a" for r in rel["table"]]
    assert rows, "a dW2 slip upstream of dZ2 should carry to db2"
    for row in rows:
        result = grade_parts(q, {"a": typed(row["value"]), "b": typed(row["then"])})
        assert [r["verdict"] for r in result["parts"][:2]] == ["wrong", "carried"]
        assert result["parts"][1]["given"] == "a" and "Your (a) was wrong" in result["parts"][1]["message"]


def test_the_carried_value_is_accepted_at_the_asked_precision_from_a_rounded_a(chain):
    # A student rounds (a) to 3 significant figures, then works (b) from the rounded value.
    from quizgen.bank.kinds.precision import round_sig

    run = engine_rerun(chain)
    a, b = chain.parts[0], chain.parts[1]
    for slip in a.distractors:
        mine = round_sig(np.asarray(slip.value), 3)
        then = round_sig(np.asarray(run(a, list(mine.ravel()), b)), 3).reshape(np.shape(b.answer.value))
        result = grade_parts(chain, {"a": format_value(mine), "b": format_value(then)})
        if result["parts"][0]["mistake"]:
            assert result["parts"][1]["verdict"] in ("carried", "correct"), slip.mistake


def test_blank_and_hostile_parts_are_wrong_not_errors(chain):
    answers = {"a": "", "b": "__import__('os')", "c": "[" * 5000, "d": "1e999"}
    result = grade_parts(chain, answers)
    assert [r["verdict"] for r in result["parts"]] == ["wrong"] * len(chain.parts)
    assert result["score"] == 0


def test_a_record_round_trips_with_its_parts(chain):
    from quizgen.bank.question import Question

    again = Question.from_dict(chain.to_dict())
    assert again.parts == chain.parts
    assert "parts" not in variant(FAMILIES["logistic-db"], 0).to_dict(), "single-part records keep their form"


@pytest.mark.parametrize("fid", ["exam-relu-softmax-parts", "sigmoid-delta-chain"])
def test_the_shipped_map_is_the_engine_rerun_for_every_variant(fid):
    # Guards browser/Python parity beyond the shared table: grader.js multiplies by `map`, Python re-runs.
    rng = np.random.default_rng(1)
    for index in range(6):
        q = variant(FAMILIES[fid], index)
        run = engine_rerun(q)
        parts = {p.name: p for p in q.parts}
        for later in q.parts:
            for relation in later.carry:
                if "map" not in relation:
                    continue
                earlier = parts[relation["from"]]
                v = rng.normal(size=np.size(earlier.answer.value))
                np.testing.assert_allclose(np.asarray(relation["map"]) @ v, run(earlier, list(v), later), atol=1e-12)
