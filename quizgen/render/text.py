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
    from pylatexenc.latex2text import LatexNodes2Text

    return LatexNodes2Text(math_mode="text", strict_latex_spaces=False)


_MATH = re.compile(r"\$\$(.+?)\$\$|\$(.+?)\$", re.S)


@lru_cache(maxsize=4096)
def tex_text(tex: str) -> str:
    """LaTeX math as plain Unicode (memoized: symbolic forms repeat across variants)."""
    text = _converter().latex_to_text(tex)
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
