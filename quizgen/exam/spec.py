"""The exam spec (TOML): read it, check every key, collect every problem as a SpecError.

    title = "Backpropagation midterm"       # required
    course = "..."  date = 2025-03-14  duration = 90  instructions = "Markdown"
    paper = "A4"                            # or "Letter"
    seed = 0                                # bank seed: same spec + seed -> same exam
    shuffle_questions = false  shuffle_choices = false
    cover = true  space = "small"  formula_sheet = "page"   # the paper's layout: exam/layout.py
    bank = "../question_bank"               # optional, relative to the spec file

    [[sections]]
    title = "..."
    families = ["exam-relu-softmax-dw1"]    # or a selection: tags = [...], topic = "...",
    count = 1                               #   difficulty = 3 or [2, 4]
    points = 10                             # per question, required
    sizes = { units = [2, 3, 2], batch = 2 }  # optional: hold these sizes (else drawn from seed)
    allow_repeat = false                    # also top-level: may a family be asked twice?

Checks against the bank (unknown family, tag, topic, sizes a family cannot take, a family asked
twice) live in select.py and sizes.py. A section with problems is still returned (`broken`), so
those checks run on it too and every problem is reported in one run.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path

from quizgen import datafile
from quizgen.exam import layout
from quizgen.errors import ErrorList, SpecError
from quizgen.bank.fields import checked_text  # spec text is Markdown + math, like bank text
from quizgen.limits import MAX_BATCH, MAX_DURATION, MAX_INSTRUCTIONS, MAX_LAYERS, MAX_LINE, MAX_POINTS, MAX_UNITS
from quizgen import messages
from quizgen.messages import t

TOP_KEYS = {"title", "course", "date", "duration", "instructions", "paper", "seed", "shuffle_questions",
            "shuffle_choices", "formula_sheet", "bank", "sections", "lang", "allow_repeat", "cover", "space",
            "tagged_pdf", "replace"}  # [replace]: checked and applied by exam/replace.py
SECTION_KEYS = {"title", "families", "tags", "topic", "difficulty", "count", "points", "sizes", "allow_repeat", "space"}
SIZE_KEYS = {"units", "batch"}
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
PAPERS = {"a4": "A4", "letter": "Letter"}
MAX_COUNT = 50  # questions per section
MAX_SECTIONS = 50


@dataclass(frozen=True)
class Sizes:
    """Sizes a section holds for every version; None: drawn once from the spec's seed."""

    units: tuple[int, ...] | None = None  # inputs, each hidden layer, outputs
    batch: int | None = None  # m, the examples per batch


@dataclass(frozen=True)
class SectionSpec:
    number: int  # 1-based, as in the error keys sections[n]
    title: str
    families: tuple[str, ...] | None  # listed ids, or None for a selection
    tags: tuple[str, ...]
    topic: str | None
    difficulty: tuple[int, int] | None
    count: int | None  # None: one per listed family, or 1 for a selection
    points: float
    sizes: Sizes = Sizes()
    allow_repeat: bool = False
    broken: bool = False  # it has problems of its own: checked against the bank, never drawn
    space: layout.Space = None  # cm of work space under its questions; None: the exam's

    @property
    def key(self) -> str:
        return f"sections[{self.number}]"


@dataclass(frozen=True)
class ExamSpec:
    path: str
    title: str
    course: str
    date: str
    duration: int | None  # minutes
    instructions: str  # Markdown
    paper: str  # "A4" | "Letter"
    seed: int
    shuffle_questions: bool
    shuffle_choices: bool
    formula_sheet: str  # layout.SHEETS: page | inline | off
    bank: Path | None  # resolved against the spec's folder
    sections: tuple[SectionSpec, ...]
    lang: str | None = None  # the language it is printed in; None: --lang, else the default
    allow_repeat: bool = False  # any family may be asked more than once
    cover: bool = True  # False: the title, fields and instructions open page 1
    space: layout.Space = None  # cm of work space under each question; None: each question's estimate
    tagged_pdf: bool = False  # tagged (accessible) PDFs: screen readers follow them; about 40% more print time


class _Collector:
    def __init__(self, path: str):
        self.path, self.errors = path, []

    def add(self, key: str, what: str) -> None:
        self.errors.append(SpecError(datafile.clip(what), file=self.path, key=key))


def _shown(value) -> str:
    """A value quoted back in an error, cut short: a 400-digit number is not repeated in full."""
    text = repr(value)
    return text if len(text) <= 40 else text[:40] + "…"


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _text(c: _Collector, data: dict, key: str, required: bool = False) -> str:
    value = data.get(key)
    if value is None:
        if required:
            c.add(key, t("spec.missing"))
        return ""
    if key == "date":
        return _date(c, value)
    if not isinstance(value, str) or (required and not value.strip()):
        c.add(key, t("spec.not_nonempty_string" if required else "spec.not_string", value=datafile.clip(repr(value))))
        return ""
    return checked_text(c, key, value, MAX_INSTRUCTIONS if key == "instructions" else MAX_LINE)


