"""Regressions from reading the issue-20 families as a student would (site, practice, show):
each test names the problem it guards against."""

from __future__ import annotations

import re

import pytest
from bankcheck import family, family_ids, questions

from quizgen.bank.fields import Collector, add_known
from quizgen.bank.kinds import KINDS
from quizgen.bank.kinds.training_iteration import renamed
from quizgen.messages import using
from quizgen.messages.text import say
from quizgen.practice.feedback import answer_format
from quizgen.present import view as present
from quizgen.present.terminal import wrong_answers_text
from quizgen.writers.site_views import tolerance

COUNTS = family_ids(("parameter_count",))
TRAINING = family_ids(("training_iteration",))
VERDICTS = [fid for fid in family_ids(("gradient_check",)) if family(fid).table.get("ask") == "verdict"]
SITE_WORDS = {"tolerance_both": "", "tolerance_rel": "", "tolerance_abs": ""}


@pytest.mark.parametrize("lang, whole, fraction", [("en", "a whole number", "a decimal or a fraction"),
                                                   ("zh", "一个整数", "小数或分数")])
@pytest.mark.parametrize("fid", COUNTS)
def test_a_parameter_count_asks_a_whole_number_in_the_answer_panel_and_practice(fid, lang, whole, fraction):
    """The prompt asks a whole number; the site's answer panel and practice once said "a decimal or a fraction"."""
    q = questions(fid)[0]
    with using(lang):
        said = [tolerance(present.answer(q), SITE_WORDS), answer_format(q), say(q.answer.precision["text"])]
    for words in said:
        assert whole in words and fraction not in words, words


def test_other_exact_answers_still_accept_a_decimal_or_a_fraction():
    q = next(q for fid in TRAINING for q in questions(fid) if q.answer.precision["rule"] == "exact")
    with using("en"):
        assert "a decimal or a fraction" in tolerance(present.answer(q), SITE_WORDS)


@pytest.mark.parametrize("fid", TRAINING)
def test_the_training_prompt_mentions_the_second_forward_pass_only_when_it_is_asked(fid):
    """One updated weight needs no forward pass after the update; the prompt once said to do one."""
    asks_weight = family(fid).table.get("ask") == "weight"
    for lang, again in (("en", "forward pass again"), ("zh", "再做一次前向传播")):
        with using(lang):
            prompt = say(questions(fid)[0].prompt)
        assert (again in prompt) != asks_weight, (lang, prompt)


@pytest.mark.parametrize("fid", [f for f in TRAINING if family(f).table.get("ask") != "weight"])
def test_the_second_forward_pass_names_the_updated_parameters(fid):
    """After the update, W^{[1]} held the new numbers while its symbol read as the old weights."""
    q = questions(fid)[0]
    again = [s for s in q.steps if s.title["key"] == "kinds.training_after_title"]
    assert again, "the new-loss iteration shows its second forward pass"
    old = re.compile(r"(?<![A-Za-z\\}])[WbZAH]\^\{\[\d+\]\}(?!_\{\\text\{new)")
    for s in again:
        texts = [s.symbolic, s.substituted] + [p["tex"] for p in s.parts if "tex" in p]
        assert not any(old.search(x) for x in texts), texts
        assert r"_{\text{new}" in s.symbolic
    loss = again[-1]
    assert loss.symbolic.startswith(r"J_{\text{new}} =")


def test_renamed_keeps_an_inner_subscript_and_leaves_gradients_alone():
    assert renamed(r"H^{[1]}_{2} = \tanh(Z^{[1]})") == r"H^{[1]}_{\text{new},2} = \tanh(Z^{[1]}_{\text{new}})"
    assert renamed(r"\mathrm{d}W^{[1]} = X") == r"\mathrm{d}W^{[1]} = X"


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("fid", VERDICTS)
def test_the_two_wrong_verdicts_never_share_one_explanation(fid, lang):
    """Both wrong options once fell back to one "wrong threshold" mistake and read the same."""
    for q in questions(fid):
        with using(lang):
            wrong = [c for c in present.view(q).choices if not c.correct]
        assert len(wrong) == 2 and all(c.mistake and c.explanation for c in wrong)
        assert wrong[0].mistake != wrong[1].mistake
        assert wrong[0].explanation != wrong[1].explanation


def test_an_unknown_kind_lists_every_kind_however_long_the_bad_value():
    """The list of known kinds is ours: the error once cut it ("trainin…") with the file's value."""
    c = Collector("f.toml")
    add_known(c, "kind", "family.unknown_name", list(KINDS), what="kind", value="x" * 5000)
    message = str(c.errors[0])
    assert all(name in message for name in KINDS)
    assert "x" * 400 not in message  # the file's own value is still cut short


NEW_FAMILIES = COUNTS + TRAINING + family_ids(("layer_forward", "layer_backward", "softmax_jacobian",
                                                "vanishing_gradient"))


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("fid", NEW_FAMILIES)
def test_plain_text_prose_has_no_underscore_subscripts(fid, lang):
    """Step and mistake explanations are plain text: n_in, c_out, b_l, x_k showed raw on the pages."""
    q = questions(fid)[0]
    with using(lang):
        prose = [say(s.explanation) for s in q.steps] + [say(d.explanation) for d in q.distractors]
    assert not [p for p in prose if re.search(r"[A-Za-z]_[A-Za-z0-9]", p)]


def test_show_lists_the_catalogued_wrong_answers():
    """`quizgen show` printed no wrong answers, so a student could not see the mistakes' values."""
    q = questions(COUNTS[0])[0]
    with using("en"):
        text = wrong_answers_text(q)
    assert text.startswith("Common wrong answers")
    for d in q.distractors:
        assert f"{d.value:g}" in text
    with using("zh"):
        assert wrong_answers_text(q).startswith("常见错误答案")


LOGITS = [fid for fid in family_ids() if "cross_entropy_logits" in family(fid).losses]


@pytest.mark.parametrize("fid", LOGITS)
def test_the_log_sum_exp_steps_add_up_from_the_numbers_they_show(fid):
    """The loss step once read J = s − z̃ = 4.692 (no 1/m Σ shown), and the maxima subtracted from
    the logits stood as a column under a k×m matrix in column notation."""
    import numpy as np

    for q in questions(fid):
        steps = {s.title["key"]: s for s in q.steps}
        if "steps.logits.shift" not in steps:
            continue
        shift, loss = steps["steps.logits.shift"], steps["steps.logits.loss"]
        logits, top = (np.asarray(p["num"]) for p in shift.parts if "num" in p)
        assert top.ndim == 2 and np.allclose(logits - top, shift.result)  # broadcasts one maximum per example
        s, true = (np.asarray(p["num"]) for p in loss.parts if "num" in p)
        m = len(s)
        mean = loss.parts[0]["tex"].startswith(rf"J = \frac{{1}}{{{m}}}")
        assert loss.result == pytest.approx((s - true).sum() / (m if mean else 1), rel=1e-6)
