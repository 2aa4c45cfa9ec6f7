"""Question records -> the HTML fragments the exam and key templates place (MathML inline).

Everything here reads the Question record only; numbers are typeset from their values
(render.mathml), never re-parsed from LaTeX.
"""

from __future__ import annotations

import re

from markupsafe import Markup

from quizgen.bank.question import Question, Step, shown_steps
from quizgen.exam.rubric import RubricLine
from quizgen.messages import t
from quizgen.messages.text import say
from quizgen.render import mathml, safe
from quizgen.render.numbers import fmt

_MATH = re.compile(r"\$\$(.+?)\$\$|\$(.+?)\$", re.S)
_SLOT = re.compile("\ue000(\\d+)\ue001")
# X^{a}^{b} is not valid LaTeX (latex2mathml refuses it); brace the base: {X^{a}}^{b}.
_DOUBLE_SUP = re.compile(r"(\\?[A-Za-z]+)(\^\{(?:[^{}]|\{[^{}]*\})*\})(?=\^)")
# Floating-point noise such as 8.327e-17 (a true 0 after cancellation) must never be printed.
_NOISE = re.compile(r"-?\d+(?:\.\d+)?e-(?:1[2-9]|[2-9]\d|\d{3})\b")
TINY = 1e-12
NUMERIC = ("number", "vector", "matrix")
# latex2mathml writes f' as <msup>f ′</msup>; a math font's ′ is already raised, so as a
# superscript it floats like an accent. Print it beside its base instead.
_BASE = r"<mi[^>]*>[^<]*</mi>|<mrow>(?:<mi[^>]*>[^<]*</mi>)+</mrow>"
_SUB = r"<mn>[^<]*</mn>|<mi[^>]*>[^<]*</mi>|<mrow>(?:<m[in][^>]*>[^<]*</m[in]>)+</mrow>"
_PRIME = r"(?:<mrow>)?<mi>(?:&#x02032;|′)</mi>(?:</mrow>)?"
_PRIME_MO = '<mo lspace="0" rspace="0">&#x2032;</mo>'
_SUP_PRIME = re.compile(f"<msup>({_BASE}){_PRIME}</msup>")
_SUBSUP_PRIME = re.compile(f"<msubsup>({_BASE})({_SUB}){_PRIME}</msubsup>")
# \log a_j comes out as "loga_j": Chromium adds no space after a function name.
_FUNCTION = re.compile(r"(<mi>(?:log|exp)</mi>)(?=<mi|<mn|<msub|<msup)")


def fix_tex(tex: str) -> str:
    return _NOISE.sub("0", _DOUBLE_SUP.sub(r"{\1\2}", tex))


def clean(v):
    """A number, vector or matrix with floating-point noise (|x| < 1e-12) set to 0."""
    if isinstance(v, list):
        return [clean(x) for x in v]
    if isinstance(v, float) and abs(v) < TINY:
        return 0.0
    return v


def polish(html: str) -> str:
    """MathML as Chromium should print it: primes beside their base, a space after log/exp."""
    html = _FUNCTION.sub(r'\1<mspace width="0.17em"></mspace>', html)
    html = _SUP_PRIME.sub(lambda m: f"<mrow>{m.group(1)}{_PRIME_MO}</mrow>", html)
    return _SUBSUP_PRIME.sub(lambda m: f"<mrow><msub>{m.group(1)}{m.group(2)}</msub>{_PRIME_MO}</mrow>", html)


def _tex(s: str, display: bool = False) -> str:
    return polish(mathml.tex(fix_tex(s), display))


def tex(s: str, display: bool = False) -> Markup:
    return Markup(_tex(s, display))


def display_math(tex: str) -> str:
    """A display formula; a chain of equations (`,\\quad`-separated) wraps between equations
    instead of running off the page."""
    pieces = mathml.split_equations(tex)
    if len(pieces) == 1:
        return _tex(tex, display=True)
    return '<span class="eqs">' + "".join(_tex(p) for p in pieces) + "</span>"


def md(text: str, inline: bool = False) -> Markup:
    """Markdown + $math$ as HTML; math is converted first and kept out of Markdown's way.
    Spec and bank text is never HTML: render.safe escapes raw HTML, unsafe links and images."""
    text = safe.clean_text(text)
    stash: list[str] = []

    def keep(match: re.Match) -> str:
        if match.group(1) is not None:
            stash.append(display_math(match.group(1).strip()))
        else:
            stash.append(_tex(match.group(2).strip()))
        return f"\ue000{len(stash) - 1}\ue001"

    html = safe.markdown(_MATH.sub(keep, text))
    html = _SLOT.sub(lambda m: stash[int(m.group(1))], html)
    if inline and html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return Markup(html)