def _date(c: _Collector, value) -> str:
    """A TOML date (2025-03-14, or with a time of day) or the same date as a string; "" for none."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, str) and not value.strip():
        return ""
    if isinstance(value, str) and ISO_DATE.fullmatch(value.strip()):
        try:
            return dt.date.fromisoformat(value.strip()).isoformat()
        except ValueError:  # 2025-13-45
            pass
    c.add("date", t("spec.bad_date", value=repr(value.isoformat()) if isinstance(value, dt.time) else _shown(value)))
    return ""


def _sizes(c: _Collector, key: str, value) -> Sizes:
    """A section's `sizes` table; what each family allows is checked in sizes.py."""
    if not isinstance(value, dict):
        c.add(key, t("spec.bad_sizes", value=_shown(value)))
        return Sizes()
    for name in sorted(set(value) - SIZE_KEYS):
        c.add(f"{key}.{datafile.key_name(name)}", t("spec.unknown_key", known=", ".join(sorted(SIZE_KEYS))))
    units, batch = value.get("units"), value.get("batch")
    if units is not None and not (isinstance(units, list) and 2 <= len(units) <= MAX_LAYERS + 1
                                  and all(_is_int(u) and 1 <= u <= MAX_UNITS for u in units)):
        c.add(f"{key}.units", t("spec.bad_units", most=MAX_UNITS, value=_shown(units)))
        units = None
    if batch is not None and not (_is_int(batch) and 1 <= batch <= MAX_BATCH):
        c.add(f"{key}.batch", t("spec.bad_batch", most=MAX_BATCH, value=_shown(batch)))
        batch = None
    return Sizes(tuple(units) if units is not None else None, batch)


def _flag(c: _Collector, data: dict, key: str, within: str = "") -> bool:
    value = data.get(key, False)
    if not isinstance(value, bool):
        c.add(f"{within}.{key}" if within else key, t("spec.not_flag", value=value))
        return False
    return value


def _difficulty(c: _Collector, key: str, value) -> tuple[int, int] | None:
    if _is_int(value):
        value = [value, value]
    if not (isinstance(value, list) and len(value) == 2 and all(_is_int(v) for v in value)):
        c.add(key, t("spec.bad_difficulty", value=value))
        return None
    lo, hi = value
    if not 1 <= lo <= hi <= 5:
        c.add(key, t("spec.bad_difficulty_range", value=value))
        return None
    return (lo, hi)


def _section(c: _Collector, number: int, data) -> SectionSpec | None:
    """One [[sections]] table (`broken` when it has problems, which are collected), or None
    when it is not a table at all."""
    key = f"sections[{number}]"
    if not isinstance(data, dict):
        c.add(key, t("spec.section_not_table"))
        return None
    before = len(c.errors)
    for name in sorted(set(data) - SECTION_KEYS):
        c.add(f"{key}.{datafile.key_name(name)}", t("spec.unknown_key", known=", ".join(sorted(SECTION_KEYS))))
    title = data.get("title", t("spec.section_title", number=number))
    if not isinstance(title, str):
        c.add(f"{key}.title", t("spec.not_string", value=datafile.clip(repr(title))))
        title = ""
    else:
        title = checked_text(c, f"{key}.title", title, MAX_LINE)
    families = data.get("families")
    if families is not None:
        if not (isinstance(families, list) and families and all(isinstance(f, str) and f for f in families)):
            c.add(f"{key}.families", t("spec.bad_families"))
            families = None
        else:
            families = tuple(families)
    tags = data.get("tags", [])
    if not (isinstance(tags, list) and all(isinstance(t, str) and t for t in tags)):
        c.add(f"{key}.tags", t("spec.bad_tags"))
        tags = []
    topic = data.get("topic")
    if topic is not None and not (isinstance(topic, str) and topic):
        c.add(f"{key}.topic", t("spec.not_nonempty_string", value=datafile.clip(repr(topic))))
        topic = None
    difficulty = None
    if "difficulty" in data:
        difficulty = _difficulty(c, f"{key}.difficulty", data["difficulty"])
    selects = bool(tags) or "topic" in data or "difficulty" in data
    if "families" in data and selects:
        c.add(key, t("spec.families_and_selection"))
    elif "families" not in data and not selects:
        c.add(key, t("spec.nothing_to_draw"))
    count = data.get("count")
    if count is not None and not (_is_int(count) and 1 <= count <= MAX_COUNT):
        c.add(f"{key}.count", t("spec.bad_count", most=MAX_COUNT, value=_shown(count)))
        count = None
    points = data.get("points")
    if points is None:
        c.add(f"{key}.points", t("spec.missing"))
    elif not (isinstance(points, (int, float)) and not isinstance(points, bool)
              and 0 < points <= MAX_POINTS and float(points * 2).is_integer()):
        c.add(f"{key}.points", t("spec.bad_points", most=MAX_POINTS, value=_shown(points)))
        points = None
    sizes = _sizes(c, f"{key}.sizes", data["sizes"]) if "sizes" in data else Sizes()
    allow_repeat = _flag(c, data, "allow_repeat", key)
    space = layout.space(c, f"{key}.space", data.get("space"))
    return SectionSpec(number, title, families, tuple(tags), topic, difficulty, count, float(points or 0), sizes,
                       allow_repeat, broken=len(c.errors) > before, space=space)


