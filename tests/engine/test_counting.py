"""Parameter counts (engine/counting.py) against hand-counted networks, and each catalogued
counting mistake against the value it is named for."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizgen.engine import counting, mistakes
from quizgen.engine.counting import Layer

MLP = [Layer("dense", 784, 128), Layer("dense", 128, 10)]  # the classic MNIST MLP
CONV = [Layer("conv", 2, 4, kernel=3, length_in=10), Layer("batchnorm", 4, bias=False), Layer("dense", 32, 3)]


def test_mnist_mlp_hand_count():
    """784·128 + 128 + 128·10 + 10 = 101 770."""
    assert counting.total(MLP) == 101_770


def test_conv_batchnorm_dense_hand_count():
    """conv 3·2·4 + 4 = 28, batch norm 2·4 = 8, dense 32·3 + 3 = 99 (32 = 4 channels × length 8)."""
    assert [counting.count(layer) for layer in CONV] == [28, 8, 99]
    assert CONV[0].length_out == 8
    assert counting.total(CONV) == 135


def test_no_bias_dense_is_the_product():
    assert counting.count(Layer("dense", 5, 7, bias=False)) == 35


NAMED = {  # mistake -> (network, inputs, the value it is named for)
    "biases_forgotten": (MLP, 784, 784 * 128 + 128 * 10),
    "in_plus_out": (MLP, 784, (784 + 128) + 128 + (128 + 10) + 10),
    "product_doubled": (MLP, 784, 2 * 784 * 128 + 128 + 2 * 128 * 10 + 10),
    "input_layer_biases": (MLP, 784, 101_770 + 784),
    "bn_running_stats": (CONV, 2, 28 + 16 + 99),
    "conv_as_dense": (CONV, 2, (2 * 10) * (4 * 8) + 4 * 8 + 8 + 99),
    "conv_channels_forgotten": (CONV, 2, 3 * 4 + 4 + 8 + 99),
}


@pytest.mark.parametrize("slip", counting.SLIPS)
def test_each_counting_mistake_gives_its_named_value(slip):
    layers, inputs, want = NAMED[slip]
    assert counting.applies(layers, slip)
    assert counting.total(layers, slip, inputs) == want
    assert mistakes.describe(slip).name["key"] == f"mistakes.{slip}.name"


def test_mistakes_apply_only_where_their_part_exists():
    assert not counting.applies(MLP, "bn_running_stats")
    assert not counting.applies(MLP, "conv_as_dense")
    assert not counting.applies(CONV, "input_layer_biases")  # a conv input is channels, not a dense layer's
    assert not counting.applies([Layer("dense", 3, 2, bias=False)], "biases_forgotten")


@given(st.lists(st.tuples(st.integers(1, 50), st.booleans()), min_size=2, max_size=6))
def test_a_dense_chain_is_the_sum_of_products_plus_units(spec):
    sizes = [n for n, _ in spec]
    bias = spec[0][1]
    layers = [Layer("dense", a, b, bias=bias) for a, b in zip(sizes[:-1], sizes[1:])]
    assert counting.total(layers) == sum(a * b + (b if bias else 0) for a, b in zip(sizes[:-1], sizes[1:]))
