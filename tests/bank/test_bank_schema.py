"""docs/schema.md pins record schema 2: every field of every part, in order, each documented in
its section; every step role and rubric documented. Adding or renaming a field fails here until
the document (and, for a rename, the schema name) says so."""

from __future__ import annotations

import re

import pytest
from bankcheck import ROOT, families, questions

from quizgen.bank.kinds import KINDS
from quizgen.bank.kinds.base import ROLES, RUBRICS
from quizgen.bank.question import SCHEMA

DOC = (ROOT / "docs" / "schema.md").read_text(encoding="utf-8")
FIELDS = {
    "question": ["id", "family", "seed", "index", "bank_seed", "kind", "title", "topic", "tags", "difficulty",
                 "source", "notation", "prompt", "given", "problem", "target", "answer", "choices", "distractors",
                 "steps", "hints", "summary", "layout"],
    "given": ["name", "latex", "value", "approx"],
    "answer": ["kind", "value", "display", "latex", "rtol", "atol", "shape", "precision", "tol", "labels"],
    "choices": ["label", "text", "correct", "mistake", "rationale"],
    "distractors": ["value", "mistake", "name", "explanation", "also", "tol", "credit"],
    "steps": ["title", "symbolic", "substituted", "parts", "result", "result_display", "shape", "explanation", "role"],
    "layout": ["answer_box", "space_cm", "rubric", "ordered_choices", "flashcard"],
    "parts": ["name", "label", "target", "asked", "asked_text", "points", "answer", "distractors", "carry"],
}


def section(name: str) -> str:
    """The text of `### `name`` up to the next heading of the same or a higher level."""
    if name == "question":
        return DOC[DOC.index("## A question record"):DOC.index("### `given`")]
    start = DOC.index(f"### `{name}`")
    end = re.compile(r"^##+ ", re.M).search(DOC, start + 4)
    return DOC[start:end.start() if end else len(DOC)]


def one_per_kind():
    seen = {}
    for f in families():
        seen.setdefault(f.kind, f.id)
    return [questions(fid)[0].to_dict() for _, fid in sorted(seen.items())]


def test_the_document_names_the_schema():
    assert SCHEMA == "quizgen.questions/2"
    assert DOC.startswith(f"# Export schema `{SCHEMA}`") and f'{{"schema": "{SCHEMA}"' in DOC


def test_every_kind_writes_exactly_the_pinned_fields_in_order():
    records = one_per_kind()
    assert {r["kind"] for r in records} == set(KINDS)
    for r in records:
        assert list(r) == FIELDS["question"] + (["parts"] if r["kind"] == "multipart" else []), r["kind"]
        for part in r.get("parts", []):  # issue 17: only a multi-part record has parts
            assert list(part) == FIELDS["parts"] and list(part["answer"]) == FIELDS["answer"]
        assert list(r["answer"]) == FIELDS["answer"] and list(r["layout"]) == FIELDS["layout"]
        for part in ("given", "choices", "distractors", "steps"):
            assert all(list(item) == FIELDS[part] for item in r[part]), (r["kind"], part)


@pytest.mark.parametrize("part", sorted(FIELDS))
def test_every_field_is_documented_in_its_section(part):
    text = section(part)
    signature = re.search(r"`\[\{([a-z_, ]+)\}\]`", text)  # `[{a, b, c}]`: the fields in record order
    if signature:
        assert signature.group(1).split(", ") == FIELDS[part]
    missing = [name for name in FIELDS[part] if f"`{name}`" not in text and not signature]
    assert not missing, f"docs/schema.md, section {part}: {missing}"


def test_every_step_role_and_rubric_is_documented():
    rows = set(re.findall(r"^\| `([a-z_]+)` \|", section("steps"), re.M))
    assert set(ROLES) <= rows
    assert all(f'`"{name}"`' in section("layout") for name in RUBRICS)
    used = {s["role"] for fid in {f.id for f in families()} for q in questions(fid) for s in q.to_dict()["steps"]}
    assert used <= set(ROLES) - {"rationale"}  # rationale rows are a writer's, never a record's
