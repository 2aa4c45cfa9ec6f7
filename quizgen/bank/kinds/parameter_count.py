"""parameter_count: how many trainable parameters a network has, from its layer sizes
(engine/counting.py): dense layers with or without biases, 1-D convolutions and batch norm.

The family's [counting] table lists the layers in order and the ranges their sizes are drawn
from; the answer is an exact whole number, the worked solution one line per layer, then the sum.
"""

from __future__ import annotations

import numpy as np

from quizgen.bank.fields import add_known, number_range, own_table
from quizgen.bank.kinds.base import Kind, register
from quizgen.bank.kinds.common import Distractors, Draft, make_answer, require
from quizgen.bank.kinds.precision import precision
from quizgen.bank.kinds.values import value_step
from quizgen.bank.prompts import DEFAULTS
from quizgen.bank.sample import Degenerate
from quizgen.bank.spec import Family
from quizgen.engine import counting
from quizgen.messages import t
from quizgen.messages.text import text

KEYS = {"layers", "inputs", "length", "units", "channels", "kernel", "bias"}
MAX_LAYERS = 8  # more layers than this is a longer sum, not a harder question
MAX_FEATURES = 4096  # inputs and dense units
MAX_CHANNELS = 512
MAX_KERNEL = 11
MAX_LENGTH = 1024


def _ranges(c, key: str, raw, count: int, high: int) -> None:
    """One [lo, hi] range per layer of that type, each within 1..high."""
    if not isinstance(raw, list) or len(raw) != count:
        c.add(f"counting.{key}", t("kinds.counting_ranges", count=count))
        return
    for i, r in enumerate(raw, start=1):
        number_range(c, f"counting.{key}[{i}]", r, low=1, high=high)


def validate(c, seen: dict) -> None:
    raw = own_table(c, seen.get("table"), "counting", KEYS, "kinds.counting_table", "kinds.counting_unknown_key")
    if raw is None:
        return
    layers = raw.get("layers")
    if (not isinstance(layers, list) or not 1 <= len(layers) <= MAX_LAYERS
            or not all(isinstance(x, str) and x in counting.KINDS for x in layers)):
        add_known(c, "counting.layers", "kinds.counting_layers", counting.KINDS, limit=MAX_LAYERS)
        return
    dense, conv = layers.count("dense"), layers.count("conv")
    if "conv" in layers and "dense" in layers and layers.index("dense") < len(layers) - 1 - layers[::-1].index("conv"):
        c.add("counting.layers", t("kinds.counting_conv_after_dense"))
    if dense + conv == 0:
        c.add("counting.layers", t("kinds.counting_no_weights"))
    number_range(c, "counting.inputs", raw.get("inputs", [2, 2]), low=1,
                 high=MAX_CHANNELS if layers[0] == "conv" else MAX_FEATURES)
    _ranges(c, "units", raw.get("units", []), dense, MAX_FEATURES)
    _ranges(c, "channels", raw.get("channels", []), conv, MAX_CHANNELS)
    kernel = number_range(c, "counting.kernel", raw.get("kernel", [3, 3]), low=1, high=MAX_KERNEL)
    length = number_range(c, "counting.length", raw.get("length", [8, 8]), low=1, high=MAX_LENGTH)
    if conv and kernel and length and length[0] - conv * (kernel[1] - 1) < 1:
        c.add("counting.length", t("kinds.counting_too_short", need=conv * (kernel[1] - 1) + 1))
    if not isinstance(raw.get("bias", True), bool):
        c.add("counting.bias", t("family.boolean", value=str(raw.get("bias"))[:40]))


def _draw(rng, r) -> int:
    return int(rng.integers(r[0], r[1] + 1))


def draw(raw: dict, rng: np.random.Generator) -> tuple[int, int, list[counting.Layer]]:
    """Input size, input length (a conv network) and the layers with their drawn sizes."""
    kinds, bias = raw["layers"], raw.get("bias", True)
    units, channels = iter(raw.get("units", [])), iter(raw.get("channels", []))
    inputs = _draw(rng, raw.get("inputs", [2, 2]))
    length = _draw(rng, raw.get("length", [8, 8])) if "conv" in kinds else 0
    features, spatial = inputs, length if kinds[0] == "conv" else 0
    layers = []
    for kind in kinds:
        if kind == "conv":
            layer = counting.Layer("conv", features, _draw(rng, next(channels)), _draw(rng, raw.get("kernel", [3, 3])),
                                   spatial, bias)
            features, spatial = layer.n_out, layer.length_out
        elif kind == "dense":
            n_in = features * spatial if spatial else features  # a conv output is flattened first
            layer = counting.Layer("dense", n_in, _draw(rng, next(units)), bias=bias)
            features, spatial = layer.n_out, 0
        else:
            layer = counting.Layer("batchnorm", features, bias=False)
        layers.append(layer)
    return inputs, length, layers


