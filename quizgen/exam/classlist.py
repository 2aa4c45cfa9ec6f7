"""A class list (`--roster students.csv`): who sits the exam, and which version each one gets.

    id,name            a header row naming the columns (any order; other columns are ignored;
    s001,Ada Lovelace  "student_id" / "student_name" are accepted too); id is optional

The file is a stranger's data: read bounded (datafile.read_text: at most 1 MiB, UTF-8), at most
MAX_STUDENTS rows, every cell a short single line of printable text. A cell that a spreadsheet
would run as a formula (=, +, -, @ first) is refused rather than copied into roster.csv.
IDs, when given, are unique; without IDs, names are. Every problem is reported at once, as
`file: line N, column C (name): what is wrong`.

Versions go round-robin in file order: student 1 gets A, student 2 gets B, ...
"""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass

from quizgen import datafile
from quizgen.errors import ErrorList, SpecError
from quizgen.messages import t

MAX_STUDENTS = 999  # a copy's file name carries the row number in three digits
MAX_NAME = 100
MAX_ID = 40
MAX_ERRORS = 20  # reported of one file; the rest are summed up
NAMES = {"name": "name", "student_name": "name", "id": "id", "student_id": "id"}
FORMULA = ("=", "+", "-", "@")


@dataclass(frozen=True)
class Student:
    number: int  # 1-based position in the class list: names the copy's file
    id: str  # "" when the list has no id column
    name: str
    version: str = ""  # assigned version code


def _bad_text(value: str) -> str | None:
    """Why `value` cannot be printed as a name or id, or None."""
    for ch in value:
        if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"):
            return t("roster.class_control", char=f"U+{ord(ch):04X}")
    if value.startswith(FORMULA):
        return t("roster.class_formula", char=value[0])
    return None


def read(path: str) -> list[Student]:
    """The students of the class list at `path`, in file order; ErrorList naming every problem."""
    try:
        text = datafile.read_text(path, SpecError)
    except SpecError as exc:
        raise ErrorList([exc]) from None
    errors: list[SpecError] = []

    def add(line: int, column: int | None, header: str | None, what: str) -> None:
        key = t("roster.class_at", line=line) if column is None else \
            t("roster.class_at_column", line=line, column=column, header=datafile.key_name(header or column))
        errors.append(SpecError(what, file=path, key=key))

    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    columns: dict[str, int] | None = None
    headers: list[str] = []
    students: list[Student] = []
    seen: dict[str, int] = {}
    try:
        while True:
            line = reader.line_num + 1  # where the row starts (a quoted cell may span lines)
            row = next(reader, None)
            if row is None:
                break
            if not any(cell.strip() for cell in row):
                continue  # blank lines anywhere
            if columns is None:
                headers = [cell.strip().lower().replace(" ", "_") for cell in row]
                columns = {}
                for i, header in enumerate(headers):
                    role = NAMES.get(header)
                    if role in columns:
                        add(line, i + 1, row[i], t("roster.class_repeated_column"))
                    elif role:
                        columns[role] = i
                if "name" not in columns:
                    add(line, None, None, t("roster.class_no_name_column"))
                    break
                continue
            if len(students) >= MAX_STUDENTS:
                add(line, None, None, t("roster.class_too_many", most=MAX_STUDENTS))
                break
            cells = {}
            for role, limit in (("id", MAX_ID), ("name", MAX_NAME)):
                if role not in columns:
                    cells[role] = ""
                    continue
                i = columns[role]
                value = row[i].strip() if i < len(row) else ""
                why = (t("roster.class_empty") if not value else
                       t("roster.class_too_long", most=limit) if len(value) > limit else _bad_text(value))
                if why:
                    add(line, i + 1, headers[i], why)
                cells[role] = value
            unique = "id" if "id" in columns else "name"
            if cells[unique]:
                first = seen.setdefault(cells[unique].casefold(), line)
                if first != line:
                    i = columns[unique]
                    add(line, i + 1, headers[i], t("roster.class_duplicate", first=first))
            students.append(Student(len(students) + 1, cells["id"], cells["name"]))
    except csv.Error as exc:
        add(reader.line_num, None, None, t("roster.class_not_csv", reason=str(exc)))
    if columns is None and not errors:
        add(1, None, None, t("roster.class_empty_file"))
    elif not students and not errors:
        add(reader.line_num, None, None, t("roster.class_no_students"))
    if errors:
        more = len(errors) - MAX_ERRORS
        shown = errors[:MAX_ERRORS]
        if more > 0:
            shown.append(SpecError(t("roster.class_more_errors", count=more), file=path))
        raise ErrorList(shown)
    return students


def assign(students: list[Student], codes: list[str]) -> list[Student]:
    """Each student with a version, round-robin in class-list order."""
    return [Student(s.number, s.id, s.name, codes[i % len(codes)]) for i, s in enumerate(students)]


def copy_name(student: Student) -> str:
    """The file stem of a student's copy: exam-<V>-<NNN> (NNN: the row in the class list)."""
    return f"exam-{student.version}-{student.number:03d}"
