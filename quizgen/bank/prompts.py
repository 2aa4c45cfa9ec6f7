"""Default prompts per kind, and the closed placeholder syntax every prompt is written in.

A prompt is Markdown + LaTeX with `{{ name }}` placeholders, nothing more: each placeholder is
replaced by its value as text, in one pass (a value is never expanded again), and only names
the kind provides exist. There are no expressions, filters, conditionals or comments, so a
prompt from a stranger's bank can compute nothing; words that depend on a value ("example" or
"examples") are context values computed in Python (`prompt_context`).
"""

from __future__ import annotations

import re

from quizgen.messages import t

NETWORK = (
    "A {{ L }}-layer network in **{{ notation }} notation** is applied to a batch of "
    "m = {{ m }} {{ examples }}, with the {{ loss }} loss "
    "({{ reduced }} over the batch):\n\n$$ {{ network }} $$\n\n"
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

PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
_OPENER = re.compile(r"\{\{|\{%|\{#")
_SHOWN = 40  # characters of a bad placeholder quoted back in an error


def prompt_context(context: dict) -> dict:
    """The kind's values plus the words a default prompt derives from them."""
    m, reduction = context.get("m"), context.get("reduction")
    return {**context, "examples": "example" if m == 1 else "examples",
            "reduced": "averaged" if reduction == "mean" else "summed"}


def prompt_problems(prompt: str, names) -> list[str]:
    """Every way `prompt` leaves the placeholder syntax, each a one-line 'what is wrong'."""
    problems = []
    pos = 0
    while match := _OPENER.search(prompt, pos):
        line = prompt.count("\n", 0, match.start()) + 1
        if match.group() != "{{":
            problems.append(t("input.prompt_not_template", opener=match.group(), line=line))
            pos = match.end()
            continue
        end = prompt.find("}}", match.end())
        if end < 0:
            problems.append(t("input.prompt_unclosed", line=line))
            break
        whole = PLACEHOLDER.fullmatch(prompt, match.start(), end + 2)
        if whole is None:
            inner = " ".join(prompt[match.end():end].split())
            shown = inner if len(inner) <= _SHOWN else inner[:_SHOWN] + "…"
            problems.append(t("input.prompt_not_placeholder", inner=shown, line=line))
        elif whole.group(1) not in names:
            problems.append(t("input.prompt_unknown", name=whole.group(1), available=", ".join(sorted(names))))
        pos = end + 2
    return problems


def render_prompt(template: str, context: dict) -> str:
    """Each `{{ name }}` replaced by str(its value), once; ValueError for anything else."""
    problems = prompt_problems(template, context)
    if problems:
        raise ValueError(problems[0])
    return PLACEHOLDER.sub(lambda m: str(context[m.group(1)]), template)
