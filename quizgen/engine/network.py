"""The network model, and the one place that knows column vs row notation.

Internally every array is in column orientation: data are (units, examples) and a weight is
(units_out, units_in), so Z = W·A + b. Row notation (Z = A·W + b, data (examples, units),
W (units_in, units_out)) is exactly the transpose of every matrix, so `Notation.orient` is the
only conversion anyone needs; vectors (b, db) are the same in both.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

import numpy as np

from quizgen.engine.activations import Activation
from quizgen.engine.losses import Loss


class Notation(str, Enum):
    COLUMN = "column"
    ROW = "row"

    def orient(self, array: np.ndarray) -> np.ndarray:
        """Convert a matrix between this notation and the internal column one (an involution)."""
        return array.T if self is _ROW and array.ndim == 2 else array

    @property
    def examples_axis(self) -> int:
        return 0 if self is Notation.ROW else 1

    def weight_shape(self, units_in: int, units_out: int) -> tuple[int, int]:
        return (units_in, units_out) if self is Notation.ROW else (units_out, units_in)

    def data_shape(self, units: int, m: int) -> tuple[int, int]:
        return (m, units) if self is Notation.ROW else (units, m)


_ROW = Notation.ROW  # read once: an Enum member looked up on its class costs ~0.15 µs, orient runs ~30 times a question


@dataclass
class Layer:
    """One fully connected layer; W is stored internally as (units_out, units_in)."""

    W: np.ndarray
    b: np.ndarray | None
    activations: tuple[Activation, ...]

    @property
    def units_in(self) -> int:
        return self.W.shape[1]

    @property
    def units_out(self) -> int:
        return self.W.shape[0]


@dataclass
class Network:
    """A network plus the data and loss of one problem (what a problem file describes)."""

    notation: Notation
    layers: list[Layer]
    loss: Loss
    X: np.ndarray  # internal (features, m)
    Y: np.ndarray  # internal (k, m)
    learning_rate: float | None = None
    meta: dict = field(default_factory=dict)
    l2: float = 0.0  # L2 coefficient λ: J gains (λ/2m) Σ‖W‖² (engine/losses.py l2_penalty); biases are not penalised

    @property
    def m(self) -> int:
        return self.X.shape[1]

    @classmethod
    def from_arrays(
        cls,
        notation: Notation | str,
        weights: list,
        biases: list,
        activations: list,
        loss: Loss,
        X,
        Y,
        learning_rate: float | None = None,
        l2: float = 0.0,
    ) -> "Network":
        """Build from arrays written in `notation`'s own orientation (shapes checked by caller)."""
        notation = notation if type(notation) is Notation else Notation(notation)  # Notation(member) is member
        layers = [
            Layer(
                W=notation.orient(np.asarray(W, dtype=float)),
                b=None if b is None else np.asarray(b, dtype=float).reshape(-1),
                activations=tuple(acts),
            )
            for W, b, acts in zip(weights, biases, activations)
        ]
        return cls(
            notation=notation,
            layers=layers,
            loss=loss,
            X=notation.orient(np.asarray(X, dtype=float)),
            Y=notation.orient(np.asarray(Y, dtype=float)),
            learning_rate=learning_rate,
            l2=float(l2),
        )

    def to_problem(self) -> dict:
        """The problem-file form (what `quizgen solve` reads), in this notation's orientation."""
        o = self.notation.orient
        problem: dict = {
            "notation": self.notation.value,
            "loss": self.loss.name,
            "reduction": self.loss.reduction,
        }
        if self.learning_rate is not None:
            problem["learning_rate"] = self.learning_rate
        if self.l2:
            problem["l2"] = self.l2
        problem["X"] = o(self.X).tolist()
        problem["Y"] = o(self.Y).tolist()
        problem["layers"] = []
        for layer in self.layers:
            entry: dict = {"W": o(layer.W).tolist()}
            if layer.b is not None:
                entry["b"] = layer.b.tolist()
            labels = [a.label for a in layer.activations]
            entry["activation"] = labels[0] if len(labels) == 1 else labels
            problem["layers"].append(entry)
        return problem
