"""What the Anki, Moodle, QTI, GIFT and CSV exports share: the view model as HTML for readers
that typeset math themselves with MathJax (math left as `\\( … \\)` and `\\[ … \\]`).

HTML comes only from render.safe (bank Markdown, raw HTML escaped) and from the fixed tags here;
every other string is escaped. Nothing here computes: values, tolerances and words are the
view's (present.view), numbers are only formatted.
"""

from __future__ import annotations

import io
import zipfile

import re
from decimal import Decimal
from html import escape as _escape

from quizgen.messages import current, t
from quizgen.present import view as present
from quizgen.present.math import denoise
from quizgen.render import safe
from quizgen.render.numbers import fmt
from quizgen.writers.site_env import messages, topic_name

NUMERIC = present.NUMERIC
_MATH = re.compile(r"\$\$(.+?)\$\$|\$(.+?)\$", re.S)  # the bank's math, as present.math reads it
_APPROX, _TIMES = r" \approx ", r" \times "
_SLOT = re.compile("\ue000(\\d+)\ue001")
# A math delimiter in the prose (from `\\(` in bank text) would make MathJax typeset text the
# bank's LaTeX check never saw, and Anki's [latex] / [$] tags run LaTeX on the reader's machine:
# a zero-width space after the first character breaks each.
_DELIMITER = re.compile(r"\\[()\[\]]|\$\$|\[/?(?:latex|\$\$?)\]", re.I)
# Characters XML 1.0 cannot hold at all (controls other than tab, newline, CR; lone surrogates).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """Text for an XML text node or attribute: escaped, characters XML cannot hold dropped."""
    return _escape(_NOT_XML.sub("", text), quote=True)


def escape(text: str) -> str:
    """Plain text as HTML text (&, <, > escaped; quotes need no escaping outside attributes)."""
    return _escape(text, quote=False)


def inline_math(tex: str) -> str:
    return "\\(" + escape(denoise(tex).strip()) + "\\)"


def display_math(tex: str) -> str:
    return "\\[" + escape(denoise(tex).strip()) + "\\]"


def html(text: str, inline: bool = False) -> str:
    """Bank Markdown + $math$ as HTML: the Markdown through render.safe (so no raw HTML, unsafe
    link or image survives), the math hidden from it and put back as escaped MathJax LaTeX; a
    math delimiter left in the prose is broken, so only the bank's checked $math$ is typeset."""
    stash: list[str] = []

    def keep(match: re.Match) -> str:
        stash.append(display_math(match.group(1)) if match.group(1) is not None else inline_math(match.group(2)))
        return f"\ue000{len(stash) - 1}\ue001"

    prose = _DELIMITER.sub(lambda m: m.group(0)[0] + "\u200b" + m.group(0)[1:],
                           safe.markdown(_MATH.sub(keep, safe.clean_text(text))))
    out = _SLOT.sub(lambda m: stash[int(m.group(1))], prose)
    if inline and out.startswith("<p>") and out.endswith("</p>") and out.count("<p>") == 1:
        out = out[3:-4]
    return out


def value_tex(v) -> str:
    """A number, vector (a column) or matrix as LaTeX, numbers as every page prints them."""
    if isinstance(v, (int, float)):
        return fmt(v)
    rows = v if v and isinstance(v[0], list) else [[x] for x in v]
    return r"\begin{bmatrix}" + r" \\ ".join(" & ".join(fmt(x) for x in row) for row in rows) + r"\end{bmatrix}"


def decimal(x: float) -> str:
    """A number in plain positional notation, every digit kept (LMS answer fields, no exponents)."""
    text = format(Decimal(repr(float(x))), "f")
    return "0" if text in ("-0", "-0.0") else text


def entries(a: present.AnswerView) -> list[tuple[float, float]]:
    """The answer's entries with their tolerances, row by row."""
    values, tols = a.value, a.tol
    if not isinstance(values, list):
        return [(values, tols)]
    if values and isinstance(values[0], list):
        return [(v, tl) for row, trow in zip(values, tols) for v, tl in zip(row, trow)]
    return list(zip(values, tols))


def grid(v: present.QuestionView) -> tuple[int, int, list[str]]:
    """Rows, columns and row labels (LaTeX, "" for none) of the answer box of an array answer."""
    return box_grid(v.box)


def box_grid(box: dict) -> tuple[int, int, list[str]]:
    """Rows, columns and row labels of an answer box (a question's or a part's)."""
    if box["kind"] == "shapes":
        labels = list(box.get("labels") or [])
        return len(labels), 2, labels
    rows, cols = box.get("rows", 1), box.get("cols", 1)
    return rows, cols, [""] * rows


def displayed(a: present.AnswerView) -> list[str]:
    """Each entry as the key displays it (at the precision the question asks)."""
    return re.findall(r"-?\d+(?:\.\d+)?(?:e-?\d+)?", a.display)


def given_html(v: present.QuestionView) -> str:
    """The data: one display formula per given, ≈ for values the prompt rounded."""
    if not v.given:
        return ""
    items = "".join(f"<li>{display_math(g.latex + (_APPROX if g.approx else ' = ') + value_tex(g.value))}</li>"
                    for g in v.given)
    return f"<p>{escape(t('exports.given'))}</p><ul>{items}</ul>"


def choices_html(v: present.QuestionView) -> str:
    items = "".join(f"<li><strong>{escape(c.label)}</strong> {html(c.text, inline=True)}</li>" for c in v.choices)
    return f'<ol type="A">{items}</ol>' if items else ""


def question_html(v: present.QuestionView, choices: bool = False) -> str:
    """Prompt and data (and the options, for formats that cannot show them on their own)."""
    return html(v.prompt) + given_html(v) + (choices_html(v) if choices else "")


