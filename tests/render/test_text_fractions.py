"""LaTeX fractions as terminal and plain-CSV text: a compound side keeps its brackets.

Guards Adam's bias correction, which `quizgen show` and `export --csv-style plain` printed as
"m̂_1 = m_1/1 - β_1^1" (that is, m_1 − β_1) for \\frac{m_1}{1 - \\beta_1^1}."""

from __future__ import annotations

import pytest

from quizgen.render.text import tex_text


@pytest.mark.parametrize("tex, text", [
    (r"\hat{m}_{1} = \frac{m_{1}}{1 - \beta_{1}^{1}}", "m̂_1 = m_1/(1 - β_1^1)"),
    (r"\frac{\hat{m}_{t}}{\sqrt{\hat{s}_{t}} + \varepsilon}", "m̂_t/(√(ŝ_t) + ε)"),
    (r"\frac{a + b}{2}", "(a + b)/2"),
    (r"\frac{1}{2 m}", "1/(2 m)"),
])
def test_a_compound_numerator_or_denominator_is_bracketed(tex, text):
    assert tex_text(tex) == text


@pytest.mark.parametrize("tex, text", [
    (r"\frac{1}{m}", "1/m"),
    (r"\frac{\partial f}{\partial y}", "∂f/∂y"),
    (r"\frac{-1}{m}", "-1/m"),
])
def test_a_simple_fraction_stays_bare(tex, text):
    assert tex_text(tex) == text
