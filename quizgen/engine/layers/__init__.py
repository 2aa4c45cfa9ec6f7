"""Layer types beyond the dense network: one module each, registered in `TYPES` (base.py says what a
layer type is). Importing this package registers the shipped ones."""

from quizgen.engine.layers.base import TYPES, AskedLayer, LayerType, Rule, evaluate, needed, register, run, unregister
from quizgen.engine.layers import dense, dropout, batchnorm, conv1d, maxpool  # noqa: F401  (each registers itself)

__all__ = ["TYPES", "AskedLayer", "LayerType", "Rule", "evaluate", "needed", "register", "run", "unregister"]
