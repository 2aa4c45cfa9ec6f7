"""`quizgen grade` on a synthetic class: the report recovers the injected mistakes exactly and the
scores equal a hand marker's (tests/grade/synthetic.py), error carried forward included."""

from __future__ import annotations

import csv
import html
import re

from synthetic import make_class, to_csv

from quizgen.grade.exam import load
from quizgen.grade.responses import read
from quizgen.grade.score import score
from quizgen.grade.stats import summarise


def test_the_scores_equal_a_hand_marker_and_the_report_recovers_the_injected_mistakes(class_exam, tmp_path, run_grade):
    # Guards the whole pipeline: routing, the key's rules, ECF, per-part shares, the mistake counts.
    key = load(class_exam)
    rows, expected, injected = make_class(key)
    responses = tmp_path / "responses.csv"
    responses.write_text(to_csv(rows), encoding="utf-8")
    out = tmp_path / "report"
    code, stdout, stderr = run_grade(responses, "--exam", class_exam, "--out", out)
    assert code == 0 and stderr == [], stderr
    assert "graded 40 student(s)" in stdout
    with open(out / "scores.csv", encoding="utf-8", newline="") as fh:
        table = list(csv.DictReader(fh))
    assert [r["student_id"] for r in table] == [s.id for s in key.students]
    for row in table:
        want = expected[row["student_id"]]
        got = {k: float(v) for k, v in row.items() if k.startswith("Q")}
        assert got == want, row["student_id"]
        assert float(row["total"]) == sum(want.values())
    summary = summarise(score(key, read(str(responses))), key.total)
    recovered = {i.column.label: {mid: c for mid, c, *_ in i.mistakes} for i in summary.items if i.mistakes}
    assert recovered == {k: dict(v) for k, v in injected.items()}
    assert sum(len(v) for v in injected.values()) >= 6  # the plan really injected mistakes in several columns
    page = html.unescape((out / "report.html").read_text(encoding="utf-8"))
    for column, counts in injected.items():
        section = page[page.index(f"<h3>{column} "):]
        section = section[:section.index("</table>")]
        listed = re.findall(r"<code>([a-z0-9_]+)</code>.*?<td class=\"num\">(\d+)</td>", section, re.S)
        assert [(m, int(c)) for m, c in listed] == sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def test_a_slip_in_a_carried_into_b_earns_b_by_ecf(class_exam):
    # Guards ECF in class grading: the planned students' (b) is wrong against the key yet earns its points.
    key = load(class_exam)
    rows, expected, _ = make_class(key)
    carried = [s for i, s in enumerate(key.students) if i % 10 == 7]
    assert carried
    from quizgen.grade.responses import Read, Response

    read_rows = [Response(n + 2, (r[0],), r[1], str(r[2]), r[3], r[4], "plain") for n, r in enumerate(rows)]
    sheet = score(key, Read("plain", read_rows, [], len(rows)))
    by_id = {s.id: i for i, s in enumerate(sheet.students)}
    for s in carried:
        marks = sheet.marks[by_id[s.id]]
        assert marks["Q1b"].verdict == "carried" and marks["Q1b"].earned == marks["Q1b"].points > 0
        assert marks["Q1a"].verdict == "wrong" and marks["Q1a"].mistake


def test_a_replaced_question_is_graded_against_its_replacement(class_exam):
    # Guards replacements: B:3 was replaced when the exam was built; its answer is the new record's.
    key = load(class_exam)
    assert key.replaced == (("B", 3),)
    import json

    roster = json.loads((class_exam / "roster.json").read_text(encoding="utf-8"))
    listed = next(q["question_id"] for v in roster["versions"] if v["code"] == "B" for q in v["questions"]
                  if q["question"] == 3)
    assert key.versions["B"][3].question.id == listed
    assert key.versions["B"][3].question.index != key.versions["A"][3].question.index
