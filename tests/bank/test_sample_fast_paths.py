"""draw_structure skips rng.integers for a range of one value or a single choice (issue 15,
speed): NumPy draws nothing for those, so every later draw, and so every question, is the same."""

from __future__ import annotations

import numpy as np

from quizgen.bank.sample import _between, _one_of


def test_a_fixed_range_leaves_the_stream_as_numpy_leaves_it():
    # guards the assumption the skip rests on: rng.integers(lo, lo + 1) and rng.integers(1)
    # consume no random bits in this NumPy, and the skipping helpers give the same later draws
    for seed in range(50):
        called, skipped = np.random.default_rng(seed), np.random.default_rng(seed)
        a = [int(called.integers(3, 4)), int(called.integers(1, 5)), int(called.integers(1)),
             int(called.integers(2, 3))]
        b = [_between(skipped, 3, 3), _between(skipped, 1, 4), ["relu"].index(_one_of(skipped, ["relu"])),
             _between(skipped, 2, 2)]
        assert a == b
        assert called.integers(0, 2**40, size=4).tolist() == skipped.integers(0, 2**40, size=4).tolist()
        assert called.random() == skipped.random()


def test_one_of_picks_as_the_indexing_draw_did():
    for seed in range(50):
        called, helped = np.random.default_rng(seed), np.random.default_rng(seed)
        options = ["tanh", "sigmoid", "relu"]
        assert options[int(called.integers(len(options)))] == _one_of(helped, options)
