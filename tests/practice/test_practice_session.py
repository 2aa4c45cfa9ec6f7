"""Whole sessions on scripted input: what the student sees and what the history keeps."""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizgen.bank.generate import variant
from quizgen.bank.load import load_bank
from quizgen.errors import HistoryError
from quizgen.grading import format_value, grade
from quizgen.messages import t
from quizgen.practice.feedback import hint_items
from quizgen.practice.history import open_history
from quizgen.practice.session import Session
from quizgen.messages.text import say

from practice_support import CTRL_C, FULL, NOW, Terminal, assert_in_order, play


def rows(db, sql="SELECT question_id, answer_text, outcome, correct, score, mistake, hints, try_number FROM attempts"):
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return conn.execute(sql + " ORDER BY id").fetchall()


def card(db, family):
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return conn.execute("SELECT repetitions, interval, last_quality, next_index FROM cards WHERE family = ?",
                            (family,)).fetchone()


def test_right_answer_is_graded_saved_and_summed_up(tmp_path, number_family):
    family, q = number_family
    db = tmp_path / "h.sqlite"
    out, summary = play(db, [family], [q.answer.display])
    head = t("practice.question_head", number=1, count=1, topic=q.topic, status=t("practice.status_new"))
    assert_in_order(out, [head, q.title, "Answer with a number", "answer> " + q.answer.display + "\n",
                          t("practice.correct", answer=q.answer.display), t("practice.summary_head"),
                          t("practice.summary_score", first=1, attempted=1, percent="100%"), f"History: {db}"])
    assert rows(db) == [(q.id, q.answer.display, "answered", 1, 1.0, None, 0, 1)]
    assert card(db, family.id) == (1, 1.0, 5, 1)  # quality 5: right first time, no hint
    assert (summary.asked, summary.answered, summary.correct, summary.ended) == (1, 1, 1, "done")


def test_given_matrices_are_laid_out(tmp_path, matrix_family):
    family, q = matrix_family
    out, _ = play(tmp_path / "h.sqlite", [family], [])
    assert "Given:" in out and "⎡" in out
    rows_, cols = q.answer.shape
    assert f"Answer with a {rows_}×{cols} matrix" in out


def test_distractor_names_and_explains_the_mistake_then_retry(tmp_path, number_family):
    family, q = number_family
    wrong = q.distractors[0]
    db = tmp_path / "h.sqlite"
    out, summary = play(db, [family], [format_value(wrong.value), q.answer.display])
    assert_in_order(out, [f"✗ Not quite — this is what you get if you {say(wrong.name).rstrip('.')}",
                          say(wrong.explanation).split()[0], t("practice.retry"), "✓ Correct"])
    assert [(r[2], r[3], r[5], r[7]) for r in rows(db)] == [("answered", 0, wrong.mistake, 1), ("answered", 1, None, 2)]
    assert card(db, family.id)[2] == 2  # right only on the retry: below the pass mark, back soon
    assert summary.mistakes == {say(wrong.name): 1}


def test_two_wrong_answers_show_the_solution(tmp_path, number_family):
    family, q = number_family
    db = tmp_path / "h.sqlite"
    out, summary = play(db, [family], ["123456", "654321"])
    assert_in_order(out, ["✗ Not quite.", t("practice.retry"), "✗ Not quite.", "second try", "Worked solution",
                          f"Answer: {q.answer.display}", t("practice.summary_head")])
    assert [r[7] for r in rows(db)] == [1, 2]
    assert card(db, family.id)[:3] == (0, 0.0, 1)
    assert (summary.answered, summary.correct) == (1, 0)


