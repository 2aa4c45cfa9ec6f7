"""Drawn questions -> numbered versions: per-version shuffles, relabelled choices, rubrics."""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, replace

import numpy as np

from quizgen.bank.question import Question
from quizgen.bank.seeds import stable_seed
from quizgen.exam.rubric import RubricLine, rubric
from quizgen.exam.spec import ExamSpec, SectionSpec

MAX_VERSIONS = 99
LABELS = string.ascii_uppercase
# find_error's options are the derivation's steps: their order is part of the question.
ORDERED_CHOICES = frozenset({"find_error"})
# Worked solutions of multiple-choice kinds name options ("Why not B", "Option B would ...").
_LABEL_REF = re.compile(r"\b(Why not|Option) ([A-Z])\b")


@dataclass(frozen=True)
class Item:
    number: int  # 1-based across the whole exam
    section: SectionSpec
    points: float
    question: Question  # as printed in this version (choices relabelled when shuffled)
    choice_order: tuple[str, ...]  # the bank's labels in printed order; () when unchanged
    rubric: tuple[RubricLine, ...]


@dataclass(frozen=True)
class Version:
    code: str  # "A", "B", ..., "Z", "AA", "AB", ...: a function of the version's number alone
    sections: tuple[tuple[SectionSpec, tuple[Item, ...]], ...]

    @property
    def items(self) -> list[Item]:
        return [item for _, items in self.sections for item in items]

    @property
    def total(self) -> float:
        return sum(item.points for item in self.items)


@dataclass(frozen=True)
class Bank:
    """Which bank an exam was drawn from, the same from any folder: never a local path."""

    name: str  # the bank folder's name
    shipped: bool  # the bank that comes with quizgen (`show` needs no --bank for it)
    content: str  # a short hash of its family files: two banks with one name stay apart


@dataclass(frozen=True)
class Exam:
    spec: ExamSpec
    versions: tuple[Version, ...]
    bank: Bank


def version_code(number: int) -> str:
    """Version `number` (1-based): A … Z, then AA, AB, … AZ, BA, … (like spreadsheet columns).

    A version's code depends on its number alone, so asking for more versions never renames one.
    """
    code = ""
    while number > 0:
        number, rest = divmod(number - 1, len(LABELS))
        code = LABELS[rest] + code
    return code


def version_codes(n: int) -> list[str]:
    return [version_code(i) for i in range(1, n + 1)]


def shuffle_choices(q: Question, rng: np.random.Generator) -> tuple[Question, tuple[str, ...]]:
    """The question with its options in a new order and relabelled A, B, ...; the answer and
    the worked solution's references follow. Kinds whose option order matters are unchanged."""
    if not q.choices or q.kind in ORDERED_CHOICES:
        return q, ()
    shown = [q.choices[int(i)] for i in rng.permutation(len(q.choices))]
    new = {c.label: LABELS[i] for i, c in enumerate(shown)}
    choices = [replace(c, label=LABELS[i]) for i, c in enumerate(shown)]
    right = next(c.label for c in choices if c.correct)

    def relabel(text):
        if not isinstance(text, str):  # a catalog text (key + params) holds no option letter
            return text
        return _LABEL_REF.sub(lambda m: f"{m.group(1)} {new.get(m.group(2), m.group(2))}", text)

    steps = [replace(s, title=relabel(s.title), explanation=relabel(s.explanation)) for s in q.steps]
    answer = replace(q.answer, value=right, display=right, latex=right)
    return replace(q, choices=choices, answer=answer, steps=steps), tuple(c.label for c in shown)


def assemble(spec: ExamSpec, drawn: list[list[list[Question]]], bank: Bank) -> Exam:
    """drawn[version][section][slot] -> an Exam, every shuffle seeded by (seed, version, place).

    The version enters the seeds as its code, a function of its number alone: version i is
    shuffled the same for any number of versions, and exams printed with codes A … Z before
    codes went past Z keep their keys.
    """
    versions = []
    for code, sections in zip(version_codes(len(drawn)), drawn):
        number, built = 0, []
        for section, questions in zip(spec.sections, sections):
            order = list(range(len(questions)))
            if spec.shuffle_questions:
                rng = np.random.default_rng(stable_seed(spec.seed, "exam-order", code, section.number))
                order = [int(i) for i in rng.permutation(len(questions))]
            items = []
            for slot in order:
                q, shown = questions[slot], ()
                if spec.shuffle_choices:
                    rng = np.random.default_rng(stable_seed(spec.seed, "exam-choices", code, q.id))
                    q, shown = shuffle_choices(q, rng)
                number += 1
                items.append(Item(number, section, section.points, q, shown, rubric(section.points, q)))
            built.append((section, tuple(items)))
        versions.append(Version(code, tuple(built)))
    return Exam(spec, tuple(versions), bank)
