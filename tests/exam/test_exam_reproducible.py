"""Same spec + seed -> byte-identical files, in any folder, under any hash seed."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

from exam_helpers import ROOT, THREE

from quizgen.exam.build import bank_identity


def files(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_two_runs_write_identical_files(tmp_path, run_exam):
    first, second = tmp_path / "first", tmp_path / "second" / "nested"
    assert run_exam(THREE, "--versions", 3, "--out", first)[0] == 0
    env = dict(os.environ, PYTHONHASHSEED="12345")
    command = [sys.executable, "-m", "quizgen", "exam", str(THREE), "--versions", "3", "--out", str(second)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, env=env, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    a, b = files(first), files(second)
    assert sorted(a) == ["exam-A.html", "exam-B.html", "exam-C.html", "key-A.html", "key-B.html", "key-C.html",
                         "roster.csv", "roster.json"]
    assert a == b


def test_a_different_seed_draws_different_numbers(tmp_path, run_exam):
    spec = tmp_path / "spec.toml"
    bank = repr(str(THREE.parent.parent / "bank"))
    text = THREE.read_text(encoding="utf-8").replace("seed = 7", "seed = 8").replace('"../bank"', bank)
    spec.write_text(text, encoding="utf-8")
    assert run_exam(THREE, "--out", tmp_path / "a")[0] == 0
    assert run_exam(spec, "--out", tmp_path / "b")[0] == 0
    assert (tmp_path / "a" / "exam-A.html").read_bytes() != (tmp_path / "b" / "exam-A.html").read_bytes()


def test_the_command_lists_what_it_wrote(tmp_path, run_exam):
    code, out, err = run_exam(THREE, "--versions", 2, "--out", tmp_path / "o")
    assert code == 0 and err == []
    lines = out.splitlines()
    assert lines[0] == f"2 version(s) of 'Three-version quiz': 7 questions, 45.5 points -> {tmp_path / 'o'}/"
    assert [line.strip() for line in lines[1:]] == ["exam-A.html", "exam-B.html", "key-A.html", "key-B.html",
                                                     "roster.csv", "roster.json"]


def test_the_key_names_the_bank_the_same_from_any_folder(tmp_path, monkeypatch, run_exam):
    """Issue 13: the key printed --bank as the path from the working directory, so keys differed
    by folder and showed local paths. It names the bank's folder and a hash of its families."""
    keys = []
    for cwd, spec in ((ROOT, THREE.relative_to(ROOT)), (THREE.parent, THREE.name), (tmp_path, THREE)):
        monkeypatch.chdir(cwd)
        out = tmp_path / f"out-{len(keys)}"
        assert run_exam(spec, "--out", out)[0] == 0
        keys.append((out / "key-A.html").read_text(encoding="utf-8"))
    assert keys[0] == keys[1] == keys[2]
    assert str(ROOT) not in keys[0] and "../" not in keys[0] and "fixtures" not in keys[0]
    bank = re.search(r'<p class="bank">Question bank: bank \(content ([0-9a-f]{12})\)</p>', keys[0])
    assert bank, "the key names the bank"
    assert "--index 0 --bank bank</code>" in keys[0]


def test_the_bank_hash_follows_its_content(tmp_path):
    """Two banks with one folder name are told apart by the hash; the shipped bank says so."""
    bank = tmp_path / "bank"
    shutil.copytree(THREE.parent.parent / "bank", bank)
    first = bank_identity(bank)
    assert (first.name, first.shipped) == ("bank", False) and first == bank_identity(THREE.parent.parent / "bank")
    family = sorted(bank.rglob("*.toml"))[0]
    family.write_text(family.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert bank_identity(bank).content != first.content
    shipped = bank_identity(ROOT / "question_bank")
    assert shipped.shipped and shipped.name == "question_bank"
