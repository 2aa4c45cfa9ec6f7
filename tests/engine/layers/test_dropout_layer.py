"""The dropout layer type: backward against central differences in both notations and both
conventions, its rules against its protocol functions, and each catalogued mistake's value."""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from quizgen.engine.gradcheck import central_difference
from quizgen.engine.layers import TYPES, evaluate, run
from quizgen.engine.network import Notation

DROPOUT = TYPES["dropout"]


@st.composite
def cases(draw):
    n, m = draw(st.integers(1, 4)), draw(st.integers(1, 5))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    return {"x": rng.normal(size=(n, m)), "mask": rng.integers(0, 2, size=(n, m)).astype(float),
            "dy": rng.normal(size=(n, m)), "p": draw(st.sampled_from([0.2, 0.5, 0.75, 0.8])),
            "convention": draw(st.sampled_from(["inverted", "plain"])), "notation": draw(st.sampled_from(list(Notation)))}


@settings(max_examples=60, deadline=None)
@given(cases())
def test_dropout_backward_matches_central_differences_in_both_notations(case):
    o = case["notation"].orient
    params = {"mask": case["mask"], "p": case["p"], "convention": case["convention"], "mode": "train"}
    # The student's view: arrays in the notation's orientation, converted at the layer's edges.
    x_shown, dy_shown = o(case["x"]).copy(), o(case["dy"])

    def objective(xs):  # J = Σ dy ⊙ y, so dJ/dy = dy
        return float((o(DROPOUT.forward(o(xs), params)[0]) * dy_shown).sum())

    tape = run(DROPOUT, o(x_shown), params, o(dy_shown))
    assert np.allclose(o(tape["dA_prev"]), central_difference(objective, x_shown), atol=1e-7)


@pytest.mark.parametrize("convention", ["inverted", "plain"])
@pytest.mark.parametrize("mode", ["train", "test"])
def test_rules_give_the_protocol_values(convention, mode):
    rng = np.random.default_rng(3)
    x, mask, dy = rng.normal(size=(3, 4)), rng.integers(0, 2, size=(3, 4)).astype(float), rng.normal(size=(3, 4))
    params = {"mask": mask, "p": 0.8, "convention": convention, "mode": mode}
    tape = run(DROPOUT, x, params, dy)
    rules = DROPOUT.rules({"convention": convention, "mode": mode})
    values = evaluate(rules, {"x": x, "mask": mask, "p": 0.8, "dy": dy}, "y")
    assert np.allclose(values["y"], tape["y"])
    if mode == "train":
        assert np.allclose(evaluate(rules, {"x": x, "mask": mask, "p": 0.8, "dy": dy}, "dA_prev")["dA_prev"],
                           tape["dA_prev"])
    else:  # no backward at test time, and the forward pass ignores the mask
        assert "dA_prev" not in rules
        assert np.allclose(tape["y"], x if convention == "inverted" else 0.8 * x)


# One hand-made case: x, a mask with a dropped unit in each row, keep probability p = 0.8 (1/p = 1.25).
X = np.array([[2.0, -1.0], [4.0, 3.0]])
M = np.array([[1.0, 0.0], [0.0, 1.0]])
DY = np.array([[1.0, 2.0], [-2.0, 4.0]])
VALUES = {"x": X, "mask": M, "p": 0.8, "dy": DY}
TRAIN = {"convention": "inverted", "mode": "train"}


def asked(mistake, options, quantity):
    return evaluate(DROPOUT.mistaken(mistake, options), VALUES, quantity)[quantity]


def test_the_hand_case_by_hand():
    rules = DROPOUT.rules(TRAIN)
    assert evaluate(rules, VALUES, "y")["y"].tolist() == [[2.5, 0.0], [0.0, 3.75]]
    assert evaluate(rules, VALUES, "dA_prev")["dA_prev"].tolist() == [[1.25, 0.0], [0.0, 5.0]]


@pytest.mark.parametrize("mistake, options, quantity, value", [
    ("dropout_no_mask", TRAIN, "dA_prev", [[1.25, 2.5], [-2.5, 5.0]]),  # dy / p, through dropped units too
    ("dropout_no_scale", TRAIN, "dA_prev", [[1.0, 0.0], [0.0, 4.0]]),  # dy ⊙ M
    ("dropout_no_scale", TRAIN, "y", [[2.0, 0.0], [0.0, 3.0]]),  # x ⊙ M
    ("dropout_drop_probability", TRAIN, "y", [[10.0, 0.0], [0.0, 15.0]]),  # x ⊙ M / (1 − p) = ×5
    ("dropout_drop_probability", TRAIN, "dA_prev", [[5.0, 0.0], [0.0, 20.0]]),
    ("dropout_mask_at_test", {"convention": "inverted", "mode": "test"}, "y", [[2.5, 0.0], [0.0, 3.75]]),
    ("dropout_mask_at_test", {"convention": "plain", "mode": "test"}, "y", [[2.0, 0.0], [0.0, 3.0]]),
    ("dropout_other_convention", {"convention": "inverted", "mode": "test"}, "y", [[1.6, -0.8], [3.2, 2.4]]),
    ("dropout_other_convention", {"convention": "plain", "mode": "train"}, "dA_prev", [[1.25, 0.0], [0.0, 5.0]]),
    ("dropout_no_scale", {"convention": "plain", "mode": "test"}, "y", X.tolist()),  # forgot ×p at test time
    ("dropout_drop_probability", {"convention": "plain", "mode": "test"}, "y", (0.2 * X).tolist()),
])
def test_each_mistake_gives_its_named_value(mistake, options, quantity, value):
    assert np.allclose(asked(mistake, options, quantity), value)


def test_mistakes_that_do_not_apply_say_so():
    assert DROPOUT.mistaken("dropout_mask_at_test", TRAIN) is None
    assert DROPOUT.mistaken("dropout_no_mask", {"convention": "plain", "mode": "test"}) is None
    assert DROPOUT.mistaken("dropout_no_scale", {"convention": "plain", "mode": "train"}) is None
