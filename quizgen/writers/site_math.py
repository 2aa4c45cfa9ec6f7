"""LaTeX and Markdown -> HTML with MathML for the study site, memoized per process.

A formula is converted once per *shape*: its number literals are swapped for placeholders
before the memoized converter (render.mathml) sees it, a numeric bmatrix is typeset straight
from its numbers, and prompts that differ only inside their math share one Markdown run.
"""

from __future__ import annotations

import re
from functools import lru_cache

from markupsafe import Markup

from quizgen.render import mathml, safe

_MATH = re.compile(r"\$\$(.+?)\$\$|\$(.+?)\$", re.S)
_SLOT = re.compile("[\ue000\ue002](\\d+)\ue001")  # \ue000 inline, \ue002 display math
_ALONE = re.compile("<p>(\ue002\\d+\ue001)</p>")
# X^{a}^{b} is not valid LaTeX (latex2mathml refuses it); brace the base: {X^{a}}^{b}.
_DOUBLE_SUP = re.compile(r"(\\?[A-Za-z]+)(\^\{(?:[^{}]|\{[^{}]*\})*\})(?=\^)")
# latex2mathml sets \mathrm{d} (one letter) as an italic <mi>; {\rm d} keeps it upright.
_MATHRM_LETTER = re.compile(r"\\mathrm\{([A-Za-z])\}")
# latex2mathml puts no space between "log" and its argument: \log a_j reads "loga_j".
_FUNCTION_SPACE = re.compile(r"\\(log|ln|exp)(?![A-Za-z])\s*(?=[A-Za-z{]|\\(?!left|right|,|;|!))")


@lru_cache(maxsize=16384)
def fix_tex(tex: str) -> str:
    """Work around latex2mathml: X^{a}^{b}, an italic \\mathrm{d}, "loga"."""
    tex = _MATHRM_LETTER.sub(r"{\\rm \1}", _DOUBLE_SUP.sub(r"{\1\2}", tex))
    return _FUNCTION_SPACE.sub(r"\\\1\\, ", tex) if "\\" in tex else tex


_BMATRIX = re.compile(r"\\begin\{bmatrix\}(.*?)\\end\{bmatrix\}", re.S)
_NUMBER = re.compile(r"-?(?:\d+\.?\d*|\.\d+)(?:e-?\d+)?")


def _top_level(before: str) -> bool:
    """Whether a group starting after `before` sits outside every brace and \\left...\\right."""
    return (before.count("{") == before.count("}") and before.count(r"\left") == before.count(r"\right")
            and not before.rstrip().endswith(("^", "_")))


_LITERAL = re.compile(r"(?<![\w\\{.])\d+(?:\.\d+)?(?![\w.])")
_SLOT_MN = re.compile(r"<mn>777(\d{4})</mn>")


def symbolic_inner(s: str) -> str:
    """MathML content of LaTeX `s`, converting each shape of formula once: the number literals
    are swapped for placeholders, the result is memoized, and the numbers are put back."""
    numbers: list[str] = []

    def slot(match: re.Match) -> str:
        numbers.append(match.group(0))
        return f"777{len(numbers) - 1:04d}"

    key = _LITERAL.sub(slot, s)
    if not numbers or len(numbers) > 9999:
        return mathml.tex_inner(s)
    inner = mathml.tex_inner(key)
    found = _SLOT_MN.findall(inner)
    if sorted(int(i) for i in found) != list(range(len(numbers))):  # a number not set as one <mn>
        return mathml.tex_inner(s)
    return _SLOT_MN.sub(lambda m: f"<mn>{numbers[int(m.group(1))]}</mn>", inner)


def math_inner(s: str) -> str:
    """MathML content of LaTeX `s`; a numeric bmatrix at top level is typeset from its numbers
    (render.mathml.value_inner), so only the symbolic rest goes through the memoized converter."""
    s = fix_tex(s)
    if "bmatrix" not in s:
        return symbolic_inner(s)
    out, last = [], 0
    for match in _BMATRIX.finditer(s):
        rows = [[cell.strip() for cell in row.split("&")] for row in match.group(1).split(r"\\")]
        if not all(_NUMBER.fullmatch(cell) for row in rows for cell in row) or not _top_level(s[:match.start()]):
            return symbolic_inner(s)
        if s[last:match.start()].strip():
            out.append(symbolic_inner(s[last:match.start()].strip()))
        out.append(mathml.value_inner([[float(cell) for cell in row] for row in rows]))
        last = match.end()
    if s[last:].strip():
        out.append(symbolic_inner(s[last:].strip()))
    return "<mrow>" + "".join(out) + "</mrow>"


@lru_cache(maxsize=8192)
def tex(s: str, display: bool = False) -> Markup:
    """A LaTeX string as <math> (memoized: a family's symbolic steps repeat in every variant)."""
    return Markup(mathml.math(math_inner(s), display))


def value(v, display: bool = False) -> Markup:
    return Markup(mathml.value(v, display))


def parts(items: list[dict]) -> Markup:
    """A step's `parts` as one display <math>: the markup of render.mathml.parts, with each
    symbolic piece converted once per shape (math_inner) and each value typeset directly."""
    inner = "".join(math_inner(p["tex"]) if "tex" in p else mathml.value_inner(p["num"]) for p in items)
    return Markup(mathml.math(f"<mrow>{inner}</mrow>", display=True))


@lru_cache(maxsize=4096)
def _markdown(text: str) -> str:
    """Markdown of text whose math is already replaced by slots (same prose, same result);
    a display formula alone in a paragraph becomes a block that scrolls when it is too wide."""
    return _ALONE.sub(r'<div class="math-scroll">\1</div>', safe.markdown(text))


@lru_cache(maxsize=4096)
def md(text: str, inline: bool = False) -> Markup:
    """Markdown + $math$ as HTML: math becomes MathML first and is hidden from Markdown, so
    variants that differ only inside their formulas share one Markdown conversion. Bank text is
    never HTML: render.safe escapes raw HTML, unsafe links and images, and the MathML."""
    text = safe.clean_text(text)
    stash: list[str] = []

    def keep(match: re.Match) -> str:
        display = match.group(1) is not None
        body = (match.group(1) if display else match.group(2)).strip()
        pieces = mathml.split_equations(body) if display else [body]
        if len(pieces) > 1:  # a chain of equations wraps between equations, never mid-formula
            stash.append('<span class="eqs">' + "".join(tex(p) for p in pieces) + "</span>")
        else:
            stash.append(tex(body, display))
        return f"{chr(0xE002) if display else chr(0xE000)}{len(stash) - 1}\ue001"

    html = _SLOT.sub(lambda m: stash[int(m.group(1))], _markdown(_MATH.sub(keep, text)))
    if inline and html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return Markup(html)
