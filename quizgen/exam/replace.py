"""Replace one question of one version, leaving every other page, key and roster row as it was.

A replacement is (version, printed question number): `--replace B:3`, or in the spec

    [replace]
    B = [3]          # B's question 3 replaced once; [3, 3]: replaced twice

The new question is the first variant of the same family, in index order, that shares nothing
with any question of the exam: every version's, every earlier replacement's, and the ones
replaced away (so a bad variant never comes back). Replacements are applied in the order they
were made, which the roster records, so a rebuild draws the same ones; the next replacement of
a question is the next such variant. Only the replaced slot's question changes: shuffles are
seeded by version and question id, so every other question prints as before.
"""

from __future__ import annotations

import re
from collections import Counter

from quizgen import datafile
from quizgen.bank.question import Question
from quizgen.errors import SpecError
from quizgen.exam import select
from quizgen.exam.assemble import MAX_VERSIONS, assemble, version_codes
from quizgen.exam.select import Plan
from quizgen.exam.spec import ExamSpec
from quizgen.messages import t

Slot = tuple[str, int]  # (version code, printed question number)
MAX_REPLACEMENTS = 200  # in one exam, all versions together
_SLOT = re.compile(r"\s*([A-Za-z]{1,3})\s*:\s*([0-9]{1,4})\s*")


def parse_option(values: list[str]) -> tuple[list[Slot], list[SpecError]]:
    """`--replace B:3` values, in the order given."""
    slots, errors = [], []
    for value in values:
        match = _SLOT.fullmatch(value)
        if not match:
            errors.append(SpecError(t("roster.bad_replace", value=datafile.clip(repr(value))), file="--replace"))
            continue
        slots.append((match.group(1).upper(), int(match.group(2))))
    return slots, errors


def parse_table(data: dict, path: str) -> tuple[list[Slot], list[SpecError]]:
    """The spec's [replace] table (version = [question numbers]), in the order written."""
    table = data.get("replace")
    if table is None:
        return [], []
    if not isinstance(table, dict):
        return [], [SpecError(t("roster.replace_not_table"), file=path, key="replace")]
    slots, errors = [], []
    for code, numbers in table.items():
        key = f"replace.{datafile.key_name(code)}"
        if not (isinstance(code, str) and re.fullmatch(r"[A-Za-z]{1,3}", code)):
            errors.append(SpecError(t("roster.replace_bad_version"), file=path, key=key))
            continue
        if not (isinstance(numbers, list) and numbers
                and all(isinstance(n, int) and not isinstance(n, bool) and 0 <= n <= 9999 for n in numbers)):
            errors.append(SpecError(t("roster.replace_bad_numbers"), file=path, key=key))
            continue
        slots += [(code.upper(), n) for n in numbers]
    return slots, errors


def merge(history: list[Slot], table: list[Slot], option: list[Slot]) -> list[Slot]:
    """The replacements to apply, in order: those already made (the roster's), then what the
    spec's table asks beyond them (a table entry made once is not made again), then --replace."""
    made = Counter(history)
    out = list(history)
    for slot in table:
        if made[slot]:
            made[slot] -= 1
        else:
            out.append(slot)
    return out + list(option)


def check(slots: list[Slot], spec: ExamSpec, drawn: list, table: list[Slot], option: list[Slot]) -> list[SpecError]:
    """Every replacement names a version that was drawn and a question it has; an error names
    --replace, the spec's [replace] or (for one the roster recorded) the spec."""
    codes = version_codes(len(drawn))
    count = sum(len(section) for section in drawn[0]) if drawn else 0
    errors = []
    if len(slots) > MAX_REPLACEMENTS:
        errors.append(SpecError(t("roster.too_many_replacements", most=MAX_REPLACEMENTS),
                                file="--replace" if option else spec.path))
    for code, number in dict.fromkeys(slots):
        where = {"file": "--replace"} if (code, number) in option else \
            {"file": spec.path, "key": f"replace.{code}"} if (code, number) in table else {"file": spec.path}
        if code not in codes:
            errors.append(SpecError(t("roster.replace_no_version", slot=f"{code}:{number}",
                                      versions=f"{codes[0]}–{codes[-1]}" if len(codes) > 1 else codes[0]),
                                    **where))
        elif not 1 <= number <= count:
            errors.append(SpecError(t("roster.replace_no_question", slot=f"{code}:{number}", count=count), **where))
    return errors


def _place(spec: ExamSpec, drawn: list, v: int, number: int) -> tuple[int, int]:
    """(section, slot) in drawn[v] of the question printed as `number` in version v."""
    version = assemble(spec, drawn[:v + 1], None).versions[v]  # codes and shuffles depend on v alone
    item = next(i for i in version.items if i.number == number)
    s = next(n for n, (section, _) in enumerate(version.sections) if section is item.section)
    k = next(k for k, q in enumerate(drawn[v][s]) if q.id == item.question.id)
    return s, k


def apply(spec: ExamSpec, plans: list[Plan], drawn: list, slots: list[Slot]) -> list:
    """drawn with every replacement made, in order (a new list; `drawn` is left as it was)."""
    if not slots:
        return drawn
    drawn = [[list(section) for section in version] for version in drawn]
    codes = version_codes(len(drawn))
    away: list[Question] = []
    for code, number in slots:
        v = codes.index(code)
        s, k = _place(spec, drawn, v, number)
        family = plans[s].families[k]
        old = drawn[v][s][k]
        away.append(old)
        before = drawn[v - 1][s][k] if v else None
        avoid = before.answer.value if before is not None and before.answer.kind == "choice" else None
        shape = plans[s].shapes[k] if plans[s].shapes else None  # the replacement keeps the section's sizes
        drawn[v][s][k] = _redraw(spec, family, drawn, away, avoid, f"{code}:{number}", shape)
    return drawn


def _redraw(spec: ExamSpec, family, drawn: list, away: list[Question], avoid, slot: str,
            shape=None) -> Question:
    taken = [q for version in drawn for section in version for q in section if q.family == family.id]
    taken += [q for q in away if q.family == family.id]
    limit = max(q.index for q in taken) + 1 + select.SCAN_BASE + select.SCAN_PER * MAX_VERSIONS // 10
    pool = select._Variants(family, spec.seed, limit, shape)
    for q in taken:
        pool.seen.update(pool.keys(q))
    new = pool.take(avoid)
    if new is None:
        raise SpecError(t("roster.replace_exhausted", slot=slot, family=family.id, tried=limit), file=spec.path)
    return new
