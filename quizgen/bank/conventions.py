"""The notation sentence appended to every network prompt, so each family states one convention.

Ŷ is the prediction and Y the target, ⊙ the only product symbol, the k of a mean squared error is
the number of outputs, and an asked entry's subscripts count row and column from 1. The words
live in the message catalog (bank.toml); the symbols come from the Draft's own context.
"""

from __future__ import annotations

from quizgen.bank.latex import sym
from quizgen.messages import t

BACKWARD_KINDS = {"output_delta", "gradient_entry", "gradient_matrix", "sgd_update", "formula_choice", "find_error",
                  "gradient_check", "multipart"}


def convention_sentence(kind: str, context: dict, problem: dict | None) -> str:
    """'Notation: Ŷ = A^{[2]} is the prediction …, counted from 1.' or '' for a kind without a network."""
    if not problem:
        return ""
    L = len(problem["layers"])
    parts = [t("bank.convention_prediction", output=sym("A", L))]
    if kind in BACKWARD_KINDS:
        parts.append(t("bank.convention_product"))
    if problem.get("loss") == "mse":
        parts.append(t("bank.convention_mse_k", k=context["sizes"][-1]))
    entry = str(context.get("entry") or "").split(",")
    if len(entry) == 2:
        parts.append(t("bank.convention_entry", row=entry[0], col=entry[1]))
    elif entry[0]:
        parts.append(t("bank.convention_entry_one", row=entry[0]))
    return " ".join([t("bank.conventions_lead")] + parts)[:-1] + t("bank.conventions_end")


def with_conventions(prompt: str, kind: str, context: dict, problem: dict | None) -> str:
    sentence = convention_sentence(kind, context, problem)
    return f"{prompt}\n\n{sentence}" if sentence else prompt
