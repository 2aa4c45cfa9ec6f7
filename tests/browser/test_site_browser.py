"""The study site in headless Chromium, opened from disk as a student would (file://)."""

from __future__ import annotations

import json

from pathlib import Path

import pytest
from practice_pool import pool, typed

if not Path("/usr/bin/chromium").exists():
    pytest.skip("browser tests need Chromium at /usr/bin/chromium (apt-get install chromium)", allow_module_level=True)
pytest.importorskip("playwright.sync_api", reason="browser tests need Python playwright (pip install -e '.[test]')")

PAGE_TYPES = ("index.html", "families/logistic-dw.html", "questions/logistic-dw--s0-v0.html",
              "practice.html", "flashcards.html", "reference.html")


def flat(value) -> list[float]:
    return [x for row in value for x in (row if isinstance(row, list) else [row])] if isinstance(value, list) else [value]


def close(a, b, rtol: float, atol: float) -> bool:
    fa, fb = flat(a), flat(b)
    return len(fa) == len(fb) and all(abs(x - y) <= atol + rtol * abs(y) for x, y in zip(fa, fb))


def question(site, kind: str, with_distractor: bool = True) -> dict:
    """The first question in the practice pool with this answer kind (and a usable distractor)."""
    for q in pool(site):
        a = q["answer"]
        if a["kind"] == kind and (not with_distractor or any(
                not close(d["value"], a["value"], a["rtol"], a["atol"]) for d in q["distractors"])):
            return q
    raise AssertionError(f"no {kind} question in the built site")


def test_solution_is_revealed_one_step_at_a_time(visit):
    page = visit.open("questions/logistic-dw--s0-v0.html")
    steps = page.locator("details.solution li.step")
    count = steps.count()
    assert count >= 3 and page.locator("details.solution").get_attribute("open") is not None
    assert page.locator("details.solution li.step:visible").count() == 0
    page.click("[data-reveal=next]")
    assert page.locator("details.solution li.step:visible").count() == 1
    assert page.evaluate("document.activeElement.closest('li').id") == "step-1"  # focus follows the reveal
    page.focus("[data-reveal=next]")
    page.keyboard.press("Enter")  # keyboard works too
    assert page.locator("details.solution li.step:visible").count() == 2
    assert "2 of" in page.locator(".reveal-progress").inner_text()
    page.click("[data-reveal=all]")
    assert page.locator("details.solution li.step:visible").count() == count
    assert page.locator("details.solution li.step:visible math").count() >= count - 1
    page.click("[data-reveal=reset]")
    assert page.locator("details.solution li.step:visible").count() == 0
    assert visit.errors == []


def test_the_right_answer_is_graded_correct(visit, built_site):
    for kind in ("number", "matrix"):
        q = question(built_site, kind, with_distractor=False)
        page = visit.open(f"questions/{q['id']}.html")
        page.fill("#answer", typed(q["answer"]["value"]))
        page.press("#answer", "Enter")
        feedback = page.locator(".answer-form .feedback")
        assert "correct" in feedback.get_attribute("class").split(), (q["id"], feedback.inner_text())
    assert visit.errors == []


def test_a_distractor_value_names_the_mistake(visit, built_site):
    q = question(built_site, "number")
    a = q["answer"]
    wrong = next(d for d in q["distractors"] if not close(d["value"], a["value"], a["rtol"], a["atol"]))
    named = next(d for d in q["distractors"] if close(wrong["value"], d["value"], a["rtol"], a["atol"]))
    page = visit.open(f"questions/{q['id']}.html")
    page.fill("#answer", typed(wrong["value"]))
    page.click(".answer-form button[type=submit]")
    feedback = page.locator(".answer-form .feedback")
    assert "wrong" in feedback.get_attribute("class").split()
    text = feedback.inner_text()
    assert named["name"].rstrip(".") in text and named["explanation"] in text
    assert visit.errors == []


def test_garbage_gets_a_clear_message_and_no_error(visit, built_site):
    q = question(built_site, "matrix", with_distractor=False)
    page = visit.open(f"questions/{q['id']}.html")
    for garbage in ("[[1, 2", "banana", "", "1,,2", "\u202e💥" * 50):
        page.fill("#answer", garbage)
        page.press("#answer", "Enter")
        feedback = page.locator(".answer-form .feedback")
        assert "unreadable" in feedback.get_attribute("class").split(), garbage
        assert len(feedback.inner_text().strip()) > 10, garbage
    assert visit.errors == []


def test_a_multiple_choice_question_is_answered_by_choosing(visit, built_site):
    q = next(q for q in pool(built_site) if q["answer"]["kind"] == "choice")
    page = visit.open(f"questions/{q['id']}.html")
    page.click(".answer-form button[type=submit]")
    assert page.locator(".answer-form .feedback").inner_text().strip() != ""  # "choose an answer first"
    page.check(f"input[name=choice][value={q['answer']['value']}]")
    page.click(".answer-form button[type=submit]")
    assert "correct" in page.locator(".answer-form .feedback").get_attribute("class").split()
    assert visit.errors == []


def informative_first(q) -> bool:
    """Issue 14: an entry a catalogued mistake also gets right earns no partial credit; is entry 1 not one?"""
    first, tol = flat(q["answer"]["value"])[0], flat(q["answer"]["tol"])[0]
    return not any(abs(flat(d["value"])[0] - first) <= tol for d in q["distractors"])


