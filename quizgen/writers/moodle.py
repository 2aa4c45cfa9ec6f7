"""Moodle XML: one category per family holding its N variants (for "random question from
category"), each question's `idnumber` its quizgen id.

- a number is a `numerical` question: the answer with its tolerance (the stated precision,
  widened only by the documented rounding), then each catalogued mistake as a zero-credit answer
  whose feedback names and explains it;
- a choice is `multichoice` (one answer), each wrong option's feedback naming and explaining its
  mistake; options keep their order, since the worked solution names them by letter;
- a vector or matrix is `cloze` (embedded answers) with one NUMERICAL field per entry, laid out
  like the answer box; a shapes table has one row per quantity;
- a multi-part question is one `cloze`: per part its label, what it asks, precision and points,
  then a NUMERICAL field per entry whose weight gives the part its share of the points
  (Moodle makes the question's default mark the sum of the weights, whatever `defaultgrade`
  says). Moodle grades each field alone: no error carried forward (docs/formats.md).

The worked solution is the general feedback. Text is HTML from lms (math as `\\( … \\)` for
Moodle's MathJax filter), escaped as XML text; in a cloze question every brace of the text is a
character reference, so bank text cannot open an embedded answer.
"""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction
from math import gcd, lcm

from quizgen.bank.question import Question
from quizgen.messages import t
from quizgen.present import view as present
from quizgen.writers import Context, FileWriter, lms, register
from quizgen.writers.lms import escape

x = lms.xml_text


def _text(tag: str, html: str) -> str:
    return f'<{tag} format="html"><text>{x(html)}</text></{tag}>'


def category(q: Question) -> str:
    """The family's category: `$course$/top/quizgen/<topic>/<family>` ("/" in a name doubled)."""
    path = "$course$/top/quizgen/" + "/".join(p.replace("/", "//") for p in (lms.topic(q), q.family))
    return (f'  <question type="category">\n    <category><text>{x(path)}</text></category>\n'
            f'    <idnumber>{x(q.family)}</idnumber>\n  </question>\n')


def _answer(fraction: str, text: str, feedback: str, tolerance: str | None = None, fmt: str = "moodle_auto_format") -> str:
    tol = f"<tolerance>{tolerance}</tolerance>" if tolerance is not None else ""
    return (f'    <answer fraction="{fraction}" format="{fmt}"><text>{x(text)}</text>{tol}'
            f'{_text("feedback", feedback)}</answer>\n')


def _numerical(v: present.QuestionView) -> str:
    a = v.answer
    out = [_answer("100", lms.decimal(a.value), "", lms.decimal(a.tol))]
    for d in v.distractors:
        tol = d.tol if isinstance(d.tol, (int, float)) else a.tol
        out.append(_answer("0", lms.decimal(d.value), lms.mistake_html(d.name, d.explanation), lms.decimal(tol)))
    out.append("    <unitgradingtype>0</unitgradingtype><unitpenalty>0</unitpenalty>"
               "<showunits>3</showunits><unitsleft>0</unitsleft>\n")
    return "".join(out)


def _multichoice(v: present.QuestionView) -> str:
    out = ["    <single>true</single><shuffleanswers>false</shuffleanswers><answernumbering>ABCD</answernumbering>\n"]
    for c in v.choices:
        out.append(_answer("100" if c.correct else "0", lms.html(c.text, inline=True),
                           lms.mistake_html(c.name, c.explanation), fmt="html"))
    return "".join(out)


def _braces(html: str) -> str:
    """HTML whose braces are character references: Moodle's cloze parser sees no `{` in it."""
    return html.replace("{", "&#123;").replace("}", "&#125;")


def _fields(a: present.AnswerView, weight: int = 1) -> list[str]:
    """One `{weight:NUMERICAL:=value:tolerance}` per entry of an answer, row by row."""
    return [f"{{{weight}:NUMERICAL:={lms.decimal(value)}:{lms.decimal(tol)}}}" for value, tol in lms.entries(a)]


