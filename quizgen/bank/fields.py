"""Checks for one family field each, collecting errors instead of raising (spec.py uses them).

Each check accepts any value a TOML file can hold (a list where a string belongs, a number where
a table belongs) and reports it as `file: key: what is wrong` rather than crashing on it.
"""

from __future__ import annotations

import math
import unicodedata

from quizgen.bank.texcheck import text_problems
from quizgen.datafile import clip, key_name
from quizgen.errors import BankError
from quizgen.limits import MAX_TEXT
from quizgen.messages import t


class Collector:
    """Every error found in one family file."""

    def __init__(self, path: str):
        self.path, self.errors = path, []

    def add(self, key: str, what: str, keep: str = ""):
        """Record an error; its text is cut short (a value from a file can be huge), except `keep`,
        our own list of known names, which is shown whole."""
        if keep and keep in what:
            head, tail = what.split(keep, 1)
            what = clip(head) + keep + clip(tail)
        else:
            what = clip(what)
        self.errors.append(BankError(what, file=self.path, key=key))


def add_known(c: Collector, key: str, message: str, names, **params) -> None:
    """An "unknown ..." error whose list of known names (ours, not the file's) is never cut."""
    known = ", ".join(names)
    c.add(key, t(message, known=known, **params), keep=known)


def own_table(c: Collector, raw, name: str, keys, not_a_table: str, unknown_key: str) -> dict | None:
    """A kind's own [name] table (Kind.table) as a dict, each key it does not know reported with the
    known ones; None (reported under `name`) when it is missing or not a table."""
    if not isinstance(raw, dict):
        c.add(name, t(not_a_table))
        return None
    for key in sorted(set(raw) - set(keys)):
        add_known(c, f"{name}.{key_name(key)}", unknown_key, sorted(keys))
    return raw


def number_range(c: Collector, key: str, value, *, integer: bool = True, low=None, high=None):
    ok_type = int if integer else (int, float)
    if (not isinstance(value, list) or len(value) != 2
            or not all(isinstance(v, ok_type) and not isinstance(v, bool) for v in value)):
        c.add(key, t("family.range_whole" if integer else "family.range_numbers", value=value))
        return None
    lo, hi = value
    if lo > hi:
        c.add(key, t("family.range_order", lo=lo, hi=hi))
        return None
    if low is not None and lo < low:
        c.add(key, t("family.at_least", limit=low, value=lo))
        return None
    if high is not None and hi > high:
        c.add(key, t("family.at_most", limit=high, value=hi))
        return None
    return (lo, hi)


def one_of(c: Collector, key: str, value, known, what: str):
    """A string naming one of `known`, else an error (a list or number is reported, not crashed on)."""
    if not isinstance(value, str) or value not in known:
        add_known(c, key, "family.unknown_name", known, what=what, value=value)
        return None
    return value


def visible(value: str) -> str:
    """What a reader tells titles apart by: NFKC-folded, case-folded, without spaces or invisible
    format characters (a title of zero-width spaces is empty; "T", "T\u200b" and "Ｔ" are one)."""
    if value.isascii():  # fast path, same result: NFKC keeps ASCII, casefold is lower, and the
        return value.lower().translate(_ASCII_UNSEEN)  # spaces and controls are 0x00-0x20 and 0x7f
    folded = unicodedata.normalize("NFKC", value).casefold()
    return "".join(ch for ch in folded if not ch.isspace() and unicodedata.category(ch) not in ("Cf", "Cc", "Mn"))


_ASCII_UNSEEN = dict.fromkeys([*range(0x21), 0x7F])  # str.translate: delete these


def text(c: Collector, data: dict, key: str, default: str | None = None) -> str:
    """A string field; its $…$ LaTeX is checked, since latex2mathml accepts wrong LaTeX silently."""
    value = data.get(key, default)
    if not isinstance(value, str):
        c.add(key, t("family.not_string", value=value) if key in data else t("family.missing"))
        return ""
    return checked_text(c, key, value, MAX_TEXT)


def checked_text(c, key: str, value: str, limit: int) -> str:
    """Markdown + math text from a file (a family's or an exam spec's): bounded, and its LaTeX
    checked, since latex2mathml accepts wrong LaTeX silently. `c` is any collector with add()."""
    if len(value) > limit:
        c.add(key, t("family.too_long", length=len(value), limit=limit))
        return ""
    for problem in text_problems(value):
        c.add(key, problem)
    return value


def grid_holds_points(c: Collector, key: str, bounds, step: float, nonzero: bool) -> None:
    lo, hi = bounds
    first, last = math.ceil(lo / step), math.floor(hi / step)
    count = last - first + 1 - (1 if nonzero and first <= 0 <= last else 0)
    if count < 1:
        c.add(key, t("family.grid_empty_nonzero" if nonzero else "family.grid_empty", lo=lo, hi=hi, step=f"{step:g}"))


def table(c: Collector, data: dict, name: str, known: set[str]) -> dict:
    """A sub-table of the family (empty if absent), with its unknown keys reported."""
    table = data.get(name, {})
    if not isinstance(table, dict):
        c.add(name, t("family.not_table"))
        return {}
    for key in sorted(set(table) - known):
        add_known(c, f"{name}.{key_name(key)}", "family.unknown_key", sorted(known))
    return table
