"""Rows `quizgen grade` cannot use are listed, each once with its line, in the report and on stderr;
the exam folder, the file and the output folder are refused as one line when they cannot be used."""

from __future__ import annotations

import html
import json
import shutil

import pytest
from synthetic import MIDTERM

from quizgen.limits import MAX_RESPONSE_CELL, MAX_RESPONSES_BYTES

HEADER = "student,version,question,part,answer\n"


def _report_rows(out) -> list[tuple[int, str]]:
    import re

    page = html.unescape((out / "report.html").read_text(encoding="utf-8"))
    section = page[page.index('<h2 id="bad">'):]
    return [(int(n), text) for n, text in re.findall(r'<tr><td class="num">(\d+)</td><td>(.*?)</td></tr>', section)]


def test_every_bad_row_is_listed_with_its_line_and_none_is_dropped(class_exam, tmp_path, run_grade):
    # Guards "no row is dropped silently": each kind of bad row, on stderr and in the report, by line.
    rows = [
        "s001,A,3,,C",                # 2 fine
        "s999,A,3,,C",                # 3 unknown student
        "s001,Z,3,,C",                # 4 unknown version
        "s002,A,3,,C",                # 5 s002 sat B
        "s001,A,9,,C",                # 6 unknown question
        "s001,A,1,e,1",               # 7 no part e
        "s001,A,3,b,C",               # 8 a one-answer question has no parts
        "s001,A,1,,1",                # 9 a multi-part question needs its part
        "s001,A,5,,\"[[1, 2]\"",      # 10 unreadable answer (graded 0, listed)
        "s001,A,3,,D",                # 11 duplicate of line 2
        "s001,A,4",                   # 12 too few cells
        ",A,4,,D",                    # 13 no student
        "s003,A,1,(a),1 2; 3 4",      # 14 fine: "(a)" names part a
        "s003,A,1,2,[0 1 0]",         # 15 fine: "2" is part b
    ]
    responses = tmp_path / "r.csv"
    responses.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    code, stdout, stderr = run_grade(responses, "--exam", class_exam, "--out", out)
    assert code == 0
    lines = [int(e.split(": line ")[1].split(":")[0]) for e in stderr]
    assert lines == [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]
    assert all(e.startswith(f"{responses}: line ") for e in stderr)
    words = dict(zip(lines, stderr))
    assert "unknown student 's999'" in words[3] and "unknown version 'Z'" in words[4]
    assert "sat version B, not A" in words[5] and "unknown question '9'" in words[6]
    assert "no part 'e'" in words[7] and "has no parts" in words[8] and "has parts (a, b, c, d)" in words[9]
    assert "could not read" in words[10] and "first on line 2" in words[11] and "has 3 cell(s)" in words[12]
    assert "names no student" in words[13]
    assert [n for n, _ in _report_rows(out)] == lines
    assert "graded 2 student(s)" in stdout and "(14 row(s), 11 with a problem)" in stdout
    scores = (out / "scores.csv").read_text(encoding="utf-8").splitlines()
    assert [r.split(",")[0] for r in scores[1:]] == ["s001", "s003"]


def test_hostile_cells_are_text_never_formulas_or_markup(tmp_path, class_exam, run_grade):
    # Guards the CSV and the page: a formula-like or control-character student is refused (no class
    # list: the file names the class), markup stays text, an oversized cell is one bad row.
    bare = tmp_path / "bare"
    shutil.copytree(class_exam, bare)
    roster = json.loads((bare / "roster.json").read_text(encoding="utf-8"))
    roster.pop("students")
    (bare / "roster.json").write_text(json.dumps(roster), encoding="utf-8")
    rows = ["=HYPERLINK(\"http://x\"),A,3,,C", "\"bob\u202e\",A,3,,C", "<b>eve</b>,A,3,,<img src=x>",
            "mallory,A,3,,\"" + "1" * (MAX_RESPONSE_CELL + 1) + "\"", "+1,A,3,,C", "<b>eve</b>,B,3,,C"]
    responses = tmp_path / "r.csv"
    responses.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    code, _, stderr = run_grade(responses, "--exam", bare, "--out", out, "--spec", MIDTERM)
    assert code == 0, stderr
    assert len(stderr) == 6
    assert "formula" in stderr[0] and "U+202E" in stderr[1] and "formula" in stderr[4]
    assert "longer than" in stderr[3] and "sat version A, not B" in stderr[5]  # her first row said A
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "<img" not in page and "<b>eve" not in page and "&lt;img src=x&gt;" in page
    scores = (out / "scores.csv").read_text(encoding="utf-8").splitlines()
    assert scores[1].startswith("<b>eve</b>,,A,") and not any(r.startswith(("=", "+", "-", "@")) for r in scores)


