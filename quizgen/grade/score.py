"""Every response graded by the graders' own rules, into one sheet of marks per student.

A one-answer question is marked as the exam key marks a typed final answer
(exam/rubric.typed_points, graded by quizgen/grading.py); a multi-part question by
quizgen/ecf.grade_parts (error carried forward), each part's share of the question's points as
the key prints it (writers/exam_parts.shares), rounded down to half points like typed_points.
Nothing here decides what is right: it only routes rows to those graders and counts.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field, replace

from quizgen.ecf import grade_parts
from quizgen.exam.rubric import typed_points
from quizgen.grade.exam import Asked, ExamKey, Sitter
from quizgen.grade.lms import split_parts
from quizgen.grade.responses import Bad, Read, Response
from quizgen.grading import grade
from quizgen.limits import MAX_STUDENT
from quizgen.messages import t
from quizgen.writers.exam_parts import shares

FORMULA = ("=", "+", "-", "@")  # a spreadsheet would run a cell starting so as a formula


@dataclass(frozen=True)
class Column:
    """One gradebook column: a question, or one part of a multi-part question."""

    slot: int  # Slot.key
    part: str  # part name, "" for a one-answer question
    label: str  # "Q1a", "Q2"
    points: float


@dataclass
class Mark:
    earned: float
    points: float
    verdict: str  # correct | carried | wrong | blank | missing | unreadable
    mistake: str | None = None
    mistake_name: str | None = None
    explanation: str | None = None


@dataclass
class Sheet:
    columns: list[Column]
    students: list[Sitter]  # in class-list order, else in order of first row
    marks: dict = field(default_factory=dict)  # student index -> {Column.label: Mark}
    bad: list[Bad] = field(default_factory=list)
    rows: int = 0  # rows of the file read (good and bad)

    def total(self, i: int) -> float:
        return sum(m.earned for m in self.marks[i].values())


def columns(key: ExamKey) -> list[Column]:
    out = []
    for slot in key.slots:
        if slot.parts:
            first = next(a for a in key.versions[next(iter(key.versions))].values() if a.slot == slot)
            for name, share in zip(slot.parts, shares(first.question, slot.points)):
                out.append(Column(slot.key, name, f"Q{slot.key}{name}", share))
        else:
            out.append(Column(slot.key, "", f"Q{slot.key}", slot.points))
    return out


def score(key: ExamKey, read: Read) -> Sheet:
    """Route each row to its student and question, then grade every student's paper."""
    sheet = Sheet(columns(key), [], rows=read.finished)
    bad = list(read.bad)
    index: dict[tuple, int] = {}  # (id, name) -> position in sheet.students
    papers: dict[int, dict[int, dict[str, tuple[str, int]]]] = {}  # student -> number -> part -> (text, line)
    seen: dict[tuple, int] = {}
    for row in read.rows:
        try:
            who = _student(key, row)
            version = _version(key, row, who)
            asked = _asked(key, version, row)
            answers = _parts(asked, row)
        except _Refused as why:
            bad.append(Bad(row.line, str(why)))
            continue
        i = index.setdefault((who.id, who.name), len(sheet.students))
        if i == len(sheet.students):
            sheet.students.append(replace(who, version=version))
        elif sheet.students[i].version != version:  # no class list: the student's first row decides
            bad.append(Bad(row.line, t("grade.wrong_version", student=_shown(who.name or who.id),
                                       sat=sheet.students[i].version, version=version)))
            continue
        paper = papers.setdefault(i, {}).setdefault(_number(row), {})
        for part, text in answers.items():
            first = seen.setdefault((i, asked.slot.key, part), row.line)
            if first != row.line or part in paper:
                bad.append(Bad(row.line, t("grade.duplicate", first=first)))
                continue
            paper[part] = (text, row.line)
    if key.students:  # class-list order, whatever order the file had
        order = {(s.id, s.name): n for n, s in enumerate(key.students)}
        ranked = sorted(range(len(sheet.students)), key=lambda i: order[(sheet.students[i].id, sheet.students[i].name)])
        sheet.students = [sheet.students[i] for i in ranked]
        papers = {new: papers.get(old, {}) for new, old in enumerate(ranked)}
    for i, student in enumerate(sheet.students):
        sheet.marks[i] = _mark(key, student.version, papers.get(i, {}), bad)
    sheet.bad = sorted(bad, key=lambda b: b.line)
    return sheet


class _Refused(Exception):
    """A row that cannot be used; its message says why."""


def _number(row: Response) -> int:
    return int(row.question.strip())


def _student(key: ExamKey, row: Response) -> Sitter:
    who = [w for w in row.who if w]
    if not who:
        raise _Refused(t("grade.no_student"))
    if key.students:
        for value in who:
            for s in key.students:
                if s.id and s.id.casefold() == value.casefold():
                    return s
        for value in who:
            for s in key.students:
                if s.name.casefold() == value.casefold():
                    return s
        raise _Refused(t("grade.unknown_student", student=_shown(who[0])))
    if row.layout != "plain" and len(key.versions) > 1:
        raise _Refused(t("grade.needs_class_list", student=_shown(who[0])))
    value = who[0]
    if len(value) > MAX_STUDENT:
        raise _Refused(t("grade.student_too_long", most=MAX_STUDENT))
    for ch in value:
        if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"):
            raise _Refused(t("grade.student_control", char=f"U+{ord(ch):04X}"))
    if value.startswith(FORMULA):
        raise _Refused(t("grade.student_formula", char=value[0]))
    return Sitter(value, "", "")


