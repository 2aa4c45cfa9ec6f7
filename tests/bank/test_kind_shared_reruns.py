"""Regression guards for the kinds' shared passes, wave 3 (issue 15, speed): a multipart draw
makes each re-run and each short mistake pass once and reads every part's value off it. Output
stays byte-identical only while each read gives the bits the pass per value gave."""

from __future__ import annotations

import copy

import numpy as np
import pytest
from bankcheck import bits, solved_tapes

from quizgen.bank.kinds.gradient_check import probe_of
from quizgen.bank.kinds.multipart import OnceWriter, Passes
from quizgen.bank.load import load_bank
from quizgen.bank.steps import StepWriter
from quizgen.engine import carry, mistakes
from quizgen.engine.gradcheck import network_loss

BANK = load_bank("question_bank")
NETWORKS = [f for f in BANK if f.kind in ("multipart", "gradient_matrix", "find_error")]


def tapes(family, count: int = 3):
    return solved_tapes(family, count, seed=33)


def below(net, index: int) -> list[str]:
    """Every whole-layer target a part at layer index `index` may be followed by."""
    out = []
    for i in range(index, -1, -1):
        out += [f"layers.{i}.{q}" for q in ("dA", "dZ", "dW")]
        if net.layers[i].b is not None:
            out.append(f"layers.{i}.db")
    return out


@pytest.mark.parametrize("family", NETWORKS, ids=lambda f: f.id)
def test_linear_map_off_shared_unit_reruns_is_carry_linear_map(family):
    """Guards Passes.linear_map: one whole re-run per unit vector, read at every later target."""
    with np.errstate(all="ignore"):
        for tape in tapes(family):
            passes = Passes(tape)
            for i in range(len(tape.network.layers)):
                for start in (f"layers.{i}.dA", f"layers.{i}.dZ"):
                    if getattr(tape.layers[i], start[-2:]) is None:
                        continue  # a pass `solved` stopped above this layer
                    after = below(tape.network, i)
                    for target in after[after.index(start) + 1:]:  # what a re-run from `start` makes
                        want = carry.linear_map(tape, start, target)
                        got = passes.linear_map(start, target)
                        assert got.shape == want.shape and bits(got) == bits(want), (start, target)


@pytest.mark.parametrize("family", NETWORKS, ids=lambda f: f.id)
def test_rerun_of_a_wrong_dz_is_carry_carried_at_every_target(family):
    """Guards Passes.rerun_of: one whole re-run per (mistake, start) gives carry.carried's bits."""
    with np.errstate(all="ignore"):
        for tape in tapes(family):
            passes = Passes(tape)
            for mid in mistakes.CATALOG:
                whole = passes.mistake(mid)
                for i in range(len(tape.network.layers)):
                    shared = f"layers.{i}.dZ"
                    try:
                        wrong = whole.value_at(shared)
                    except (AttributeError, KeyError, IndexError, TypeError):
                        continue
                    for target in below(tape.network, i)[2:]:  # below its dA and dZ
                        want = carry.carried(tape, shared, wrong, target)
                        assert bits(passes.rerun_of(mid, shared, wrong, target)) == bits(want), (mid, target)


@pytest.mark.parametrize("family", NETWORKS, ids=lambda f: f.id)
def test_short_pass_made_once_is_the_pass_made_per_part(family):
    """Guards Passes.short: the kept pass of a mistake stopped at a layer is the one a part made."""
    with np.errstate(all="ignore"):
        for tape in tapes(family, 2):
            passes = Passes(tape)
            for mistake in mistakes.CATALOG.values():
                for stop in range(len(tape.network.layers)):
                    try:
                        want = mistake.backward(tape, stop=stop)
                    except (mistakes.NotApplicable, KeyError, IndexError, TypeError):
                        assert passes.short(mistake, stop) is None
                        continue
                    got = passes.short(mistake, stop)
                    for target in [t for t in below(tape.network, stop) if t.startswith(f"layers.{stop}.")]:
                        assert bits(got.value_at(target)) == bits(want.value_at(target)), (mistake.id, target)


@pytest.mark.parametrize("family", NETWORKS, ids=lambda f: f.id)
def test_once_writer_writes_every_backward_to_as_the_step_writer_does(family):
    """Guards multipart.OnceWriter: steps kept from an earlier part's walk are the ones a fresh
    walk writes, for every quantity in any order."""
    with np.errstate(all="ignore"):
        for tape in tapes(family, 2):
            once, fresh = OnceWriter(tape), StepWriter(tape)
            asks = [(l, q) for l in range(len(tape.network.layers), 0, -1) for q in ("dA", "dZ", "dW", "db")
                    if q != "db" or tape.network.layers[l - 1].b is not None]
            for l, q in asks + asks[::-1]:
                got, want = once.backward_to(l, q), fresh.backward_to(l, q)
                assert [repr(s) for s in got] == [repr(s) for s in want], (l, q)


