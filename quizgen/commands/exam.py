"""`quizgen exam`: placeholder until its issue lands."""

from __future__ import annotations

from quizgen.errors import QuizgenError


def register(sub):
    return sub.add_parser("exam", help="(not built yet)")


def run(args) -> int:
    raise QuizgenError("quizgen exam is not built yet")
