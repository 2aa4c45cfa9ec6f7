"""Worked-solution steps read off the engine's tape, in the problem's notation.

Every number in a step comes from the tape (or from an activation's derivative evaluated by the
engine); the LaTeX around it is the rule in symbols. Column vs row is asked of the Notation once
here (`_rules`); nothing downstream branches on it.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from quizgen.bank.latex import LOSS_TEX, act_tex, deriv_tex, plain_tex, sym, transpose, vjp_tex
from quizgen.bank.question import Step
from quizgen.engine.losses import softmax_of
from quizgen.engine.network import Network, Notation
from quizgen.engine.tape import Tape
from quizgen.messages.text import key_or_words, text
from quizgen.render.numbers import fmt, plain



def _bias(notation: Notation, b: np.ndarray) -> np.ndarray:
    return b[:, None] if notation is Notation.COLUMN else b[None, :]


@lru_cache(maxsize=256)
def _rules(n: Notation, l: int, has_bias: bool) -> dict:
    """The symbolic rules of layer l in notation n (made once per layer; read-only)."""
    Z, W, A0, b = sym("Z", l), sym("W", l), sym("A", l - 1) if l > 1 else "X", sym("b", l)
    dZ, dA0 = sym("dZ", l), sym("dA", l - 1) if l > 1 else r"\mathrm{d}X"
    plus = f" + {b}" if has_bias else ""
    if n is Notation.COLUMN:
        return {"Z": f"{Z} = {W} {A0}{plus}", "dW": f"{sym('dW', l)} = {dZ} {transpose(A0)}",
                "db": fr"{sym('db', l)} = \sum_{{i=1}}^{{m}} {dZ}_{{:,i}}",
                "back": f"{dA0} = {transpose(W)} {dZ}", "order": ("W", "A0")}
    return {"Z": f"{Z} = {A0} {W}{plus}", "dW": f"{sym('dW', l)} = {transpose(A0)} {dZ}",
            "db": fr"{sym('db', l)} = \sum_{{i=1}}^{{m}} {dZ}_{{i,:}}",
            "back": f"{dA0} = {dZ} {transpose(W)}", "order": ("A0", "W")}


# Stretchy brackets around matrices are parts of their own, so every tex part is valid LaTeX.
OPEN, CLOSE = {"tex": r"\left("}, {"tex": r"\right)"}


def _floats(value) -> tuple:
    """A value as the record holds it (plain floats, float noise written 0) and its shape."""
    arr = np.asarray(value, dtype=float)
    return plain(arr.tolist()), arr.shape


# A step's result is often the next step's input (Z, then σ(Z); dZ, then dW = dZ·Aᵀ): about two
# in five arrays a question's steps show were typeset a moment before. Each array's record value
# and LaTeX are kept by its bits (shape and bytes: -0.0 and 0.0 differ), and every caller gets a
# list of its own. Bounded (entries, and the size of each array kept), per process.
_TYPESET: dict[tuple, tuple] = {}
_TYPESET_MAX = 4096
_TYPESET_SIZE = 64  # entries of the largest array kept (a bank's are far smaller; a problem file's may not be)


def _typeset(value) -> tuple:
    """_floats of a value plus its LaTeX (plain_tex), memoised: (record value, LaTeX, shape).
    A value with no float noise (most) is kept as None: its record value is the array's own
    `.tolist()`, which makes the caller a fresh list in C, cheaper than copying a kept one."""
    arr = np.asarray(value, dtype=float)
    if arr.size > _TYPESET_SIZE:
        num, shape = _floats(arr)
        return num, plain_tex(num), shape
    key = (arr.shape, arr.tobytes())
    known = _TYPESET.get(key)
    if known is None:
        if len(_TYPESET) >= _TYPESET_MAX:
            _TYPESET.clear()
        entries = arr.tolist()
        num = plain(entries)  # `entries` itself when nothing is noise
        tex = plain_tex(num)
        if num is entries:
            _TYPESET[key] = (None, tex)
            return num, tex, arr.shape
        _TYPESET[key] = (num, tex)
        return _fresh(num), tex, arr.shape
    num = known[0]
    return (arr.tolist() if num is None else _fresh(num)), known[1], arr.shape


def _fresh(v):
    """A copy of a record value's lists (floats are shared: they are immutable); a value typeset
    is a number, a vector or a matrix (plain_tex writes nothing deeper)."""
    if type(v) is not list:
        return v
    return list(map(list, v)) if v and type(v[0]) is list else v[:]


def short_name(loss: str):
    """A loss as a step's sentence names it ("the cross entropy of each example"): engine.toml."""
    return key_or_words(f"engine.loss_short.{loss}", loss.replace("_", " "))


