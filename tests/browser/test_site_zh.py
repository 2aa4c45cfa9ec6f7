"""The zh-CN study site in headless Chromium (issue 19), built as `quizgen build --lang en,zh`.

Guards: the main pages show no English UI string (math, numbers, family ids and tags aside);
a typed answer is graded in Chinese and a mistake is named in Chinese, full-width input included;
every page's language switch lands on the same page of the other edition; pages declare zh-CN.
"""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
from practice_pool import pool_by_id

from quizgen.commands.build import build
from quizgen.messages import catalog

ROOT = Path(__file__).resolve().parents[2]
HAN = re.compile(r"[\u4e00-\u9fff]")
MAIN_PAGES = ["index.html", "practice.html", "flashcards.html", "reference.html"]
WIDE = str.maketrans({chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)})
# What a page shows that is not UI text: formulas, code, tag and id lists, the other language's link.
VISIBLE_TEXT = """() => {
  const skip = 'math, code, script, template, [lang="en"], .tags, .tag, option, .family-id, kbd';
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const out = [];
  while (walker.nextNode()) {
    const node = walker.currentNode, el = node.parentElement;
    if (!el || el.closest(skip) || !el.offsetParent && getComputedStyle(el).position !== 'fixed') continue;
    out.push(node.textContent);
  }
  return out.join(' ');
}"""


def _english_fragments() -> list[str]:
    """Literal pieces of the English UI messages (site, grading, exam) that are words, not math:
    at least two English words; none may appear on a zh page."""
    pieces = set()
    zh = " ".join(catalog("zh").values())  # names kept as they are in Chinese too (leaky ReLU, SGD)
    for key, text in catalog("en").items():
        if not key.startswith(("site.", "grading.")) or key.startswith("site.lang_"):
            continue
        for literal, *_ in string.Formatter().parse(text):
            for run in re.findall(r"[A-Za-z][A-Za-z’']+(?:[ ,-]+[A-Za-z][A-Za-z’']+)+", literal or ""):
                if len(run) >= 9 and run not in zh:
                    pieces.add(run)
    return sorted(pieces)


@pytest.fixture(scope="module")
def editions(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("zh-site") / "site"
    build(ROOT / "question_bank", out, variants=1, seed=0, langs=("en", "zh"))
    return out


@pytest.fixture(scope="module")
def page(browser, editions):
    """One page in the session's Chromium (a second Playwright in one process would not start)."""
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    yield page
    context.close()


def _question(editions: Path, kind_test) -> str:
    pool = pool_by_id(editions / "zh")
    return next(qid for qid, q in pool.items() if kind_test(q))


def test_the_editions_sit_side_by_side_and_a_single_language_keeps_its_layout(editions, tmp_path):
    assert sorted(p.name for p in editions.iterdir()) == [".quizgen-site", "en", "index.html", "zh"]
    assert sorted(p.name for p in (editions / "zh").iterdir()) == sorted(p.name for p in (editions / "en").iterdir())
    single = tmp_path / "single"
    build(ROOT / "tests" / "fixtures" / "bank_minimal", single, variants=1)
    assert (single / "index.html").is_file() and not (single / "en").exists()
    assert "lang-switch" not in (single / "index.html").read_text(encoding="utf-8")


def test_the_main_zh_pages_show_no_english_ui_text(page, editions):
    fragments = _english_fragments()
    assert len(fragments) > 100  # the check has teeth
    family = sorted((editions / "zh" / "families").iterdir())[0].name
    question = _question(editions, lambda q: q["answer"]["kind"] == "number")
    for name in MAIN_PAGES + [f"families/{family}", f"questions/{question}.html"]:
        page.goto((editions / "zh" / name).as_uri())
        assert page.get_attribute("html", "lang") == "zh-CN"
        text = page.evaluate(VISIBLE_TEXT)
        found = [f for f in fragments if f in text]
        assert not found, f"{name}: English UI text {found}"
        assert HAN.search(page.inner_text("h1")) and HAN.search(page.inner_text("nav.site-nav")), name
    assert page.errors == []


def test_grading_and_mistake_names_are_chinese_and_full_width_input_is_read(page, editions):
    pool = pool_by_id(editions / "zh")
    qid = _question(editions, lambda q: q["answer"]["kind"] == "number"
                    and any(isinstance(d["value"], float) and HAN.search(d["name"]) for d in q["distractors"]))
    wrong = next(d for d in pool[qid]["distractors"] if isinstance(d["value"], float))
    page.goto((editions / "zh" / "questions" / f"{qid}.html").as_uri())
    page.fill("#answer", repr(wrong["value"]).translate(WIDE))  # typed with a Chinese input method
    page.press("#answer", "Enter")
    feedback = page.locator(".feedback").first.inner_text()
    assert "不太对" in feedback and wrong["name"].split("，或")[0] in feedback, feedback
    page.fill("#answer", pool[qid]["answer"]["display"].translate(WIDE) if "display" in pool[qid]["answer"]
              else repr(pool[qid]["answer"]["value"]).translate(WIDE))
    page.press("#answer", "Enter")
    assert "正确" in page.locator(".feedback").first.inner_text()
    assert page.errors == []


def test_the_language_switch_lands_on_the_same_question(page, editions):
    qid = _question(editions, lambda q: True)
    family = sorted((editions / "zh" / "families").iterdir())[0].name
    for path in [f"questions/{qid}.html", f"families/{family}", "practice.html", "index.html"]:
        page.goto((editions / "zh" / path).as_uri())
        page.click('.lang-switch a[hreflang="en"]')
        assert page.url == (editions / "en" / path).as_uri() and page.get_attribute("html", "lang") == "en"
        page.click('.lang-switch a[hreflang="zh-CN"]')
        assert page.url == (editions / "zh" / path).as_uri() and page.get_attribute("html", "lang") == "zh-CN"


def test_the_chooser_links_both_editions(page, editions):
    page.goto((editions / "index.html").as_uri())
    assert page.locator('a[hreflang="zh-CN"]').inner_text() == "中文"
    page.click('a[hreflang="zh-CN"]')
    assert page.url == (editions / "zh" / "index.html").as_uri()


def test_the_zh_pages_are_valid_html_and_axe_finds_no_serious_problem(page, editions):
    """The switch, the chooser and the zh pages meet the standards the English site does."""
    import subprocess

    from test_standards import VNU, _need_axe, _need_vnu, _violations

    _need_vnu()
    done = subprocess.run(["java", "-jar", VNU, "--errors-only", "--skip-non-html", str(editions / "index.html"),
                           *(str(editions / "zh" / name) for name in MAIN_PAGES),
                           str(sorted((editions / "zh" / "questions").iterdir())[0])],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0 and not done.stderr.strip(), done.stderr[:4000]
    axe = _need_axe()
    for name in ["index.html", "zh/index.html", "zh/practice.html"]:
        page.goto((editions / name).as_uri())
        assert _violations(page, axe) == [], name
