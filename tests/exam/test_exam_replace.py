"""Issue 16: `--replace V:Q` / [replace] redraws one question of one version; nothing else moves."""

from __future__ import annotations

import json

from exam_helpers import THREE

from quizgen.exam.build import draft
from quizgen.exam.replace import merge


def files(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def spec_copy(tmp_path, extra: str = ""):
    """THREE beside tmp_path (bank by absolute path), with `extra` TOML appended."""
    bank = repr(str(THREE.parent.parent / "bank"))
    spec = tmp_path / "spec.toml"
    spec.write_text(THREE.read_text(encoding="utf-8").replace('"../bank"', bank) + extra, encoding="utf-8")
    return spec


def test_replace_changes_exactly_one_question_of_one_version(tmp_path, run_exam):
    """Guards the promise: every other page, key and roster row stays byte-identical."""
    out = tmp_path / "out"
    assert run_exam(THREE, "--versions", 3, "--out", out)[0] == 0
    before = files(out)
    code, stdout, err = run_exam(THREE, "--versions", 3, "--out", out, "--replace", "B:3")
    assert code == 0 and err == []
    assert "replaced B:3 (replacement 1 of that question)" in stdout
    after = files(out)
    assert sorted(name for name in after if after[name] != before[name]) == [
        "exam-B.html", "key-B.html", "roster.csv", "roster.json"]
    old = before["roster.csv"].decode().splitlines()
    new = after["roster.csv"].decode().splitlines()
    changed = [(a, b) for a, b in zip(old, new) if a != b]
    assert len(old) == len(new) and len(changed) == 1
    assert changed[0][0].startswith("B,3,") and changed[0][1].startswith("B,3,")
    a, b = changed[0][0].split(","), changed[0][1].split(",")
    assert a[4] == b[4] and a[5] != b[5]  # the same family, another variant
    roster = json.loads(after["roster.json"])
    assert roster["replaced"] == [{"version": "B", "question": 3}]


def test_a_rebuild_keeps_the_replacement_and_a_second_one_draws_the_next_variant(tmp_path, run_exam):
    out = tmp_path / "out"
    assert run_exam(THREE, "--versions", 3, "--out", out, "--replace", "B:3")[0] == 0
    once = files(out)
    assert run_exam(THREE, "--versions", 3, "--out", out)[0] == 0
    assert files(out) == once  # rebuilt identically from the roster's record
    code, stdout, _ = run_exam(THREE, "--versions", 3, "--out", out, "--replace", "B:3")
    assert code == 0 and "replaced B:3 (replacement 2 of that question)" in stdout
    twice = json.loads((out / "roster.json").read_text(encoding="utf-8"))
    assert twice["replaced"] == [{"version": "B", "question": 3}] * 2
    rows = [q for v in twice["versions"] if v["code"] == "B" for q in v["questions"] if q["question"] == 3]
    first = [q for v in json.loads(once["roster.json"])["versions"] if v["code"] == "B"
             for q in v["questions"] if q["question"] == 3]
    assert rows[0]["index"] != first[0]["index"]


def test_the_replacement_never_repeats_any_question_of_the_exam():
    """The new variant shares nothing with any version's questions or the one replaced away."""
    plain = draft(THREE, 3)
    made = draft(THREE, 3, option=["A:1", "A:1", "C:7"])
    ids = [item.question.id for v in made.exam.versions for item in v.items]
    assert len(ids) == len(set(ids))
    replaced_away = {item.question.id for v in plain.exam.versions for item in v.items} - set(ids)
    assert len(replaced_away) == 2  # A:1's first replacement was replaced again; C:7's original
    assert made.replaced == (("A", 1), ("A", 1), ("C", 7))


def test_the_spec_table_and_the_option_are_the_same_replacement(tmp_path):
    by_table = draft(spec_copy(tmp_path, "\n[replace]\nB = [3]\n"), 3)
    by_option = draft(THREE, 3, option=["B:3"])
    assert [i.question.id for v in by_table.exam.versions for i in v.items] == \
        [i.question.id for v in by_option.exam.versions for i in v.items]


def test_a_table_entry_already_made_is_not_made_again():
    assert merge([("B", 3)], [("B", 3)], []) == [("B", 3)]
    assert merge([("B", 3)], [("B", 3), ("B", 3), ("A", 1)], [("C", 2)]) == [("B", 3), ("B", 3), ("A", 1), ("C", 2)]


def test_bad_replacements_are_all_reported_at_once(tmp_path, run_exam):
    spec = spec_copy(tmp_path, '\n[replace]\nB = "x"\nc = [99]\n')
    code, _, err = run_exam(spec, "--versions", 3, "--out", tmp_path / "o", "--replace", "x",
                            "--replace", "F:1", "--replace", "A:0")
    assert code == 2
    assert err == ["--replace: 'x': expected VERSION:QUESTION, e.g. B:3",
                   f"{spec}: replace.B: must be a list of question numbers, e.g. [3]",
                   f"{spec}: replace.C: C:99: no such question (each version has 7)",
                   "--replace: F:1: no such version (this exam has A–C)",
                   "--replace: A:0: no such question (each version has 7)"]
    assert not (tmp_path / "o").exists()


def test_replacements_recorded_for_other_versions_refuse_another_version_count(tmp_path, run_exam):
    out = tmp_path / "out"
    assert run_exam(THREE, "--versions", 3, "--out", out, "--replace", "A:2")[0] == 0
    code, _, err = run_exam(THREE, "--versions", 4, "--out", out)
    assert code == 2 and err == [f"{out / 'roster.json'}: this exam has 3 versions and replaced questions; "
                                 "rebuild it with --versions 3, or pass --force-new to draw a new exam"]
    assert run_exam(THREE, "--versions", 4, "--out", out, "--force-new")[0] == 0
    assert json.loads((out / "roster.json").read_text(encoding="utf-8"))["replaced"] == []
