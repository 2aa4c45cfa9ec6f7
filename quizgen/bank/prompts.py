"""Default prompt templates per kind (Markdown + LaTeX + Jinja2); a family may override them."""

from __future__ import annotations

import jinja2

NETWORK = (
    "A {{ L }}-layer network in **{{ notation }} notation** is applied to a batch of "
    "m = {{ m }} example{{ 's' if m != 1 }}, with the {{ loss }} loss "
    "({{ 'averaged' if reduction == 'mean' else 'summed' }} over the batch):\n\n$$ {{ network }} $$\n\n"
)

DEFAULTS = {
    "forward_value": NETWORK + "Using the values below, compute ${{ asked }}$.",
    "loss_value": NETWORK + "Using the values below, compute the loss ${{ asked }}$.",
    "output_delta": NETWORK + "Using the values below, compute the output-layer error ${{ asked }}$.",
    "gradient_entry": NETWORK + "Using the values below, compute ${{ asked }}$.",
    "gradient_matrix": NETWORK + "Using the values below, compute the whole gradient ${{ asked }}$.",
    "sgd_update": NETWORK + "Using the values below, take one gradient-descent step with learning "
                            "rate $\\eta = {{ learning_rate }}$ and give ${{ asked }}$.",
    "activation_derivative": "Compute the derivative of {{ activation }} at $z = {{ z }}$, "
                             "that is ${{ asked }}$.",
    "gradient_check": NETWORK + "Check one gradient numerically: with $\\varepsilon = {{ eps }}$, compute the "
                                "central-difference estimate ${{ asked }}$.",
    "shapes_table": "A fully connected network {{ network }} is trained in **{{ notation }} notation** on "
                    "batches of m = {{ m }} examples. Give the shape (rows, columns) of each of {{ asked }}, "
                    "one row per quantity in that order (for example `2 3; 3 1; ...`).",
    "formula_choice": NETWORK + "Which expression equals ${{ asked }}$?",
    "find_error": NETWORK + "A student derived ${{ asked }}$ step by step (below). Exactly one step "
                            "contains a mistake; the steps after it follow correctly from the wrong value. "
                            "Which step is wrong?",
}

_ENV = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=False)
_CACHE: dict[str, jinja2.Template] = {}


def render_prompt(template: str, context: dict) -> str:
    compiled = _CACHE.get(template)
    if compiled is None:
        compiled = _CACHE[template] = _ENV.from_string(template)
    return compiled.render(**context)
