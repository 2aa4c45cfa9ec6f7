"""Every activation's backward (its VJP) against central differences of its own forward."""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra.numpy import arrays

from quizgen.engine.activations import Activation, parse_activation
from quizgen.engine.gradcheck import central_difference

SPECS = ["identity", "relu", "leaky_relu", "leaky_relu(0.1)", "sigmoid", "tanh", "softmax",
         "softplus", "elu", "elu(2)"]
KINKED = {"relu", "leaky_relu", "elu"}  # not differentiable at 0 (elu(2) has a corner there)

# Entries at least 1e-3 away from 0, so the finite difference never straddles a kink.
away_from_zero = st.floats(1e-3, 4.0) | st.floats(-4.0, -1e-3)
anywhere = st.floats(-4.0, 4.0)
SHAPES = st.tuples(st.integers(1, 5), st.integers(1, 4))  # (units, m)


@pytest.mark.parametrize("spec", SPECS)
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_backward_is_the_vjp_of_forward(spec, data):
    act = parse_activation(spec)
    shape = data.draw(SHAPES)
    z = data.draw(arrays(float, shape, elements=away_from_zero if act.name in KINKED else anywhere))
    upstream = data.draw(arrays(float, shape, elements=st.floats(-2.0, 2.0)))
    a = act.forward(z)

    numeric = central_difference(lambda zz: float(np.sum(upstream * act.forward(zz))), z.copy())

    np.testing.assert_allclose(act.backward(z, a, upstream), numeric, rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("spec", [s for s in SPECS if s != "softmax"])
def test_derivative_matches_backward_with_unit_upstream(spec):
    act = parse_activation(spec)
    z = np.array([[-2.0, -0.5], [0.5, 3.0]])
    a = act.forward(z)
    np.testing.assert_array_equal(act.backward(z, a, np.ones_like(z)), act.derivative(z, a))


def test_relu_derivative_at_zero_is_zero():
    relu = parse_activation("relu")
    z = np.zeros((3, 2))
    assert np.all(relu.derivative(z, relu.forward(z)) == 0.0)
    assert np.all(relu.backward(z, relu.forward(z), np.ones_like(z)) == 0.0)


def test_forward_values_at_known_points():
    z = np.array([[-2.0], [0.0], [1.0]])
    expected = {
        "identity": [-2.0, 0.0, 1.0],
        "relu": [0.0, 0.0, 1.0],
        "leaky_relu": [-0.02, 0.0, 1.0],
        "leaky_relu(0.1)": [-0.2, 0.0, 1.0],
        "sigmoid": [1 / (1 + np.exp(2.0)), 0.5, 1 / (1 + np.exp(-1.0))],
        "tanh": [np.tanh(-2.0), 0.0, np.tanh(1.0)],
        "softplus": [np.log1p(np.exp(-2.0)), np.log(2.0), np.log1p(np.e)],
        "elu": [np.exp(-2.0) - 1, 0.0, 1.0],
        "elu(2)": [2 * (np.exp(-2.0) - 1), 0.0, 1.0],
    }
    for spec, values in expected.items():
        np.testing.assert_allclose(parse_activation(spec).forward(z)[:, 0], values, rtol=1e-12, err_msg=spec)


def test_parse_activation_reads_names_and_parameters():
    assert parse_activation("relu") == Activation("relu", None)
    assert parse_activation("leaky_relu") == Activation("leaky_relu", 0.01)
    assert parse_activation("leaky_relu(0.1)") == Activation("leaky_relu", 0.1)
    assert parse_activation("elu") == Activation("elu", 1.0)
    assert parse_activation(" elu( 2 ) ") == Activation("elu", 2.0)


@pytest.mark.parametrize("spec", ["relu(2)", "swish", "softmax(1)", "leaky_relu()", "leaky_relu(1e)", "ReLU", "",
                                  None, 3, ["relu"]])
def test_parse_activation_rejects(spec):
    with pytest.raises(ValueError):
        parse_activation(spec)


def test_label_round_trips_through_parse():
    for spec in SPECS:
        assert parse_activation(parse_activation(spec).label) == parse_activation(spec)
    assert parse_activation("leaky_relu(0.1)").label == "leaky_relu(0.1)"
    assert parse_activation("elu(1)").label == "elu"


def test_softmax_columns_sum_to_one():
    rng = np.random.default_rng(0)
    a = parse_activation("softmax").forward(rng.normal(size=(4, 6)) * 5)  # (units, m)
    np.testing.assert_allclose(a.sum(axis=0), np.ones(6), rtol=1e-12)
    assert np.all(a > 0)


def test_softmax_is_stable_for_large_inputs():
    softmax = parse_activation("softmax")
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        a = softmax.forward(np.array([[1000.0, -1000.0], [1000.0, 0.0], [999.0, 1000.0]]))
    e = np.exp(-1.0)
    np.testing.assert_allclose(a[:, 0], [1 / (2 + e), 1 / (2 + e), e / (2 + e)], rtol=1e-12)
    np.testing.assert_allclose(a[:, 1], [0.0, np.exp(-1000.0), 1.0], atol=1e-300)
    assert np.all(np.isfinite(a))


def test_sigmoid_is_stable_for_large_inputs():
    sigmoid = parse_activation("sigmoid")
    with np.errstate(over="raise"):
        a = sigmoid.forward(np.array([[1000.0, -1000.0, 0.0]]))
    np.testing.assert_array_equal(a, [[1.0, 0.0, 0.5]])


# --- Regressions for bugs in quizgen/engine/activations.py (these fail until it is fixed) ----------


def test_label_keeps_every_digit_of_the_parameter():
    """Guards Activation.label: f"{param:g}" kept 6 digits, so Network.to_problem() changed leaky_relu(0.123456789)."""
    act = parse_activation("leaky_relu(0.123456789)")
    assert parse_activation(act.label) == act


@pytest.mark.parametrize("spec", ["leaky_relu(1e999)", "elu(-1e999)"])
def test_parse_activation_rejects_infinite_parameters(spec):
    """Guards parse_activation: float("1e999") is inf, which made the forward pass produce -inf/nan."""
    with pytest.raises(ValueError):
        parse_activation(spec)
