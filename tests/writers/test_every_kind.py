"""Every shipped kind through every writer: the printed exam, its key, every export format and the
grader, one family of each kind from the shipped bank.

Guards issue 20's promise that a new kind needs no writer change: a kind whose record a writer
cannot carry (an answer box, a key line, a Moodle or QTI answer, a GIFT escape, an Anki note, a
graded response) fails here, named by its kind, before a teacher meets it.
"""

from __future__ import annotations

import csv
import html
import io
import json
import os
import re
import sqlite3
import sys
import xml.etree.ElementTree as ET
import zipfile
from collections import Counter
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest

from quizgen import writers
from quizgen.bank.generate import variant
from quizgen.bank.kinds import KINDS
from quizgen.bank.load import load_bank
from quizgen.cli import main

ROOT = Path(__file__).resolve().parents[2]
BANK = ROOT / "question_bank"
VARIANTS = 2
QTI = "{http://www.imsglobal.org/xsd/ims_qtiasiv1p2}"
sys.path.insert(0, str(ROOT / "tests" / "grade"))
from synthetic import make_class, to_csv, typed  # noqa: E402


@lru_cache(maxsize=None)
def first_family() -> dict:
    """kind -> the first shipped family of that kind (by id)."""
    out: dict = {}
    for f in sorted(load_bank(str(BANK)), key=lambda f: f.id):
        out.setdefault(f.kind, f)
    return out


def family_of(kind: str):
    family = first_family().get(kind)
    assert family is not None, f"kind {kind} has no family in the shipped bank: nothing can test its writers"
    return family


def run(capsys, *args) -> str:
    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return captured.out


def exam(tmp_path: Path, capsys, family, lang: str = "en", roster: Path | None = None) -> Path:
    """`quizgen exam` of one section holding `family`, two versions; the output folder."""
    spec = tmp_path / "kind.toml"
    spec.write_text(f'title = "Every kind"\nseed = 7\nbank = {json.dumps(str(BANK))}\nformula_sheet = true\n'
                    f'[[sections]]\ntitle = "One kind"\nfamilies = ["{family.id}"]\npoints = 6\n', encoding="utf-8")
    out = tmp_path / "exam"
    run(capsys, "exam", spec, "--versions", 2, "--out", out, "--lang", lang,
        *(["--roster", roster] if roster else []))
    return out


