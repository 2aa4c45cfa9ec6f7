"""LaTeX and Markdown -> HTML with MathML, the one pipeline every page uses, memoized.

Bank text is made safe by render.safe (raw HTML escaped, links guarded, MathML allowlisted).
Before conversion the LaTeX is fixed once (`fix_tex`); after it the MathML is polished once
(`polish`); values are typeset from their numbers with floating-point noise shown as 0 (`clean`).
Fast paths: a formula is converted once per *shape* (its number literals swapped for
placeholders), a numeric bmatrix is typeset straight from its numbers, and prompts that differ
only inside their math share one Markdown run. Each gives exactly what plain conversion gives.
"""

from __future__ import annotations

import re
from functools import lru_cache

from markupsafe import Markup

from quizgen.render import mathml, safe
from quizgen.render.numbers import plain as clean  # float noise shown as 0: the rule records use

_MATH = re.compile(r"\$\$(.+?)\$\$|\$(.+?)\$", re.S)
_SLOT = re.compile("[\ue000\ue002](\\d+)\ue001")  # \ue000 inline, \ue002 display math
_ALONE = re.compile("<p>(\ue002\\d+\ue001)</p>")
# X^{a}^{b} is not valid LaTeX (latex2mathml refuses it); brace the base: {X^{a}}^{b}.
_DOUBLE_SUP = re.compile(r"(\\?[A-Za-z]+)(\^\{(?:[^{}]|\{[^{}]*\})*\})(?=\^)")
# latex2mathml sets \mathrm{d} (one letter) as an italic <mi>; {\rm d} keeps it upright.
_MATHRM_LETTER = re.compile(r"\\mathrm\{([A-Za-z])\}")
# latex2mathml puts no space between "log" and its argument: \log a_j reads "loga_j".
_FUNCTION_SPACE = re.compile(r"\\(log|ln|exp)(?![A-Za-z])\s*(?=[A-Za-z{]|\\(?!left|right|,|;|!))")
# Floating-point noise such as 8.327e-17 (a true 0 after cancellation) is never printed.
_NOISE = re.compile(r"-?\d+(?:\.\d+)?e-(?:1[2-9]|[2-9]\d|\d{3})\b")
# latex2mathml writes f' as <msup>f ′</msup>; a math font's ′ is already raised, so as a
# superscript it floats like an accent. Print it beside its base instead.
_BASE = r"<mi[^>]*>[^<]*</mi>|<mrow>(?:<mi[^>]*>[^<]*</mi>)+</mrow>"
_SUB = r"<mn>[^<]*</mn>|<mi[^>]*>[^<]*</mi>|<mrow>(?:<m[in][^>]*>[^<]*</m[in]>)+</mrow>"
_PRIME = r"(?:<mrow>)?<mi>(?:&#x02032;|′)</mi>(?:</mrow>)?"
_PRIME_MO = '<mo lspace="0" rspace="0">&#x2032;</mo>'
_SUP_PRIME = re.compile(f"<msup>({_BASE}){_PRIME}</msup>")
_SUBSUP_PRIME = re.compile(f"<msubsup>({_BASE})({_SUB}){_PRIME}</msubsup>")


def denoise(tex: str) -> str:
    """LaTeX with floating-point noise (8.327e-17) written as the 0 it is."""
    return _NOISE.sub("0", tex) if "e-" in tex else tex


@lru_cache(maxsize=16384)
def fix_tex(tex: str) -> str:
    """Work around latex2mathml: X^{a}^{b}, an italic \\mathrm{d}, "loga"; and drop float noise."""
    tex = denoise(_MATHRM_LETTER.sub(r"{\\rm \1}", _DOUBLE_SUP.sub(r"{\1\2}", tex)))
    return _FUNCTION_SPACE.sub(r"\\\1\\, ", tex) if "\\" in tex else tex


def polish(html: str) -> str:
    """MathML as a browser should show it: primes beside their base, not raised above it."""
    if "&#x02032;" not in html and "′" not in html:
        return html
    html = _SUP_PRIME.sub(lambda m: f"<mrow>{m.group(1)}{_PRIME_MO}</mrow>", html)
    return _SUBSUP_PRIME.sub(lambda m: f"<mrow><msub>{m.group(1)}{m.group(2)}</msub>{_PRIME_MO}</mrow>", html)


