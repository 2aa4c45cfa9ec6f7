"""LaTeX for symbols and numbers. Symbolic strings repeat across variants (renderers memoize
their MathML); numbers travel as values inside `parts` so writers can typeset them directly."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from quizgen.render.numbers import fmt, fmt_floats

ACT_TEX = {
    "identity": r"\mathrm{id}",
    "relu": r"\mathrm{ReLU}",
    "leaky_relu": r"\mathrm{LeakyReLU}",
    "sigmoid": r"\sigma",
    "tanh": r"\tanh",
    "softmax": r"\mathrm{softmax}",
    "softplus": r"\mathrm{softplus}",
    "elu": r"\mathrm{ELU}",
}

# g'(Z) in closed form, written with the layer's symbols: {z} input, {a} output, {p} parameter.
DERIV_TEX = {
    "identity": r"1",
    "relu": r"\mathbb{1}[{z} > 0]",
    "leaky_relu": r"\mathbb{1}[{z} > 0] + {p}\,\mathbb{1}[{z} \le 0]",
    "sigmoid": r"{a} \odot (1 - {a})",
    "tanh": r"1 - \left({a}\right)^{2}",
    "softplus": r"\sigma({z})",
    "elu": r"\mathbb{1}[{z} > 0] + ({a} + {p})\,\mathbb{1}[{z} \le 0]",
}

LOSS_TEX = {
    "mse": r"\frac{1}{k}\sum_{j=1}^{k}(a_j - y_j)^2",  # k = number of outputs (stated in the prompt)
    "half_sse": r"\frac{1}{2}\sum_{j}(a_j - y_j)^2",
    "bce": r"-\sum_{j}\left[y_j \log a_j + (1 - y_j)\log(1 - a_j)\right]",
    "cross_entropy": r"-\sum_{j} y_j \log a_j",
}

LOSS_NAME = {
    "mse": "mean squared error",
    "half_sse": "half sum of squared errors",
    "bce": "binary cross-entropy",
    "cross_entropy": "cross-entropy",
}


def act_tex(act) -> str:
    base = ACT_TEX[act.name]
    if act.name in ("leaky_relu", "elu"):
        return f"{base}_{{{fmt(act.param)}}}"
    return base


@lru_cache(maxsize=4096)  # a few hundred distinct symbols, asked for ~40 times per question
def sym(name: str, layer: int | None = None, sub: str = "") -> str:
    """Z^{[2]}, dW^{[1]}_{2,1}; layer None for X, Y."""
    d = ""
    if name.startswith("d") and len(name) > 1:
        d, name = r"\mathrm{d}", name[1:]
    text = d + name + (f"^{{[{layer}]}}" if layer is not None else "")
    return text + (f"_{{{sub}}}" if sub else "")


def num_tex(value, digits: int = 4) -> str:
    """A number, vector or matrix as LaTeX (vectors as a column; row vectors pass a 1×n matrix)."""
    if isinstance(value, (int, float)):
        return fmt(value, digits)
    arr = np.asarray(value, dtype=float)
    if arr.ndim == 0:
        return fmt(float(arr), digits)
    if arr.ndim == 1:
        arr = arr[:, None]
    rows = [" & ".join(fmt_floats(row, digits)) for row in arr.tolist()]
    return r"\begin{bmatrix}" + r" \\ ".join(rows) + r"\end{bmatrix}"


def parts_tex(parts: list[dict]) -> str:
    """Join step parts ({"tex": ...} or {"num": ...}) into one LaTeX string."""
    return " ".join(p["tex"] if "tex" in p else num_tex(p["num"]) for p in parts)


def deriv_tex(act, z: str, a: str) -> str:
    """g'(z) for an elementwise activation, in the given symbols (str.replace: LaTeX has braces)."""
    text = DERIV_TEX[act.name]
    return text.replace("{z}", z).replace("{a}", a).replace("{p}", fmt(act.param or 0))


def transpose(tex: str) -> str:
    """Xᵀ in LaTeX without a double superscript: W^{[2]} -> W^{[2]\\top}."""
    if tex.endswith("]}"):
        return tex[:-1] + r"\top}"
    return tex + r"^{\top}"
