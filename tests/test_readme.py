"""The README's promises hold: two Quick-start commands, and the error lines it quotes are real."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def quick_start() -> list[str]:
    section = README.split("## Quick start", 1)[1]
    block = section.split("```sh", 1)[1].split("```", 1)[0]
    return [line for line in block.splitlines() if line.strip()]


def test_quick_start_is_two_commands_that_make_their_own_virtual_environment():
    commands = quick_start()
    assert len(commands) == 2
    for command in commands:  # Debian's system Python refuses a bare `pip install`
        assert command.startswith("python3 -m venv .venv && . .venv/bin/activate && pip install -e ")
    assert "quizgen build" in commands[0] and "quizgen exam examples/" in commands[0]
    assert commands[1].endswith("python -m pytest")


def test_ci_runs_the_readme_test_command_read_from_the_readme():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "README.md" in ci and 'bash -euo pipefail -c "$test_command"' in ci
    assert "python -m pytest" not in ci  # never a second copy that could drift


def test_every_error_line_the_readme_quotes_is_what_quizgen_prints():
    quoted = re.findall(r"^(examples/[\w.-]+\.toml): .*$", README, flags=re.M)
    assert quoted, "the README quotes no error line"
    for path in quoted:
        line = next(l for l in README.splitlines() if l.startswith(path + ":"))
        command = "exam" if "sections[" in line else "solve"
        args = [sys.executable, "-m", "quizgen", command, path] + (["--out", "unused-out"] if command == "exam" else [])
        done = subprocess.run(args, cwd=ROOT, capture_output=True, text=True)
        assert done.returncode == 2
        assert done.stderr.strip() == line
        assert not (ROOT / "unused-out").exists()
