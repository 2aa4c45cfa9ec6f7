"""The exam and key HTML: print rules, cover page, answer space sized to the answer, no leaks."""

from __future__ import annotations

import html
import re
from pathlib import Path

import jinja2
import pytest

from quizgen.bank.question import shown_steps
from quizgen.exam.build import prepare
from quizgen.writers import exam as writer
from quizgen.messages.text import say

SPECS = Path(__file__).resolve().parents[1] / "fixtures" / "exam_specs"
THREE = SPECS / "good" / "three_versions.toml"
ONE = SPECS / "good" / "one_question.toml"


@pytest.fixture(scope="module")
def three():
    exam = prepare(THREE, versions=2)
    return exam, {v.code: (writer.exam_html(exam, v), writer.key_html(exam, v)) for v in exam.versions}


def questions(page: str) -> list[str]:
    return re.findall(r'<article class="question".*?</article>', page, re.S)


def test_print_rules(three):
    exam, pages = three
    page = pages["A"][0]
    assert "size: A4;" in page
    assert re.search(r"\.question \{[^}]*break-inside: avoid", page)
    assert '"Latin Modern Math", "STIX Two Math", "Noto Serif CJK SC"' in page  # issue 19: CJK before the generic
    assert "<link" not in page and "<script" not in page and "http://" not in page.replace(
        'xmlns="http://www.w3.org/1998/Math/MathML"', "")
    letter = prepare(ONE)
    assert "size: Letter;" in writer.exam_html(letter, letter.versions[0])


def test_cover_page(three):
    exam, pages = three
    for code, (page, _) in pages.items():
        cover = page.split('<main class="questions">')[0]
        for text in ("Three-version quiz", "Test course", "2025-01-31", "30 minutes", "Total points: 45.5",
                     f"<strong>{code}</strong>", ">Name<", ">Student ID<"):
            assert text in cover, (code, text)
        assert "<math" in cover.split('class="instructions"')[1]  # the instructions' $math$ is typeset
        assert cover.count('<td class="blank"></td>') == 7 + 1  # a score cell per question and the total


def test_every_question_is_numbered_with_its_points(three):
    exam, pages = three
    for version in exam.versions:
        found = questions(pages[version.code][0])
        assert len(found) == len(version.items)
        for item, block in zip(version.items, found):
            points = f"{item.points:g}"
            assert f"<h3>Question {item.number}</h3>" in block
            assert f"[{points} point{'' if points == '1' else 's'}]" in block
            assert f"Question {item.number} · Score" in block


def test_answer_space_follows_the_answer(three):
    exam, pages = three
    for version in exam.versions:
        for item, block in zip(version.items, questions(pages[version.code][0])):
            a = item.question.answer
            if a.kind == "choice":
                assert block.count('class="bubble"') == len(item.question.choices)
                assert 'class="box"' not in block and 'class="cells"' not in block
            elif a.kind == "number":
                assert block.count('class="box"') == 1
            else:
                rows, cols = (a.shape + [1])[:2] if len(a.shape) == 2 else (a.shape[0], 1)
                assert f'class="cells" style="--cols: {cols}"' in block
                assert block.count('class="cell"') == rows * cols
            work = re.search(r'class="work" style="height: ([\d.]+)cm"', block)
            assert work and 1 <= float(work.group(1)) <= 11


def test_a_shapes_question_gets_a_labelled_table(tmp_path):
    spec = tmp_path / "shapes.toml"
    spec.write_text(f'title = "Shapes"\nbank = {str(SPECS / "bank")!r}\n'
                    '[[sections]]\nfamilies = ["shapes-mnist-two-layer"]\npoints = 9\n', encoding="utf-8")
    exam = prepare(spec)
    page = writer.exam_html(exam, exam.versions[0])
    block = next(b for b in questions(page) if "shapes" in b)
    assert block.count('<td class="blank"></td>') == 2 * 9 and block.count("<tr><td><math") == 9


def test_no_latex_is_left_unconverted(three):
    exam, pages = three
    for page, key in pages.values():
        for text in (page, key):
            assert "$" not in re.sub(r"<math.*?</math>", "", text, flags=re.S)
            assert not re.search(r"<mtext>[^<]*\\", text), re.search(r"<mtext>[^<]*\\", text)


def test_the_exam_gives_nothing_away(three):
    exam, pages = three
    for version in exam.versions:
        page = html.unescape(pages[version.code][0].split("</style>")[1])
        assert not re.search(r'class="[^"]*correct', page) and "Worked solution" not in page
        for item in version.items:
            q = item.question
            assert q.family not in page and q.title not in page
            for step in q.steps:
                assert not step.explanation or say(step.explanation) not in page
            for d in q.distractors:
                assert say(d.name) not in page


def test_formula_sheet_only_when_asked_and_only_the_notations_used(three):
    exam, pages = three
    page, key = pages["A"]
    assert page.count('class="appendix"') == 1 and "Formula sheet" in page
    assert "Row notation" in page and "Column notation" in page
    assert 'class="appendix"' not in key
    one = prepare(ONE)  # activation-derivative has no network: neither notation's group
    sheet = writer.exam_html(one, one.versions[0])
    assert "Activations" in sheet and "Row notation" not in sheet and "Column notation" not in sheet


def test_key_shows_answer_tolerance_steps_and_rubric(three):
    exam, pages = three
    for version in exam.versions:
        key = pages[version.code][1]
        blocks = re.findall(r'<article class="kq".*?</article>', key, re.S)
        assert len(blocks) == len(version.items)
        for item, block in zip(version.items, blocks):
            q = item.question
            assert f"typed: <code>{html.escape(q.answer.display)}</code>" in block
            if q.answer.kind != "choice":
                assert "accept each entry x within" in block or "exact" in block
            assert block.count('<td class="n">') == len(shown_steps(q))  # schema 2: + a "Why not" row per wrong option
            points = [float(p) for p in re.findall(r'<td class="p">([\d.]+)</td>', block)]
            assert sum(points) == item.points
            assert f"quizgen show {q.family} --seed {q.bank_seed} --index {q.index}" in block


def test_templates_fail_loudly_on_a_missing_variable():
    assert writer.environment().undefined is jinja2.StrictUndefined


def test_css_strings_are_escaped():
    assert writer.css_string('a "b" \\ <c>') == '"a \\"b\\" \\\\ \\3C c>"'


def test_latex_and_mathml_are_made_printable():
    from quizgen.present import math as views  # the exam's fixes, now the one pipeline's

    # a double superscript (invalid LaTeX) is braced, floating-point noise prints as 0
    assert views.fix_tex(r"1 - A^{[1]}^{2}") == r"1 - {A^{[1]}}^{2}"
    assert views.fix_tex(r"\begin{bmatrix}8.327e-17 & 1e-5\end{bmatrix}") == r"\begin{bmatrix}0 & 1e-5\end{bmatrix}"
    assert views.clean([[1e-17, 0.5], [-3e-13, 2.0]]) == [[0.0, 0.5], [0.0, 2.0]]
    # a prime sits beside its base instead of floating as a superscript
    assert "<msup>" not in str(views.tex(r"\tanh'(z)")) and "&#x2032;" in str(views.tex(r"\tanh'(z)"))
    # a chain of equations wraps between its equations
    assert str(views.md(r"$$ a = b,\quad c = d $$")).count("<math") == 2