def _version(key: ExamKey, row: Response, who: Sitter) -> str:
    if row.version:
        version = key.version(row.version)
        if version is None:
            raise _Refused(t("grade.unknown_version", version=_shown(row.version), versions=", ".join(key.versions)))
        if who.version and who.version != version:
            raise _Refused(t("grade.wrong_version", student=_shown(who.name or who.id), sat=who.version, version=version))
        return version
    if who.version:
        return who.version
    if len(key.versions) == 1:
        return next(iter(key.versions))
    raise _Refused(t("grade.no_version"))


def _asked(key: ExamKey, version: str, row: Response) -> Asked:
    text = row.question.strip()
    number = int(text) if re.fullmatch(r"[0-9]{1,4}", text) else None
    asked = key.versions[version].get(number) if number is not None else None
    if asked is None:
        raise _Refused(t("grade.unknown_question", question=_shown(text), count=len(key.versions[version])))
    return asked


def _parts(asked: Asked, row: Response) -> dict[str, str]:
    """{part name: typed text} for the row ("" names a one-answer question's only answer)."""
    names = [p.name for p in asked.question.parts]
    if not names:
        if row.part:
            raise _Refused(t("grade.no_parts", question=row.question, part=_shown(row.part)))
        return {"": _choice(asked, row)}
    if row.part:
        part = row.part.strip().strip("()").lower()
        if part.isdigit() and 1 <= int(part) <= len(names):
            part = names[int(part) - 1]
        if part not in names:
            raise _Refused(t("grade.unknown_part", question=row.question, part=_shown(row.part),
                             parts=", ".join(names)))
        return {part: row.answer}
    split = split_parts(row.layout, row.answer)
    if split is None:
        raise _Refused(t("grade.needs_part", question=row.question, parts=", ".join(names)))
    extra = [n for n in split if not 1 <= n <= len(names)]
    if extra:
        raise _Refused(t("grade.too_many_parts", question=row.question, count=len(names)))
    return {names[n - 1]: text for n, text in split.items()}


def _choice(asked: Asked, row: Response) -> str:
    """An LMS export names a chosen option by its text: the letter printed beside that text."""
    if asked.question.choices and row.layout != "plain":
        typed = " ".join(row.answer.split())
        for c in asked.question.choices:
            if typed and " ".join(str(c.text).split()) == typed:
                return c.label
    return row.answer


def _shown(value: str) -> str:
    clean = "".join(ch if unicodedata.category(ch)[0] != "C" else "?" for ch in value)
    return repr(clean if len(clean) <= 40 else clean[:40] + "…")


def _floor_half(x: float) -> float:
    return math.floor(x * 2 + 1e-9) / 2


def _mark(key: ExamKey, version: str, paper: dict, bad: list[Bad]) -> dict[str, Mark]:
    marks: dict[str, Mark] = {}
    for number, asked in sorted(key.versions[version].items()):
        q, typed = asked.question, paper.get(number, {})
        if not q.parts:
            label = f"Q{asked.slot.key}"
            text, line = typed.get("", ("", 0))
            marks[label] = _one(asked, number, text, line, "" in typed, bad)
            continue
        texts = {name: text for name, (text, _) in typed.items()}
        result = grade_parts(q, texts)
        for part, share, verdict in zip(q.parts, shares(q, asked.points), result["parts"]):
            label = f"Q{asked.slot.key}{part.name}"
            text, line = typed.get(part.name, ("", 0))
            if part.name not in typed:
                marks[label] = Mark(0.0, share, "missing")
            elif not text.strip():
                marks[label] = Mark(0.0, share, "blank")
            elif verdict["parse_error"]:
                bad.append(Bad(line, t("grade.unreadable", question=number, part=part.label,
                                                  reason=_one_line(verdict["message"]))))
                marks[label] = Mark(0.0, share, "unreadable")
            else:
                marks[label] = Mark(_floor_half(verdict["score"] * share), share, verdict["verdict"], verdict["mistake"],
                                    verdict["mistake_name"], verdict["explanation"])
    return marks


def _one(asked: Asked, number: int, text: str, line: int, given: bool, bad: list[Bad]) -> Mark:
    q, points = asked.question, asked.points
    if not given:
        return Mark(0.0, points, "missing")
    if not text.strip():
        return Mark(0.0, points, "blank")
    answer = q.answer  # a typed letter names the option printed under it (as typed_points reads it)
    if q.choices:
        answer = dict(q.answer.__dict__, choices=[dict(c.__dict__) for c in q.choices])
    verdict = grade(answer, q.distractors, text)
    if verdict["parse_error"]:
        bad.append(Bad(line, t("grade.unreadable_answer", question=number, reason=_one_line(verdict["message"]))))
        return Mark(0.0, points, "unreadable")
    earned = typed_points(points, q, text)
    status = "correct" if verdict["correct"] else "wrong"
    return Mark(earned, points, status, verdict["mistake"], verdict["mistake_name"], verdict["explanation"])


def _one_line(message: str) -> str:
    return " ".join(str(message).split())
