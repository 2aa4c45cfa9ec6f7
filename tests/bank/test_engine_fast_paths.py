"""The engine's speed paths give the very values of the forms they replace (issue 15: output stays
byte-identical): a backward pass told the one quantity it is read for, engine_distractors'
skipped passes, Distractors for one number in plain floats, clean without a second array."""

from __future__ import annotations

import math

import numpy as np
import pytest

from quizgen.bank.kinds import KINDS, common, precision
from quizgen.bank.kinds.common import Distractors, clean, engine_distractors, make_answer
from quizgen.bank.load import load_bank
from quizgen.bank.question import Answer
from quizgen.bank.sample import Degenerate, draw_network, solved
from quizgen.engine import mistakes
from quizgen.engine.backprop import solve_backward
from quizgen.render.numbers import plain

QUANTITIES = ("dA", "dZ", "dW", "db", "W_new", "b_new")


def _tapes(n_per_family=3):
    """Solved tapes of real drawn networks (every network family of the shipped bank)."""
    out = []
    with np.errstate(all="ignore"):
        for family in load_bank(None):
            if not KINDS[family.kind].sized:  # the kinds that draw a network
                continue
            rng = np.random.default_rng(15)
            for _ in range(n_per_family * 4):
                try:
                    out.append(solved(draw_network(family, rng)))
                except (Degenerate, AttributeError, KeyError, TypeError, ValueError):
                    continue
                if len(out) % n_per_family == 0:
                    break
    assert len(out) > 50
    return out


@pytest.fixture(scope="module")
def tapes():
    return _tapes()


def _same(a, b) -> bool:
    return a is None and b is None or (a is not None and b is not None and np.asarray(a).shape == np.asarray(b).shape
                                       and np.asarray(a).tobytes() == np.asarray(b).tobytes())


def test_a_pass_told_what_it_is_read_for_computes_that_quantity_bit_for_bit(tapes):
    """Guards backprop.backward(need=): the quantity read is the full pass's, every mistake, every layer."""
    with np.errstate(all="ignore"):
        for tape in tapes:
            for mistake in mistakes.CATALOG.values():
                if not mistake.applies(tape.network):
                    continue
                for stop in range(len(tape.layers)):
                    try:
                        full = mistake.backward(tape, stop=stop)
                    except mistakes.NotApplicable:
                        break
                    for need in QUANTITIES:
                        lean = mistake.backward(tape, stop=stop, need=need)
                        assert _same(getattr(full.layers[stop], need), getattr(lean.layers[stop], need)), \
                            (mistake.id, stop, need)
                    if stop == 0:
                        assert _same(full.dX, mistake.backward(tape, need="dX").dX), mistake.id


def _old_engine_distractors(tape, target, answer):
    """engine_distractors as it was written before the lean passes."""
    stop = int(target.split(".")[1]) if target.startswith("layers.") else 0
    found = Distractors(answer)
    for mistake in mistakes.CATALOG.values():
        try:
            value = mistake.backward(tape, stop=stop).value_at(target)
        except (mistakes.NotApplicable, KeyError, IndexError, TypeError):
            continue
        found.add(value, mistake.id)
    return found


def _record(found):
    return [(d.value, d.mistake, d.also, d.tol, d.name, d.explanation) for d in found.kept]


def test_engine_distractors_keep_what_every_full_pass_kept(tapes):
    """Guards engine_distractors: lean passes, passes that lent the answer skipped, applies checked first."""
    checked = 0
    with np.errstate(all="ignore"):
        for tape in tapes:
            for l in range(len(tape.layers)):
                for quantity in QUANTITIES:
                    target = f"layers.{l}.{quantity}"
                    try:
                        value = np.asarray(tape.value_at(target), dtype=float)
                    except (KeyError, AttributeError):
                        continue
                    for entry in (None, (0,) * value.ndim):
                        path, asked = (target, value) if entry is None else (
                            target + "." + ".".join("0" for _ in entry), value[entry])
                        answer = make_answer(asked, precision.precision("sig", 3, precision.CARRY))
                        outcomes = []
                        for build in (_old_engine_distractors, engine_distractors):
                            try:
                                outcomes.append(_record(build(tape, path, answer)))
                            except common.Inseparable as exc:
                                outcomes.append(("inseparable", exc.mistake))
                        assert outcomes[0] == outcomes[1], path
                        checked += 1
            answer = make_answer(np.asarray(tape.value_at("dX"), dtype=float), precision.precision("sig", 3))
            try:
                old = _record(_old_engine_distractors(tape, "dX", answer))
            except common.Inseparable as exc:
                old = ("inseparable", exc.mistake)
            try:
                new = _record(engine_distractors(tape, "dX", answer))
            except common.Inseparable as exc:
                new = ("inseparable", exc.mistake)
            assert old == new
    assert checked > 500


