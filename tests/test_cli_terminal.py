"""Untrusted text reaches the terminal without control sequences (issue 13).

A family title that clears the screen (ESC[2J), retitles the window (OSC 0), writes the clipboard
(OSC 52) or flips the text direction (U+202E) must print as its plain words through `show`,
`practice`, `stats`, `check` and every error line.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest

from quizgen.bank.load import load_bank
from quizgen.cli import main
from quizgen.practice.history import open_history
from quizgen.practice.session import Session
from quizgen.render.terminal import clean

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "bank_minimal" / "gradients" / "logistic-dw.toml"
# Anything a terminal would act on: C0 but tab/newline, DEL, C1, the bidi controls, ESC above all.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

TITLE = r"Evil\u001b[2J\u001b]0;pwned\u0007\u001b]52;c;ZXZpbA==\u0007 title\u202e txet"
PROMPT = r"Prompt\u001b[31m red\u001b]52;c;cm0gLXJmIH4=\u001b\\ and \u2066isolate\u2069 here\u001bc."
HINT = r"Hint\u001b[2J one\u009b1m\u001bP+q544e\u001b\\ done\r\u007f"


@pytest.fixture
def hostile_bank(tmp_path) -> Path:
    """The minimal logistic family with escape sequences in its title, prompt and hint."""
    bank = tmp_path / "bank"
    (bank / "gradients").mkdir(parents=True)
    text = FIXTURE.read_text(encoding="utf-8").replace(
        'title = "Minimal: logistic regression weight gradient"',
        f'title = "{TITLE}"\nprompt = "{PROMPT}"\nhints = ["{HINT}"]')
    (bank / "gradients" / "logistic-dw.toml").write_text(text, encoding="utf-8")
    return bank


def quizgen(*args, stdin=""):
    return subprocess.run([sys.executable, "-m", "quizgen", *args], input=stdin, capture_output=True, text=True,
                          timeout=60, cwd=ROOT)


@pytest.mark.parametrize("raw, shown", [
    ("a\x1b[2Jb", "ab"),
    ("x\x1b]0;evil title\x07y", "xy"),
    ("c\x1b]52;c;ZXZpbA==\x1b\\d", "cd"),
    ("8bit\x9d0;t\x9c csi\x9b31m.", "8bit csi."),
    ("dcs\x1bPq#0;2;0;0;0\x1b\\!", "dcs!"),
    ("rtl\u202eevil\u202c, isolate\u2066x\u2069", "rtlevil, isolatex"),
    ("keep\ttab\nand newline", "keep\ttab\nand newline"),
    ("cr\r bell\x07 del\x7f nul\x00 reset\x1bc!", "cr bell del nul reset!"),
    ("lone ESC at the end\x1b", "lone ESC at the end"),
    ("unterminated\x1b]0;title\nnext line", "unterminated\nnext line"),
    ("Unicode stays: σ′ ⊙ ∂J/∂W ⎡1⎤ ━━", "Unicode stays: σ′ ⊙ ∂J/∂W ⎡1⎤ ━━"),
])
def test_clean(raw, shown):
    assert clean(raw) == shown


def test_clean_is_fast_on_many_unterminated_sequences():
    text = ("\x1b]" * 50_000 + "\n") * 4 + "x"
    started = time.perf_counter()
    assert clean(text) == "\n" * 4 + "x"  # an unterminated OSC ends at the line's end
    assert time.perf_counter() - started < 1.0


def test_the_bank_loads_the_payload_as_written(hostile_bank):
    """Guards the test itself: the sequences really are in the family (the TOML escapes worked)."""
    family = load_bank(hostile_bank)[0]
    assert "\x1b]52;" in family.title and "\u202e" in family.title


def test_show_prints_the_words_without_the_sequences(hostile_bank):
    run = quizgen("show", "logistic-dw", "--bank", str(hostile_bank))
    assert run.returncode in (0, 2), run.stderr  # 2: a loader that refuses control characters is fine too
    assert not CONTROL.search(run.stdout + run.stderr), repr(run.stdout + run.stderr)
    if run.returncode == 0:
        assert "Evil title txet  [logistic-dw" in run.stdout
        assert "Prompt red and isolate here." in run.stdout
    else:
        assert run.stderr.count("\n") == 1


def test_a_scripted_practice_session_prints_no_sequences(hostile_bank, tmp_path):
    run = quizgen("practice", "--bank", str(hostile_bank), "--count", "1", "--db", str(tmp_path / "h.sqlite"),
                  stdin=":hint\n:hint\n1 2\n:solution\n")
    assert run.returncode in (0, 2), run.stderr
    assert not CONTROL.search(run.stdout + run.stderr), repr(run.stdout + run.stderr)
    if run.returncode == 0:
        assert "Evil title txet" in run.stdout and "Hint one done" in run.stdout
        assert "Prompt red and isolate here." in run.stdout


def test_the_session_cleans_whatever_writer_it_is_given(hostile_bank, tmp_path):
    """The scripted terminal (the one tests use) gets clean text too: cleaning is in the session."""
    try:
        families = load_bank(hostile_bank)
    except Exception:  # a loader that refuses the payload: nothing to print
        pytest.skip("the loader refuses control characters")
    lines, parts = [":hint", ":skip"], []

    def read(prompt):
        if not lines:
            raise EOFError
        return lines.pop(0)

    with open_history(tmp_path / "h.sqlite") as history:
        Session(families, history, count=1, read=read, write=parts.append,
                clock=lambda: datetime(2025, 3, 1, tzinfo=timezone.utc)).run()
    transcript = "".join(parts)
    assert not CONTROL.search(transcript), repr(transcript)
    assert "Evil title txet" in transcript and "Hint one done" in transcript


def test_error_lines_naming_a_file_with_escapes_are_clean(tmp_path, capsys):
    evil = tmp_path / "hist\x1b]52;c;ZXZpbA==\x07\x1b[2J.sqlite"
    evil.write_bytes(b"not a database at all")
    assert main(["stats", "--db", str(evil)]) == 2
    err = capsys.readouterr().err
    assert err == f"{tmp_path}/hist.sqlite: is not an SQLite database, so it is not a quizgen practice " \
                  "history; quizgen leaves it alone (pass --db with another path)\n"
    assert main(["solve", str(tmp_path / "no\x1b[2Jsuch.toml")]) == 2
    err = capsys.readouterr().err
    assert not CONTROL.search(err) and err.count("\n") == 1 and "nosuch.toml" in err


def test_check_error_lines_are_clean(tmp_path):
    bank = tmp_path / "bank"
    (bank / "gradients").mkdir(parents=True)
    shutil.copy(FIXTURE, bank / "gradients" / "bad\x1b]0;pwned\x07\x1b[2J.toml")
    run = quizgen("check", "--bank", str(bank))
    assert run.returncode == 2
    assert not CONTROL.search(run.stderr), repr(run.stderr)
    assert f"{bank}/gradients/bad.toml: " in run.stderr


def test_a_newline_in_a_file_name_keeps_the_error_on_one_line(tmp_path, capsys):
    """Found by the hostile pass: a bank file or folder named with a newline split the one line."""
    from quizgen.cli import main

    path = tmp_path / "two\nlines.toml"
    path.write_text("X = [[1.0]]\n", encoding="utf-8")
    assert main(["solve", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "two\\nlines.toml" in err
