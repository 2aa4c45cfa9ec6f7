"""`quizgen practice` and `quizgen stats` as a student runs them: piped, and in a real terminal."""

from __future__ import annotations

import os
import pty
import re
import select
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import datetime, timezone

import pytest

from practice_support import BANK, ROOT, assert_in_order, play
from quizgen.bank.generate import variant
from quizgen.bank.load import load_bank
from quizgen.cli import main
from quizgen.grading import format_value
from quizgen.practice.schedule import pick
from quizgen.messages.text import say


def quizgen(*args, stdin="", env=None, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "quizgen", *args], input=stdin, capture_output=True, text=True,
                          timeout=60, env={**os.environ, **(env or {})}, cwd=cwd)


def answers_for(out: str, seed: int = 0) -> list[str]:
    """The right answer to each question shown, read back from the "[family · difficulty" headers."""
    families = {f.id: f for f in load_bank(BANK)}
    seen: dict[str, int] = {}
    answers = []
    for family in re.findall(r"\[([a-z0-9_-]+) · difficulty", out):
        index = seen.get(family, 0)
        seen[family] = index + 1
        answers.append(variant(families[family], index, seed).answer.display)
    return answers


def test_piped_session_then_stats(tmp_path):
    families = load_bank(BANK)
    ids, difficulty = [f.id for f in families], {f.id: f.difficulty for f in families}
    first = pick(ids, {}, datetime.now(timezone.utc), 0, [], difficulty)  # all unseen: no clock needed
    answer = variant(next(f for f in families if f.id == first), 0, 0).answer.display
    db = tmp_path / "h.sqlite"
    run = quizgen("practice", "--bank", str(BANK), "--count", "2", "--db", str(db), stdin=f"{answer}\n999\n999\n")
    assert run.returncode == 0 and run.stderr == "", run.stderr
    assert_in_order(run.stdout, [f"[{first} · ", "✓ Correct", "Question 2 of 2", "✗", "worked solution", "Summary",
                                 "Score: 1 of 2 right first time (50%)"])
    stats = quizgen("stats", "--db", str(db))
    assert stats.returncode == 0, stats.stderr
    assert_in_order(stats.stdout, ["Practice history: ", "(3 attempt(s)", "Accuracy by topic", "Reviews (SM-2)",
                                   "Most frequent mistakes"])
    # One score everywhere: each question counts once, by its first answer (was 3 / 1 / 33%).
    assert re.search(r"  all\s+2\s+1\s+50%", stats.stdout), stats.stdout