_BMATRIX = re.compile(r"\\begin\{bmatrix\}(.*?)\\end\{bmatrix\}", re.S)
_NUMBER = re.compile(r"-?(?:\d+\.?\d*|\.\d+)(?:e-?\d+)?")


def _top_level(before: str) -> bool:
    """Whether a group starting after `before` sits outside every brace and \\left...\\right."""
    return (before.count("{") == before.count("}") and before.count(r"\left") == before.count(r"\right")
            and not before.rstrip().endswith(("^", "_")))


# a number literal, braced ones too (z_{4}, W^{[2]}_{1,3}: a family's subscripts vary by variant),
# not part of a name or command (x2, \frac12); symbolic_inner checks each comes back as one <mn>.
# Left in the key, as literals that never come back as one plain <mn>: an unbraced exponent
# (^2 sets only its first digit as the exponent) and \mathbb{1} (an <mn> with a mathvariant)
_LITERAL = re.compile(r"(?<![\w\\.^])(?<!\\mathbb\{)\d+(?:\.\d+)?(?![\w.])")
_SLOT_MN = re.compile(r"(?<=<mn>)777(\d{4})(?=</mn>)")  # a placeholder set as one plain <mn>


def symbolic_inner(s: str) -> str:
    """MathML content of LaTeX `s`, converting each shape of formula once: the number literals
    are swapped for placeholders, the shape's MathML is memoized (split at its placeholders), and
    the numbers are put back."""
    numbers = _LITERAL.findall(s)
    if not numbers or len(numbers) > 9999:
        return mathml.tex_inner(s)
    texts = [""] * (2 * len(numbers) + 1)  # text, number, text, ..., text
    texts[0::2] = _LITERAL.split(s)
    texts[1::2] = [f"777{i:04d}" for i in range(len(numbers))]
    shape = _shape("".join(texts), len(numbers))
    if shape is None:  # a number not set as one plain <mn>
        return mathml.tex_inner(s)
    texts[0::2], order = shape
    texts[1::2] = [numbers[i] for i in order]
    return "".join(texts)


@lru_cache(maxsize=16384)
def _shape(key: str, count: int) -> tuple | None:
    """The MathML of a formula's shape `key` as (its text between placeholders, the placeholders'
    order), or None unless each of the `count` placeholders comes back exactly once as an <mn>."""
    split = _SLOT_MN.split(mathml.tex_inner(key))
    order = tuple(int(i) for i in split[1::2])
    if sorted(order) != list(range(count)):
        return None
    return tuple(split[0::2]), order


def _raw_inner(s: str) -> str:
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


@lru_cache(maxsize=16384)
def math_inner(s: str) -> str:
    """MathML content of LaTeX `s` (fixed, converted, polished); a numeric bmatrix at top level
    is typeset from its numbers, so only the symbolic rest goes through the converter."""
    return polish(_raw_inner(fix_tex(s)))


def value_inner(v) -> str:
    """A number, vector or matrix as MathML content, float noise shown as 0 (render.numbers.fmt
    writes |x| < 1e-12 as 0 itself, so the value needs no `clean` copy first)."""
    return mathml.value_inner(v)


@lru_cache(maxsize=8192)
def tex(s: str, display: bool = False, bare: bool = False) -> Markup:
    """A LaTeX string as <math> (memoized: a family's symbolic steps repeat in every variant);
    `bare` here and below: without the xmlns (mathml.math)."""
    return Markup(mathml.math(math_inner(s), display, bare))


# Markup(text) for text that is a str: what Markup.__new__ does then, without its Python-level
# checks (an __html__ method, an encoding), for the values typeset tens of times per page
_markup = str.__new__

# value_inner itself, called straight from the per-value helpers below (one call fewer per value)
_value_inner = mathml.value_inner


def value(v, display: bool = False, bare: bool = False) -> Markup:
    return _markup(Markup, mathml.math(_value_inner(v), display, bare))


def parts(items, bare: bool = False) -> Markup:
    """A step's `parts` ({"tex"} symbolic, {"num"} values) as one display <math>."""
    inner = "".join([math_inner(p["tex"]) if "tex" in p else _value_inner(p["num"]) for p in items])
    return _markup(Markup, mathml.math(f"<mrow>{inner}</mrow>", True, bare))


