"""A Chinese exam (issue 19): `lang = "zh"` or `--lang zh` prints the papers in Chinese, the PDF
holds real Chinese text drawn with a CJK font (no missing-glyph boxes), and the formula sheet's
Chinese words sit on exactly the math of the English sheet.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from exam_helpers import ONE, ROOT

MIDTERM_ZH = ROOT / "examples" / "midterm-zh.toml"
CHROMIUM = Path("/usr/bin/chromium")
HAN = re.compile(r"[\u4e00-\u9fff]")


def _cjk_font() -> bool:
    try:
        fonts = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    return bool(fonts.strip())


needs_pdf = pytest.mark.skipif(
    not CHROMIUM.exists() or not shutil.which("pdftotext") or not _cjk_font(),
    reason="the zh PDF test needs Chromium, poppler-utils and a CJK font (apt-get install chromium poppler-utils "
           "fonts-noto-cjk)")


FONTS_USED = """
import json, sys
from playwright.sync_api import sync_playwright
with sync_playwright() as p:
    browser = p.chromium.launch(executable_path=sys.argv[2])
    page = browser.new_page()
    page.goto(sys.argv[1])
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    families = set()
    for selector in ("h1", "h2", "table th"):
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        if node:
            families |= {f["familyName"] for f in cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]}
    browser.close()
print(json.dumps(sorted(families)))
"""


def _math(formula: str) -> str:
    """A formula without its \\text{...} words and spaces: what must agree between languages."""
    return re.sub(r"\s+", "", re.sub(r"\\text\{[^{}]*\}", "", formula))


def test_the_zh_formula_sheet_is_the_english_math_with_chinese_words():
    folder = ROOT / "templates" / "exam"
    en, zh = (tomllib.loads((folder / name).read_text(encoding="utf-8"))["groups"]
              for name in ("formulas.toml", "formulas.zh.toml"))
    assert [g.get("notation") for g in en] == [g.get("notation") for g in zh]
    for a, b in zip(en, zh):
        assert HAN.search(b["title"])
        assert [[_math(c) for c in row] for row in a["rows"]] == [[_math(c) for c in row] for row in b["rows"]]
        for row in b["rows"]:
            for cell in row:
                assert not re.search(r"\\text\{[^{}]*[A-Za-z]{3,}[^{}]*\}", cell), cell  # no English words left


def test_the_zh_midterm_is_printed_in_chinese(tmp_path, run_exam):
    out = tmp_path / "zh"
    code, stdout, err = run_exam(MIDTERM_ZH, "--out", out)
    assert code == 0 and err == [], err
    exam, key = ((out / f"{name}-A.html").read_text(encoding="utf-8") for name in ("exam", "key"))
    assert '<html lang="zh-CN">' in exam and '<html lang="zh-CN">' in key
    for word in ("姓名", "学号", "公式表", "激活函数", "题 1", "反向传播期中考试"):
        assert word in exam, word
    for word in ("参考答案", "详细解答", "常见错误答案"):
        assert word in key, word
    for english in ("Student ID", "Formula sheet", "Answer key", "Activations", "Worked solution"):
        assert english not in exam + key, english


def test_lang_overrides_the_spec_and_zh_cn_is_an_alias(tmp_path, run_exam):
    code, _, err = run_exam(ONE, "--lang", "zh-CN", "--out", tmp_path / "zh")
    assert code == 0 and err == []
    assert "学号" in (tmp_path / "zh" / "exam-A.html").read_text(encoding="utf-8")


@needs_pdf
def test_a_zh_exam_pdf_holds_chinese_text_drawn_with_a_cjk_font(tmp_path, run_exam):
    out = tmp_path / "zh"
    code, _, err = run_exam(ONE, "--lang", "zh", "--pdf", "--out", out)
    assert code == 0 and err == [], err
    text = subprocess.run(["pdftotext", "-layout", str(out / "exam-A.pdf"), "-"], capture_output=True, text=True,
                          timeout=60).stdout
    for word in ("姓名", "学号", "公式表", "激活函数"):
        assert word in text, word
    assert "\ufffd" not in text
    # Which fonts Chromium drew the Chinese with: a CJK font, not a fallback that would print boxes.
    # (In a child process: another test's Playwright may already run in this one.)
    found = subprocess.run([sys.executable, "-c", FONTS_USED, (out / "exam-A.html").as_uri(), str(CHROMIUM)],
                           capture_output=True, text=True, timeout=120)
    assert found.returncode == 0, found.stderr[-2000:]
    families = json.loads(found.stdout)
    assert any(re.search(r"CJK|Source Han|PingFang|YaHei", name) for name in families), families
