"""SM-2 per family and the order families come back in, with "now" fixed."""

from __future__ import annotations

from datetime import timedelta

import pytest

from practice_support import NOW, play
from quizgen.practice.history import open_history
from quizgen.practice.schedule import MAX_INTERVAL, MIN_EASINESS, RELEARN, Card, order, pick, quality, review


def test_sm2_intervals_grow_on_repeated_correct_answers():
    card, intervals, easiness = Card("f"), [], []
    for day in range(6):
        card = review(card, 5, NOW + timedelta(days=day))
        intervals.append(card.interval)
        easiness.append(round(card.easiness, 2))
    assert intervals[:3] == [1.0, 6.0, 16.0]  # 1, 6, then 6 × 2.6 = 15.6 → 16
    assert all(b > a for a, b in zip(intervals[1:], intervals[2:]))
    assert easiness == [2.6, 2.7, 2.8, 2.9, 3.0, 3.1]
    assert card.repetitions == 6 and card.next_index == 6


def test_quality_4_keeps_easiness_and_3_lowers_it():
    assert review(Card("f"), 4, NOW).easiness == pytest.approx(2.5)
    assert review(Card("f"), 3, NOW).easiness == pytest.approx(2.36)


def test_a_lapse_restarts_the_card_soon_and_easiness_has_a_floor():
    card = Card("f")
    for _ in range(3):
        card = review(card, 5, NOW)
    card = review(card, 1, NOW)
    assert (card.repetitions, card.interval, card.due, card.lapses) == (0, 0.0, NOW + RELEARN, 1)
    for _ in range(20):
        card = review(card, 0, NOW)
    assert card.easiness == MIN_EASINESS


@pytest.mark.parametrize("kw, q", [
    (dict(correct=True, hints=0, tries=1, score=1.0), 5),
    (dict(correct=True, hints=0, tries=2, score=1.0), 2),  # fixed on the retry: a lapse (was 4)
    (dict(correct=True, hints=2, tries=1, score=1.0), 3),
    (dict(correct=False, hints=0, tries=2, score=0.75), 1),  # partial credit is still wrong (was 2)
    (dict(correct=False, hints=0, tries=2, score=0.0), 1),
    (dict(correct=False, hints=0, tries=0, score=0.0, skipped=True), 0),
])
def test_quality_mapping(kw, q):
    assert quality(**kw) == q


def test_a_family_answered_wrong_is_due_before_one_answered_right():
    cards = {"right": review(Card("right"), 5, NOW), "wrong": review(Card("wrong"), 1, NOW)}
    later = NOW + timedelta(hours=1)
    assert order(["right", "wrong"], cards, later, seed=0) == ["wrong", "right"]
    assert order(["right", "wrong"], cards, NOW, seed=0) == ["wrong", "right"]  # neither due yet


def test_due_first_most_overdue_first_then_unseen_then_the_rest():
    cards = {
        "due-long-ago": Card("due-long-ago", due=NOW - timedelta(days=5)),
        "due-yesterday": Card("due-yesterday", due=NOW - timedelta(days=1)),
        "later": Card("later", due=NOW + timedelta(days=3)),
        "soon": Card("soon", due=NOW + timedelta(days=1)),
    }
    families = ["later", "new-easy", "soon", "due-yesterday", "new-hard", "due-long-ago"]
    ranked = order(families, cards, NOW, seed=7, difficulty={"new-easy": 1, "new-hard": 4})
    assert ranked == ["due-long-ago", "due-yesterday", "new-easy", "new-hard", "soon", "later"]


def test_weaker_families_win_ties():
    due = NOW - timedelta(days=1)
    cards = {"strong": Card("strong", easiness=2.8, due=due), "weak": Card("weak", easiness=1.5, due=due)}
    assert order(["strong", "weak"], cards, NOW, seed=0) == ["weak", "strong"]


def test_order_is_a_function_of_seed_and_cards():
    families = [f"f{i}" for i in range(12)]
    assert order(families, {}, NOW, seed=3) == order(list(reversed(families)), {}, NOW, seed=3)
    assert order(families, {}, NOW, seed=3) != order(families, {}, NOW, seed=4)


def test_pick_skips_families_asked_this_session_until_all_were():
    assert pick(["a", "b"], {}, NOW, 0, asked=[]) in ("a", "b")
    first = pick(["a", "b"], {}, NOW, 0, asked=[])
    second = pick(["a", "b"], {}, NOW, 0, asked=[first])
    assert second != first
    assert pick(["a", "b"], {}, NOW, 0, asked=[first, second]) == first
    assert pick(["a"], {}, NOW, 0, asked=["a"]) == "a"


def test_a_session_brings_back_the_family_answered_wrong_first(tmp_path, number_family, matrix_family):
    (one, q1), (two, q2) = number_family, matrix_family
    difficulty = {one.id: one.difficulty, two.id: two.difficulty}
    first_id = pick(sorted([one.id, two.id]), {}, NOW, 0, [], difficulty)  # both unseen
    right = {one.id: q1.answer.display, two.id: q2.answer.display}
    wrong = {one.id: "123456", two.id: "[[123456]]"}
    second_id = two.id if first_id == one.id else one.id
    db = tmp_path / "h.sqlite"
    # The family asked first is answered wrong twice, the second one right.
    play(db, [one, two], [wrong[first_id], wrong[first_id], right[second_id]], count=2)
    with open_history(db) as history:
        cards = history.cards()
    assert cards[first_id].due < cards[second_id].due
    out, _ = play(db, [one, two], [], count=1, now=NOW + timedelta(hours=2))
    assert f"[{first_id} · " in out and "due for review" in out


def test_the_same_seed_and_history_give_the_same_session(tmp_path, families):
    a, _ = play(tmp_path / "a.sqlite", families, [":skip"] * 4, count=4, seed=5)
    b, _ = play(tmp_path / "b.sqlite", families, [":skip"] * 4, count=4, seed=5)
    assert a.replace("a.sqlite", "X") == b.replace("b.sqlite", "X")


def test_intervals_are_capped_so_due_dates_never_overflow():
    """Guards the OverflowError ~15 perfect reviews gave: 1, 6, 16, … days passes year 9999."""
    card = Card("f")
    for _ in range(60):
        card = review(card, 5, NOW)
    assert card.interval == MAX_INTERVAL and card.due == NOW + timedelta(days=MAX_INTERVAL)
