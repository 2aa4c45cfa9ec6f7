"""draw_structure skips rng.integers for a range of one value or a single choice (issue 15,
speed): NumPy draws nothing for those, so every later draw, and so every question, is the same."""

from __future__ import annotations

import numpy as np

from quizgen.bank.sample import _between, one_of


def test_a_fixed_range_leaves_the_stream_as_numpy_leaves_it():
    # guards the assumption the skip rests on: rng.integers(lo, lo + 1) and rng.integers(1)
    # consume no random bits in this NumPy, and the skipping helpers give the same later draws
    for seed in range(50):
        called, skipped = np.random.default_rng(seed), np.random.default_rng(seed)
        a = [int(called.integers(3, 4)), int(called.integers(1, 5)), int(called.integers(1)),
             int(called.integers(2, 3))]
        b = [_between(skipped, 3, 3), _between(skipped, 1, 4), ["relu"].index(one_of(skipped, ["relu"])),
             _between(skipped, 2, 2)]
        assert a == b
        assert called.integers(0, 2**40, size=4).tolist() == skipped.integers(0, 2**40, size=4).tolist()
        assert called.random() == skipped.random()


def testone_of_picks_as_the_indexing_draw_did():
    for seed in range(50):
        called, helped = np.random.default_rng(seed), np.random.default_rng(seed)
        options = ["tanh", "sigmoid", "relu"]
        assert options[int(called.integers(len(options)))] == one_of(helped, options)


def test_draw_indices_draws_what_one_call_per_array_drew():
    """Guards sample.draw_indices (one rng.integers call for a whole network): the same numbers
    as rng.integers(n, size=shape) array after array, and the stream left where they left it,
    for bounds of one value (nothing drawn), small and large ones, and empty arrays."""
    from quizgen.bank.sample import draw_indices

    shapes = [(3, 4), (4,), (2, 2), (1,), (5, 1), (0,), (2, 3)]
    for seed in range(300):
        pick = np.random.default_rng(10_000 + seed)
        bounds = tuple((int(pick.choice([1, 2, 3, 9, 17, 41, 2**31 + 5])), shapes[int(pick.integers(len(shapes)))])
                       for _ in range(int(pick.integers(1, 8))))
        one, each = np.random.default_rng(seed), np.random.default_rng(seed)
        got = draw_indices(one, bounds)
        want = [each.integers(n, size=shape) for n, shape in bounds]
        assert [(g.shape, g.dtype, g.tolist()) for g in got] == [(w.shape, w.dtype, w.tolist()) for w in want]
        assert one.bit_generator.state == each.bit_generator.state


def _network_one_array_at_a_time(family, rng):
    """draw_network as it drew before draw_indices: grid_values array after array (the reference)."""
    from quizgen.bank.sample import draw_structure, grid_values
    from quizgen.bank.spec import GRIDS
    from quizgen.engine.losses import get_loss

    step = GRIDS[family.grid]
    shape = draw_structure(family, rng)
    sizes, m = list(shape.units), shape.batch
    loss = get_loss(shape.loss, family.reduction)

    def draw(name, shape, nonzero=False):
        lo, hi = family.ranges[name]
        return grid_values(rng, lo, hi, step, shape, nonzero)

    arrays = [draw("X", (sizes[0], m), nonzero=True)]
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        arrays.append(draw("W", (n_out, n_in), family.nonzero_weights))
        if family.bias:
            arrays.append(draw("b", (n_out,)))
    k = sizes[-1]
    if family.labels == "one_hot" or loss.rule.one_hot:
        Y = np.zeros((k, m))
        Y[rng.integers(k, size=m), np.arange(m)] = 1.0
    elif family.labels == "binary":
        Y = rng.integers(0, 2, size=(k, m)).astype(float)
    else:
        Y = draw("X", (k, m))
    return arrays + [Y]


def test_draw_network_draws_the_numbers_grid_values_drew_one_array_at_a_time():
    """Guards draw_network's one-call draw: every network family of the shipped bank, many seeds,
    the same X, W, b and Y bit for bit and the stream left at the same place."""
    from dataclasses import replace

    from quizgen.bank.kinds import KINDS
    from quizgen.bank.load import load_bank
    from quizgen.bank.sample import draw_network

    families = [f for f in load_bank(None) if KINDS[f.kind].sized]
    families += [replace(f, labels=labels) for f in families[:6] for labels in ("binary", "values")]
    assert len(families) > 50
    for family in families:
        for seed in range(12):
            new, old = np.random.default_rng(seed), np.random.default_rng(seed)
            net = draw_network(family, new)
            want = _network_one_array_at_a_time(family, old)
            got = [net.X]  # the network keeps every array in the internal orientation the draws are in
            for layer in net.layers:
                got.append(layer.W)
                if layer.b is not None:
                    got.append(layer.b)
            got.append(net.Y)
            assert [(g.shape, g.tobytes()) for g in got] == [(w.shape, w.tobytes()) for w in want], family.id
            assert new.bit_generator.state == old.bit_generator.state, family.id


def test_one_grid_number_is_drawn_as_the_zero_d_array_drew_it():
    """Guards grid_values' scalar draw for shape (): the same number, type and stream as
    points[rng.integers(n, size=())]."""
    from quizgen.bank.sample import grid_points, grid_values

    for seed in range(300):
        new, old = np.random.default_rng(seed), np.random.default_rng(seed)
        for lo, hi, step, nonzero in ((-2, 2, 0.5, True), (0, 0, 1.0, False), (-3, 3, 0.25, False), (1, 1, 0.5, True)):
            got = grid_values(new, lo, hi, step, (), nonzero)
            points = grid_points(float(lo), float(hi), float(step), bool(nonzero))
            want = points[old.integers(points.size, size=())]
            assert type(got) is type(want) and np.shape(got) == np.shape(want) and got.tobytes() == want.tobytes()
        assert new.bit_generator.state == old.bit_generator.state


def test_reach_rules_before_the_backward_pass_reject_the_same_draws_for_the_same_reasons(monkeypatch):
    """solved() checks dead layers and a blind output before the backward pass (issue 15, speed):
    every family draws the same questions, past the same rejected draws with the same reasons,
    as when degenerate.check ran whole after it."""
    from collections import Counter

    from quizgen.bank import degenerate
    from quizgen.bank.generate import draw
    from quizgen.bank.load import load_bank

    families = load_bank()
    now = [(q.to_dict(), reasons) for f in families for q, reasons in [draw(f, i, 0) for i in range(4)]]
    reach, asked = degenerate.check_reach, degenerate.check_asked

    def whole(tape):  # degenerate.check as it was: every rule after the backward pass
        reach(tape)
        asked(tape)

    monkeypatch.setattr(degenerate, "check_reach", lambda tape: None)
    monkeypatch.setattr(degenerate, "check_asked", whole)
    before = [(q.to_dict(), reasons) for f in families for q, reasons in [draw(f, i, 0) for i in range(4)]]
    assert now == before
    assert sum((r for _, r in now), Counter()).total() > 20  # the draws do meet rejections
