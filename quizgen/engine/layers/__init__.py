"""Layer types beyond the dense network: one module each, registered in `TYPES` (base.py says what a
layer type is). Importing this package registers the shipped ones."""

from quizgen.engine.layers.base import TYPES, LayerType, register, run, unregister
from quizgen.engine.layers import dense  # noqa: F401  (registers itself)
from quizgen.engine.layers import conv1d, maxpool  # noqa: F401  (register themselves)

__all__ = ["TYPES", "LayerType", "register", "run", "unregister"]
