"""Bank and spec text is Markdown + math, never HTML: the one place that makes it safe for a page.

Every writer that turns bank text (prompts, choices) or exam-spec text (instructions) into HTML
goes through here, so a shared bank cannot script the study site or load files into a PDF:

- `markdown`: raw HTML is shown as text, links keep only http(s), relative and #fragment
  targets, and an image is shown as its alt text (nothing is fetched);
- `mathml_inner`: latex2mathml's element tree re-serialized through an allowlist of MathML
  elements and attributes, every text node escaped (\\text{<img>} stays text, \\href and
  \\style lose their attributes);
- `css_string`: a string for CSS `content:` that no character of the text can end.
"""

from __future__ import annotations

import html
import re
from xml.etree.ElementTree import Element

from quizgen.render.plain_markdown import simple

# python-markdown is imported on the first conversion, not with this module: a command that
# converts no Markdown (`export --format json`) does not pay for loading it.

# Presentation MathML that latex2mathml writes; anything else becomes an <mrow> of its children.
MATHML_ELEMENTS = frozenset({
    "math", "menclose", "merror", "mfrac", "mi", "mmultiscripts", "mn", "mo", "mover", "mpadded",
    "mphantom", "mprescripts", "mroot", "mrow", "ms", "mspace", "msqrt", "mstyle", "msub", "msubsup",
    "msup", "mtable", "mtd", "mtext", "mtr", "munder", "munderover", "none",
})
# Layout attributes only: no href, style, class, id, colours, event handlers or maction.
MATHML_ATTRIBUTES = frozenset({
    "accent", "accentunder", "align", "bevelled", "columnalign", "columnlines", "columnspacing",
    "columnspan", "denomalign", "depth", "dir", "display", "displaystyle", "fence", "form", "frame",
    "framespacing", "height", "largeop", "linethickness", "lspace", "mathsize", "mathvariant",
    "maxsize", "minsize", "movablelimits", "notation", "numalign", "rowalign", "rowlines",
    "rowspacing", "rowspan", "rspace", "scriptlevel", "separator", "stretchy", "symmetric",
    "voffset", "width",
})
_ATTRIBUTE_VALUE = re.compile(r"[A-Za-z0-9.+\- %]*")  # keywords, numbers and lengths, no url()/CSS
# latex2mathml writes symbols as character references in its text (&#x0003C;); keep those.
_AMP = re.compile(r"&(?:#x([0-9A-Fa-f]{1,6});|#([0-9]{1,7});)?")
# C0/C1 controls (not tab, newline, CR), and also the private-use markers of the math stash.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_CONTROL_OR_SLOT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ue000-\ue002]")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
SCHEMES = ("http", "https")


def clean_text(text: str) -> str:
    """Bank text without control characters or the markers md() stashes math behind (so text
    cannot forge a math slot); call it before stashing."""
    return _CONTROL_OR_SLOT.sub("", text)


def _reference(match: re.Match) -> str:
    """A character reference to a character a page may hold is kept; any other & is escaped."""
    code = match.group(1) or match.group(2)
    if code is not None:
        point = int(code, 16 if match.group(1) else 10)
        if point in (9, 10) or (0x20 <= point <= 0x10FFFF and not 0x7F <= point <= 0x9F
                                and not 0xD800 <= point <= 0xDFFF and (point & 0xFFFE) != 0xFFFE):
            return match.group(0)
    return "&amp;" + match.group(0)[1:]


def escape_math_text(text: str) -> str:
    """A MathML text node: <, > and & escaped, latex2mathml's character references kept."""
    return _AMP.sub(_reference, _CONTROL.sub("", text)).replace("<", "&lt;").replace(">", "&gt;")


def _attributes(el: Element) -> str:
    return "".join(f' {k}="{v}"' for k, v in el.attrib.items()
                   if k in MATHML_ATTRIBUTES and _ATTRIBUTE_VALUE.fullmatch(v))


# Each element's attributes and each text node as written, remembered: a formula's elements carry
# one of a dozen attribute sets and its text nodes are a few hundred symbols, over and over.
# Bounded, per process; keyed by the input itself (attribute items, text), so the same text out.
_WRITTEN: dict = {}
WRITTEN_LIMIT = 4096


def _written(key, write, value) -> str:
    text = _WRITTEN.get(key)
    if text is None:
        text = write(value)
        if len(_WRITTEN) < WRITTEN_LIMIT:
            _WRITTEN[key] = text
    return text


