"""conv_pool: a small 1-D convolution, max pooling, or the block conv → ReLU → max pool, done by hand.

A family's [conv] table names the layer, what is asked (the output or one entry of it, dw, db, dx,
or the output length) and the sizes to draw; values come from [values] on its grid. The engine
(engine/layers/conv1d.py, maxpool.py, conv_chain.py) computes the answer and every catalogued slip;
a draw where a slip gives the answer itself, or two slips give one value, is redrawn, so every
variant separates every mistake it offers. No matrices of examples here: the record's notation is
null (a single sequence, rows by position), as for a computational graph.
"""

from __future__ import annotations

import numpy as np

from quizgen.bank.fields import number_range, one_of, own_table
from quizgen.bank.kinds import conv_steps as steps_of
from quizgen.bank.kinds.base import Kind, register
from quizgen.bank.kinds.common import Distractors, Draft, asked_precision, make_answer
from quizgen.bank.kinds.precision import precision
from quizgen.bank.prompts import DEFAULTS
from quizgen.bank.question import Given
from quizgen.bank.sample import Degenerate, grid_values
from quizgen.bank.spec import GRIDS, Family
from quizgen.engine.layers import conv1d, conv_chain, maxpool
from quizgen.messages import t
from quizgen.messages.text import text

KEYS = {"layer", "ask", "n", "k", "stride", "channels", "dims", "pool_k", "pool_stride", "dz"}
ASKS = {"conv": ("z", "z_entry", "dw", "db", "dx", "length"), "pool": ("p", "p_entry", "dx"),
        "chain": ("dw", "db", "dx")}
MAX_N, MAX_N_LENGTH, MAX_K, MAX_STRIDE = 10, 64, 4, 3  # beyond these it is no longer a hand calculation
D = r"\mathrm{d}"
# The slips offered for each (layer, ask); those in OPTIONAL may give the answer itself (then left out).
SLIPS = {("conv", "z"): conv1d.FORWARD_SLIPS, ("conv", "z_entry"): conv1d.FORWARD_SLIPS,
         ("conv", "dw"): conv1d.DW_SLIPS, ("conv", "db"): conv1d.DB_SLIPS, ("conv", "dx"): conv1d.DX_SLIPS,
         ("conv", "length"): conv1d.LENGTH_SLIPS, ("pool", "p"): maxpool.FORWARD_SLIPS,
         ("pool", "p_entry"): maxpool.FORWARD_SLIPS, ("pool", "dx"): maxpool.BACKWARD_SLIPS,
         ("chain", "dw"): ("conv_relu_not_gated", "pool_grad_averaged", "pool_grad_to_all", "conv_dw_flipped"),
         ("chain", "db"): ("conv_relu_not_gated", "pool_grad_averaged", "pool_grad_to_all", "conv_db_one_position"),
         ("chain", "dx"): ("conv_relu_not_gated", "pool_grad_averaged", "pool_grad_to_all", "conv_dx_not_flipped")}
# In the block the ReLU may hide a pooling slip (every loser of a window had z < 0), and only a window of
# zeros lets the gradient reach an off ReLU: there these slips are offered only where they show.
OPTIONAL = {"chain": {"conv_relu_not_gated", "pool_grad_to_all"}}


def _choices(c, key: str, value, low: int, high: int) -> list[int] | None:
    values = value if isinstance(value, list) else [value]
    if not values or len(values) > 8 or not all(isinstance(v, int) and not isinstance(v, bool) and low <= v <= high
                                                for v in values):
        c.add(key, t("kinds.conv_choices", low=low, high=high, value=str(value)[:40]))
        return None
    return values


def _range(raw: dict, key: str, default: list[int]):
    """A [min, max] of whole numbers; one whole number n stands for [n, n]."""
    value = raw.get(key, default)
    return [value, value] if isinstance(value, int) and not isinstance(value, bool) else value


