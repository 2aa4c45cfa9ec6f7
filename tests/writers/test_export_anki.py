"""`quizgen export --format anki`: the .apkg opened as Anki opens it (a zip holding an SQLite
collection): notes, fields, tags, decks, and GUIDs that make a re-import update, not duplicate."""

from __future__ import annotations

import io
import json
import sqlite3
import zipfile

import pytest

from export_cases import FAMILIES, VARIANTS, copy_bank, edit_one_family, export, families, records, views
from quizgen.cli import main

pytest.importorskip("genanki")


def collection(apkg: bytes, tmp_path) -> sqlite3.Connection:
    z = zipfile.ZipFile(io.BytesIO(apkg))
    assert z.namelist() == ["collection.anki2", "media"] and z.read("media") == b"{}"
    path = tmp_path / f"collection-{len(list(tmp_path.iterdir()))}.anki2"
    path.write_bytes(z.read("collection.anki2"))
    return sqlite3.connect(path)


def notes(db: sqlite3.Connection) -> dict[str, tuple[list[str], list[str], str]]:
    """guid -> (fields, tags, note type name)."""
    models = {int(k): v["name"] for k, v in json.loads(db.execute("SELECT models FROM col").fetchone()[0]).items()}
    return {guid: (flds.split("\x1f"), tags.split(), models[mid])
            for guid, flds, tags, mid in db.execute("SELECT guid, flds, tags, mid FROM notes")}


@pytest.fixture(scope="module")
def apkg():
    return export("anki")


def test_one_problem_note_per_question_with_its_id_as_guid(apkg, tmp_path):
    found = notes(collection(apkg, tmp_path))
    problems = {g: n for g, n in found.items() if n[2] == "quizgen problem"}
    assert sorted(problems) == sorted(q.id for q in records())
    assert len(problems) == len(FAMILIES) * VARIANTS
    for guid, (fields, tags, _) in problems.items():
        q, v = views()[guid]
        assert fields[0] == q.id and len(fields) == 5
        assert {"quizgen", f"topic::{q.topic}", f"family::{q.family}", f"difficulty::{q.difficulty}"} <= set(tags)
        assert set(q.tags) <= set(tags)
        assert "\\(" in fields[1] and "$" not in fields[1]  # Anki's MathJax delimiters, not the bank's
        for d in v.distractors:  # the back names every catalogued mistake
            assert d.name.rstrip(".") in fields[4]


def test_a_numeric_note_shows_prompt_and_data_in_front_and_answer_solution_behind(apkg, tmp_path):
    fields = notes(collection(apkg, tmp_path))["logistic-db--s0-v0"][0]
    q, v = views()["logistic-db--s0-v0"]
    assert "Given" in fields[1] and r"A^{[1]} \approx" in fields[1]
    assert f"\\({v.answer.latex}\\)" in fields[2] == "<p>Answer: \\(0.505\\) (3 significant figures)</p>"  # as the key prints it
    assert fields[3].count("<li>") == len(v.steps)


def test_a_choice_note_lists_the_options_and_names_the_right_one(apkg, tmp_path):
    fields = notes(collection(apkg, tmp_path))["formula-dw1-choice--s0-v0"][0]
    q, v = views()["formula-dw1-choice--s0-v0"]
    assert fields[1].count("<li><strong>") == len(q.choices)
    assert f"<strong>{q.answer.value}</strong>" in fields[2]


def test_one_subdeck_per_topic_plus_formula_and_mistake_cards(apkg, tmp_path):
    db = collection(apkg, tmp_path)
    decks = {d["name"] for d in json.loads(db.execute("SELECT decks FROM col").fetchone()[0]).values()}
    topics = {q.topic for q in records()}
    assert len([d for d in decks if d.startswith("quizgen::")]) == len(topics) + 2
    assert {"quizgen::Formulas", "quizgen::Mistakes", "quizgen::Gradients", "quizgen::Shapes"} <= decks
    cards = {g: n for g, n in notes(db).items() if n[2] == "quizgen card"}
    assert any(g.startswith("quizgen-formula-") for g in cards)
    mistakes = {d.mistake for q, v in views().values() for d in v.distractors}
    assert {f"quizgen-mistake-{m}" for m in mistakes} <= set(cards)
    # every card is in the deck of its topic: no note in Anki's Default deck
    assert db.execute("SELECT count(*) FROM cards WHERE did = 1").fetchone()[0] == 0


def test_byte_identical_across_runs_and_jobs(apkg):
    """Regression: genanki stamps notes with time.time() and zips with the file's mtime."""
    assert export("anki") == apkg
    assert export("anki", jobs=2) == apkg


def test_guids_survive_an_edit_and_the_content_follows_it(tmp_path):
    """Re-importing an updated deck must update notes (same GUID, new fields), not add copies."""
    bank = copy_bank(tmp_path)
    before = notes(collection(export("anki", bank=str(bank)), tmp_path))
    edit_one_family(bank)
    try:
        after = notes(collection(export("anki", bank=str(bank)), tmp_path))
    finally:
        families.cache_clear()
    assert sorted(before) == sorted(after)  # the same notes: an update, not copies
    for guid in before:
        edited = guid.startswith("logistic-db--")
        assert (before[guid][0] != after[guid][0]) == edited, guid  # new numbers only where edited
        assert ("edited" in after[guid][1]) == edited


def test_source_date_epoch_sets_every_modification_time(monkeypatch, tmp_path):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    db = collection(export("anki"), tmp_path)
    assert {m for (m,) in db.execute("SELECT DISTINCT mod FROM cards")} == {1800000000}
    # a note is dated up to a day before it, by its content (anki.note_time; issue 18 follow-up)
    assert all(1800000000 - 86400 < m <= 1800000000 for (m,) in db.execute("SELECT mod FROM notes"))


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_export_command_writes_an_apkg_and_will_not_print_one_to_a_terminal(tmp_path, capsys, monkeypatch):
    out = tmp_path / "deck.apkg"
    assert main(["export", "--format", "anki", "--family", "logistic-db", "--out", str(out)]) == 0
    assert zipfile.is_zipfile(out)
    monkeypatch.setattr("sys.stdout", _Terminal())
    assert main(["export", "--format", "anki", "--family", "logistic-db"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--out" in err
