"""render.safe, payload by payload: bank and spec text is Markdown + math, never HTML (issue 13).

Each payload once reached a page live; here it goes through the site's and the exam's Markdown +
math (both call render.safe) and must come out as text, with no tag, attribute or URL of its own.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from xml.etree.ElementTree import Element, SubElement

import pytest
from latex2mathml.converter import convert, convert_to_element

from quizgen.writers import exam_views as views
from quizgen.render import mathml, safe
from quizgen.writers import site_math
from quizgen.writers.exam import css_string
from quizgen.writers.site_env import json_script

# Tags Markdown itself writes (plus the math-scroll/eqs wrappers); every other tag is bank text.
MARKDOWN_TAGS = {"p", "a", "em", "strong", "code", "pre", "span", "div", "ul", "ol", "li", "blockquote", "hr",
                 "br", "h1", "h2", "h3", "h4", "h5", "h6"}
MARKDOWN_ATTRIBUTES = {("a", "href"), ("a", "title"), ("div", "class"), ("span", "class")}

PAYLOADS = {
    "script": "<script>alert(1)</script>",
    "img onerror": "see <img src=x onerror=alert(1)> here",
    "iframe file": '<iframe src="file:///etc/passwd"></iframe>',
    "object embed": '<object data="file:///etc/passwd"></object><embed src="file:///etc/passwd">',
    "style element": "<style>body { display: none }</style>",
    "style attribute": '<div style="background: url(file:///etc/passwd)" onclick="alert(1)">x</div>',
    "template breakout": "</template><script>alert(1)</script><template>",
    "script breakout": "</script><script>alert(1)</script>",
    "svg onload": "<svg onload=alert(1)></svg>",
    "comment": "<!-- x --><!--<script>alert(1)</script>-->",
    "mtext tag": r"$\text{<img src=x onerror=alert(1)>}$",
    "display mtext": r"$$ \text{</math><script>alert(1)</script>} $$",
    "href in math": r"$\href{javascript:alert(1)}{x}$",
    "style in math": r"$\style{background:url(file:///etc/passwd)}{x}$",
    "class in math": r"$\class{evil}{x}$",
    "colorbox url": r"$\colorbox{url(file:///etc/passwd)}{x}$",
    "markdown link": "[x](javascript:alert(1))",
    "entity link": "[x](&#106;avascript:alert(1))",
    "spaced link": "[x]( javascript:alert(1))",
    "tab in scheme": "[x](java\tscript:alert(1))",
    "reference link": "[x][r]\n\n[r]: javascript:alert(1)",
    "data link": "[x](data:text/html,hello)",
    "vbscript link": "[x](VBScript:msgbox(1))",
    "protocol-relative": "[x](//127.0.0.1:9/x)",
    "backslash-relative": "[x](/\\127.0.0.1/x)",
    "angle autolink": "<javascript:alert(1)>",
    "raw anchor": '<a href="javascript:alert(1)">x</a>',
    "local image": "![alt](file:///etc/passwd)",
    "remote image": "![alt](http://127.0.0.1:9/x.png)",
    "forged math slot": "\ue0000\ue001 \ue00299\ue001",
    "control characters": "a\x00b\x1b[2Jc\x7f",
}


class Tags(HTMLParser):
    def __init__(self, text: str):
        super().__init__()
        self.found: list[tuple[str, dict]] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def problems(html: str) -> list[str]:
    """Tags and attributes that Markdown + allowlisted MathML would not write, and unsafe links."""
    out, in_math = [], False
    for tag, attrs in Tags(html).found:
        in_math = in_math or tag == "math"
        allowed = safe.MATHML_ELEMENTS if tag in safe.MATHML_ELEMENTS else MARKDOWN_TAGS
        if tag not in allowed:
            out.append(f"<{tag}>")
        for name, value in attrs.items():
            if tag in safe.MATHML_ELEMENTS:
                if name not in safe.MATHML_ATTRIBUTES and not (tag == "math" and name == "xmlns"):
                    out.append(f"<{tag} {name}>")
            elif (tag, name) not in MARKDOWN_ATTRIBUTES:
                out.append(f"<{tag} {name}>")
            if name == "href" and not safe.safe_href(value or ""):
                out.append(f"href={value!r}")
    return out


@pytest.mark.parametrize("render", [site_math.md, views.md], ids=["site", "exam"])
@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_payload_comes_out_as_text(render, payload):
    html = str(render(payload))
    assert problems(html) == [], html
    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ue000-\ue002]", html)


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_site_and_exam_share_the_safety_code(payload):
    """Both Markdown + math paths call render.safe, so they escape alike (prose outside math)."""
    if "$" not in payload:
        assert str(site_math.md(payload)) == str(views.md(payload))


def test_raw_html_is_shown_not_dropped():
    assert safe.markdown("a <b>bold</b> & <script>x</script>") == \
        "<p>a &lt;b&gt;bold&lt;/b&gt; &amp; &lt;script&gt;x&lt;/script&gt;</p>"


def test_links_keep_only_http_relative_and_fragment_targets():
    html = safe.markdown("[a](https://x.org/p?q=1) [b](../questions/q.html) [c](#step-2) [d](mailto:a@b.c) "
                         "[e](ftp://x.org) [f](javascript:alert(1))")
    assert re.findall(r"<a(?: href=\"([^\"]*)\")?>", html) == ["https://x.org/p?q=1", "../questions/q.html",
                                                               "#step-2", "", "", ""]


@pytest.mark.parametrize("url, ok", [
    ("https://example.org", True), ("HTTP://example.org", True), ("q.html", True), ("../a/b.html", True),
    ("#top", True), ("?x=1", True), ("", True), ("javascript:alert(1)", False), (" javascript:x", False),
    ("java\nscript:x", False), ("&#106;avascript:x", False), ("&#x6A;avascript:x", False),
    ("JaVaScRiPt:x", False), ("data:text/html,x", False), ("file:///etc/passwd", False),
    ("//evil.example/x", False), ("\\\\evil.example/x", False), ("/\\evil.example", False),
    ("vbscript:x", False), ("mailto:a@b.c", False), ("\x02amp\x03#106;avascript:x", False),
])
def test_safe_href(url, ok):
    assert safe.safe_href(url) is ok


def test_images_are_their_alt_text():
    assert safe.markdown('![a <b> diagram](file:///etc/passwd "t")') == "<p><span>a &lt;b&gt; diagram</span></p>"


def test_mathml_text_nodes_are_escaped():
    inner = mathml.tex_inner(r"\text{<img src=x onerror=alert(1)> & </math>}")
    assert "<img" not in inner and "</math" not in inner
    assert "&lt;img" in inner and "&amp;" in inner and "&lt;/math&gt;" in inner


@pytest.mark.parametrize("tex, attribute", [
    (r"\href{javascript:alert(1)}{x}", "href"), (r"\style{color:red}{x}", "style"),
    (r"\class{evil}{x}", "class"), (r"\color{red}{x}", "mathcolor"),
    (r"\colorbox{url(x)}{x}", "mathbackground"), (r"\fcolorbox{red}{blue}{x}", "border-color"),
])
def test_mathml_attributes_that_carry_urls_or_styles_are_dropped(tex, attribute):
    inner = mathml.tex_inner(tex)
    assert f"{attribute}=" not in inner and "<mi>x</mi>" in inner or "<mtext>x</mtext>" in inner


def test_mathml_allowlist_rewrites_unknown_elements_and_drops_event_handlers():
    """What latex2mathml could write tomorrow: maction, an HTML element, on* and xlink:href."""
    math = Element("math")
    action = SubElement(math, "maction", actiontype="statusline", onclick="alert(1)")
    SubElement(action, "mi", mathvariant="normal", **{"xlink:href": "javascript:alert(1)"}).text = "x"
    SubElement(math, "script").text = "alert(1)"
    SubElement(math, "mspace", width="url(x)")
    SubElement(math, "mo", lspace="0.22em").text = "&#x0003C;"
    assert safe.mathml_inner(math) == ('<mrow><mi mathvariant="normal">x</mi></mrow><mrow>alert(1)</mrow>'
                                       '<mspace /><mo lspace="0.22em">&#x0003C;</mo>')


@pytest.mark.parametrize("tex", [
    r"\frac{\partial J}{\partial W^{[2]}} = \sigma'(z) \cdot {\rm d}",
    r"\begin{bmatrix} a & b \\ c & d \end{bmatrix}^{\top} \odot \left( \hat{y} - y \right)",
    r"\sum_{i=1}^{m} \log a_j \, \tanh'(z) \quad \operatorname{ReLU}(z) < 1 \le 2",
    r"\text{if } z > 0, \mathbf{1}\{z > 0\}", r"\operatorname{}",
])
def test_harmless_formulas_keep_latex2mathmls_markup(tex):
    """The allowlist re-serializes shipped-style math exactly as latex2mathml wrote it."""
    whole = convert(tex)
    assert safe.mathml_inner(convert_to_element(tex)) == whole[whole.index(">") + 1:-len("</math>")]


@pytest.mark.parametrize("title", ["Mid\rterm", "Mid\nterm", "Mid\fterm", 'a "b"', "a \\", "</style><script>",
                                   "\x1b]0;x\x07", "a\u2028b"])
def test_css_string_cannot_be_ended_by_the_text(title):
    """A CR in an exam title ended the @page footer's string and blanked every PDF page."""
    literal = css_string(title)
    assert re.fullmatch(r'"(?:[^"\\\r\n\f\x00-\x1f\x7f]|\\[0-9A-F]{1,6} |\\["\\])*"', literal), literal
    assert "</" not in literal and "<" not in literal


