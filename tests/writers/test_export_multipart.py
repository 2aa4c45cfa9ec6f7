"""Multi-part questions (issue 17) in every export format (issue 18), over both shipped multipart
families: every entry of every part is there with the record's value and tolerance, each part
keeps its label and its share of the points, and the key lists every part's answer.

Regression: the writers predated parts, so a multi-part question became a Moodle cloze with ONE
field (part (a)'s first entry), one QTI blank, and a key naming part (a) only."""

from __future__ import annotations

import csv
import io
import re
import sqlite3
import xml.etree.ElementTree as ET
import zipfile
from fractions import Fraction
from functools import lru_cache

import pytest

from export_cases import BANK
from quizgen import writers
from quizgen.bank.generate import variant
from quizgen.bank.load import load_bank
from quizgen.present import view as present
from quizgen.publish import document
from quizgen.render.numbers import fmt
from quizgen.writers import gift, lms
from test_export_gift import parse as parse_gift
from test_export_qti import NS, check, meta

MULTIPART = ("exam-relu-softmax-parts", "sigmoid-delta-chain")
VARIANTS = 3
FIELD = re.compile(r"\{(\d+):NUMERICAL:=([-0-9.]+):([0-9.]+)\}")


@lru_cache(maxsize=None)
def families() -> tuple:
    found = tuple(f for f in load_bank(str(BANK)) if f.id in MULTIPART)
    assert sorted(f.id for f in found) == sorted(MULTIPART)
    return found


@lru_cache(maxsize=None)
def records() -> dict:
    return {q.id: (q, present.view(q)) for f in families() for q in (variant(f, i, 0) for i in range(VARIANTS))}


@lru_cache(maxsize=None)
def export(name: str, **options):
    return document(writers.get(name), list(families()), VARIANTS, 0, jobs=1, options=options)


def flat(value) -> list:
    if not isinstance(value, list):
        return [value]
    return [x for row in value for x in (row if isinstance(row, list) else [row])]


def entries(part) -> list[tuple[float, float]]:
    """A part's (value, tolerance) per entry, row by row, from the RECORD (not the view)."""
    return list(zip(flat(part.answer.value), flat(part.answer.tol)))


def test_the_records_are_multi_part():
    for q, v in records().values():
        assert len(q.parts) >= 4 and len(v.parts) == len(q.parts)
        assert [p.label for p in v.parts] == [p.label for p in q.parts]


def test_moodle_one_cloze_with_a_field_per_entry_of_every_part_weighted_by_its_points():
    quiz = ET.fromstring(export("moodle"))
    found = [el for el in quiz if el.get("type") != "category"]
    assert sorted(el.findtext("idnumber") for el in found) == sorted(records())
    for el in found:
        q, v = records()[el.findtext("idnumber")]
        assert el.get("type") == "cloze"
        total = sum(p.points for p in q.parts)
        assert float(el.findtext("defaultgrade")) == total
        text = el.findtext("questiontext/text")
        fields = FIELD.findall(text)
        assert len(fields) == sum(len(entries(p)) for p in q.parts)
        weights = {}
        at = 0
        for p in q.parts:
            assert f"<strong>{p.label}</strong>" in text
            mine = fields[at:at + len(entries(p))]
            at += len(mine)
            for (weight, value, tol), (want, want_tol) in zip(mine, entries(p)):
                assert float(value) == want and float(tol) == want_tol
                weights.setdefault(p.name, set()).add(int(weight))
            assert len(weights[p.name]) == 1  # a part's entries weigh the same
        # each part's share of the mark is its share of the points
        share = {p.name: weights[p.name].pop() * len(entries(p)) for p in q.parts}
        for p in q.parts:
            assert Fraction(share[p.name], sum(share.values())) == Fraction(p.points) / Fraction(total)
        # the labels come in order, each before its own fields
        starts = [text.index(f"<strong>{p.label}</strong>", text.index("</ul>")) for p in q.parts]
        assert starts == sorted(starts)
        feedback = el.findtext("generalfeedback/text")
        assert all(lms.inline_math(p.answer.latex) in feedback for p in v.parts)
        assert all(lms.escape(d.name.rstrip(".")) in feedback for p in v.parts for d in p.distractors if d.name)


