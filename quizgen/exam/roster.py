"""What every version holds, so any version can be regenerated: roster.csv and roster.json.

Each question is (bank seed, family, variant index): `quizgen show FAMILY --seed S --index I`
prints it again, and `choice_order` says how its options were reordered for the version.
roster.json also records what a rebuild needs to print the same papers: the exam's
fingerprint (exam/fingerprint.py), the replacements made in order (exam/replace.py), each
version's printed code, and the class list's students with their versions.

With a class list, roster.csv lists student -> version: each student's rows (student_id,
student_name first) are their version's questions; without one, a row per version question.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

from quizgen.exam.assemble import Exam
from quizgen.exam.classlist import Student, copy_name
from quizgen.exam.fingerprint import Fingerprint
from quizgen.render.numbers import fmt

SCHEMA = "quizgen.exam-roster/2"
COLUMNS = ("version", "question", "section", "points", "family", "index", "bank_seed", "question_id",
           "choice_order", "answer")
STUDENT_COLUMNS = ("student_id", "student_name")


@dataclass(frozen=True)
class Record:
    """What roster.json records beside the questions (all optional for a bare `rows`)."""

    fingerprint: Fingerprint | None = None
    replaced: tuple[tuple[str, int], ...] = ()  # (version, question), in the order made
    codes: dict = field(default_factory=dict)  # version -> printed code
    students: tuple[Student, ...] = ()


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


def roster_csv(exam: Exam, record: Record | None = None) -> str:
    buffer = io.StringIO()
    table = rows(exam)
    if record and record.students:  # student -> version: a student's rows are their version's
        by_version: dict[str, list[dict]] = {}
        for row in table:
            by_version.setdefault(row["version"], []).append(row)
        writer = csv.DictWriter(buffer, fieldnames=STUDENT_COLUMNS + COLUMNS, lineterminator="\n")
        writer.writeheader()
        for s in record.students:
            writer.writerows({"student_id": s.id, "student_name": s.name} | row for row in by_version[s.version])
        return buffer.getvalue()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(table)
    return buffer.getvalue()


def roster_json(exam: Exam, record: Record | None = None) -> str:
    record = record or Record()
    spec, table = exam.spec, rows(exam)
    versions = [{"code": v.code, "total_points": v.total}
                | ({"printed_code": record.codes[v.code]} if v.code in record.codes else {})
                | {"questions": [{k: r[k] for k in COLUMNS[1:]} | {"points": float(r["points"])}
                                 for r in table if r["version"] == v.code]}
                for v in exam.versions]
    bank = {"name": exam.bank.name, "shipped": exam.bank.shipped, "content": exam.bank.content}
    document = {"schema": SCHEMA, "title": spec.title, "spec": Path(spec.path).name, "bank": bank, "bank_seed": spec.seed,
                "shuffle_questions": spec.shuffle_questions, "shuffle_choices": spec.shuffle_choices}
    if record.fingerprint is not None:
        document["fingerprint"] = record.fingerprint.record()
    document["replaced"] = [{"version": v, "question": n} for v, n in record.replaced]
    if record.students:
        document["students"] = [{"id": s.id, "name": s.name, "version": s.version,
                                 "file": copy_name(s) + ".html"} for s in record.students]
    document["versions"] = versions
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


@dataclass(frozen=True)
class Recorded:
    """What an existing roster.json says about the exam in its folder."""

    fingerprint: Fingerprint | None
    versions: int
    replaced: list[tuple[str, int]]


def recorded(document) -> Recorded:
    """Read back what `roster_json` wrote (missing or malformed parts: None / empty)."""
    from quizgen.exam.fingerprint import from_record

    if not isinstance(document, dict):
        return Recorded(None, 0, [])
    versions = document.get("versions")
    replaced = []
    for entry in document.get("replaced") or []:
        if (isinstance(entry, dict) and isinstance(entry.get("version"), str)
                and isinstance(entry.get("question"), int) and not isinstance(entry.get("question"), bool)):
            replaced.append((entry["version"], entry["question"]))
    return Recorded(from_record(document.get("fingerprint")), len(versions) if isinstance(versions, list) else 0,
                    replaced)
