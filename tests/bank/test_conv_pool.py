"""conv_pool families: the answer is what an independent computation from the shown values gives
(NumPy's correlate, central differences), each distractor is the value its named slip gives, every
variant separates every mistake, and the [conv] table is validated."""

from __future__ import annotations

import numpy as np
import pytest

from quizgen.bank.generate import variant
from quizgen.bank.load import load_bank
from quizgen.bank.spec import parse_family
from quizgen.engine.gradcheck import central_difference
from quizgen.engine.layers import conv1d, conv_chain, maxpool
from quizgen.messages.text import say

FAMILIES = [f for f in load_bank("question_bank") if f.kind == "conv_pool"]
VARIANTS = 8


def shown(q) -> dict:
    """The given values by name, as arrays (x and w with a channel axis, as the engine takes them)."""
    g = {v.name: np.asarray(v.value, dtype=float) for v in q.given}
    if "w" in g:
        g["w"] = g["w"][None]  # (c_out = 1, c_in, k)
    return g


def entry_of(q) -> int | None:
    """The asked entry (counted from 1 in the prompt), or None for a whole array."""
    tex = q.steps[-1].symbolic.split("=")[0].strip()
    return int(tex.split("{")[1].rstrip("}")) - 1 if len(q.steps) == 1 and "_{" in tex else None


def evaluate(family, q, slip=None):
    """The asked value from the shown values, with `slip` made."""
    conv, g = family.table, shown(q)
    layer, ask = conv["layer"], conv["ask"]
    if ask == "length":
        return float(conv1d.out_length(int(g["n"]), int(g["k"]), int(g["s"]), slip))
    x, s = g["x"], int(g["s"])
    dims = conv.get("dims", 1)
    if dims == 2:  # one image: the engine takes a channel axis first
        x, g["dp"] = x[None], g["dp"][None]
    if layer == "conv":
        b = g["b"][None] if "b" in g else None
        if ask in ("z", "z_entry"):
            z = conv1d.forward(x, g["w"], b, s, slip)[0]
            return z if ask == "z" else z[entry_of(q)]
        z = conv1d.forward(x, g["w"], b, s)
        dx, dw, db = conv1d.backward(g["dz"], x, g["w"], s, slip, z=z)
        return {"dw": dw[0].squeeze(0) if x.shape[0] == 1 else dw[0], "db": db[0],
                "dx": dx[0] if x.shape[0] == 1 else dx}[ask]
    if layer == "pool":
        k = int(g["k"])
        if ask in ("p", "p_entry"):
            p = maxpool.forward(x, k, s, dims, slip=slip)[0]
            return p if ask == "p" else p[entry_of(q)]
        return maxpool.backward(g["dp"], x, k, s, dims, slip=slip)[0]
    tape = conv_chain.run(x, g["w"], g["b"][None], s, int(g["k_p"]), int(g["s_p"]), g["dp"], slip)
    return {"dw": tape["dw"][0, 0], "db": tape["db"][0], "dx": tape["dx"][0]}[ask]


@pytest.mark.parametrize("family", FAMILIES, ids=lambda f: f.id)
def test_answer_and_each_distractor_come_from_the_shown_values(family):
    for index in range(VARIANTS):
        q = variant(family, index, 0)
        assert q.notation is None and q.problem is None  # one sequence: no orientation to state
        assert np.allclose(evaluate(family, q), q.answer.value, atol=1e-12), q.id
        assert len(q.distractors) >= max(family.min_distractors, 1), q.id
        for d in q.distractors:
            assert not d.also, f"{q.id}: two mistakes share one value"
            assert np.allclose(evaluate(family, q, d.mistake), d.value, atol=1e-12), (q.id, d.mistake)
            assert say(d.name) and say(d.explanation) and say(d.name, "zh") != say(d.name), (q.id, d.mistake)
        assert say(q.prompt, "zh") != say(q.prompt), "the prompt has its zh words"


@pytest.mark.parametrize("family", [f for f in FAMILIES if f.table["layer"] == "conv" and f.table["ask"] != "length"],
                         ids=lambda f: f.id)
def test_convolution_answers_agree_with_numpy_and_central_differences(family):
    for index in range(VARIANTS):
        q = variant(family, index, 0)
        g = shown(q)
        x, w, s = g["x"], g["w"], int(g["s"])
        b = float(g["b"]) if "b" in g else 0.0
        # the forward pass, each channel a NumPy "valid" correlation, then every s-th position
        z = sum(np.correlate(x[c], w[0, c], "valid") for c in range(x.shape[0]))[::s] + b
        ask = family.table["ask"]
        if ask == "z":
            assert np.allclose(z, q.answer.value)
        elif ask == "z_entry":
            assert np.isclose(z[entry_of(q)], q.answer.value)
        else:  # J = Σ dz ⊙ z: its gradient by central differences
            def J(_):
                zz = sum(np.correlate(x[c], w[0, c], "valid") for c in range(x.shape[0]))[::s] + b
                return float(zz @ g["dz"][0])

            numeric = {"dw": lambda: central_difference(J, w)[0], "dx": lambda: central_difference(J, x),
                       "db": lambda: float(g["dz"].sum())}[ask]()
            want = np.asarray(numeric)
            want = want[0] if want.ndim == 2 and want.shape[0] == 1 else want
            assert np.allclose(want, q.answer.value, atol=1e-6), q.id


