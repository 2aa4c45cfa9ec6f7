"""The history database: created only when missing, refused (and left untouched) when not ours."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

from quizgen.errors import HistoryError
from quizgen.practice.history import (APPLICATION_ID, SCHEMA_VERSION, Attempt, default_path, inspect,
                                      open_history)
from quizgen.practice.schedule import Card, review

NOW = datetime(2025, 3, 1, 9, 0, tzinfo=timezone.utc)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def attempt(**kw) -> Attempt:
    base = dict(question_id="f--s0-v0", family="f", topic="t", kind="gradient_entry", answer_text="1",
                outcome="answered", correct=True, score=1.0, mistake=None, mistake_name=None, hints=0,
                try_number=1, at=NOW)
    return Attempt(**{**base, **kw})


def refused(path: Path, *words: str) -> str:
    before = digest(path) if path.is_file() else None
    with pytest.raises(HistoryError) as info:
        open_history(path)
    message = str(info.value)
    assert message.startswith(f"{path}: ") and "\n" not in message
    for word in words:
        assert word in message
    if before is not None:
        assert digest(path) == before, "the file was modified"
    assert not list(path.parent.glob(".quizgen-history-*")), "a temporary file was left behind"
    return message


def test_a_missing_file_is_created_with_our_ids(tmp_path):
    db = tmp_path / "deep" / "er" / "history.sqlite"
    with open_history(db) as history:
        assert history.cards() == {}
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert sorted(p.name for p in db.parent.iterdir()) == ["history.sqlite"]


def test_attempts_and_cards_round_trip_and_each_commit_is_durable(tmp_path):
    db = tmp_path / "h.sqlite"
    card = review(Card("f"), 5, NOW)
    with open_history(db) as history:
        history.record(attempt(), card)
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as other:  # visible to another reader at once
            assert other.execute("SELECT at, correct FROM attempts").fetchall() == [("2025-03-01T09:00:00Z", 1)]
    with open_history(db) as history:
        assert history.cards() == {"f": card}


def test_random_bytes_are_refused_unchanged(tmp_path):
    db = tmp_path / "h.sqlite"
    db.write_bytes(os.urandom(3000))
    refused(db, "not an SQLite database")


def test_a_damaged_database_is_refused_unchanged(tmp_path):
    db = tmp_path / "h.sqlite"
    with open_history(db) as history:
        history.record(attempt())
        with history.conn:  # many more rows, so the file has many pages
            history.conn.execute("BEGIN")
            history.conn.executemany(
                "INSERT INTO attempts (at, question_id, family, topic, kind, answer_text, outcome, correct, score,"
                " hints, try_number) VALUES ('x', 'q', 'f', 't', 'k', ?, 'answered', 1, 1, 0, 1)",
                [("x" * 100,)] * 300)
    data = bytearray(db.read_bytes())
    page = 4096 if len(data) > 8192 else 1024
    for n in range(1, len(data) // page):
        data[n * page : n * page + 8] = b"\x0d\x00\x00\xff\xff\x00\x00\x00"  # nonsense b-tree page headers
    db.write_bytes(bytes(data))
    refused(db, "damaged")


def test_someone_elses_sqlite_database_is_refused_unchanged(tmp_path):
    db = tmp_path / "notes.sqlite"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE notes (text TEXT)")
        conn.execute("INSERT INTO notes VALUES ('mine')")
    conn.close()
    refused(db, "not a quizgen practice history", "application_id 0x00000000")


def test_our_id_without_our_tables_is_refused(tmp_path):
    db = tmp_path / "h.sqlite"
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("CREATE TABLE other (x)")
    conn.commit()
    conn.close()
    refused(db, "lacks its tables (attempts, cards)")


def test_a_newer_schema_is_refused(tmp_path):
    db = tmp_path / "h.sqlite"
    open_history(db).close()
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    refused(db, "newer quizgen")


def test_an_empty_file_and_a_directory_are_refused(tmp_path):
    empty = tmp_path / "empty.sqlite"
    empty.touch()
    refused(empty, "empty file")
    refused(tmp_path, "is a directory")


def test_a_locked_database_is_refused_with_a_clear_message(tmp_path):
    db = tmp_path / "h.sqlite"
    open_history(db).close()
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        before = digest(db)
        refused(db, "locked by another program")
        assert digest(db) == before
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    open_history(db).close()  # usable again once the other program lets go


def test_a_write_lock_is_refused_too(tmp_path):
    db = tmp_path / "h.sqlite"
    open_history(db).close()
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        refused(db, "locked")
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_a_missing_file_is_not_created_when_only_reading(tmp_path):
    db = tmp_path / "h.sqlite"
    assert open_history(db, create=False, read_only=True) is None
    assert not db.exists()


def test_inspect_never_writes(tmp_path):
    db = tmp_path / "h.sqlite"
    open_history(db).close()
    before = (digest(db), db.stat().st_mtime_ns)
    inspect(db)
    assert (digest(db), db.stat().st_mtime_ns) == before


@pytest.mark.parametrize("platform, env, expected", [
    ("linux", {}, "home/.local/share/quizgen/history.sqlite"),
    ("linux", {"XDG_DATA_HOME": "/xdg"}, "/xdg/quizgen/history.sqlite"),
    ("darwin", {}, "home/Library/Application Support/quizgen/history.sqlite"),
    ("win32", {"APPDATA": "/appdata"}, "/appdata/quizgen/history.sqlite"),
    ("linux", {"QUIZGEN_DB": "/elsewhere/h.db", "XDG_DATA_HOME": "/xdg"}, "/elsewhere/h.db"),
])
def test_default_location(platform, env, expected):
    assert default_path(env, platform, Path("home")) == Path(expected)


CRASH = """
import os, signal, sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("PRAGMA cache_size = 5")  # spill pages to the file before the commit
conn.execute("BEGIN")
for _ in range(3000):
    conn.execute("INSERT INTO attempts (at, question_id, family, topic, kind, outcome, correct, score, hints,"
                 " try_number) VALUES ('x', 'q', 'f', 't', 'k', 'answered', 1, 1, 0, 1)")
os.kill(os.getpid(), signal.SIGKILL)
"""


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs SIGKILL")
def test_a_crash_mid_write_is_rolled_back_to_the_last_commit(tmp_path):
    db = tmp_path / "h.sqlite"
    with open_history(db) as history:
        history.record(attempt())
    subprocess.run([sys.executable, "-c", CRASH, str(db)], timeout=60)
    assert (tmp_path / "h.sqlite-journal").stat().st_size > 0  # a hot journal was left behind
    with open_history(db) as history:
        assert history.conn.execute("SELECT COUNT(*) FROM attempts").fetchone()[0] == 1
