"""The practice history: an SQLite file of attempts and SM-2 cards that is never put at risk.

An existing file is inspected first (guard.py) — what it is, its header bytes, then a read-only
connection — and refused with a HistoryError naming the path when it is not a regular file, not
SQLite, corrupt, not ours (another PRAGMA application_id), of a newer schema, of a schema that is
not exactly ours (a planted trigger or view would run inside our writes), or locked; a refused file
is never written to. A missing file is built beside its final name and linked into place, so a
half-created history never exists. Every attempt is committed in its own transaction the moment it
is graded; a card is read, reviewed and written inside that transaction, so two sessions on one
file never overwrite each other's reviews.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import sys
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from quizgen.practice.guard import JOURNAL, TIMEOUT, check_name, fail, inspect, sqlite_error, uri
from quizgen.practice.schedule import MAX_INTERVAL, MIN_EASINESS, Card, review
from quizgen.practice.schema import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION

__all__ = ["APPLICATION_ID", "SCHEMA_VERSION", "Attempt", "History", "default_path", "inspect", "iso",
           "open_history", "parse_iso", "sqlite_error"]

WRITE_TIMEOUT_MS = 2000  # once open, a write waits this long for another session's commit
CARD_COLUMNS = "family, easiness, interval, repetitions, due, lapses, last_quality, last_review, next_index"


@dataclass(frozen=True)
class Attempt:
    question_id: str
    family: str
    topic: str
    kind: str
    answer_text: str | None
    outcome: str  # answered | revealed | skipped
    correct: bool
    score: float
    mistake: str | None
    mistake_name: str | None
    hints: int
    try_number: int
    at: datetime


def default_path(env=None, platform: str | None = None, home: Path | None = None) -> Path:
    """$QUIZGEN_DB, else history.sqlite in the platform's per-user data folder."""
    env = os.environ if env is None else env
    platform = sys.platform if platform is None else platform
    home = Path.home() if home is None else home
    if env.get("QUIZGEN_DB"):
        return Path(env["QUIZGEN_DB"]).expanduser()
    if platform == "win32":
        base = Path(env["APPDATA"]) if env.get("APPDATA") else home / "AppData" / "Roaming"
    elif platform == "darwin":
        base = home / "Library" / "Application Support"
    else:
        base = Path(env["XDG_DATA_HOME"]) if env.get("XDG_DATA_HOME") else home / ".local" / "share"
    return base / "quizgen" / "history.sqlite"


def iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def parse_iso(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _create(path: Path, make_folder: bool) -> None:
    """Build a fresh history beside `path`, then link it into place (never over another file).

    The folder is made only when `make_folder` (the default data folder); a --db in a missing
    folder is more likely a typo than a wish for new folders.
    """
    if not path.parent.is_dir():
        if not make_folder:
            raise fail(path, "db_no_folder", folder=str(path.parent))
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise fail(path, "db_cannot_create", detail=exc.strerror or str(exc)) from None
    check_name(path)
    try:
        fd, name = tempfile.mkstemp(prefix=".quizgen-history-", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise fail(path, "db_cannot_create", detail=exc.strerror or str(exc)) from None
    os.close(fd)
    tmp = Path(name)
    try:
        conn = sqlite3.connect(uri(tmp, "rw"), uri=True, timeout=TIMEOUT, isolation_level=None)
        try:
            conn.execute("BEGIN")
            for version in sorted(MIGRATIONS):
                for statement in MIGRATIONS[version]:
                    conn.execute(statement)
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            conn.execute("COMMIT")
        finally:
            conn.close()
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass  # another session created it first; inspect() will judge that file
        except OSError:
            if not path.exists() and not path.is_symlink():
                os.replace(tmp, path)  # a file system without hard links
    except (OSError, sqlite3.Error) as exc:
        raise fail(path, "db_cannot_create", detail=getattr(exc, "strerror", None) or str(exc)) from None
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
        with contextlib.suppress(OSError):
            tmp.with_name(tmp.name + JOURNAL).unlink()


class History:
    """An open history database; use as a context manager so it is closed."""

    def __init__(self, conn: sqlite3.Connection, path: Path):
        self.conn, self.path = conn, path

    def __enter__(self) -> "History":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.conn.close()

    def _insert(self, a: Attempt) -> None:
        self.conn.execute(
            "INSERT INTO attempts (at, question_id, family, topic, kind, answer_text, outcome, correct,"
            " score, mistake, mistake_name, hints, try_number)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (iso(a.at), a.question_id, a.family, a.topic, a.kind, a.answer_text, a.outcome,
             int(a.correct), float(a.score), a.mistake, a.mistake_name, a.hints, a.try_number))

    def _write_card(self, card: Card) -> None:
        self.conn.execute(
            f"INSERT OR REPLACE INTO cards ({CARD_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (card.family, card.easiness, card.interval, card.repetitions, iso(card.due),
             card.lapses, card.last_quality, iso(card.last_review), card.next_index))

    def _transaction(self, work):
        """Run work() inside BEGIN IMMEDIATE … COMMIT; roll back on any failure."""
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                result = work()
                self.conn.execute("COMMIT")
                return result
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            raise sqlite_error(self.path, exc) from None

    def record(self, attempt: Attempt | None, card: Card | None = None) -> None:
        """Commit one attempt and/or a card as given, in a single transaction."""
        def work():
            if attempt is not None:
                self._insert(attempt)
            if card is not None:
                self._write_card(card)
        self._transaction(work)

    def review(self, family: str, quality: int, now: datetime, attempt: Attempt | None = None) -> Card:
        """Review `family`'s card at `quality` and commit it with `attempt`; return the new card.

        The card is read from the file inside the write transaction, so a review by another session
        since this one last looked is built upon, not overwritten.
        """
        def work():
            if attempt is not None:
                self._insert(attempt)
            row = self.conn.execute(f"SELECT {CARD_COLUMNS} FROM cards WHERE family = ?", (family,)).fetchone()
            card = review(_card(self.path, row) if row else Card(family), quality, now)
            self._write_card(card)
            return card
        return self._transaction(work)

    def cards(self) -> dict[str, Card]:
        try:
            rows = self.conn.execute(f"SELECT {CARD_COLUMNS} FROM cards ORDER BY family").fetchall()
        except sqlite3.Error as exc:
            raise sqlite_error(self.path, exc) from None
        return {r[0]: _card(self.path, r) for r in rows}


