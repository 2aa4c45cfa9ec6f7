"""Question kinds: each turns a Family and a seeded rng into a Draft (or raises Degenerate)."""

from quizgen.bank.kinds import choice, numeric, pointwise

BUILDERS = {
    "forward_value": numeric.build,
    "loss_value": numeric.build,
    "output_delta": numeric.build,
    "gradient_entry": numeric.build,
    "gradient_matrix": numeric.build,
    "sgd_update": numeric.build,
    "activation_derivative": pointwise.activation_derivative,
    "gradient_check": pointwise.gradient_check,
    "shapes_table": pointwise.shapes_table,
    "formula_choice": choice.formula_choice,
    "find_error": choice.find_error,
}