def _values():
    rng = np.random.default_rng(15)
    out = [0.0, -0.0, 0.5, -2.5, 3.0, 12.0, 1e-9, 0.1 + 0.2, 5e-4, -7.25, 1e12, math.inf, math.nan]
    out += [float(x) for x in rng.uniform(-3, 3, 400)]
    out += [float(round(x, 2)) for x in rng.uniform(-3, 3, 200)]
    out += [float(x) * 10.0 ** int(e) for x, e in zip(rng.uniform(-1, 1, 200), rng.integers(-8, 8, 200))]
    return out


def _bits(x) -> bytes:
    return np.float64(x).tobytes()


def test_distractors_of_one_number_match_the_array_form_bit_for_bit():
    """Guards Distractors._one_number: every float the comparisons read, as the 0-d arrays gave it."""
    precisions = [precision.precision("sig", 3, 4), precision.precision("sig", 4), precision.precision("dec", 2, 4),
                  precision.precision("exact")]
    with np.errstate(all="ignore"):
        for p in precisions:
            for x in _values():
                for widen in (0.0, 0.0123, 1e-7):
                    tol = float(precision.tolerance(x, p, widen))
                    fast = Distractors(Answer("number", x, "", "", 0.0, tol, [], p, tol))
                    slow = Distractors(Answer("number", np.float64(x), "", "", 0.0, tol, [], p, np.float64(tol)))
                    assert fast._scalar and slow._scalar and fast._whole == slow._whole, (p, x)
                    assert math.isfinite(x) or isinstance(fast._target, np.ndarray)  # not finite: the array form
                    assert _bits(fast._t) == _bits(slow._t) and _bits(fast._tol) == _bits(slow._tol), (p, x)
                    assert _bits(abs(fast._widen)) == _bits(abs(slow._widen)), (p, x, widen)  # read through abs()
                    assert _bits(fast._fuzz) == _bits(slow._fuzz), (p, x)


def test_clean_without_residue_is_the_list_round_trip_bit_for_bit():
    """Guards common.clean: a copy of the array where plain() finds no residue."""
    rng = np.random.default_rng(15)
    arrays = [rng.uniform(-2, 2, (3, 4)), np.array([0.0, -0.0, 1e-17, 2.0]), np.array(3.5), np.array(-0.0),
              rng.uniform(-2, 2, (4,)).T, rng.uniform(-2, 2, (2, 3)).T, np.array([[1e-20, 1.0], [2.0, 3.0]])]
    for arr in arrays:
        want = np.asarray(plain(arr.tolist()), dtype=float)
        got = clean(arr)
        assert got.shape == want.shape and got.tobytes() == np.ascontiguousarray(want).tobytes()
        assert got is not arr


def _old_add(found, value, mistake_id, strict=True):
    """Distractors.add's array form as it was written before the first-entry test."""
    arr = clean(value)
    if arr.shape != found._shape or not np.isfinite(arr).all():
        return
    off = np.abs(arr - found._target)
    if (off <= found._fuzz).all():
        return
    if (off <= found._tol).all():
        if strict:
            raise common.Inseparable(mistake_id)
        return
    found._keep(arr, found._mine_tol(arr), mistake_id,
                lambda value, tol, mine: common._within(np.abs(arr - value), tol, mine))


def test_distractors_first_entry_test_keeps_and_merges_as_the_array_tests_did():
    """Guards Distractors.add's quick test: the same values kept, merged and refused."""
    rng = np.random.default_rng(15)
    ids = list(mistakes.CATALOG)
    for case in range(300):
        shape = [(3,), (2, 3), (4, 1)][case % 3]
        target = np.round(rng.uniform(-2, 2, shape), int(rng.integers(1, 4)))
        p = [precision.precision("sig", 3, 4), precision.precision("dec", 2, 4), precision.precision("exact")][case % 3]
        answer = make_answer(target, p, widen=float(rng.choice([0.0, 1e-3])))
        new, old = Distractors(answer), Distractors(answer)
        for k in range(12):
            kind = rng.integers(4)
            if kind == 0:
                value = target + rng.normal(0, 1e-4, shape)  # within the tolerance (or the fuzz)
            elif kind == 1 and new.kept:
                value = np.asarray(new.kept[int(rng.integers(len(new.kept)))].value) + rng.normal(0, 2e-3, shape)
            elif kind == 2:
                value = target.copy()
                value.flat[int(rng.integers(value.size))] += rng.choice([-1, 1]) * rng.uniform(0.001, 1)
            else:
                value = target * rng.choice([-1.0, 0.5, 2.0]) + rng.normal(0, 0.05, shape)
            outcomes = []
            for found, add in ((new, Distractors.add), (old, _old_add)):
                try:
                    add(found, value, ids[k % len(ids)], strict=bool(k % 2))
                    outcomes.append(None)
                except common.Inseparable as exc:
                    outcomes.append(exc.mistake)
            assert outcomes[0] == outcomes[1], (case, k)
        assert _record(new) == _record(old), case


