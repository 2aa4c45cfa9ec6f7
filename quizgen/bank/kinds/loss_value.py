"""loss_value: the loss J of a batch."""

from __future__ import annotations

from quizgen.bank.kinds import numeric
from quizgen.bank.kinds.base import Kind, register
from quizgen.bank.prompts import DEFAULTS


def build(family, rng):
    return numeric.build(family, rng, "loss")


KIND = register(Kind("loss_value", build, lambda: DEFAULTS["loss_value"], network_prompt=True))
