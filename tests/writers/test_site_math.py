"""The study site's math and Markdown: fast paths give exactly what the plain converter gives."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from quizgen.bank.generate import variant
from quizgen.bank.load import load_bank
from quizgen.messages.text import say
from quizgen.render import mathml
from quizgen.writers.site_env import json_script
from quizgen.writers.site_math import fix_tex, math_inner, md, symbolic_inner

ROOT = Path(__file__).resolve().parents[2]
_MATH = re.compile(r"\$\$(.+?)\$\$|\$(.+?)\$", re.S)


def bank_tex() -> list[str]:
    """Every LaTeX string one variant of each shipped family hands to the site."""
    found = set()
    for family in load_bank(ROOT / "question_bank"):
        q = variant(family, 0, 0)
        for s in q.steps:
            found.add(s.symbolic)
            found.update(p["tex"] for p in s.parts if "tex" in p)
        for text in [q.prompt, *(c.text for c in q.choices)]:
            found.update((m.group(1) or m.group(2)).strip() for m in _MATH.finditer(say(text)))
    return sorted(t for t in found if t)


def test_number_templating_gives_what_direct_conversion_gives():
    """Regression: converting `X \\in R^{25 x 5}` as `X \\in R^{#0 x #1}` must not change a byte."""
    strings = bank_tex()
    assert len(strings) > 100
    for s in strings:
        fixed = fix_tex(s)
        if "bmatrix" not in fixed:
            assert symbolic_inner(fixed) == mathml.tex_inner(fixed), s


def test_a_numeric_bmatrix_is_typeset_from_its_numbers():
    inner = math_inner(r"\mathrm{d}W = \begin{bmatrix}0.5 & -1 \\ 2 & 0.25\end{bmatrix}")
    assert inner.count("<mtr>") == 2 and '<mo fence="true" stretchy="true">[</mo>' in inner
    assert "<mo>&#x2212;</mo><mn>1</mn>" in inner and "<mn>0.25</mn>" in inner
    nested = math_inner(r"\left( \begin{bmatrix}1 & 2\end{bmatrix} \right)")  # inside \left...\right: whole
    assert nested == mathml.tex_inner(r"\left( \begin{bmatrix}1 & 2\end{bmatrix} \right)")


@pytest.mark.parametrize("tex,fixed", [
    (r"A^{[1]}^{2}", r"{A^{[1]}}^{2}"),
    (r"\mathrm{d}Z", r"{\rm d}Z"),
    (r"\mathrm{ReLU}(z)", r"\mathrm{ReLU}(z)"),
    (r"y_j \log a_j", r"y_j \log\, a_j"),
    (r"\log\left(1 - a\right)", r"\log\left(1 - a\right)"),
])
def test_latex_is_patched_where_latex2mathml_stumbles(tex, fixed):
    assert fix_tex(tex) == fixed


def test_markdown_never_touches_the_math():
    html = str(md(r"A **bold** claim: $a_i * b_j * c_k$ and $$x_1 + x_2 = \sum_{i} y_i$$"))
    assert "<strong>bold</strong>" in html and "<em>" not in html
    assert html.count("<math") == 2 and '<div class="math-scroll"><math' not in html  # not alone in its paragraph
    alone = str(md("Before.\n\n$$Z = W X$$\n\nAfter."))
    assert '<div class="math-scroll"><math xmlns="http://www.w3.org/1998/Math/MathML" display="block">' in alone
    assert str(md("just $x$", inline=True)).startswith("just <math")


def test_json_for_scripts_cannot_close_the_script_element():
    text = str(json_script({"name": "</script><script>alert(1)</script> & <!--"}))
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"name": "</script><script>alert(1)</script> & <!--"}
