"""Regression guards for the kinds' wave-4 speed changes (issue 15): each fast path gives what the
general path gives, bit for bit, and leaves the random stream where the general path leaves it."""

from __future__ import annotations

import numpy as np

from quizgen.bank.sample import one_of


def test_one_of_is_generator_choice_over_the_entries_and_leaves_the_stream_alike():
    """Guards numeric's entry draw: sample.one_of(rng, flat) draws what rng.choice(flat) draws, nothing more."""
    for seed in range(3000):
        size = 1 + seed % 97
        flat = np.arange(size) * 3 + 1
        general, fast = np.random.default_rng(seed), np.random.default_rng(seed)
        assert int(general.choice(flat)) == int(one_of(fast, flat)), (seed, size)
        assert general.bit_generator.state == fast.bit_generator.state, (seed, size)


def test_softmax_jacobian_plain_number_is_the_array_round_trip():
    """Guards softmax_jacobian._plain: a float part kept as itself is what np.asarray(x).tolist() gives."""
    from quizgen.bank.kinds.softmax_jacobian import _plain

    numbers = [0.25, -0.0, 0.0, 1 / 3, -2.5e-7, 1e300, float("inf"), float("-inf"), np.float64(-0.125),
               np.float64(-0.0), 5e-324]
    for x in numbers:
        want = np.asarray(x, dtype=float).tolist()
        got = _plain(x)
        assert type(got) is type(want) is float and np.float64(got).tobytes() == np.float64(want).tobytes(), x
    nan = _plain(float("nan"))
    assert type(nan) is float and nan != nan
    for x in (3, [0.5, -0.0], [[1.0, 2.5], [-3.0, 0.125]], np.array([[0.1, -0.2]]), np.float32(0.1)):
        assert _plain(x) == np.asarray(x, dtype=float).tolist()


def test_a_multipart_part_box_is_value_box_of_the_question_with_that_answer():
    """Guards multipart.answer_box: each part's box from its answer and the notation, as value_box of
    a copy of the question holding that answer gave it."""
    from dataclasses import replace

    import quizgen.publish as pub
    from quizgen.bank.kinds.base import value_box
    from quizgen.bank.kinds.multipart import answer_box
    from quizgen.bank.load import load_bank

    families = [f for f in load_bank("question_bank") if f.kind == "multipart"]
    assert families
    for family in families:
        for index in range(3):
            q = pub.variant(family, index, 0)
            want = [dict(value_box(replace(q, answer=p.answer)), label=p.label) for p in q.parts]
            assert answer_box(q) == {"kind": "parts", "parts": want}


def test_graph_names_remembered_are_the_names_written():
    """Guards computational_graph's lru_caches on name_tex and partial: a remembered name is the one
    the function writes, for every circuit's nodes."""
    from quizgen.bank.kinds import computational_graph as cg
    from quizgen.engine import graph

    names = sorted({n for c in graph.CIRCUITS.values() for g in c.gates for n in (g.node, *g.args)} | {"x", "w10"})
    for a in names:
        assert cg.name_tex(a) == cg.name_tex.__wrapped__(a)
        for b in names:
            assert cg.partial(a, b) == cg.partial.__wrapped__(a, b)


def test_mistakes_added_together_give_what_one_add_at_a_time_gives(monkeypatch):
    """Guards multipart.Passes.distractors and layer_tape.build adding their mistakes with
    Distractors.add_all (layer_tape in runs of one strictness): every variant, and every rejected
    draw's reason, is what adding them one at a time gave."""
    from quizgen.bank.generate import draw
    from quizgen.bank.kinds.common import Distractors
    from quizgen.bank.load import load_bank

    families = [f for f in load_bank("question_bank") if f.kind in ("multipart", "layer_forward", "layer_backward")]
    assert families

    def outputs():
        out = []
        for family in families:
            for index in range(6):
                q, reasons = draw(family, index, 0)
                out.append((q.to_dict(), sorted((str(r), n) for r, n in reasons.items())))
        return out

    fast = outputs()

    def one_at_a_time(self, values, strict=True):
        for value, mistake_id in values:
            self.add(value, mistake_id, strict)

    monkeypatch.setattr(Distractors, "add_all", one_at_a_time)
    assert outputs() == fast


def test_conv_symbols_remembered_are_the_symbols_written():
    """Guards conv_steps.sub's lru_cache: a remembered symbol is the one sub writes, whether its
    indices came as ints or as NumPy integers (equal keys share one entry)."""
    from quizgen.bank.kinds import conv_steps

    for name in ("x", "w", "z", "p", r"\mathrm{d}z", r"\mathrm{d}x"):
        for idx in ((), (1,), (3,), (1, 2), (2, 10)):
            for form in (idx, tuple(np.int64(i) for i in idx)):
                assert conv_steps.sub(name, *form) == conv_steps.sub.__wrapped__(name, *idx)
                assert conv_steps.sub(name, *form) == conv_steps.sub.__wrapped__(name, *form)