def test_stats_lists_mistakes_by_frequency(tmp_path, capsys, number_family):
    family, q = number_family
    db = tmp_path / "h.sqlite"
    wrong = q.distractors[0]
    play(db, [family], [format_value(wrong.value), format_value(wrong.value)])
    assert main(["stats", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert f"  2× {say(wrong.name)}" in out
    assert re.search(rf"  {q.topic}\s+1\s+0\s+0%", out)  # one question, wrong at its first answer
    assert re.search(rf"  {family.id}\s+\d{{4}}-\d\d-\d\d \d\d:\d\d UTC", out)


def test_stats_on_a_missing_or_empty_history(tmp_path, capsys):
    db = tmp_path / "h.sqlite"
    assert main(["stats", "--db", str(db)]) == 0
    assert "No practice history" in capsys.readouterr().out and not db.exists()
    quizgen("practice", "--bank", str(BANK), "--count", "1", "--db", str(db), stdin=":quit\n")
    assert main(["stats", "--db", str(db)]) == 0
    assert "has no attempts yet" in capsys.readouterr().out


def test_stats_refuses_a_corrupt_file(tmp_path, capsys):
    db = tmp_path / "h.sqlite"
    db.write_bytes(b"\x00garbage" * 100)
    assert main(["stats", "--db", str(db)]) == 2
    assert capsys.readouterr().err.strip() == f"{db}: is not an SQLite database, so it is not a quizgen " \
                                             "practice history; quizgen leaves it alone (pass --db with another path)"


def test_quizgen_db_environment_variable(tmp_path):
    db = tmp_path / "env.sqlite"
    run = quizgen("practice", "--bank", str(BANK), "--count", "1", stdin=":skip\n", env={"QUIZGEN_DB": str(db)})
    assert run.returncode == 0 and db.exists() and f"History: {db}" in run.stdout


def test_filters_that_match_nothing(tmp_path):
    run = quizgen("practice", "--bank", str(BANK), "--topic", "nope", "--db", str(tmp_path / "h.sqlite"))
    assert run.returncode == 2 and "no question family matches --topic nope (topics:" in run.stderr
    assert not (tmp_path / "h.sqlite").exists()
    bad = quizgen("practice", "--bank", str(BANK), "--difficulty", "9", "--db", str(tmp_path / "h.sqlite"))
    assert bad.returncode == 2 and "--difficulty" in bad.stderr


class Terminal:
    """A child process on a pseudo-terminal: type into it, wait for what it prints."""

    def __init__(self, args, env):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: its controlling terminal is the pty
            os.chdir(ROOT)
            os.execve(sys.executable, [sys.executable, "-m", "quizgen", *args], env)
        self.out, self.at = "", 0

    def expect(self, text: str, timeout: float = 30) -> str:
        deadline = time.monotonic() + timeout
        while text not in self.out[self.at:]:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"timed out waiting for {text!r}; the terminal shows:\n{self.out}")
            ready, _, _ = select.select([self.fd], [], [], left)
            if ready:
                try:
                    chunk = os.read(self.fd, 4096)
                except OSError:  # EIO: the child closed the terminal
                    chunk = b""
                if not chunk:
                    raise AssertionError(f"the program ended before {text!r}:\n{self.out}")
                self.out += chunk.decode("utf-8", "replace").replace("\r\n", "\n")
        found = self.out.index(text, self.at) + len(text)
        seen, self.at = self.out[self.at:found], found
        return seen

    def send(self, keys: str) -> None:
        os.write(self.fd, keys.encode())

    def wait(self, timeout: float = 30) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                self.out += os.read(self.fd, 4096).decode("utf-8", "replace").replace("\r\n", "\n")
            except OSError:
                pass
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                os.close(self.fd)
                return os.waitstatus_to_exitcode(status)
            time.sleep(0.05)
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        raise AssertionError(f"the program did not exit:\n{self.out}")


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_in_a_real_terminal_ctrl_c_ends_with_the_summary_and_keeps_answers(tmp_path):
    db = tmp_path / "h.sqlite"
    env = {**os.environ, "TERM": "dumb", "COLUMNS": "80"}
    term = Terminal(["practice", "--bank", str(BANK), "--count", "3", "--db", str(db)], env)
    first = term.expect("answer> ")
    term.send(answers_for(first)[0] + "\n")
    assert "✓ Correct" in term.expect("Question 2 of 3")
    second = term.expect("answer> ")
    term.send("banana\n")
    assert "could not read" in term.expect("answer> ")
    # A key pressed within microseconds of the prompt can land in CPython's readline before it
    # waits for input, and that SIGINT is only seen on the next key: pause as a person would.
    time.sleep(0.3)
    term.send("\x03")  # Ctrl-C, turned into SIGINT by the terminal
    rest = term.expect("History: ")
    assert term.wait() == 0
    assert "Stopped early; every answer you gave is saved." in rest
    assert "Questions: 2 asked, 1 answered" in rest
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        saved = conn.execute("SELECT question_id, answer_text, correct FROM attempts").fetchall()
    family = re.search(r"\[([a-z0-9_-]+) · difficulty", first).group(1)
    assert saved == [(f"{family}--s0-v0", answers_for(first)[0], 1)]
    assert "banana" not in second  # the garbage came after the second question was shown
