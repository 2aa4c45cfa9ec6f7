"""What every export format shares: one identity per question, bank text that is data in every
format (no markup from it, no format syntax from it), and the export command's choices."""

from __future__ import annotations

import io
import json
import shutil
import sqlite3
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

from export_cases import ROOT, export, records
from quizgen.bank.load import load_bank
from quizgen.cli import main
from quizgen.publish import document
from quizgen import writers

FORMATS = ("json", "anki", "moodle", "qti", "gift", "csv")
QTI = "{http://www.imsglobal.org/xsd/ims_qtiasiv1p2}"
HOSTILE = ('<script>alert(1)</script> <img src=x onerror=alert(1)> ~ = # { } : {1:NUMERICAL:=1:0} ]]> '
           r'\\(\\href{javascript:alert(1)}{x}\\) [latex]\\input{/etc/passwd}[/latex] [link](javascript:alert(1)) '
           '$W^{[1]}$ end')


def ids(name: str, data) -> list[str]:
    """The question ids a document holds, read the way its importer reads them."""
    if name == "json":
        return [q["id"] for q in json.loads(data)["questions"]]
    if name == "anki":
        db = _anki(data)
        return [g for (g,) in db.execute("SELECT guid FROM notes") if "--s" in g]
    if name == "moodle":
        return [q.findtext("idnumber") for q in ET.fromstring(data) if q.get("type") != "category"]
    if name == "qti":
        return [i.get("ident") for i in ET.fromstring(_qti(data)).iter(f"{QTI}item")]
    if name == "gift":
        return [line[2:].split("::")[0] for line in data.split("\n") if line.startswith("::")]
    return [line.rsplit(",", 1)[1] for line in data.split("\r\n") if line and not line.startswith("#")
            and line.rsplit(",", 1)[1].count("--s")]


def _anki(data: bytes) -> sqlite3.Connection:
    db = sqlite3.connect(":memory:")
    db.deserialize(zipfile.ZipFile(io.BytesIO(data)).read("collection.anki2"))
    return db


def _qti(data: bytes) -> str:
    z = zipfile.ZipFile(io.BytesIO(data))
    return z.read(next(n for n in z.namelist() if n != "imsmanifest.xml")).decode("utf-8")


@pytest.mark.parametrize("name", FORMATS)
def test_every_format_knows_a_question_by_its_record_id(name):
    """One identity per question across every format (and the site's page name and the roster)."""
    assert sorted(ids(name, export(name))) == sorted(q.id for q in records())


@pytest.mark.parametrize("name", FORMATS)
def test_every_format_is_the_same_bytes_on_every_run_and_for_any_jobs(name):
    first = export(name)
    assert export(name) == first and export(name, jobs=2) == first


@pytest.fixture(scope="module")
def hostile_bank(tmp_path_factory) -> Path:
    bank = tmp_path_factory.mktemp("hostile")
    for family in ("gradients/logistic-dw.toml", "concepts/formula-dw1.toml", "forward/relu-layer.toml"):
        src = ROOT / "tests" / "fixtures" / "bank_minimal" / family
        text = src.read_text(encoding="utf-8")
        text = text.replace('title = "', 'title = "<b>bold</b> ~=#{}: ', 1).replace('tags = [', 'tags = ["two words", ', 1)
        text = text.replace("kind = ", f'prompt = """{HOSTILE}"""\nkind = ', 1)
        (bank / Path(family).parent.name).mkdir(exist_ok=True)
        (bank / family).write_text(text, encoding="utf-8")
    return bank


def payloads(name: str, data) -> list[str]:
    """Every piece of HTML an importer would show, as it would read it (names and tags are text)."""
    if name == "anki":
        return [f for (flds,) in _anki(data).execute("SELECT flds FROM notes") for f in flds.split("\x1f")]
    if name == "moodle":
        return [el.findtext("text") or "" for el in ET.fromstring(data).iter() if el.get("format") == "html"]
    if name == "qti":
        return [el.text or "" for el in ET.fromstring(_qti(data)).iter(f"{QTI}mattext")]
    if name == "gift":
        from test_export_gift import parse
        return [q["text"] + q["general"] for q in parse(data)]
    return [cell for row in data.split("\r\n") for cell in [row]]


@pytest.mark.parametrize("name", ["anki", "moodle", "qti", "gift", "csv"])
def test_bank_text_is_data_in_every_format(name, hostile_bank):
    families = load_bank(hostile_bank)
    data = document(writers.get(name), families, 1, 0, jobs=1)
    shown = "\n".join(payloads(name, data))
    assert "&lt;script&gt;" in shown and "<script" not in shown.lower() and "<img" not in shown.lower()
    assert 'href="javascript' not in shown.lower() and "<b>" not in shown
    assert "[latex]" not in shown.lower() and "\\(\\href" not in shown  # no LaTeX for Anki, no MathJax outside $…$
    if name == "moodle":  # a cloze question holds only the writer's own embedded answers
        clozes = [q for q in ET.fromstring(data) if q.get("type") == "cloze"]
        assert clozes and all("{1:NUMERICAL:=1:0}" not in q.findtext("questiontext/text") for q in clozes)
    if name == "gift":
        from test_export_gift import parse
        assert len(parse(data)) == 3  # no bank character ended a question or opened an answer


@pytest.mark.parametrize("name", FORMATS)
def test_export_command_writes_each_format_to_out(name, tmp_path):
    out = tmp_path / f"bank.{name}"
    assert main(["export", "--format", name, "--family", "logistic-db", "--out", str(out)]) == 0
    assert out.stat().st_size > 0


def test_tag_and_topic_choose_families(tmp_path):
    out = tmp_path / "x.json"
    assert main(["export", "--tag", "sigmoid", "--topic", "gradients", "--out", str(out)]) == 0
    chosen = json.loads(out.read_text(encoding="utf-8"))["questions"]
    assert chosen and all("sigmoid" in q["tags"] and q["topic"] == "gradients" for q in chosen)
    assert main(["export", "--topic", "shapes", "--topic", "losses", "--out", str(out)]) == 0
    assert {q["topic"] for q in json.loads(out.read_text(encoding="utf-8"))["questions"]} == {"shapes", "losses"}


def test_choosing_nothing_is_one_line(capsys, tmp_path):
    assert main(["export", "--tag", "no-such-tag", "--out", str(tmp_path / "x.json")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--tag" in err and not (tmp_path / "x.json").exists()
