"""What the session says: how to answer, hints, verdicts and the closing summary."""

from __future__ import annotations

import math
from datetime import datetime

from quizgen import grading
from quizgen.bank.question import Question, Step, ask_key, typed_shape, whole_number
from quizgen.errors import AnswerError
from quizgen.messages import t
from quizgen.messages.text import say, text
from quizgen.present import view as present
from quizgen.render.numbers import example_answer
from quizgen.render.width import fill
from quizgen.practice.schedule import Card

WIDTH = 78


def wrap(text: str, indent: str = "") -> str:
    """Paragraphs filled to the terminal width (in columns: a Chinese character takes two), each line indented."""
    return "\n".join(fill(p, WIDTH, initial_indent=indent, subsequent_indent=indent) if p.strip() else ""
                     for p in text.split("\n"))


def answer_format(q: Question) -> str:
    """One line telling the student what shape of answer to type."""
    a = q.answer
    if a.kind == "choice":
        labels = [c.label for c in q.choices] or ["A"]
        return t("practice.format_choice", first=labels[0], last=labels[-1])
    shape = typed_shape(a.shape) if a.kind in ("vector", "matrix") else []  # a 1×n row is typed as a list
    if len(shape) == 2:
        bracketed, plain = example_answer(shape)  # an example of exactly the asked shape
        text = t("practice.format_matrix", rows=shape[0], cols=shape[1], bracketed=bracketed, plain=plain)
    elif shape:
        bracketed, plain = example_answer(shape)
        key = "practice.format_vector_one" if shape[0] == 1 else "practice.format_vector"
        text = t(key, n=shape[0], bracketed=bracketed, plain=plain)
    else:
        text = t("practice.format_whole" if whole_number(q) else "practice.format_number")
    if a.precision:  # the prompt's own statement of what is asked
        p = a.precision
        text += t("terminal.sentence_gap") + t(ask_key(p), digits=p["digits"], text=say(p["text"]))
    elif a.rtol:
        text += t("terminal.sentence_gap") + t("practice.format_tolerance", percent=f"{a.rtol * 100:g}%")
    return text


def unreadable(q: Question, message: str) -> str:
    """The grader's "could not read" message, with its generic list of forms replaced by the one
    this question wants."""
    generic = t("grading.accepted")
    if message.endswith(generic):
        message = message[: -len(generic)].rstrip()
    return wrap(message) + "\n" + wrap(answer_format(q), "  ")


def prose(text: str) -> str:
    """Rendered text fitted to the terminal: long lines are filled with their indent kept, a long
    display formula "A = …, B = …" goes one equation per line, runs of blank lines become one."""
    out: list[str] = []
    for line in text.split("\n"):
        if not line.strip():
            if out and out[-1] != "":
                out.append("")
        elif len(line) <= WIDTH:
            out.append(line)
        else:
            indent = line[: len(line) - len(line.lstrip())]
            equations = _equations(line)
            out += [indent + e for e in equations] if equations else [wrap(line.strip(), indent)]
    return "\n".join(out).strip("\n")


def _equations(line: str) -> list[str] | None:
    """The equations of "A = …, B = …" split at top-level commas; None unless each part has "="."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(line):
        depth += (ch in "([{") - (ch in ")]}")
        if ch == "," and depth == 0 and line[i + 1 : i + 2] == " ":
            parts.append(line[start : i + 1].strip())
            start = i + 1
    parts.append(line[start:].strip())
    return parts if len(parts) > 1 and all("=" in p for p in parts) else None


def _reveals(q: Question, step: Step) -> bool:
    """Whether a step's result is the answer itself (typing it would be graded correct)."""
    if step.result is None:
        return False
    verdict = grading.grade(q.answer, [], grading.format_value(step.result))
    return bool(verdict["correct"])


def hint_items(q: Question) -> list:
    """What :hint reveals, in order: the family's nudges (worded), then solution steps as
    (number, present.StepView).

    Hints stop before the first step whose result is the answer (that is what :solution is
    for); for a multiple-choice question only the leading worked steps are hints, not "why not B",
    and never the last step, which names the answer.
    """
    v = present.view(q)
    steps = []
    for number, (step, shown) in enumerate(zip(q.steps, v.steps), start=1):
        if (q.answer.kind == "choice" and step.result is None) or number == len(q.steps):
            break
        if q.answer.kind != "choice" and _reveals(q, step):
            break
        steps.append((number, shown))
    return list(v.hints) + steps


