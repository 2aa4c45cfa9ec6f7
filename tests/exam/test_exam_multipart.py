"""Issue 17 on paper: the midterm asks the university final as one 4-part question; the exam has a
box per part, and the key prints the ECF rule and, per part, its answer, the earlier parts it may
be carried from, and each catalogued wrong value with the credit it earns."""

from __future__ import annotations

import html
import re

from exam_helpers import MIDTERM

from quizgen.exam.build import prepare
from quizgen.messages import t
from quizgen.messages.text import say


def test_midterm_key_prints_the_ecf_rule_and_each_parts_wrong_values_with_credit(tmp_path, run_exam):
    out = tmp_path / "out"
    assert run_exam(MIDTERM, "--versions", 1, "--out", out)[0] == 0
    version = prepare(MIDTERM, 1).versions[0]
    item = version.items[0]
    q = item.question
    assert q.kind == "multipart" and len(q.parts) == 4 and item.points == 20
    key = html.unescape((out / f"key-{version.code}.html").read_text(encoding="utf-8"))
    first = key[key.index('<article class="kq" id="q1">'):key.index('<article class="kq" id="q2">')]
    assert t("exam.ecf_rule") in first
    blocks = first.split('<div class="part-key">')[1:]
    assert len(blocks) == 4
    for part, block, points in zip(q.parts, blocks, ("6", "4", "6", "4")):
        assert f"<strong>{part.label}</strong>" in block and f"[{points} points]" in block
        assert f"<code>{part.answer.display}</code>" in block
        for d in part.distractors:
            assert f"— {say(d.name)} · 0 pt" in block, (part.label, d.mistake)
        if part.name != "a":
            assert "may be carried from (a)" in block
    exam = html.unescape((out / f"exam-{version.code}.html").read_text(encoding="utf-8"))
    assert exam.count('<div class="part-answer">') == 4
    assert sum(i.points for i in version.items) == version.total  # total points unchanged by the merge
