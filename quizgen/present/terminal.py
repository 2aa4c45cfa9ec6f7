"""The view model (present.view) laid out as terminal text, for `show` and `practice`.

The formulas are the ones the pages show (fixed the same way: float noise reads 0), made
readable by render.text; the prose is the same worded text.
"""

from __future__ import annotations

from quizgen.bank.question import Question
from quizgen.messages import t
from quizgen.messages.text import say
from quizgen.present import view as present
from quizgen.present.math import denoise
from quizgen.render.numbers import shape_text
from quizgen.render.terminal import clean
from quizgen.render.width import width
from quizgen.render.text import markdown_text, tex_text, value_lines


def formula(tex: str) -> str:
    """A formula as terminal text (the same LaTeX the pages convert, noise shown as 0)."""
    return tex_text(denoise(tex))


def prose(markdown: str) -> str:
    """Markdown + $math$ as terminal text."""
    return markdown_text(markdown, denoise)


def given_lines(v: present.QuestionView) -> list[str]:
    lines = []
    for g in v.given:
        label = f"{formula(g.latex)}" + (t("terminal.approx") if g.approx else "")
        if isinstance(g.value, (int, float)):
            lines.append(f"  {label} = {value_lines(g.value, '')[0]}")
        else:
            lines.append("  " + t("terminal.given_label", label=label))
            lines += value_lines(g.value, "    ")
    return lines


def choice_lines(v: present.QuestionView) -> list[str]:
    return [f"  {c.label}) {prose(c.text)}" for c in v.choices]


def step_lines(step, number: int | None = None) -> list[str]:
    """A worked step as lines (a present.StepView, or a record Step with its number)."""
    if not isinstance(step, present.StepView):
        step = present.step(step, number)
    lines = [t("terminal.step", number=step.number, title=step.title)]
    symbolic = formula(step.symbolic) if step.symbolic else ""
    if symbolic:
        lines.append(f"    {symbolic}")
    substituted = numbers_line(step, symbolic)
    if substituted:
        lines.append(f"    {substituted}")
    if step.result is not None and step.shape is not None and not (substituted and step.shows_result):
        shape = t("terminal.shape", shape=shape_text(step.shape)) if step.shape else ""
        lines.append(f"    ={shape}")
        lines += value_lines(step.result, "      ")
    if step.explanation:
        lines.append(f"    {step.explanation}")
    return lines


def numbers_line(step: present.StepView, symbolic: str = "") -> str:
    """The step's own numbers in its formula, on one line, where every value in it is a number (a
    matrix keeps its block below): the line a student checks the arithmetic against. It opens
    with "= " unless its parts restate the left side; "" where it would repeat `symbolic`, the
    step's formula as terminal text."""
    if not step.numbers or not step.parts:
        return ""
    if any("num" in p and not isinstance(p["num"], (int, float)) for p in step.parts):
        return ""
    pieces = [formula(p["tex"]) if "tex" in p else value_lines(p["num"], "")[0] for p in step.parts]
    line = " ".join(piece for piece in pieces if piece).replace("( ", "(").replace(" )", ")")
    if line in (symbolic, f"{symbolic} = {pieces[-1]}"):
        return ""
    return line if "tex" in step.parts[0] and "=" in pieces[0] else f"= {line}"


def question_text(q: Question, v: present.QuestionView | None = None) -> str:
    v = v or present.view(q)
    head = t("terminal.head", title=v.title, family=q.family, difficulty=q.difficulty)
    lines = [head, "-" * min(width(clean(head)), 78), prose(v.prompt)]  # as wide as it shows
    if v.given:
        lines += ["", t("terminal.given")] + given_lines(v)
    if v.choices:
        lines += [""] + choice_lines(v)
    return "\n".join(lines)


def wrong_answers_text(q: Question, v: present.QuestionView | None = None) -> str:
    """The catalogued wrong answers (as the site lists them): each value, then its mistake."""
    v = v or present.view(q)
    if not v.distractors:
        return ""
    lines = [t("terminal.wrong_answers")]
    for d in v.distractors:
        lines += value_lines(d.value, "  ")
        lines.append("    " + prose(t("terminal.wrong_answer", name=d.name, explanation=d.explanation)))
    return "\n".join(lines)


def solution_text(q: Question, v: present.QuestionView | None = None) -> str:
    v = v or present.view(q)
    lines = [t("terminal.worked_solution")]
    for step in v.steps:
        lines += step_lines(step)
    a = v.answer
    if a.precision:
        tol = t("terminal.precision", precision=a.precision["text"])
    else:
        tol = t("terminal.tolerance", rtol=f"{a.rtol:g}", atol=f"{a.atol:g}") if a.kind not in ("choice",) else ""
    if q.parts:  # issue 17: each part's answer, at its own precision
        lines += [""] + [t("terminal.part_answer", label=p.label, asked=p.asked_text, answer=p.answer.display,
                           tolerance=t("terminal.precision", precision=say(p.answer.precision["text"]))
                           if p.answer.precision else "")
                         for p in q.parts]
        return "\n".join(lines)
    lines += ["", t("terminal.answer", answer=a.display, tolerance=tol)]
    return "\n".join(lines)