class StepWriter:
    """Builds Step records for one solved network."""

    def __init__(self, tape: Tape, values_only: bool = False):
        self.tape = tape
        self.values_only = values_only  # results alone, nothing typeset: for comparing derivations
        self.net: Network = tape.network
        self.n = self.net.notation
        self.L = len(self.net.layers)

    # -- helpers -------------------------------------------------------------------------
    def o(self, arr):
        # most values are the tape's arrays already: asarray's call skipped for them
        return self.n.orient(arr if type(arr) is np.ndarray else np.asarray(arr))

    def step(self, title, symbolic, parts, result, explanation) -> Step:
        if self.values_only:
            value, shape = _floats(result)
            return Step(title, symbolic, "", [], value, "", list(shape), explanation)
        # every number is converted to plain floats once, then typeset from them (noise shows as 0)
        kept, texts = [], []
        for p in parts:
            if "tex" in p:
                kept.append(p)
                texts.append(p["tex"])
            else:
                num, tex, _ = _typeset(p["num"])
                kept.append({"num": num})
                texts.append(tex)
        value, tex, shape = _typeset(result)
        return Step(
            title=title,
            symbolic=symbolic,
            substituted=" ".join(texts),
            parts=kept,
            result=value,
            result_display=tex,
            shape=list(shape),
            explanation=explanation,
        )

    def chain_names(self, l: int) -> list[str]:
        k = len(self.net.layers[l - 1].activations)
        if k == 1:
            return [sym("A", l)]
        inner = [sym("H", l, str(j)) if k > 2 else sym("H", l) for j in range(1, k)]
        return inner + [sym("A", l)]

    # -- forward -------------------------------------------------------------------------
    def forward_layer(self, l: int, through_activation: bool = True) -> list[Step]:
        layer, t = self.net.layers[l - 1], self.tape.layers[l - 1]
        r = _rules(self.n, l, layer.b is not None)
        W, A0 = self.o(layer.W), self.o(t.A_prev)
        factors = [W, A0] if r["order"] == ("W", "A0") else [A0, W]
        parts = [{"tex": f"{sym('Z', l)} ="}, {"num": factors[0]}, {"num": factors[1]}]
        if layer.b is not None:
            parts += [{"tex": "+"}, {"num": _bias(self.n, layer.b)}]
        prev = text("steps.prev_input") if l == 1 else text("steps.prev_layer", layer=l - 1)
        steps = [self.step(text("steps.pre_activation", layer=l), r["Z"], parts, self.o(t.Z),
                           text("steps.pre_activation_why_bias" if layer.b is not None else "steps.pre_activation_why",
                                prev=prev, layer=l))]
        if not through_activation:
            return steps
        names = self.chain_names(l)
        source, source_val = sym("Z", l), t.Z
        for act, h, name in zip(layer.activations, t.H, names):
            f, title = act_tex(act), act.title  # the title is a text read twice: made once
            how = "steps.activation_why" if act.elementwise else "steps.activation_why_per_example"
            parts = [{"tex": f"{name} = {f}"}, OPEN, {"num": self.o(source_val)}, CLOSE]
            steps.append(self.step(text("steps.activation", act=title, layer=l), f"{name} = {f}({source})",
                                   parts, self.o(h), text(how, act=title)))
            source, source_val = name, h
        return steps

    def forward(self, upto: int | None = None) -> list[Step]:
        steps = []
        for l in range(1, (upto or self.L) + 1):
            steps += self.forward_layer(l)
        return steps

    def loss_step(self) -> Step:
        loss = self.net.loss
        red = r"\frac{1}{m}\sum_{i=1}^{m}" if loss.reduction == "mean" else r"\sum_{i=1}^{m}"
        symbolic = f"J = {red} " + LOSS_TEX[loss.name].replace("a_j", "a_{ji}").replace("y_j", "y_{ji}")
        parts = [{"tex": r"J = \mathcal{L}"}, OPEN, {"num": self.o(self.tape.output)},
                 {"tex": ","}, {"num": self.o(self.net.Y)}, CLOSE]
        how = "steps.loss_why_mean" if loss.reduction == "mean" else "steps.loss_why_sum"
        data = loss.value(self.tape.output, self.net.Y) if self.net.l2 else self.tape.loss  # J without the penalty
        return self.step(text("steps.loss"), symbolic, parts, data,
                         text(how, loss=short_name(loss.name), m=self.net.m))

    def loss_steps(self) -> list[Step]:
        """J worked out: from the logits by log-sum-exp, the data loss, then any L2 penalty."""
        steps = self.log_sum_exp_steps() if self.net.loss.rule.from_logits else [self.loss_step()]
        return steps + self.penalty_steps() if self.net.l2 else steps

    def log_sum_exp_steps(self) -> list[Step]:
        """−log softmax(z)_y = log Σ e^z − z_y = log Σ e^z̃ − z̃_y with z̃ = z − max z: no e^z overflows."""
        net, Z, Y = self.net, self.tape.output, self.net.Y  # the logits, (k, m)
        top = Z.max(axis=0)  # (m,)
        shifted = Z - top  # (k, m), every entry ≤ 0
        lse = np.log(np.exp(shifted).sum(axis=0))  # (m,) log Σ e^z̃ = log Σ e^z − max z
        true = (Y * shifted).sum(axis=0)  # (m,) the true class's shifted logit
        red = r"\frac{1}{m}\sum_{i=1}^{m}" if net.loss.reduction == "mean" else r"\sum_{i=1}^{m}"
        data = net.loss.value(Z, Y)
        return [
            self.step(text("steps.logits.shift"), rf"\tilde{{z}}_{{ji}} = z_{{ji}} - \max_{{j}} z_{{ji}}",
                      # the maxima as a row (column notation) or a column (row notation): one per example
                      [{"tex": r"\tilde{Z} ="}, {"num": self.o(Z)}, {"tex": "-"}, {"num": self.o(top[None, :])}],
                      self.o(shifted), text("steps.logits.shift_why", largest=fmt(float(Z.max())))),
            self.step(text("steps.logits.lse"), r"s_i = \log\sum_{j} e^{\tilde{z}_{ji}}",
                      [{"tex": r"s = \log\sum_j \exp"}, OPEN, {"num": self.o(shifted)}, CLOSE], lse,
                      text("steps.logits.lse_why")),
            self.step(text("steps.logits.loss"), rf"J = {red} \left(s_i - \tilde{{z}}_{{y_i i}}\right)",
                      [{"tex": (rf"J = \frac{{1}}{{{net.m}}} \sum_i" if net.loss.reduction == "mean" else r"J = \sum_i")},
                       OPEN, {"num": lse}, {"tex": "-"}, {"num": true}, CLOSE], data,
                      text("steps.logits.loss_why_mean" if net.loss.reduction == "mean" else "steps.logits.loss_why_sum",
                           m=net.m)),
        ]

    def penalty_steps(self) -> list[Step]:
        """(λ/2m) Σ_l ‖W_l‖², then J = data loss + penalty."""
        net = self.net
        lam, mean = net.l2, net.loss.reduction == "mean"
        squares = [float((layer.W ** 2).sum()) for layer in net.layers]
        penalty = self.tape.loss - net.loss.value(self.tape.output, net.Y)
        norms = " + ".join(rf"\lVert {sym('W', l)} \rVert^2" for l in range(1, self.L + 1))
        parts: list = [{"num": lam}, {"tex": rf"/ (2 \cdot {net.m}) \cdot (" if mean else r"/ 2 \cdot ("}]
        for i, sq in enumerate(squares):
            parts += ([{"tex": "+"}] if i else []) + [{"num": sq}]
        parts.append({"tex": ")"})
        coefficient = r"\frac{\lambda}{2m}" if mean else r"\frac{\lambda}{2}"
        data = net.loss.value(self.tape.output, net.Y)
        return [
            self.step(text("steps.l2.penalty"), rf"{coefficient} \left({norms}\right)", parts, penalty,
                      text("steps.l2.penalty_why", lam=fmt(lam))),
            self.step(text("steps.l2.total"), rf"J = J_{{\text{{data}}}} + {coefficient} \sum_{{l}} \lVert W^{{[l]}} \rVert^2",
                      [{"num": data}, {"tex": "+"}, {"num": penalty}], self.tape.loss, text("steps.l2.total_why")),
        ]

    # -- backward ------------------------------------------------------------------------
    def output_steps(self) -> list[Step]:
        """dJ/dA of the output, then back through the output layer's activation chain."""
        L, net = self.L, self.net
        layer, t = net.layers[-1], self.tape.layers[-1]
        over_m = r"\frac{1}{m}" if net.loss.reduction == "mean" else ""
        last = layer.activations[-1]
        names = self.chain_names(L)
        shortcut = net.loss.pairs_with(last)  # the loss's registry entry names its paired output
        steps = []
        k = len(layer.activations)
        if shortcut:
            target = sym("dZ", L) if k == 1 else r"\mathrm{d}" + names[-2]
            value = t.dZ if k == 1 else t.dH[-2]
            why = {"softmax": text("steps.shortcut_softmax"), "sigmoid": text("steps.shortcut_sigmoid"),
                   "identity": text("steps.shortcut_identity")}[last.name]
            steps.append(self.step(
                text("steps.output_error"), f"{target} = {over_m}\\left({sym('A', L)} - Y\\right)",
                [{"tex": f"{target} = {over_m}"}, OPEN, {"num": self.o(t.A)}, {"tex": "-"}, {"num": self.o(net.Y)},
                 CLOSE],
                self.o(value), text("steps.output_error_why_mean" if over_m else "steps.output_error_why",
                                    shortcut=why, layer=L)))
            chain = list(range(k - 2, -1, -1))
        else:
            steps.append(self.loss_gradient_step())
            chain = list(range(k - 1, -1, -1))
        steps += self.activation_steps(L, chain)
        return steps

    def loss_gradient_step(self) -> Step:
        """dA of the output layer: the loss differentiated with respect to the network's output."""
        L, net, t = self.L, self.net, self.tape.layers[-1]
        if net.loss.rule.from_logits:  # dA = (softmax(A) − Y)/m, the softmax of the logits shown
            over_m = r"\frac{1}{m}" if net.loss.reduction == "mean" else ""
            return self.step(
                text("steps.loss_gradient"),
                fr"{sym('dA', L)} = {over_m}\left(\mathrm{{softmax}}({sym('A', L)}) - Y\right)",
                [{"tex": f"{sym('dA', L)} = {over_m}"}, OPEN, {"num": self.o(softmax_of(t.A))}, {"tex": "-"},
                 {"num": self.o(net.Y)}, CLOSE],
                self.o(t.dA), text("steps.logits.gradient_why_mean" if over_m else "steps.logits.gradient_why"))
        return self.step(
            text("steps.loss_gradient"), fr"{sym('dA', L)} = \frac{{\partial J}}{{\partial {sym('A', L)}}}",
            [{"tex": f"{sym('dA', L)} ="}, {"num": self.o(t.dA)}],
            self.o(t.dA), text("steps.loss_gradient_why_mean" if net.loss.reduction == "mean"
                               else "steps.loss_gradient_why", loss=short_name(net.loss.name)))

    def activation_steps(self, l: int, chain: list[int]) -> list[Step]:
        layer, t = self.net.layers[l - 1], self.tape.layers[l - 1]
        names = self.chain_names(l)
        steps = []
        for j in chain:
            act = layer.activations[j]
            z_name = sym("Z", l) if j == 0 else names[j - 1]
            z_val = t.Z if j == 0 else t.H[j - 1]
            out = r"\mathrm{d}" + z_name if j else sym("dZ", l)
            upstream = r"\mathrm{d}" + names[j] if j < len(names) - 1 else sym("dA", l)
            up_val = t.dH[j]
            result = t.dZ if j == 0 else t.dH[j - 1]
            title = act.title  # a text read twice: made once
            if act.elementwise:
                deriv = act.derivative(z_val, t.H[j])
                d_tex = deriv_tex(act, z_name, names[j])
                symbolic = f"{out} = {upstream} \\odot \\left({d_tex}\\right)"
                parts = [{"tex": f"{out} ="}, {"num": self.o(up_val)}, {"tex": r"\odot"}, {"num": self.o(deriv)}]
                why = text("steps.back_through_why", act=title, at=self._plain(z_name))
            else:
                symbolic = f"{out} = " + vjp_tex(act, names[j], upstream)  # softmax: the full Jacobian
                parts = [{"tex": f"{out} ="}, {"num": self.o(result)}]
                why = text("steps.back_through_softmax_why")
            steps.append(self.step(text("steps.back_through", act=title, layer=l), symbolic, parts, self.o(result), why))
        return steps

    @staticmethod
    @lru_cache(maxsize=1024)  # a few dozen symbol names, met in every backward step
    def _plain(tex: str) -> str:
        return tex.replace("^{[", "").replace("]}", "").replace("_{", "").replace("}", "").replace("\\mathrm{d}", "d")

    def propagate_step(self, l: int) -> Step:
        """dA of layer l from dZ of layer l + 1."""
        nxt, t = self.net.layers[l], self.tape.layers[l]
        r = _rules(self.n, l + 1, nxt.b is not None)
        W, dZ = self.o(nxt.W), self.o(t.dZ)
        factors = [{"num": W.T}, {"num": dZ}] if self.n is Notation.COLUMN else [{"num": dZ}, {"num": W.T}]
        return self.step(text("steps.propagate", layer=l), r["back"],
                         [{"tex": f"{sym('dA', l)} ="}] + factors, self.o(self.tape.layers[l - 1].dA),
                         text("steps.propagate_why", weights=l + 1))

    def weight_step(self, l: int) -> Step:
        layer, t = self.net.layers[l - 1], self.tape.layers[l - 1]
        r = _rules(self.n, l, layer.b is not None)
        dZ, A0 = self.o(t.dZ), self.o(t.A_prev)
        factors = [{"num": dZ}, {"num": A0.T}] if self.n is Notation.COLUMN else [{"num": A0.T}, {"num": dZ}]
        if self.net.l2:  # dW = dZ·Aᵀ + (λ/m)·W
            over = rf"/ {self.net.m} \cdot" if self.net.loss.reduction == "mean" else r"\cdot"
            coefficient = r"\frac{\lambda}{m}" if self.net.loss.reduction == "mean" else r"\lambda"
            return self.step(text("steps.l2.weight_gradient", layer=l), rf"{r['dW']} + {coefficient} {sym('W', l)}",
                             [{"tex": f"{sym('dW', l)} ="}] + factors + [{"tex": "+"}, {"num": self.net.l2},
                                                                        {"tex": over}, {"num": self.o(layer.W)}],
                             self.o(t.dW), text("steps.l2.weight_gradient_why", lam=fmt(self.net.l2)))
        return self.step(text("steps.weight_gradient", layer=l), r["dW"], [{"tex": f"{sym('dW', l)} ="}] + factors,
                         self.o(t.dW), text("steps.weight_gradient_why"))

    def bias_step(self, l: int) -> Step:
        t = self.tape.layers[l - 1]
        r = _rules(self.n, l, True)
        return self.step(text("steps.bias_gradient", layer=l), r["db"],
                         [{"tex": fr"{sym('db', l)} = \sum_i"}, {"num": self.o(t.dZ)}], t.db,
                         text("steps.bias_gradient_why"))

    def dx_step(self) -> Step:
        layer, t = self.net.layers[0], self.tape.layers[0]
        r = _rules(self.n, 1, layer.b is not None)
        W, dZ = self.o(layer.W), self.o(t.dZ)
        factors = [{"num": W.T}, {"num": dZ}] if self.n is Notation.COLUMN else [{"num": dZ}, {"num": W.T}]
        return self.step(text("steps.input_gradient"), r["back"], [{"tex": r"\mathrm{d}X ="}] + factors,
                         self.o(self.tape.dX), text("steps.input_gradient_why"))

    def sgd_step(self, l: int, quantity: str) -> Step:
        layer, t = self.net.layers[l - 1], self.tape.layers[l - 1]
        eta = fmt(self.net.learning_rate)
        if quantity == "W_new":
            return self.step(text("steps.sgd_weights", layer=l), f"{sym('W', l)} \\leftarrow {sym('W', l)} - \\eta\\, {sym('dW', l)}",
                             [{"num": self.o(layer.W)}, {"tex": f"- {eta}"}, {"num": self.o(t.dW)}],
                             self.o(t.W_new), text("steps.sgd_why", eta=eta))
        return self.step(text("steps.sgd_bias", layer=l), f"{sym('b', l)} \\leftarrow {sym('b', l)} - \\eta\\, {sym('db', l)}",
                         [{"num": layer.b}, {"tex": f"- {eta}"}, {"num": t.db}], t.b_new,
                         text("steps.sgd_why", eta=eta))

    def backward_to(self, l: int, quantity: str) -> list[Step]:
        """Output error down to `quantity` of layer l (dA, dZ, dW, db, W_new, b_new or dX)."""
        if quantity == "dA" and l == self.L:  # before any shortcut: dA is not yet (A − Y)/m
            return [self.loss_gradient_step()]
        steps = self.output_steps()
        for j in range(self.L - 1, l - 1, -1):
            steps.append(self.propagate_step(j))
            if quantity == "dA" and j == l:
                return steps
            steps += self.activation_steps(j, list(range(len(self.net.layers[j - 1].activations) - 1, -1, -1)))
        if quantity in ("dW", "W_new"):
            steps.append(self.weight_step(l))
        if quantity in ("db", "b_new"):
            steps.append(self.bias_step(l))
        if quantity in ("W_new", "b_new"):
            steps.append(self.sgd_step(l, quantity))
        if quantity == "dX":
            steps.append(self.dx_step())
        return steps
