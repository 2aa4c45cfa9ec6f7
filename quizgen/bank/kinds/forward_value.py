"""forward_value: one pre-activation Z or activation A of a layer, from the forward pass."""

from __future__ import annotations

from quizgen.bank.kinds import numeric
from quizgen.bank.kinds.base import Kind, register
from quizgen.bank.prompts import DEFAULTS
from quizgen.messages import t


def validate(c, seen: dict) -> None:
    if seen["quantity"] not in ("Z", "A"):
        c.add("ask.quantity", t("family.forward_value_quantity", value=seen["quantity"]))


KIND = register(Kind("forward_value", numeric.build, lambda: DEFAULTS["forward_value"], validate, network_prompt=True))
