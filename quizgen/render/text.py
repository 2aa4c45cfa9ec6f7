"""Questions and worked solutions as terminal text (LaTeX turned into readable Unicode)."""

from __future__ import annotations

import re
from functools import lru_cache

from pylatexenc.latex2text import LatexNodes2Text

from quizgen.bank.question import Question, shown_steps
from quizgen.messages import t
from quizgen.messages.text import say
from quizgen.render.numbers import matrix_lines, shape_text
from quizgen.render.terminal import clean

_CONVERTER = LatexNodes2Text(math_mode="text", strict_latex_spaces=False)
_MATH = re.compile(r"\$\$(.+?)\$\$|\$(.+?)\$", re.S)


@lru_cache(maxsize=4096)
def tex_text(tex: str) -> str:
    """LaTeX math as plain Unicode (memoized: symbolic forms repeat across variants)."""
    text = _CONVERTER.latex_to_text(tex)
    text = re.sub(r"\b(log|ln|exp)(?=[A-Za-z(])", r"\1 ", text)  # \log a_j -> "log a_j", not "loga_j"
    return re.sub(r"[ \t]+", " ", text).strip()


def markdown_text(markdown: str) -> str:
    """Prompt Markdown with its $...$ math made readable; bold markers dropped."""
    def repl(match: re.Match) -> str:
        if match.group(1) is not None:
            return "\n    " + tex_text(match.group(1)) + "\n"
        return tex_text(match.group(2))

    return _MATH.sub(repl, markdown).replace("**", "")


def value_lines(value, indent: str = "    ") -> list[str]:
    if isinstance(value, (int, float)):
        return [indent + matrix_lines([value])[0].strip("[] ")]
    return [indent + line for line in matrix_lines(value)]


def given_lines(q: Question) -> list[str]:
    lines = []
    for g in q.given:
        label = f"{tex_text(g.latex)}" + (t("terminal.approx") if g.approx else "")
        if isinstance(g.value, (int, float)):
            lines.append(f"  {label} = {value_lines(g.value, '')[0]}")
        else:
            lines.append(f"  {label}:")
            lines += value_lines(g.value, "    ")
    return lines


def choice_lines(q: Question) -> list[str]:
    return [f"  {c.label}) {markdown_text(c.text)}" for c in q.choices]


def step_lines(step, number: int) -> list[str]:
    lines = [t("terminal.step", number=number, title=say(step.title))]
    if step.symbolic:
        lines.append(f"    {tex_text(step.symbolic)}")
    if step.result is not None and step.shape is not None:
        shape = t("terminal.shape", shape=shape_text(step.shape)) if step.shape else ""
        lines.append(f"    ={shape}")
        lines += value_lines(step.result, "      ")
    if step.explanation:
        lines.append(f"    {say(step.explanation)}")
    return lines


def question_text(q: Question) -> str:
    head = t("terminal.head", title=q.title, family=q.family, difficulty=q.difficulty)
    lines = [head, "-" * min(len(clean(head)), 78), markdown_text(q.prompt)]  # as wide as it shows
    if q.given:
        lines += ["", t("terminal.given")] + given_lines(q)
    if q.choices:
        lines += [""] + choice_lines(q)
    return "\n".join(lines)


def solution_text(q: Question) -> str:
    lines = [t("terminal.worked_solution")]
    for i, step in enumerate(shown_steps(q), start=1):
        lines += step_lines(step, i)
    a = q.answer
    if a.precision:
        tol = f" ({say(a.precision['text'])})"
    else:
        tol = t("terminal.tolerance", rtol=f"{a.rtol:g}", atol=f"{a.atol:g}") if a.kind not in ("choice",) else ""
    lines += ["", t("terminal.answer", answer=q.answer.display, tolerance=tol)]
    return "\n".join(lines)
