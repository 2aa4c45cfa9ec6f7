"""Every worked step's LaTeX typesets piece by piece, for every family: the site converts each part
alone, so a part such as `\\sqrt{` or `\\left(` that only closes in the next part showed as raw text."""

from __future__ import annotations

import pytest

from quizgen.bank.generate import variant
from quizgen.bank.load import load_bank
from quizgen.render.mathml import tex_inner

FAMILIES = load_bank()


@pytest.mark.parametrize("family", FAMILIES, ids=lambda f: f.id)
def test_each_step_part_is_whole_latex(family):
    for index in range(3):
        for s in variant(family, index, 0).steps:
            for tex in [s.symbolic] + [p["tex"] for p in s.parts if "tex" in p]:
                out = tex_inner(tex)  # a piece that fails to convert comes back as its raw text
                assert not out.startswith("<mtext>") and "\\" not in out, (family.id, index, tex)
