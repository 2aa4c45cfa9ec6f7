"""The exam spec (TOML): read it, check every key, collect every problem as a SpecError.

    title = "Backpropagation midterm"       # required
    course = "..."  date = 2025-03-14  duration = 90  instructions = "Markdown"
    paper = "A4"                            # or "Letter"
    seed = 0                                # bank seed: same spec + seed -> same exam
    shuffle_questions = false  shuffle_choices = false  formula_sheet = false
    bank = "../question_bank"               # optional, relative to the spec file

    [[sections]]
    title = "..."
    families = ["exam-relu-softmax-dw1"]    # or a selection: tags = [...], topic = "...",
    count = 1                               #   difficulty = 3 or [2, 4]
    points = 10                             # per question, required

Checks against the bank (unknown family, tag, topic) live in select.py.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from quizgen import datafile
from quizgen.errors import ErrorList, SpecError
from quizgen.bank.fields import checked_text  # spec text is Markdown + math, like bank text
from quizgen.limits import MAX_DURATION, MAX_INSTRUCTIONS, MAX_LINE, MAX_POINTS
from quizgen import messages
from quizgen.messages import t

TOP_KEYS = {"title", "course", "date", "duration", "instructions", "paper", "seed", "shuffle_questions",
            "shuffle_choices", "formula_sheet", "bank", "sections", "lang",
            "replace"}  # [replace]: checked and applied by exam/replace.py
SECTION_KEYS = {"title", "families", "tags", "topic", "difficulty", "count", "points"}
PAPERS = {"a4": "A4", "letter": "Letter"}
MAX_COUNT = 50  # questions per section
MAX_SECTIONS = 50


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
    formula_sheet: bool
    bank: Path | None  # resolved against the spec's folder
    sections: tuple[SectionSpec, ...]
    lang: str | None = None  # the language it is printed in; None: --lang, else the default


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
    if isinstance(value, (dt.date, dt.datetime)) and key == "date":
        return value.isoformat()
    if not isinstance(value, str) or (required and not value.strip()):
        c.add(key, t("spec.not_nonempty_string" if required else "spec.not_string", value=datafile.clip(repr(value))))
        return ""
    return checked_text(c, key, value, MAX_INSTRUCTIONS if key == "instructions" else MAX_LINE)


def _flag(c: _Collector, data: dict, key: str) -> bool:
    value = data.get(key, False)
    if not isinstance(value, bool):
        c.add(key, t("spec.not_flag", value=value))
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
    """One [[sections]] table, or None when it cannot be used (its errors are collected)."""
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
    points = data.get("points")
    if points is None:
        c.add(f"{key}.points", t("spec.missing"))
    elif not (isinstance(points, (int, float)) and not isinstance(points, bool)
              and 0 < points <= MAX_POINTS and float(points * 2).is_integer()):
        c.add(f"{key}.points", t("spec.bad_points", most=MAX_POINTS, value=_shown(points)))
    if len(c.errors) > before:
        return None
    return SectionSpec(number, title, families, tuple(tags), topic, difficulty, count, float(points))


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
    flags = {k: _flag(c, data, k) for k in ("shuffle_questions", "shuffle_choices", "formula_sheet")}
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
                    tuple(sections), lang)
    return spec, c.errors


def read_spec(path: str | Path) -> tuple[ExamSpec | None, list[SpecError]]:
    """Read a spec file; a file that cannot be read or parsed is one error and no spec."""
    path = str(path)
    try:
        data = datafile.load(path, SpecError, fmt="toml")
    except SpecError as exc:
        return None, [exc]
    return parse_spec(data, path)


def load_spec(path: str | Path) -> ExamSpec:
    """A valid spec, or ErrorList with every problem (used on its own, e.g. by tests)."""
    spec, errors = read_spec(path)
    if errors:
        raise ErrorList(errors)
    return spec
