"""Question kinds: one module each (quizgen/bank/kinds/<kind>.py), registered in `KINDS`.

A kind turns a Family and a seeded rng into a Draft (or raises Degenerate), checks its own family
fields, names its default prompt and tells writers, through the record's `layout`, how to place
and mark its questions. base.py says what a kind is; importing this package registers the
shipped ones.
"""

from quizgen.bank.kinds.base import KINDS, Kind, register, unregister, with_role
from quizgen.bank.kinds import (  # noqa: F401  (each registers itself)
    forward_value, loss_value, output_delta, gradient_entry, gradient_matrix, shapes_table, sgd_update,
    activation_derivative, gradient_check, formula_choice, find_error, multipart,
    optimizer_step, computational_graph, training_iteration, parameter_count,
    layer_forward, layer_backward, softmax_jacobian, vanishing_gradient, conv_pool,
)

__all__ = ["KINDS", "Kind", "register", "unregister", "with_role"]
