"""Worked steps of the conv_pool kind: one line per entry, each with the numbers it adds up, so a
student can check every line (and tests recompute each from its shown numbers).

Indices shown count from 1; the arrays are indexed from 0. Sequences are rows: x (c, n), z (1, n_z).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from quizgen.bank.kinds.values import value_step
from quizgen.messages.text import text

D = r"\mathrm{d}"


def signed(x: float) -> list[dict]:
    """A number as a part, in parentheses when negative (2 · (−1), not 2 · −1)."""
    return [{"tex": "("}, {"num": x}, {"tex": ")"}] if x < 0 else [{"num": x}]


@lru_cache(maxsize=1024)  # speed: the same few dozen symbols in every variant (several per line)
def sub(name: str, *idx: int) -> str:
    """x_{3}, w_{2,1}: a symbol with 1-based indices."""
    return f"{name}_{{{','.join(str(i) for i in idx)}}}"


def products(lhs: str, terms: list[tuple[str, float, str, float]], extra: tuple[str, float] | None, value: float):
    """(symbolic, parts) of lhs = Σ a·b (+ c) = value; terms are (symbol a, a, symbol b, b)."""
    if not terms and extra is None:
        return f"{lhs} = 0", [{"tex": f"{lhs} ="}, {"num": 0.0}]
    symbolic = " + ".join(f"{sa}\\, {sb}" for sa, _, sb, _ in terms)
    parts: list[dict] = [{"tex": f"{lhs} ="}]
    for n, (_, a, _, b) in enumerate(terms):
        if n:
            parts.append({"tex": "+"})
        parts += signed(a) + [{"tex": r"\cdot"}] + signed(b)
    if extra is not None:
        symbolic = f"{symbolic} + {extra[0]}" if symbolic else extra[0]
        parts += ([{"tex": "+"}] if terms else []) + signed(extra[1])
    return f"{lhs} = {symbolic}", parts + [{"tex": "="}, {"num": value}]


def conv_forward(x, w, b, stride: int, z, only: int | None = None) -> list:
    """z_i = Σ_c Σ_j w_{c,j}·x_{c,(i−1)s+j} + b, one step per output entry (or entry `only`)."""
    c_in, k = w.shape[1], w.shape[2]
    steps = []
    for i in range(z.shape[1]) if only is None else [only]:
        terms = [(sub("w", *((c + 1,) if c_in > 1 else ()), j + 1), w[0, c, j],
                  sub("x", *((c + 1,) if c_in > 1 else ()), i * stride + j + 1), x[c, i * stride + j])
                 for c in range(c_in) for j in range(k)]
        symbolic, parts = products(sub("z", i + 1), terms, ("b", float(b[0])) if b is not None else None, z[0, i])
        steps.append(value_step(text("kinds.conv_z_title", i=i + 1), symbolic, parts, z[0, i],
                                text("kinds.conv_z_explanation", start=i * stride + 1), shape=[], role="forward"))
    return steps


def conv_dw(x, dz, stride: int, dw, dz_name: str = "z") -> list:
    """dw_{c,j} = Σ_i dz_i·x_{c,(i−1)s+j}, one step per kernel entry."""
    c_in, k = dw.shape[1], dw.shape[2]
    steps = []
    for c in range(c_in):
        for j in range(k):
            idx = (c + 1, j + 1) if c_in > 1 else (j + 1,)
            terms = [(sub(D + dz_name, i + 1), dz[0, i], sub("x", *idx[:-1], i * stride + j + 1), x[c, i * stride + j])
                     for i in range(dz.shape[1])]
            symbolic, parts = products(sub(D + "w", *idx), terms, None, dw[0, c, j])
            steps.append(value_step(text("kinds.conv_dw_title", entry=",".join(map(str, idx))), symbolic, parts,
                                    dw[0, c, j], text("kinds.conv_dw_explanation"), shape=[], role="backward"))
    return steps


def conv_db(dz, db, dz_name: str = "z") -> list:
    """db = Σ_i dz_i."""
    terms = [sub(D + dz_name, i + 1) for i in range(dz.shape[1])]
    parts: list[dict] = [{"tex": f"{D}b ="}]
    for n, v in enumerate(dz[0]):
        parts += ([{"tex": "+"}] if n else []) + signed(v)
    parts += [{"tex": "="}, {"num": db[0]}]
    return [value_step(text("kinds.conv_db_title"), f"{D}b = " + " + ".join(terms), parts, db[0],
                       text("kinds.conv_db_explanation"), shape=[], role="backward")]


def conv_dx(w, dz, stride: int, dx, dz_name: str = "z") -> list:
    """dx_{c,q} = Σ over the outputs i whose window covers q of dz_i·w_{c, q−(i−1)s}."""
    c_in, k = w.shape[1], w.shape[2]
    steps = []
    for c in range(c_in):
        for q in range(dx.shape[1]):
            idx = (c + 1, q + 1) if c_in > 1 else (q + 1,)
            terms = [(sub(D + dz_name, i + 1), dz[0, i], sub("w", *idx[:-1], q - i * stride + 1), w[0, c, q - i * stride])
                     for i in range(dz.shape[1]) if 0 <= q - i * stride < k]
            symbolic, parts = products(sub(D + "x", *idx), terms, None, dx[c, q])
            key = "kinds.conv_dx_explanation" if terms else "kinds.conv_dx_none_explanation"
            steps.append(value_step(text("kinds.conv_dx_title", entry=",".join(map(str, idx))), symbolic, parts,
                                    dx[c, q], text(key), shape=[], role="backward"))
    return steps


def length(n: int, k: int, s: int, value: int) -> list:
    symbolic = r"n_{z} = \left\lfloor (n - k) / s \right\rfloor + 1"
    parts = [{"tex": r"n_{z} = \lfloor ("}, {"num": float(n)}, {"tex": "-"}, {"num": float(k)}, {"tex": ") /"},
             {"num": float(s)}, {"tex": r"\rfloor + 1 ="}, {"num": float(value)}]
    return [value_step(text("kinds.conv_length_title"), symbolic, parts, float(value),
                       text("kinds.conv_length_explanation"), shape=[], role="shape")]


def pool_forward(x, k: int, stride: int, p, name: str = "x", out: str = "p") -> list:
    """p_i = max of window i, one step per window."""
    steps = []
    for i in range(p.shape[1]):
        window = range(i * stride, i * stride + k)
        symbolic = f"{sub(out, i + 1)} = \\max(" + ", ".join(sub(name, q + 1) for q in window) + ")"
        parts: list[dict] = [{"tex": f"{sub(out, i + 1)} = \\max("}]
        for n, q in enumerate(window):
            parts += ([{"tex": ","}] if n else []) + [{"num": x[0, q]}]
        parts += [{"tex": ") ="}, {"num": p[0, i]}]
        steps.append(value_step(text("kinds.pool_p_title", i=i + 1), symbolic, parts, p[0, i],
                                text("kinds.pool_p_explanation", i=i + 1, first=window[0] + 1, last=window[-1] + 1),
                                shape=[], role="forward"))
    return steps


def pool_backward(x, k: int, stride: int, dp, dx, name: str = "x") -> list:
    """dx_q = Σ of dp_i over the windows i whose (first) maximum sits at q, one step per position."""
    n_p = dp.shape[1]
    winner = [i * stride + int(np.argmax(x[0, i * stride:i * stride + k])) for i in range(n_p)]
    steps = []
    for q in range(x.shape[1]):
        wins = [i for i in range(n_p) if winner[i] == q]
        lhs = sub(D + name, q + 1)
        parts: list[dict] = [{"tex": f"{lhs} ="}]
        for n, i in enumerate(wins):  # one term needs no brackets: da_2 = −0.5
            parts += ([{"tex": "+"}] if n else []) + (signed(dp[0, i]) if len(wins) > 1 else [{"num": dp[0, i]}])
        if wins:
            parts += [{"tex": "="}]
        parts += [{"num": dx[0, q]}]
        symbolic = f"{lhs} = " + (" + ".join(sub(D + "p", i + 1) for i in wins) if wins else "0")
        if len(wins) > 1:
            explanation = text("kinds.pool_dx_many_explanation", windows=", ".join(str(i + 1) for i in wins))
        elif wins:
            explanation = text("kinds.pool_dx_one_explanation", window=wins[0] + 1)
        else:
            explanation = text("kinds.pool_dx_none_explanation")
        steps.append(value_step(text("kinds.pool_dx_title", entry=q + 1, name=name), symbolic, parts, dx[0, q],
                                explanation, shape=[], role="backward"))
    return steps


def relu_forward(z, a) -> list:
    # each tex part is typeset on its own: a stretchy bracket is a part of its own
    parts = [{"tex": r"a = \max"}, {"tex": r"\left("}, {"tex": "0,"}, {"num": z.tolist()}, {"tex": r"\right)"},
             {"tex": "="}, {"num": a.tolist()}]
    return [value_step(text("kinds.conv_relu_title"), r"a = \max(0, z)", parts, a,
                       text("kinds.conv_relu_explanation"), role="forward")]


def relu_backward(da, z, dz) -> list:
    gate = (z > 0).astype(float)
    parts = [{"tex": rf"{D}z = {D}a \odot [z > 0] ="}, {"num": da.tolist()}, {"tex": r"\odot"},
             {"num": gate.tolist()}, {"tex": "="}, {"num": dz.tolist()}]
    return [value_step(text("kinds.conv_relu_back_title"), rf"{D}z = {D}a \odot [z > 0]", parts, dz,
                       text("kinds.conv_relu_back_explanation"), role="backward")]


def _window_2d(k: int, stride: int, i: int, j: int) -> list[tuple[int, int]]:
    return [(i * stride + r, j * stride + c) for r in range(k) for c in range(k)]


def pool_forward_2d(x, k: int, stride: int, p) -> list:
    """p_{i,j} = max of the k × k window (i, j), one step per window; x (1, h, w)."""
    steps = []
    for i, j in np.ndindex(*p.shape[1:]):
        cells = _window_2d(k, stride, i, j)
        lhs = sub("p", i + 1, j + 1)
        parts: list[dict] = [{"tex": f"{lhs} = \\max("}]
        for n, (r, c) in enumerate(cells):
            parts += ([{"tex": ","}] if n else []) + [{"num": x[0, r, c]}]
        parts += [{"tex": ") ="}, {"num": p[0, i, j]}]
        symbolic = f"{lhs} = \\max(" + ", ".join(sub("x", r + 1, c + 1) for r, c in cells) + ")"
        steps.append(value_step(text("kinds.pool_p_title", i=f"({i + 1}, {j + 1})"), symbolic, parts, p[0, i, j],
                                text("kinds.pool_p2_explanation", rows=f"{cells[0][0] + 1}–{cells[-1][0] + 1}",
                                     cols=f"{cells[0][1] + 1}–{cells[-1][1] + 1}"), shape=[], role="forward"))
    return steps


def pool_backward_2d(x, k: int, stride: int, dp, dx) -> list:
    """Each window's dp_{i,j} to its maximum, one step per window; then every other entry is 0."""
    steps = []
    for i, j in np.ndindex(*dp.shape[1:]):
        cells = _window_2d(k, stride, i, j)
        r, c = max(cells, key=lambda rc: x[0, rc[0], rc[1]])  # no ties: the kind rejects them
        lhs = sub(D + "x", r + 1, c + 1)
        parts = [{"tex": f"{lhs} ="}, {"num": dp[0, i, j]}, {"tex": "="}, {"num": dx[0, r, c]}]
        steps.append(value_step(text("kinds.pool_dx2_title", window=f"({i + 1}, {j + 1})"),
                                f"{lhs} = {sub(D + 'p', i + 1, j + 1)}", parts, dx[0, r, c],
                                text("kinds.pool_dx2_explanation", row=r + 1, col=c + 1), shape=[], role="backward"))
    steps.append(value_step(text("kinds.pool_dx2_rest_title"), f"{D}x", [{"tex": f"{D}x ="}, {"num": dx[0].tolist()}],
                            dx[0], text("kinds.pool_dx2_rest_explanation"), role="backward"))
    return steps
