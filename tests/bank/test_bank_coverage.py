"""The bank covers what a deep-learning final asks (issue 20): enough families over enough kinds,
every listed topic present, each topic spread over difficulties, and both notations where they apply.

A topic is recognised from what a family asks (its kind and its own table), never from its file name,
so a family moved to another folder still counts and a renamed one cannot fake coverage.
"""

from __future__ import annotations

import pytest

from quizgen.bank.kinds import KINDS
from quizgen.bank.load import load_bank

BANK = load_bank()


def _layer(kind_type):
    return lambda f: f.kind in ("layer_forward", "layer_backward") and f.table.get("type") == kind_type


TOPICS = {
    "computational graph": lambda f: f.kind == "computational_graph",
    "classic sigmoid–sigmoid network, weight by weight": lambda f: f.kind in ("gradient_entry", "sgd_update")
    and f.batch == (1, 1) and f.losses == ("half_sse",) and all(a == ("sigmoid",) for a in f.activations),
    "softmax Jacobian": lambda f: f.kind == "softmax_jacobian",
    "vanishing gradients": lambda f: f.kind == "vanishing_gradient",
    "gradient check: relative error and verdict": lambda f: f.kind == "gradient_check"
    and f.table.get("ask") in ("relative_error", "verdict"),
    "momentum": lambda f: f.kind == "optimizer_step" and f.table.get("rule") == "momentum",
    "RMSProp": lambda f: f.kind == "optimizer_step" and f.table.get("rule") == "rmsprop",
    "Adam": lambda f: f.kind == "optimizer_step" and f.table.get("rule") == "adam",
    "L2 weight decay": lambda f: f.l2 > 0 or (f.kind == "optimizer_step" and "weight_decay" in f.table),
    "dropout": _layer("dropout"),
    "batch normalization": _layer("batchnorm"),
    "dX": lambda f: f.quantity == "dX" and f.kind in ("gradient_entry", "gradient_matrix"),
    "full training iteration": lambda f: f.kind == "training_iteration",
    "parameter counting": lambda f: f.kind == "parameter_count",
    "multi-output sigmoid with binary cross-entropy": lambda f: "bce" in f.losses and f.outputs[1] >= 2,
    "cross-entropy from logits": lambda f: "cross_entropy_logits" in f.losses,
    "1-D convolution": lambda f: f.kind == "conv_pool" and f.table.get("layer") in ("conv", "chain"),
    "max-pool": lambda f: f.kind == "conv_pool" and f.table.get("layer") in ("pool", "chain"),
}


def test_the_bank_holds_at_least_100_families_over_18_kinds():
    assert len(BANK) >= 100, len(BANK)
    used = {f.kind for f in BANK}
    assert len(used) >= 18, sorted(used)
    assert used == set(KINDS), f"kinds no shipped family uses: {sorted(set(KINDS) - used)}"


@pytest.mark.parametrize("topic", sorted(TOPICS))
def test_every_exam_topic_has_families(topic):
    families = [f for f in BANK if TOPICS[topic](f)]
    assert families, f"no family covers {topic}"


def test_the_new_topics_together_span_difficulties_1_to_5():
    new = [f for f in BANK if any(rule(f) for rule in TOPICS.values())]
    assert {f.difficulty for f in new} == {1, 2, 3, 4, 5}

