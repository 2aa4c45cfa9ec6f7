"""Issue 16: the roster and every key record a fingerprint; a rebuild from other inputs refuses."""

from __future__ import annotations

import json
import shutil

from exam_helpers import THREE

from quizgen.exam import fingerprint
from quizgen.exam.build import draft
from quizgen.exam.fingerprint import spec_hash


def spec_copy(tmp_path, old: str = "", new: str = "", bank=None):
    bank = repr(str(bank or THREE.parent.parent / "bank"))
    spec = tmp_path / "spec.toml"
    text = THREE.read_text(encoding="utf-8").replace('"../bank"', bank)
    spec.write_text(text.replace(old, new) if old else text, encoding="utf-8")
    return spec


def test_roster_and_keys_record_the_fingerprint(tmp_path, run_exam):
    out = tmp_path / "out"
    assert run_exam(THREE, "--versions", 2, "--out", out)[0] == 0
    record = json.loads((out / "roster.json").read_text(encoding="utf-8"))["fingerprint"]
    assert set(record) == {"quizgen", "bank", "spec", "seed", "id"} and record["seed"] == 7
    for key in ("key-A.html", "key-B.html"):
        assert f"Fingerprint {record['id']}: quizgen {record['quizgen']}" in (out / key).read_text(encoding="utf-8")


def test_presentation_keys_do_not_change_the_fingerprint(tmp_path):
    """A new title, date or paper prints the same numbers: a rebuild must not be refused."""
    base = draft(THREE, 1).fingerprint
    for old, new in (('title = "Three-version quiz"', 'title = "Renamed"'), ("date = 2025-01-31", "date = 2025-02-01"),
                     ("duration = 30", "duration = 45"), ('title = "Backprop"', 'title = "Other"')):
        assert draft(spec_copy(tmp_path, old, new), 1).fingerprint == base, old


def test_what_decides_the_numbers_changes_the_fingerprint(tmp_path):
    base = draft(THREE, 1).fingerprint
    assert draft(spec_copy(tmp_path, "seed = 7", "seed = 8"), 1).fingerprint.spec != base.spec
    assert draft(spec_copy(tmp_path, "points = 10", "points = 11"), 1).fingerprint.spec != base.spec
    assert spec_hash({"sections": [{"count": 1}]}) != spec_hash({"sections": [{"count": 2}]})


def test_an_edited_bank_file_changes_the_fingerprint(tmp_path):
    bank = tmp_path / "bank"
    shutil.copytree(THREE.parent.parent / "bank", bank)
    spec = spec_copy(tmp_path, bank=bank)
    base = draft(spec, 1).fingerprint
    assert base == draft(THREE, 1).fingerprint  # where the bank lies does not count
    family = next(bank.rglob("sgd-step-mse.toml"))
    family.write_text(family.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert draft(spec, 1).fingerprint.bank != base.bank


def test_a_rebuild_from_other_inputs_refuses_and_writes_nothing(tmp_path, run_exam):
    out = tmp_path / "out"
    assert run_exam(THREE, "--versions", 2, "--out", out)[0] == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    other = spec_copy(tmp_path, "seed = 7", "seed = 8")
    for extra in ((), ("--replace", "A:1")):
        code, _, err = run_exam(other, "--versions", 2, "--out", out, *extra)
        assert code == 2 and len(err) == 1
        assert err[0].startswith(f"{out / 'roster.json'}: holds an exam from other inputs (spec ")
        assert "seed 7 -> 8" in err[0] and err[0].endswith("Choose another --out, or pass --force-new to replace it")
        assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert run_exam(other, "--versions", 2, "--out", out, "--force-new")[0] == 0
    assert json.loads((out / "roster.json").read_text(encoding="utf-8"))["fingerprint"]["seed"] == 8


def test_another_quizgen_version_refuses(tmp_path, run_exam, monkeypatch):
    out = tmp_path / "out"
    assert run_exam(THREE, "--out", out)[0] == 0
    monkeypatch.setattr(fingerprint, "__version__", "9.9.9")
    code, _, err = run_exam(THREE, "--out", out)
    assert code == 2 and "holds an exam from other inputs (quizgen 0.1.0 -> 9.9.9); rebuilding" in err[0]


def test_a_roster_without_fingerprint_is_refused_not_trusted(tmp_path, run_exam):
    out = tmp_path / "out"
    assert run_exam(THREE, "--out", out)[0] == 0
    for broken in ('{"schema": "quizgen.exam-roster/1", "versions": []}', "not json", '{"fingerprint": {"seed": true}}'):
        (out / "roster.json").write_text(broken, encoding="utf-8")
        code, _, err = run_exam(THREE, "--out", out)
        assert code == 2 and err == [f"{out / 'roster.json'}: holds an exam without a fingerprint (an older quizgen "
                                     "or an unreadable roster); choose another --out, or pass --force-new to replace it"]
    assert run_exam(THREE, "--out", out, "--force-new")[0] == 0


def test_a_changed_spec_is_named_before_its_recorded_replacements_are_tried(tmp_path, run_exam):
    """The recorded B:7 no longer exists in a 1-section spec: the fingerprint is the problem to name."""
    out = tmp_path / "out"
    assert run_exam(THREE, "--versions", 2, "--out", out, "--replace", "B:7")[0] == 0
    shorter = spec_copy(tmp_path)
    shorter.write_text(shorter.read_text(encoding="utf-8").split("[[sections]]\ntitle = \"Concepts\"")[0],
                       encoding="utf-8")
    code, _, err = run_exam(shorter, "--versions", 3, "--out", out)
    assert code == 2 and len(err) == 1 and "holds an exam from other inputs (bank files " in err[0] and "; spec " in err[0]
