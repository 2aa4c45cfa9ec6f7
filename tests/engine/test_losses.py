"""Each loss × reduction: its gradient against finite differences, its value against the formula."""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from quizgen.engine.gradcheck import central_difference
from quizgen.engine.losses import NAMES, REDUCTIONS, Loss, get_loss

CASES = [(name, reduction) for name in NAMES for reduction in REDUCTIONS]


def outputs_and_labels(name: str, rng, k: int, m: int):
    """(a, y), each (k, m), valid for the loss: probabilities for bce, positive outputs for cross_entropy."""
    if name in ("mse", "half_sse"):
        return rng.uniform(-2, 2, (k, m)), rng.uniform(-2, 2, (k, m))
    a = rng.uniform(0.05, 0.95, (k, m))
    if name == "bce":
        return a, rng.choice([0.0, 0.3, 1.0], size=(k, m))
    return a, np.eye(k)[:, rng.integers(0, k, m)]  # one-hot columns


@pytest.mark.parametrize("name, reduction", CASES)
@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), k=st.integers(1, 4), m=st.integers(1, 4))
def test_gradient_is_the_derivative_of_value(name, reduction, seed, k, m):
    loss = get_loss(name, reduction)
    a, y = outputs_and_labels(name, np.random.default_rng(seed), k, m)

    numeric = central_difference(lambda aa: loss.value(aa, y), a.copy())

    np.testing.assert_allclose(loss.gradient(a, y), numeric, rtol=1e-5, atol=1e-7)


# A tiny example worked by hand: k = 2 units, m = 2 examples (columns).
A = np.array([[0.5, 0.25], [0.5, 0.75]])
Y = np.array([[1.0, 0.0], [0.0, 1.0]])
PER_EXAMPLE = {
    "mse": [(0.25 + 0.25) / 2, (0.0625 + 0.0625) / 2],
    "half_sse": [0.5 * (0.25 + 0.25), 0.5 * (0.0625 + 0.0625)],
    "bce": [-(np.log(0.5) + np.log(0.5)), -(np.log(0.75) + np.log(0.75))],
    "cross_entropy": [-np.log(0.5), -np.log(0.75)],
    "cross_entropy_logits": [np.log(2.0), np.log(np.exp(0.25) + np.exp(0.75)) - 0.75],  # A read as logits
}


@pytest.mark.parametrize("name", NAMES)
def test_value_matches_the_hand_formula(name):
    per = np.array(PER_EXAMPLE[name])
    np.testing.assert_allclose(get_loss(name).per_example(A, Y), per, rtol=1e-12)
    assert get_loss(name, "mean").value(A, Y) == pytest.approx(per.sum() / 2, rel=1e-12)
    assert get_loss(name, "sum").value(A, Y) == pytest.approx(per.sum(), rel=1e-12)


def test_mse_divides_by_units_and_half_sse_does_not():
    a, y = np.array([[3.0], [1.0], [0.0]]), np.zeros((3, 1))
    assert get_loss("mse").value(a, y) == pytest.approx(10.0 / 3)
    assert get_loss("half_sse").value(a, y) == pytest.approx(5.0)


def test_local_gradient_rules():
    np.testing.assert_allclose(Loss("mse").local_gradient(A, Y), 2 * (A - Y) / 2)
    np.testing.assert_allclose(Loss("half_sse").local_gradient(A, Y), A - Y)
    np.testing.assert_allclose(Loss("bce").local_gradient(A, Y), -Y / A + (1 - Y) / (1 - A))
    np.testing.assert_allclose(Loss("cross_entropy").local_gradient(A, Y), -Y / A)


def test_scale_is_one_over_m_for_mean_and_one_for_sum():
    assert get_loss("mse", "mean").scale(4) == 0.25
    assert get_loss("mse", "sum").scale(4) == 1.0


def test_zero_label_terms_ignore_saturated_outputs():
    # A label of 0 (cross_entropy) or an exact 0/1 output matching its label (bce) contributes nothing.
    assert get_loss("cross_entropy").value(np.array([[0.0], [1.0]]), np.array([[0.0], [1.0]])) == 0.0
    bce = get_loss("bce")
    a, y = np.array([[1.0], [0.0]]), np.array([[1.0], [0.0]])
    assert bce.value(a, y) == 0.0
    np.testing.assert_array_equal(bce.gradient(a, y), [[-1.0], [1.0]])  # -y/a, (1-y)/(1-a)


def test_problem_with_flags_log_of_zero():
    ce, bce = get_loss("cross_entropy"), get_loss("bce")
    assert "log(0)" in ce.problem_with(np.array([[0.0], [1.0]]), np.array([[1.0], [0.0]]))
    assert ce.problem_with(np.array([[0.0], [1.0]]), np.array([[0.0], [1.0]])) is None
    assert "log(0)" in bce.problem_with(np.array([[1.0]]), np.array([[0.0]]))
    assert "log(0)" in bce.problem_with(np.array([[0.0]]), np.array([[0.5]]))
    assert bce.problem_with(np.array([[0.2]]), np.array([[1.0]])) is None


@pytest.mark.parametrize("label", [-0.5, 1.5, 2.0])
def test_problem_with_flags_bce_labels_outside_unit_interval(label):
    assert get_loss("bce").problem_with(np.array([[0.5]]), np.array([[label]])) == "bce labels must lie in [0, 1]"


@pytest.mark.parametrize("name", ["mse", "half_sse"])
def test_squared_losses_have_no_problem_anywhere(name):
    assert get_loss(name).problem_with(np.array([[0.0, -3.0]]), np.array([[1.0, 7.0]])) is None


def test_get_loss_rejects_unknown_names_and_reductions():
    with pytest.raises(ValueError, match="unknown loss"):
        get_loss("hinge")
    with pytest.raises(ValueError, match="unknown reduction"):
        get_loss("mse", "max")
