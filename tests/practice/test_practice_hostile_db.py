"""Hostile and careless history paths: one line naming the file, exit 2, the file untouched (issue 13)."""

from __future__ import annotations

import hashlib
import io
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path

import pytest

from practice_support import BANK, ROOT
from quizgen.cli import main
from quizgen.practice.history import APPLICATION_ID, SCHEMA_VERSION, Attempt, open_history


def digest(path: Path) -> str | None:
    """A fingerprint of the file: size, mtime and the first MiB (a sparse 2 GiB file stays cheap)."""
    if not path.is_file():
        return None
    with open(path, "rb") as f:
        head = f.read(1 << 20)
    info = path.stat()
    return f"{info.st_size}:{info.st_mtime_ns}:{hashlib.sha256(head).hexdigest()}"


def refused_by_cli(capsys, path: Path, *words: str, command=("stats",)) -> str:
    """Run `quizgen <command> --db path`: exit 2, one line naming the file, the file unchanged."""
    before = digest(path)
    args = [*command, "--db", str(path)]
    if command[0] == "practice":
        args += ["--bank", str(BANK), "--count", "1"]
    assert main(args) == 2
    captured = capsys.readouterr()
    err = captured.err
    assert err.count("\n") == 1 and err.startswith(f"{path}: "), err
    assert "Traceback" not in err + captured.out
    for word in words:
        assert word in err, err
    assert digest(path) == before, "the file was modified"
    return err


def history(path: Path, *statements: str, version: int | None = None) -> Path:
    """A real history at `path`, then `statements` run on it (as a hostile author would)."""
    open_history(path).close()
    conn = sqlite3.connect(path)
    for statement in statements:
        conn.execute(statement)
    if version is not None:
        conn.execute(f"PRAGMA user_version = {version}")
    conn.commit()
    conn.close()
    return path


def test_stats_on_our_id_with_another_schema_is_one_line(tmp_path, capsys):
    """Guards the traceback `stats` gave on a file with our application_id and other tables."""
    db = tmp_path / "h.sqlite"
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    conn.execute("CREATE TABLE attempts (x)")
    conn.execute("CREATE TABLE cards (y)")
    conn.commit()
    conn.close()
    refused_by_cli(capsys, db, "schema is not quizgen's", "table 'attempts' differs")
    refused_by_cli(capsys, db, "schema is not quizgen's", command=("practice",))


@pytest.mark.parametrize("statement, words", [
    ("CREATE TRIGGER wipe AFTER INSERT ON attempts BEGIN DELETE FROM cards; END", "unexpected trigger 'wipe'"),
    ("CREATE VIEW v AS SELECT * FROM cards", "unexpected view 'v'"),
    ("CREATE TABLE extra (x)", "unexpected table 'extra'"),
    ("CREATE INDEX extra_index ON cards (due)", "unexpected index 'extra_index'"),
    ("DROP INDEX attempts_family", "no index 'attempts_family'"),
])
def test_a_schema_that_is_not_exactly_ours_is_refused(tmp_path, capsys, statement, words):
    db = history(tmp_path / "h.sqlite", statement)
    refused_by_cli(capsys, db, words)
    refused_by_cli(capsys, db, words, command=("practice",))


