"""Issue 14 in the terminal: the practice session says "give 3 significant figures" for the
right value rounded short, and names both mistakes when two give the same value."""

from __future__ import annotations

from quizgen.grading import format_value
from quizgen.messages.text import say

from practice_support import assert_in_order, find_family, play


def test_practice_says_give_three_significant_figures(tmp_path):
    family, q = find_family(lambda q: q.answer.kind == "number" and (q.answer.precision or {}).get("rule") == "sig"
                            and abs(float(f"{q.answer.value:.2g}") - q.answer.value) > q.answer.tol)
    two_figures = f"{q.answer.value:.2g}"
    out, summary = play(tmp_path / "h.sqlite", [family], [two_figures, f"{q.answer.value:.3g}"])
    assert_in_order(out, ["Give your answer to 3 significant figures.", "answer> " + two_figures,
                          "Right value — give 3 significant figures.", "✓"])
    assert summary.answered == 1


def test_practice_names_both_mistakes_of_a_shared_value(tmp_path):
    def shared_by_two(d) -> bool:
        return bool(d.also) and "rounded_too_early" not in (d.mistake, *d.also)

    family, q = find_family(lambda q: q.answer.kind == "number" and any(map(shared_by_two, q.distractors)))
    shared = next(d for d in q.distractors if shared_by_two(d))
    out, _ = play(tmp_path / "h.sqlite", [family], [format_value(shared.value), q.answer.display])
    assert ", or " in say(shared.name)
    assert_in_order(out, [f"✗ Not quite — this is what you get if you {say(shared.name)}.", q.answer.display])
