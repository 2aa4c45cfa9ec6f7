"""What a printed exam states about its notation, read from its questions' records.

The conventions box (on the cover, or atop page 1) names each notation the version uses with its
forward rule and what W's rows and columns mean, defines n_l, m and k, and the loss's reduction
over the batch. A question whose notation differs from the one
before it carries a notice. Words come from the message catalog (exam.conv_*), each forward rule
from the formula sheet's notation group (templates/exam/formulas.toml), and which notations and
reductions appear from the questions themselves: nothing here is typed per exam.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from markupsafe import Markup

from quizgen.messages import t
from quizgen.present.math import md

if TYPE_CHECKING:
    from quizgen.exam.assemble import Item

NOTATIONS = ("column", "row")


def numbers(found: list[int]) -> str:
    """Question numbers as ranges: [1, 2, 3, 5] -> '1–3, 5'."""
    runs: list[list[int]] = []
    for n in sorted(found):
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs)


def _used(items: list[Item], value) -> dict[str, list[int]]:
    """value(question) -> the question numbers per value, in order of first use (None skipped)."""
    found: dict[str, list[int]] = {}
    for item in items:
        key = value(item.question)
        if key is not None:
            found.setdefault(key, []).append(item.number)
    return found


def _where(found: dict[str, list[int]], key: str) -> str:
    """' (questions 1–4)' when more than one kind is in use, else nothing."""
    if len(found) < 2:
        return ""
    return t("exam.conv_question" if len(found[key]) == 1 else "exam.conv_questions", numbers=numbers(found[key]))


def box(items: list[Item], forward: dict[str, str]) -> list[Markup]:
    """The conventions box's lines for one version; [] when no question has a network."""
    notations = _used(items, lambda q: q.notation if q.notation in NOTATIONS else None)
    problems = [item for item in items if item.question.problem]
    if not notations and not problems:
        return []
    lines = []
    for notation in notations:
        lines.append(t(f"exam.conv_{notation}", where=_where(notations, notation),
                       forward=f"${forward[notation]}$"))
        lines.append(t(f"exam.conv_w_{notation}"))
    lines.append(t("exam.conv_m"))
    lines.append(t("exam.conv_k"))  # whatever the loss: a loss is never named here (its registry knows it)
    reductions = _used(problems, lambda q: q.problem.get("reduction", "mean"))
    for reduction in reductions:
        if reduction in ("mean", "sum"):
            lines.append(t(f"exam.conv_{reduction}", where=_where(reductions, reduction)))
    return [md(line, inline=True) for line in lines]


def notices(items: list[Item], forward: dict[str, str]) -> dict[int, Markup]:
    """Question number -> the notice printed on it: its notation is not the previous question's
    (questions without a notation, such as a formula with no network, are passed over)."""
    found, before = {}, None
    for item in items:
        notation = item.question.notation if item.question.notation in NOTATIONS else None
        if notation is None:
            continue
        if before is not None and notation != before:
            found[item.number] = md(t(f"exam.notice_{notation}", forward=f"${forward[notation]}$"), inline=True)
        before = notation
    return found
