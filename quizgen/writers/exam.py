"""Exam writer: per version a print-ready exam and its answer key (HTML), plus the roster.

    exam-A.html  key-A.html  exam-B.html  key-B.html  ...  roster.csv  roster.json
    exam-A-001.html ...      a named copy per student of a class list (NNN: the list's row)

Each HTML file stands alone (the stylesheet is inlined) so it prints the same from any folder.
"""

from __future__ import annotations

import re
import tomllib
from base64 import b64encode
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2
from markupsafe import Markup

from quizgen.messages import area, current, html_tag, t
from quizgen.present import view as present
from quizgen.render import safe
from quizgen.render.numbers import fmt
from quizgen.resources import templates_root
from quizgen.writers import exam_conventions as conventions
from quizgen.writers import exam_parts, exam_views as views
from quizgen.writers.atomic import atomic_write_text
from quizgen.writers.destination import Owner

if TYPE_CHECKING:  # types only: the exam package drives this writer, so it never imports it back
    from quizgen.exam.assemble import Exam, Item, Version


# What `quizgen exam` writes (the PDFs too): the one output-folder guard (writers/destination.py)
# replaces a folder holding these names only.
OWNER = Owner("quizgen exam", "exam-out", re.compile(
    r"(exam|key)-[A-Z0-9]+(-[0-9]{3})?\.(html|pdf)|(print|keys|class)-all\.pdf|roster\.(csv|json)|README\.md"))


def css_string(text: str) -> Markup:
    """A CSS string literal (for @page content), safe inside <style> (render.safe.css_string)."""
    return Markup(safe.css_string(text))


@lru_cache(maxsize=None)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(templates_root() / "exam")),
                             autoescape=True, undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["css_string"] = css_string
    return env


