"""The Question record: the one thing every renderer, writer and grader reads.

Schema "quizgen.questions/3" (`Question.to_dict()`), documented in docs/schema.md:
    id           stable across runs and machines: "<family>--s<bank_seed>-v<index>"
    family, seed (the variant's derived seed), index, bank_seed, kind, title, summary, topic, tags,
    difficulty (1–5), source, notation
    prompt       Markdown + LaTeX ($...$ inline, $$...$$ display)
    given        [{name, latex, value, approx}] the data shown to the student (approx: rounded,
                 supplied so the question can be done by hand)
    problem      the network in `quizgen solve`'s problem-file form, or null
    target       dotted path into `solve --json` output the answer equals, or null
    answer       {kind: number|vector|matrix|choice, value, display, latex, rtol, atol,
                  shape, precision, tol, labels}; precision = {rule: exact|sig|dec, digits, carry, text}
                  states what is asked, tol (per entry, the value's shape) is how close counts;
                  labels = [{name, latex}] names a shapes table's rows, else null
    choices      [{label, text, correct, mistake, rationale}] for multiple choice, else []; a
                 choice is known by its mistake id (or `correct`), never by its letter
    distractors  [{value, mistake, name, explanation, also, tol, credit}] wrong answers real mistakes
                 produce; `also` lists further mistakes giving the same value within tolerance;
                 value is null for multiple choice (the choice carrying that mistake is the wrong one)
    steps        [{title, symbolic, substituted, parts, result, result_display, shape,
                   explanation, role}]; parts = [{"tex": ...} | {"num": ...}] is `substituted` with its
                   numbers kept as values, so writers can typeset matrices without re-parsing;
                   role = what the step does (bank/kinds/base.py ROLES)
    hints        short nudges, in order
    layout       {answer_box, space_cm, rubric, ordered_choices, flashcard}: what writers need from
                 the kind, so none of them branches on its name
    parts        [] or, for a multi-part question, [{name, label, target, asked, asked_text, points,
                 answer, distractors, carry}] in backprop order (answer/distractors as above; the
                 question's own answer is part (a)'s); carry = [{from, map, widen} | {from, table}]
                 says how a later part follows from an earlier one (quizgen/ecf.py grades with it)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from quizgen.messages.text import text

SCHEMA = "quizgen.questions/3"


@dataclass
class Step:
    title: str
    symbolic: str  # LaTeX, with symbols only
    substituted: str  # LaTeX, the same with this variant's numbers
    parts: list  # `substituted` as [{"tex": str} | {"num": value}]
    result: Any  # number | list | list[list] | None
    result_display: str  # LaTeX of the result as displayed
    shape: list[int] | None
    explanation: str
    role: str = ""  # forward | loss | backward | update | read | given | rule | substitute | check | shape | error



def whole_number(q: "Question") -> bool:
    """Whether the answer is a count (a parameter count, a shape, a conv output length): its
    format hint offers a whole number, not "-3/4"."""
    p = q.answer.precision
    if not p or p.get("rule") != "exact":
        return False
    return ask_key(p) == "answer.ask_whole" or q.kind == "shapes_table"


def typed_shape(shape) -> list[int]:
    """The shape a student types: a one-row matrix (a conv_pool sequence) is a plain list, as
    its key shows it."""
    shape = list(shape or [])
    return shape[1:] if len(shape) == 2 and shape[0] == 1 else shape


def ask_key(precision: dict) -> str:
    """The catalog key of the sentence asking for `precision` (a record's): an exact answer that
    is a whole number (a count) asks for a whole number, not "a decimal or a fraction"."""
    said = precision.get("text")
    if precision["rule"] == "exact" and isinstance(said, dict) and said.get("key") == "answer.precision_whole":
        return "answer.ask_whole"
    return f"answer.ask_{precision['rule']}"


@dataclass
class Answer:
    kind: str  # number | vector | matrix | choice
    value: Any  # float | list[float] | list[list[float]] | "B"
    display: str  # plain text as a student would type it
    latex: str  # LaTeX for printed keys
    rtol: float = 0.0
    atol: float = 0.0
    shape: list[int] | None = None
    precision: dict | None = None  # {rule: exact|sig|dec, digits, carry, text}; None: rtol/atol only
    tol: Any = None  # per-entry absolute tolerance, the value's shape; None: atol + rtol·|value|
    labels: list | None = None  # [{name, latex}] per row of a shapes table; None otherwise


@dataclass
class Distractor:
    value: Any  # None for multiple choice: the choice whose `mistake` is this one
    mistake: str  # mistake id from quizgen.engine.mistakes
    name: str  # one line
    explanation: str  # what the student did, in words a student understands
    also: list[str] = field(default_factory=list)  # further mistake ids giving this value
    tol: Any = None  # per-entry tolerance around `value`, like Answer.tol
    credit: float = 0.0  # the share of the answer's points this mistake earns


@dataclass
class Choice:
    label: str  # "A", "B", ...
    text: str  # Markdown + LaTeX
    correct: bool
    mistake: str | None = None  # its identity: the misconception it stands for (None: the right one)
    rationale: Any = None  # why it is wrong (or, for find_error, what went wrong there); None: nothing to say


@dataclass
class Given:
    name: str  # plain, e.g. "W1"
    latex: str  # e.g. "W^{[1]}"
    value: Any  # number | list | list[list]
    approx: bool = False  # a rounded value the prompt supplies (e.g. σ(0.5) ≈ 0.6225)


@dataclass
class Part:
    """One part of a multi-part question: a tape quantity with its own points and precision."""

    name: str  # "a", "b", ...
    label: str  # "(a)"
    target: str  # whole-array target path, e.g. "layers.1.dW"
    asked: str  # LaTeX, e.g. \frac{\partial J}{\partial W^{[2]}}
    asked_text: str  # plain, e.g. ∂J/∂W2
    points: float
    answer: Answer
    distractors: list[Distractor] = field(default_factory=list)
    # error carried forward from each earlier part: {from, map, widen} (a re-run: this part is
    # map · flat(that part's typed value)) or {from, table: [{mistake, value, tol, then, then_tol}]}
    carry: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        d = dict(self.__dict__)
        d["answer"] = dict(self.answer.__dict__)
        d["distractors"] = [dict(x.__dict__) for x in self.distractors]
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "Part":
        d = dict(d)
        d["answer"] = Answer(**d["answer"])
        d["distractors"] = [Distractor(**x) for x in d.get("distractors", [])]
        return cls(**d)


@dataclass
class Question:
    id: str
    family: str
    seed: int
    index: int
    bank_seed: int
    kind: str
    title: str
    topic: str
    tags: list[str]
    difficulty: int
    source: str
    notation: str | None
    prompt: str
    given: list[Given]
    problem: dict | None
    target: str | None
    answer: Answer
    choices: list[Choice] = field(default_factory=list)
    distractors: list[Distractor] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    hints: list[str] = field(default_factory=list)
    summary: str = ""  # what the family trains, one sentence
    layout: dict = field(default_factory=dict)  # the kind's hints for writers (bank/kinds/base.py Kind.layout)
    parts: list[Part] = field(default_factory=list)  # a multi-part question's parts, else []

    def to_dict(self) -> dict:
        """The schema form. Plain values are shared, not copied (asdict's deep copy is the
        slowest part of an export); treat the result as read-only."""
        d = self.top_level()
        d["given"] = [dict(g.__dict__) for g in self.given]
        d["answer"] = dict(self.answer.__dict__)
        d["choices"] = [dict(c.__dict__) for c in self.choices]
        d["distractors"] = [dict(x.__dict__) for x in self.distractors]
        d["steps"] = [dict(s.__dict__) for s in self.steps]
        if self.parts:
            d["parts"] = [p.to_dict() for p in self.parts]
        return d

    def top_level(self) -> dict:
        """The schema form's top level, its nested records (givens, answer, steps, parts...) left
        as the dataclasses they are: what orjson writes as `to_dict` without copying them."""
        d = dict(self.__dict__)
        if not self.parts:  # a single-part record keeps its form (exports stay byte-identical)
            del d["parts"]
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "Question":
        d = dict(d)
        d["given"] = [Given(**g) for g in d["given"]]
        d["answer"] = Answer(**d["answer"])
        d["choices"] = [Choice(**c) for c in d.get("choices", [])]
        d["distractors"] = [Distractor(**x) for x in d.get("distractors", [])]
        d["steps"] = [Step(**s) for s in d.get("steps", [])]
        d["parts"] = [Part.from_dict(p) for p in d.get("parts", [])]
        return cls(**d)


def shown_steps(q: Question) -> list[Step]:
    """The worked solution as writers show it: the record's steps, then a "Why not B" row for each
    wrong option as printed (found by its mistake, so a shuffled exam names the right letter)."""
    rows = []
    for c in q.choices:
        d = next((d for d in q.distractors if c.mistake and not c.correct and d.mistake == c.mistake), None)
        if d is not None:
            rows.append(Step(text("kinds.why_not", label=c.label), "", "", [], None, "", None,
                             text("kinds.option_would", label=c.label, name=d.name, explanation=d.explanation),
                             "rationale"))
    return list(q.steps) + rows


def float_row(value) -> bool:
    """Whether a step's result is a flat list of plain floats (a vector, as the record holds it):
    what a caller may compare without NumPy, in float64's own arithmetic. Anything else (a matrix,
    ints, strings, None) it leaves to NumPy, which is also faster on nested lists."""
    return type(value) is list and set(map(type, value)) <= _FLOAT


_FLOAT = {float}


def question_id(family: str, bank_seed: int, index: int) -> str:
    """The stable id every output reuses (file names, Anki guids, practice history)."""
    return f"{family}--s{bank_seed}-v{index}"
