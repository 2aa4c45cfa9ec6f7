"""Web standards: every page passes the W3C Nu checker; axe-core finds no serious problem.

The checkers are not downloaded here. Point at them with environment variables:
    QUIZGEN_VNU_JAR=/tmp/vnu/node_modules/vnu-jar/build/dist/vnu.jar   (npm install --prefix /tmp/vnu vnu-jar)
    QUIZGEN_AXE_JS=/tmp/axe/node_modules/axe-core/axe.min.js           (npm install --prefix /tmp/axe axe-core)
Each test skips, saying which is missing, when its checker is not there.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

VNU = os.environ.get("QUIZGEN_VNU_JAR", "")
AXE = os.environ.get("QUIZGEN_AXE_JS", "")
SERIOUS = ("serious", "critical")


def _need_vnu() -> None:
    if not VNU or not Path(VNU).is_file():
        pytest.skip("set QUIZGEN_VNU_JAR to vnu.jar (npm install --prefix /tmp/vnu vnu-jar) to check HTML validity")
    if not shutil.which("java"):
        pytest.skip("the Nu checker needs java (apt-get install default-jre-headless)")


def _need_axe() -> str:
    if not AXE or not Path(AXE).is_file():
        pytest.skip("set QUIZGEN_AXE_JS to axe.min.js (npm install --prefix /tmp/axe axe-core) to check accessibility")
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("axe runs in Chromium, expected at /usr/bin/chromium")
    pytest.importorskip("playwright.sync_api", reason="axe runs through Python playwright")
    return Path(AXE).read_text(encoding="utf-8")


def test_every_page_is_valid_html(built_site):
    _need_vnu()
    done = subprocess.run(["java", "-jar", VNU, "--errors-only", "--skip-non-html", str(built_site)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0 and not done.stderr.strip(), done.stderr[:4000]


def _violations(page, axe: str) -> list[str]:
    page.add_script_tag(content=axe)
    found = page.evaluate("""async () => (await axe.run(document, {resultTypes: ['violations']})).violations
        .map(v => ({id: v.id, impact: v.impact, help: v.help, where: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))""")
    return [f"{v['impact']}: {v['id']} ({v['help']}) at {v['where']}" for v in found if v["impact"] in SERIOUS]


def _reveal_and_answer_wrong(page):
    page.click("[data-reveal=all]")
    page.fill("#answer", "1 2; 3 4")
    page.press("#answer", "Enter")


def _flip(page):
    page.locator(".deck .card.current").click()


def _answer_garbage(page):
    boxes = page.locator(".practice-question input[type=text]:visible")  # one box, or a multi-part question's
    for _ in range(50):  # the practice question is random: a multiple-choice one has no box to type in
        if boxes.count():
            break
        page.click("#practice-next")
    boxes.first.fill("[[1, 2")
    boxes.first.press("Enter")


def _filter(page):
    page.select_option("#filter-tag", "relu")


STATES = [
    ("index.html", None), ("index.html", _filter), ("reference.html", None),
    ("families/textbook-sigmoid-softmax-dw2.html", None),
    ("questions/textbook-sigmoid-softmax-dw2--s0-v0.html", None),
    ("questions/textbook-sigmoid-softmax-dw2--s0-v0.html", _reveal_and_answer_wrong),
    ("questions/find-error-tanh-sigmoid--s0-v0.html", None),
    ("practice.html", None), ("practice.html", _answer_garbage),
    ("flashcards.html", None), ("flashcards.html", _flip),
]


@pytest.mark.parametrize("path,action", STATES, ids=[f"{p}{'+' + a.__name__ if a else ''}" for p, a in STATES])
def test_axe_finds_no_serious_violation(visit, path, action):
    axe = _need_axe()
    page = visit.open(path)
    if action:
        action(page)
    assert _violations(page, axe) == []
