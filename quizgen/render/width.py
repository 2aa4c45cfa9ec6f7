"""Terminal text measured in columns, not characters: a Chinese character fills two columns.

Tables, matrices, underlines and wrapped paragraphs in the terminal line up by what a reader
sees. Column widths follow Unicode's East Asian Width (W and F take two columns, as terminals
draw them); combining marks, format characters (zero-width space) and controls take none.
The standard library's `unicodedata` holds all of that, so no `wcwidth` dependency is needed:
the text quizgen prints is Latin, Greek, math symbols, box drawing and CJK, on which the two agree.
`fill` also breaks a line between two Chinese characters (Chinese has no spaces), never before
closing punctuation such as ，。、） and never after an opening mark such as （“.
"""

from __future__ import annotations

import re
import textwrap
import unicodedata
from functools import lru_cache

# Punctuation a line must not begin with (it stays on the line before), and CJK ranges.
_NO_LINE_START = set("，。、；：！？）】」』》〉,.;:!?)]…—")
_NO_LINE_END = set("（【「『《〈“‘")  # an opening mark stays with what it opens
_WIDE_RUN = re.compile(r"[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]")


@lru_cache(maxsize=4096)
def _char(ch: str) -> int:
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Cf", "Cc", "Mn", "Me"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def width(text: str) -> int:
    """How many terminal columns `text` fills."""
    if text.isascii():
        return len(text)
    return sum(_char(ch) for ch in text)


def ljust(text: str, columns: int) -> str:
    return text + " " * max(0, columns - width(text))


def rjust(text: str, columns: int) -> str:
    return " " * max(0, columns - width(text)) + text


def _tokens(paragraph: str) -> list[str]:
    """Words (runs of non-space, non-wide characters), single wide characters, and spaces;
    a punctuation mark that may not start a line is glued to the token before it."""
    out: list[str] = []
    word = ""
    for ch in paragraph:
        if ch.isspace() or _WIDE_RUN.match(ch):
            if word:
                out.append(word)
                word = ""
            if ch in _NO_LINE_START and out and not out[-1].isspace():
                out[-1] += ch
            else:
                out.append(" " if ch.isspace() else ch)
        elif ch in _NO_LINE_START and not word and out and not out[-1].isspace():
            out[-1] += ch
        else:
            word += ch
    if word:
        out.append(word)
    glued: list[str] = []
    for token in out:
        if glued and not glued[-1].isspace() and glued[-1][-1] in _NO_LINE_END and not token.isspace():
            glued[-1] += token
        else:
            glued.append(token)
    return glued


def fill(paragraph: str, columns: int, initial_indent: str = "", subsequent_indent: str = "") -> str:
    """`paragraph` as lines of at most `columns` columns (a word longer than a line stays whole);
    runs of spaces become one. Text without wide characters is filled by textwrap, unchanged."""
    if not _WIDE_RUN.search(paragraph):
        return textwrap.fill(paragraph, columns, initial_indent=initial_indent, subsequent_indent=subsequent_indent,
                             break_on_hyphens=False, break_long_words=False)
    lines: list[str] = []
    line, used, indent = initial_indent, width(initial_indent), subsequent_indent
    pending_space = False
    empty = True
    for token in _tokens(paragraph.strip()):
        if token == " ":
            pending_space = not empty
            continue
        gap = 1 if pending_space else 0
        w = width(token)
        if not empty and used + gap + w > columns:
            lines.append(line)
            line, used, empty = indent + token, width(indent) + w, False
        else:
            line += (" " if gap else "") + token
            used += gap + w
            empty = False
        pending_space = False
    lines.append(line)
    return "\n".join(lines)