def _entries(wrong: list[list[int]], limit: int = 6) -> str:
    parts = [t("grading.entry", index=w[0] + 1) if len(w) == 1 else
             t("grading.cell", row=w[0] + 1, col=w[1] + 1) for w in wrong[:limit]]
    return ", ".join(parts) + (", …" if len(wrong) > limit else "")


def _choice_reason(q: Question, typed: str) -> tuple[str, str] | None:
    """The mistake name and the "Option B would …" explanation of the wrong option typed, found
    by the option's identity (the mistake it carries), never by reading its words."""
    try:
        letter = grading.parse_answer(typed)["value"]
    except AnswerError:
        return None
    c = next((c for c in q.choices if c.label == letter and c.mistake and not c.correct), None)
    d = next((d for d in q.distractors if c is not None and d.mistake == c.mistake), None)
    if d is None:
        return None
    return say(d.name), say(text("kinds.option_would", label=c.label, name=d.name, explanation=d.explanation))


def verdict_lines(q: Question, result: dict, typed: str) -> tuple[list[str], str | None]:
    """The lines that judge one graded answer, and the name of the mistake it matched (or None)."""
    if result["correct"]:
        return [t("practice.correct", answer=q.answer.display)], None
    message, name, explanation = result["message"], say(result["mistake_name"]), say(result["explanation"])
    if result["mistake"] and not name and q.answer.kind == "choice":
        reason = _choice_reason(q, typed)
        if reason is not None:
            message, (name, explanation) = t("practice.not_quite"), reason
    lines = [wrap(t("practice.wrong", message=message))]
    if explanation:
        lines.append(wrap(explanation, "  "))
    size = math.prod(q.answer.shape or [])
    if result["mistake"] and 0 < len(result["wrong_entries"]) < size:  # "all wrong" adds nothing
        lines.append(wrap(t("practice.wrong_entries", entries=_entries(result["wrong_entries"])), "  "))
    if 0 < result["score"] < 1:
        lines.append(t("practice.partial", percent=f"{result['score']:.0%}"))
    return lines, name or result["mistake"]


def when(due: datetime, now: datetime) -> str:
    """A due time relative to now: "now", "in 10 min", "in 6 days", "2 days overdue"."""
    seconds = (due - now).total_seconds()
    span = abs(seconds)
    minutes, hours, days = round(span / 60), round(span / 3600), round(span / 86400)
    if minutes < 1:
        return t("practice.due_now")
    if minutes < 60:
        amount = t("practice.minutes", n=minutes)
    elif hours < 24:
        amount = t("practice.hours", n=hours)
    else:
        amount = t("practice.day" if days == 1 else "practice.days", n=days)
    return t("practice.due_in" if seconds > 0 else "practice.overdue", amount=amount)


def summary_text(summary, cards: dict[str, Card], now: datetime, path: str, families: list[str]) -> str:
    s = summary
    lines = ["", t("practice.summary_head")]
    if s.ended in ("interrupted", "eof"):
        lines.append(t("practice.summary_stopped"))
    lines.append(t("practice.summary_questions", asked=s.asked, answered=s.answered, skipped=s.skipped,
                   revealed=s.revealed))
    if s.attempted:
        lines.append(t("practice.summary_score", first=s.first_try, attempted=s.attempted,
                       percent=f"{s.first_try / s.attempted:.0%}"))
    if s.fixed:
        lines.append(t("practice.summary_fixed", fixed=s.fixed))
    if s.mistakes:
        lines.append(t("practice.summary_mistakes"))
        lines += [f"  {count}× {name}" for name, count in sorted(s.mistakes.items(), key=lambda kv: (-kv[1], kv[0]))]
    due = sorted((cards[f].due, f) for f in set(families) if f in cards and cards[f].due)
    if due:
        lines.append(t("practice.summary_next"))
        lines += [f"  {family}: {when(moment, now)}" for moment, family in due]
    lines.append(t("practice.summary_saved", path=path))
    return "\n".join(lines)
