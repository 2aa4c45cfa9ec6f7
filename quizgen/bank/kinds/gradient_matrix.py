"""gradient_matrix: a whole gradient array of one layer."""

from __future__ import annotations

from quizgen.bank.kinds import numeric
from quizgen.bank.kinds.base import Kind, register
from quizgen.bank.prompts import DEFAULTS
from quizgen.messages import t


def validate(c, seen: dict) -> None:
    if seen["entry"] != "all":
        c.add("ask.entry", t("family.gradient_matrix_entry"))


KIND = register(Kind("gradient_matrix", numeric.build, lambda: DEFAULTS["gradient_matrix"], validate, network_prompt=True))
