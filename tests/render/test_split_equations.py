"""render.mathml.split_equations finds its separators with str.find and gives what the scan
char by char gave (issue 15, speed)."""

from __future__ import annotations

import random

from quizgen.render.mathml import split_equations


def scanned(tex_string: str, sep: str = r",\quad") -> list[str]:
    """The scan split_equations replaced: brace depth char by char, a split separator skipped."""
    pieces, depth, start, i = [], 0, 0, 0
    while i < len(tex_string):
        if tex_string[i] == "{":
            depth += 1
        elif tex_string[i] == "}":
            depth -= 1
        elif depth == 0 and tex_string.startswith(sep, i):
            pieces.append(tex_string[start:i + 1].strip())
            start = i = i + len(sep)
            continue
        i += 1
    return pieces + [tex_string[start:].strip()]


def test_found_separators_split_where_the_scan_split():
    """Guards split_equations: nested and unbalanced braces, \\{, overlapping separators."""
    rng = random.Random(15)
    alphabet = ["{", "}", ",", r"\quad", r",\quad", " ", "a", "b=", r"\{", ",,", r",\quad,\quad", r"\q"]
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14)))
        for sep in (r",\quad", ",", ",,", "a"):
            assert split_equations(text, sep) == scanned(text, sep), (text, sep)


def test_a_chain_of_equations_splits_between_equations_only():
    assert split_equations(r"a = b,\quad c = \frac{1}{2},\quad d") == ["a = b,", r"c = \frac{1}{2},", "d"]
    assert split_equations(r"f_{a,\quad b} = 1") == [r"f_{a,\quad b} = 1"]
    assert split_equations("  x  ") == ["x"]
