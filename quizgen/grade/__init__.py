"""`quizgen grade`: a class's typed answers graded against the exam they sat.

load the exam folder (exam.py) -> read the responses (responses.py, lms.py) -> grade every
paper (score.py, by the graders' own rules) -> summarise (stats.py) -> write scores.csv and
report.html (writers/grade.py) into a folder replaced whole.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["Graded", "grade_class"]


@dataclass(frozen=True)
class Graded:
    key: object  # exam.ExamKey
    sheet: object  # score.Sheet
    summary: object  # stats.Summary
    layout: str
    out: Path


def grade_class(responses: str, exam: str, out: str, spec: str | None = None) -> Graded:
    from quizgen.grade import exam as exam_key
    from quizgen.grade import responses as reader
    from quizgen.grade.score import score
    from quizgen.grade.stats import summarise
    from quizgen.writers import destination, grade as writer
    from quizgen.writers.atomic import atomic_directory

    out_path = Path(out)
    destination.folder(out_path, writer.OWNER)  # refuse a stranger's folder before any work
    key = exam_key.load(exam, spec)
    read = reader.read(responses)
    sheet = score(key, read)
    summary = summarise(sheet, key.total)
    with atomic_directory(out_path, writer.OWNER) as tmp:
        writer.write(key, sheet, summary, tmp, Path(responses).name, read.layout)
    return Graded(key, sheet, summary, read.layout, out_path)
