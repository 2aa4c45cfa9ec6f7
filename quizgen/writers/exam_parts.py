"""A multi-part question on the exam and its key: a box per part, and per part on the key its
answer, its points, and each catalogued wrong value with the credit it earns, under the rule of
error carried forward (quizgen/ecf.py) that a marker applies."""

from __future__ import annotations

from dataclasses import replace

from quizgen.bank.question import Question
from quizgen.messages.text import say
from quizgen.present.math import tex, value
from quizgen.render.numbers import fmt
from quizgen.writers import exam_views as views


def shares(q: Question, points: float) -> list[float]:
    """The question's points spread over its parts by the parts' own weights, in half points (the
    last part takes what rounding leaves, so they add up exactly)."""
    weights = [p.points for p in q.parts]
    total = sum(weights) or 1.0
    out = [round(points * w / total * 2) / 2 for w in weights[:-1]]
    return out + [points - sum(out)]


def parts(q: Question, points: float, key: bool) -> list[dict]:
    """One entry per part: label, what it asks and its points; on the key also its answer and the
    catalogued wrong values with their credit (in points)."""
    out = []
    for part, share in zip(q.parts, shares(q, points)):
        entry = {"label": part.label, "asked": tex(part.asked), "points": fmt(share)}
        if key:
            alone = replace(q, answer=part.answer, distractors=part.distractors, choices=[], parts=[])
            entry["answer"] = views.answer(alone)
            entry["wrong"] = [{"value": value(d.value), "name": say(d.name), "credit": fmt(d.credit * share)}
                              for d in part.distractors]
            entry["carried"] = [next(p.label for p in q.parts if p.name == c["from"]) for c in part.carry]
        out.append(entry)
    return out
