"""A synthetic class for `quizgen grade`: every student's answers drawn from the exam's own
records, with catalogued mistakes injected at known rates, and what a hand marker would award.

    python tests/grade/synthetic.py EXAM_DIR > examples/responses.csv   (regenerates the example)

Plan, for student i of n on the class list (class-list order), in each gradebook column:
    i % 5 == 0  the column's first catalogued wrong value (or wrong choice)
    i % 5 == 1  its second, when it has one (else the right answer)
    otherwise   the right answer
A multi-part question gets at most one wrong part per student (part k is wrong for students
with i // 5 % parts == k), so no wrong part can be carried forward from another; students with
i % 10 == 7 instead slip in (a) with a value whose consequence for (b) the record tabulates,
and carry it into (b): (b) earns its points by error carried forward.
"""

from __future__ import annotations

import csv
import io
import math
import sys
from collections import Counter
from pathlib import Path

import numpy as np

from quizgen.grading import format_value

ROOT = Path(__file__).resolve().parents[2]
MIDTERM = ROOT / "examples" / "midterm.toml"


def typed(value) -> str:
    return format_value(np.round(np.asarray(value, dtype=float), 6))


def _floor_half(x: float) -> float:
    return math.floor(x * 2 + 1e-9) / 2


def _wrong(q, n: int):
    """The n-th catalogued wrong answer of a one-answer record: (typed, mistake id, credit) or None."""
    if q.choices:
        wrong = [c for c in q.choices if not c.correct and c.mistake]
        return (wrong[n].label, wrong[n].mistake, 0.0) if n < len(wrong) else None
    found = [d for d in q.distractors if d.value is not None]
    return (typed(found[n].value), found[n].mistake, found[n].credit) if n < len(found) else None


def _shares(q, points: float) -> list[float]:
    """The key's split of a question's points over its parts, by hand: half points by weight."""
    weights = [p.points for p in q.parts]
    out = [round(points * w / sum(weights) * 2) / 2 for w in weights[:-1]]
    return out + [points - sum(out)]


def make_class(key):
    """(rows for a plain responses CSV, {student id: {column: points}}, {column: Counter of mistakes})."""
    rows, expected, injected = [], {}, {}
    for i, s in enumerate(key.students):
        marks = expected.setdefault(s.id, {})
        for number, asked in sorted(key.versions[s.version].items()):
            q, points, slot = asked.question, asked.points, asked.slot.key
            if not q.parts:
                column = f"Q{slot}"
                pick = _wrong(q, i % 5) if i % 5 in (0, 1) else None
                if pick is None:
                    text, earned = (q.answer.display if not q.choices else q.answer.value), points
                else:
                    text, mistake, credit = pick
                    earned = _floor_half(credit * points)
                    injected.setdefault(column, Counter())[mistake] += 1
                rows.append([s.id, s.version, number, "", text])
                marks[column] = earned
                continue
            shares = _shares(q, points)
            texts = {p.name: typed(p.answer.value) for p in q.parts}
            earned = dict(zip([p.name for p in q.parts], shares))
            table = [r for rel in q.parts[1].carry if rel["from"] == "a" for r in rel.get("table") or []]
            if i % 10 == 7 and table:  # slip in (a), carried into (b)
                a = q.parts[0]
                row = table[0]
                slip = next(d for d in a.distractors if np.allclose(np.ravel(d.value), np.ravel(row["value"])))
                texts["a"], texts["b"] = typed(row["value"]), typed(row["then"])
                earned["a"] = _floor_half(slip.credit * shares[0])
                injected.setdefault(f"Q{slot}a", Counter())[slip.mistake] += 1
            elif i % 5 in (0, 1):
                k = (i // 5) % len(q.parts)
                part = q.parts[k]
                found = [d for d in part.distractors if d.value is not None]
                if i % 5 < len(found):
                    d = found[i % 5]
                    texts[part.name] = typed(d.value)
                    earned[part.name] = _floor_half(d.credit * shares[k])
                    injected.setdefault(f"Q{slot}{part.name}", Counter())[d.mistake] += 1
            for p in q.parts:
                rows.append([s.id, s.version, number, p.name, texts[p.name]])
                marks[f"Q{slot}{p.name}"] = earned[p.name]
    return rows, expected, injected


def to_csv(rows) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["student", "version", "question", "part", "answer"])
    writer.writerows(rows)
    return buffer.getvalue()


def main(argv: list[str]) -> int:
    from quizgen.grade.exam import load

    key = load(argv[0], argv[1] if len(argv) > 1 else None)
    sys.stdout.write(to_csv(make_class(key)[0]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
