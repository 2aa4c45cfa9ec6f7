"""Fixtures for `quizgen grade`: the midterm printed for a class of 40, once per session."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import MIDTERM  # noqa: E402

from quizgen.cli import main  # noqa: E402

CLASS_SIZE = 40


@pytest.fixture(scope="session")
def class_exam(tmp_path_factory) -> Path:
    """The midterm in 2 versions with a class list of 40 (s001 … s040) and one replacement (B:3)."""
    root = tmp_path_factory.mktemp("grade")
    students = root / "students.csv"
    students.write_text("id,name\n" + "".join(f"s{i:03d},Student {i}\n" for i in range(1, CLASS_SIZE + 1)),
                        encoding="utf-8")
    out = root / "exam"
    assert main(["exam", str(MIDTERM), "--versions", "2", "--roster", str(students), "--out", str(out),
                 "--replace", "B:3"]) == 0
    return out


@pytest.fixture
def run_grade(capsys):
    """quizgen grade ARGS... -> (exit status, stdout, stderr lines)."""
    def run(*args):
        code = main(["grade", *map(str, args)])
        captured = capsys.readouterr()
        return code, captured.out, [line for line in captured.err.splitlines() if line]

    return run
