"""Markdown that is only paragraphs of plain words and **bold**, written without python-markdown.

Most bank prompts and step notes are just that, and python-markdown spends ~0.5 ms on each
(its preprocessors, block parser, tree, inline patterns, serializer and postprocessors), once
per prompt shape in every worker process. `paragraphs(text)` gives exactly what python-markdown
gives for such a text, and None for any text with a character or a line start that Markdown may
read as more than words (render.safe.markdown then converts it the full way):

- characters: letters, digits, spaces, newlines, math and number slots, and punctuation that
  Markdown gives no meaning (no `*` outside `**` pairs, no `_`, backtick, backslash, brackets,
  `<`, `>`, `&`, `#`, tab or control character, so no emphasis, code, escape, link, HTML,
  entity or heading);
- lines: each opens with a letter, a slot, `(` or `**` and a word character (never a digit,
  space, `-`, `+`, `=`, `>` or `#`: no list, code block, quote, rule or setext underline) and
  ends with no space (no line break); paragraphs are separated by exactly one blank line;
- bold: `**words**` with no `*` or newline inside and no space just inside the stars, opening
  at a line's start or after a space or `(` and closing before a space, punctuation or the end
  (what python-markdown's `(\\*{2})(.+?)\\1` then matches, pair by pair).
"""

from __future__ import annotations

import re

_WORDS = re.compile("[\\w .,;:?!()'\"=/%+\\-\n\ue000-\ue003→×−–—…·≈≤≥′，。：；（）、？！“”‘’]*")
_LINE_START = re.compile("[^\\W\\d_]|[\ue000\ue002\ue003(]|\\*\\*[^\\W_]")
_BOLD = re.compile(r"(?<![^\s(])\*\*([^\s*](?:[^*\n]*[^\s*])?)\*\*(?![^\s.,;:?!)])")


def paragraphs(text: str) -> str | None:
    """python-markdown's HTML for `text` if it is only paragraphs of words and **bold**, else None."""
    if "_" in text or not _WORDS.fullmatch(text.replace("**", "")):
        return None
    for line in text.split("\n"):
        if line:
            if line[-1] == " " or not _LINE_START.match(line):
                return None
    paras = text.split("\n\n")
    if "" in paras or any(p[0] == "\n" or p[-1] == "\n" for p in paras):
        return None  # a blank line opening or closing the text, or two in a row
    html = _BOLD.sub(r"<strong>\1</strong>", text) if "**" in text else text
    if "**" in html:
        return None  # stars that are not one of the pairs above
    return "\n".join([f"<p>{p}</p>" for p in html.split("\n\n")])