def test_a_planted_trigger_never_fires(tmp_path, capsys):
    db = history(tmp_path / "h.sqlite", "CREATE TABLE fired (at TEXT)",
                 "CREATE TRIGGER plant AFTER INSERT ON attempts BEGIN INSERT INTO fired VALUES ('yes'); END",
                 "CREATE TRIGGER plant2 AFTER INSERT ON cards BEGIN INSERT INTO fired VALUES ('yes'); END")
    run = subprocess.run([sys.executable, "-m", "quizgen", "practice", "--bank", str(BANK), "--count", "1",
                          "--db", str(db)], input="1\n1\n", capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert run.returncode == 2 and "unexpected" in run.stderr
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        assert conn.execute("SELECT COUNT(*) FROM fired").fetchone()[0] == 0
        assert conn.execute("SELECT COUNT(*) FROM attempts").fetchone()[0] == 0


@pytest.mark.parametrize("version, words", [
    (SCHEMA_VERSION + 1, "newer quizgen"),
    (-3, "user_version -3"),
])
def test_an_unknown_schema_version_is_refused(tmp_path, capsys, version, words):
    db = history(tmp_path / "h.sqlite", version=version)
    refused_by_cli(capsys, db, words)
    refused_by_cli(capsys, db, words, command=("practice",))


def test_a_directory_a_zero_byte_file_and_a_symlink_to_dev_null(tmp_path, capsys):
    folder = tmp_path / "folder"
    folder.mkdir()
    refused_by_cli(capsys, folder, "is a directory")
    empty = tmp_path / "empty.sqlite"
    empty.touch()
    refused_by_cli(capsys, empty, "empty file")
    refused_by_cli(capsys, empty, "empty file", command=("practice",))
    null = tmp_path / "null.sqlite"
    null.symlink_to(os.devnull)
    refused_by_cli(capsys, null, "not a regular file")
    refused_by_cli(capsys, null, "not a regular file", command=("practice",))


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "h.sqlite"
    os.mkfifo(fifo)
    for command in (["stats"], ["practice", "--bank", str(BANK)]):
        run = subprocess.run([sys.executable, "-m", "quizgen", *command, "--db", str(fifo)], input="",
                             capture_output=True, text=True, timeout=60, cwd=ROOT)
        assert run.returncode == 2 and run.stderr == f"{fifo}: " + \
            "is not a regular file (a pipe, device or socket), so it is not a practice history; " \
            "pass --db with a file path\n"


def test_a_huge_file_is_refused_without_reading_it(tmp_path, capsys):
    db = history(tmp_path / "h.sqlite")
    with open(db, "r+b") as f:
        f.truncate(2 << 30)  # sparse: 2 GiB on paper, nothing on disk
    refused_by_cli(capsys, db, "2048 MiB, over the 1024 MiB")


def test_a_symlink_to_a_history_is_used_through_the_link(tmp_path, capsys, monkeypatch):
    real = history(tmp_path / "real.sqlite")
    link = tmp_path / "link.sqlite"
    link.symlink_to(real)
    monkeypatch.setattr(sys, "stdin", io.StringIO(":skip\n"))
    assert main(["practice", "--bank", str(BANK), "--count", "1", "--db", str(link)]) == 0
    assert link.is_symlink()
    with sqlite3.connect(f"file:{real}?mode=ro", uri=True) as conn:
        assert conn.execute("SELECT outcome FROM attempts").fetchall() == [("skipped",)]


def test_a_248_character_name_is_one_line_and_creates_nothing(tmp_path, capsys, monkeypatch):
    """Guards the traceback from the temporary file's cleanup when its name was too long."""
    monkeypatch.chdir(tmp_path)
    name = "h" * 248
    assert main(["practice", "--bank", str(BANK), "--count", "1", "--db", name]) == 2
    err = capsys.readouterr().err
    assert err == f"{name}: has a file name too long for its journal (at most 247 bytes); " \
                  "pass --db with a shorter name\n"
    assert list(tmp_path.iterdir()) == []


def test_a_history_in_a_read_only_folder_is_one_line_and_creates_nothing(tmp_path, capsys, monkeypatch):
    """Guards the traceback from creating a history where the folder cannot be written."""
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    if os.geteuid() == 0:  # root writes anyway: make the folder refuse as it would for a user
        def refuse(*args, **kwargs):
            raise PermissionError(13, "Permission denied")
        monkeypatch.setattr(tempfile, "mkstemp", refuse)
    db = folder / "h.sqlite"
    try:
        assert main(["practice", "--bank", str(BANK), "--count", "1", "--db", str(db)]) == 2
        assert capsys.readouterr().err == f"{db}: cannot be created: Permission denied\n"
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o755)


def test_db_in_a_missing_folder_is_refused_and_not_created(tmp_path, capsys):
    db = tmp_path / "typo" / "deeper" / "h.sqlite"
    assert main(["practice", "--bank", str(BANK), "--count", "1", "--db", str(db)]) == 2
    assert capsys.readouterr().err == (f"{db}: cannot be created: the folder {db.parent} does not exist "
                                       "(create it first, or pass --db with another path)\n")
    assert not (tmp_path / "typo").exists()