class _Strict(HTMLParser):
    """Collects start tags and the text; an unclosed element or a stray `{{` shows in the text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.classes: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.classes += (dict(attrs).get("class") or "").split()

    def handle_data(self, data):
        self.text.append(data)


def parsed(path: Path) -> _Strict:
    p = _Strict()
    p.feed(path.read_text(encoding="utf-8"))
    p.close()
    return p


def entries(value) -> int:
    return int(np.size(np.asarray(value, dtype=float)))


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_kind_prints_an_exam_and_a_key(kind, lang, tmp_path, capsys):
    from quizgen.grade.exam import load
    from quizgen.present import view as present

    out = exam(tmp_path, capsys, family_of(kind), lang)
    key = load(out)
    for version in ("A", "B"):
        q = key.versions[version][1].question
        page, answers = parsed(out / f"exam-{version}.html"), parsed(out / f"key-{version}.html")
        text = "".join(page.text) + "".join(answers.text)
        assert "{{" not in text and "{%" not in text and "kinds." not in text, "an unworded template or message key"
        v = present.view(q, lang)
        if v.box["kind"] == "choice":
            assert page.classes.count("bubble") == len(q.choices), "a bubble per choice"
        elif v.box["kind"] == "parts":
            assert page.classes.count("part-answer") == len(q.parts), "an answer box per part"
        else:
            assert page.classes.count("answer") == 1, "one answer box"
        if v.box["kind"] == "matrix":
            assert page.classes.count("cell") == v.box["rows"] * v.box["cols"] == entries(q.answer.value)
        assert answers.classes.count("why") >= len(v.steps) > 0, "every worked step on the key"
        keytext = html.unescape("".join(answers.text))
        for d in v.distractors:
            assert d.name.rstrip(".") in keytext, f"the key names the catalogued mistake {d.mistake}"


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_is_graded_right_wrong_and_blank(kind, tmp_path, capsys):
    from quizgen.grade.exam import load
    from quizgen.grade.responses import read
    from quizgen.grade.score import score
    from quizgen.grade.stats import summarise

    students = tmp_path / "students.csv"
    students.write_text("id,name\n" + "".join(f"s{i:03d},Student {i}\n" for i in range(1, 7)), encoding="utf-8")
    out = exam(tmp_path, capsys, family_of(kind), roster=students)
    key = load(out)
    rows, expected, injected = make_class(key)
    rows = [r[:4] + [""] if r[0] == "s003" else r for r in rows]  # s003 (planned right) hands in blanks
    expected["s003"] = {column: 0.0 for column in expected["s003"]}
    responses = tmp_path / "responses.csv"
    responses.write_text(to_csv(rows), encoding="utf-8")
    report = tmp_path / "report"
    run(capsys, "grade", responses, "--exam", out, "--out", report)
    with open(report / "scores.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            got = {k: float(v) for k, v in row.items() if re.fullmatch(r"Q\d+[a-z]?", k)}
            assert got == expected[row["student_id"]], row["student_id"]
    summary = summarise(score(key, read(str(responses))), key.total)
    recovered = {i.column.label: {m: c for m, c, *_ in i.mistakes} for i in summary.items if i.mistakes}
    short = _short(key, rows)
    named = {column: {m: c - short[(column, m)] for m, c in counts.items() if c > short[(column, m)]}
             for column, counts in injected.items()}
    assert recovered == {column: counts for column, counts in named.items() if counts}
    page = html.unescape((report / "report.html").read_text(encoding="utf-8"))
    for counts in named.values():
        assert all(f"<code>{m}</code>" in page for m in counts), "the report names each mistake"


def _short(key, rows) -> Counter:
    """(column, mistake) -> how many typed catalogued wrong values are only the right answer rounded
    to fewer digits than asked: the grader then says "give N significant figures" (grading.grade's
    documented order), not the mistake's name, so the class report does not count them."""
    from quizgen.grading import grade

    out: Counter = Counter()
    for student, version, number, part, text in rows:
        asked = key.versions[version][int(number)]
        q = asked.question
        one = next((p for p in q.parts if p.name == part), q) if part else q
        if q.choices or not text:
            continue
        for d in one.distractors:
            if d.value is not None and typed(d.value) == text:
                verdict = grade(one.answer, one.distractors, text)
                if verdict["mistake"] is None and not verdict["correct"]:
                    out[(f"Q{asked.slot.key}{part}", d.mistake)] += 1
                break
    return out


def _moodle(doc: str, qs) -> None:
    root = ET.fromstring(doc)
    asked = [q for q in root.iter("question") if q.get("type") != "category"]
    assert len(asked) == len(qs)
    for mq, q in zip(asked, qs):
        a = q.to_dict()["answer"]
        if mq.get("type") == "numerical":
            right = [x for x in mq.iter("answer") if x.get("fraction") == "100"]
            assert len(right) == 1
            assert float(right[0].findtext("text")) == a["value"]
            assert float(right[0].findtext("tolerance")) == pytest.approx(a["tol"], rel=1e-12, abs=1e-15)
        elif mq.get("type") == "cloze":
            body = mq.find("questiontext").findtext("text")
            found = re.findall(r"\{\d+:NUMERICAL:=([^:}]+):([^}~#]+)", body)
            answers = [p.answer for p in q.parts] or [q.answer]
            if all(x.kind in ("number", "vector", "matrix") for x in answers):
                want = [v for x in answers for v in np.ravel(np.asarray(x.value, dtype=float))]
                assert [float(x) for x, _ in found] == pytest.approx(want, abs=1e-12)


