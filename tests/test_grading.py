"""quizgen.grading: the shared case table, the input forms one by one, and two properties.

The same table (tests/data/grading_cases.json) runs through the JavaScript grader in
tests/test_grader_js.py; the two must agree on every case. Last, the grader's words: all of them
come from quizgen/messages/<lang>/grading.toml.
"""

from __future__ import annotations

import ast
import json
import math
import re
import string
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import quizgen.messages
from quizgen.bank.question import Answer, Choice, Distractor
from quizgen.errors import AnswerError
from quizgen.grading import MAX_CHARS, format_value, grade, parse_answer
from quizgen.messages import area

TABLE = Path(__file__).parent / "data" / "grading_cases.json"
CASES = json.loads(TABLE.read_text(encoding="utf-8"))["cases"]
VERDICT_KEYS = {
    "correct", "score", "message", "mistake", "mistake_name", "explanation",
    "wrong_entries", "expected_shape", "parse_error",
}  # fmt: skip
EXPECT_KEYS = {"correct", "score", "mistake", "parse_error", "wrong_entries", "message_contains"}


def check_expect(verdict: dict, expect: dict) -> None:
    """Assert a verdict (from either grader) meets a case's expect block."""
    assert set(verdict) == VERDICT_KEYS
    assert verdict["correct"] is expect["correct"], verdict["message"]
    assert verdict["score"] == pytest.approx(expect["score"], abs=1e-9), verdict["message"]
    assert verdict["mistake"] == expect["mistake"], verdict["message"]
    assert verdict["parse_error"] is expect["parse_error"], verdict["message"]
    if "wrong_entries" in expect:
        assert verdict["wrong_entries"] == expect["wrong_entries"]
    if "message_contains" in expect:
        assert expect["message_contains"] in verdict["message"]
    assert "\n" not in verdict["message"]


# --- the shared table -----------------------------------------------------------------------


def test_table_is_well_formed():
    names = [c["name"] for c in CASES]
    assert len(names) >= 45
    assert len(names) == len(set(names)), "case names must be unique"
    for case in CASES:
        assert set(case) == {"name", "answer", "distractors", "input", "expect"}, case["name"]
        assert set(case["expect"]) <= EXPECT_KEYS, case["name"]
        assert {"correct", "score", "mistake", "parse_error"} <= set(case["expect"]), case["name"]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_case(case):
    check_expect(grade(case["answer"], case["distractors"], case["input"]), case["expect"])


# --- reading, form by form ------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, kind, value, shape",
    [
        ("42", "number", 42.0, []),
        ("-.5", "number", -0.5, []),
        ("\u22123/4", "number", -0.75, []),
        ("1E-2", "number", 0.01, []),
        ("[7]", "vector", [7.0], [1]),
        ("1, 2 3", "vector", [1.0, 2.0, 3.0], [3]),
        ("[1/2 1e1]", "vector", [0.5, 10.0], [2]),
        ("[[1, 2, 3]]", "matrix", [[1.0, 2.0, 3.0]], [1, 3]),
        ("1 2; 3 4", "matrix", [[1.0, 2.0], [3.0, 4.0]], [2, 2]),
        ("[1;2]", "matrix", [[1.0], [2.0]], [2, 1]),
        ("[[1],[2]]", "matrix", [[1.0], [2.0]], [2, 1]),
        ("h", "choice", "H", None),
        ("(C)", "choice", "C", None),
        ("a)", "choice", "A", None),
    ],
)
def test_parse_forms(text, kind, value, shape):
    assert parse_answer(text) == {"kind": kind, "value": value, "shape": shape}


@pytest.mark.parametrize("text", ["", "abc", "1/0", "[[1,2],[3]]", "1 2; 3", "2**3", "__import__('os')", "nan",
                                  "inf", "(1, 2)", "1 ; ; 2", "[[1] 2]", "i", "1e5000"])  # fmt: skip
