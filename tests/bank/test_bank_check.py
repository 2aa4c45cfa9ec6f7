"""`quizgen check` on broken families (one folder per case, with its expected error lines), on
the minimal fixture bank, and on the shipped bank."""

from __future__ import annotations

import json

import pytest
from bankcheck import BAD, MINIMAL, ROOT

from quizgen.cli import main

CASES = sorted(p.name for p in BAD.iterdir() if p.is_dir())


def run(capsys, monkeypatch, *argv) -> tuple[int, str, str]:
    monkeypatch.chdir(ROOT)  # expected lines name files relative to the repository root
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_there_are_enough_broken_family_cases():
    assert len(CASES) >= 10
    for case in CASES:
        files = sorted(p.name for p in (BAD / case).iterdir())
        assert len(files) == 2 and "expected.txt" in files, f"{case}: one family file + expected.txt"


@pytest.mark.parametrize("case", CASES)
def test_check_reports_each_problem_as_file_key_what(case, capsys, monkeypatch):
    folder = BAD / case
    family_file = next(p for p in folder.iterdir() if p.suffix == ".toml")
    expected = [line for line in (folder / "expected.txt").read_text(encoding="utf-8").splitlines() if line]
    code, out, err = run(capsys, monkeypatch, "check", "--bank", str(folder.relative_to(ROOT)))
    assert code == 2 and out == ""
    lines = err.splitlines()
    assert lines[-1] == f"quizgen check: {len(expected)} problem(s) in 1 file(s)"
    assert lines[:-1] == expected  # exactly these problems, in this order, nothing else
    prefix = f"{family_file.relative_to(ROOT)}: "
    for line in expected:
        assert line.startswith(prefix)
        rest = line[len(prefix):]
        key, _, what = rest.partition(": ")
        assert what or case == "invalid_toml", f"{line!r} is not 'file: key: what is wrong'"
        assert key and " " not in key or case == "invalid_toml"


def test_all_broken_families_at_once_are_all_reported(capsys, monkeypatch, tmp_path):
    """Validators collect every error, then stop once: one run reports every case."""
    for case in CASES:
        source = next(p for p in (BAD / case).iterdir() if p.suffix == ".toml")
        (tmp_path / "bank" / case).mkdir(parents=True)
        (tmp_path / "bank" / case / source.name).write_bytes(source.read_bytes())
    code, _, err = run(capsys, monkeypatch, "check", "--bank", str(tmp_path / "bank"))
    expected = sum(len((BAD / c / "expected.txt").read_text().splitlines()) for c in CASES)
    assert code == 2 and err.splitlines()[-1] == f"quizgen check: {expected} problem(s) in {len(CASES)} file(s)"


def test_minimal_bank_checks_and_exports(capsys, monkeypatch):
    code, out, err = run(capsys, monkeypatch, "check", "--bank", str(MINIMAL), "--variants", "10")
    assert (code, err) == (0, "") and out.startswith("quizgen check: 3 families OK")
    code, out, err = run(capsys, monkeypatch, "export", "--bank", str(MINIMAL), "--variants", "2")
    assert code == 0 and err == ""
    document = json.loads(out)
    assert document["schema"] == "quizgen.questions/3"
    assert [q["id"] for q in document["questions"]] == [
        f"{f}--s0-v{i}" for f in ("formula-dw1", "logistic-dw", "relu-layer") for i in range(2)]


def test_shipped_bank_passes_check_with_twenty_variants(capsys, monkeypatch):
    code, out, err = run(capsys, monkeypatch, "check", "--variants", "20")
    assert code == 0 and err == "", err
    assert out.startswith("quizgen check: ") and "families OK (20 variants each)" in out


def test_load_bank_raises_every_error_at_once():
    from quizgen.bank.load import load_bank
    from quizgen.errors import ErrorList

    with pytest.raises(ErrorList) as info:
        load_bank(BAD / "missing_keys")
    assert [e.key for e in info.value.errors] == ["title", "difficulty", "source"]
