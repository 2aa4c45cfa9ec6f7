"""forward_value: one pre-activation Z or activation A of a layer, from the forward pass."""

from __future__ import annotations

from quizgen.bank.kinds import numeric
from quizgen.bank.kinds.base import Kind, register
from quizgen.bank.prompts import DEFAULTS


def validate(c, seen: dict) -> None:
    if seen["quantity"] not in ("Z", "A"):
        c.add("ask.quantity", f"a forward_value family asks Z or A, got {seen['quantity']!r}")


KIND = register(Kind("forward_value", numeric.build, lambda: DEFAULTS["forward_value"], validate))