def test_parse_errors_are_one_line_and_show_the_accepted_forms(text):
    with pytest.raises(AnswerError) as info:
        parse_answer(text)
    assert "\n" not in info.value.message
    assert "Accepted: 0.5, -3/4, 1e-3, [1, 2, 3]" in info.value.message


def test_parse_error_names_what_was_not_understood():
    with pytest.raises(AnswerError, match=r'^could not read "1,2;3": row 2 has 1 entries but row 1 has 2\. '):
        parse_answer("1,2;3")


def test_parse_error_quotes_long_input_shortened():
    with pytest.raises(AnswerError) as info:
        parse_answer("x" * 500)
    assert '"' + "x" * 40 + '…"' in info.value.message
    assert len(info.value.message) < 300


def test_too_long_input_is_refused_before_reading():
    assert parse_answer(" " * (MAX_CHARS - 1) + "1")["value"] == 1.0
    with pytest.raises(AnswerError, match="10001 characters long, at most 10000"):
        parse_answer("1" + " " * MAX_CHARS)


def test_unicode_digits_are_not_numbers():
    # Python's \d would accept Arabic-Indic digits; JavaScript's would not. Neither grader does.
    with pytest.raises(AnswerError, match="is not a number"):
        parse_answer("\u0663")


# --- grading details ------------------------------------------------------------------------


def test_grade_reads_question_records_not_only_dicts():
    answer = Answer(kind="vector", value=[1.0, 2.0], display="[1, 2]", latex="", atol=1e-6, shape=[2])
    mistake = Distractor(value=[-1.0, -2.0], mistake="dropped_minus_sign", name="drop the minus sign.",
                         explanation="The loss derivative is -(y - y_hat).")  # fmt: skip
    verdict = grade(answer, [mistake], "-1 -2")
    assert verdict["mistake"] == "dropped_minus_sign"
    assert verdict["message"] == "Not quite — this is what you get if you drop the minus sign."
    assert verdict["explanation"] == "The loss derivative is -(y - y_hat)."
    assert grade(answer, [mistake], "[[1], [2]]")["correct"]


def test_grade_choice_reads_choice_records():
    choices = [Choice("A", "...", True), Choice("B", "...", False, mistake="forgot_transpose")]
    answer = {"kind": "choice", "value": "A", "choices": choices}
    assert grade(answer, [], "a")["correct"]
    assert grade(answer, [], "B")["mistake"] == "forgot_transpose"
    assert grade(answer, [], "C")["parse_error"]


def test_grade_without_distractors_or_tolerances():
    verdict = grade({"kind": "number", "value": 0.5}, None, "1/2")
    assert verdict == {
        "correct": True, "score": 1.0, "message": "Correct.", "mistake": None, "mistake_name": None,
        "explanation": None, "wrong_entries": [], "expected_shape": [], "parse_error": False,
    }  # fmt: skip


def test_grade_accepts_numpy_answer_values():
    answer = {"kind": "matrix", "value": np.array([[0.5, 1.0], [1.5, 2.0]]), "atol": 1e-9}
    verdict = grade(answer, [{"value": np.array([[1, 2], [3, 4]]), "mistake": "double"}], "1 2; 3 4")
    assert verdict["mistake"] == "double" and verdict["expected_shape"] == [2, 2]


def test_long_wrong_lists_are_shortened_in_the_message():
    verdict = grade({"kind": "vector", "value": [0.0] * 10}, [], " ".join(["0"] * 2 + ["1"] * 8))
    assert verdict["message"].endswith("entry 7, entry 8, …).")
    assert len(verdict["wrong_entries"]) == 8


@pytest.mark.parametrize(
    "answer", [{"kind": "shape_table", "value": {"W": [2, 3]}}, {"kind": "matrix", "value": [[1], [2, 3]]}]
)
def test_grade_refuses_answers_it_cannot_grade(answer):
    with pytest.raises(ValueError):
        grade(answer, [], "1")


