"""Fixtures for the exam tests: run `quizgen exam` in-process; the three-version exam."""

from __future__ import annotations

import pytest
from exam_helpers import THREE

from quizgen.cli import main


@pytest.fixture
def run_exam(capsys):
    """quizgen exam ARGS... -> (exit status, stdout, stderr lines)."""
    def run(*args: str):
        code = main(["exam", *map(str, args)])
        captured = capsys.readouterr()
        return code, captured.out, [line for line in captured.err.splitlines() if line]

    return run


@pytest.fixture(scope="session")
def three_exam():
    """The three-version fixture exam, assembled once (no files written)."""
    from quizgen.exam.build import prepare

    return prepare(THREE, versions=3)
