"""Issue 17 on the site, in headless Chromium: a 4-part question with a wrong first part and a
second part carried forward from it ("Correct given your (a)"), on the question page and the
practice page, graded offline by grader.js from the page's own data (no eval)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest

from quizgen.grading import format_value
from practice_pool import pool_by_id as pool

if not Path("/usr/bin/chromium").exists():
    pytest.skip("browser tests need Chromium at /usr/bin/chromium (apt-get install chromium)", allow_module_level=True)
pytest.importorskip("playwright.sync_api", reason="browser tests need Python playwright (pip install -e '.[test]')")

QID = "exam-relu-softmax-parts--s0-v0"
SHOTS = os.environ.get("QUIZGEN_SHOTS")  # a folder: keep page images to look at


def page_data(site: Path) -> dict:
    html = (site / "questions" / f"{QID}.html").read_text(encoding="utf-8")
    start = html.index('<script type="application/json" id="quizgen-question">') + len(
        '<script type="application/json" id="quizgen-question">')
    return json.loads(html[start:html.index("</script>", start)])


def typed(value) -> str:
    return format_value(np.round(np.asarray(value, dtype=float), 5))


def slip_and_follow(data: dict) -> tuple[str, str]:
    """A catalogued wrong (a) and the (b) it gives by correct steps (from the page's ECF table)."""
    row = next(r for rel in data["parts"][1]["carry"] if rel["from"] == "a" for r in rel.get("table", []))
    return typed(row["value"]), typed(row["then"])


def test_question_page_carries_a_wrong_first_part_forward(visit, built_site):
    data = page_data(built_site)
    a, b = slip_and_follow(data)
    page = visit.open(f"questions/{QID}.html")
    assert page.locator("fieldset.part").count() == 4
    assert not page.locator("#answer").is_visible()
    page.fill("#q-part-a", a)
    page.fill("#q-part-b", b)
    page.fill("#q-part-c", typed(data["parts"][2]["answer"]["value"]))
    page.fill("#q-part-d", "[7, 7, 7]")
    page.click("form.answer-form button[type=submit]")
    boxes = page.locator("fieldset.part .feedback")
    assert boxes.nth(0).inner_text().startswith("Wrong · 0 of 3 pt")
    assert boxes.nth(1).inner_text().startswith("Correct given your (a) · 2 of 2 pt")
    assert "Your (a) was wrong, but this part follows from it by correct steps" in boxes.nth(1).inner_text()
    assert boxes.nth(2).inner_text().startswith("Correct · 3 of 3 pt")
    assert boxes.nth(3).inner_text().startswith("Wrong · 0 of 2 pt")
    assert "Total: 5 of 10 points." in page.locator("form.answer-form > .feedback").inner_text()
    page.click("[data-reveal=all]")
    key = page.locator("#step-answer").inner_text()
    assert "Error carried forward" in key and "(d)" in key
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / "question-multipart.png"), full_page=True)
    assert visit.errors == [] and visit.outside_requests() == []


def test_a_random_first_part_buys_nothing_on_the_page(visit, built_site):
    data = page_data(built_site)
    page = visit.open(f"questions/{QID}.html")
    page.fill("#q-part-a", "[[9, 9, 9], [9, 9, 9]]")
    page.fill("#q-part-b", "[9, 9]")
    page.fill("#q-part-c", typed(data["parts"][2]["answer"]["value"]))
    page.fill("#q-part-d", typed(data["parts"][3]["answer"]["value"]))
    page.click("form.answer-form button[type=submit]")
    text = page.locator("fieldset.part").all_inner_texts()
    assert not any("Correct given" in t for t in text)
    assert "Total: 5 of 10 points." in page.locator("form.answer-form > .feedback").inner_text()


def test_practice_page_grades_a_multipart_question_with_ecf(visit, built_site):
    questions = pool(built_site)
    assert QID in questions
    data = questions[QID]
    a, b = slip_and_follow(data)
    page = visit.open("practice.html")
    for _ in range(200):
        if page.get_attribute("#practice-solution", "href") == f"questions/{QID}.html":
            break
        page.click("#practice-next")
    else:
        raise AssertionError("practice never drew the multi-part question")
    assert not page.locator("#practice-answer").is_visible()
    page.fill("#practice-part-a", a)
    page.fill("#practice-part-b", b)
    page.press("#practice-part-b", "Enter")
    assert "Answer every part first." in page.locator(".practice-question form > .feedback").inner_text()
    page.fill("#practice-part-c", "[[0, 0], [0, 0], [0, 0]]")
    page.fill("#practice-part-d", "[0, 0, 0]")
    page.press("#practice-part-d", "Enter")
    assert page.locator("fieldset.part .feedback").nth(1).inner_text().startswith("Correct given your (a)")
    assert page.locator("#practice-score").inner_text() == "Score: 0 of 1"
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / "practice-multipart.png"), full_page=True)
    page.click("#practice-next")
    assert page.locator("fieldset.part").count() in (0, 4)  # the boxes go with their question
    assert visit.errors == []


def test_axe_finds_no_serious_violation_on_a_graded_multipart_page(visit, built_site):
    # Guards the boxes parts.js adds: each labelled by its legend, the verdicts readable.
    axe = os.environ.get("QUIZGEN_AXE_JS")
    if not axe or not Path(axe).is_file():
        pytest.skip("set QUIZGEN_AXE_JS to axe.min.js to check accessibility")
    data = page_data(built_site)
    a, b = slip_and_follow(data)
    page = visit.open(f"questions/{QID}.html")
    page.fill("#q-part-a", a)
    page.fill("#q-part-b", b)
    page.fill("#q-part-c", "nonsense")
    page.fill("#q-part-d", "[1, 2, 3]")
    page.click("form.answer-form button[type=submit]")
    page.click("[data-reveal=all]")
    page.add_script_tag(content=Path(axe).read_text(encoding="utf-8"))
    found = page.evaluate("""async () => (await axe.run(document, {resultTypes: ['violations']})).violations
        .map(v => ({id: v.id, impact: v.impact, where: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))""")
    assert [v for v in found if v["impact"] in ("serious", "critical")] == []