@lru_cache(maxsize=None)
def stylesheet() -> Markup:
    return Markup((templates_root() / "static" / "css" / "exam.css").read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def _formula_data(lang: str = "en") -> tuple:
    """The sheet in `lang`: formulas.<lang>.toml where one exists (its words translated, the same math)."""
    folder = templates_root() / "exam"
    path = folder / f"formulas.{lang}.toml"
    data = tomllib.loads((path if path.is_file() else folder / "formulas.toml").read_text(encoding="utf-8"))
    return tuple((g["title"], g.get("notation"), frozenset(g.get("kinds", ())), tuple(tuple(r) for r in g["rows"]))
                 for g in data["groups"])


def forward_rules() -> dict[str, str]:
    """Each notation's forward rule (LaTeX): the first formula of its formula-sheet group."""
    return {notation: rows[0][0] for _, notation, _, rows in _formula_data() if notation}


def formula_groups(version: Version) -> list[dict]:
    """The formula sheet's groups, keeping a notation's group only if one of the version's
    questions uses it, and a group for some kinds (`kinds`, the optimizers' rules) only if one of
    them asks a question (this version's, not the others': a version prints the same for any
    --versions)."""
    notations = {item.question.notation for item in version.items}
    kinds = {item.question.kind for item in version.items}
    return [{"title": title, "rows": [[views.tex(cell) for cell in row] for row in rows]}
            for title, notation, for_kinds, rows in _formula_data(current())
            if (notation is None or notation in notations) and (not for_kinds or for_kinds & kinds)]


def _meta(exam: Exam, m: dict, total: float) -> list[str]:
    spec = exam.spec
    parts = [spec.date] if spec.date else []
    if spec.duration:
        parts.append(m["duration"].format(minutes=spec.duration))
    return parts + [f"{m['total_points']}: {fmt(total)}"]


def _regenerate(exam: Exam, item: Item) -> str:
    """The `show` command for this question: the bank by its folder's name, never a local path."""
    q = item.question
    bank = "" if exam.bank.shipped else f" --bank {exam.bank.name}"
    return f"quizgen show {q.family} --seed {q.bank_seed} --index {q.index}{bank}"


def bank_line(exam: Exam, m: dict) -> str:
    bank = exam.bank
    return m["bank_line"].format(name=m["bank_shipped"] if bank.shipped else bank.name, content=bank.content)


def _item(exam: Exam, item: Item, m: dict, key: bool, notices: dict) -> dict:
    q = item.question
    v = present.view(q)
    space = next((cm for cm in (item.section.space, exam.spec.space) if cm is not None), None)
    if space is None:  # neither the section nor the exam sets it: the question's own estimate
        space = views.space_cm(q, v)
    view = {"number": item.number, "points": fmt(item.points), "prompt": views.md(v.prompt),
            "given": views.given(q, v), "choices": views.choices(q, v), "box": views.answer_box(q, v),
            "space": fmt(space) if space > 0 else None, "notice": notices.get(item.number)}
    # issue 17: a box per part; on the key each part's answer, wrong values and credit
    view["parts"] = exam_parts.parts(q, item.points, key) if q.parts else []
    if key:
        final = next((line.points for line in item.rubric if line.step is None), None)
        view.update(title=v.title, family=q.family, index=q.index, regenerate=_regenerate(exam, item),
                    choice_order=(m["choice_order"].format(order="".join(item.choice_order))
                                  if item.choice_order else ""),
                    answer=views.answer(q, v), steps=views.steps(q, item.rubric, v), wrong=views.distractors(q, v),
                    final_label=(m["correct_choice"] if q.answer.kind == "choice" else m["ecf_parts_total"] if q.parts
                                 else m["final_answer"]),
                    final_points=None if final is None else fmt(final))
    return view


def _mark(mark) -> dict | None:
    """The page's printed code, its QR (a base64 data: URL of an SVG quizgen drew) and a copy's
    student, as the @page margin box of templates/exam/mark.css prints them."""
    if mark is None:
        return None
    who = " · ".join(part for part in (mark.student, mark.student_id) if part)
    return {"code": mark.code, "qr_url": "data:image/svg+xml;base64," + b64encode(mark.qr_svg.encode()).decode(),
            "label": f"{who}   {mark.code}  " if who else f"{mark.code}  ",
            "student": mark.student or "", "student_id": mark.student_id or ""}  # filled into a named copy's fields


def _context(exam: Exam, version: Version, key: bool, mark=None, fingerprint: str = "") -> dict:
    m = area("exam")
    spec = exam.spec
    forward = forward_rules()
    notices = {} if key else conventions.notices(version.items, forward)
    sections = []
    for section, items in version.sections:
        summary = m["section_questions"].format(count=len(items), points=fmt(section.points))
        sections.append({"title": section.title, "summary": summary,
                         "items": [_item(exam, item, m, key, notices) for item in items]})
    kind = m["answer_key"] if key else spec.title
    return {
        "lang": html_tag(current()), "m": m, "spec": spec, "version": version, "paper": spec.paper,
        "doc_title": f"{spec.title} · {kind} · {m['version']} {version.code}" if key else
                     f"{spec.title} · {m['version']} {version.code}",
        "footer": f"{spec.title} · {m['answer_key'] + ' · ' if key else ''}{m['version']} {version.code}",
        "css": stylesheet(), "body_class": "key" if key else "exam",
        "meta": _meta(exam, m, version.total), "total": fmt(version.total),
        "instructions": views.md(spec.instructions) if spec.instructions.strip() else "",
        "sections": sections, "items": [item for s in sections for item in s["items"]],
        "formulas": formula_groups(version) if spec.formula_sheet != "off" and not key else [],
        "formula_inline": spec.formula_sheet == "inline", "cover": spec.cover,
        "conventions": [] if key else conventions.box(version.items, forward),
        "header": None if key else t("exam.header", code=version.code),
        "bank": bank_line(exam, m) if key else "",
        "mark": _mark(mark), "fingerprint": fingerprint if key else "",  # exam/code.py, exam/fingerprint.py
    }


def exam_html(exam: Exam, version: Version, mark=None) -> str:
    return environment().get_template("exam.html").render(_context(exam, version, key=False, mark=mark))


def key_html(exam: Exam, version: Version, mark=None, fingerprint: str = "") -> str:
    return environment().get_template("key.html").render(_context(exam, version, True, mark, fingerprint))


def write(exam: Exam, out: str | Path, options: dict | None = None) -> list[str]:
    """Write every version's exam and key, and the extra files `options["files"]` names (the
    roster, which the exam package makes), into `out`; return the file names.

    options["marks"]: version -> printed code and QR (exam/code.py); options["copies"]: file
    stem -> (version, mark naming a student), one named copy each; options["fingerprint"]: the
    line each key records."""
    out = Path(out)
    options = options or {}
    files = dict(options.get("files", {}))
    marks = options.get("marks", {})
    for version in exam.versions:
        mark = marks.get(version.code)
        files[f"exam-{version.code}.html"] = exam_html(exam, version, mark)
        files[f"key-{version.code}.html"] = key_html(exam, version, mark, options.get("fingerprint", ""))
    versions = {v.code: v for v in exam.versions}
    for stem, (code, mark) in options.get("copies", {}).items():
        files[f"{stem}.html"] = exam_html(exam, versions[code], mark)
    for name in sorted(files):
        atomic_write_text(out / name, files[name])
    return sorted(files)
