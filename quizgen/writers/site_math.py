"""The study site's name for the one Markdown+math pipeline (quizgen.present.math).

The site's only layout choice: a display formula alone in a paragraph scrolls sideways.
"""

from __future__ import annotations

from markupsafe import Markup

from quizgen.present import math
from quizgen.present.math import fix_tex, math_inner, parts, symbolic_inner, tex, value

__all__ = ["fix_tex", "math_inner", "md", "parts", "symbolic_inner", "tex", "value"]


def md(text: str, inline: bool = False) -> Markup:
    """Markdown + $math$ as the site lays it out (present.math.md with scrolling display math)."""
    return math.md(text, inline, scroll=True)
