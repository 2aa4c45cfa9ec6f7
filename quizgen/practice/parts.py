"""What the terminal says around a multi-part question: each part's heading, and its verdict —
"correct", "correct given your (a)" (error carried forward) or "wrong" — as quizgen/ecf.py gives it."""

from __future__ import annotations

from dataclasses import replace

from quizgen.bank.question import Question
from quizgen.messages import t
from quizgen.messages.text import say
from quizgen.practice.feedback import answer_format, wrap


def points_text(points: float) -> str:
    """3, 2.5: points as a marker writes them."""
    return f"{points:g}"


def part_head(q: Question, index: int) -> str:
    """'Part (b) of 4: ∂J/∂b2 (1 point)' and the line saying what to type."""
    part = q.parts[index]
    head = t("practice.part_head", label=part.label, n=index + 1, count=len(q.parts), asked=part.asked_text,
             points=points_text(part.points))
    return "\n" + head + "\n" + wrap(answer_format(replace(q, answer=part.answer)))


def part_lines(q: Question, result: dict) -> list[str]:
    """The verdict of one part: its word, the grader's message, and the mistake explained."""
    if result["verdict"] == "carried":
        given = next(p.label for p in q.parts if p.name == result["given"])
        word = t("practice.part_carried", part=given)
    else:
        word = t(f"practice.part_{result['verdict']}")
    key = "practice.part_verdict_correct" if result["verdict"] == "correct" else "practice.part_verdict"
    lines = [wrap(t(key, label=result["label"], verdict=word, message=result["message"],
                    earned=points_text(result["earned"]), points=points_text(result["points"])))]
    explanation = say(result.get("explanation"))
    if explanation:
        lines.append(wrap(explanation, "  "))
    return lines
