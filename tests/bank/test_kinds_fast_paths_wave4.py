"""Regression guards for the kinds' wave-4 speed changes (issue 15): each fast path gives what the
general path gives, bit for bit, and leaves the random stream where the general path leaves it."""

from __future__ import annotations

import numpy as np

from quizgen.bank.kinds.numeric import pick


def test_pick_is_generator_choice_over_the_entries_and_leaves_the_stream_alike():
    """Guards numeric.pick: rng.choice(flat) draws flat[rng.integers(0, flat.size)], nothing more."""
    for seed in range(3000):
        size = 1 + seed % 97
        flat = np.arange(size) * 3 + 1
        general, fast = np.random.default_rng(seed), np.random.default_rng(seed)
        assert int(general.choice(flat)) == int(flat[pick(fast, size)]), (seed, size)
        assert general.bit_generator.state == fast.bit_generator.state, (seed, size)
