"""The layer protocol: what one layer type declares so the engine, the bank and the tests can use it
without knowing which type it is.

A layer type is a value (usually a frozen dataclass instance) with
- `name`: its registry id ("dense", "dropout", …);
- `params`: the names of its trainable parameters (dense: ("W", "b"); dropout: ());
- `forward_quantities` / `backward_quantities`: the tape names it declares, in the order a worked
  solution shows them (dense: ("Z",) and ("dZ", "dW", "db", "dA_prev"));
- `forward(x, params)` -> `(y, cache)`: `cache` holds every forward quantity it declared (by name) plus
  anything `backward` needs;
- `backward(dy, params, cache)` -> `(dx, grads)`: `grads` holds `"d" + p` for every parameter p and
  every other backward quantity it declared, except `dA_prev`, which is `dx` itself;
- `step_keys`: quantity name -> the message key of the step that computes it (its rule as a student
  writes it), so a kind can turn a layer's tape into worked steps with no per-type branch.

Arrays are in the engine's internal column orientation (features along axis 0, examples along the last
axis); `Notation.orient` converts at the edges, as for the dense network. Registering a type is one
`register(...)` in its own module; importing `quizgen.engine.layers` registers the shipped ones.
"""

from __future__ import annotations

from typing import Any, Mapping, Protocol

import numpy as np

from quizgen.engine.registry import Registry

Array = np.ndarray


class LayerType(Protocol):
    name: str
    params: tuple[str, ...]
    forward_quantities: tuple[str, ...]
    backward_quantities: tuple[str, ...]
    step_keys: Mapping[str, str]

    def forward(self, x: Array, params: Mapping[str, Array]) -> tuple[Array, dict[str, Any]]: ...

    def backward(self, dy: Array, params: Mapping[str, Array], cache: Mapping[str, Any]) -> tuple[Array, dict[str, Array]]: ...


TYPES: Registry[LayerType] = Registry("layer type")
register, unregister = TYPES.register, TYPES.unregister


def run(layer: LayerType, x: Array, params: Mapping[str, Array], dy: Array) -> dict[str, Any]:
    """One layer's whole tape for input `x` and upstream gradient `dy`: every declared quantity by name,
    plus "x", "y", "dy" and "dA_prev" (= dx)."""
    y, cache = layer.forward(x, params)
    dx, grads = layer.backward(dy, params, cache)
    tape = {"x": x, "y": y, "dy": dy, "dA_prev": dx}
    tape.update({k: cache[k] for k in layer.forward_quantities})
    tape.update(grads)
    return tape