def test_quizgen_db_in_a_missing_folder_is_refused_too(tmp_path):
    db = tmp_path / "typo" / "h.sqlite"
    run = subprocess.run([sys.executable, "-m", "quizgen", "practice", "--bank", str(BANK), "--count", "1"],
                         input=":skip\n", capture_output=True, text=True, timeout=60, cwd=ROOT,
                         env={**os.environ, "QUIZGEN_DB": str(db)})
    assert run.returncode == 2 and "does not exist" in run.stderr and not (tmp_path / "typo").exists()


def test_the_default_data_folder_is_still_created(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "QUIZGEN_DB"}
    run = subprocess.run([sys.executable, "-m", "quizgen", "practice", "--bank", str(BANK), "--count", "1"],
                         input=":skip\n", capture_output=True, text=True, timeout=60, cwd=ROOT,
                         env={**env, "XDG_DATA_HOME": str(tmp_path / "xdg" / "data")})
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "xdg" / "data" / "quizgen" / "history.sqlite").is_file()


@pytest.mark.parametrize("update, words", [
    ("due = 'garbage'", "due = 'garbage'"),
    ("due = '2025-01-01T00:00:00'", "due = '2025-01-01T00:00:00'"),  # no time zone: cannot compare
    ("easiness = 'x'", "easiness = 'x'"),
    ("interval = 1e308", "interval = '1e+308'"),  # would overflow the next due date
    ("next_index = -5", "next_index = '-5'"),
    ("last_quality = 9", "last_quality = '9'"),
])
def test_a_card_row_no_quizgen_wrote_is_one_line(tmp_path, capsys, update, words):
    """Guards the tracebacks (ValueError, TypeError, OverflowError) a tampered card row gave."""
    db = history(tmp_path / "h.sqlite")
    now = datetime(2025, 3, 1, tzinfo=timezone.utc)
    with open_history(db) as h:
        h.review("logistic-dw", 5, now, Attempt("logistic-dw--s0-v0", "logistic-dw", "gradients", "gradient_matrix",
                                                "1", "answered", True, 1.0, None, None, 0, 1, now))
    conn = sqlite3.connect(db)
    conn.execute(f"UPDATE cards SET {update}")
    conn.commit()
    conn.close()
    refused_by_cli(capsys, db, "holds a review card no quizgen wrote", words)
    refused_by_cli(capsys, db, "holds a review card no quizgen wrote", words, command=("practice",))


def test_stats_prints_blobs_in_text_columns_as_clean_text(tmp_path, capsys):
    db = history(tmp_path / "h.sqlite")
    conn = sqlite3.connect(db)
    conn.execute("INSERT INTO attempts (at, question_id, family, topic, kind, outcome, correct, score, mistake,"
                 " hints, try_number) VALUES (5, 'q', 'f', x'1b5b324a746f706963', 'k', 'answered', 0, 0,"
                 " x'1b5d303b7877070a', 0, 1)")
    conn.commit()
    conn.close()
    assert main(["stats", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "1× " in out
    assert re.search(r"^  topic\s+1\s+0\s+0%$", out, re.M), out  # ESC[2J dropped from the topic


@pytest.mark.parametrize("command", ["stats", "practice"])
def test_an_empty_db_argument_is_refused_not_read_as_the_default(command, capsys):
    assert main([command, "--db", ""]) == 2
    assert capsys.readouterr().err == "quizgen: --db: expected a file path, got an empty string\n"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
@pytest.mark.parametrize("suffix, make", [
    ("-journal", lambda side, tmp: os.mkfifo(side)),  # SQLite blocked forever opening it
    ("-journal", lambda side, tmp: side.symlink_to(tmp / "victim")),  # writes would land in victim
    ("-wal", lambda side, tmp: side.mkdir()),
])
def test_an_odd_file_beside_the_history_is_refused_without_blocking(tmp_path, suffix, make):
    db = history(tmp_path / "h.sqlite")
    side = tmp_path / f"h.sqlite{suffix}"
    make(side, tmp_path)
    for command in (["stats"], ["practice", "--bank", str(BANK)]):
        run = subprocess.run([sys.executable, "-m", "quizgen", *command, "--db", str(db)], input="",
                             capture_output=True, text=True, timeout=60, cwd=ROOT)
        assert run.returncode == 2 and run.stderr == (
            f"{db}: has h.sqlite{suffix} beside it that is not a plain file (a link, pipe or folder), "
            "which SQLite would open; quizgen leaves both alone\n")
    assert not (tmp_path / "victim").exists()
