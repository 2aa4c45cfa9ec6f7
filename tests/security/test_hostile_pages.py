"""Pages built from a hostile bank and spec hold bank text only as text (issue 13).

fixtures/hostile_bank puts raw HTML, a </template> breakout, \\text{<img>}, \\href{javascript:},
\\style, javascript: links and local images in every text field; the built site and exam must
have no script, event handler, javascript: URL, loading element or style of their making.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from quizgen.commands.build import build as build_site
from quizgen.exam.build import build as build_exam

FIXTURES = Path(__file__).resolve().parent / "fixtures"
BANK = FIXTURES / "hostile_bank"
EXAM = FIXTURES / "hostile_exam.toml"

# What the templates themselves put in pages; anything else of these kinds came from bank text.
OWN_INLINE_SCRIPT = 'document.documentElement.className = "js";'
OWN_JSON_IDS = {"quizgen-messages", "quizgen-question", "quizgen-practice"}
OWN_STYLE_ATTRIBUTE = re.compile(r"height: \d+(\.\d+)?cm|--cols: \d+")
LOADING = {"iframe", "frame", "object", "embed", "img", "image", "svg", "base", "video", "audio", "source", "track"}
URL_ATTRIBUTES = {"href", "src", "srcset", "action", "formaction", "data", "poster", "xlink:href", "background"}


def site(out: Path) -> Path:
    build_site(BANK, out, variants=2, seed=0)
    return out


def exam(out: Path) -> Path:
    build_exam(EXAM, out, versions=2)
    return out


class Scan(HTMLParser):
    """Every start tag with its attributes, and the text of each <script> and <style>."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.raw: dict[str, list[str]] = {"script": [], "style": []}
        self._open: str | None = None
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        if tag in self.raw:
            self._open = tag
            self.raw[tag].append("")

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        if tag == self._open:
            self._open = None

    def handle_data(self, data):
        if self._open:
            self.raw[self._open][-1] += data


def browser_url(value: str) -> str:
    """An attribute value as a browser resolves its scheme: controls and spaces ignored."""
    return re.sub(r"[\x00-\x20\x7f]", "", value).lower()


def live_markup(text: str, exam_page: bool = False) -> list[str]:
    """Everything in a page that runs, loads or styles and is not the template's own."""
    scan, found = Scan(text), []
    scripts = iter(scan.raw["script"])
    for tag, attrs in scan.tags:
        for name, value in attrs.items():
            if name.startswith("on"):
                found.append(f"<{tag} {name}=...>")
            if name in URL_ATTRIBUTES and re.match(r"[a-z][a-z0-9+.-]*:", browser_url(value)) \
                    and not browser_url(value).startswith(("http:", "https:")):
                found.append(f"<{tag} {name}={value!r}>")
            if name == "style" and not OWN_STYLE_ATTRIBUTE.fullmatch(value):
                found.append(f"<{tag} style={value!r}>")
            if "javascript:" in browser_url(value):
                found.append(f"<{tag} {name}={value!r}>")
        if tag == "script":
            body = next(scripts)
            own = (attrs.get("type") == "application/json" and attrs.get("id") in OWN_JSON_IDS
                   or re.fullmatch(r"(\.\./)?static/js/\w+\.js", attrs.get("src", "")) and not body
                   or body == OWN_INLINE_SCRIPT)
            if exam_page or not own:
                found.append(f"<script {attrs}>{body[:60]}")
        elif tag == "style" and not (exam_page and len(scan.raw["style"]) == 1):
            found.append("<style>")
        elif tag == "link" and not (attrs.get("rel") == "stylesheet"
                                    and re.fullmatch(r"(\.\./)?static/css/site\.css", attrs.get("href", ""))):
            found.append(f"<link {attrs}>")
        elif tag == "meta" and set(attrs) - {"charset", "name", "content"}:
            found.append(f"<meta {attrs}>")
        elif tag in LOADING:
            found.append(f"<{tag}>")
    return found


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    return site(tmp_path_factory.mktemp("hostile") / "site")


