"""LaTeX -> MathML at build time, memoized; numeric matrices written as MathML directly.

latex2mathml costs ~0.5 ms per expression, so each symbolic string is converted once per
process. Numbers never go through it: a matrix is emitted as <mtable> straight from its values.
"""

from __future__ import annotations

from functools import lru_cache
from html import escape

from quizgen.render.numbers import fmt
from quizgen.render.safe import mathml_inner

STRETCHY = {r"\left(": '<mo fence="true" stretchy="true">(</mo>',
            r"\right)": '<mo fence="true" stretchy="true">)</mo>',
            # an absolute value's bars as a step's own parts (its numbers between them): fences
            # with their form, else a bar between two terms is spaced like the relation "divides"
            r"\lvert": '<mo fence="true" form="prefix" stretchy="false">|</mo>',
            r"\rvert": '<mo fence="true" form="postfix" stretchy="false">|</mo>'}


@lru_cache(maxsize=16384)
def tex_inner(tex: str) -> str:
    """The MathML content (without <math>) of a LaTeX string, allowlisted and escaped
    (render.safe): bank LaTeX is data, so \\href, \\style and \\text{<tag>} stay inert."""
    if tex in STRETCHY:
        return STRETCHY[tex]
    # Imported at the first conversion: listing the writers (every `export`) imports this module,
    # and latex2mathml with what it imports is ~30 ms of start-up a JSON export never uses.
    from latex2mathml.converter import convert_to_element

    try:
        element = convert_to_element(tex)
    except Exception:  # latex2mathml raises assorted errors on unsupported input
        return f"<mtext>{escape(tex)}</mtext>"
    return mathml_inner(element)


def math(inner: str, display: bool = False, bare: bool = False) -> str:
    """A <math> element; `bare` leaves out the xmlns, which a page served as HTML does not need
    (the study site drops it, so typesetting without it spares a pass over every page)."""
    mode = ' display="block"' if display else ""
    if bare:
        return f"<math{mode}>{inner}</math>"
    return f'<math xmlns="http://www.w3.org/1998/Math/MathML"{mode}>{inner}</math>'


def tex(tex_string: str, display: bool = False) -> str:
    return math(tex_inner(tex_string), display)


def _number(x) -> str:
    text = fmt(x)
    if text.startswith("-"):
        return f"<mrow><mo>&#x2212;</mo><mn>{text[1:]}</mn></mrow>"
    return f"<mn>{text}</mn>"


# Each number's MathML, and as a table cell, remembered in plain dicts (a dict lookup per entry is
# cheaper than an lru_cache's, or than keying a whole array by its entries): grid values recur
# across steps and variants, a given in a step, a result in the next step and the answer. Equal
# numbers (1, 1.0, True; 0.0, -0.0) share an entry and print alike: fmt reads float(x). Bounded
# (emptied when full), per process.
_NUMBERS: dict = {}
_CELLS: dict = {}
NUMBERS_LIMIT = 65536


def number_inner(x: float) -> str:
    """One number as MathML (remembered, see _NUMBERS)."""
    html = _NUMBERS.get(x)
    if html is None:
        if len(_NUMBERS) >= NUMBERS_LIMIT:
            _NUMBERS.clear()
        html = _NUMBERS[x] = _number(x)
    return html


def _cell(x: float) -> str:
    """A matrix entry, or a vector's (its own row), as <mtd> (remembered, see _NUMBERS)."""
    if len(_CELLS) >= NUMBERS_LIMIT:
        _CELLS.clear()
    html = _CELLS[x] = f"<mtd>{number_inner(x)}</mtd>"
    return html


def value_inner(value) -> str:
    """A number, vector (as a column) or matrix as bracketed MathML."""
    if isinstance(value, (int, float)):
        return _NUMBERS.get(value) or number_inner(value)
    get = _CELLS.get
    if value and isinstance(value[0], list):
        body = "".join(["<mtr>" + "".join([get(x) or _cell(x) for x in row]) + "</mtr>" for row in value])
    else:
        body = "".join(["<mtr>" + (get(x) or _cell(x)) + "</mtr>" for x in value])
    return ('<mrow><mo fence="true" stretchy="true">[</mo><mtable>' + body +
            '</mtable><mo fence="true" stretchy="true">]</mo></mrow>')


def value(v, display: bool = False) -> str:
    return math(value_inner(v), display)


def parts(items: list[dict], display: bool = True) -> str:
    """A step's `parts` ({"tex"} symbolic, memoized; {"num"} values, direct) as one <math>."""
    inner = "".join(tex_inner(p["tex"]) if "tex" in p else value_inner(p["num"]) for p in items)
    return math(f"<mrow>{inner}</mrow>", display)


def split_equations(tex_string: str, sep: str = r",\quad") -> list[str]:
    """`a = b,\\quad c = d` -> ["a = b,", "c = d"] (only at brace depth 0), so a chain of
    equations can wrap between equations instead of running off the page. Each separator (which
    opens with no brace) is found by str.find and the depth there counted from the braces since
    the last one, a split separator's own left out (a scan char by char cost ~0.1 ms a formula)."""
    pieces, start, depth, counted = [], 0, 0, 0
    at = tex_string.find(sep)
    while at != -1:
        depth += tex_string.count("{", counted, at) - tex_string.count("}", counted, at)
        counted = at
        if depth == 0:
            pieces.append(tex_string[start:at + 1].strip())
            start = counted = at + len(sep)
            at = tex_string.find(sep, start)
        else:
            at = tex_string.find(sep, at + 1)
    return pieces + [tex_string[start:].strip()]
