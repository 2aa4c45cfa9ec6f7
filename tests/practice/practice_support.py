"""Scripted terminals, fixed clocks and a small real bank for practice-session tests."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from quizgen.bank.generate import variant
from quizgen.bank.load import load_bank
from quizgen.practice.history import open_history
from quizgen.practice.session import Session

ROOT = Path(__file__).resolve().parents[2]
MINIMAL = ROOT / "tests" / "fixtures" / "bank_minimal"
FULL = ROOT / "question_bank"
BANK = MINIMAL if MINIMAL.is_dir() else FULL
NOW = datetime(2025, 3, 1, 9, 0, tzinfo=timezone.utc)


class Interrupt:
    """A scripted "line" that presses Ctrl-C instead of typing."""


CTRL_C = Interrupt()


class Terminal:
    """input()/print() stand-ins that keep a transcript as a terminal would show it."""

    def __init__(self, lines):
        self.lines = list(lines)
        self.parts: list[str] = []

    def read(self, prompt: str) -> str:
        self.parts.append(prompt)
        if not self.lines:
            raise EOFError
        line = self.lines.pop(0)
        if line is CTRL_C:
            raise KeyboardInterrupt
        self.parts.append(line + "\n")
        return line

    def write(self, text: str) -> None:
        self.parts.append(text)

    @property
    def transcript(self) -> str:
        return "".join(self.parts)


def assert_in_order(text: str, pieces: list[str]) -> None:
    """Every piece occurs in `text`, each after the one before (runs of whitespace count as one
    space, so line wrapping does not matter)."""
    text, pieces = " ".join(text.split()), [" ".join(p.split()) for p in pieces]
    at = 0
    for piece in pieces:
        found = text.find(piece, at)
        assert found >= 0, f"{piece!r} not found after position {at} in:\n{text}"
        at = found + len(piece)


def find_family(want):
    """The first family whose first variant (seed 0) satisfies `want(question)`: from the
    minimal bank when one there fits, else from the full question bank."""
    for bank in dict.fromkeys([BANK, FULL]):
        for family in load_bank(bank):
            q = variant(family, 0, 0)
            if want(q):
                return family, q
    pytest.skip("no family in the banks fits this test")


def play(db, families, lines, *, count=1, seed=0, now=NOW):
    """Run one whole session on scripted input; return (transcript, summary)."""
    term = Terminal(lines)
    with open_history(db) as history:
        summary = Session(list(families), history, count=count, seed=seed, read=term.read, write=term.write,
                          clock=lambda: now).run()
    return term.transcript, summary
