"""Moodle GIFT: a plain-text question file, one `$CATEGORY` per family holding its variants.

A number is `{#=value:tolerance#feedback =%0%wrong:tol#mistake …}` (each catalogued mistake a
zero-credit answer whose feedback names and explains it); a choice is `{=right ~wrong#why …}`;
the worked solution is the general feedback (`####`). GIFT has no multi-part answers, so a
vector or matrix answer, or a multi-part question, becomes an essay question with the key (every
part's) and the solution as general feedback (docs/formats.md). Text is HTML (`[html]`) from lms; GIFT's own characters
~ = # { } : and the backslash are escaped, and a newline is written `\\n`, so no bank text can end
a question, open an answer or start a category.
"""

from __future__ import annotations

from collections.abc import Iterator

from quizgen.bank.question import Question
from quizgen.present import view as present
from quizgen.writers import Context, FileWriter, lms, register

_SPECIAL = {"\\": "\\\\", "~": "\\~", "=": "\\=", "#": "\\#", "{": "\\{", "}": "\\}", ":": "\\:", "\n": "\\n",
            "\r": ""}
_TABLE = str.maketrans(_SPECIAL)


def escape(text: str) -> str:
    """Text GIFT reads back as itself (Moodle's escapedchar_pre undoes exactly this)."""
    return text.translate(_TABLE)


def category(q: Question, v: present.QuestionView) -> str:
    """`$course$/top/quizgen/<topic>/<family>`: one category per family ("/" in a name doubled)."""
    parts = [lms.topic(q), q.family]
    return "$CATEGORY: $course$/top/quizgen/" + "/".join(escape(p).replace("/", "//") for p in parts)


def _numeric(v: present.QuestionView) -> str:
    a = v.answer
    right = f"={lms.decimal(a.value)}:{lms.decimal(a.tol)}"
    wrong = "".join(f" =%0%{lms.decimal(d.value)}:{lms.decimal(_tol(d, a))}#{escape(lms.mistake_html(d.name, d.explanation))}"
                    for d in v.distractors if isinstance(d.value, (int, float)))
    return "{#" + right + wrong


def _tol(d, a) -> float:
    """A mistake's own tolerance where the record gives one, else the answer's."""
    return d.tol if isinstance(d.tol, (int, float)) else a.tol


def _choices(v: present.QuestionView) -> str:
    options = []
    for c in v.choices:
        feedback = lms.mistake_html(c.name, c.explanation)
        options.append(("=" if c.correct else "~") + escape(lms.html(c.text, inline=True))
                       + (f"#{escape(feedback)}" if feedback else ""))
    return "{" + " ".join(options)


def question(q: Question, v: present.QuestionView) -> str:
    """One GIFT question on one line: name, [html] text, answers, #### general feedback."""
    a = v.answer
    if v.parts:  # a multi-part question: an essay, every part's key in the general feedback
        text, answers = lms.question_html(v), "{"
    elif a.kind not in present.NUMERIC:
        text, answers = lms.question_html(v), _choices(v)
    elif isinstance(a.value, (int, float)):
        text, answers = lms.question_html(v), _numeric(v)
    else:  # no multi-part answers in GIFT: an essay, the key in the general feedback
        text, answers = lms.question_html(v), "{"
    feedback = lms.feedback_html(v) + lms.mistakes_html(v)
    return (f"::{escape(q.id)}::[html]{escape(text)}{answers} ####{escape(feedback)}}}\n")


class GiftWriter(FileWriter):
    name = "gift"

    def render(self, q: Question, context: Context) -> tuple[str, str]:
        v = present.view(q)
        return category(q, v), question(q, v)

    def write(self, rendered: list[tuple[str, str]], context: Context) -> Iterator[str]:
        yield "// quizgen export: Moodle GIFT (docs/formats.md)\n"
        last = None
        for cat, text in rendered:
            if cat != last:
                yield f"\n{cat}\n"
                last = cat
            yield "\n" + text


WRITER = register(GiftWriter())
