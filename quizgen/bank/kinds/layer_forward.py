"""layer_forward: a forward quantity of one layer type (dropout's output, batch normalization's x̂ or
y, …) for a small given input and the layer's stated values; worked by the type's rules."""

from __future__ import annotations

from quizgen.bank.kinds import layer_tape
from quizgen.bank.kinds.base import Kind, register
from quizgen.bank.prompts import DEFAULTS

KIND = register(Kind("layer_forward", lambda family, rng: layer_tape.build(family, rng, backward=False),
                     lambda: DEFAULTS["layer_forward"], lambda c, seen: layer_tape.validate(c, seen, False),
                     sized=False, table="layer"))