def test_qti_a_blank_per_entry_of_every_part_accepting_values_within_tolerance():
    package = zipfile.ZipFile(io.BytesIO(export("qti")))
    href = next(n for n in package.namelist() if n != "imsmanifest.xml")
    root = ET.fromstring(package.read(href))
    problems: list[str] = []
    check(root, problems)
    assert problems == []
    items = root.findall(f".//{NS}item")
    assert sorted(i.get("ident") for i in items) == sorted(records())
    for section in root.findall(f".//{NS}section"):
        if section.get("ident", "").startswith("group-"):
            family = section.get("ident").removeprefix("group-")
            q = next(q for q, _ in records().values() if q.family == family)
            assert float(section.findtext(f".//{NS}points_per_item")) == sum(p.points for p in q.parts)
    for item in items:
        q, v = records()[item.get("ident")]
        assert meta(item, "question_type") == "fill_in_multiple_blanks_question"
        total = sum(p.points for p in q.parts)
        assert float(meta(item, "points_possible")) == total
        text = item.find(f"{NS}presentation/{NS}material/{NS}mattext").text
        scores = {c.find(f".//{NS}varequal").get("respident"): float(c.findtext(f"{NS}setvar"))
                  for c in item.iter(f"{NS}respcondition") if c.find(f"{NS}setvar") is not None}
        lids = {lid.get("ident"): lid for lid in item.iter(f"{NS}response_lid")}
        assert len(lids) == sum(len(entries(p)) for p in q.parts)
        for p, pv in zip(q.parts, v.parts):
            assert f"<strong>{p.label}</strong>" in text
            names = [n for n in lids if n.startswith(f"response_{p.name}_e")]
            assert len(names) == len(entries(p))
            for name, (value, tol), shown in zip(names, entries(p), lms.displayed(pv.answer)):
                assert f"[{name.removeprefix('response_')}]" in text
                accepted = [m.text for m in lids[name].iter(f"{NS}mattext") if m.text != name.removeprefix("response_")]
                assert shown in accepted and fmt(value) in accepted
                assert all(abs(float(a) - value) <= tol + 1e-12 for a in accepted), (name, accepted, value, tol)
            part_score = sum(scores[n] for n in names)
            assert part_score == pytest.approx(100 * p.points / total, abs=1e-3)
        assert sum(scores.values()) == pytest.approx(100, abs=1e-3)


def test_gift_an_essay_whose_feedback_has_every_parts_answer():
    found = parse_gift(export("gift"))
    assert sorted(f["name"] for f in found) == sorted(records())
    for f in found:
        q, v = records()[f["name"]]
        assert not f["numeric"] and f["answers"] == []  # an essay: `{ ####…}`
        for p in v.parts:
            assert lms.part_head(p) + ": " + lms.inline_math(p.answer.latex) in f["general"]
            assert p.answer.precision["text"] in f["general"]


def test_gift_escapes_the_parts_key():
    text = export("gift")
    for q, v in records().values():
        line = next(line for line in text.split("\n") if line.startswith(f"::{gift.escape(q.id)}::"))
        assert gift.escape(lms.parts_answer_html(v)) in line


def test_anki_back_lists_every_parts_answer_and_its_mistakes():
    z = zipfile.ZipFile(io.BytesIO(export("anki")))
    db = sqlite3.connect(":memory:")
    db.deserialize(z.read("collection.anki2"))
    notes = {g: f.split("\x1f") for g, f in db.execute("SELECT guid, flds FROM notes")}
    for qid, (q, v) in records().items():
        _, _, answer, _, mistakes = notes[qid]
        for p, pv in zip(q.parts, v.parts):
            assert f"<strong>{p.label}</strong>" in answer and lms.inline_math(p.answer.latex) in answer
            assert all(lms.inline_math(lms.value_tex(d.value)) in mistakes for d in pv.distractors)


def test_csv_back_lists_every_parts_answer_in_both_styles():
    for style in ("anki", "plain"):
        body = [line for line in export("csv", csv_style=style).split("\r\n") if not line.startswith("#")]
        rows = {r[3]: r for r in csv.reader(io.StringIO("\r\n".join(body), newline=""))}
        assert sorted(rows) == sorted(records())
        for qid, (q, v) in records().items():
            back = rows[qid][1]
            for p in q.parts:
                assert p.label in back
                assert (lms.inline_math(p.answer.latex) if style == "anki" else p.answer.display) in back


def test_byte_identical_across_runs():
    for name in ("moodle", "qti", "gift", "csv", "anki"):
        assert document(writers.get(name), list(families()), VARIANTS, 0, jobs=2, options={}) == export(name)
