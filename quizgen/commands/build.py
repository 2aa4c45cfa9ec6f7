"""`quizgen build`: placeholder until its issue lands."""

from __future__ import annotations

from quizgen.errors import QuizgenError


def register(sub):
    return sub.add_parser("build", help="(not built yet)")


def run(args) -> int:
    raise QuizgenError("quizgen build is not built yet")