def test_an_exam_from_other_inputs_is_refused_in_one_line(class_exam, tmp_path, run_grade):
    # Guards the fingerprint: a roster drawn from another bank, spec or quizgen is never graded.
    other = tmp_path / "exam"
    shutil.copytree(class_exam, other)
    roster = json.loads((other / "roster.json").read_text(encoding="utf-8"))
    roster["fingerprint"]["spec"] = "0" * 16
    (other / "roster.json").write_text(json.dumps(roster), encoding="utf-8")
    responses = tmp_path / "r.csv"
    responses.write_text(HEADER + "s001,A,3,,C\n", encoding="utf-8")
    code, _, stderr = run_grade(responses, "--exam", other, "--out", tmp_path / "out")
    assert code == 2 and len(stderr) == 1
    assert stderr[0].startswith(f"{other / 'roster.json'}: ") and "spec" in stderr[0]
    assert "Grade with the quizgen version and bank files that built it" in stderr[0]  # not exam's --force-new
    assert not (tmp_path / "out").exists()


def test_a_missing_exam_a_too_large_file_and_a_strangers_folder_are_one_line_each(class_exam, tmp_path, run_grade):
    responses = tmp_path / "r.csv"
    responses.write_text(HEADER + "s001,A,3,,C\n", encoding="utf-8")
    code, _, stderr = run_grade(responses, "--exam", tmp_path / "nowhere", "--out", tmp_path / "out")
    assert code == 2 and len(stderr) == 1 and "not a folder" in stderr[0]
    big = tmp_path / "big.csv"
    with open(big, "w", encoding="utf-8") as fh:
        fh.write(HEADER)
        fh.truncate(MAX_RESPONSES_BYTES + 1)
    code, _, stderr = run_grade(big, "--exam", class_exam, "--out", tmp_path / "out")
    assert code == 2 and len(stderr) == 1 and "limit" in stderr[0]
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "thesis.tex").write_text("keep me", encoding="utf-8")
    code, _, stderr = run_grade(responses, "--exam", class_exam, "--out", mine)
    assert code == 2 and len(stderr) == 1 and "thesis.tex" in stderr[0]
    assert (mine / "thesis.tex").read_text(encoding="utf-8") == "keep me"


def test_a_second_run_replaces_the_report_folder_whole(class_exam, tmp_path, run_grade):
    # Guards the atomic output: the folder quizgen wrote is replaced; nothing else is touched.
    responses = tmp_path / "r.csv"
    responses.write_text(HEADER + "s001,A,3,,C\n", encoding="utf-8")
    out = tmp_path / "out"
    assert run_grade(responses, "--exam", class_exam, "--out", out)[0] == 0
    responses.write_text(HEADER + "s001,A,3,,C\ns003,A,3,,A\n", encoding="utf-8")
    assert run_grade(responses, "--exam", class_exam, "--out", out)[0] == 0
    assert sorted(p.name for p in out.iterdir()) == ["report.html", "scores.csv"]
    assert len((out / "scores.csv").read_text(encoding="utf-8").splitlines()) == 3
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out.")] == []


@pytest.mark.parametrize("text", ["", "\n\n", "just one line of prose\n"])
def test_an_empty_or_unknown_file_is_one_line(class_exam, tmp_path, run_grade, text):
    responses = tmp_path / "r.csv"
    responses.write_text(text, encoding="utf-8")
    code, _, stderr = run_grade(responses, "--exam", class_exam, "--out", tmp_path / "out")
    assert code == 2 and len(stderr) == 1 and stderr[0].startswith(f"{responses}: ")


def test_the_same_responses_give_byte_identical_outputs(class_exam, tmp_path, run_grade):
    # Guards determinism: no clock, no set order, nothing random in scores.csv or report.html.
    responses = tmp_path / "r.csv"
    responses.write_text(HEADER + "s003,A,3,,A\ns001,A,3,,C\ns001,A,1,a,0\n", encoding="utf-8")
    outs = []
    for name in ("one", "two"):
        assert run_grade(responses, "--exam", class_exam, "--out", tmp_path / name)[0] == 0
        outs.append({p.name: p.read_bytes() for p in (tmp_path / name).iterdir()})
    assert outs[0] == outs[1]
