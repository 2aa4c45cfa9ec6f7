"""Writers read what a kind needs from the record's `layout`; none of them names a kind.

Guards issue 15: exam/views.py, exam/rubric.py, exam/assemble.py and writers/site_views.py used
to branch on "shapes_table", "find_error" and "activation_derivative"."""

from __future__ import annotations

import re

import pytest
from exam_helpers import ROOT

from quizgen.bank.kinds import KINDS

WRITERS = sorted(p for folder in ("exam", "writers", "render", "practice", "present")
                 for p in (ROOT / "quizgen" / folder).glob("*.py"))


@pytest.mark.parametrize("path", WRITERS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_no_writer_branches_on_a_kind_name(path):
    source = path.read_text(encoding="utf-8")
    named = [name for name in KINDS if re.search(rf"[\"']{name}[\"']", source)]
    assert not named, f"{path.name} names kinds {named}: put what it needs in the record's layout"
    assert not re.search(r"\bq(uestion)?\.kind\s*(==|!=|in\b|not in\b)", source)
    assert "quizgen.bank.kinds" not in source  # writers never import the kinds
