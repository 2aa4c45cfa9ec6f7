"""The spec's page-layout keys, read apart from spec.py so the exam's content and its paper stay apart.

    cover = false                 # no cover page: title, fields and instructions top page 1
    space = "small"               # work space under each question: none | small | medium | large,
                                  #   or a number of ruled-line heights; also per [[sections]]
    formula_sheet = "inline"      # page (its own page, the default when true) | inline | off
"""

from __future__ import annotations

from quizgen.messages import t

SPACES = {"none": 0.0, "small": 2.4, "medium": 5.6, "large": 10.4}  # cm: 3, 7 and 13 lines
LINE_CM = 0.8  # one handwritten line
MAX_LINES = 40  # more than a page of A4
SHEETS = ("page", "inline", "off")
Space = float | None  # cm of work space, or None: the question's own estimate (more steps, more room)


def space(c, key: str, value) -> Space:
    """A `space` value checked and in cm: a name from SPACES or a whole number of lines (0 to MAX_LINES)."""
    if value is None:
        return None
    if isinstance(value, str) and value in SPACES:
        return SPACES[value]
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_LINES:
        return round(value * LINE_CM, 2)
    c.add(key, t("spec.bad_space", names=", ".join(SPACES), most=MAX_LINES, value=repr(value)[:40]))
    return None


def formula_sheet(c, value) -> str:
    """`formula_sheet` as one of SHEETS; true and false still mean page and off."""
    if value is True or value is False:
        return "page" if value else "off"
    if isinstance(value, str) and value in SHEETS:
        return value
    c.add("formula_sheet", t("spec.bad_formula_sheet", value=repr(value)[:40]))
    return "off"


def cover(c, value) -> bool:
    if not isinstance(value, bool):
        c.add("cover", t("spec.not_flag", value=value))
        return True
    return value
