"""Whether a file may be opened as a practice history, decided without writing to it.

What it is (a regular file, not a FIFO, device or directory; not over MAX_BYTES), its header
bytes (SQLite, our application_id), then a read-only connection (quick_check, a known
user_version, exactly our schema). Each refusal is a HistoryError naming the path.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

from quizgen.errors import HistoryError
from quizgen.messages import t
from quizgen.practice.schema import APPLICATION_ID, SCHEMA_VERSION, TABLES, expected_schema

TIMEOUT = 0.5  # seconds to wait for another program's lock before calling the file locked
HEADER = b"SQLite format 3\x00"
JOURNAL = "-journal"  # SQLite's rollback journal sits beside the file under its name plus this
SIDE_FILES = (JOURNAL, "-wal", "-shm")  # every file SQLite may open beside a database
MAX_BYTES = 1 << 30  # a history over 1 GiB (about five million attempts) is refused, not scanned


def uri(path: Path, mode: str) -> str:
    return f"{path.resolve().as_uri()}?mode={mode}"


def fail(path: Path, key: str, **values) -> HistoryError:
    return HistoryError(t(f"practice.{key}", **values), file=str(path))


def sqlite_error(path: Path, exc: sqlite3.Error) -> HistoryError:
    """The HistoryError, naming `path`, that an SQLite failure on it means to a user."""
    if "locked" in str(exc) or "busy" in str(exc):
        return fail(path, "db_locked")
    if isinstance(exc, sqlite3.OperationalError):
        return fail(path, "db_unreadable", detail=str(exc))
    return fail(path, "db_corrupt", detail=str(exc))


def _name_max(folder: Path) -> int:
    try:
        return os.pathconf(folder, "PC_NAME_MAX")
    except (OSError, ValueError, AttributeError):
        return 255


def check_name(path: Path) -> None:
    """Refuse a file name too long for SQLite to put its journal beside it."""
    folder = path.parent if path.parent.is_dir() else Path(".")
    longest = _name_max(folder) - len(JOURNAL)
    if len(os.fsencode(path.name)) > longest:
        raise fail(path, "db_name_too_long", limit=longest)


def _check_side_files(path: Path) -> None:
    """Refuse a journal, WAL or shared-memory file beside `path` that is not a plain file: SQLite
    would block on a FIFO, and write through a symlink into whatever file it names."""
    for suffix in SIDE_FILES:
        side = path.with_name(path.name + suffix)
        try:
            info = side.lstat()
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise fail(path, "db_unreadable", detail=f"{side.name}: {exc.strerror or exc}") from None
        if not stat.S_ISREG(info.st_mode):
            raise fail(path, "db_odd_side_file", side=side.name)


def _check_schema(path: Path, conn: sqlite3.Connection, version: int) -> None:
    """Refuse a history whose schema is not exactly the one quizgen wrote for `version`."""
    if version < 0 or version > SCHEMA_VERSION:
        if version > SCHEMA_VERSION:
            raise fail(path, "db_newer", found=version, known=SCHEMA_VERSION)
        raise fail(path, "db_schema", detail=f"user_version {version}")
    found = set(conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master"))
    want = expected_schema(version)
    names = {row[1] for row in found if row[0] == "table"}
    missing = [name for name in TABLES if name not in names]
    if missing:
        raise fail(path, "db_missing_tables", tables=", ".join(missing))
    extra = sorted(found - want, key=lambda row: (row[0], row[1]))
    if extra:
        kind, name = extra[0][0], extra[0][1]
        changed = any(row[:2] == (kind, name) for row in want)
        detail = t("practice.schema_changed" if changed else "practice.schema_extra", kind=kind, name=name)
        raise fail(path, "db_schema", detail=detail)
    gone = sorted(want - found, key=lambda row: (row[0], row[1]))
    if gone:
        raise fail(path, "db_schema", detail=t("practice.schema_missing", kind=gone[0][0], name=gone[0][1]))


def inspect(path: Path) -> None:
    """Raise HistoryError unless `path` is a healthy quizgen history.

    Nothing is written, with one exception: a history of ours (its header carries our
    application_id) left with a hot journal by a crash is opened read-write so that SQLite rolls
    back the interrupted transaction, restoring the last committed state.
    """
    try:
        info = path.stat()  # follows a symlink: what counts is the file it names
    except OSError as exc:
        raise fail(path, "db_unreadable", detail=exc.strerror or str(exc)) from None
    if stat.S_ISDIR(info.st_mode):
        raise fail(path, "db_is_dir")
    if not stat.S_ISREG(info.st_mode):  # a FIFO would block the read below; a device is no history
        raise fail(path, "db_not_file")
    if info.st_size > MAX_BYTES:
        raise fail(path, "db_too_big", size=f"{info.st_size / (1 << 20):.0f} MiB",
                    limit=f"{MAX_BYTES >> 20} MiB")
    check_name(path)
    _check_side_files(path)
    try:
        with open(path, "rb") as f:
            head = f.read(100)
    except OSError as exc:
        raise fail(path, "db_unreadable", detail=exc.strerror or str(exc)) from None
    if not head:
        raise fail(path, "db_empty")
    if not head.startswith(HEADER):
        raise fail(path, "db_not_sqlite")
    if len(head) < 100:
        raise fail(path, "db_corrupt", detail="shorter than the SQLite header")
    app = int.from_bytes(head[68:72], "big")  # PRAGMA application_id, read before SQLite touches the file
    if app != APPLICATION_ID:
        raise fail(path, "db_not_ours", found=f"0x{app:08x}")
    journal = path.with_name(path.name + JOURNAL)
    hot = journal.is_file() and journal.stat().st_size > 0
    try:
        conn = sqlite3.connect(uri(path, "rw" if hot else "ro"), uri=True, timeout=TIMEOUT)
    except sqlite3.Error as exc:
        raise sqlite_error(path, exc) from None
    try:
        conn.execute("PRAGMA trusted_schema = OFF")
        check = conn.execute("PRAGMA quick_check").fetchall()
        if check != [("ok",)]:
            raise fail(path, "db_corrupt", detail=str(check[0][0]) if check else "no result")
        _check_schema(path, conn, conn.execute("PRAGMA user_version").fetchone()[0])
    except sqlite3.Error as exc:
        raise sqlite_error(path, exc) from None
    finally:
        conn.close()

