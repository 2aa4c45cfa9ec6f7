"""The three layouts `quizgen grade` reads: plain CSV, Moodle's Responses report and Canvas's
Student Analysis report (tests/fixtures/grade/ holds a sample of each export)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from quizgen.grade.lms import split_parts
from quizgen.grade.responses import ResponsesError, detect, read

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "grade"
MOODLE = FIXTURES / "moodle_responses.csv"
CANVAS = FIXTURES / "canvas_student_analysis.csv"
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "responses.csv"


def test_each_layout_is_told_by_its_header_row():
    # Guards detection: the first row alone says which reader runs.
    assert detect(["student", "version", "question", "part", "answer"]) == "plain"
    assert detect(["Student", "Version", "Question", "Answer"]) == "plain"  # part is optional
    for path, layout in ((MOODLE, "moodle"), (CANVAS, "canvas")):
        with open(path, encoding="utf-8", newline="") as fh:
            assert detect(next(csv.reader(fh))) == layout
    assert detect(["name", "score"]) is None


def test_the_moodle_sample_parses_one_row_per_response_and_skips_unfinished_attempts_aloud():
    # Guards the Moodle reader: identity columns, "Response N" -> question N, "-" is no response.
    got = read(str(MOODLE))
    assert got.layout == "moodle" and got.finished == 3
    first = [r for r in got.rows if r.line == 2]
    assert [r.question for r in first] == ["1", "2", "3", "4", "5"]
    assert first[0].who == ("s001", "s001@example.edu", "Student 1")
    assert first[0].answer.startswith("part 1: 0 0 0; 3.38 0 0")
    second = {r.question: r.answer for r in got.rows if r.line == 3}
    assert second["2"] == "" and second["4"] == "<script>alert(1)</script>"
    assert [(b.line, "In progress" in b.reason) for b in got.bad] == [(4, True)]


def test_the_canvas_sample_parses_each_question_column_before_its_points_column():
    # Guards the Canvas reader: the k-th "<id>: <text>" column is question k; sis_id, id, name identify.
    got = read(str(CANVAS))
    assert got.layout == "canvas" and got.finished == 3 and got.bad == []
    first = [r for r in got.rows if r.line == 2]
    assert [r.question for r in first] == ["1", "2", "3", "4", "5"]
    assert first[0].who == ("s001", "901", "Student 1")
    assert [r.answer for r in first[2:]] == ["C", "D", "1.1 0.7"]


def test_multi_part_cells_split_as_each_export_writes_them():
    # Guards Moodle's "part N: …; …" (a matrix's own ";" stays inside its part) and Canvas's "\," escape.
    assert split_parts("moodle", "part 1: 1 2; 3 4; part 2: -; part 3: [5, 6]") == {1: "1 2; 3 4", 2: "", 3: "[5, 6]"}
    assert split_parts("moodle", "1 2; 3 4") is None
    assert split_parts("canvas", r"0 1; 2 3,[0\, 0.965\, 0],,7") == {1: "0 1; 2 3", 2: "[0, 0.965, 0]", 3: "", 4: "7"}
    assert split_parts("plain", "1") is None


def test_the_samples_grade_against_the_class_exam(class_exam, tmp_path, run_grade):
    # Guards the LMS layouts end to end: the class list says each student's version.
    for sample, graded, bad in ((MOODLE, 2, {4: "In progress", 3: "could not read"}),
                                (CANVAS, 2, {4: "unknown student 's099'"})):
        out = tmp_path / sample.stem
        code, stdout, stderr = run_grade(sample, "--exam", class_exam, "--out", out)
        assert code == 0, stderr
        assert f"graded {graded} student(s)" in stdout
        for line, words in bad.items():
            assert any(e.startswith(f"{sample}: line {line}: ") and words in e for e in stderr), (line, stderr)
        scores = list(csv.DictReader(open(out / "scores.csv", encoding="utf-8", newline="")))
        assert scores[0]["student_id"] == "s001"


def test_the_example_responses_file_is_plain_and_reads_without_bad_rows():
    # Guards the README's example (regenerate it with tests/grade/synthetic.py when the midterm changes).
    got = read(str(EXAMPLE))
    assert got.layout == "plain" and got.bad == [] and len(got.rows) > 20


def test_a_file_no_layout_fits_is_one_error(tmp_path):
    # Guards detection's refusal: a file none of the readers knows is one error naming it, not rows.
    other = tmp_path / "marks.csv"
    other.write_text("name,score\nAda,3\n", encoding="utf-8")
    with pytest.raises(ResponsesError, match="none of the known layouts"):
        read(str(other))


def test_an_lms_choice_given_as_its_option_text_is_read_as_the_printed_letter(class_exam):
    # Guards choice questions exported by Moodle or Canvas, which write the option's text, not a letter.
    from quizgen.grade.exam import load
    from quizgen.grade.responses import Read, Response
    from quizgen.grade.score import score

    key = load(class_exam)
    q = key.versions["A"][3].question
    right = next(c for c in q.choices if c.correct)
    wrong = next(c for c in q.choices if not c.correct and c.mistake)
    rows = [Response(2, ("s001",), "", "3", "", "  " + right.text + " ", "canvas"),
            Response(3, ("s003",), "", "3", "", wrong.text, "moodle")]
    sheet = score(key, Read("canvas", rows, [], 2))
    marks = [sheet.marks[i]["Q3"] for i in range(2)]
    assert [m.verdict for m in marks] == ["correct", "wrong"] and marks[1].mistake == wrong.mistake


def test_the_example_responses_file_matches_the_shipped_midterm(tmp_path):
    # Guards the README's example against a drifting midterm: the file synthetic.py writes for the
    # README's exam (two versions, examples/students.csv) is the file shipped.
    import subprocess
    import sys

    from synthetic import make_class, to_csv

    from quizgen.grade.exam import load

    root = Path(__file__).resolve().parents[2]
    out = tmp_path / "exam-out"
    subprocess.run([sys.executable, "-m", "quizgen", "exam", str(root / "examples" / "midterm.toml"), "--versions", "2",
                    "--roster", str(root / "examples" / "students.csv"), "--out", str(out)],
                   check=True, capture_output=True)
    key = load(str(out), str(root / "examples" / "midterm.toml"))
    assert to_csv(make_class(key)[0]) == EXAMPLE.read_text(encoding="utf-8"), \
        "regenerate: python tests/grade/synthetic.py EXAM_DIR > examples/responses.csv"
