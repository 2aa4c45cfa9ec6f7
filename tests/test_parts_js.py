"""templates/static/js/parts.js (multi-part answer boxes): offline, no eval, no words of its own."""

from __future__ import annotations

import re
from pathlib import Path

from quizgen.messages import area

ROOT = Path(__file__).resolve().parents[1]
SOURCE = (ROOT / "templates" / "static" / "js" / "parts.js").read_text(encoding="utf-8")
CODE = re.sub(r"/\*.*?\*/|//[^\n]*", "", SOURCE, flags=re.S)


def test_parts_js_evaluates_nothing_and_loads_nothing():
    # Guards issue 17's "offline, never an eval": the page data is only read, the grader only called.
    assert not re.search(r"\beval\s*\(|\bFunction\s*\(|innerHTML|\bfetch\s*\(|XMLHttpRequest|\bimport\b", CODE)
    assert "window.QuizgenGrader.gradeParts(" in CODE


def test_every_word_parts_js_says_is_a_site_message():
    keys = re.findall(r"site\.msg\('([a-z_]+)'", CODE)
    assert keys and len(keys) == len(re.findall(r"site\.msg\(", CODE))
    site = {k[3:] for k in area("site") if k.startswith("js_")}
    assert set(keys) <= site, sorted(set(keys) - site)
    literals = re.findall(r"'([^'\\\n]*)'", CODE)
    prose = [s for s in literals if re.search(r"[A-Za-z]{2,} +[A-Za-z]{2,}", s) and s != "use strict"
             and not s.startswith("feedback ")]  # class names are not words
    assert not prose, prose