def validate(c, seen: dict) -> None:
    raw = own_table(c, seen.get("table"), "conv", KEYS, "kinds.conv_table", "kinds.conv_unknown_key")
    if raw is None:
        return
    layer = one_of(c, "conv.layer", raw.get("layer"), tuple(ASKS), "layer")
    if layer is None:
        return
    ask = one_of(c, "conv.ask", raw.get("ask"), ASKS[layer], "ask")
    n = number_range(c, "conv.n", _range(raw, "n", [5, 6]), low=2, high=MAX_N_LENGTH if ask == "length" else MAX_N)
    k = number_range(c, "conv.k", _range(raw, "k", [2, 2] if layer == "pool" else [2, 3]), low=1,
                     high=MAX_N_LENGTH if ask == "length" else MAX_K)
    strides = _choices(c, "conv.stride", raw.get("stride", 2 if layer == "pool" else 1), 1, MAX_STRIDE)
    _choices(c, "conv.channels", raw.get("channels", 1), 1, 2 if layer == "conv" and ask not in ("length",) else 1)
    dims = _choices(c, "conv.dims", raw.get("dims", 1), 1, 2 if layer == "pool" and ask in ("p", "dx") else 1)
    if dims and max(dims) == 2 and n and n[1] > 6:
        c.add("conv.n", t("kinds.conv_choices", low=2, high=6, value=str(raw.get("n"))[:40]))
    pool = None
    if layer == "chain":
        pool = (_choices(c, "conv.pool_k", raw.get("pool_k", 2), 1, MAX_K),
                _choices(c, "conv.pool_stride", raw.get("pool_stride", 2), 1, MAX_STRIDE))
    elif "pool_k" in raw or "pool_stride" in raw:
        c.add("conv.pool_k" if "pool_k" in raw else "conv.pool_stride", t("kinds.conv_chain_only"))
    number_range(c, "conv.dz", raw.get("dz", [-2, 2]), integer=False, low=-100, high=100)
    if n and k and k[1] > n[0]:
        c.add("conv.k", t("kinds.conv_kernel_too_long", k=k[1], n=n[0]))
    elif n and k and strides and ask != "length":  # the smallest draw must still give two outputs
        outputs = conv1d.out_length(n[0], k[1], max(strides))
        if pool and all(pool):
            outputs = maxpool.out_length(outputs, max(pool[0]), max(pool[1]))
        if outputs < 2:
            words = dict(n=n[0], k=k[1], s=max(strides))
            c.add("conv.n", t("kinds.conv_too_short_pool", **words) if pool else t("kinds.conv_too_short", **words))


def _pick(rng, value) -> int:
    values = value if isinstance(value, list) else [value]
    return int(values[int(rng.integers(len(values)))])


def _slip_value(layer: str, ask: str, case: dict, slip: str):
    """The asked value a student who makes `slip` computes."""
    if ask == "length":
        return float(conv1d.out_length(case["n"], case["k"], case["s"], slip))
    x, w, b, s, entry = case["x"], case.get("w"), case.get("b"), case["s"], case.get("entry")
    if layer == "conv":
        if ask in ("z", "z_entry"):
            z = conv1d.forward(x, w, b, s, slip)[0]
            return z if entry is None else z[entry]
        dx, dw, db = conv1d.backward(case["dz"], x, w, s, slip, z=case["z"], need=ask)
        if ask == "dw":
            return dw[0, 0] if w.shape[1] == 1 else dw[0]
        return db[0] if ask == "db" else (dx[0] if x.shape[0] == 1 else dx)
    if layer == "pool":
        if ask in ("p", "p_entry"):
            p = maxpool.forward(x, case["k"], s, case["dims"], slip=slip)[0]
            return p if entry is None else p[entry]
        return maxpool.backward(case["dz"], x, case["k"], s, case["dims"], slip=slip)[0]
    tape = conv_chain.run(x, w, b, s, case["pool_k"], case["pool_s"], case["dz"], slip, z=case["z"], need=ask)
    return tape["dw"][0, 0] if ask == "dw" else tape[ask][0]


def _draw(family: Family, rng: np.random.Generator) -> dict:
    raw = family.table
    layer, ask = raw["layer"], raw["ask"]
    step = GRIDS[family.grid]
    n_lo, n_hi = _range(raw, "n", [5, 6])
    n = int(rng.integers(n_lo, n_hi + 1))
    k_lo, k_hi = _range(raw, "k", [2, 2] if layer == "pool" else [2, 3])
    k = int(rng.integers(k_lo, k_hi + 1))
    s = _pick(rng, raw.get("stride", 2 if layer == "pool" else 1))
    c_in, dims = _pick(rng, raw.get("channels", 1)), _pick(rng, raw.get("dims", 1))
    case = {"n": n, "k": k, "s": s, "entry": None, "dims": dims}
    if ask == "length":
        return case
    lo, hi = family.ranges["X"]
    case["x"] = grid_values(rng, lo, hi, step, (c_in,) + (n,) * dims, nonzero=True)  # a 2-D input is n × n
    if layer != "pool":
        lo, hi = family.ranges["W"]
        case["w"] = grid_values(rng, lo, hi, step, (1, c_in, k), nonzero=family.nonzero_weights)
        lo, hi = family.ranges["b"]
        case["b"] = grid_values(rng, lo, hi, step, (1,), nonzero=True) if family.bias else None
    if layer == "chain":
        case["pool_k"], case["pool_s"] = _pick(rng, raw.get("pool_k", 2)), _pick(rng, raw.get("pool_stride", 2))
    return case


def _upstream(rng, family: Family, shape) -> np.ndarray:
    lo, hi = family.table.get("dz", [-2, 2])
    return grid_values(rng, lo, hi, GRIDS[family.grid], shape, nonzero=True)


