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

Extension (helper `layers`, issue 20; the protocol above is unchanged): a type that questions can ask
about (bank/kinds/layer_forward.py, layer_backward.py) is also an `AskedLayer`. It states its worked
steps as `Rule`s (each quantity from named values, with the parts a student writes), its catalogued
mistakes as changed rule sets, how a question draws its stated values, and the options a family may
set. `evaluate` runs a rule set, optionally carrying each result at a few significant figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any, Callable, Mapping, Protocol

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


@dataclass(frozen=True)
class Rule:
    """One worked step: `value(named values)` and the step as written, `parts` being TeX pieces and
    "@name" references to values (shown as numbers); `why` is the message key of its explanation.
    Each TeX piece is balanced on its own (writers convert piece by piece), except a piece that is
    exactly \\left( or \\right). `aside`: the quantity only names an expression (√(σ² + ε)), so the
    layer's equations leave it out."""

    parts: tuple[str, ...]
    value: Callable[[Mapping[str, Any]], Array]
    why: str
    aside: bool = False

    @cached_property  # read on every evaluation of a rule set: worked out once per rule
    def uses(self) -> tuple[str, ...]:
        return tuple(p[1:] for p in self.parts if p.startswith("@"))


class AskedLayer(LayerType, Protocol):
    # option name -> its allowed words, the first the default ("convention": ("inverted", "plain"))
    options: Mapping[str, tuple[str, ...]]
    # stated scalar name -> (low, high, default choices) a family may list choices for ("p": (0.1, 1, (0.5,)))
    scalars: Mapping[str, tuple[float, float, tuple[float, ...]]]
    symbols: Mapping[str, str]  # every value or quantity name -> its TeX symbol
    mistakes: tuple[str, ...]  # catalogued mistake ids (engine/mistakes.py OTHER)
    soft: frozenset[str]  # mistakes whose effect can vanish at the asked precision (a tiny ε): kept where they show

    def rules(self, options: Mapping[str, str]) -> dict[str, Rule]: ...  # in worked order, forward first

    def mistaken(self, mistake: str, options: Mapping[str, str]) -> dict[str, Rule] | None: ...  # None: n/a

    # its stated arrays; pick(range name "X" | "W" | "b", shape, nonzero) draws on the family's grid;
    # `settings` holds this variant's options and chosen scalars (a kernel size, a keep probability)
    def draw(self, rng: np.random.Generator, x_shape: tuple[int, int],
             pick: Callable[[str, tuple, bool], Array], settings: Mapping[str, Any]) -> dict[str, Array]: ...

    def exact(self, options: Mapping[str, str]) -> bool: ...  # grid inputs give short decimals throughout

    def reject(self, values: Mapping[str, Any]) -> str | None: ...  # a reject.* message key: why a draw makes a poor question, or None


def needed(rules: Mapping[str, Rule], asked: str) -> list[str]:
    """The quantities `asked` is computed from (itself included), in the rule set's order."""
    want, stack = set(), [asked]
    while stack:
        name = stack.pop()
        if name in rules and name not in want:
            want.add(name)
            stack.extend(rules[name].uses)
    return [name for name in rules if name in want]


def evaluate(rules: Mapping[str, Rule], values: Mapping[str, Any], asked: str,
             carry: Callable[[Array], Array] | None = None,
             reuse: tuple[Mapping[str, Rule], Mapping[str, Any]] | None = None) -> dict[str, Any]:
    """`values` plus every quantity `asked` needs, in order (each passed through `carry` if given).

    `reuse` = (rules, their evaluate() result) of the same `values` without carry: a quantity whose
    rule is the very same object there and none of whose inputs changed is taken from it, not
    recomputed (a mistaken rule set differs in one or two rules). `asked` itself is always computed.
    """
    out = dict(values)
    changed: set[str] = set()
    for name in needed(rules, asked):
        rule = rules[name]
        if (reuse is not None and name != asked and reuse[0].get(name) is rule and name in reuse[1]
                and changed.isdisjoint(rule.uses)):
            out[name] = reuse[1][name]
            continue
        changed.add(name)
        result = np.asarray(rule.value(out), dtype=float)
        out[name] = carry(result) if carry else result
    return out


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
