"""Generate many questions: every family × N variants, in a stable order."""

from __future__ import annotations

from pathlib import Path

from quizgen.bank.generate import variant
from quizgen.bank.load import load_bank
from quizgen.bank.question import SCHEMA, Question
from quizgen.bank.spec import Family


def generate(families: list[Family], variants: int, bank_seed: int = 0, progress=None) -> list[Question]:
    """Questions in family-id order, then index order; `progress(n)` is told after each one."""
    out = []
    for family in families:
        for index in range(variants):
            out.append(variant(family, index, bank_seed))
            if progress:
                progress(1)
    return out


def export_document(questions: list[Question]) -> dict:
    return {"schema": SCHEMA, "questions": [q.to_dict() for q in questions]}


def bank_questions(bank: str | Path | None, variants: int, bank_seed: int) -> list[Question]:
    return generate(load_bank(bank), variants, bank_seed)