@pytest.mark.parametrize("family", [f for f in BANK if f.kind in ("gradient_check", "gradient_matrix")],
                         ids=lambda f: f.id)
def test_probe_of_nudges_as_a_deep_copy_does(family):
    """Guards gradient_check.probe_of (one copied array instead of copy.deepcopy of the network):
    every nudged loss has the deep copy's bits, and the network itself is left alone."""
    for tape in tapes(family, 2):
        net = tape.network
        before = bits(net.layers[0].W)
        for r, c in np.ndindex(net.layers[0].W.shape):
            deep, probe = copy.deepcopy(net), probe_of(net)
            assert probe.layers[0].W.strides == deep.layers[0].W.strides
            for eps in (0.01, -0.02):
                deep.layers[0].W[r, c] += eps
                probe.layers[0].W[r, c] += eps
                assert bits(network_loss(probe)) == bits(network_loss(deep))
        assert bits(net.layers[0].W) == before


def test_value_step_of_an_array_is_the_record_num_tex_wrote():
    """Guards values.value_step's array path (its entries converted once, shown by plain_tex)."""
    from quizgen.bank.kinds import values

    for x in ([0.25, -0.0, 1 / 3], [[1.5, -2.0], [1e-7, 12345.678]], np.array([[-0.0], [0.125]]),
              np.asarray(0.5), np.asarray(-0.0), [2, 3], np.float32(0.1), [[]]):
        step = values.value_step("t", "s", [{"tex": "a ="}, {"num": x}], x, "e")
        arr = np.asarray(x, dtype=float) + 0.0
        assert step.result_display == values.num_tex(arr)
        assert repr(step.result) == repr(arr.tolist() if arr.ndim else float(arr)) and step.shape == list(arr.shape)


def test_renamed_symbols_memo_is_renamed():
    """Guards training_iteration._renamed_symbols (renamed() kept per formula)."""
    from quizgen.bank.kinds import training_iteration as ti

    for tex in (r"Z^{[1]} = W^{[1]} X + b^{[1]}", r"J = \frac{1}{m}\sum_{i=1}^{m} \ell_i", r"A^{[2]} = \sigma(Z^{[2]})",
                r"H^{[1]}_{2} = \tanh(H^{[1]}_{1})", "J =", "", r"\left("):
        assert ti._renamed_symbols(tex) == ti.renamed(tex) == ti._renamed_symbols(tex)


def test_find_error_right_near_is_close():
    """Guards find_error.Right.near (close's bound on the right result made once per draw)."""
    from quizgen.bank.kinds.common import close
    from quizgen.bank.kinds.find_error import ATOL, RTOL, Right

    rng = np.random.default_rng(5)
    values = [0.0, -0.0, 1.0, -2.5, 1e-3, 0.0105, 3, float("nan"), float("inf"), [0.5, -1.0], [[0.25, 0.0]], [[1.0]], []]
    for _ in range(200):
        base = rng.normal(size=int(rng.integers(1, 4)))
        values.append(base.tolist())
        values.append((base * (1 + rng.choice([0.0, 0.005, 0.011, -0.02]))).tolist())
        values.append(float(base[0]))
        values.append(float(base[0]) + float(rng.choice([0.0, 9e-4, 1.1e-3, 0.02])))
    for right in values[:60]:
        r = Right(right)
        for wrong in values:
            assert r.near(wrong) == close(wrong, right, RTOL, ATOL), (wrong, right)


@pytest.mark.parametrize("family", [f for f in BANK if f.kind == "find_error"], ids=lambda f: f.id)
def test_find_error_skips_only_slips_no_option_can_carry(family):
    """Guards find_error.carried_by: a slip left out is one that fits no step among the options."""
    from quizgen.bank.kinds import find_error

    for tape in tapes(family):
        right = StepWriter(tape).backward_to(family.layer, family.quantity)
        kept = find_error.carried_by(right)
        for mistake in mistakes.CATALOG.values():
            fits = any(find_error.fits(mistake.id, s.title) for s in right[:len(find_error.LABELS)])
            assert (mistake.id in kept) == fits, mistake.id
