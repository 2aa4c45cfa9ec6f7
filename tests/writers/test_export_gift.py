"""`quizgen export --format gift`: the GIFT text read back the way Moodle's GIFT import reads it
(escapes first, then the structure) and checked against the records."""

from __future__ import annotations

import re

import pytest

from export_cases import FAMILIES, VARIANTS, export, views
from quizgen.writers import gift, lms

# Moodle's qformat_gift::escapedchar_pre: "\\" first, then \: \# \= \{ \} \~ \n become placeholders.
_ESCAPES = {"\\:": "\ue010", "\\#": "\ue011", "\\=": "\ue012", "\\{": "\ue013", "\\}": "\ue014", "\\~": "\ue015",
            "\\n": "\ue016"}
_BACK = {"\ue010": ":", "\ue011": "#", "\ue012": "=", "\ue013": "{", "\ue014": "}", "\ue015": "~", "\ue016": "\n"}


def pre(text: str) -> str:
    text = text.replace("\\\\", "\ue0ff")
    for k, v in _ESCAPES.items():
        text = text.replace(k, v)
    return text.replace("\ue0ff", "\\")


def post(text: str) -> str:
    return "".join(_BACK.get(ch, ch) for ch in text)


def parse(document: str) -> list[dict]:
    """Every question: category, name, text, answers [(credit, text, feedback)], numeric, general."""
    out, category = [], None
    for line in document.split("\n"):
        if line.startswith("$CATEGORY: "):
            category = line[len("$CATEGORY: "):]
        if not line.startswith("::"):
            continue
        line = pre(line)
        name, rest = line[2:].split("::", 1)
        assert rest.startswith("[html]")
        text, answer = rest[6:].split("{", 1)
        assert answer.endswith("}") and "{" not in answer and "}" not in answer[:-1]
        answer, general = answer[:-1].split("####", 1)
        numeric = answer.startswith("#")
        answers = []
        if numeric:
            for part in answer[1:].split("=")[1:]:
                credit = 0 if part.startswith("%0%") else 100
                value, _, feedback = part.removeprefix("%0%").partition("#")
                answers.append((credit, value.strip(), post(feedback.strip())))
        else:
            for m in re.finditer(r"([=~])([^=~]*)", answer):
                value, _, feedback = m.group(2).partition("#")
                answers.append((100 if m.group(1) == "=" else 0, post(value.strip()), post(feedback.strip())))
        out.append({"category": post(category), "name": post(name), "text": post(text), "answers": answers,
                    "numeric": numeric, "general": post(general)})
    return out


@pytest.fixture(scope="module")
def questions():
    return parse(export("gift"))


def test_every_question_under_its_family_category_named_by_its_id(questions):
    assert sorted(q["name"] for q in questions) == sorted(views())
    for found in questions:
        q, v = views()[found["name"]]
        assert found["category"] == f"$course$/top/quizgen/{lms.topic(q)}/{q.family}"
        assert found["text"] == lms.question_html(v)
        assert all(lms.escape(s.title) in found["general"] for s in v.steps)
    assert len({q["category"] for q in questions}) == len(FAMILIES)


def test_a_number_has_its_tolerance_and_each_mistake_as_a_zero_credit_answer(questions):
    numeric = [q for q in questions if q["numeric"]]
    assert len(numeric) == VARIANTS
    for found in numeric:
        q, v = views()[found["name"]]
        (credit, right, _), *wrong = found["answers"]
        value, tol = right.split(":")
        assert credit == 100 and float(value) == v.answer.value and float(tol) == v.answer.tol
        assert len(wrong) == len(v.distractors)
        for (credit, text, feedback), d in zip(wrong, v.distractors):
            value, tol = text.split(":")
            assert credit == 0 and float(value) == d.value and float(tol) == d.tol
            assert lms.escape(d.name.rstrip(".")) in feedback and lms.escape(d.explanation) in feedback


def test_a_choice_lists_its_options_with_the_mistake_each_wrong_one_stands_for(questions):
    checked = 0
    for found in questions:
        q, v = views()[found["name"]]
        if v.answer.kind != "choice":
            continue
        assert [(c, t) for c, t, _ in found["answers"]] == [(100 if c.correct else 0, lms.html(c.text, inline=True))
                                                            for c in v.choices]
        for (_, _, feedback), c in zip(found["answers"], v.choices):
            if c.name:
                assert lms.escape(c.name.rstrip(".")) in feedback
        checked += 1
    assert checked == 2 * VARIANTS


def test_an_array_becomes_an_essay_with_the_key_in_the_general_feedback(questions):
    essays = [q for q in questions if not q["numeric"] and not q["answers"]]
    assert len(essays) == 3 * VARIANTS
    for found in essays:
        q, v = views()[found["name"]]
        assert lms.answer_html(v) in found["general"]


@pytest.mark.parametrize("text", ["~ = # { } :", "a\\b \\n \\\\", "line\nbreak\r\n", "::x:: $CATEGORY: {#1:2}",
                                  "\\{1:NUMERICAL:=1\\}"])
def test_escaping_round_trips_every_gift_character(text):
    """Regression guard: GIFT's ~ = # { } : and the backslash read back as themselves."""
    assert post(pre(gift.escape(text))) == text.replace("\r", "")
    assert "\n" not in gift.escape(text)

