"""Class report writer: scores.csv for a gradebook and report.html to read or print.

    scores.csv   one row per student: id, name, version, one column per question part, total
    report.html  score histogram, per-question facility and discrimination, the catalogued
                 mistakes ranked by frequency (per question and over the exam), the rows that
                 could not be used; charts are inline SVG, no script, no outside resource

Every cell that came from the responses file is text to the page (Jinja autoescape) and to a
spreadsheet (a cell starting like a formula is never written: score.py refuses such names).
"""

from __future__ import annotations

import csv
import io
import re
from functools import lru_cache

import jinja2

from quizgen.messages import current, t
from quizgen.render.numbers import fmt
from quizgen.resources import templates_root
from quizgen.writers.atomic import atomic_write_text
from quizgen.writers.destination import Owner

OWNER = Owner("quizgen grade", "grade-out", re.compile(r"scores\.csv|report\.html|README\.md"))

# The page's words (the template reads them as m.<name>), named in full so the catalog's checks see them.
LABELS = (
    "grade.axis_points",
    "grade.bad_rows",
    "grade.col_answered",
    "grade.col_carried",
    "grade.col_discrimination",
    "grade.col_facility",
    "grade.col_line",
    "grade.col_mistake",
    "grade.col_points",
    "grade.col_problem",
    "grade.col_question",
    "grade.col_section",
    "grade.col_share",
    "grade.col_students",
    "grade.col_times",
    "grade.facility_caption",
    "grade.facility_chart",
    "grade.histogram",
    "grade.histogram_caption",
    "grade.method_note",
    "grade.mistakes_exam",
    "grade.mistakes_per_question",
    "grade.no_bad_rows",
    "grade.no_mistakes",
    "grade.questions",
    "grade.replaced_note",
    "grade.stat_bad",
    "grade.stat_high",
    "grade.stat_low",
    "grade.stat_mean",
    "grade.stat_median",
    "grade.stat_points",
    "grade.stat_rows",
    "grade.stat_students",
    "grade.summary",
)

WIDTH = 640  # of each chart, in SVG user units (it scales to the page)


@lru_cache(maxsize=None)
def environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(templates_root() / "grade")),
                              autoescape=True, undefined=jinja2.StrictUndefined,
                              trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


def scores_csv(key, sheet) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["student_id", "student_name", "version"] + [c.label for c in sheet.columns] + ["total"])
    for i, s in enumerate(sheet.students):
        marks = sheet.marks[i]
        writer.writerow([s.id, s.name, s.version] + [fmt(marks[c.label].earned) for c in sheet.columns]
                        + [fmt(sheet.total(i))])
    return buffer.getvalue()


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{round(100 * x)} %"


def _r(x: float | None) -> str:
    return "—" if x is None else f"{x:+.2f}".replace("-", "−")


def histogram_svg(summary) -> dict:
    """Bars of the total-score histogram, laid out in SVG units."""
    bins = summary.bins
    top = max([c for _, _, c in bins] + [1])
    left, bottom, height = 40, 190, 150
    width = (WIDTH - left - 10) / max(1, len(bins))
    bars = []
    for k, (lo, hi, count) in enumerate(bins):
        h = height * count / top
        bars.append({"x": round(left + k * width + 2, 1), "y": round(bottom - h, 1), "w": round(width - 4, 1),
                     "h": round(h, 1), "count": count, "cx": round(left + (k + 0.5) * width, 1),
                     "label": f"{fmt(lo)}–{fmt(hi)}"})
    ticks = sorted({0, top // 2, top}) if top > 1 else [0, 1]
    return {"bars": bars, "left": left, "bottom": bottom, "right": WIDTH - 10, "height": 230,
            "ticks": [{"y": round(bottom - height * v / top, 1), "value": v} for v in ticks]}


def facility_svg(summary) -> dict:
    """One horizontal bar per gradebook column: its facility, with a faint full-length track."""
    left, row, length = 70, 22, WIDTH - 70 - 60
    bars = []
    for k, item in enumerate(summary.items):
        f = item.facility or 0.0
        bars.append({"label": item.column.label, "y": 10 + k * row, "w": round(length * f, 1),
                     "value": _pct(item.facility), "tx": round(left + length * f + 6, 1)})
    return {"bars": bars, "left": left, "length": length, "row": row, "height": 20 + row * len(bars),
            "mid": round(left + length / 2, 1), "end": left + length}


def view(key, sheet, summary, responses: str, layout: str) -> dict:
    m = {key.split(".", 1)[1]: t(key) for key in LABELS}
    items = [{"label": i.column.label, "section": next(s.section for s in key.slots if s.key == i.column.slot),
              "points": fmt(i.column.points), "answered": i.answered, "carried": i.carried if i.column.part else "—", "facility": _pct(i.facility),
              "discrimination": _r(i.discrimination),
              "mistakes": [{"id": mid, "count": c, "share": _pct(c / summary.students if summary.students else None),
                            "name": name, "explanation": why} for mid, c, name, why in i.mistakes]}
             for i in summary.items]
    exam_mistakes = [{"id": mid, "count": c, "students": n, "name": name, "explanation": why}
                     for mid, c, n, name, why in summary.mistakes]
    number = (lambda x: "—" if x is None else fmt(x))
    stats = [(m["stat_students"], str(summary.students)), (m["stat_points"], fmt(summary.total)),
             (m["stat_mean"], number(summary.mean)), (m["stat_median"], number(summary.median)),
             (m["stat_low"], number(summary.low)), (m["stat_high"], number(summary.high)),
             (m["stat_rows"], str(sheet.rows)), (m["stat_bad"], str(len({b.line for b in sheet.bad})))]
    absent = [s for s in key.students if (s.id, s.name) not in {(x.id, x.name) for x in sheet.students}]
    return {
        "lang": current(), "m": m, "title": key.title,
        "heading": t("grade.report_heading", title=key.title),
        "source": t("grade.report_source", file=responses, layout=t(f"grade.layout_{layout}"), exam=key.folder),
        "stats": stats, "histogram": histogram_svg(summary), "facility": facility_svg(summary),
        "histogram_desc": t("grade.histogram_desc", students=summary.students, points=fmt(summary.total)),
        "items": items, "exam_mistakes": exam_mistakes,
        "bad": [{"line": b.line, "reason": b.reason} for b in sheet.bad],
        "absent": [s.name or s.id for s in absent],
        "absent_note": t("grade.absent_note", count=len(absent)),
        "replaced": [f"{v}:{n}" for v, n in key.replaced],
    }


def write(key, sheet, summary, out, responses: str, layout: str) -> list[str]:
    atomic_write_text(out / "scores.csv", scores_csv(key, sheet))
    html = environment().get_template("report.html").render(**view(key, sheet, summary, responses, layout))
    atomic_write_text(out / "report.html", html)
    return ["report.html", "scores.csv"]
