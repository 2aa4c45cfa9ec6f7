"""Plain Markdown (paragraphs, flat lists, **bold**, `code`) written without python-markdown.

Every prompt, note and option of the shipped bank is just that, and python-markdown spends
~0.5 ms on each (preprocessors, block parser, tree, inline patterns, serializer,
postprocessors), once per prompt shape in every worker process, after ~40 ms importing itself.
`simple(text)` gives exactly what python-markdown gives for such a text, and None for any text
with a character or a line start that Markdown may read as more (render.safe.markdown then
converts it the full way):

- characters: any but the few python-markdown reads (backslash, backtick, `*`, `_`, `<`, `&`,
  `#`: no escape, code, emphasis, HTML, autolink, entity or heading), control characters and
  whitespace other than the space and the newline (tabs, NBSP: Markdown expands or strips some);
  but `*` in **bold** pairs, backticks around `code`, `_` between two letters or digits (a name
  such as leaky_relu: never emphasis), `<` before a space and `>` (a quote only where a line
  opens), both written as entities as python-markdown does, and brackets, but never `](` (an
  inline link's target): with no `[id]: url` line, no reference is defined, so z[y] is no link;
- blocks, separated by exactly one blank line: a paragraph, no line of which opens with a space,
  `-`, `+`, `=`, `>`, `!`, `|`, `~`, `[`, `<digits>.` (no code block, list, setext underline,
  rule, quote or reference) or a `*` not opening a bold pair; or a list, every line `- item` or
  every line `<digits>. item`, each item opening as a paragraph line does, never right after
  another list (python-markdown would join the two into one loose list); no line ends with a
  space (a line break);
- bold: `**words**` with no `*` or newline inside and no space just inside the stars (what
  python-markdown's `(\\*{2})(.+?)\\1` then matches, pair by pair: no other star is left);
- code: `` `words` `` with no backtick, `*` or newline inside and no space just inside.
"""

from __future__ import annotations

import re

# Python's whitespace but the space and the newline (str.isspace), and controls (C0, DEL, C1)
_BLANKS = "\t\x0b\x0c\r\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_WORDS = re.compile(f"[^\\\\`*_<>&#\x00-\x08\x0e-\x1b\x7f-\x9f{_BLANKS}]*")
# an underscore not inside a word; a < that may open a tag; a link's target after its text
_NOT_PLAIN = re.compile(r"(?<![^\W_])_|_(?![^\W_])|<(?! )|\]\(")
_LINE_START = re.compile(r"\*\*[^\s*]|(?![\s\-+=*>!|~_\[]|\d+\.)")
_ITEM = re.compile(r"- |\d+\. ")
_BOLD = re.compile(r"(?<!\*)\*\*([^\s*](?:[^*\n]*[^\s*])?)\*\*(?!\*)")
_CODE = re.compile(r"`([^\s`*](?:[^`*\n]*[^\s`*])?)`")


def simple(text: str) -> str | None:
    """python-markdown's HTML for `text` if it is plain Markdown as described above, else None."""
    plain = _CODE.sub(r"\1", text) if "`" in text else text
    if "`" in plain or _NOT_PLAIN.search(text) or not _WORDS.fullmatch(
            plain.replace("**", "").replace("_", "").replace("<", "").replace(">", "")):
        return None
    html = text.replace("<", "&lt;").replace(">", "&gt;") if "<" in text or ">" in text else text
    html = _BOLD.sub(r"<strong>\1</strong>", html) if "**" in html else html
    if "**" in html:
        return None  # stars that are not one of the pairs above
    if "`" in html:
        html = _CODE.sub(r"<code>\1</code>", html)
    out, after_list = [], False
    for block, written in zip(text.split("\n\n"), html.split("\n\n")):
        lines = block.split("\n")
        if not block or any(not line or line[-1] == " " for line in lines):
            return None  # a blank line opening or closing the text, two in a row, or a line break
        marker = _ITEM.match(lines[0])
        if marker is None:
            if not all(_LINE_START.match(line) for line in lines):
                return None
            out.append(f"<p>{written}</p>")
        else:
            bullet = marker.group() == "- "
            items = [_ITEM.match(line) for line in lines]
            if after_list or not all(m and (m.group() == "- ") == bullet and _LINE_START.match(line, m.end())
                                     for line, m in zip(lines, items)):
                return None
            kind = "ul" if bullet else "ol"
            out.append(f"<{kind}>\n" + "\n".join(f"<li>{line[m.end():]}</li>"
                                                 for line, m in zip(written.split("\n"), items)) + f"\n</{kind}>")
        after_list = marker is not None
    return "\n".join(out)
