"""LaTeX for symbols and numbers. Symbolic strings repeat across variants (renderers memoize
their MathML); numbers travel as values inside `parts` so writers can typeset them directly."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from quizgen.engine import activations, losses
from quizgen.render.numbers import fmt, fmt_floats, fmt_rows, shown

# Every activation's and loss's notation lives in its registry entry; these read it live.
ACT_TEX = activations.RULES.facet("tex")
DERIV_TEX = activations.RULES.facet("deriv_tex")  # g'(Z) with {z} input, {a} output, {p} parameter
LOSS_TEX = losses.RULES.facet("tex")
LOSS_NAME = losses.RULES.facet("title")


def act_tex(act) -> str:
    rule = act.rule
    if rule.param is not None:  # a parametrized activation shows its parameter: LeakyReLU_{0.1}
        return f"{rule.tex}_{{{fmt(act.param)}}}"
    return rule.tex


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
    if digits == 4:
        return plain_tex(arr.tolist())
    if arr.ndim == 0:
        return fmt(float(arr), digits)
    if arr.ndim == 1:
        arr = arr[:, None]
    rows = [" & ".join(fmt_floats(row, digits)) for row in arr.tolist()]
    return r"\begin{bmatrix}" + r" \\ ".join(rows) + r"\end{bmatrix}"


def plain_tex(value) -> str:
    """num_tex of a plain value (a float, a list, a list of rows, as `.tolist()` gives them)."""
    if not isinstance(value, list):
        return shown(value)
    if value and isinstance(value[0], list):
        body = r" \\ ".join(fmt_rows(value, " & "))
    else:  # a vector is a column
        body = r" \\ ".join(fmt_floats(value))
    return r"\begin{bmatrix}" + body + r"\end{bmatrix}"


def parts_tex(parts: list[dict]) -> str:
    """Join step parts ({"tex": ...} or {"num": ...}) into one LaTeX string."""
    return " ".join(p["tex"] if "tex" in p else num_tex(p["num"]) for p in parts)


def deriv_tex(act, z: str, a: str) -> str:
    """g'(z) for an elementwise activation, in the given symbols (str.replace: LaTeX has braces)."""
    text = act.rule.deriv_tex
    return text.replace("{z}", z).replace("{a}", a).replace("{p}", fmt(act.param or 0))


def vjp_tex(act, a: str, da: str) -> str:
    """The VJP of a non-elementwise activation (softmax's full Jacobian) in the given symbols."""
    return act.rule.vjp_tex.replace("{a}", a).replace("{da}", da)


def transpose(tex: str) -> str:
    """Xᵀ in LaTeX without a double superscript: W^{[2]} -> W^{[2]\\top}."""
    if tex.endswith("]}"):
        return tex[:-1] + r"\top}"
    return tex + r"^{\top}"
