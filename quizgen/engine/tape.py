"""The tape: every forward and backward quantity of one solve, under the math's own names.

Arrays on the tape are in the internal column orientation; `to_json` writes them in the
problem's notation. Target paths such as `layers.1.dW.0.2` index into that JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from quizgen.engine.network import Network


@dataclass
class LayerTape:
    A_prev: np.ndarray  # (n_in, m) the layer's input
    Z: np.ndarray  # (n_out, m)
    H: list[np.ndarray]  # output of each activation in the chain, each (n_out, m)
    dA: np.ndarray | None = None  # (n_out, m)
    dH: list[np.ndarray] = field(default_factory=list)  # dJ/dH[k], aligned with H
    dZ: np.ndarray | None = None  # (n_out, m)
    dW: np.ndarray | None = None  # (n_out, n_in)
    db: np.ndarray | None = None  # (n_out,)
    W_new: np.ndarray | None = None
    b_new: np.ndarray | None = None

    @property
    def A(self) -> np.ndarray:
        return self.H[-1]


@dataclass
class Tape:
    network: Network
    layers: list[LayerTape]
    loss: float
    dX: np.ndarray | None = None

    @property
    def output(self) -> np.ndarray:
        return self.layers[-1].A

    def value_at(self, path: str):
        """The value a target path names, read off the tape without building the JSON.

        Equal to lookup(self.to_json(), path); arrays come back as NumPy in file orientation.
        """
        parts = path.split(".")
        orient = self.network.notation.orient
        if parts[0] == "loss":
            return self.loss
        if parts[0] == "dX":
            node, rest = orient(self.dX), parts[1:]
        elif parts[0] == "layers":
            layer = self.layers[int(parts[1])]
            name = parts[2]
            if name == "H":
                node, rest = orient(layer.H[int(parts[3])]), parts[4:]
            else:
                node = getattr(layer, name)
                if node is None:
                    raise KeyError(path)
                node, rest = orient(node), parts[3:]
        else:
            raise KeyError(path)
        for part in rest:
            node = node[int(part)]
        return node

    def to_json(self) -> dict:
        """The `quizgen solve --json` object, arrays in the problem's own orientation."""
        def o(array):  # the file's orientation; + 0.0 turns -0.0 into 0.0
            return self.network.notation.orient(array) + 0.0

        layers = []
        for net_layer, t in zip(self.network.layers, self.layers):
            entry = {"Z": o(t.Z).tolist(), "A": o(t.A).tolist(), "dA": o(t.dA).tolist(), "dZ": o(t.dZ).tolist(),
                     "dW": o(t.dW).tolist()}
            if net_layer.b is not None:
                entry["db"] = (t.db + 0.0).tolist()
            if t.W_new is not None:
                entry["W_new"] = o(t.W_new).tolist()
                if t.b_new is not None:
                    entry["b_new"] = (t.b_new + 0.0).tolist()
            entry["H"] = [o(h).tolist() for h in t.H]
            layers.append(entry)
        return {"loss": self.loss + 0.0, "layers": layers, "dX": o(self.dX).tolist()}


def lookup(document: dict, path: str):
    """Follow a dotted path like `layers.1.dW.0.2` into a solve document."""
    node = document
    for part in path.split("."):
        node = node[int(part)] if isinstance(node, list) else node[part]
    return node