def _text(text: str) -> str:
    """escape_math_text(text), remembered (a text is a str key; attribute keys are tuples)."""
    return _written(text, escape_math_text, text)


def _serialize(el: Element, out: list[str]) -> None:
    """Like ElementTree.tostring (so shipped output is unchanged), through the allowlist."""
    tag = el.tag if el.tag in MATHML_ELEMENTS and el.tag != "math" else "mrow"
    attributes = _written(tuple(el.attrib.items()), _attributes, el) if tag == el.tag and el.attrib else ""
    if el.text or len(el):
        out.append(f"<{tag}{attributes}>")
        if el.text:
            out.append(_text(el.text))
        for child in el:
            _serialize(child, out)
        out.append(f"</{tag}>")
    else:
        out.append(f"<{tag}{attributes} />")
    if el.tail:
        out.append(_text(el.tail))


def mathml_inner(math: Element) -> str:
    """The content of latex2mathml's <math> element as allowlisted, escaped MathML."""
    out: list[str] = []
    if math.text:
        out.append(_text(math.text))
    for child in math:
        _serialize(child, out)
    return "".join(out)


def safe_href(url: str) -> bool:
    """Whether a link target is http(s), relative or a #fragment, read as a browser reads it
    (entities decoded, tabs, newlines and controls ignored); `//host` counts as remote."""
    from markdown.util import AMP_SUBSTITUTE

    url = url.replace(AMP_SUBSTITUTE, "&")  # Markdown's stand-in for & (its e-mail links use it)
    if "\x02" in url or "\x03" in url:  # any other Markdown placeholder: not a plain target
        return False
    seen = re.sub(r"[\x00-\x20\x7f]", "", html.unescape(url))
    scheme = _SCHEME.match(seen)
    if scheme:
        return scheme.group(1).lower() in SCHEMES
    return not re.match(r"[/\\]{2}", seen)


def _link_guard(treeprocessor: type) -> type:
    class _LinkGuard(treeprocessor):
        """Drop unsafe link targets and show images as their alt text (runs after every other
        tree step, so backslash-escapes in a target are already undone)."""

        def run(self, root: Element) -> None:
            for el in root.iter():
                if el.tag == "a":
                    href = el.attrib.pop("href", None)
                    if href is not None and safe_href(href):
                        el.set("href", href)
                elif el.tag == "img":
                    alt = el.get("alt", "")
                    el.attrib.clear()
                    el.tag, el.text = "span", alt

    return _LinkGuard


def converter():
    """A Markdown converter with no raw-HTML pass-through and guarded links and images."""
    import markdown
    from markdown.treeprocessors import Treeprocessor

    md = markdown.Markdown()
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    md.treeprocessors.register(_link_guard(Treeprocessor)(md), "quizgen_link_guard", -10)
    return md


_md = None  # the one converter, made at the first conversion


MAX_BRACKETS = 64  # `[` in one text beyond which links are not looked for (see markdown)


def markdown(text: str) -> str:
    """Markdown (no raw HTML) as an HTML fragment; math slots (see clean_text) pass through.

    python-markdown's link search is quadratic in unmatched `[` (Python-Markdown#798: 5,000 took
    4 s, 20,000 minutes), so a text with more than MAX_BRACKETS of them has every `[` escaped:
    it reads the same, only without links."""
    text = _CONTROL.sub("", text)
    brackets = text.count("[")
    html = simple(text) if brackets <= MAX_BRACKETS else None  # plain Markdown: the same HTML, ~50× cheaper
    if html is not None:
        return html
    if brackets > MAX_BRACKETS:
        text = text.replace("\\[", "[").replace("[", "\\[")
    md = load()
    md.reset()
    return md.convert(text)


def load():
    """The one Markdown converter, made (and python-markdown imported) at its first use."""
    global _md
    if _md is None:
        _md = converter()
    return _md


def css_string(text: str) -> str:
    """A CSS string literal (for @page content) that the text cannot end, safe inside <style>:
    line breaks become spaces (a raw CR or LF ends a CSS string), other controls are escaped."""
    body = str(text).replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3C ")
    body = re.sub("[\r\n\f\t]", " ", body)
    body = re.sub("[\x00-\x1f\x7f-\x9f\u2028\u2029]", lambda m: f"\\{ord(m.group(0)):X} ", body)
    return f'"{body}"'
