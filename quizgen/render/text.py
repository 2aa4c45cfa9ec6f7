"""LaTeX and Markdown as readable terminal text (Unicode), and values as bracketed lines.

Primitives only: present.terminal lays a question's view out with them.
"""

from __future__ import annotations

import re
from functools import lru_cache

from quizgen.render.numbers import matrix_lines


@lru_cache(maxsize=None)
def _converter():
    """pylatexenc's converter, made (and pylatexenc imported) at the first conversion: listing
    the writers, as every `export` does, converts nothing."""
    from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

    context = get_default_latex_context_db()
    context.add_context_category("quizgen-frac", prepend=True,
                                 macros=[MacroTextSpec(name, simplify_repl=_frac) for name in ("frac", "dfrac", "tfrac")])
    return LatexNodes2Text(latex_context=context, math_mode="text", strict_latex_spaces=False)


_SUM = re.compile(r"\S\s*[+\-\u2212\u00b1]\s*\S")  # a binary + or - : a sum needs brackets around it


def _frac(node, l2tobj) -> str:
    """\\frac{a}{b} as a/b, bracketing a sum on either side and any compound denominator:
    \\frac{m}{1 - \\beta} is m/(1 - β), not m/1 - β."""
    top, bottom = (l2tobj.nodelist_to_text([arg]).strip() for arg in node.nodeargd.argnlist[-2:])
    if _SUM.search(top):
        top = f"({top})"
    if _SUM.search(bottom) or re.search(r"[\s/·]", bottom):
        bottom = f"({bottom})"
    return f"{top}/{bottom}"


_MATH = re.compile(r"\$\$(.+?)\$\$|\$(.+?)\$", re.S)


# an absolute value's bars hug their contents: \left| g \right| and \lvert g \rvert read |g|
_BARS = re.compile(r"\\(?:left\||lvert)\s*|\s*\\(?:right\||rvert)(?![A-Za-z])")


@lru_cache(maxsize=4096)
def tex_text(tex: str) -> str:
    """LaTeX math as plain Unicode (memoized: symbolic forms repeat across variants)."""
    text = _converter().latex_to_text(_BARS.sub("|", tex))
    text = re.sub(r"\b(log|ln|exp)(?=[A-Za-z(])", r"\1 ", text)  # \log a_j -> "log a_j", not "loga_j"
    return re.sub(r"[ \t]+", " ", text).strip()


def markdown_text(markdown: str, fix=lambda tex: tex) -> str:
    """Prompt Markdown with its $...$ math made readable (each formula passed through `fix`
    first); bold markers dropped."""
    def repl(match: re.Match) -> str:
        if match.group(1) is not None:
            return "\n    " + tex_text(fix(match.group(1))) + "\n"
        return tex_text(fix(match.group(2)))

    return _MATH.sub(repl, markdown).replace("**", "")


def value_lines(value, indent: str = "    ") -> list[str]:
    if isinstance(value, (int, float)):
        return [indent + matrix_lines([value])[0].strip("[] ")]
    return [indent + line for line in matrix_lines(value)]
