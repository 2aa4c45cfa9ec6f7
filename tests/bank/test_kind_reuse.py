"""Regression guards for the kinds' shared passes (issue 15, speed): where a kind now reads several
values off one pass, or skips a pass that cannot change anything, it gets the very bits the pass
per value gave. Output stays byte-identical only while these hold."""

from __future__ import annotations

import numpy as np
import pytest
from bankcheck import bits, solved_tapes

from quizgen.bank.kinds import find_error, precision, values
from quizgen.bank.kinds.common import engine_distractors, make_answer
from quizgen.bank.kinds.multipart import Passes
from quizgen.bank.load import load_bank
from quizgen.bank.sample import Degenerate
from quizgen.engine import mistakes, training
from quizgen.engine.backprop import CORRECT

BANK = load_bank("question_bank")
NETWORK_KINDS = ("training_iteration", "multipart", "find_error", "gradient_entry", "gradient_matrix")
FAMILIES = [f for f in BANK if f.kind in NETWORK_KINDS]
TRAINING = [f for f in BANK if f.kind == "training_iteration"]


def tapes(family, count: int = 4):
    return solved_tapes(family, count, seed=15)


def targets(net) -> list[str]:
    out = ["loss", "dX"]
    step = net.learning_rate is not None
    for i, layer in enumerate(net.layers):
        out += [f"layers.{i}.{q}" for q in ("Z", "A", "dA", "dZ", "dW") + (("W_new",) if step else ())]
        if layer.b is not None:
            out += [f"layers.{i}.db"] + ([f"layers.{i}.b_new"] if step else [])
    return out


@pytest.mark.parametrize("family", FAMILIES, ids=lambda f: f.id)
def test_one_carried_tape_gives_what_carried_gives_target_by_target(family):
    """Guards training_iteration.carried and multipart.Passes.carried (one pass per digits)."""
    with np.errstate(all="ignore"):
        for tape in tapes(family, 2):
            net = tape.network
            for digits in (precision.EARLY, precision.CARRY):
                whole = precision.carried_tape(net, digits)
                assert bits(precision.carried_tape(net, digits, gradients=False).loss) == bits(whole.loss)
                for target in targets(net):
                    assert bits(whole.value_at(target)) == bits(precision.carried(net, target, digits)), target


@pytest.mark.parametrize("family", TRAINING, ids=lambda f: f.id)
def test_an_iteration_from_the_solved_tape_is_the_iteration_from_scratch(family):
    """Guards training_iteration's reuse of `solved`'s backward pass (iterate(before=...)) for the
    right pass, every update slip and every backward mistake (its pass reusing the right one)."""
    with np.errstate(all="ignore"):
        for tape in tapes(family):
            net = tape.network
            cases = [(CORRECT, None, tape)] + [(CORRECT, s, tape) for s in training.SLIPS if training.applies(net, s)]
            for mistake in mistakes.CATALOG.values():
                if mistake.applies(net):
                    try:
                        cases.append((mistake.rules(), None, mistake.backward(tape)))
                    except mistakes.NotApplicable:
                        continue
            for rules, slip, before in cases:
                fresh, reused = training.iterate(net, rules, slip), training.iterate(net, slip=slip, before=before)
                assert bits(fresh.after.loss) == bits(reused.after.loss) and fresh.decrease == reused.decrease
                for a, b in zip(fresh.updated.layers, reused.updated.layers):
                    assert bits(a.W) == bits(b.W) and (a.b is None) == (b.b is None)
                    assert a.b is None or bits(a.b) == bits(b.b)


@pytest.mark.parametrize("family", FAMILIES, ids=lambda f: f.id)
def test_distractors_read_off_whole_mistake_passes_are_engine_distractors(family):
    """Guards multipart.Passes: one whole pass per mistake, read by every part, gives each part's
    distractors as a pass stopped at its layer does."""
    p = precision.precision("sig", precision.SIG, precision.CARRY)
    with np.errstate(all="ignore"):
        for tape in tapes(family, 2):
            passes = Passes(tape)
            for i, layer in enumerate(tape.network.layers):
                for q in ("dA", "dZ", "dW") + (("db",) if layer.b is not None else ()):
                    target = f"layers.{i}.{q}"
                    answer = make_answer(np.asarray(tape.value_at(target), dtype=float), p)
                    try:
                        want = [(d.mistake, d.also, d.value, d.tol) for d in engine_distractors(tape, target, answer).kept]
                    except Degenerate:
                        with pytest.raises(Degenerate):
                            passes.distractors(target, answer)
                        continue
                    got = [(d.mistake, d.also, d.value, d.tol) for d in passes.distractors(target, answer).kept]
                    assert got == want, target


@pytest.mark.parametrize("family", [f for f in FAMILIES if f.kind == "find_error"], ids=lambda f: f.id)
def test_a_slip_find_error_does_not_solve_changes_no_value(family):
    """Guards find_error.can_show: a slip made in a layer where it changes no rule leaves every
    quantity of the pass the correct one."""
    with np.errstate(all="ignore"):
        for tape in tapes(family):
            net = tape.network
            for mistake in mistakes.CATALOG.values():
                if not mistake.applies(net):
                    continue
                for only in range(len(net.layers)):
                    if find_error.can_show(mistake, net, only):
                        continue
                    try:
                        wrong = mistake.backward(tape, only=only)
                    except mistakes.NotApplicable:
                        continue
                    for target in targets(net)[1:]:
                        assert bits(wrong.value_at(target)) == bits(tape.value_at(target)), (mistake.id, only, target)


def test_value_step_of_one_number_is_the_array_forms_record():
    """Guards values.value_step's plain-float path (most conv_pool and graph steps)."""
    for x in (0.25, -0.0, 1 / 3, -2.5e-7, 12345.678, np.float64(-0.125), np.float64(0.0)):
        fast = values.value_step("t", "s", [{"tex": "a ="}, {"num": x}], x, "e", shape=[])
        arr = np.asarray(x, dtype=float) + 0.0
        assert type(fast.result) is float and bits(fast.result) == bits(float(arr))
        assert fast.result_display == values.num_tex(arr) and fast.shape == []
