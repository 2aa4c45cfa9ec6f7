"""One score everywhere (issue 14): right at the first answer, in the summary and in `stats`;
a question fixed on the retry is scheduled sooner than a perfect one."""

from __future__ import annotations

import re
import sqlite3
from datetime import timedelta

from practice_support import NOW, Terminal, play
from quizgen.bank.generate import variant
from quizgen.cli import main
from quizgen.grading import format_value
from quizgen.messages import t
from quizgen.practice.history import open_history
from quizgen.practice.report import stats_text
from quizgen.practice.schedule import RELEARN
from quizgen.practice.session import Session


def far(value):
    return [far(x) for x in value] if isinstance(value, list) else value + 1000.0


def wrong_answer(q) -> str:
    if q.answer.kind == "choice":
        return next(c.label for c in q.choices if c.label != q.answer.value)
    return format_value(far(q.answer.value))


class Student(Terminal):
    """Answers each question by a plan keyed by the order questions come: "right", "retry"
    (wrong, then right), "wrong" (wrong twice), "reveal" (:solution), "skip"."""

    def __init__(self, families, plan, cards, seed=0):
        super().__init__([])
        self.families, self.plan, self.seed = {f.id: f for f in families}, list(plan), seed
        self.next = {family: card.next_index for family, card in cards.items()}  # variant shown next
        self.asked = 0

    def read(self, prompt):
        if not self.lines:
            families = re.findall(r"\[([a-z0-9_-]+) · difficulty", self.transcript)
            if len(families) > self.asked:
                self.asked += 1
                family = families[-1]
                index = self.next.get(family, 0)
                self.next[family] = index + 1
                q = variant(self.families[family], index, self.seed)
                right, wrong = q.answer.display, wrong_answer(q)
                self.lines = {"right": [right], "retry": [wrong, right], "wrong": [wrong, wrong],
                              "reveal": [":solution"], "skip": [":skip"]}[self.plan.pop(0)]
        return super().read(prompt)


def session(db, families, plan, now=NOW):
    with open_history(db) as history:
        student = Student(families, plan, history.cards())
        summary = Session(list(families), history, count=len(plan), read=student.read, write=student.write,
                          clock=lambda: now).run()
    return student.transcript, summary


def stats_all_row(db) -> str:
    with open_history(db, create=False, read_only=True) as history:
        text = stats_text(history, NOW)
    return re.search(r"^  all\s+(\d+)\s+(\d+)\s+(\S+)$", text, re.M).groups()


def test_a_retry_is_not_counted_right_in_the_summary(tmp_path, number_family):
    """Guards the 89 % the terminal showed when a retry counted as right."""
    family, q = number_family
    out, summary = play(tmp_path / "h.sqlite", [family], [wrong_answer(q), q.answer.display])
    assert "✓ Correct" in out
    assert t("practice.summary_score", first=0, attempted=1, percent="0%") in out
    assert t("practice.summary_fixed", fixed=1) in out
    assert (summary.first_try, summary.attempted, summary.fixed) == (0, 1, 1)


def test_summary_and_stats_give_the_same_score(tmp_path, families):
    """right, retry, reveal, skip: one of three counted questions right first time, everywhere."""
    db = tmp_path / "h.sqlite"
    out, summary = session(db, families, ["right", "retry", "reveal"])
    assert t("practice.summary_score", first=1, attempted=3, percent="33%") in out
    assert stats_all_row(db) == ("3", "1", "33%")
    out, _ = session(db, families, ["skip", "wrong", "right"])  # a skip is not counted
    assert t("practice.summary_score", first=1, attempted=2, percent="50%") in out
    assert stats_all_row(db) == ("5", "2", "40%")


def test_stats_through_the_cli_counts_first_answers(tmp_path, capsys, number_family):
    family, q = number_family
    db = tmp_path / "h.sqlite"
    play(db, [family], [wrong_answer(q), q.answer.display])
    assert main(["stats", "--db", str(db)]) == 0
    assert re.search(r"^  all\s+1\s+0\s+0%$", capsys.readouterr().out, re.M)


def test_fixed_on_retry_comes_back_sooner_than_a_perfect_answer(tmp_path, number_family):
    family, q = number_family
    perfect, fixed = tmp_path / "perfect.sqlite", tmp_path / "fixed.sqlite"
    play(perfect, [family], [q.answer.display])
    play(fixed, [family], [wrong_answer(q), q.answer.display])

    def stored(db):
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
            return conn.execute("SELECT due, repetitions, easiness, last_quality FROM cards").fetchone()

    p, f = stored(perfect), stored(fixed)
    assert f[0] < p[0], "a question fixed on the retry must come back before a perfect one"
    assert f[0].startswith((NOW + RELEARN).strftime("%Y-%m-%dT%H:%M"))
    assert p[0].startswith((NOW + timedelta(days=1)).strftime("%Y-%m-%d"))
    assert f[1] == 0 and p[1] == 1  # the retry restarts the streak
    assert f[2] < p[2] and (f[3], p[3]) == (2, 5)


def test_hints_lower_the_quality_of_a_first_right_answer(tmp_path, number_family):
    family, q = number_family
    db = tmp_path / "h.sqlite"
    out, summary = play(db, [family], [":hint", q.answer.display])
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        quality = conn.execute("SELECT last_quality FROM cards").fetchone()[0]
    hinted = "Hint 1 of" in out
    assert quality == (3 if hinted else 5)
    assert summary.first_try == 1  # a first answer after a hint is still the first answer