# --- format_value ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, text",
    [
        (2.0, "2"),
        (-0.25, "-0.25"),
        (1e-05, "1e-05"),
        ([1.0, 2.5], "[1, 2.5]"),
        ([[1, 2], [3, 4]], "[[1, 2], [3, 4]]"),
        (np.array([[0.5], [-1.0]]), "[[0.5], [-1]]"),
        (np.float64(3.0), "3"),
        ("B", "B"),
    ],
)
def test_format_value(value, text):
    assert format_value(value) == text


# --- properties -----------------------------------------------------------------------------

GRAMMAR = st.text(alphabet="0123456789.,;[]/ -+eE\u2212()abAHz\n\t*_%", max_size=40)
ANSWERS = [
    {"kind": "number", "value": 0.5, "rtol": 0.01, "atol": 1e-3},
    {"kind": "vector", "value": [1, 2, 3], "atol": 1e-3},
    {"kind": "matrix", "value": [[1, 2, 3], [4, 5, 6]], "atol": 1e-3},
    {"kind": "choice", "value": "B", "choices": [{"label": x, "correct": x == "B", "mistake": "m"} for x in "ABCD"]},
]
DISTRACTORS = [
    {"value": 2, "mistake": "a", "name": "x", "explanation": ""},
    {"value": [[1, 4], [2, 5], [3, 6]], "mistake": "t"},
]


@settings(max_examples=400)
@given(st.one_of(st.text(), GRAMMAR))
def test_arbitrary_text_never_raises_anything_but_answer_error(text):
    try:
        parsed = parse_answer(text)
    except AnswerError as exc:
        assert exc.message.startswith("could not read ") and "\n" not in exc.message
    else:
        assert parsed["kind"] in {"number", "vector", "matrix", "choice"}
    for answer in ANSWERS:
        verdict = grade(answer, DISTRACTORS, text)
        assert set(verdict) == VERDICT_KEYS
        assert 0.0 <= verdict["score"] <= 1.0
        assert verdict["correct"] == (verdict["score"] == 1.0)


SIG3 = {"rule": "sig", "digits": 3, "carry": 4, "text": "3 significant figures"}


@settings(max_examples=300)
@given(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False).filter(lambda v: abs(v) > 1e-6),
       st.floats(allow_nan=False, allow_infinity=False))
def test_a_stated_precision_accepts_its_own_rounding_and_is_exact_about_its_window(value, typed):
    """Issue 14: at 3 significant figures, the value rounded to 3 figures is correct, to 2 figures it
    is "the right value, give 3 figures", and any typed number is correct iff within `tol`."""
    half = 0.5 * 10 ** (math.floor(math.log10(abs(value))) - 2)
    answer = {"kind": "number", "value": value, "precision": SIG3, "tol": half * (1 + 1e-9)}
    assert grade(answer, [], f"{value:.3g}")["correct"]
    short = grade(answer, [], f"{value:.2g}")
    assert short["correct"] or short["message"] == "Right value — give 3 significant figures."
    verdict = grade(answer, [], repr(typed))
    assert verdict["correct"] == (abs(typed - value) <= half * (1 + 1e-9))
    assert 0.0 <= verdict["score"] <= 1.0


def test_a_record_asking_for_absurd_precision_is_still_graded():
    for precision in ({"rule": "sig", "digits": 10**9, "text": "x"}, {"rule": "dec", "digits": -5, "text": "x"},
                      {"rule": "exact", "digits": True, "text": "x"}, {"rule": "nope"}, "3 figures", None):
        verdict = grade({"kind": "number", "value": 1e-300, "precision": precision, "tol": 0}, [], "1e-300")
        assert verdict["correct"]
        assert not grade({"kind": "number", "value": 5e-324, "precision": precision, "tol": 0}, [], "1")["correct"]


