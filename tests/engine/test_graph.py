"""Scalar computational graphs (engine/graph.py): every circuit's backward walk against central
differences, and each catalogued misconception against the value worked out by hand."""

from __future__ import annotations

import numpy as np
import pytest

from quizgen.engine import graph


def central(circuit, inputs, name, h=1e-6):
    up, down = dict(inputs), dict(inputs)
    up[name] += h
    down[name] -= h
    return (graph.output(circuit, up) - graph.output(circuit, down)) / (2 * h)


@pytest.mark.parametrize("name", sorted(graph.CIRCUITS))
def test_every_circuit_backward_matches_central_differences(name):
    """Guards the gate rules: each input's gradient is the slope of f along it."""
    circuit = graph.CIRCUITS[name]
    rng = np.random.default_rng(3)
    checked = 0
    for _ in range(40):
        inputs = {n: float(rng.uniform(0.2, 2.0) if n == "y" and name == "log_exp_sum" else rng.uniform(-2, 2))
                  for n in circuit.inputs}
        for n in circuit.inputs:
            assert graph.gradient(circuit, inputs, n) == pytest.approx(central(circuit, inputs, n), rel=1e-6, abs=1e-7)
            checked += 1
    assert checked >= 80


def test_the_classic_example_by_hand():
    """f = (x + y)z at x = -2, y = 5, z = -4: q = 3, f = -12, ∂f/∂x = ∂f/∂y = -4, ∂f/∂z = 3."""
    c, v = graph.CIRCUITS["sum_times"], {"x": -2.0, "y": 5.0, "z": -4.0}
    grads, visits = graph.backward(c, graph.forward(c, v))
    assert graph.output(c, v) == -12 and (grads["x"], grads["y"], grads["z"]) == (-4, -4, 3)
    assert [vis.gate.node for vis in visits] == ["f", "q"] and visits[1].upstream == -4


def test_max_both_sends_the_gradient_to_the_smaller_input_too():
    """max(x, y)·z at x = 1, y = 3, z = 2: ∂f/∂x is 0, the mistake gives z = 2."""
    c, v = graph.CIRCUITS["max_times"], {"x": 1.0, "y": 3.0, "z": 2.0}
    assert graph.gradient(c, v, "x") == 0 and graph.gradient(c, v, "x", "graph_max_both") == 2


def test_mul_own_input_uses_the_input_itself():
    """(x + y)z at x = -2, y = 5, z = -4: ∂f/∂z is q = 3, the mistake gives z = -4; ∂f/∂x becomes q·1 = 3."""
    c, v = graph.CIRCUITS["sum_times"], {"x": -2.0, "y": 5.0, "z": -4.0}
    assert graph.gradient(c, v, "z", "graph_mul_own_input") == -4
    assert graph.gradient(c, v, "x", "graph_mul_own_input") == 3


def test_fanout_not_summed_keeps_one_path():
    """(xy + x)² at x = 2, y = 1: s = 4, ∂f/∂s = 8; paths 8 (add) + 8·y = 8 → 16; the mistake keeps 8."""
    c, v = graph.CIRCUITS["fanout_square"], {"x": 2.0, "y": 1.0}
    assert graph.gradient(c, v, "x") == 16 and graph.gradient(c, v, "x", "graph_fanout_not_summed") == 8


def test_forgot_upstream_keeps_only_the_local_gradient():
    """(wx + b)² at w = 2, x = 3, b = 1: ∂f/∂w = 2s·x = 42; without upstream it is x = 3."""
    c, v = graph.CIRCUITS["square_residual"], {"w": 2.0, "x": 3.0, "b": 1.0}
    assert graph.gradient(c, v, "w") == 42 and graph.gradient(c, v, "w", "graph_forgot_upstream") == 3


def test_square_no_two_halves_the_gradient():
    c, v = graph.CIRCUITS["square_residual"], {"w": 2.0, "x": 3.0, "b": 1.0}
    assert graph.gradient(c, v, "b", "graph_square_no_two") == 7  # s, not 2s = 14


def test_sigmoid_output_as_local_uses_sigma_itself():
    """σ(t) at t = 0 (all inputs give s = 0, b = 0 is not drawn: use w0 x0 = -w1 x1): local 0.5 not 0.25."""
    c = graph.CIRCUITS["sigmoid_neuron"]
    v = {"w0": 1.0, "x0": 1.0, "w1": 1.0, "x1": -1.0, "b": 0.0}
    assert graph.gradient(c, v, "b") == 0.25 and graph.gradient(c, v, "b", "graph_sigmoid_output_as_local") == 0.5


def test_log_local_is_log_uses_log_s():
    """log(eˣ + y) at x = 0, y = e - 1: s = e, ∂f/∂y = 1/e; the mistake gives log e = 1."""
    c = graph.CIRCUITS["log_exp_sum"]
    v = {"x": 0.0, "y": np.e - 1}
    assert graph.gradient(c, v, "y") == pytest.approx(1 / np.e)
    assert graph.gradient(c, v, "y", "graph_log_local_is_log") == pytest.approx(1.0)


def test_a_max_tie_and_a_log_of_a_negative_refuse():
    """No derivative at a max tie, no log of a non-positive value: the kind redraws on ValueError."""
    with pytest.raises(ValueError):
        graph.gradient(graph.CIRCUITS["max_times"], {"x": 1.0, "y": 1.0, "z": 2.0}, "x")
    with pytest.raises(ValueError):
        graph.output(graph.CIRCUITS["log_exp_sum"], {"x": 0.0, "y": -2.0})


def test_every_misconception_is_catalogued_with_words():
    from quizgen.engine import mistakes
    from quizgen.messages.text import say

    for mid in graph.MISTAKES:
        m = mistakes.describe(mid)
        assert say(m.name) != f"mistakes.{mid}.name" and say(m.explanation, "zh") != say(m.explanation, "en")
