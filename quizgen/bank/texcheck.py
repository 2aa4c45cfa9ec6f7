"""Find wrong LaTeX in bank text before a page shows it: latex2mathml accepts too much.

latex2mathml turns `\\unknowncommand` into an identifier named "\\unknowncommand" and `\\frac{1}`
into a fraction with one part, without a word; `quizgen check` reports both, and anything it
cannot convert at all, as `file: key: what is wrong`.
"""

from __future__ import annotations

import re

from quizgen.messages import t

MATH = re.compile(r"\$\$(.+?)\$\$|\$(.+?)\$", re.S)  # as quizgen.render.mathml reads Markdown
ARITY = {"mfrac": 2, "mroot": 2, "msub": 2, "msup": 2, "munder": 2, "mover": 2, "msubsup": 3, "munderover": 3}
_NS = "{http://www.w3.org/1998/Math/MathML}"
_SHOWN = 40


def _words(name: str) -> str:
    """latex2mathml's exception class name as words: MissingSuperScriptOrSubscriptError -> ..."""
    return " ".join(re.findall(r"[A-Z][a-z]*", name.removesuffix("Error"))).lower() or name


def _balanced(tex: str) -> bool:
    depth = 0
    for token in re.findall(r"\\.|[{}]", tex):
        depth += {"{": 1, "}": -1}.get(token, 0)
        if depth < 0:
            return False
    return depth == 0


def tex_problem(tex: str) -> str | None:
    """What is wrong with one LaTeX expression, or None."""
    if not _balanced(tex):
        return t("input.tex_braces")
    # Imported here: loading a bank whose texts hold no math (the shipped one) never converts, and
    # latex2mathml with what it imports (importlib.metadata, urllib, email) is ~30 ms of start-up.
    import xml.etree.ElementTree as ET

    from latex2mathml.converter import convert

    try:
        mathml = convert(tex)
    except Exception as exc:  # latex2mathml raises assorted errors, often with no message
        return t("input.tex_unreadable", reason=_words(type(exc).__name__))
    try:
        root = ET.fromstring(mathml)
    except ET.ParseError:  # latex2mathml copies e.g. the & of \text{a & b} unescaped
        return t("input.tex_unescaped")
    for element in root.iter():
        name = element.tag.removeprefix(_NS)
        text = (element.text or "").strip()
        if text.startswith("\\") and len(text) > 1:
            return t("input.tex_unknown_command", command=text)
        if name in ARITY and len(element) != ARITY[name]:
            return t("input.tex_arity", element=name.removeprefix("m"), need=ARITY[name], got=len(element))
    return None


def text_problems(text: str) -> list[str]:
    """Each wrong $…$ or $$…$$ in Markdown text, quoting the expression."""
    problems = []
    for match in MATH.finditer(text):
        tex = (match.group(1) if match.group(1) is not None else match.group(2)).strip()
        problem = tex_problem(tex)
        if problem:
            shown = " ".join(tex.split())
            shown = shown if len(shown) <= _SHOWN else shown[:_SHOWN] + "…"
            problems.append(t("input.tex_in", tex=shown, problem=problem))
    return problems
