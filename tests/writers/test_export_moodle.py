"""`quizgen export --format moodle`: the Moodle XML parsed back and checked, question by question,
against the records (type, answer, tolerance, per-option feedback, categories, idnumber)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from export_cases import FAMILIES, VARIANTS, export, views
from quizgen.writers import lms

CLOZE = re.compile(r"\{1:NUMERICAL:=([-0-9.]+):([0-9.]+)\}")


@pytest.fixture(scope="module")
def quiz():
    return ET.fromstring(export("moodle"))


def questions(quiz):
    return [q for q in quiz if q.get("type") != "category"]


def test_one_category_per_family_holding_its_variants(quiz):
    """Moodle's "random question from category" then hands each student their own numbers."""
    current, seen = None, {}
    for q in quiz:
        if q.get("type") == "category":
            current = q.findtext("category/text")
            assert current.startswith("$course$/top/quizgen/") and q.findtext("idnumber") == current.split("/")[-1]
            seen[current] = []
        else:
            seen[current].append(q.findtext("idnumber"))
    assert len(seen) == len(FAMILIES)
    for path, ids in seen.items():
        family = path.split("/")[-1]
        assert ids == [f"{family}--s0-v{i}" for i in range(VARIANTS)]


def test_every_question_has_its_id_as_idnumber_and_the_worked_solution_as_general_feedback(quiz):
    found = questions(quiz)
    assert sorted(q.findtext("idnumber") for q in found) == sorted(views())
    for el in found:
        q, v = views()[el.findtext("idnumber")]
        feedback = el.findtext("generalfeedback/text")
        assert all(lms.escape(s.title) in feedback for s in v.steps)
        assert {t.text for t in el.iterfind("tags/tag/text")} >= {f"family::{q.family}", f"topic::{q.topic}"}


def test_a_number_is_numerical_with_its_tolerance_and_each_mistake_a_zero_credit_answer(quiz):
    checked = 0
    for el in questions(quiz):
        q, v = views()[el.findtext("idnumber")]
        if not isinstance(v.answer.value, (int, float)) or v.answer.kind == "choice":
            continue
        assert el.get("type") == "numerical"
        right, *wrong = el.findall("answer")
        assert right.get("fraction") == "100"
        assert float(right.findtext("text")) == v.answer.value
        assert float(right.findtext("tolerance")) == v.answer.tol  # the stated precision, as graded
        assert len(wrong) == len(v.distractors) >= 1
        for el_d, d in zip(wrong, v.distractors):
            assert el_d.get("fraction") == "0" and float(el_d.findtext("text")) == d.value
            assert float(el_d.findtext("tolerance")) == d.tol
            feedback = el_d.findtext("feedback/text")
            assert lms.escape(d.name.rstrip(".")) in feedback and lms.escape(d.explanation) in feedback
        checked += 1
    assert checked == VARIANTS


def test_a_choice_is_multichoice_each_wrong_option_naming_and_explaining_its_mistake(quiz):
    checked = 0
    for el in questions(quiz):
        q, v = views()[el.findtext("idnumber")]
        if v.answer.kind != "choice":
            continue
        assert el.get("type") == "multichoice" and el.findtext("single") == "true"
        answers = el.findall("answer")
        assert len(answers) == len(v.choices)
        for el_c, c in zip(answers, v.choices):
            assert el_c.get("fraction") == ("100" if c.correct else "0")
            assert el_c.findtext("text") == lms.html(c.text, inline=True)
            feedback = el_c.findtext("feedback/text") or ""
            if c.name:  # formula_choice: every wrong option stands for a named mistake
                assert lms.escape(c.name.rstrip(".")) in feedback and lms.escape(c.explanation) in feedback
            if c.correct and c.explanation:  # find_error: the right option says what went wrong there
                assert lms.escape(c.explanation) in feedback
        checked += 1
    assert checked == 2 * VARIANTS


def test_an_array_is_cloze_with_one_numerical_field_per_entry(quiz):
    checked = 0
    for el in questions(quiz):
        q, v = views()[el.findtext("idnumber")]
        if v.answer.kind == "choice" or isinstance(v.answer.value, (int, float)):
            continue
        assert el.get("type") == "cloze"
        text = el.findtext("questiontext/text")
        fields = [(float(a), float(b)) for a, b in CLOZE.findall(text)]
        assert fields == [(float(x), float(t)) for x, t in lms.entries(v.answer)]
        assert text.count("{") == len(fields)  # no other brace: bank text cannot open a field
        rows, cols, labels = lms.grid(v)
        assert text.count("<tr>") == rows and len(fields) == rows * cols
        checked += 1
    assert checked == 3 * VARIANTS