def _layer_text(i: int, layer: counting.Layer):
    bias = "_bias" if layer.bias else ""
    if layer.kind == "dense":
        return text(f"kinds.counting_dense{bias}", index=i, n_in=layer.n_in, n_out=layer.n_out)
    if layer.kind == "conv":
        return text(f"kinds.counting_conv{bias}", index=i, c_in=layer.n_in, c_out=layer.n_out, k=layer.kernel,
                    length=layer.length_in)
    return text("kinds.counting_batchnorm", index=i, features=layer.n_in)


def _step(i: int, layer: counting.Layer):
    n = layer.n_out if layer.bias else None
    if layer.kind == "dense":
        symbolic = r"n_{\text{in}}\, n_{\text{out}}" + (r" + n_{\text{out}}" if n else "")
        parts = [{"num": layer.n_in}, {"tex": r"\cdot"}, {"num": layer.n_out}]
    elif layer.kind == "conv":
        symbolic = r"k\, c_{\text{in}}\, c_{\text{out}}" + (r" + c_{\text{out}}" if n else "")
        parts = [{"num": layer.kernel}, {"tex": r"\cdot"}, {"num": layer.n_in}, {"tex": r"\cdot"}, {"num": layer.n_out}]
    else:
        symbolic, parts = r"2\, f", [{"num": 2}, {"tex": r"\cdot"}, {"num": layer.n_in}]
    if n:
        parts += [{"tex": "+"}, {"num": n}]
    value = counting.count(layer)
    return value_step(text("kinds.counting_layer_title", layer=i, what=text(f"kinds.counting_kind_{layer.kind}")),
                      symbolic, parts + [{"tex": "="}, {"num": value}], value,
                      text(f"kinds.counting_{layer.kind}_explanation" + ("_bias" if n else "")), shape=[], role="rule")


def _listed(items: list):
    listed = items[-1]
    for item in reversed(items[:-1]):
        listed = text("kinds.counting_next", first=item, rest=listed)
    return listed


def build(family: Family, rng: np.random.Generator) -> Draft:
    raw = family.table
    inputs, length, layers = draw(raw, rng)
    value = counting.total(layers)
    answer = make_answer(float(value), precision("exact", whole=True))
    found = Distractors(answer)
    for slip in counting.SLIPS:
        if counting.applies(layers, slip):
            found.add(float(counting.total(layers, slip, inputs)), slip)
    if any(d.also for d in found.kept):
        raise Degenerate("reject.mistakes_coincide", key="counting")
    require(found.kept, family.min_distractors)
    steps = [_step(i, layer) for i, layer in enumerate(layers, start=1)]
    counts = [counting.count(layer) for layer in layers]
    parts = []
    for c in counts:
        parts += ([{"tex": "+"}] if parts else []) + [{"num": c}]
    steps.append(value_step(text("kinds.counting_total_title"), r"\sum_{\ell} P_{\ell}", parts + [{"tex": "="},
                                                                                                   {"num": value}],
                            value, text("kinds.counting_total_explanation"), shape=[], role="rule"))
    first = "conv" if layers[0].kind == "conv" else "dense"
    source = text(f"kinds.counting_input_{first}", inputs=inputs, length=length)
    context = {"network": _listed([_layer_text(i, layer) for i, layer in enumerate(layers, start=1)]),
               "known": source, "L": len(layers), "asked": r"P", "asked_text": text("kinds.counting_asked")}
    return Draft(answer=answer, steps=steps, given=[], context=context, distractors=found.kept)


def answer_box(q) -> dict:
    return {"kind": "number"}


KIND = register(Kind("parameter_count", build, lambda: DEFAULTS["parameter_count"], validate, answer_box=answer_box,
                     states_precision=False, sized=False, table="counting"))  # the prompt asks a whole number in its own words
