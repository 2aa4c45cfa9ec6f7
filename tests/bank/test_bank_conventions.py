"""Regression guard: one notation in every family (issue 14 "conventions").

Ŷ is the prediction and Y the target, σ is only ever the sigmoid, ⊙ is the one product symbol,
the k of a mean squared error is defined, and an asked entry's subscripts are explained in the
prompt itself. Titles, summaries, hints and sources are plain text shown as is, so no raw LaTeX.
"""

from __future__ import annotations

import re

import pytest

from quizgen.bank.prompts import network_kinds

from quizgen.bank.generate import variant
from quizgen.bank.load import load_bank
from quizgen.render.solution_text import ACT_RULE
from quizgen.messages.text import say

FAMILIES = load_bank("question_bank")


def texts(family) -> dict[str, str]:
    out = {"title": family.title, "summary": family.summary, "source": family.source}
    out.update({f"hints[{i}]": h for i, h in enumerate(family.hints)})
    return out


def uses_sigmoid(family) -> bool:
    names = [n for layer in family.activations for choice in layer for n in re.split(r"[+|]", choice)]
    return any(n.startswith(("sigmoid", "softplus")) for n in names + list(family.ask_activation))


@pytest.mark.parametrize("family", FAMILIES, ids=lambda f: f.id)
def test_family_text_uses_the_one_notation(family):
    for key, text in texts(family).items():
        assert not re.search(r"[∘∗*]", text), f"{family.id} {key}: product written other than ⊙: {text}"
        assert "(Y − T)" not in text and "I_y" not in text, f"{family.id} {key}: prediction/target not Ŷ/Y: {text}"
        assert not re.search(r"[_^]\{|\\[a-z]+", text), f"{family.id} {key}: raw LaTeX in plain text: {text}"
        if "σ" in text:
            assert uses_sigmoid(family), f"{family.id} {key}: σ in a network without a sigmoid: {text}"


@pytest.mark.parametrize("family", [f for f in FAMILIES if f.kind in network_kinds()], ids=lambda f: f.id)
def test_network_prompts_state_the_conventions(family):
    for index in range(3):
        q = variant(family, index, 0)
        # the notation paragraph, just before the precision sentence (issue 14: both in the prompt)
        last = next((p for p in say(q.prompt).split("\n\n") if p.startswith("Notation:")), "")
        assert r"\hat{Y} = A^{[" in last, q.id
        if q.problem["loss"] == "mse":
            assert "number of outputs" in last, f"{q.id}: the k of the MSE is not defined"
        if re.search(r"_\{\d+,\d+\}", say(q.prompt).split("\n\n")[-2]):
            assert re.search(r"row \d+, column \d+, both counted from 1", last), f"{q.id}: entry not explained"
        for s in q.steps:
            assert not re.search(r"\\circ|\\ast|\*", s.symbolic + s.substituted), f"{q.id} {s.title}: not ⊙"


def test_text_solutions_use_one_product_symbol():
    assert all("∘" not in rule and "⊙" in rule for name, rule in ACT_RULE.items() if name != "identity")


def test_dw2_title_agrees_with_a_dz2_that_holds_the_one_over_m():
    """course-tanh-sigmoid-dw2 said dW2 = (1/m)·dZ2·A1ᵀ above a solution whose dZ2 holds the 1/m."""
    family = next(f for f in FAMILIES if f.id == "course-tanh-sigmoid-dw2")
    q = variant(family, 0, 0)
    output_error = next(s for s in q.steps if say(s.title) == "Output error")
    assert r"\frac{1}{m}" in output_error.symbolic
    assert "1/m" not in family.title.split("(")[0], family.title


@pytest.mark.parametrize("family", [f for f in FAMILIES if f.kind == "find_error"], ids=lambda f: f.id)
def test_find_error_wrong_step_varies_and_its_explanation_fits_it(family):
    """find-error-tanh-sigmoid always had answer A, explained as a σ/σ′ slip inside (A − Y)/m."""
    from quizgen.bank.kinds.find_error import fits

    answers = set()
    for index in range(12):
        q = variant(family, index, 0)
        answers.add(q.answer.value)
        wrong = next(c for c in q.choices if c.correct)
        assert fits(wrong.mistake, q.steps["ABCDEFGH".index(wrong.label)].title), (q.id, wrong.mistake)
    assert len(answers) >= 3, f"{family.id}: the wrong step is always one of {sorted(answers)}"
