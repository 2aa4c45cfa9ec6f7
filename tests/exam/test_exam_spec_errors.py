"""Bad specs: every problem on its own `file: key: what is wrong` line, exit 2, nothing written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from exam_helpers import MIDTERM, SPECS

BAD = sorted((SPECS / "bad").glob("*.toml"))


def expectations(path: Path) -> tuple[int, list[str]]:
    text = path.read_text(encoding="utf-8")
    versions = re.search(r"^# versions: (\d+)$", text, re.M)
    lines = re.findall(r"^# expect: (.+)$", text, re.M)
    return int(versions.group(1)) if versions else 1, [f"{path}: {line}" for line in lines]


def test_every_bad_fixture_states_what_it_expects():
    assert len(BAD) >= 5
    for path in BAD:
        assert expectations(path)[1], f"{path.name} has no '# expect:' line"


@pytest.mark.parametrize("path", BAD, ids=[p.stem for p in BAD])
def test_bad_spec_prints_each_problem_and_writes_nothing(path, tmp_path, run_exam):
    versions, expected = expectations(path)
    out = tmp_path / "exam-out"
    code, stdout, err = run_exam(path, "--versions", versions, "--out", out)
    assert code == 2
    assert err == expected
    assert stdout == ""
    assert not out.exists() and list(tmp_path.iterdir()) == []  # no folder, no temporary leftovers


def test_a_failed_build_leaves_the_previous_output_untouched(tmp_path, run_exam):
    out = tmp_path / "exam-out"
    assert run_exam(MIDTERM, "--out", out)[0] == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    code, _, err = run_exam(SPECS / "bad" / "unknown_family.toml", "--out", out)
    assert code == 2 and len(err) == 1
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["exam-out"]


@pytest.mark.parametrize("versions", ["0", "100"])
def test_versions_out_of_range(versions, tmp_path, run_exam):
    code, _, err = run_exam(MIDTERM, "--versions", versions, "--out", tmp_path / "o")
    assert code == 2 and err == [f"quizgen: --versions must be between 1 and 99, got {versions}"]
    assert not (tmp_path / "o").exists()


def test_missing_and_malformed_files(tmp_path, run_exam):
    code, _, err = run_exam(tmp_path / "nope.toml", "--out", tmp_path / "o")
    assert code == 2 and err == [f"{tmp_path / 'nope.toml'}: no such file"]
    broken = tmp_path / "broken.toml"
    broken.write_text('title = "x"\n[[sections]\n', encoding="utf-8")
    code, _, err = run_exam(broken, "--out", tmp_path / "o")
    assert code == 2 and len(err) == 1 and err[0].startswith(f"{broken}: not valid TOML: ")
    assert not (tmp_path / "o").exists()


def test_bank_path_is_relative_to_the_spec(tmp_path, run_exam):
    spec = tmp_path / "spec.toml"
    spec.write_text('title = "x"\nbank = "no-such-bank"\n[[sections]]\nfamilies = ["sgd-step-mse"]\npoints = 1\n',
                    encoding="utf-8")
    code, _, err = run_exam(spec, "--out", tmp_path / "o")
    assert code == 2
    assert err[0] == (f"{spec}: bank: no such folder {str(tmp_path / 'no-such-bank')!r} "
                      "(the path is relative to the spec file)")


def test_a_folder_with_other_files_is_never_replaced(tmp_path, run_exam):
    out = tmp_path / "notes"
    out.mkdir()
    (out / "thesis.tex").write_text("mine", encoding="utf-8")
    code, _, err = run_exam(MIDTERM, "--out", out)
    assert code == 2
    assert err == [f"{out}: holds files quizgen exam did not write (thesis.tex); "
                   "it would be replaced whole, so choose a new or empty folder"]
    assert [p.name for p in out.iterdir()] == ["thesis.tex"]
    a_file = tmp_path / "file.txt"
    a_file.write_text("x", encoding="utf-8")
    assert run_exam(MIDTERM, "--out", a_file)[2] == [f"{a_file}: exists and is not a folder"]
    assert a_file.read_text(encoding="utf-8") == "x"
