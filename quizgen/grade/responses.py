"""A class's responses as rows, from one of three CSV layouts told apart by their header row.

    plain    student,version,question,part,answer        one row per answer (part empty, or
             s001,A,1,a,"[[0, 0, 0], [3.38, 0, 0], ...]"  a, (a) or 1 for a multi-part question)
    moodle   the quiz Responses report (Surname, First name, ..., Response 1, Response 2, ...)
    canvas   the quiz Student Analysis report (name, id, sis_id, section, ..., "123: text", points, ...)

The file is a stranger's data: read bounded (limits.MAX_RESPONSES_BYTES, UTF-8), at most
MAX_RESPONSE_ROWS rows of at most MAX_RESPONSE_COLUMNS cells; nothing in it is evaluated, and
every cell stays text until the grader reads an answer. A row that cannot be used becomes a
`Bad` naming its line; no row is dropped silently.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from quizgen import datafile
from quizgen.errors import QuizgenError
from quizgen.limits import MAX_RESPONSE_CELL, MAX_RESPONSE_COLUMNS, MAX_RESPONSE_ROWS, MAX_RESPONSES_BYTES
from quizgen.messages import t

PLAIN = ("student", "version", "question", "part", "answer")


class ResponsesError(QuizgenError):
    """A responses file that cannot be read at all (not a bad row: the whole file)."""


@dataclass(frozen=True)
class Response:
    line: int  # where the row starts in the file (a quoted cell may span lines)
    who: tuple[str, ...]  # how the row names its student: ids first, then the name
    version: str  # as written; "" when the layout has none (the class list tells)
    question: str  # printed question number, as written
    part: str  # "a", "(a)", "1", ...; "" for the whole answer (split later if multi-part)
    answer: str  # as typed
    layout: str  # "plain", "moodle" or "canvas": how a whole multi-part cell is split


@dataclass(frozen=True)
class Bad:
    line: int
    reason: str  # one line, from the message catalog


@dataclass
class Read:
    layout: str
    rows: list[Response]
    bad: list[Bad]
    finished: int = 0  # rows (students' attempts) read, good or bad


def read(path: str) -> Read:
    """Every row of the responses file at `path`; ResponsesError when the file is unusable."""
    text = datafile.read_text(path, ResponsesError, limit=MAX_RESPONSES_BYTES)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    table: list[tuple[int, list[str]]] = []
    try:
        while True:
            line = reader.line_num + 1
            row = next(reader, None)
            if row is None:
                break
            if not any(cell.strip() for cell in row):
                continue
            if len(table) > MAX_RESPONSE_ROWS:
                raise ResponsesError(t("grade.too_many_rows", most=MAX_RESPONSE_ROWS), file=path)
            if len(row) > MAX_RESPONSE_COLUMNS:
                raise ResponsesError(t("grade.too_many_columns", line=line, most=MAX_RESPONSE_COLUMNS), file=path)
            table.append((line, row))
    except csv.Error as exc:
        raise ResponsesError(t("grade.not_csv", line=reader.line_num, reason=str(exc)), file=path) from None
    if not table:
        raise ResponsesError(t("grade.empty_file"), file=path)
    header = [cell.strip() for cell in table[0][1]]
    layout = detect(header)
    if layout is None:
        raise ResponsesError(t("grade.unknown_layout"), file=path)
    from quizgen.grade import lms

    reader_of = {"plain": _plain, "moodle": lms.moodle, "canvas": lms.canvas}[layout]
    rows, bad = reader_of(header, table[1:])
    return Read(layout, rows, bad, len(table) - 1)


def detect(header: list[str]) -> str | None:
    """Which layout a header row is: plain, moodle, canvas, or None."""
    from quizgen.grade import lms

    names = {h.strip().lower() for h in header}
    if {"student", "version", "question", "answer"} <= names:
        return "plain"
    if lms.is_moodle(header):
        return "moodle"
    if lms.is_canvas(header):
        return "canvas"
    return None


def too_long(cells: list[str]) -> bool:
    return any(len(c) > MAX_RESPONSE_CELL for c in cells)


def _plain(header: list[str], body: list[tuple[int, list[str]]]) -> tuple[list[Response], list[Bad]]:
    where = {}
    for i, name in enumerate(header):
        where.setdefault(name.strip().lower(), i)
    rows, bad = [], []
    for line, row in body:
        if len(row) != len(header):
            bad.append(Bad(line, t("grade.bad_cell_count", count=len(row), header=len(header))))
            continue
        if too_long(row):
            bad.append(Bad(line, t("grade.cell_too_long", most=MAX_RESPONSE_CELL)))
            continue
        cell = {name: (row[where[name]] if name in where else "") for name in PLAIN}
        rows.append(Response(line, (cell["student"].strip(),), cell["version"].strip(), cell["question"].strip(),
                             cell["part"].strip(), cell["answer"], "plain"))
    return rows, bad
