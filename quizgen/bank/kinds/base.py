"""What a kind is: one registry entry with its validation, builder, default prompt and the
layout hints every writer reads from the record (so no writer branches on a kind's name).

A kind module builds a `Kind` and calls `register`; `quizgen.bank.kinds` imports the shipped
ones. A test can register a toy kind the same way, in one module.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from quizgen.limits import MAX_BATCH, MAX_UNITS

# Step roles (docs/schema.md, `steps[].role`): what a worked step does, for writers and graders.
# "rationale" marks the "Why not B" rows writers add from the choices (bank.question.shown_steps).
ROLES = ("forward", "loss", "backward", "update", "read", "given", "rule", "substitute", "check", "shape", "error",
         "rationale")
# How an exam key spreads a question's points (docs/schema.md, `layout.rubric`).
RUBRICS = ("steps", "rows", "all")


def no_checks(c, seen: dict) -> None:
    """A kind with nothing to check beyond the common family fields."""


def steps_space(q) -> float:
    """Room to work, in cm: more steps, more room."""
    return min(2.5 + 0.7 * len(q.steps), 11.0)


def value_box(q) -> dict:
    """One box for a number, a bracketed grid for a vector or matrix (a vector lies along the
    notation's example axis: a row in row notation, a column in column notation)."""
    return answer_value_box(q.answer, q.notation)


def answer_value_box(a, notation: str | None) -> dict:
    """value_box of a question with answer `a` in `notation` (a multipart part's box, without
    copying the whole question for each part)."""
    if a.kind == "number" or not a.shape:
        return {"kind": "number"}
    if len(a.shape) == 1:
        rows, cols = (1, a.shape[0]) if notation == "row" else (a.shape[0], 1)
    else:
        rows, cols = a.shape[0], a.shape[1]
    return {"kind": "matrix", "rows": rows, "cols": cols}


@dataclass(frozen=True)
class Kind:
    """Everything quizgen knows about one kind of question."""

    name: str
    build: Callable[..., Any]  # (Family, np.random.Generator) -> Draft; raises Degenerate
    prompt: Callable[[], str]  # the default prompt template ({{ name }} placeholders)
    validate: Callable[..., None] = no_checks  # (Collector, seen: dict of parsed family fields)
    answer_box: Callable[[Any], dict] = value_box  # Question -> layout.answer_box
    work_space: Callable[[Any], float] = steps_space  # Question -> layout.space_cm
    rubric: str = "steps"  # one of RUBRICS
    ordered_choices: bool = False  # its options' order is part of the question (never shuffled)
    flashcard: bool = False  # the site makes a numeric flashcard of its first variants
    limits: tuple[int, int] = (MAX_UNITS, MAX_BATCH)  # largest units per layer and batch size
    states_precision: bool = True  # the prompt ends with what precision to give (a shapes table asks whole numbers)
    sized: bool = True  # draws a network whose structure comes first (sample.draw_structure); an exam holds it equal
    network_prompt: bool = False  # its default prompt (prompts.<name>) opens with the network paragraph
    table: str | None = None  # the family's own TOML table this kind reads ([optimizer], [layer], …): a family of
    # another kind may not have it; bank/spec.py passes it to `validate` as seen["table"] and keeps it as Family.table

    def layout(self, q) -> dict:
        """The record's `layout`: what writers need to place and mark a question of this kind."""
        return {"answer_box": self.answer_box(q), "space_cm": float(self.work_space(q)), "rubric": self.rubric,
                "ordered_choices": self.ordered_choices, "flashcard": self.flashcard}


KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    """Add a kind (a test may replace one of the same name); returns it."""
    if kind.rubric not in RUBRICS:
        raise ValueError(f"kind {kind.name!r}: rubric must be one of {RUBRICS}, got {kind.rubric!r}")
    KINDS[kind.name] = kind
    return kind


def unregister(name: str) -> None:
    """Remove a kind (tests that registered a toy one)."""
    KINDS.pop(name, None)


def with_role(role: str, steps: list) -> list:
    """The steps, each marked with `role` (one of ROLES); returns the same list."""
    assert role in ROLES, role
    for s in steps:
        s.role = role
    return steps
