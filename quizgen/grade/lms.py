"""The response exports of Moodle and Canvas, read as `responses.Response` rows.

Moodle, quiz "Responses" report, downloaded as CSV: one row per attempt. Columns named by
Moodle's language strings (English): "Surname" (or "Last name"), "First name", identity fields
such as "ID number", "Username" or "Email address", "State", "Started on", "Completed", "Time
taken", "Grade/<max>", then per question slot N "Question N" (its text, optional), "Response N"
and "Right answer N" (optional). A multi-part (Cloze) response reads "part 1: …; part 2: …";
"-" is no response. Only "Finished" attempts are graded.

Canvas, quiz "Student Analysis" report: one row per submission. Columns "name", "id",
"sis_id", ("root_account"), "section", "section_id", ("section_sis_id"), "submitted",
("attempt"), then per question "<question id>: <question text>" (the response) followed by a
column headed by its points possible (the score Canvas gave), then "n correct", "n incorrect",
"score". The k-th question column is printed question k. A multi-part (fill in multiple blanks)
response joins its blanks with "," and writes a comma inside a blank as "\\,".

Neither export says which version a student sat: the exam's class list (roster.json) does.
"""

from __future__ import annotations

import re

from quizgen.grade.responses import Bad, Response, too_long
from quizgen.limits import MAX_RESPONSE_CELL
from quizgen.messages import t

MOODLE_RESPONSE = re.compile(r"Response (\d+)", re.I)
MOODLE_IDS = ("id number", "username", "email address")
MOODLE_NAMES = ("first name", "surname", "last name")
MOODLE_PART = re.compile(r"part\s+(\d+)\s*:\s*", re.I)
MOODLE_PART_SPLIT = re.compile(r";\s*(?=part\s+\d+\s*:)", re.I)
CANVAS_QUESTION = re.compile(r"(\d+): ", re.S)
CANVAS_KEYS = ("section", "section_id", "submitted")
CANVAS_IDS = ("sis_id", "id")
NO_RESPONSE = "-"


def _index(header: list[str]) -> dict[str, int]:
    where: dict[str, int] = {}
    for i, name in enumerate(header):
        where.setdefault(name.strip().lower(), i)
    return where


def is_moodle(header: list[str]) -> bool:
    names = _index(header)
    return any(MOODLE_RESPONSE.fullmatch(h.strip()) for h in header) and any(n in names for n in MOODLE_NAMES + MOODLE_IDS)


def is_canvas(header: list[str]) -> bool:
    names = _index(header)
    return all(k in names for k in CANVAS_KEYS) and any(CANVAS_QUESTION.match(h) for h in header)


def _cell(row: list[str], i: int | None) -> str:
    return row[i].strip() if i is not None and i < len(row) else ""


def moodle(header: list[str], body: list[tuple[int, list[str]]]) -> tuple[list[Response], list[Bad]]:
    where = _index(header)
    questions = [(int(m.group(1)), i) for i, h in enumerate(header) if (m := MOODLE_RESPONSE.fullmatch(h.strip()))]
    ids = [where[n] for n in MOODLE_IDS if n in where]
    first, last = where.get("first name"), where.get("surname", where.get("last name"))
    state = where.get("state")
    rows, bad = [], []
    for line, row in body:
        if too_long(row):
            bad.append(Bad(line, t("grade.cell_too_long", most=MAX_RESPONSE_CELL)))
            continue
        name = " ".join(p for p in (_cell(row, first), _cell(row, last)) if p)
        who = tuple(v for v in [_cell(row, i) for i in ids] + [name] if v)
        if state is not None and _cell(row, state) and _cell(row, state).lower() != "finished":
            bad.append(Bad(line, t("grade.not_finished", state=_cell(row, state)[:40])))
            continue
        for number, i in questions:
            answer = row[i] if i < len(row) else ""
            answer = "" if answer.strip() == NO_RESPONSE else answer
            rows.append(Response(line, who, "", str(number), "", answer, "moodle"))
    return rows, bad


def canvas(header: list[str], body: list[tuple[int, list[str]]]) -> tuple[list[Response], list[Bad]]:
    where = _index(header)
    columns = [i for i, h in enumerate(header) if CANVAS_QUESTION.match(h)]
    ids = [where[n] for n in CANVAS_IDS if n in where]
    name = where.get("name")
    rows, bad = [], []
    for line, row in body:
        if too_long(row):
            bad.append(Bad(line, t("grade.cell_too_long", most=MAX_RESPONSE_CELL)))
            continue
        who = tuple(v for v in [_cell(row, i) for i in ids] + [_cell(row, name)] if v)
        for number, i in enumerate(columns, start=1):
            answer = row[i] if i < len(row) else ""
            rows.append(Response(line, who, "", str(number), "", answer, "canvas"))
    return rows, bad


def split_parts(layout: str, cell: str) -> dict[int, str] | None:
    """A whole multi-part cell as {part number (1-based): typed text}; None if it cannot be split."""
    if not cell.strip():
        return {}
    if layout == "moodle":
        out = {}
        for piece in MOODLE_PART_SPLIT.split(cell.strip()):
            m = MOODLE_PART.match(piece)
            if not m or int(m.group(1)) in out:
                return None
            text = piece[m.end():].strip()
            out[int(m.group(1))] = "" if text == NO_RESPONSE else text
        return out
    if layout == "canvas":
        blanks, current, i = [], [], 0
        while i < len(cell):
            if cell.startswith("\\,", i):
                current.append(",")
                i += 2
            elif cell[i] == ",":
                blanks.append("".join(current))
                current, i = [], i + 1
            else:
                current.append(cell[i])
                i += 1
        blanks.append("".join(current))
        return {k: v.strip() for k, v in enumerate(blanks, start=1)}
    return None