def equals(latex: str, v, approx: bool = False, bare: bool = False) -> Markup:
    """`name = value` (or ≈ for a value the prompt rounded) as one inline <math>."""
    inner = math_inner(latex) + ("<mo>≈</mo>" if approx else "<mo>=</mo>") + _value_inner(v)
    return _markup(Markup, mathml.math(inner, False, bare))


def display_math(s: str, bare: bool = False) -> str:
    """A display formula; a chain of equations (`,\\quad`-separated) wraps between equations
    instead of running off the page."""
    pieces = mathml.split_equations(s)
    if len(pieces) == 1:
        return tex(s, True, bare)
    return '<span class="eqs">' + "".join(tex(p, False, bare) for p in pieces) + "</span>"


@lru_cache(maxsize=4096)
def _markdown(text: str, scroll: bool) -> str:
    """Markdown of text whose math is already replaced by slots (same prose, same result);
    with `scroll`, a display formula alone in a paragraph becomes a block that scrolls."""
    html = safe.markdown(text)
    return _ALONE.sub(r'<div class="math-scroll">\1</div>', html) if scroll else html


# A number in prose ("row 2, column 1", "Apply 3 update steps"), not part of a word, a math slot's
# index (\ue000/\ue002 before it) or a decimal; slotted as \ue003<i>\ue001 so that prompts
# differing only in such numbers share one Markdown run (_prose).
_PROSE_NUMBER = re.compile("(?<![\\w\\\\.^\ue000\ue002])\\d+(?:\\.\\d+)?(?![\\w.])")
_NUMBER_SLOT = re.compile("\ue003(\\d+)\ue001")
# Python-Markdown reads digits only in entities (&#8;), link and reference ids and targets ([1],
# <http://x/1>), escapes, tab stops and list markers at a line's start (a code span keeps its
# text as it is); a text with any of these characters, a bare CR (Markdown's line break too) or
# a forged slot is converted whole, as is a number that a line opens (after only spaces, quote,
# list or heading marks): nothing else of Markdown sees digits.
_DIGITS_MATTER = re.compile("[\\[<&\\\\\t\r\ue003]")
_LINE_OPENING = " \t>*+-.#0123456789"


def _prose(text: str, scroll: bool) -> str:
    """_markdown(text, scroll), converting each shape of prose once: numbers in running text are
    swapped for slots (where Markdown gives them no meaning, see _DIGITS_MATTER), the slotted text
    is converted (memoized), and the numbers are put back; each slot must come back exactly once."""
    if _DIGITS_MATTER.search(text):
        return _markdown(text, scroll)
    numbers: list[str] = []

    def slot(match: re.Match) -> str:
        start = match.start()
        if not text[text.rfind("\n", 0, start) + 1:start].strip(_LINE_OPENING):
            return match.group(0)  # a number opening its line may be a list marker: left as it is
        numbers.append(match.group(0))
        return f"\ue003{len(numbers) - 1}\ue001"

    key = _PROSE_NUMBER.sub(slot, text)
    if not numbers:
        return _markdown(text, scroll)
    html = _markdown(key, scroll)
    found = _NUMBER_SLOT.findall(html)
    if len(found) != len(numbers) or sorted(map(int, found)) != list(range(len(numbers))):
        return _markdown(text, scroll)
    return _NUMBER_SLOT.sub(lambda m: numbers[int(m.group(1))], html)


@lru_cache(maxsize=4096)
def md(text: str, inline: bool = False, scroll: bool = False, bare: bool = False) -> Markup:
    """Markdown + $math$ as HTML: math becomes MathML first and is hidden from Markdown, so
    variants that differ only inside their formulas share one Markdown conversion. Bank text is
    never HTML: render.safe escapes raw HTML, unsafe links and images, and the MathML.
    `scroll` (a screen's layout) lets a display formula alone in a paragraph scroll sideways;
    `bare` typesets its math without the xmlns."""
    text = safe.clean_text(text)
    stash: list[str] = []

    def keep(match: re.Match) -> str:
        display = match.group(1) is not None
        stash.append(display_math(match.group(1).strip(), bare) if display else tex(match.group(2).strip(), False, bare))
        return f"{chr(0xE002) if display else chr(0xE000)}{len(stash) - 1}\ue001"

    html = _SLOT.sub(lambda m: stash[int(m.group(1))], _prose(_MATH.sub(keep, text), scroll))
    if inline and html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return Markup(html)
