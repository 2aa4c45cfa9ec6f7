"""gradient_entry: one entry of a gradient (or of any backward quantity) of one layer."""

from __future__ import annotations

from quizgen.bank.kinds import numeric
from quizgen.bank.kinds.base import Kind, register
from quizgen.bank.prompts import DEFAULTS
from quizgen.messages import t


def validate(c, seen: dict) -> None:
    if seen["entry"] != "random":
        c.add("ask.entry", t("family.gradient_entry_entry"))


KIND = register(Kind("gradient_entry", numeric.build, lambda: DEFAULTS["gradient_entry"], validate, network_prompt=True))
