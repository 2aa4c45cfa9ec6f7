"""What every version holds, so any version can be regenerated: roster.csv and roster.json.

Each question is (bank seed, family, variant index): `quizgen show FAMILY --seed S --index I`
prints it again, and `choice_order` says how its options were reordered for the version.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from quizgen.exam.assemble import Exam
from quizgen.render.numbers import fmt

SCHEMA = "quizgen.exam-roster/1"
COLUMNS = ("version", "question", "section", "points", "family", "index", "bank_seed", "question_id",
           "choice_order", "answer")


def rows(exam: Exam) -> list[dict]:
    out = []
    for version in exam.versions:
        for item in version.items:
            q = item.question
            out.append({"version": version.code, "question": item.number, "section": item.section.number,
                        "points": fmt(item.points), "family": q.family, "index": q.index,
                        "bank_seed": q.bank_seed, "question_id": q.id,
                        "choice_order": "".join(item.choice_order), "answer": q.answer.display})
    return out


def roster_csv(exam: Exam) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows(exam))
    return buffer.getvalue()


def roster_json(exam: Exam) -> str:
    spec, table = exam.spec, rows(exam)
    versions = [{"code": v.code, "total_points": v.total,
                 "questions": [{k: r[k] for k in COLUMNS[1:]} | {"points": float(r["points"])}
                               for r in table if r["version"] == v.code]}
                for v in exam.versions]
    bank = {"name": exam.bank.name, "shipped": exam.bank.shipped, "content": exam.bank.content}
    document = {"schema": SCHEMA, "title": spec.title, "spec": Path(spec.path).name, "bank": bank, "bank_seed": spec.seed,
                "shuffle_questions": spec.shuffle_questions, "shuffle_choices": spec.shuffle_choices,
                "versions": versions}
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"
