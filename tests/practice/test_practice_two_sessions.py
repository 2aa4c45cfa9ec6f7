"""Two practice sessions on one history: neither overwrites the other's reviews (issue 13)."""

from __future__ import annotations

import sqlite3
import threading
from datetime import timedelta

from practice_support import NOW, Terminal
from quizgen.practice.history import open_history
from quizgen.practice.schedule import Card, review
from quizgen.practice.session import Session


def stored(db, family):
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        card = conn.execute("SELECT repetitions, lapses, next_index, last_quality FROM cards WHERE family = ?",
                            (family,)).fetchone()
        attempts = conn.execute("SELECT COUNT(*) FROM attempts WHERE family = ?", (family,)).fetchone()[0]
    return card, attempts


def test_two_sessions_interleaved_keep_both_sessions_card_updates(tmp_path, number_family):
    """Guards the lost update: both sessions read the cards when they start, A lapses the family,
    then B answers it right; before the fix B wrote back its stale card and A's lapse vanished."""
    family, q = number_family
    db = tmp_path / "h.sqlite"
    open_history(db).close()
    a_term, b_term = Terminal(["123456", "654321"]), Terminal([q.answer.display])
    with open_history(db) as a_history, open_history(db) as b_history:
        a = Session([family], a_history, count=1, read=a_term.read, write=a_term.write, clock=lambda: NOW)
        b = Session([family], b_history, count=1, read=b_term.read, write=b_term.write,
                    clock=lambda: NOW + timedelta(minutes=1))
        a.run()  # wrong twice: a lapse
        b.run()  # right first time, from a card it read before A's lapse was written
    card, attempts = stored(db, family.id)
    repetitions, lapses, next_index, last_quality = card
    assert lapses == 1, "session A's lapse was overwritten by session B"
    assert repetitions == 1 and last_quality == 5  # B's review, applied on top of A's
    assert next_index == 2  # both reviews moved the variant on
    assert attempts == 3
    assert b.cards[family.id].lapses == 1  # B's own view is the stored card, not its stale copy


def test_concurrent_writers_lose_no_review(tmp_path):
    """Two connections reviewing one family at once: every review lands (counted by lapses)."""
    db = tmp_path / "h.sqlite"
    open_history(db).close()
    per_writer, errors = 15, []

    opening, both_open = threading.Lock(), threading.Barrier(2)

    def writer():
        try:
            with opening:  # one at a time: opening refuses a file locked at that moment, by design
                history = open_history(db)
            both_open.wait()
            with history:
                for _ in range(per_writer):
                    history.review("f", 1, NOW)
        except Exception as exc:  # surfaced below: a thread's exception would otherwise vanish
            errors.append(exc)
            both_open.abort()

    threads = [threading.Thread(target=writer) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    card, _ = stored(db, "f")
    assert card[1] == 2 * per_writer and card[2] == 2 * per_writer


def test_review_builds_on_the_stored_card_not_a_copy(tmp_path):
    db = tmp_path / "h.sqlite"
    with open_history(db) as history:
        history.record(None, review(Card("f"), 5, NOW))
        history.record(None, review(Card("f"), 5, NOW))  # a stale writer's full replace (the old way)
        assert history.cards()["f"].repetitions == 1
        card = history.review("f", 5, NOW)
        assert card.repetitions == 2 and history.cards()["f"] == card
