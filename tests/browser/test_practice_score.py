"""The site's running practice score is quizgen's one score: right at the first answer (issue 14)."""

from __future__ import annotations

from pathlib import Path

import pytest
from practice_pool import pool_by_id as pool, typed

if not Path("/usr/bin/chromium").exists():
    pytest.skip("browser tests need Chromium at /usr/bin/chromium (apt-get install chromium)", allow_module_level=True)
pytest.importorskip("playwright.sync_api", reason="browser tests need Python playwright (pip install -e '.[test]')")

TYPED = ("number", "vector", "matrix")


def far(value):
    """A value no tolerance or catalogued mistake comes near: every entry + 1000."""
    return [far(x) for x in value] if isinstance(value, list) else value + 1000.0


def next_question(page, questions: dict[str, dict], want) -> dict:
    """Click "next" until a question with want(question) comes up; return it."""
    for _ in range(300):
        current = questions[page.get_attribute("#practice-solution", "href")[len("questions/"):-len(".html")]]
        if want(current):
            return current
        page.click("#practice-next")
    raise AssertionError("practice never drew the question this test needs")


def is_typed(q: dict) -> bool:
    return q["answer"]["kind"] in TYPED and not q.get("parts")  # a multi-part question has a box per part


def is_matrix(q: dict) -> bool:
    a = q["answer"]
    return is_typed(q) and a["kind"] == "matrix" and a["shape"][0] * a["shape"][1] >= 2


def answer(page, text: str) -> str:
    page.fill("#practice-answer", text)
    page.press("#practice-answer", "Enter")
    return page.locator(".practice-question .feedback").get_attribute("class")


def score(page) -> str:
    return page.locator("#practice-score").inner_text()


def test_wrong_then_right_counts_as_not_right_and_a_first_right_answer_counts(visit, built_site):
    questions = pool(built_site)
    page = visit.open("practice.html")
    assert score(page) == "Score: 0 of 0"

    first = next_question(page, questions, is_matrix)
    half = far(first["answer"]["value"])
    half[0][0] = first["answer"]["value"][0][0]  # one entry right: partial credit, but not right
    assert "wrong" in answer(page, typed(half)).split()
    assert score(page) == "Score: 0 of 1", "partial credit is not the score"
    assert "correct" in answer(page, typed(first["answer"]["value"])).split()  # fixed on the retry
    assert score(page) == "Score: 0 of 1", "a retry must not raise the score"

    page.click("#practice-next")
    second = next_question(page, questions, is_typed)
    assert second["id"] != first["id"]
    assert "correct" in answer(page, typed(second["answer"]["value"])).split()
    assert score(page) == "Score: 1 of 2"
    assert "wrong" in answer(page, typed(far(second["answer"]["value"]))).split()  # a later slip
    assert score(page) == "Score: 1 of 2", "only the first answer to a question counts"
    assert visit.errors == []
