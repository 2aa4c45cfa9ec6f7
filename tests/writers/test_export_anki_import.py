"""Our .apkg imported by Anki itself (the `anki` package: the desktop app's own importer, the
Rust code in rslib apkg/import/notes.rs): a fresh collection gets every note once, and an
updated export (one family edited, the same GUIDs) UPDATES notes instead of adding copies.

What Anki compares on re-import is the note's modification time only: "if newer" (the default)
replaces a matched note when the incoming time is later, "Always" when it differs. The writer
dates each note by a hash of its content (anki.note_time), so "Always" updates exactly the
changed notes; "if newer" updates a changed note only when its new time happens to be later,
unless SOURCE_DATE_EPOCH moves the export at least a day on (docs/formats.md)."""

from __future__ import annotations

import io
import sqlite3
import zipfile

import pytest

from export_cases import copy_bank, edit_one_family, export, families

pytest.importorskip("genanki")
anki_collection = pytest.importorskip(
    "anki.collection", reason="the `anki` package (pip install anki: Anki's own importer) is not installed")
from anki.import_export_pb2 import ImportAnkiPackageUpdateCondition as Update  # noqa: E402

EDITED = "logistic-db--"


def stored(apkg: bytes) -> dict[str, tuple[str, int]]:
    """guid -> (fields, modification time) of the notes in an .apkg."""
    db = sqlite3.connect(":memory:")
    db.deserialize(zipfile.ZipFile(io.BytesIO(apkg)).read("collection.anki2"))
    return {g: (f, m) for g, f, m in db.execute("SELECT guid, flds, mod FROM notes")}


def in_anki(col) -> dict[str, tuple[str, int]]:
    return {g: (f, m) for g, f, m in col.db.all("SELECT guid, flds, mod FROM notes")}


def load(col, apkg: bytes, tmp_path, name: str, update=None):
    """Import as Anki's import dialog does (scheduling not imported); the import's log."""
    path = tmp_path / name
    path.write_bytes(apkg)
    options = anki_collection.ImportAnkiPackageOptions(with_scheduling=False)
    if update is not None:
        options.update_notes = update
    return col.import_anki_package(anki_collection.ImportAnkiPackageRequest(package_path=str(path), options=options)).log


@pytest.fixture()
def exports(tmp_path, monkeypatch):
    """The deck before and after an edit of one family (new numbers, a new tag)."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    bank = copy_bank(tmp_path)
    before = export("anki", bank=str(bank))
    edit_one_family(bank)
    try:
        after = export("anki", bank=str(bank))
        monkeypatch.setenv("SOURCE_DATE_EPOCH", str(1735689600 + 2 * 86400))
        later = export("anki", bank=str(bank))
    finally:
        families.cache_clear()
    return before, after, later


@pytest.fixture()
def col(tmp_path):
    c = anki_collection.Collection(str(tmp_path / "collection.anki2"))
    yield c
    c.close()


def test_anki_imports_every_note_once(exports, col, tmp_path):
    before = stored(exports[0])
    log = load(col, exports[0], tmp_path, "before.apkg")
    assert len(log.new) == len(before) and col.note_count() == len(before)
    assert in_anki(col) == before  # fields and modification times as exported


def test_always_updates_exactly_the_changed_notes_and_never_duplicates(exports, col, tmp_path):
    """Regression: with one fixed time for every note, "Always" (times differ) updated nothing."""
    before, after = stored(exports[0]), stored(exports[1])
    changed = {g for g in after if after[g][0] != before[g][0]}
    assert changed and all(g.startswith(EDITED) for g in changed)
    assert all(after[g][1] != before[g][1] for g in changed)  # a new content, a new time
    load(col, exports[0], tmp_path, "before.apkg")
    log = load(col, exports[1], tmp_path, "after.apkg", Update.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_ALWAYS)
    assert col.note_count() == len(before) and not log.new and not log.conflicting
    assert len(log.updated) == len(changed)  # the unchanged notes are left alone
    assert in_anki(col) == after
    again = load(col, exports[1], tmp_path, "after.apkg", Update.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_ALWAYS)
    assert not again.updated and not again.new


def test_the_default_import_updates_a_changed_note_when_its_new_time_is_later(exports, col, tmp_path):
    """What Anki's default "if newer" does with a same-date export: no copies; a changed note is
    replaced only when its content-derived time is later (the documented limitation)."""
    before, after = stored(exports[0]), stored(exports[1])
    load(col, exports[0], tmp_path, "before.apkg")
    log = load(col, exports[1], tmp_path, "after.apkg")
    assert col.note_count() == len(before) and not log.new and not log.conflicting
    now = in_anki(col)
    for guid, (fields, time) in after.items():
        newer = time > before[guid][1]
        assert now[guid] == (after[guid] if newer else before[guid]), guid
    assert len(log.updated) == sum(after[g][1] > before[g][1] for g in after)


def test_a_later_source_date_epoch_makes_the_default_import_update_every_note(exports, col, tmp_path):
    before, later = stored(exports[0]), stored(exports[2])
    assert min(m for _, m in later.values()) > max(m for _, m in before.values())
    load(col, exports[0], tmp_path, "before.apkg")
    log = load(col, exports[2], tmp_path, "later.apkg")
    assert col.note_count() == len(before) and not log.new and len(log.updated) == len(before)
    assert in_anki(col) == later


def test_the_csv_export_updates_changed_notes_under_ankis_default_csv_import(tmp_path, col):
    """The CSV route (`#guid column:4`): Anki's CSV import matches by GUID and, by default
    (Existing notes: Update), replaces a note whose fields differ, whatever the times."""
    first = export("csv")
    path_a, path_b = tmp_path / "a.csv", tmp_path / "b.csv"
    path_a.write_text(first, encoding="utf-8", newline="")
    # one note's back changed (the first record's worked-solution heading), the rest as they were
    edited = first.replace("Worked solution", "Worked solution, edited", 1)
    assert edited != first
    path_b.write_text(edited, encoding="utf-8", newline="")
    logs = []
    for path in (path_a, path_b, path_b):
        metadata = col.get_csv_metadata(path=str(path), delimiter=None)
        assert (metadata.guid_column, metadata.tags_column, metadata.is_html) == (4, 3, True)
        logs.append(col.import_csv(anki_collection.ImportCsvRequest(path=str(path), metadata=metadata)).log)
    added = len(logs[0].new)
    assert added > 0 and col.note_count() == added
    assert (len(logs[1].new), len(logs[1].updated)) == (0, 1)  # the edited note, no copies
    assert (len(logs[2].new), len(logs[2].updated)) == (0, 0)  # nothing changed: nothing touched
