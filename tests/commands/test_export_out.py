"""`quizgen export --out`: symbolic links are written through, devices and FIFOs written to, never replaced."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from quizgen.cli import main

ROOT = Path(__file__).resolve().parents[2]
MINIMAL = ROOT / "tests" / "fixtures" / "bank_minimal"


def export(*args: str) -> int:
    return main(["export", "--bank", str(MINIMAL), *map(str, args)])


def quizgen_export(*args: str, **kwargs) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "quizgen", "export", "--bank", str(MINIMAL), *map(str, args)]
    return subprocess.run(command, timeout=120, cwd=ROOT, **kwargs)


def is_export(text: str) -> bool:
    return json.loads(text)["schema"] == "quizgen.questions/3"


def test_a_symlinked_file_is_written_through_and_stays_a_link(tmp_path):
    """Issue 13: `export --out LINK` replaced the link with a plain file."""
    (tmp_path / "data").mkdir()
    target = tmp_path / "data" / "questions.json"
    target.write_text("old")
    target.chmod(0o640)
    link = tmp_path / "questions.json"
    link.symlink_to(target)
    assert export("--out", link) == 0
    assert link.is_symlink() and is_export(target.read_text(encoding="utf-8"))
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert sorted(os.listdir(tmp_path / "data")) == ["questions.json"]
    dangling = tmp_path / "new.json"
    dangling.symlink_to(tmp_path / "data" / "new.json")
    assert export("--out", dangling) == 0 and dangling.is_symlink() and is_export(dangling.read_text())


def test_dash_is_standard_output(capsys):
    assert export("--out", "-") == 0
    assert is_export(capsys.readouterr().out)


def test_a_link_to_dev_stdout_writes_to_standard_output_and_is_kept(tmp_path):
    """Issue 13: as root, `--out /dev/stdout` would have replaced the system's link."""
    link = tmp_path / "stdout"
    link.symlink_to("/dev/stdout")
    done = quizgen_export("--out", link, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert is_export(done.stdout) and link.is_symlink() and os.readlink(link) == "/dev/stdout"


def test_dev_stdout_appended_to_a_file_is_appended_not_replaced(tmp_path):
    log = tmp_path / "log.txt"
    log.write_text("before\n")
    with open(log, "a") as fh:
        done = quizgen_export("--out", "/dev/stdout", stdout=fh, stderr=subprocess.PIPE, text=True)
    assert done.returncode == 0, done.stderr
    before, document = log.read_text().split("\n", 1)
    assert before == "before" and is_export(document)
    assert Path("/dev/stdout").is_symlink()


def test_a_fifo_is_written_to_not_replaced(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_text(encoding="utf-8")))
    reader.start()
    assert export("--out", fifo) == 0
    reader.join(timeout=60)
    assert is_export(got[0]) and stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_dev_null_is_written_to_not_replaced():
    assert export("--out", "/dev/null") == 0
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


@pytest.mark.parametrize("out, message", [
    (".", "is a folder; give a file name, or --out - for standard output"),
    ("folder", "is a folder; give a file name, or --out - for standard output"),
    ("loop", "is a symbolic link that leads nowhere (a loop)"),
    ("socket", "is a socket, not a file; give a file name, or --out - for standard output"),
])
def test_what_cannot_be_a_file_is_refused_in_one_line(tmp_path, monkeypatch, capsys, out, message):
    import socket

    monkeypatch.chdir(tmp_path)
    (tmp_path / "folder").mkdir()
    os.symlink("loop", tmp_path / "loop")
    server = socket.socket(socket.AF_UNIX)
    server.bind("socket")
    try:
        assert export("--out", out) == 2
    finally:
        server.close()
    assert capsys.readouterr().err.splitlines() == [f"{out}: {message}"]
    assert sorted(os.listdir(tmp_path)) == ["folder", "loop", "socket"]