def _qti(doc: bytes, qs) -> None:
    z = zipfile.ZipFile(io.BytesIO(doc))
    trees = {n: ET.fromstring(z.read(n)) for n in z.namelist() if n.endswith(".xml")}
    items = [i for t in trees.values() for i in t.iter(f"{QTI}item")]
    assert sorted(i.get("ident") for i in items) == sorted(q.id for q in qs)
    records = {q.id: q.to_dict()["answer"] for q in qs}
    for item in items:
        a = records[item.get("ident")]
        cond = item.find(f".//{QTI}respcondition[{QTI}setvar]/{QTI}conditionvar/{QTI}or")
        if a["kind"] == "number" and cond is not None:
            assert float(cond.findtext(f"{QTI}varequal")) == a["value"]
            assert float(cond.findtext(f"{QTI}and/{QTI}vargte")) == pytest.approx(a["value"] - a["tol"], abs=1e-12)
    if os.environ.get("QUIZGEN_QTI_DTD"):
        etree = pytest.importorskip("lxml.etree")
        name = next(n for n in trees if n != "imsmanifest.xml")
        text = re.sub(r' xmlns(:xsi)?="[^"]*"| xsi:schemaLocation="[^"]*"', "", z.read(name).decode("utf-8"), count=3)
        text = re.sub(r"<selection_extension>.*?</selection_extension>", "<selection_extension/>", text, flags=re.S)
        dtd = etree.DTD(os.environ["QUIZGEN_QTI_DTD"])
        assert dtd.validate(etree.fromstring(text.encode("utf-8"))), dtd.error_log.filter_from_errors()[:3]


def _gift(doc: str, qs) -> None:
    blocks = [b for b in doc.split("\n\n") if b.strip() and not b.lstrip().startswith(("$CATEGORY", "//"))]
    assert len(blocks) == len(qs)
    for block in blocks:
        bare = re.sub(r"\\[\\{}=~#:]", "", block.strip())  # GIFT's escapes gone, only its syntax is left
        m = re.fullmatch(r"::([^:{}]*)::([^{}]*)\{([^{}]*)\}", bare, re.S)
        assert m, f"one title, one text, one answer block: {block[:120]}"
        assert not re.search(r"[~=#:]", m.group(2)), "a GIFT control character left unescaped in the text"


def _anki(doc: bytes, qs, tmp_path: Path) -> None:
    with zipfile.ZipFile(io.BytesIO(doc)) as z:
        (tmp_path / "collection.anki2").write_bytes(z.read("collection.anki2"))
    db = sqlite3.connect(tmp_path / "collection.anki2")
    models = {int(k): v["name"] for k, v in json.loads(db.execute("select models from col").fetchone()[0]).items()}
    notes = [fields.split("\x1f")[0] for mid, fields in db.execute("select mid, flds from notes")
             if models[mid] == "quizgen problem"]
    assert sorted(notes) == sorted(q.id for q in qs), "one problem note per question"
    assert db.execute("pragma integrity_check").fetchone()[0] == "ok"
    db.close()


def _csv(doc: str, qs) -> None:
    rows = list(csv.reader(line for line in io.StringIO(doc) if not line.startswith("#")))
    assert len(rows) == len(qs) and all(r[0] and r[1] for r in rows)


def _json(doc: str, qs) -> None:
    assert [q["id"] for q in json.loads(doc)["questions"]] == [q.id for q in qs]


CHECKS = {"moodle": _moodle, "qti": _qti, "gift": _gift, "anki": _anki, "csv": _csv, "json": _json}
FILE_FORMATS = [n for n in writers.names() if writers.get(n).output == "file"]


def test_every_file_format_has_a_check_here():
    # Guards the list above: a new export format must say here what makes its output right.
    assert sorted(FILE_FORMATS) == sorted(CHECKS)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_kind_exports_to_every_format(kind, lang, tmp_path, capsys):
    family = family_of(kind)
    qs = [variant(family, i, 0) for i in range(VARIANTS)]
    for name in FILE_FORMATS:
        path = tmp_path / f"out.{name}"
        run(capsys, "export", "--format", name, "--family", family.id, "--variants", VARIANTS, "--jobs", 1,
            "--lang", lang, "--out", path)
        doc = path.read_bytes() if getattr(writers.get(name), "binary", False) else path.read_text(encoding="utf-8")
        if name == "anki":
            _anki(doc, qs, tmp_path)
        else:
            CHECKS[name](doc, qs)
