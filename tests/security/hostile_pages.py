"""Shared by the hostile-markup tests: build the site and exam from fixtures/, and list what in a
page could run, load or style something (the page's own scripts and styles are known)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from quizgen.commands.build import build as build_site
from quizgen.exam.build import build as build_exam

FIXTURES = Path(__file__).resolve().parent / "fixtures"
BANK = FIXTURES / "hostile_bank"
EXAM = FIXTURES / "hostile_exam.toml"

# What the templates themselves put in pages; anything else of these kinds came from bank text.
OWN_INLINE_SCRIPT = 'document.documentElement.className = "js";'
OWN_JSON_IDS = {"quizgen-messages", "quizgen-question", "quizgen-practice"}
OWN_STYLE_ATTRIBUTE = re.compile(r"height: \d+(\.\d+)?cm|--cols: \d+")
LOADING = {"iframe", "frame", "object", "embed", "img", "image", "svg", "link", "base", "video", "audio",
           "source", "track", "form", "input", "meta", "style", "script", "template"}
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
        elif tag in LOADING - {"script", "style", "link", "meta", "template", "form", "input"}:
            found.append(f"<{tag}>")
    return found
