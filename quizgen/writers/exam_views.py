"""The view model (quizgen.present) laid out for the printed exam and its answer key.

Everything here reads the view only; math goes through present.math (the same MathML as the
study site), and the exam adds only print layout: rubric points, answer boxes, work space.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from markupsafe import Markup

from quizgen.bank.question import Question
from quizgen.messages import t
from quizgen.present import view as present
from quizgen.present.math import equals, md, parts, tex, value
from quizgen.render.numbers import fmt

if TYPE_CHECKING:  # a type only: writers read the exam's model, the exam package never imports writers
    from quizgen.exam.rubric import RubricLine

NUMERIC = present.NUMERIC


def given(q: Question, v: present.QuestionView | None = None) -> list[dict]:
    """Each given as one formula, `W^{[1]} = [matrix]` (≈ for values the prompt rounded)."""
    v = v or present.view(q)
    return [{"math": equals(g.latex, g.value, g.approx), "approx": g.approx} for g in v.given]


def choices(q: Question, v: present.QuestionView | None = None) -> list[dict]:
    v = v or present.view(q)
    return [{"label": c.label, "html": md(c.text, inline=True)} for c in v.choices]  # never which is right


def answer_box(q: Question, v: present.QuestionView | None = None) -> dict:
    """What the student fills in: a bubble per option, one box, a bracketed grid, or a shapes table."""
    box = dict((v or present.view(q)).box)
    if box["kind"] == "shapes":
        latex = box.pop("latex")
        box["labels"] = [tex(label) if latex else Markup.escape(label) for label in box["labels"]]
    return box


def space_cm(q: Question, v: present.QuestionView | None = None) -> float:
    return (v or present.view(q)).space_cm


def step(s: present.StepView, points: float | None) -> dict:
    """One worked step: its rule, the rule with this version's numbers and the result, in one line."""
    symbolic = tex(s.symbolic, display=True) if s.symbolic else None
    worked = None
    if s.numbers or s.rewritten:
        items = list(s.parts)
        if s.result is not None and not s.shows_result:
            items += [{"tex": "="}, {"num": s.result}]
        worked = parts(items)
    elif s.result is not None and s.shape is not None:
        worked = parts([{"tex": "="}, {"num": s.result}])
    shape = " × ".join(str(d) for d in s.shape) if s.shape and len(s.shape) == 2 else ""
    return {"number": s.number, "title": s.title, "symbolic": symbolic, "worked": worked, "shape": shape,
            "explanation": s.explanation, "points": None if points is None else fmt(points)}


def steps(q: Question, rubric: tuple[RubricLine, ...], v: present.QuestionView | None = None) -> list[dict]:
    per_step = {line.step: line.points for line in rubric if line.step is not None}
    return [step(s, per_step.get(s.number)) for s in (v or present.view(q)).steps]


def answer(q: Question, v: present.QuestionView | None = None) -> dict:
    """The key's answer: typeset, as a student would type it, and how close counts."""
    a = (v or present.view(q)).answer
    if a.kind == "choice":
        return {"math": Markup("<strong>{}</strong>").format(a.value), "display": a.display,
                "choice": md(a.choice.text, inline=True) if a.choice else None, "rtol": None, "atol": None,
                "precision": None}
    asked = None
    if a.precision and a.precision["rule"] == "exact":
        asked = a.precision["text"]
    elif a.precision and a.tol is not None:  # the statement the prompt makes, and the per-entry window
        tol = a.tol if isinstance(a.tol, list) else [a.tol]
        flat = [x for row in tol for x in (row if isinstance(row, list) else [row])]
        window = fmt(flat[0], 2) if len({fmt(x, 2) for x in flat}) == 1 else "[" + ", ".join(
            "[" + ", ".join(fmt(x, 2) for x in row) + "]" if isinstance(row, list) else fmt(row, 2) for row in tol) + "]"
        asked = t("exam.precision", text=a.precision["text"], tol=window)
    return {"math": value(a.value) if a.kind in NUMERIC else tex(a.latex), "display": a.display,
            "choice": None, "rtol": fmt(a.rtol), "atol": fmt(a.atol), "precision": asked}


def distractors(q: Question, v: present.QuestionView | None = None) -> list[dict]:
    return [{"value": value(d.value), "name": d.name} for d in (v or present.view(q)).distractors]