def build(family: Family, rng: np.random.Generator) -> Draft:
    layer, ask = family.table["layer"], family.table["ask"]
    case = _draw(family, rng)
    n, k, s = case["n"], case["k"], case["s"]
    if conv1d.out_length(n, k, s) < (1 if ask == "length" else 2):
        raise Degenerate("reject.kernel_fits_once", key="conv")
    given = _given_sizes(layer, ask, case)
    # each helper returns its worked steps unwritten (a function): a draw rejected below for its
    # mistakes never typesets them
    if ask == "length":
        count = conv1d.out_length(n, k, s)
        value = float(count)
        steps = lambda: steps_of.length(n, k, s, int(count))  # noqa: E731
    elif layer == "conv":
        value, steps = _conv(family, rng, case, ask)
    elif layer == "pool":
        value, steps = _pool(family, rng, case, ask)
    else:
        value, steps = _chain(family, rng, case, ask)
    value = _row(value)
    if not np.any(value):
        raise Degenerate("reject.asked_value_zero", key="conv")
    asked = precision("exact", whole=True) if ask == "length" else asked_precision(value, True)  # a length is a count
    answer = make_answer(value if value.ndim else float(value), asked)
    if value.shape[:1] == (1,):  # typed as a plain list, as the hint under the box says
        answer.display = answer.display[1:-1]
    found = Distractors(answer)
    for slip in SLIPS[(layer, ask)]:
        wrong = _row(_slip_value(layer, ask, case, slip))
        # np.allclose(wrong, value, rtol=0, atol=1e-9) without its wrappers (both finite: sums of grid products)
        if wrong.shape == value.shape and (np.abs(wrong - value) <= 1e-9).all():
            if slip in OPTIONAL.get(layer, ()) or not _applies(slip, case):
                continue
            raise Degenerate(text("reject.mistake_is_answer", mistake=slip), key="conv")
        found.add(wrong if wrong.ndim else float(wrong), slip)
    if any(d.also for d in found.kept):
        raise Degenerate("reject.mistakes_coincide", key="conv")
    if len(found.kept) < max(family.min_distractors, 1):
        raise Degenerate(text("reject.too_few_distractors", minimum=family.min_distractors), key="min_distractors")
    given += case.get("given", [])
    two = case.get("x") is not None and (case["x"].shape[0] == 2 or case["dims"] == 2)  # channels or a 2-D input
    context = {"network": text(f"kinds.conv_about_{layer}" + ("2" if two else "")),
               **_asked(layer, ask, case.get("entry"))}
    return Draft(answer=answer, steps=steps(), given=given, context=context, distractors=found.kept)


def _row(value) -> np.ndarray:
    """A sequence as a 1 × n row, as the given x is shown (a number stays a number)."""
    arr = np.asarray(value, dtype=float)
    return arr[None, :] if arr.ndim == 1 else arr


def _applies(slip: str, case: dict) -> bool:
    """Whether a slip can be made on this draw at all (a stride slip needs a stride above 1)."""
    if slip in ("conv_stride_ignored", "pool_stride_ignored", "conv_length_stride_ignored"):
        return case["s"] > 1
    if slip == "pool_overlap_overwritten":
        return case["s"] < case["k"]
    if slip == "conv_bias_forgotten":
        return case.get("b") is not None
    return True


def _given_sizes(layer: str, ask: str, case: dict) -> list[Given]:
    if ask == "length":
        return [Given("n", "n", float(case["n"])), Given("k", "k", float(case["k"])), Given("s", "s", float(case["s"]))]
    out = [Given("x", "x", (case["x"] if case["dims"] == 1 else case["x"][0]).tolist())]
    if layer != "pool":
        out.append(Given("w", "w", case["w"][0].tolist()))
        if case.get("b") is not None:
            out.append(Given("b", "b", float(case["b"][0])))
        out.append(Given("s", "s", float(case["s"])))
    else:
        out += [Given("k", "k", float(case["k"])), Given("s", "s", float(case["s"]))]
    if layer == "chain":
        out += [Given("k_p", "k_{p}", float(case["pool_k"])), Given("s_p", "s_{p}", float(case["pool_s"]))]
    return out


def _entry(rng, case: dict, size: int) -> None:
    case["entry"] = int(rng.integers(size))


def _asked(layer: str, ask: str, entry: int | None) -> dict:
    """The prompt's words: what is given ({{ known }}), what to compute and its symbol."""
    if ask == "length":
        return {"known": text("kinds.conv_known_sizes"), "asked_text": text("kinds.conv_ask_length"), "asked": "n_{z}"}
    values = text("kinds.conv_known_values")
    if ask in ("z", "p"):
        return {"known": values, "asked_text": text(f"kinds.conv_ask_{ask}"), "asked": ask}
    if entry is not None:
        return {"known": values, "asked_text": text("kinds.conv_ask_entry"), "asked": f"{ask[0]}_{{{entry + 1}}}"}
    v = ask[1:]
    return {"known": text("kinds.conv_known_dz" if layer == "conv" else "kinds.conv_known_dp"),
            "asked_text": text(f"kinds.conv_ask_{ask}"), "asked": rf"{D}{v} = \partial J / \partial {v}"}