def value(v) -> Markup:
    return Markup(mathml.value(clean(v)))


def _parts(items: list[dict]) -> Markup:
    items = [{"tex": fix_tex(p["tex"])} if "tex" in p else {"num": clean(p["num"])} for p in items]
    return Markup(polish(mathml.parts(items)))


def given(q: Question) -> list[dict]:
    """Each given as one formula, `W^{[1]} = [matrix]` (≈ for values the prompt rounded)."""
    out = []
    for g in q.given:
        inner = mathml.tex_inner(fix_tex(g.latex)) + ("<mo>≈</mo>" if g.approx else "<mo>=</mo>")
        out.append({"math": Markup(polish(mathml.math(inner + mathml.value_inner(clean(g.value))))),
                    "approx": g.approx})
    return out


def choices(q: Question) -> list[dict]:
    return [{"label": c.label, "html": md(c.text, inline=True)} for c in q.choices]  # never which is right


def answer_box(q: Question) -> dict:
    """What the student fills in, as the record's layout says: a bubble per option, one box, a
    bracketed grid, or a shapes table with its rows labelled."""
    box = dict(q.layout.get("answer_box") or {"kind": "number"})
    if box["kind"] == "shapes":
        box["labels"] = [tex(label) for label in box["labels"]]
    return box


def space_cm(q: Question) -> float:
    """Room to work, in cm (the record's layout: more steps, more room)."""
    return q.layout.get("space_cm", 2.5)


def _same(a, b) -> bool:
    """Equal as printed (4 significant digits), number by number."""
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return fmt(a) == fmt(b)
    return False


def step(s: Step, number: int, points: float | None) -> dict:
    """One worked step: its rule, the rule with this version's numbers, and the result."""
    symbolic = tex(s.symbolic, display=True) if s.symbolic else None
    numbers = [p for p in s.parts if "num" in p]
    worked = None
    if s.parts and (numbers or " ".join(p["tex"] for p in s.parts) != s.symbolic):
        items = list(s.parts)
        if s.result is not None and not (numbers and "num" in items[-1] and _same(items[-1]["num"], s.result)):
            items += [{"tex": "="}, {"num": s.result}]
        worked = _parts(items)
    elif s.result is not None and s.shape is not None:
        worked = _parts([{"tex": "="}, {"num": s.result}])
    shape = " × ".join(str(d) for d in s.shape) if s.shape and len(s.shape) == 2 else ""
    return {"number": number, "title": say(s.title), "symbolic": symbolic, "worked": worked, "shape": shape,
            "explanation": say(s.explanation), "points": None if points is None else fmt(points)}


def steps(q: Question, rubric: tuple[RubricLine, ...]) -> list[dict]:
    per_step = {line.step: line.points for line in rubric if line.step is not None}
    return [step(s, i, per_step.get(i)) for i, s in enumerate(shown_steps(q), start=1)]


def answer(q: Question) -> dict:
    """The key's answer: typeset, as a student would type it, and how close counts."""
    a = q.answer
    if a.kind == "choice":
        right = next((c for c in q.choices if c.label == a.value), None)
        return {"math": Markup("<strong>{}</strong>").format(a.value), "display": a.display,
                "choice": md(right.text, inline=True) if right else None, "rtol": None, "atol": None,
                "precision": None}
    asked = None
    if a.precision and a.precision["rule"] == "exact":
        asked = say(a.precision["text"])
    elif a.precision and a.tol is not None:  # the statement the prompt makes, and the per-entry window
        tol = a.tol if isinstance(a.tol, list) else [a.tol]
        flat = [x for row in tol for x in (row if isinstance(row, list) else [row])]
        window = fmt(flat[0], 2) if len({fmt(x, 2) for x in flat}) == 1 else "[" + ", ".join(
            "[" + ", ".join(fmt(x, 2) for x in row) + "]" if isinstance(row, list) else fmt(row, 2) for row in tol) + "]"
        asked = t("exam.precision", text=say(a.precision["text"]), tol=window)
    return {"math": value(a.value) if a.kind in NUMERIC else tex(a.latex), "display": a.display,
            "choice": None, "rtol": fmt(a.rtol), "atol": fmt(a.atol), "precision": asked}


def distractors(q: Question) -> list[dict]:
    return [{"value": value(d.value), "name": say(d.name)} for d in q.distractors
            if isinstance(d.value, (int, float, list))]
