"""degenerate's speed forms give the very bits of the forms they replace (issue 15: the same
draws are rejected, so output stays byte-identical)."""

from __future__ import annotations

import numpy as np

from quizgen.bank.degenerate import _blind, _seeds, _tile
from quizgen.bank.kinds import KINDS
from quizgen.bank.load import load_bank
from quizgen.bank.sample import Degenerate, draw_network, solved


def test_tile_is_fancy_indexing_in_values_and_layout():
    """Guards degenerate._tile: x[:, tiled] for C-, F- and strided inputs of many sizes."""
    rng = np.random.default_rng(15)
    for _ in range(2000):
        n, m, k = (int(x) for x in rng.integers(1, 6, size=3))
        tiled = _seeds(k, m)[1]
        for x in (rng.normal(size=(n, m)), rng.normal(size=(m, n)).T, rng.normal(size=(n, 2 * m))[:, ::2]):
            got, want = _tile(x, tiled), x[:, tiled]
            assert (got.shape, got.strides, got.dtype, got.tobytes()) == (want.shape, want.strides, want.dtype,
                                                                           want.tobytes())


def _blind_fancy(tape):
    """_blind as it was written with fancy indexing (the reference)."""
    net = tape.network
    k, m = tape.output.shape
    da, tiled = _seeds(k, m)
    for layer, t in zip(reversed(net.layers), reversed(tape.layers)):
        inputs = [t.Z] + t.H[:-1]
        for act, z, a in zip(reversed(layer.activations), reversed(inputs), reversed(t.H)):
            da = act.backward(z[:, tiled], a[:, tiled], da)
        da = layer.W.T @ da
    return (np.abs(da) < 1e-12).all(axis=0).reshape(k, m).all(axis=0)


def test_blind_examples_are_the_fancy_indexing_ones():
    """Guards _blind with _tile: every network family of the shipped bank, many draws."""
    checked = 0
    with np.errstate(all="ignore"):
        for family in load_bank(None):
            if not KINDS[family.kind].sized:
                continue
            rng = np.random.default_rng(16)
            for _ in range(8):
                try:
                    tape = solved(draw_network(family, rng))
                except Degenerate:
                    continue
                except (AttributeError, KeyError, TypeError, ValueError):
                    break
                assert _blind(tape).tolist() == _blind_fancy(tape).tolist(), family.id
                checked += 1
    assert checked > 200
