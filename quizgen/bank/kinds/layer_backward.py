"""layer_backward: a backward quantity of one layer type (dx through dropout, batch normalization's
dγ, dβ or dx, …) for a small given input, stated values and upstream gradient dy; worked by the
type's rules, forward quantities first."""

from __future__ import annotations

from quizgen.bank.kinds import layer_tape
from quizgen.bank.kinds.base import Kind, register
from quizgen.bank.prompts import DEFAULTS

KIND = register(Kind("layer_backward", lambda family, rng: layer_tape.build(family, rng, backward=True),
                     lambda: DEFAULTS["layer_backward"], lambda c, seen: layer_tape.validate(c, seen, True),
                     sized=False, table="layer"))
