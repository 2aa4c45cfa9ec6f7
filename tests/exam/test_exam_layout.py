"""The paper's layout keys (cover, space, formula_sheet), the name header on every page, the
conventions box and the notation notices (issue 16)."""

from __future__ import annotations

import re

import pytest
from exam_helpers import MIDTERM, ROOT, SPECS

from quizgen.exam.build import prepare
from quizgen.exam.spec import parse_spec
from quizgen.writers import exam as writer
from quizgen.writers import exam_conventions

COMPACT = SPECS / "good" / "compact.toml"
QUIZ = ROOT / "examples" / "quiz.toml"
BASE = {"title": "T", "sections": [{"families": ["x"], "points": 1}]}


def parsed(**keys):
    data = {**BASE, **keys}
    return parse_spec(data, "s.toml")


def errors(**keys) -> list[str]:
    return [str(e) for e in parsed(**keys)[1]]


def test_layout_keys_default_to_the_old_exam():
    spec, problems = parsed()
    assert problems == []
    assert spec.cover is True and spec.space is None and spec.formula_sheet == "off"
    assert spec.sections[0].space is None


@pytest.mark.parametrize("value, sheet", [(True, "page"), (False, "off"), ("page", "page"),
                                          ("inline", "inline"), ("off", "off")])
def test_formula_sheet_takes_a_mode_and_still_true_or_false(value, sheet):
    spec, problems = parsed(formula_sheet=value)
    assert problems == [] and spec.formula_sheet == sheet


@pytest.mark.parametrize("value, cm", [("none", 0.0), ("small", 2.4), ("medium", 5.6), ("large", 10.4), (0, 0.0),
                                       (5, 4.0), (40, 32.0)])
def test_space_is_a_name_or_a_number_of_lines(value, cm):
    spec, problems = parsed(space=value, sections=[{"families": ["x"], "points": 1, "space": value}])
    assert problems == [] and spec.space == cm and spec.sections[0].space == cm


def test_bad_layout_keys_are_each_reported_with_their_key():
    found = errors(cover="no", space="huge", formula_sheet="appendix",
                   sections=[{"families": ["x"], "points": 1, "space": -1}, {"families": ["y"], "points": 1, "space": 41},
                             {"families": ["z"], "points": 1, "space": True}])
    assert sorted(found) == sorted([
        "s.toml: sections[1].space: must be one of none, small, medium, large or a whole number of lines from 0 to 40, got -1",
        "s.toml: sections[2].space: must be one of none, small, medium, large or a whole number of lines from 0 to 40, got 41",
        "s.toml: sections[3].space: must be one of none, small, medium, large or a whole number of lines from 0 to 40, got True",
        "s.toml: formula_sheet: must be 'page', 'inline' or 'off' (true and false mean page and off), got 'appendix'",
        "s.toml: cover: must be true or false, got 'no'",
        "s.toml: space: must be one of none, small, medium, large or a whole number of lines from 0 to 40, got 'huge'",
    ])


@pytest.fixture(scope="module")
def compact():
    exam = prepare(COMPACT, versions=2)
    return exam, writer.exam_html(exam, exam.versions[0]), writer.key_html(exam, exam.versions[0])


def test_without_a_cover_the_head_opens_page_one(compact):
    _, page, _ = compact
    assert '<section class="cover compact">' in page
    assert re.search(r"\.cover\.compact \{[^}]*break-after: auto", page)
    assert 'class="appendix' not in page  # formula_sheet = "off"


def test_every_page_after_the_first_is_headed_by_the_name_and_id_fields(compact):
    """Guards #16: the name field was only on the cover; a loose sheet could not be matched."""
    _, page, key = compact
    top = re.search(r"@top-left \{ content: \"([^\"]*)\"", page)
    assert top and top.group(1).startswith("Name ___") and "Student ID ___" in top.group(1)
    assert top.group(1).endswith("Version A")
    assert re.search(r"@page :first \{[^}]*@top-left \{ content: none; \}", page)  # page 1 has them in full
    assert "@top-left" not in key  # graders' copy: no fields to fill in


