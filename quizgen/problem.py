"""Problem files (TOML or JSON) -> Network, with errors that name the file and the key.

    notation = "column"          # or "row"
    loss = "cross_entropy"       # mse | half_sse | bce | cross_entropy
    reduction = "mean"           # or "sum"
    learning_rate = 0.1          # optional
    l2 = 0.1                     # optional L2 coefficient λ: J gains (λ/2m)·Σ‖W‖² (biases not), dW gains (λ/m)·W
    X = [[...]]                  # (features, m) in column notation, (m, features) in row
    Y = [[...]]
    [[layers]]
    W = [[...]]                  # (out, in) in column notation, (in, out) in row
    b = [...]                    # optional
    activation = "relu"          # or a chain: ["relu", "softmax"]
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from quizgen import datafile
from quizgen.engine.activations import parse_activation
from quizgen.engine.losses import NAMES as LOSS_NAMES, get_loss
from quizgen.engine.network import Network, Notation
from quizgen.errors import ProblemError
from quizgen.limits import MAX_CHAIN, MAX_DIMENSION, MAX_LAYERS
from quizgen.messages import t

KEYS = {"notation", "loss", "reduction", "learning_rate", "X", "Y", "layers", "l2"}
LAYER_KEYS = {"W", "b", "activation"}
MAX_L2 = 1000.0  # a larger λ only swamps the data loss


def load_problem(path: str | Path) -> Network:
    """Read and validate a problem file (read as quizgen.datafile says: bounded, UTF-8, no duplicates)."""
    return parse_problem(datafile.load(path, ProblemError), source=str(path))


def _matrix(value, key: str, source: str, *, vector_ok: bool = False) -> np.ndarray:
    """A rectangular, finite, numeric matrix (or vector when allowed)."""
    def fail(what: str):
        raise ProblemError(datafile.clip(what), file=source, key=key)

    if not isinstance(value, list) or not value:
        fail(t("problem.matrix_empty"))
    if len(value) > MAX_DIMENSION or any(isinstance(row, list) and len(row) > MAX_DIMENSION for row in value):
        fail(t("problem.matrix_too_big", limit=MAX_DIMENSION))
    if all(_is_number(v) for v in value):
        if not vector_ok:
            fail(t("problem.matrix_flat"))
        arr = np.array(value, dtype=float)
    else:
        if not all(isinstance(row, list) for row in value):
            fail(t("problem.matrix_rows"))
        widths = {len(row) for row in value}
        if len(widths) != 1:
            fail(t("problem.matrix_ragged", widths=sorted(widths)))
        if 0 in widths:
            fail(t("problem.matrix_empty_rows"))
        for r, row in enumerate(value):
            for c, v in enumerate(row):
                if not _is_number(v):
                    fail(t("problem.matrix_entry", row=r, col=c, value=v))
        arr = np.array(value, dtype=float)
    if not np.all(np.isfinite(arr)):
        fail(t("problem.matrix_not_finite"))
    return arr


def _is_number(v) -> bool:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return False
    try:
        return math.isfinite(float(v))
    except OverflowError:  # an integer too large for a float
        return False


def _shape(s: tuple) -> str:
    return "(" + ", ".join(str(d) for d in s) + ")"


def parse_problem(data: dict, source: str = "<problem>") -> Network:
    """Validate a problem dictionary and build its Network."""
    def fail(key: str, what: str):
        raise ProblemError(datafile.clip(what), file=source, key=key)

    if not isinstance(data, dict):
        fail("", t("problem.not_table"))
    for key in sorted(set(data) - KEYS):
        fail(datafile.key_name(key), t("problem.unknown_key", known=", ".join(sorted(KEYS))))
    for key in ("X", "Y", "layers", "loss"):
        if key not in data:
            fail(key, t("problem.missing"))
    try:
        notation = Notation(data.get("notation", "column"))
    except ValueError:
        fail("notation", t("problem.notation", value=data.get("notation")))
    if data["loss"] not in LOSS_NAMES:
        fail("loss", t("problem.unknown_loss", value=data["loss"], known=", ".join(LOSS_NAMES)))
    reduction = data.get("reduction", "mean")
    if reduction not in ("mean", "sum"):
        fail("reduction", t("problem.reduction", value=reduction))
    loss = get_loss(data["loss"], reduction)
    lr = data.get("learning_rate")
    if lr is not None and (not _is_number(lr) or lr <= 0):
        fail("learning_rate", t("problem.learning_rate", value=lr))
    l2 = data.get("l2", 0.0)
    if not _is_number(l2) or not 0 <= l2 <= MAX_L2:
        fail("l2", t("problem.l2", value=l2, limit=MAX_L2))

    X = _matrix(data["X"], "X", source, vector_ok=True)
    if X.ndim == 1:  # one example
        X = X[:, None] if notation is Notation.COLUMN else X[None, :]
    features, m = notation.orient(X).shape

    layers = data["layers"]
    if not isinstance(layers, list) or not layers:
        fail("layers", t("problem.layers"))
    if len(layers) > MAX_LAYERS:
        fail("layers", t("problem.layers_too_many", count=len(layers), limit=MAX_LAYERS))
    weights, biases, chains = [], [], []
    units = features
    for i, layer in enumerate(layers, start=1):
        where = f"layers[{i}]"
        if not isinstance(layer, dict):
            fail(where, t("problem.layer_table"))
        for key in sorted(set(layer) - LAYER_KEYS):
            fail(f"{where}.{datafile.key_name(key)}", t("problem.layer_unknown_key"))
        if "W" not in layer:
            fail(f"{where}.W", t("problem.missing"))
        W = _matrix(layer["W"], f"{where}.W", source)
        n_out, n_in = notation.orient(W).shape
        if n_in != units:
            noun = (t("problem.feature" if units == 1 else "problem.features") if i == 1 else
                    t("problem.unit" if units == 1 else "problem.units"))
            fail(f"{where}.W", t("problem.weights_from_input" if i == 1 else "problem.weights_from_layer", layer=i,
                                 shape=_shape(W.shape), before=i - 1, units=units, noun=noun,
                                 expected=_shape(notation.weight_shape(units, n_out)),
                                 notation=t(f"problem.notation_{notation.value}")))
        b = None
        if "b" in layer:
            b = _matrix(layer["b"], f"{where}.b", source, vector_ok=True).reshape(-1)
            if b.size != n_out:
                fail(f"{where}.b", t("problem.bias_size", size=b.size, units=n_out))
        spec = layer.get("activation", "identity")
        specs = spec if isinstance(spec, list) else [spec]
        if not specs:
            fail(f"{where}.activation", t("problem.activation_empty"))
        if len(specs) > MAX_CHAIN:  # each one is a whole pass over the layer's values
            fail(f"{where}.activation", t("problem.chain_too_long", count=len(specs), limit=MAX_CHAIN))
        try:
            chain = [parse_activation(s) for s in specs]
        except ValueError as exc:
            fail(f"{where}.activation", str(exc))
        weights.append(W)
        biases.append(b)
        chains.append(chain)
        units = n_out

    Y = _matrix(data["Y"], "Y", source, vector_ok=True)
    if Y.ndim == 1:
        Y = Y[:, None] if notation is Notation.COLUMN else Y[None, :]
    expected = notation.data_shape(units, m)
    if Y.shape != expected:
        fail("Y", t("problem.targets_shape", shape=_shape(Y.shape), expected=_shape(expected), units=units, m=m,
                    notation=t(f"problem.notation_{notation.value}")))
    if loss.label_problem(Y):  # the loss's registry entry knows its labels
        fail("Y", loss.label_problem(Y))

    net = Network.from_arrays(notation, weights, biases, chains, loss, X, Y, lr, l2=float(l2))
    from quizgen.engine.backprop import solve

    with np.errstate(all="ignore"):
        tape = solve(net)
    output = tape.output
    trouble = loss.problem_with(output, net.Y)
    if trouble:
        fail("loss", trouble)
    for i, lt in enumerate(tape.layers, start=1):  # forward first: the first overflow is the cause
        for name, array in [("Z", lt.Z)] + [(f"H[{k}]", h) for k, h in enumerate(lt.H)]:
            if not np.all(np.isfinite(array)):
                fail(f"layers[{i}]", t("problem.forward_overflow", name=name, layer=i))
    if not math.isfinite(tape.loss):
        fail("layers", t("problem.overflow"))
    for i, lt in reversed(list(enumerate(tape.layers, start=1))):
        for name in ("dA", "dZ", "dW", "db", "W_new", "b_new"):
            array = getattr(lt, name)
            if array is not None and not np.all(np.isfinite(array)):
                fail(f"layers[{i}]", t("problem.gradient_overflow", name=f"{name}{i}"))
        for k, dh in enumerate(lt.dH):
            if not np.all(np.isfinite(dh)):
                fail(f"layers[{i}]", t("problem.gradient_overflow", name=f"dH[{k}]{i}"))
    if tape.dX is not None and not np.all(np.isfinite(tape.dX)):
        fail("X", t("problem.gradient_overflow", name="dX"))
    return net