@pytest.fixture(scope="module")
def hostile_exam(tmp_path_factory):
    return exam(tmp_path_factory.mktemp("hostile") / "exam-out")


def pages(folder):
    return sorted(p for p in folder.rglob("*.html"))


def test_site_pages_hold_no_live_markup_from_the_bank(hostile_site):
    found = {p.relative_to(hostile_site).as_posix(): live_markup(p.read_text(encoding="utf-8"))
             for p in pages(hostile_site)}
    assert len(found) == 13
    assert {k: v for k, v in found.items() if v} == {}


def test_exam_and_key_hold_no_live_markup_from_the_spec_or_bank(hostile_exam):
    found = {p.name: live_markup(p.read_text(encoding="utf-8"), exam_page=True) for p in pages(hostile_exam)}
    assert sorted(found) == ["exam-A.html", "exam-B.html", "key-A.html", "key-B.html"]
    assert {k: v for k, v in found.items() if v} == {}


def test_bank_text_is_shown_as_text(hostile_site, hostile_exam):
    """Escaping, not deleting: a student can still read what the author wrote."""
    question = (hostile_site / "questions" / "xss-gradient--s0-v0.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert('prompt-script')&lt;/script&gt;" in question
    assert "<mtext>&#x3C;img&#x000A0;src=x" in question  # \text{&#x3C;img ...} stays text inside MathML
    assert "<span>local file</span>" in question  # an image shows its alt text
    assert '<a href="javascript' not in question and '<a title="md-link">md</a>' in question
    exam_page = (hostile_exam / "exam-A.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert('instructions')&lt;/script&gt;" in exam_page


def test_practice_templates_cannot_be_closed_by_bank_text(hostile_site):
    """A </template> in a prompt once ended practice.html's question template early."""
    text = (hostile_site / "practice.html").read_text(encoding="utf-8")
    data = json.loads(re.search(r'id="quizgen-practice">(.*?)</script>', text, re.S).group(1))
    assert text.count("<template ") == text.count("</template>") == len(data) == 6
    for body in re.findall(r"<template [^>]*>(.*?)</template>", text, re.S):
        assert "<template" not in body and "<script" not in body


def test_embedded_json_cannot_end_its_script(hostile_site):
    """Titles with </script> and U+2028 reach the pages' JSON escaped, and read back intact."""
    for page in pages(hostile_site):
        text = page.read_text(encoding="utf-8")
        for body in re.findall(r'<script type="application/json" id="[\w-]+">(.*?)</script>', text, re.S):
            assert not re.search("[<>&\u2028\u2029]", body), page.name
            json.loads(body)
    data = json.loads(re.search(r'id="quizgen-practice">(.*?)</script>',
                                (hostile_site / "practice.html").read_text(encoding="utf-8"), re.S).group(1))
    assert any("</script><script>alert('title')</script>" in d["title"] and "\u2028" in d["title"] for d in data)


def test_exam_title_cannot_end_the_footer_css_string(hostile_exam):
    """A CR in the title ended the @page footer's CSS string and blanked every printed page."""
    text = (hostile_exam / "exam-A.html").read_text(encoding="utf-8")
    style = re.search(r"<style>(.*?)</style>", text, re.S).group(1)
    footer = re.search(r"@bottom-left \{ content: (.*?); font:", style).group(1)
    assert re.fullmatch(r'"(?:[^"\\\r\n\f]|\\.)*"', footer, re.S), footer
    assert "</" not in style and "<script" not in style


def test_hostile_site_is_still_valid_html(hostile_site):
    """Escaped bank text keeps the pages valid (W3C Nu checker; skips where it is not set up)."""
    vnu = os.environ.get("QUIZGEN_VNU_JAR", "")
    if not vnu or not Path(vnu).is_file() or not shutil.which("java"):
        pytest.skip("set QUIZGEN_VNU_JAR to vnu.jar and install java to check HTML validity")
    done = subprocess.run(["java", "-jar", vnu, "--errors-only", "--skip-non-html", str(hostile_site)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0 and not done.stderr.strip(), done.stderr[:4000]