finite = st.floats(allow_nan=False, allow_infinity=False)
vectors = st.lists(finite, min_size=1, max_size=6)
matrices = st.integers(1, 4).flatmap(
    lambda cols: st.lists(st.lists(finite, min_size=cols, max_size=cols), min_size=1, max_size=4)  # (rows, cols)
)


@settings(max_examples=300)
@given(st.one_of(finite, vectors, matrices))
def test_format_value_reads_back_exactly(value):
    parsed = parse_answer(format_value(value))
    kind = "number" if isinstance(value, float) else "matrix" if isinstance(value[0], list) else "vector"
    assert parsed["kind"] == kind
    assert parsed["value"] == value
    assert parsed["shape"] == list(np.shape(value))
    assert all(math.isfinite(x) for x in np.ravel(parsed["value"]))


# --- the words come from the catalog ---------------------------------------------------------

GRADING_PY = Path(__file__).resolve().parents[1] / "quizgen" / "grading.py"
SOURCE = GRADING_PY.read_text(encoding="utf-8")
KEYS = re.findall(r'\bt\("grading\.([a-z_]+)"', SOURCE)
ECF_KEYS = re.findall(r'\bt\("grading\.([a-z_]+)"', (GRADING_PY.parent / "ecf.py").read_text(encoding="utf-8"))


def test_every_message_key_grading_py_uses_is_in_the_catalog():
    assert KEYS, 'grading.py should fetch its words with t("grading.<key>", lang, ...)'
    assert len(KEYS) == len(re.findall(r"\bt\(", SOURCE)), "every t() call names its key literally"
    missing = sorted(set(KEYS) - set(area("grading")))
    assert not missing, f"grading.py uses keys missing from quizgen/messages/en/grading.toml: {missing}"


def test_every_grading_message_is_used():
    unused = sorted(set(area("grading")) - set(KEYS) - set(ECF_KEYS))  # ecf.py: multi-part verdicts
    assert not unused, f"quizgen/messages/en/grading.toml has keys nothing uses: {unused}"


@pytest.mark.parametrize("key, text", sorted(area("grading").items()))
def test_placeholders_are_plain_names_javascript_can_fill(key, text):
    # grader.js fills {name} the way str.format does, but knows no specs, conversions or indexing.
    for _, field, spec, conversion in string.Formatter().parse(text):
        if field is not None:
            assert field.isidentifier() and not spec and conversion is None, f"{key}: {{{field}}}"


def english_sentences(source: str) -> list[str]:
    """String literals that read like prose, leaving out docstrings and ValueError's (for developers)."""
    tree = ast.parse(source)
    skip = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
            skip.add(id(body[0].value))
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) and getattr(node.exc.func, "id", "") == "ValueError":
            skip.update(id(n) for n in ast.walk(node.exc))
    return [
        n.value
        for n in ast.walk(tree)
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in skip
        and re.search(r"[A-Za-z]{2,} +[A-Za-z]{2,}", n.value)
    ]  # fmt: skip


def test_grading_py_holds_no_english_sentences():
    assert english_sentences('"""Doc."""\nx = "could not read"\n') == ["could not read"]  # the scan works
    assert english_sentences(SOURCE) == []


def test_a_translated_catalog_reaches_every_message(monkeypatch):
    # Guards against a message that bypasses the catalog, and checks `lang` reaches every helper.
    english = quizgen.messages.catalog
    fake = {k: "\u27e6" + v + "\u27e7" if k.startswith("grading.") else v for k, v in english("en").items()}
    monkeypatch.setattr(quizgen.messages, "catalog", lambda lang="en": fake if lang == "xx" else english(lang))
    for case in CASES:
        verdict = grade(case["answer"], case["distractors"], case["input"], lang="xx")
        assert verdict["message"].startswith("\u27e6"), (case["name"], verdict["message"])
        assert verdict == {**grade(case["answer"], case["distractors"], case["input"]), "message": verdict["message"]}
    with pytest.raises(AnswerError, match="^\u27e6could not read"):
        parse_answer("[1, 2", lang="xx")
