"""Regression: the answer-format hint under the box (site) and in practice (terminal) fits
what is asked. A count (parameter_count, shapes_table, a conv output length) is not offered
"-3/4"; a one-row answer (conv_pool sequences, keyed as a plain list) is hinted as a list of
n numbers, not "a 1×n matrix: [[…]]". Both languages."""

from __future__ import annotations

import pytest
from bankcheck import family, family_ids, questions

from quizgen.messages import using
from quizgen.practice.feedback import answer_format
from quizgen.writers.site_env import messages
from quizgen.writers.site_views import format_hint

WHOLE = family_ids(("parameter_count",)) + [f for f in family_ids(("conv_pool",)) if family(f).table.get("ask") == "length"]
ROWS = [f for f in family_ids(("conv_pool",)) if questions(f)[0].answer.shape[:1] == [1]]


def _hints(q, lang):
    with using(lang):
        return [format_hint(q, messages(lang)), answer_format(q)]


@pytest.mark.parametrize("lang, whole", [("en", "whole number"), ("zh", "整数")])
@pytest.mark.parametrize("fid", WHOLE)
def test_a_count_is_not_offered_a_fraction(fid, lang, whole):
    for said in _hints(questions(fid)[0], lang):
        assert "3/4" not in said and whole in said, said


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_gradient_still_offers_a_fraction(lang):
    q = next(q for fid in family_ids(("conv_pool",)) for q in questions(fid) if not q.answer.shape)
    if q.target == "length":
        pytest.skip("the first scalar conv question is a length")
    assert all("3/4" in said for said in _hints(q, lang))


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("fid", ROWS)
def test_a_one_row_answer_is_hinted_as_a_list(fid, lang):
    q = questions(fid)[0]
    n = q.answer.shape[1]
    example = "[" + ", ".join(str(i + 1) for i in range(n)) + "]"
    for said in _hints(q, lang):
        assert "[[" not in said and "×" not in said and example in said, said
    assert not q.answer.display.startswith("[["), "the key shows a plain list too"


def test_the_shipped_families_have_both_cases():
    assert WHOLE and ROWS