def _moment(value) -> datetime:
    moment = datetime.fromisoformat(value)  # ValueError / TypeError for anything but ISO text
    if moment.tzinfo is None:
        raise ValueError("no time zone")
    return moment


def _number(value, low: float, high: float, whole: bool = False):
    if isinstance(value, bool) or not isinstance(value, int if whole else (int, float)) \
            or not low <= value <= high:
        raise ValueError("out of range")
    return value if whole else float(value)


def _card(path: Path, r: tuple) -> Card:
    """The Card a stored row holds; a row no quizgen wrote (wrong type, range or date) is refused."""
    checks = (("family", lambda v: v if isinstance(v, str) else _number(None, 0, 0)),
              ("easiness", lambda v: _number(v, MIN_EASINESS, 1000.0)),
              ("interval", lambda v: _number(v, 0.0, MAX_INTERVAL)),
              ("repetitions", lambda v: _number(v, 0, 2**31, whole=True)),
              ("due", _moment),
              ("lapses", lambda v: _number(v, 0, 2**31, whole=True)),
              ("last_quality", lambda v: _number(v, 0, 5, whole=True)),
              ("last_review", _moment),
              ("next_index", lambda v: _number(v, 0, 2**31, whole=True)))
    values = []
    for (column, check), value in zip(checks, r):
        try:
            values.append(check(value))
        except (ValueError, TypeError, OverflowError):
            raise fail(path, "db_bad_card", family=str(r[0]), column=column, value=str(value)[:40]) from None
    return Card(*values)


def open_history(path: str | Path, *, create: bool = True, read_only: bool = False,
                 make_folder: bool = True) -> History | None:
    """Open (or, when missing and `create`, start) the history at `path`; None if missing and not created.

    `make_folder`: whether a missing folder may be created (only for the default data folder).
    """
    path = Path(path).expanduser()
    if not path.exists() and not path.is_symlink():
        if not create:
            return None
        _create(path, make_folder)
    inspect(path)
    try:
        conn = sqlite3.connect(uri(path, "ro" if read_only else "rw"), uri=True, timeout=TIMEOUT,
                               isolation_level=None)
        conn.execute("PRAGMA trusted_schema = OFF")
    except sqlite3.Error as exc:
        raise sqlite_error(path, exc) from None
    if not read_only:
        if not (os.access(path, os.W_OK) and os.access(path.resolve().parent, os.W_OK)):
            conn.close()
            raise fail(path, "db_read_only")
        try:
            conn.execute("BEGIN IMMEDIATE")  # can we write? (takes the lock, writes nothing)
            conn.execute("ROLLBACK")
            _migrate(conn)
            conn.execute(f"PRAGMA busy_timeout = {WRITE_TIMEOUT_MS}")  # the file is free: now be patient
        except sqlite3.Error as exc:
            conn.close()
            raise sqlite_error(path, exc) from None
    return History(conn, path)


def _migrate(conn: sqlite3.Connection) -> None:
    """Bring an older history up to SCHEMA_VERSION, all steps in one transaction."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version >= SCHEMA_VERSION:
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        for step in range(version + 1, SCHEMA_VERSION + 1):
            for statement in MIGRATIONS[step]:
                conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
