"""sgd_update: the weights (or bias) after one gradient-descent step."""

from __future__ import annotations

from quizgen.bank.kinds import numeric
from quizgen.bank.kinds.base import Kind, register
from quizgen.bank.prompts import DEFAULTS
from quizgen.messages import t


def validate(c, seen: dict) -> None:
    if seen["learning_rate"] is None and not any(e.key == "network.learning_rate" for e in c.errors):
        c.add("network.learning_rate", t("family.sgd_update_rate"))


def build(family, rng):
    quantity = family.quantity
    if quantity not in ("W_new", "b_new"):
        quantity = "W_new" if quantity != "db" else "b_new"
    return numeric.build(family, rng, quantity)


KIND = register(Kind("sgd_update", build, lambda: DEFAULTS["sgd_update"], validate, network_prompt=True))