def test_garbage_gets_a_clear_message_and_is_not_an_attempt(tmp_path, number_family):
    family, q = number_family
    db = tmp_path / "h.sqlite"
    out, _ = play(db, [family], ["banana", "[[1, 2", "", "", "[1,", ":frobnicate", "hint",
                                  "0,5", q.answer.display])
    assert_in_order(out, ['could not read "banana": "banana" is not a number.', "Answer with a number",
                          t("practice.try_again"), "answer> [[1, 2\n" + t("practice.prompt_more") + "\n",
                          "could not read", t("practice.blank"), "Unknown command :frobnicate",
                          t("practice.needs_colon", word="hint"), "write decimals with a point",
                          t("practice.try_again"), "✓ Correct"])
    assert "Accepted:" not in out  # the generic list is replaced by this question's own format
    assert [(r[1], r[7]) for r in rows(db)] == [(q.answer.display, 1)]


def test_hints_come_one_step_at_a_time_and_lower_the_quality(tmp_path, number_family):
    family, q = number_family
    items = hint_items(q)
    db = tmp_path / "h.sqlite"
    out, _ = play(db, [family], [":hint"] * (len(items) + 1) + [q.answer.display])
    for number in range(1, len(items) + 1):
        assert t("practice.hint_head", number=number, count=len(items)) in out
    assert t("practice.no_more_hints") in out or not items
    assert "Worked solution" not in out
    assert rows(db)[0][6] == len(items)
    assert card(db, family.id)[2] == (3 if items else 5)


def test_hints_never_state_the_answer():
    for family in load_bank(FULL):
        q = variant(family, 0, 0)
        for item in hint_items(q):
            if not isinstance(item, str) and q.answer.kind != "choice" and item[1].result is not None:
                assert not grade(q.answer, [], format_value(item[1].result))["correct"], (family.id, item[0])


def test_solution_moves_on_and_counts_as_not_correct(tmp_path, families, number_family):
    family, q = number_family
    other = next(f for f in families if f.id != family.id)
    db = tmp_path / "h.sqlite"
    out, summary = play(db, [family, other], [":solution"], count=2)
    assert_in_order(out, ["Worked solution", f"Answer: {q.answer.display}", "Question 2 of 2"])
    assert rows(db)[0][1:4] == (None, "revealed", 0)
    assert summary.revealed == 1 and summary.correct == 0 and summary.ended == "eof"


def test_skip_moves_on_with_quality_zero(tmp_path, number_family):
    family, q = number_family
    db = tmp_path / "h.sqlite"
    out, summary = play(db, [family], [":skip"])
    assert t("practice.skipped", answer=q.answer.display) in out
    assert rows(db)[0][2] == "skipped" and card(db, family.id)[2] == 0
    assert summary.skipped == 1 and summary.answered == 0


def test_quit_and_help(tmp_path, number_family):
    family, _ = number_family
    db = tmp_path / "h.sqlite"
    out, summary = play(db, [family], [":help", ":quit"], count=3)
    assert ":solution  show the worked solution" in out
    assert summary.ended == "quit" and summary.asked == 1
    assert rows(db) == [] and card(db, family.id) is None  # nothing answered, nothing scheduled


def test_ctrl_c_mid_session_keeps_every_answer(tmp_path, families, number_family):
    family, q = number_family
    others = [f for f in families if f.id != family.id][:2]
    db = tmp_path / "h.sqlite"
    out, summary = play(db, [family, *others], [q.answer.display, "123456", CTRL_C], count=3)
    assert summary.ended == "interrupted"
    assert_in_order(out, ["Question 2 of 3", "answer> 123456", t("practice.retry"), "answer> \n",
                          t("practice.summary_stopped"), "Questions: 2 asked, 2 answered"])
    saved = rows(db)
    assert [(r[0], r[3]) for r in saved] == [(q.id, 1), (saved[1][0], 0)]
    # The half-answered question is settled as wrong, so it comes back soon.
    second = saved[1][0].split("--")[0]
    assert card(db, second)[:3] == (0, 0.0, 1)