def test_a_zero_widening_passed_as_float_gives_the_tolerance_of_the_zero_array():
    """Guards Distractors' `self._widen = 0.0` when every entry's widening is 0: tolerance with a
    float 0.0 (no addition) is tolerance with the array of zeros, bit for bit, for every rule."""
    rng = np.random.default_rng(15)
    rules = [precision.precision("sig", 3), precision.precision("sig", 4), precision.precision("dec", 2),
             precision.precision("exact")]
    for _ in range(3000):
        arr = rng.normal(0.0, 10.0 ** rng.uniform(-6, 4), size=(int(rng.integers(1, 5)), int(rng.integers(1, 5))))
        arr[rng.random(arr.shape) < 0.2] = 0.0
        for p in rules:
            zeros = np.maximum(np.zeros_like(arr) * -1.0, 0.0)  # -0.0s through np.maximum, as __init__ makes them
            assert precision.tolerance(arr, p, zeros).tobytes() == precision.tolerance(arr, p, 0.0).tobytes()


def test_the_whole_number_test_of_a_finite_value_is_whole_bit_for_bit():
    """Guards Distractors._mine_tol's whole-number test on a value add() found finite."""
    from quizgen.bank.kinds.common import _whole

    rng = np.random.default_rng(16)
    for _ in range(3000):
        arr = np.round(rng.normal(0.0, 10.0, size=int(rng.integers(1, 6))) * rng.choice([1, 2, 1000]))
        arr = arr / rng.choice([1.0, 1.0, 2.0, 3.0])
        assert bool((arr == np.rint(arr)).all()) is _whole(arr)
        x = float(arr[0])
        assert x.is_integer() is _whole(x)


def test_engine_distractors_add_all_at_once_as_one_at_a_time_for_every_precision(tapes):
    """Guards Distractors.add_all (engine_distractors' one tolerance call for every wrong value):
    what the passes added one at a time kept, for decimal, exact and carried-sig answers alike."""
    rules = [precision.precision("dec", 3, precision.CARRY), precision.precision("exact"),
             precision.precision("sig", 4, precision.CARRY), precision.precision("sig", 2)]
    checked = 0
    with np.errstate(all="ignore"):
        for tape in tapes[::2]:
            for target in [f"layers.{l}.{q}" for l in range(len(tape.layers)) for q in ("dW", "dZ", "db")] + ["dX"]:
                try:
                    value = np.asarray(tape.value_at(target), dtype=float)
                except (KeyError, AttributeError):
                    continue
                for p in rules:
                    answer = make_answer(value, p, widen=0.0 if p["rule"] == "exact" else 1e-3 * np.abs(value))
                    outcomes = []
                    for build in (_old_engine_distractors, engine_distractors):
                        try:
                            found = build(tape, target, answer)
                            outcomes.append([(d.value, d.mistake, d.also, np.asarray(d.tol).tobytes(), d.name)
                                             for d in found.kept])
                        except common.Inseparable as exc:
                            outcomes.append(("inseparable", exc.mistake))
                    assert outcomes[0] == outcomes[1], (target, p["rule"])
                    checked += 1
    assert checked > 300


def test_stacked_tolerances_are_each_arrays_own_bit_for_bit():
    """Guards Distractors._mine_tols: one tolerance call over stacked arrays gives each array's
    _mine_tol, including stacks where one array's zero sends precision._half down its other
    branch, and widenings of 0.0 or per entry."""
    rng = np.random.default_rng(17)
    rules = [precision.precision("sig", 3, precision.CARRY), precision.precision("dec", 2, precision.CARRY),
             precision.precision("sig", 5)]
    for _ in range(400):
        shape = (int(rng.integers(1, 4)), int(rng.integers(1, 5)))
        target = rng.normal(0.0, 10.0 ** rng.uniform(-4, 3), size=shape)
        arrays = [rng.normal(0.0, 10.0 ** rng.uniform(-4, 3), size=shape) for _ in range(int(rng.integers(1, 9)))]
        for arr in arrays:
            arr[rng.random(shape) < 0.15] = 0.0
        for p in rules:
            widen = rng.choice([0.0, 1e-3]) * np.abs(target)
            answer = make_answer(target, p, widen=widen)
            found = Distractors(answer)
            if found._whole:
                continue
            stacked = found._mine_tols(arrays)
            for arr, row in zip(arrays, stacked):
                assert row.tobytes() == found._mine_tol(arr).tobytes()


def test_make_answer_atol_is_the_largest_tolerance_as_max_gave():
    """Guards make_answer's atol (np.maximum.reduce, tol.max()'s reduction): numbers, vectors, matrices."""
    rng = np.random.default_rng(24)
    rules = [precision.precision("sig", 3, 4), precision.precision("dec", 2, 4), precision.precision("exact")]
    for case in range(600):
        shape = [(), (3,), (2, 3), (4, 1)][case % 4]
        value = np.round(rng.uniform(-3, 3, shape), int(rng.integers(0, 4))) * (-1.0 if case % 5 == 0 else 1.0)
        p = rules[case % 3]
        widen = float(rng.choice([0.0, 1e-3]))
        answer = make_answer(value, p, widen)
        want = float(precision.tolerance(clean(value), p, widen).max())
        assert type(answer.atol) is float and np.float64(answer.atol).tobytes() == np.float64(want).tobytes()
