"""`--out` of `quizgen build` and `quizgen exam`, as a user meets it: one guard, one-line errors."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from quizgen.cli import main

ROOT = Path(__file__).resolve().parents[2]
MINIMAL = ROOT / "tests" / "fixtures" / "bank_minimal"
SPEC = ROOT / "tests" / "fixtures" / "exam_specs" / "good" / "one_question.toml"


def build(out, *extra) -> int:
    return main(["build", "--bank", str(MINIMAL), "--variants", "1", "--out", str(out), *extra])


def exam(out) -> int:
    return main(["exam", str(SPEC), "--out", str(out)])


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("command", [build, exam])
@pytest.mark.parametrize("out", [".", "..", "/"])
def test_the_current_folder_is_refused_in_one_line(tmp_path, monkeypatch, capsys, command, out):
    """Issue 13: `exam --out .` said "Device or resource busy"."""
    (tmp_path / "cwd").mkdir()
    monkeypatch.chdir(tmp_path / "cwd")
    assert command(out) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and err[0].startswith(f"{out}: is the current folder or one of its parents;"), err
    assert sorted(os.listdir(tmp_path)) == ["cwd"] and os.listdir(tmp_path / "cwd") == []


@pytest.mark.parametrize("command, name", [(build, "site"), (exam, "exam-out")])
def test_someone_elses_old_folder_beside_the_output_survives(tmp_path, command, name):
    """Issue 13: building into `--out site` deleted any `.site.old` (and `.exam-out.old`)."""
    old = tmp_path / f".{name}.old"
    old.mkdir()
    (old / "thesis.tex").write_text("precious")
    assert command(tmp_path / name) == 0 and command(tmp_path / name) == 0
    assert (old / "thesis.tex").read_text() == "precious"
    assert sorted(p.name for p in tmp_path.iterdir()) == [f".{name}.old", name]


@pytest.mark.parametrize("command", [build, exam])
def test_a_symlinked_out_is_written_through_and_kept(tmp_path, command):
    """Issue 13: a symlinked --out became a plain folder and the next build failed."""
    (tmp_path / "www").mkdir()
    link = tmp_path / "out"
    link.symlink_to(tmp_path / "www" / "quiz", target_is_directory=True)
    assert command(link) == 0
    first = tree(tmp_path / "www" / "quiz")
    assert command(link) == 0 and command(link) == 0
    assert link.is_symlink() and os.readlink(link) == str(tmp_path / "www" / "quiz")
    assert tree(tmp_path / "www" / "quiz") == first and first
    assert sorted(os.listdir(tmp_path / "www")) == ["quiz"]


def test_a_symlink_to_someone_elses_folder_is_refused(tmp_path, capsys):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "thesis.tex").write_text("precious")
    (tmp_path / "out").symlink_to(tmp_path / "docs")
    assert build(tmp_path / "out") == 2
    assert capsys.readouterr().err.strip() == (f"{tmp_path / 'out'}: holds files quizgen build did not write "
                                               "(thesis.tex); it would be replaced whole, so choose a new or empty folder")
    assert os.listdir(tmp_path / "docs") == ["thesis.tex"]


def test_a_write_error_names_the_out_folder_not_the_temporary_one(tmp_path, monkeypatch, capsys):
    from quizgen.errors import BuildError
    from quizgen.writers import exam as exam_writer

    def fail(path, text):
        raise BuildError("cannot write: No space left on device", file=str(path))

    monkeypatch.setattr(exam_writer, "atomic_write_text", fail)
    assert exam(tmp_path / "exam-out") == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"{tmp_path / 'exam-out'}/") and ".building." not in err, err
    assert os.listdir(tmp_path) == []


def test_an_old_exam_folder_without_marker_is_still_replaced(tmp_path):
    """Folders written before markers existed hold only exam files: still ours to replace."""
    out = tmp_path / "exam-out"
    out.mkdir()
    for name in ("exam-A.html", "key-A.html", "exam-V01.pdf", "roster.csv", "README.md"):
        (out / name).write_text("old")
    assert exam(out) == 0
    assert (out / "README.md").read_text() == "old" and not (out / "exam-V01.pdf").exists()
