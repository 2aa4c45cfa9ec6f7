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
from pathlib import Path

import pytest

from hostile_pages import exam, live_markup, site


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
    assert "<mtext>&lt;img&#x000A0;src=x" in question  # \text{<img ...>} stays text inside MathML
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