def test_eof_ends_with_the_summary(tmp_path, number_family):
    family, _ = number_family
    out, summary = play(tmp_path / "h.sqlite", [family], [])
    assert summary.ended == "eof" and out.endswith(f"History: {tmp_path / 'h.sqlite'}\n")


def test_matrix_partial_credit_wrong_entries_and_multiline_input(tmp_path, matrix_family):
    family, q = matrix_family
    value = [list(row) for row in q.answer.value]
    value[0][0] += 1000
    first, *rest = [format_value(row) for row in value]
    db = tmp_path / "h.sqlite"
    lines = ["[" + first + ","] + [r + "," for r in rest[:-1]] + [rest[-1] + "]"] if rest else ["[" + first + "]"]
    out, _ = play(db, [family], lines + [":skip"])
    size = len(value) * len(value[0])
    assert f"{size - 1} of {size} entries are right (wrong: row 1 col 1)" in out
    assert f"Partial credit: {(size - 1) / size:.0%}" in out
    assert t("practice.prompt_more") in out
    assert rows(db)[0][4] == (size - 1) / size


def test_wrong_shape_says_the_expected_shape(tmp_path, matrix_family):
    family, q = matrix_family
    out, _ = play(tmp_path / "h.sqlite", [family], ["1"])
    rows_, cols = q.answer.shape
    assert f"Wrong shape: expected a {rows_}×{cols} matrix, got a single number" in out


def test_matrix_distractor_is_named(tmp_path, matrix_family):
    family, q = matrix_family
    wrong = q.distractors[0]
    out, _ = play(tmp_path / "h.sqlite", [family], [format_value(wrong.value)])
    assert f"this is what you get if you {say(wrong.name).rstrip('.')}" in " ".join(out.split())


def test_choice_right_and_wrong_letters(tmp_path, choice_family):
    family, q = choice_family
    wrong = next(c for c in q.choices if c.mistake)
    db = tmp_path / "h.sqlite"
    out, _ = play(db, [family], ["Z", wrong.label.lower(), q.answer.value])
    assert_in_order(out, [f"{q.choices[0].label}) ", "Answer with a letter", "could not read", "✗ Not quite",
                          "✓ Correct"])
    assert rows(db)[0][5] == wrong.mistake


def test_the_next_question_is_a_fresh_variant(tmp_path, number_family):
    family, q = number_family
    db = tmp_path / "h.sqlite"
    play(db, [family], [q.answer.display])
    out, _ = play(db, [family], [":skip"])
    assert rows(db)[1][0] == q.id.replace("-v0", "-v1")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(st.text(max_size=30),
                          st.sampled_from([":hint", ":skip", ":solution", ":help", ":quit", ":", "[[", "[", "]",
                                           "1 2; 3 4", "A", "(b)", "0.5", "1e999", "nan", "1/0", "-"])),
                max_size=12))
def test_any_lines_never_crash_a_session(tmp_path_factory, families, lines):
    db = tmp_path_factory.mktemp("h") / "h.sqlite"
    out, summary = play(db, families[:3], lines, count=3)
    assert t("practice.summary_head") in out
    assert summary.ended in ("done", "quit", "eof")


def test_a_lock_taken_mid_session_stops_with_a_clear_message_and_the_summary(tmp_path, number_family):
    family, q = number_family
    db = tmp_path / "h.sqlite"
    holder = sqlite3.connect(":memory:")

    def read(prompt):  # another program grabs the file while the student thinks
        nonlocal holder
        holder = sqlite3.connect(db, isolation_level=None)
        holder.execute("BEGIN EXCLUSIVE")
        return term.read(prompt)

    term = Terminal([q.answer.display])
    with open_history(db) as history:
        try:
            with pytest.raises(HistoryError, match="locked by another program"):
                Session([family], history, count=1, read=read, write=term.write, clock=lambda: NOW).run()
        finally:
            holder.close()
    assert t("practice.summary_head") in term.transcript
    assert rows(db) == []