def precision_text(a: present.AnswerView) -> str:
    return a.precision["text"] if a.precision and a.precision.get("text") else ""


def part_head(p: present.PartView) -> str:
    """`(a) ∂J/∂W2 (3 significant figures; 3 pt)`: what a part asks, its precision and points."""
    stated, points = precision_text(p.answer), f"{p.points:g}"
    said = t("exports.part_precision_points", precision=stated, points=points) if stated else \
        t("exports.part_points", points=points)
    return f"<strong>{escape(p.label)}</strong> {inline_math(p.asked)}{escape(t('exports.aside', text=said))}"


def parts_answer_html(v: present.QuestionView) -> str:
    """The key of a multi-part question: every part's answer, at its own precision, with its points."""
    items = "".join(f"<li>{t('exports.label', label=part_head(p))}{inline_math(p.answer.latex)}</li>" for p in v.parts)
    return f"<p>{answer_label()}</p><ul>{items}</ul>"


def answer_label(lead: bool = False) -> str:
    """ "Answer:" (zh 答案：) as HTML above the answer, or `lead`ing it on its line ("Answer: ")."""
    said = t("exports.label", label=t("exports.answer"))
    return escape(said if lead else said.rstrip())


def answer_html(v: present.QuestionView) -> str:
    """The key: the right option, or the value (a shapes table row by row) and its precision;
    every part's, for a multi-part question."""
    if v.parts:
        return parts_answer_html(v)
    a = v.answer
    if a.kind not in NUMERIC:
        text = html(a.choice.text, inline=True) if a.choice else ""
        return f"<p>{answer_label(lead=True)}<strong>{escape(str(a.value))}</strong> {text}</p>"
    if v.box["kind"] == "shapes":
        rows = zip(grid(v)[2], a.value)
        body = "".join(f"<tr><td>{inline_math(label)}</td><td>{inline_math(_TIMES.join(fmt(x) for x in r))}</td></tr>"
                       for label, r in rows)
        return f"<p>{answer_label()}</p><table>{body}</table>"
    stated = precision_text(a)
    tail = escape(t("exports.aside", text=stated)) if stated else ""
    return f"<p>{answer_label(lead=True)}{inline_math(a.latex)}{tail}</p>"  # as the printed key shows it


def step_html(s: present.StepView) -> str:
    """One worked step, as the site shows it: rule, rule with numbers, result, why."""
    out = [f"<p><strong>{escape(s.title)}</strong></p>"]
    if s.symbolic:
        out.append(display_math(s.symbolic))
    items = list(s.parts)
    if s.numbers:
        if s.result is not None and not s.shows_result:
            items += [{"tex": "="}, {"num": s.result}]
        out.append(display_math(" ".join(p["tex"] if "tex" in p else value_tex(p["num"]) for p in items)))
    else:
        if s.rewritten:
            out.append(display_math(" ".join(p["tex"] for p in items)))
        if s.result is not None:
            out.append(display_math(value_tex(s.result)))
    if s.explanation:
        out.append(f"<p>{escape(s.explanation)}</p>")
    return "<li>" + "".join(out) + "</li>"


def solution_html(v: present.QuestionView) -> str:
    """The worked solution, step by step (with a "Why not B" row per wrong option)."""
    steps = "".join(step_html(s) for s in v.steps)
    return f"<p><strong>{escape(t('exports.worked_solution'))}</strong></p><ol>{steps}</ol>"


def feedback_html(v: present.QuestionView) -> str:
    """An LMS's general feedback: the worked solution, then the key."""
    return solution_html(v) + answer_html(v)


def mistake_html(name: str, explanation: str) -> str:
    """A catalogued mistake, named ("you get this if you …") and explained."""
    head = escape(t("exports.mistake_name", name=name.rstrip("."))) if name else ""
    return (f"<p><strong>{head}</strong></p>" if head else "") + (f"<p>{escape(explanation)}</p>" if explanation else "")


def _mistake_items(distractors) -> str:
    return "".join(f"<li>{inline_math(value_tex(d.value))} {mistake_html(d.name, d.explanation)}</li>"
                   for d in distractors)


def mistakes_html(v: present.QuestionView) -> str:
    """The wrong answers real mistakes produce, each with its value, named and explained (part by
    part for a multi-part question)."""
    if v.parts:
        groups = "".join(f"<li><strong>{escape(p.label)}</strong> {inline_math(p.asked)}"
                         f"<ul>{_mistake_items(p.distractors)}</ul></li>" for p in v.parts if p.distractors)
        return f"<p><strong>{escape(t('exports.mistakes'))}</strong></p><ul>{groups}</ul>" if groups else ""
    if not v.distractors:
        return ""
    return f"<p><strong>{escape(t('exports.mistakes'))}</strong></p><ul>{_mistake_items(v.distractors)}</ul>"


def topic(q) -> str:
    """The topic's name in the language of the export (the site's words for it)."""
    return topic_name(q.topic, messages(current()))


def tags(q) -> list[str]:
    """Tags from the family (no spaces: Anki and Moodle split on them), then topic, family,
    difficulty."""
    clean = [re.sub(r"\s+", "_", tag) for tag in q.tags]
    return sorted(set(clean)) + [f"topic::{q.topic}", f"family::{q.family}", f"difficulty::{q.difficulty}"]


def name(v: present.QuestionView, q) -> str:
    """A question's name in an LMS bank: its title and variant number."""
    return t("exports.question_name", title=v.title, n=q.index + 1)


ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip entry holds: no clock in the bytes


def zipped(files: dict[str, bytes]) -> bytes:
    """A zip of `files` (name -> bytes) in the given order, each entry deflated, dated ZIP_DATE and
    mode 0644: the same bytes on every run (anki's .apkg, the QTI package)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, data)
    return buffer.getvalue()
