"""Issue 16: `--roster students.csv` — named copies, versions round-robin, a hostile list refused."""

from __future__ import annotations

import json

import pytest
from exam_helpers import THREE

from quizgen.errors import ErrorList
from quizgen.exam.classlist import MAX_STUDENTS, read


def class_list(tmp_path, text: str, name: str = "students.csv", raw: bytes | None = None):
    path = tmp_path / name
    path.write_bytes(raw if raw is not None else text.encode("utf-8"))
    return path


def problems(path) -> list[str]:
    with pytest.raises(ErrorList) as caught:
        read(str(path))
    return [str(e) for e in caught.value.errors]


SEVEN = "id,name\n" + "".join(f"s{i:03d},Student {name}\n" for i, name in enumerate("ABCDEFG", start=1))


def test_seven_students_get_five_versions_round_robin_and_named_copies(tmp_path, run_exam):
    out = tmp_path / "out"
    students = class_list(tmp_path, SEVEN)
    code, stdout, err = run_exam(THREE, "--versions", 5, "--out", out, "--roster", students)
    assert code == 0 and err == []
    roster = json.loads((out / "roster.json").read_text(encoding="utf-8"))
    assert [(s["id"], s["version"], s["file"]) for s in roster["students"]] == [
        ("s001", "A", "exam-A-001.html"), ("s002", "B", "exam-B-002.html"), ("s003", "C", "exam-C-003.html"),
        ("s004", "D", "exam-D-004.html"), ("s005", "E", "exam-E-005.html"), ("s006", "A", "exam-A-006.html"),
        ("s007", "B", "exam-B-007.html")]
    lines = (out / "roster.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("student_id,student_name,version,question,")
    assert len(lines) == 1 + 7 * 7 and lines[1].startswith("s001,Student A,A,1,")
    assert lines[-1].startswith("s007,Student G,B,7,")
    copy = (out / "exam-B-007.html").read_text(encoding="utf-8")
    blank = (out / "exam-B.html").read_text(encoding="utf-8")
    assert '"Student G · s007   ' in copy and "Student G" not in blank
    # the name and ID fill the cover's fields; otherwise the copy is version B's exam, question for question
    assert '<span class="line">Student G</span>' in copy and '<span class="line">s007</span>' in copy
    assert copy.split("</style>")[1].replace(">Student G<", "><").replace(">s007<", "><") == blank.split("</style>")[1]
    assert "7 named copies: Student A -> exam-A-001.html" in stdout


def test_a_class_list_changes_no_version_key_or_blank_exam(tmp_path, run_exam):
    plain, named = tmp_path / "plain", tmp_path / "named"
    assert run_exam(THREE, "--versions", 3, "--out", plain)[0] == 0
    assert run_exam(THREE, "--versions", 3, "--out", named, "--roster", class_list(tmp_path, SEVEN))[0] == 0
    for path in plain.iterdir():
        if path.name != "roster.csv" and path.name != "roster.json":
            assert (named / path.name).read_bytes() == path.read_bytes(), path.name


def test_names_are_text_never_markup(tmp_path, run_exam):
    out = tmp_path / "out"
    hostile = 'id,name\nx1,"<script>alert(1)</script>"\nx2,"a""; } body { display: none } x { content: """\n'
    assert run_exam(THREE, "--out", out, "--roster", class_list(tmp_path, hostile))[0] == 0
    first, second = (out / "exam-A-001.html").read_text(encoding="utf-8"), (out / "exam-A-002.html").read_text("utf-8")
    assert "<script>" not in first and "alert(1)" in first
    # the name stays inside its CSS string: every quote in it escaped
    assert 'content: "a\\"; } body { display: none } x { content: \\" · x2   ' in second


def test_without_ids_names_must_be_unique_and_columns_may_come_in_any_order(tmp_path):
    path = class_list(tmp_path, "email,Name\na@x,Ada\nb@x,Bo\n")
    assert [(s.number, s.id, s.name) for s in read(str(path))] == [(1, "", "Ada"), (2, "", "Bo")]
    assert problems(class_list(tmp_path, "name\nAda\nada\n")) == [
        f"{tmp_path / 'students.csv'}: line 3, column 1 (name): the same as line 2: two students cannot share it"]


def test_every_problem_is_one_line_naming_file_line_and_column(tmp_path):
    text = ("Student ID,Name\n"
            "s1,Ada\n"
            "s1,Bo\n"                      # duplicate id
            ",Cy\n"                        # empty id
            "s4,\n"                        # empty name
            "s5,=HYPERLINK(\"http://x\")\n"  # a formula
            "s6,Eve\u202eliF\n"            # a bidi override
            f"s7,{'x' * 101}\n")
    path = class_list(tmp_path, text)
    at = f"{path}: line"
    assert problems(path) == [
        f"{at} 3, column 1 (student_id): the same as line 2: two students cannot share it",
        f"{at} 4, column 1 (student_id): empty: every student needs one",
        f"{at} 5, column 2 (name): empty: every student needs one",
        f"{at} 6, column 2 (name): starts with '=': a spreadsheet would run it as a formula",
        f"{at} 7, column 2 (name): holds an invisible or control character (U+202E)",
        f"{at} 8, column 2 (name): longer than 100 characters"]


def test_files_that_are_not_class_lists(tmp_path):
    p = tmp_path / "students.csv"
    assert problems(class_list(tmp_path, "")) == [f"{p}: line 1: empty: expected a header row such as id,name "
                                                  "and one row per student"]
    assert problems(class_list(tmp_path, "id,email\n1,a@x\n")) == [
        f'{p}: line 1: the first row must name the columns, one of them "name" (and optionally "id"), e.g. id,name']
    assert problems(class_list(tmp_path, "name\n")) == [f"{p}: line 1: lists no students below its header row"]
    assert problems(class_list(tmp_path, "", raw=b"name\nJos\xe9\n")) == [f"{p}: is not UTF-8 text (line 2)"]
    assert problems(class_list(tmp_path, 'name\n"unclosed\n'))[0].startswith(f"{p}: line 2: not readable as CSV")
    too_many = "name\n" + "".join(f"n{i}\n" for i in range(MAX_STUDENTS + 1))
    assert problems(class_list(tmp_path, too_many)) == [f"{p}: line {MAX_STUDENTS + 2}: more than {MAX_STUDENTS} students"]
    assert problems(tmp_path / "missing.csv")[0].startswith(f"{tmp_path / 'missing.csv'}: ")


def test_a_byte_order_mark_and_crlf_lines_are_fine(tmp_path):
    path = class_list(tmp_path, "", raw=b"\xef\xbb\xbfid,name\r\ns1,Ada\r\n\r\ns2,Bo\r\n")
    assert [(s.id, s.name) for s in read(str(path))] == [("s1", "Ada"), ("s2", "Bo")]


def test_a_bad_class_list_is_reported_with_the_spec_problems_and_writes_nothing(tmp_path, run_exam):
    code, _, err = run_exam(THREE, "--out", tmp_path / "o", "--roster", class_list(tmp_path, "name\n=1+1\n"))
    assert code == 2 and err == [f"{tmp_path / 'students.csv'}: line 2, column 1 (name): starts with '=': "
                                 "a spreadsheet would run it as a formula"]
    assert not (tmp_path / "o").exists()
