"""The history's schema: what quizgen writes into a history, version by version, and nothing else.

A file is trusted only when its schema is exactly `expected_schema(version)`; anything more (a
trigger, a view, an index) was put there by someone else and could run inside quizgen's writes.
"""

from __future__ import annotations

import sqlite3

APPLICATION_ID = 0x717A6731  # "qzg1": PRAGMA application_id of every quizgen history
SCHEMA_VERSION = 1  # PRAGMA user_version; MIGRATIONS[n] takes a file from n - 1 to n
TABLES = ("attempts", "cards")

MIGRATIONS = {
    1: [
        """CREATE TABLE attempts (
            id           INTEGER PRIMARY KEY,
            at           TEXT NOT NULL,     -- ISO 8601, UTC
            question_id  TEXT NOT NULL,
            family       TEXT NOT NULL,
            topic        TEXT NOT NULL,
            kind         TEXT NOT NULL,     -- the question kind, e.g. gradient_entry
            answer_text  TEXT,              -- as typed; NULL for a skip or a revealed solution
            outcome      TEXT NOT NULL CHECK (outcome IN ('answered', 'revealed', 'skipped')),
            correct      INTEGER NOT NULL CHECK (correct IN (0, 1)),
            score        REAL NOT NULL,
            mistake      TEXT,              -- mistake id, when the answer matched one
            mistake_name TEXT,
            hints        INTEGER NOT NULL,  -- hints shown before this attempt
            try_number   INTEGER NOT NULL   -- 1 the first answer, 2 the retry
        )""",
        "CREATE INDEX attempts_family ON attempts (family)",
        """CREATE TABLE cards (
            family       TEXT PRIMARY KEY,
            easiness     REAL NOT NULL,
            interval     REAL NOT NULL,     -- days
            repetitions  INTEGER NOT NULL,
            due          TEXT NOT NULL,     -- ISO 8601, UTC
            lapses       INTEGER NOT NULL,
            last_quality INTEGER NOT NULL,
            last_review  TEXT NOT NULL,
            next_index   INTEGER NOT NULL
        )""",
    ],
}


def expected_schema(version: int) -> set[tuple]:
    """Every schema object (type, name, table, SQL) a history of `version` holds: nothing else."""
    conn = sqlite3.connect(":memory:")
    try:
        for step in range(1, version + 1):
            for statement in MIGRATIONS[step]:
                conn.execute(statement)
        return set(conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master"))
    finally:
        conn.close()