def parse_spec(data: dict, path: str) -> tuple[ExamSpec, list[SpecError]]:
    """Validate a spec table; return (spec, every error found).

    The spec keeps its structurally valid sections even when others are broken, so the caller
    can still check those against the bank and report everything at once; use it only to
    collect more errors when the list is not empty.
    """
    c = _Collector(path)
    for key in sorted(set(data) - TOP_KEYS):
        c.add(datafile.key_name(key), t("spec.unknown_key", known=", ".join(sorted(TOP_KEYS))))
    title = _text(c, data, "title", required=True)
    course, date, instructions = (_text(c, data, k) for k in ("course", "date", "instructions"))
    duration = data.get("duration")
    if duration is not None and not (_is_int(duration) and 0 < duration <= MAX_DURATION):
        c.add("duration", t("spec.bad_duration", most=MAX_DURATION, value=_shown(duration)))
        duration = None
    paper = data.get("paper", "A4")
    if not isinstance(paper, str) or paper.lower() not in PAPERS:
        c.add("paper", t("spec.bad_paper", value=paper))
        paper = "A4"
    seed = data.get("seed", 0)
    if not (_is_int(seed) and seed >= 0):
        c.add("seed", t("spec.bad_seed", value=seed))
        seed = 0
    flags = {k: _flag(c, data, k) for k in ("shuffle_questions", "shuffle_choices", "allow_repeat", "tagged_pdf")}
    flags["formula_sheet"] = layout.formula_sheet(c, data.get("formula_sheet", False))
    bank = data.get("bank")
    if bank is not None:
        if not (isinstance(bank, str) and bank):
            c.add("bank", t("spec.bad_bank", value=bank))
            bank = None
        else:
            bank = Path(os.path.normpath(Path(path).parent / bank))
            if not bank.is_dir():
                c.add("bank", t("spec.no_bank", folder=str(bank)))
                bank = None
    lang = data.get("lang")
    if lang is not None:
        if messages.resolve(lang) is None:
            c.add("lang", messages.unknown_lang(lang))
        lang = messages.resolve(lang)
    raw = data.get("sections")
    sections = []
    if raw is None:
        c.add("sections", t("spec.no_sections"))
    elif not isinstance(raw, list) or not raw:
        c.add("sections", t("spec.bad_sections"))
    elif len(raw) > MAX_SECTIONS:
        c.add("sections", t("spec.too_many_sections", count=len(raw), most=MAX_SECTIONS))
    else:
        sections = [s for s in (_section(c, i, d) for i, d in enumerate(raw, start=1)) if s]
    spec = ExamSpec(path, title, course, date, duration, instructions, PAPERS.get(str(paper).lower(), "A4"),
                    seed, flags["shuffle_questions"], flags["shuffle_choices"], flags["formula_sheet"], bank,
                    tuple(sections), lang, flags["allow_repeat"], layout.cover(c, data.get("cover", True)),
                    layout.space(c, "space", data.get("space")), flags["tagged_pdf"])
    return spec, c.errors


def in_file_order(errors: list) -> list:
    """Top-level problems first, then each section's in section order (a stable sort: a section's
    own problems before what the bank says about it)."""
    def section(e) -> int:
        match = re.match(r"sections\[(\d+)\]", e.key or "")
        return int(match.group(1)) if match else 0
    return sorted(errors, key=section)


def read_spec(path: str | Path) -> tuple[ExamSpec | None, list[SpecError]]:
    """Read a spec file; a file that cannot be read or parsed is one error and no spec."""
    path = str(path)
    try:
        data = datafile.load(path, SpecError, fmt="toml")
    except SpecError as exc:
        return None, [_named(path, exc)]
    return parse_spec(data, path)


def _named(path: str, exc: SpecError) -> SpecError:
    """A TOML error on a `date = ...` line named as a bad date: `date = 2025-13-45` is not just bad
    TOML (the line is only read, never evaluated)."""
    line = re.search(r"\bline (\d+)", exc.message)
    if exc.key or not line:
        return exc
    try:
        lines = datafile.read_text(path, SpecError).splitlines()
    except SpecError:
        return exc
    n = int(line.group(1))
    match = re.match(r"\s*([A-Za-z0-9_-]+)\s*=\s*(.*?)\s*(#.*)?$", lines[n - 1]) if 0 < n <= len(lines) else None
    if not match:
        return exc
    if match.group(1) != "date":
        return exc
    return SpecError(t("spec.date_syntax", value=datafile.clip(match.group(2)), line=n), file=path, key="date")


def load_spec(path: str | Path) -> ExamSpec:
    """A valid spec, or ErrorList with every problem (used on its own, e.g. by tests)."""
    spec, errors = read_spec(path)
    if errors:
        raise ErrorList(errors)
    return spec