def test_space_comes_from_the_section_else_the_exam_else_the_question(compact):
    exam, page, _ = compact
    blocks = re.findall(r'<article class="question".*?</article>', page, re.S)
    heights = [re.findall(r'class="work" style="height: ([0-9.]+)cm"', block) for block in blocks]
    assert heights == [[], [], ["4"], ["4"]]  # sections: "none", then 5 lines of 0.8 cm
    exam_wide = prepare(QUIZ)
    quiz = writer.exam_html(exam_wide, exam_wide.versions[0])
    assert re.findall(r'class="work" style="height: ([0-9.]+)cm"', quiz) == ["2.4", "2.4", "3.2"]


def test_the_conventions_box_states_what_the_questions_use(compact):
    """Guards #16: how W's subscripts count, m, k and the mean were printed only in the key."""
    exam, page, key = compact
    box = re.search(r'<div class="conventions">(.*?)</div>', page, re.S).group(1)
    text = re.sub(r"<math.*?</math>", "§", box, flags=re.S)
    text = re.sub(r"<[^>]+>", "", text)
    assert "Row notation (questions 1, 4)" in text and "Column notation (question 3)" in text
    assert text.index("Row notation") < text.index("Column notation")  # in order of first use
    assert text.count("maps layer") == 2  # W's rows and columns, once per notation
    assert "the number of examples in the batch" in text
    assert "is the number of outputs (units of the last layer)" in text
    assert "the mean of the per-example losses" in text and "sum of the per-example" not in text
    assert 'class="conventions"' not in key


def test_a_question_whose_notation_changes_carries_a_notice(compact):
    exam, page, _ = compact
    blocks = re.findall(r'<article class="question".*?</article>', page, re.S)
    notices = [re.sub(r"<math.*?</math>", "§", b, flags=re.S) for b in blocks]
    notices = [re.search(r'<p class="notice">(.*?)</p>', b, re.S) for b in notices]
    # 1 row, 2 no network (passed over), 3 column: notice, 4 row: notice
    assert [bool(n) for n in notices] == [False, False, True, True]
    assert "column notation" in notices[2].group(1) and "row notation" in notices[3].group(1)


def test_notices_follow_each_versions_own_order():
    """A shuffled version compares each question with the one printed before it."""
    exam = prepare(SPECS / "good" / "three_versions.toml", versions=3)
    forward = writer.forward_rules()
    for version in exam.versions:
        found, before = [], None
        for item in version.items:
            if item.question.notation in ("row", "column"):
                if before is not None and item.question.notation != before:
                    found.append(item.number)
                before = item.question.notation
        assert sorted(exam_conventions.notices(version.items, forward)) == found


def test_midterm_cover_names_both_notations_and_no_hand_typed_values():
    exam = prepare(MIDTERM)
    page = writer.exam_html(exam, exam.versions[0])
    box = re.search(r'<div class="conventions">(.*?)</div>', page, re.S).group(1)
    forward = writer.forward_rules()
    assert set(forward) == {"column", "row"}
    for notation in {item.question.notation for item in exam.versions[0].items} - {None}:
        assert f"{notation.capitalize()} notation" in box


def test_numbers_are_ranges():
    assert exam_conventions.numbers([1, 2, 3, 5, 7, 8]) == "1–3, 5, 7–8"
    assert exam_conventions.numbers([4]) == "4"


def test_an_inline_formula_sheet_follows_the_questions():
    exam = prepare(SPECS / "good" / "one_question.toml")
    spec = exam.spec.__class__(**{**exam.spec.__dict__, "formula_sheet": "inline"})
    page = writer.exam_html(exam.__class__(spec, exam.versions, exam.bank), exam.versions[0])
    assert '<section class="appendix inline">' in page
    assert re.search(r"\.appendix\.inline \{[^}]*break-before: auto", page)


def test_a_kinds_formula_group_prints_only_when_a_question_of_that_kind_is_asked(tmp_path):
    """Adam's rule is on the sheet of an exam that asks an optimizer step, and only there."""
    spec = tmp_path / "adam.toml"
    spec.write_text('title = "Adam"\nformula_sheet = true\n\n[[sections]]\ntitle = "Optimizers"\n'
                    'families = ["adam-first-steps", "exam-relu-softmax-dw2"]\npoints = 5\n', encoding="utf-8")
    exam = prepare(spec)
    titles = [g["title"] for g in writer.formula_groups(exam.versions[0])]
    assert any(t.startswith("Optimizers") for t in titles) and not any(t.startswith("Layers") for t in titles)
    plain = prepare(SPECS / "good" / "one_question.toml")
    assert not any(g["title"].startswith(("Optimizers", "Layers")) for g in writer.formula_groups(plain.versions[0]))
