"""Issue 17 in the terminal: a 4-part question answered part by part, a wrong first part and a
second part carried forward from it ("correct given your (a)"), points summed at the end."""

from __future__ import annotations

import numpy as np

from quizgen.bank.load import load_bank
from quizgen.grading import format_value

from practice_support import FULL, assert_in_order, play


def four_part_question():
    family = next(f for f in load_bank(FULL) if f.id == "exam-relu-softmax-parts")
    from quizgen.bank.generate import variant

    return family, variant(family, 0, 0)


def typed(value) -> str:
    return format_value(np.round(np.asarray(value, dtype=float), 5))


def test_wrong_first_part_and_a_carried_second_part_in_the_terminal(tmp_path):
    # Guards ECF in `quizgen practice`: (a) a catalogued slip, (b) follows from it, (c) right, (d) random.
    family, q = four_part_question()
    a, b, c, d = q.parts
    row = next(r for rel in b.carry if rel["from"] == "a" for r in rel.get("table", []))
    slip = next(x for x in a.distractors if x.mistake == row["mistake"])
    lines = [typed(slip.value), typed(row["then"]), c.answer.display, "[7, 7, 7]"]
    out, summary = play(tmp_path / "h.sqlite", [family], lines)
    assert_in_order(out, [
        "Part (a), 1 of 4", "(a) wrong [0/3 pt]",
        "Part (b), 2 of 4", "(b) correct given your (a) [2/2 pt] — Your (a) was wrong, but this part follows from it",
        "Part (c), 3 of 4", "(c) correct [3/3 pt]",
        "Part (d), 4 of 4", "(d) wrong [0/2 pt]",
        "Points: 5 of 10.", "Here is the worked solution",
    ])
    assert summary.answered == 1 and summary.first_try == 0


def test_a_random_first_part_buys_nothing_in_the_terminal(tmp_path):
    # Guards the "explainable" rule: (b) consistent with a made-up (a) is still wrong.
    family, q = four_part_question()
    lines = ["[[9, 9, 9], [9, 9, 9]]", "[9, 9]", q.parts[2].answer.display, q.parts[3].answer.display]
    out, _ = play(tmp_path / "h.sqlite", [family], lines)
    assert "correct given your" not in out
    assert_in_order(out, ["(a) wrong", "(b) wrong", "(c) correct", "(d) correct", "Points: 5 of 10."])


def test_an_unreadable_part_is_asked_again(tmp_path):
    family, q = four_part_question()
    lines = ["nonsense"] + [p.answer.display for p in q.parts]
    out, summary = play(tmp_path / "h.sqlite", [family], lines)
    assert_in_order(out, ["could not read", "Part (b), 2 of 4", "Points: 10 of 10."])
    assert summary.first_try == 1