@pytest.mark.parametrize("family", [f for f in FAMILIES if f.table["layer"] == "chain"], ids=lambda f: f.id)
def test_chain_answers_agree_with_central_differences(family):
    for index in range(VARIANTS):
        q = variant(family, index, 0)
        g = shown(q)
        g["b"] = np.atleast_1d(g["b"])

        def J(_):
            z = conv1d.forward(g["x"], g["w"], g["b"], int(g["s"]))
            return float((maxpool.forward(np.maximum(z, 0), int(g["k_p"]), int(g["s_p"])) * g["dp"]).sum())

        ask = family.table["ask"]
        numeric = central_difference(J, {"dw": g["w"], "db": g["b"], "dx": g["x"]}[ask])
        numeric = numeric[0, 0] if ask == "dw" else numeric[0]
        assert np.allclose(numeric, q.answer.value, atol=1e-6), q.id


def test_an_overlap_family_always_shows_the_overwrite_mistake():
    family = next(f for f in FAMILIES if f.id == "maxpool-backward-overlap")
    for index in range(VARIANTS):
        mistakes = {d.mistake for d in variant(family, index, 0).distractors}
        assert {"pool_overlap_overwritten", "pool_grad_averaged", "pool_grad_to_all"} <= mistakes


BASE = {"title": "t", "difficulty": 1, "source": "s", "kind": "conv_pool"}


@pytest.mark.parametrize("fields, key", [
    ({}, "conv"),
    ({"conv": {"layer": "conv", "ask": "z", "colour": 1}}, "conv.colour"),
    ({"conv": {"layer": "lstm", "ask": "z"}}, "conv.layer"),
    ({"conv": {"layer": "pool", "ask": "dw"}}, "conv.ask"),
    ({"conv": {"layer": "conv", "ask": "z", "n": [3, 4], "k": [4, 4]}}, "conv.k"),
    ({"conv": {"layer": "conv", "ask": "z", "n": [5, 99]}}, "conv.n"),
    ({"conv": {"layer": "conv", "ask": "z", "stride": [1, 9]}}, "conv.stride"),
    ({"conv": {"layer": "conv", "ask": "z", "stride": "2"}}, "conv.stride"),
    ({"conv": {"layer": "pool", "ask": "p", "channels": 2}}, "conv.channels"),
    ({"conv": {"layer": "conv", "ask": "z", "pool_k": 2}}, "conv.pool_k"),
    ({"conv": {"layer": "conv", "ask": "z", "dims": 2}}, "conv.dims"),
    ({"conv": {"layer": "pool", "ask": "dx", "dims": 2, "n": [4, 8]}}, "conv.n"),
    ({"conv": "conv"}, "conv"),
])
def test_the_conv_table_is_validated(fields, key):
    family, errors = parse_family({**BASE, **fields}, "f.toml", "f", "conv")
    assert family is None and key in [e.key for e in errors], [str(e) for e in errors]


def test_a_conv_table_on_another_kind_is_refused():
    _, errors = parse_family({**BASE, "kind": "forward_value", "conv": {"layer": "conv", "ask": "z"}}, "f.toml", "f",
                             "conv")
    assert "conv" in [e.key for e in errors]


def test_one_whole_number_stands_for_a_range():
    family, errors = parse_family({**BASE, "conv": {"layer": "conv", "ask": "z", "n": 5, "k": 2}}, "f.toml", "f", "c")
    assert errors == [] and variant(family, 0, 0).answer.shape == [1, 4]



def test_two_by_two_pooling_routes_each_window_to_its_largest_pixel():
    family = next(f for f in FAMILIES if f.table.get("dims") == 2)
    for index in range(VARIANTS):
        q = variant(family, index, 0)
        x, dp = (np.asarray(next(g.value for g in q.given if g.name == n)) for n in ("x", "dp"))
        dx = np.asarray(q.answer.value)
        for i, j in np.ndindex(*dp.shape):
            block = x[2 * i:2 * i + 2, 2 * j:2 * j + 2]
            r, c = np.unravel_index(np.argmax(block), (2, 2))
            assert dx[2 * i + r, 2 * j + c] == dp[i, j]
            assert np.count_nonzero(dx[2 * i:2 * i + 2, 2 * j:2 * j + 2]) == 1


def test_sizes_too_small_for_two_outputs_are_named_at_check_time():
    """A chain on n = 3 with k = 3 used to exhaust its 200 draws and blame the `network` key."""
    _, errors = parse_family({**BASE, "conv": {"layer": "chain", "ask": "dw", "n": 3, "k": 3}}, "f.toml", "f", "c")
    assert [e.key for e in errors] == ["conv.n"]
    _, errors = parse_family({**BASE, "conv": {"layer": "conv", "ask": "z", "n": 4, "k": 3, "stride": 2}}, "f.toml",
                             "f", "c")
    assert [e.key for e in errors] == ["conv.n"]
