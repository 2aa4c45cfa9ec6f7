"""Issue 14 on the site's practice page, in headless Chromium: the right value given to too few
figures is told to give 3 significant figures, and a value two mistakes share names both."""

from __future__ import annotations

from pathlib import Path

import pytest
from practice_pool import pool_by_id as pool

if not Path("/usr/bin/chromium").exists():
    pytest.skip("browser tests need Chromium at /usr/bin/chromium (apt-get install chromium)", allow_module_level=True)
pytest.importorskip("playwright.sync_api", reason="browser tests need Python playwright (pip install -e '.[test]')")


def practise(page, wanted) -> dict:
    """Click "next" on the practice page until a question passing `wanted` is shown."""
    for _ in range(120):
        current = page.get_attribute("#practice-solution", "href")[len("questions/"):-len(".html")]
        if wanted(current):
            return current
        page.click("#practice-next")
    raise AssertionError("practice never drew the question")


def answer(page, text: str) -> str:
    page.fill("#practice-answer", text)
    page.press("#practice-answer", "Enter")
    return page.locator(".practice-question .feedback").inner_text()


def test_practice_says_give_three_significant_figures(visit, built_site):
    questions = pool(built_site)
    page = visit.open("practice.html")
    def short_is_wrong(a) -> bool:  # a number at 3 figures whose 2-figure rounding is outside the tolerance
        return (a["kind"] == "number" and (a.get("precision") or {}).get("rule") == "sig"
                and abs(float(f"{a['value']:.2g}") - a["value"]) > a["tol"])

    qid = practise(page, lambda i: not questions[i].get("parts") and short_is_wrong(questions[i]["answer"]))
    a = questions[qid]["answer"]
    assert "Give your answer to 3 significant figures." in page.locator("#practice-meta").inner_text()
    two_figures = f"{a['value']:.2g}"
    assert "Right value — give 3 significant figures." in answer(page, two_figures), (qid, two_figures)
    assert page.locator("#practice-score").inner_text() == "Score: 0 of 1"  # a first answer, not right
    assert "Correct" in answer(page, f"{a['value']:.3g}")
    assert visit.errors == []


def test_practice_names_both_mistakes_of_a_shared_value(visit, built_site):
    questions = pool(built_site)
    page = visit.open("practice.html")
    qid = practise(page, lambda i: not questions[i].get("parts") and any(", or " in d["name"] and isinstance(d["value"], float)
                                       for d in questions[i]["distractors"]))
    shared = next(d for d in questions[qid]["distractors"] if ", or " in d["name"])
    text = answer(page, repr(shared["value"]))
    first, second = shared["name"].split(", or ", 1)
    assert f"this is what you get if you {first}, or {second}" in text, (qid, text)
    assert visit.errors == []