def test_practice_grades_a_wrong_matrix_entry_by_entry(visit, built_site):
    page = visit.open("practice.html")
    by_id = {q["id"]: q for q in pool(built_site)}
    for _ in range(200):  # draw until a matrix question with at least two entries comes up
        current = by_id[page.get_attribute("#practice-solution", "href")[len("questions/"):-len(".html")]]
        a = current["answer"]
        if a["kind"] == "matrix" and not current.get("parts") and len(flat(a["value"])) >= 2 and a["shape"][0] >= 1 and informative_first(current):
            break
        page.click("#practice-next")
    else:
        raise AssertionError("practice never drew a matrix question")
    value = [[x + (0 if (i, j) == (0, 0) else 7.5) for j, x in enumerate(row)] for i, row in enumerate(a["value"])]
    page.fill("#practice-answer", typed(value))
    page.press("#practice-answer", "Enter")
    feedback = page.locator(".practice-question .feedback")
    assert "wrong" in feedback.get_attribute("class").split()
    assert page.locator(".feedback table.entries td.ok").count() == 1
    assert page.locator(".feedback table.entries td.off").count() == len(flat(a["value"])) - 1
    score = page.locator("#practice-score").inner_text()
    assert score == "Score: 0 of 1", score  # first-answer correctness only, no partial credit (issue 14)
    page.fill("#practice-answer", "[[1, 2")  # unreadable: a message, and the score does not move
    page.press("#practice-answer", "Enter")
    assert "unreadable" in feedback.get_attribute("class").split()
    assert page.locator("#practice-score").inner_text() == score
    assert visit.errors == []


def test_practice_filters_by_topic_and_difficulty(visit, built_site):
    page = visit.open("practice.html")
    page.select_option("#practice-topic", "shapes")
    ids = {page.get_attribute("#practice-solution", "href")}
    for _ in range(5):
        page.click("#practice-next")
        ids.add(page.get_attribute("#practice-solution", "href"))
    assert all(i.startswith("questions/shapes-") for i in ids), ids
    assert "match" in page.locator(".pool-count").inner_text()
    assert visit.errors == []


def test_a_flashcard_flips_grades_and_stays_scheduled_after_reload(visit):
    page = visit.open("flashcards.html")
    card = page.locator(".deck .card.current")
    first = card.get_attribute("data-card")
    assert page.locator(".grades [data-grade]:visible").count() == 0
    card.focus()
    page.keyboard.press("Enter")
    assert "flipped" in card.get_attribute("class").split() and card.locator(".card-answer math").is_visible()
    page.keyboard.press("Space")  # flips back
    assert "flipped" not in card.get_attribute("class").split()
    card.click()
    page.click(".grades [data-grade=good]")
    assert page.locator(".deck .card.current").get_attribute("data-card") != first
    page.reload()
    stored = json.loads(page.evaluate("localStorage.getItem('quizgen.flashcards.v1')"))
    assert stored[first]["due"] > page.evaluate("Date.now()") and stored[first]["interval"] == 1
    assert "1 scheduled" in page.locator(".deck-status").inner_text()
    assert page.locator(".deck .card.current").get_attribute("data-card") != first
    assert visit.errors == []


def test_due_cards_come_first(visit):
    page = visit.open("flashcards.html")
    ids = page.eval_on_selector_all(".deck .card", "cards => cards.map(c => c.dataset.card)")
    last = ids[-1]
    page.evaluate("""id => localStorage.setItem('quizgen.flashcards.v1',
        JSON.stringify({[id]: {reps: 1, ef: 2.5, interval: 1, due: Date.now() - 1000}}))""", last)
    page.reload()
    assert page.locator(".deck .card.current").get_attribute("data-card") == last
    assert "1 due" in page.locator(".deck-status").inner_text()


def test_index_filters_by_tag_and_difficulty(visit):
    page = visit.open("index.html")
    total = page.locator(".family").count()
    page.select_option("#filter-tag", "softmax")
    shown = page.locator(".family:visible")
    assert 0 < shown.count() < total
    assert all("softmax" in (t or "").split("|") for t in shown.evaluate_all("els => els.map(e => e.dataset.tags)"))
    before = shown.count()  # a number now: the locator is live, so shown.count() would count the narrowed set again
    page.select_option("#filter-difficulty", "1")
    assert page.locator(".family:visible").count() < before or page.locator(".family:visible").count() == 0
    page.click("button[type=reset]")
    page.wait_for_function(f"document.querySelectorAll('.family:not([hidden])').length === {total}")
    assert visit.errors == []


@pytest.mark.parametrize("path", PAGE_TYPES)
def test_no_errors_and_no_requests_outside_the_site(visit, path):
    visit.open(path)
    visit.page.wait_for_load_state("load")
    assert visit.errors == []
    assert visit.outside_requests() == []
    assert visit.page.locator("h1").count() == 1


def test_solution_math_is_rendered_mathml_with_stretched_brackets(visit):
    page = visit.open("questions/output-delta-sigmoid-softmax--s0-v0.html")
    page.click("[data-reveal=all]")
    assert page.locator("details.solution math").count() > 5
    sizes = page.evaluate("""() => [...document.querySelectorAll('details.solution mtable')].map(t => {
        const fence = t.previousElementSibling;
        return [t.getBoundingClientRect().height, fence ? fence.getBoundingClientRect().height : 0];
    })""")
    tall = [(table, fence) for table, fence in sizes if table > 40]
    assert tall, sizes
    assert all(fence >= 0.8 * table for table, fence in tall), tall  # brackets stretch to the matrix


def test_print_shows_the_whole_solution_without_controls(visit):
    page = visit.open("questions/logistic-dw--s0-v0.html")
    page.emulate_media(media="print")
    assert page.locator("details.solution li.step:visible").count() == page.locator("details.solution li.step").count()
    for hidden in (".reveal", ".answer-form", ".site-header", ".pager"):
        assert not page.locator(hidden).first.is_visible(), hidden