def test_json_script_cannot_end_its_script():
    text = str(json_script({"t": "</script><!--<script>\u2028\u2029&"}))
    assert not re.search("[<>&\u2028\u2029]", text)


def test_only_references_to_characters_a_page_may_hold_are_kept():
    r"""\unicode{0} once wrote &#x0; (a parse error); latex2mathml's own &#x000A0; stays."""
    assert safe.escape_math_text("&#x0; &#xD800; &#x110000; &#x000A0; &#60; &lt; a&b") == \
        "&amp;#x0; &amp;#xD800; &amp;#x110000; &#x000A0; &#60; &amp;lt; a&amp;b"


def test_many_unmatched_brackets_are_read_as_text_not_searched_for_links():
    """python-markdown's link search is quadratic in unmatched `[`: a 5,000-character prompt of
    them took 4 s per page and 20,000 in exam instructions minutes (the hostile pass). Past
    MAX_BRACKETS every `[` is escaped, so the search never starts; below it links still work."""
    from quizgen.render import safe

    assert safe.markdown("[" * 20_000).count("[") == 20_000
    link = "[notes](https://example.org)"
    assert '<a href="https://example.org">notes</a>' in safe.markdown(link + " [" * (safe.MAX_BRACKETS - 1))
    assert "<a " not in safe.markdown(link + " [" * safe.MAX_BRACKETS)
