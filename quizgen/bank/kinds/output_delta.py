"""output_delta: the output layer's error dZ, the first step of every backward pass."""

from __future__ import annotations

from quizgen.bank.kinds import numeric
from quizgen.bank.kinds.base import Kind, register
from quizgen.bank.prompts import DEFAULTS


def build(family, rng):
    return numeric.build(family, rng, "dZ", family.layers)


KIND = register(Kind("output_delta", build, lambda: DEFAULTS["output_delta"], network_prompt=True))
