"""What the class report says about a sheet of marks: histogram, facility, discrimination, mistakes.

facility        mean share of the points earned (0 = nobody, 1 = everybody)
discrimination  item-rest correlation: Pearson's r between a student's share on the item and
                their total on the rest of the exam (the point-biserial correlation when the item
                is all or nothing); None when either side does not vary
mistakes        how many students gave each catalogued wrong value, per question part and over
                the whole exam, most frequent first (ties by mistake id: the order is stable)
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from quizgen.grade.score import Column, Sheet
from quizgen.messages import t

BINS = 10


@dataclass(frozen=True)
class Item:
    column: Column
    answered: int  # students who wrote something
    carried: int  # answers that earned their points by error carried forward
    facility: float | None
    discrimination: float | None
    mistakes: list  # [(mistake id, count, name, explanation)], most frequent first


@dataclass(frozen=True)
class Summary:
    students: int
    total: float  # points of the exam
    mean: float | None
    median: float | None
    low: float | None
    high: float | None
    bins: list  # [(from, to, count)] of total scores
    items: list[Item]
    mistakes: list  # [(mistake id, count, students, name, explanation)] over the exam


def summarise(sheet: Sheet, total: float) -> Summary:
    n = len(sheet.students)
    totals = [sheet.total(i) for i in range(n)]
    items, overall, who, named = [], Counter(), {}, {}
    for column in sheet.columns:
        marks = [sheet.marks[i][column.label] for i in range(n)]
        shares = [m.earned / column.points if column.points else 0.0 for m in marks]
        rest = [tot - m.earned for tot, m in zip(totals, marks)]
        counts = Counter(m.mistake for m in marks if m.mistake)
        for i, m in enumerate(marks):
            if m.mistake:
                named.setdefault(m.mistake, (m.mistake_name, m.explanation))
                who.setdefault(m.mistake, set()).add(i)
        overall.update(counts)
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        items.append(Item(column, sum(m.verdict not in ("blank", "missing") for m in marks),
                          sum(m.verdict == "carried" for m in marks),
                          sum(shares) / n if n else None, _pearson(shares, rest),
                          [(mid, c, *_words(mid, named)) for mid, c in ranked]))
    exam = [(mid, c, len(who[mid]), *_words(mid, named))
            for mid, c in sorted(overall.items(), key=lambda kv: (-kv[1], kv[0]))]
    ordered = sorted(totals)
    median = None
    if n:
        median = ordered[n // 2] if n % 2 else (ordered[n // 2 - 1] + ordered[n // 2]) / 2
    return Summary(n, total, sum(totals) / n if n else None, median, ordered[0] if n else None,
                   ordered[-1] if n else None, histogram(totals, total), items, exam)


def _words(mid: str, named: dict) -> tuple[str, str]:
    """The catalog's name and explanation of a mistake (the grader's words for it as a fallback)."""
    name, explanation = named.get(mid, (None, None))
    key = f"mistakes.{mid}"
    from quizgen.messages import catalog, current

    words = catalog(current())
    return (words.get(f"{key}.name") and t(f"{key}.name")) or name or mid, \
        (words.get(f"{key}.explanation") and t(f"{key}.explanation")) or explanation or ""


def histogram(totals: list[float], total: float) -> list[tuple[float, float, int]]:
    """BINS equal bins from 0 to the exam's points; the last one includes full marks."""
    if total <= 0:
        return []
    width = total / BINS
    counts = [0] * BINS
    for x in totals:
        counts[min(BINS - 1, max(0, int(math.floor(x / width + 1e-9))))] += 1
    return [(k * width, (k + 1) * width, c) for k, c in enumerate(counts)]


def _pearson(x: list[float], y: list[float]) -> float | None:
    n = len(x)
    if n < 2:
        return None
    mx, my = sum(x) / n, sum(y) / n
    sxy = sum((a - mx) * (b - my) for a, b in zip(x, y))
    sxx = sum((a - mx) ** 2 for a in x)
    syy = sum((b - my) ** 2 for b in y)
    if sxx <= 1e-12 or syy <= 1e-12:
        return None
    return sxy / math.sqrt(sxx * syy)