def _conv(family: Family, rng, case: dict, ask: str):
    x, w, b, s = case["x"], case["w"], case["b"], case["s"]
    z = conv1d.forward(x, w, b, s)  # (1, n_z)
    case["z"] = z
    if ask in ("z", "z_entry"):
        if ask == "z_entry":
            _entry(rng, case, z.shape[1])
            return z[0, case["entry"]], lambda: steps_of.conv_forward(x, w, b, s, z, only=case["entry"])
        return z[0], lambda: steps_of.conv_forward(x, w, b, s, z)
    dz = _upstream(rng, family, z.shape)
    case["dz"] = dz
    case["given"] = [Given("dz", f"{D}z", dz.tolist())]
    dx, dw, db = conv1d.backward(dz, x, w, s)
    if ask == "dw":
        return (dw[0, 0] if x.shape[0] == 1 else dw[0]), lambda: steps_of.conv_dw(x, dz, s, dw)
    if ask == "db":
        return db[0], lambda: steps_of.conv_db(dz, db)
    return (dx[0] if x.shape[0] == 1 else dx), lambda: steps_of.conv_dx(w, dz, s, dx)


def _pool(family: Family, rng, case: dict, ask: str):
    x, k, s, dims = case["x"], case["k"], case["s"], case["dims"]
    if maxpool.ties(x, k, s, dims):
        raise Degenerate("reject.pool_tie", key="conv")
    p = maxpool.forward(x, k, s, dims)
    forward = steps_of.pool_forward if dims == 1 else steps_of.pool_forward_2d
    if ask in ("p", "p_entry"):
        if ask == "p_entry":
            _entry(rng, case, p.shape[1])
            i = case["entry"]
            return p[0, i], lambda: forward(x, k, s, p)[i:i + 1]
        return p[0], lambda: forward(x, k, s, p)
    dp = _upstream(rng, family, p.shape)
    case["dz"] = dp
    case["given"] = [Given("dp", f"{D}p", dp[0 if dims == 2 else slice(None)].tolist())]
    dx = maxpool.backward(dp, x, k, s, dims)
    backward = steps_of.pool_backward if dims == 1 else steps_of.pool_backward_2d
    return dx[0], lambda: forward(x, k, s, p) + backward(x, k, s, dp, dx)


def _chain(family: Family, rng, case: dict, ask: str):
    x, w, b, s, pk, ps = case["x"], case["w"], case["b"], case["s"], case["pool_k"], case["pool_s"]
    z = case["z"] = conv1d.forward(x, w, b, s)  # the slips' passes reuse it (no slip changes it)
    if np.any(z == 0):
        raise Degenerate("reject.relu_kink", key="conv")
    a = np.maximum(z, 0.0)
    if maxpool.out_length(a.shape[1], pk, ps) < 2:
        raise Degenerate("reject.window_fits_once", key="conv")
    for i in range(maxpool.out_length(a.shape[1], pk, ps)):  # a tie matters only where the ReLU lets it through
        window = a[0, i * ps:i * ps + pk]
        if window.max() > 0 and np.count_nonzero(window == window.max()) > 1:
            raise Degenerate("reject.pool_tie", key="conv")
    p = maxpool.forward(a, pk, ps)
    dp = _upstream(rng, family, p.shape)
    case["dz"] = dp
    case["given"] = [Given("dp", f"{D}p", dp.tolist())]
    tape = conv_chain.run(x, w, b, s, pk, ps, dp, z=z)
    dz = tape["dz"]
    last = {"dw": lambda: steps_of.conv_dw(x, dz, s, tape["dw"]), "db": lambda: steps_of.conv_db(dz, tape["db"]),
            "dx": lambda: steps_of.conv_dx(w, dz, s, tape["dx"])}[ask]

    def steps():
        return (steps_of.conv_forward(x, w, b, s, z) + steps_of.relu_forward(z, a)
                + steps_of.pool_forward(a, pk, ps, p, name="a")
                + steps_of.pool_backward(a, pk, ps, dp, tape["da"], name="a")
                + steps_of.relu_backward(tape["da"], z, tape["dz"]) + last())

    value = {"dw": tape["dw"][0, 0], "db": tape["db"][0], "dx": tape["dx"][0]}[ask]
    return value, steps


KIND = register(Kind("conv_pool", build, lambda: DEFAULTS["conv_pool"], validate, sized=False, table="conv"))
