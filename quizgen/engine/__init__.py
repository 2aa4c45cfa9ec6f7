"""The NumPy MLP engine: forward, backward, a tape of every quantity, and the mistakes."""

from quizgen.engine.activations import Activation, parse_activation
from quizgen.engine.backprop import Backward, solve
from quizgen.engine.gradcheck import central_difference, numerical_gradients
from quizgen.engine.losses import Loss, get_loss
from quizgen.engine.network import Layer, Network, Notation
from quizgen.engine.tape import LayerTape, Tape

__all__ = [
    "Activation",
    "Backward",
    "Layer",
    "LayerTape",
    "Loss",
    "Network",
    "Notation",
    "Tape",
    "central_difference",
    "get_loss",
    "numerical_gradients",
    "parse_activation",
    "solve",
]