def _table(box: dict, cells: list[str]) -> str:
    """The fields laid out like the answer box (a row label first where the box has one)."""
    rows, cols, labels = lms.box_grid(box)
    if rows * cols != len(cells):  # a box that does not fit the answer: one row
        rows, cols, labels = 1, len(cells), [""]
    body = []
    for r in range(rows):
        label = f"<td>{_braces(lms.inline_math(labels[r]))}</td>" if labels[r] else ""
        body.append("<tr>" + label + "".join(f"<td>{c}</td>" for c in cells[r * cols:(r + 1) * cols]) + "</tr>")
    return f"<table>{''.join(body)}</table>"


def cloze_text(v: present.QuestionView) -> str:
    """The question text with one `{1:NUMERICAL:=value:tolerance}` per entry, in a grid."""
    return (_braces(lms.question_html(v)) + f"<p>{_braces(lms.answer_label())}</p>"
            + _table(v.box, _fields(v.answer)))


def weights(v: present.QuestionView) -> list[int]:
    """Each part's field weight, smallest whole numbers: a part's entries share its points
    equally, so Moodle's mark (weight / sum of weights) gives each part its points' share."""
    shares = [Fraction(p.points).limit_denominator(1000) / max(len(lms.entries(p.answer)), 1) for p in v.parts]
    scale = lcm(*(s.denominator for s in shares))
    whole = [int(s * scale) for s in shares]
    common = gcd(*whole) or 1
    return [max(w // common, 1) for w in whole]


def parts_cloze_text(v: present.QuestionView) -> str:
    """A multi-part question: per part its label, what it asks, its precision and points, then
    one NUMERICAL field per entry weighted by the part's points."""
    out = [_braces(lms.question_html(v))]
    for p, weight in zip(v.parts, weights(v)):
        out.append(f"<p>{_braces(t('exports.label', label=lms.part_head(p)).rstrip())}</p>" + _table(p.box, _fields(p.answer, weight)))
    return "".join(out)


def question(q: Question, v: present.QuestionView) -> str:
    a, grade = v.answer, "1"
    if v.parts:  # one cloze, every part's entries its fields; the key and mistakes part by part
        kind, text, answers = "cloze", parts_cloze_text(v), ""
        feedback = lms.feedback_html(v) + lms.mistakes_html(v)
        grade = f"{sum(p.points for p in v.parts):g}"
    elif a.kind not in present.NUMERIC:
        kind, text, answers = "multichoice", lms.question_html(v), _multichoice(v)
        feedback = lms.feedback_html(v)
    elif isinstance(a.value, (int, float)):
        kind, text, answers = "numerical", lms.question_html(v), _numerical(v)
        feedback = lms.feedback_html(v)
    else:
        kind, text, answers = "cloze", cloze_text(v), ""
        feedback = lms.feedback_html(v) + lms.mistakes_html(v)
    tags = "".join(f"<tag><text>{x(tag)}</text></tag>" for tag in lms.tags(q))
    return (f'  <question type="{kind}">\n'
            f'    <name><text>{x(lms.name(v, q))}</text></name>\n'
            f'    {_text("questiontext", text)}\n'
            f'    {_text("generalfeedback", feedback)}\n'
            f'    <defaultgrade>{grade}</defaultgrade><penalty>0.3333333</penalty><hidden>0</hidden>\n'
            f'    <idnumber>{x(q.id)}</idnumber>\n'
            f'{answers}'
            f'    <tags>{tags}</tags>\n'
            f'  </question>\n')


class MoodleWriter(FileWriter):
    name = "moodle"

    def render(self, q: Question, context: Context) -> tuple[str, str]:
        return category(q), question(q, present.view(q))

    def write(self, rendered: list[tuple[str, str]], context: Context) -> Iterator[str]:
        yield '<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n'
        last = None
        for cat, text in rendered:
            if cat != last:
                yield cat
                last = cat
            yield text
        yield "</quiz>\n"


WRITER = register(MoodleWriter())
