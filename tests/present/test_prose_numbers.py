"""present.math's prose slots (issue 15, speed): prompts that differ only in the numbers of their
running text share one Markdown run, and give exactly what converting each prompt whole gives."""

from __future__ import annotations

import pytest

from quizgen.bank.generate import variant
from quizgen.bank.load import load_bank
from quizgen.present import math as pmath
from quizgen.present.words import say


def whole(text: str, scroll: bool) -> str:
    """What _markdown gives without its memo: the plain conversion the slots must reproduce."""
    html = pmath.safe.markdown(text)
    return pmath._ALONE.sub(r'<div class="math-scroll">\1</div>', html) if scroll else html


HOSTILE = [
    "1. one\n2. two", "a 1. b", "> 1. quoted 2", "- 1. x 3", "  2. indented 4", "x [1] y 2\n\n[1]: http://e.com/1",
    "&#49; 2", "tab\t1 x 2", "x \ue0030\ue001 2", "forged \ue0031\ue001 and 0", "see <http://x.com/1> 2",
    "`code 1` 3", "``2 `3` 4``", "a_1_ 2", "_a_ 2 *3* **4**", "# 2 heading 3", "para 1\n\n    code 2\n", "x+1:alert 2",
    "[a](x+1:alert) 2", "3 apples\n4 pears", "a 2\n===\n", "* 1\n* 2", "+ 2 x 3", "  2) x 3", "1) a 2", "中文 2 个 3",
    "x 3.5 y 4", "-2 and +3", "a ^2 b 3", "100% 2", "a2 b 3", "x *1* y", "**2**", "x \\2 y 3", "a\n1\nb 2",
    "\ue0000\ue001 2 \ue0021\ue001 3", "5\ue0000\ue001 6", "a 12345678901234567890 b", "0.5.6 7", "x 1e-5 y 2", "a\r1. item 2", "a\r\n2 x 3",
]


@pytest.mark.parametrize("text", HOSTILE, ids=repr)
@pytest.mark.parametrize("scroll", [True, False])
def test_prose_with_slotted_numbers_is_what_converting_it_whole_gives(text, scroll):
    """Guards _prose: list markers, link ids and targets, entities, escapes, tabs, code spans and
    forged slots; every number either comes back where it was or the text is converted whole."""
    assert pmath._prose(text, scroll) == whole(text, scroll)
    assert pmath._prose(text, scroll) == whole(text, scroll)  # and again, from the memo


def test_every_shipped_prompt_with_slotted_numbers_is_what_converting_it_whole_gives():
    seen = 0
    for family in load_bank(None)[::2]:
        for index in (0, 1, 5):
            q = variant(family, index, 0)
            for text in [q.prompt, *(c.text for c in q.choices), *q.hints]:
                slotted = pmath._MATH.sub(lambda m: "\ue0020\ue001" if m.group(1) else "\ue0000\ue001",
                                          pmath.safe.clean_text(say(text)))
                seen += pmath._PROSE_NUMBER.search(slotted) is not None
                assert pmath._prose(slotted, True) == whole(slotted, True), family.id
    assert seen > 50


def test_prompts_differing_in_their_numbers_share_one_conversion(monkeypatch):
    calls = []
    real = pmath.safe.markdown
    monkeypatch.setattr(pmath.safe, "markdown", lambda text: calls.append(text) or real(text))
    texts = [f"Apply {n} update steps to row {n + 1}, with m = {n * 7} examples." for n in range(101, 105)]
    assert [pmath._prose(t, False) for t in texts] == [whole(t, False) for t in texts]
    assert len([c for c in calls if "\ue003" in c]) == 1
