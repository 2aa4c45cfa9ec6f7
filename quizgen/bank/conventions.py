"""The notation sentence appended to every network prompt, so each family states one convention.

Ŷ is the prediction and Y the target, ⊙ the only product symbol, the k of a mean squared error is
the number of outputs, and an asked entry's subscripts count row and column from 1. The words
live in the message catalog (bank.toml); the symbols come from the Draft's own context.
The sentence stays a text (key and values) in the record; each writer words it.
"""

from __future__ import annotations

from quizgen.bank.latex import sym
from quizgen.messages.text import text

BACKWARD_KINDS = {"output_delta", "gradient_entry", "gradient_matrix", "sgd_update", "formula_choice", "find_error",
                  "gradient_check", "multipart"}
BACKWARD_KINDS |= {"training_iteration"}  # issue 20, training: its steps multiply with ⊙ too


def convention_sentence(kind: str, context: dict, problem: dict | None):
    """'Notation: Ŷ = A^{[2]} is the prediction …, counted from 1.' as a text, or None for a kind
    without a network."""
    if not problem:
        return None
    L = len(problem["layers"])
    parts = [text("bank.convention_prediction", output=sym("A", L))]
    if kind in BACKWARD_KINDS:
        parts.append(text("bank.convention_product"))
    if problem.get("loss") == "mse":
        parts.append(text("bank.convention_mse_k", k=context["sizes"][-1]))
    entry = str(context.get("entry") or "").split(",")
    if len(entry) == 2:
        parts.append(text("bank.convention_entry", row=entry[0], col=entry[1]))
    elif entry[0]:
        parts.append(text("bank.convention_entry_one", row=entry[0]))
    listed = parts[-1]
    for part in reversed(parts[:-1]):  # "a; b; c": each part, then the rest
        listed = text("bank.conventions_next", first=part, rest=listed)
    return text("bank.conventions", parts=listed)


def with_conventions(kind: str, context: dict, problem: dict | None) -> list:
    """The prompt paragraphs the notation adds: its sentence, or none."""
    sentence = convention_sentence(kind, context, problem)
    return [sentence] if sentence else []
