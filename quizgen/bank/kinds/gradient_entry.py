"""gradient_entry: one entry of a gradient (or of any backward quantity) of one layer."""

from __future__ import annotations

from quizgen.bank.kinds import numeric
from quizgen.bank.kinds.base import Kind, register
from quizgen.bank.prompts import DEFAULTS


def validate(c, seen: dict) -> None:
    if seen["entry"] != "random":
        c.add("ask.entry", "a gradient_entry family asks one entry: set entry = 'random'")


KIND = register(Kind("gradient_entry", numeric.build, lambda: DEFAULTS["gradient_entry"], validate))
