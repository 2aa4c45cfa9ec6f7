"""atomic.py and destination.py: unique marked temporary folders, only ours removed, errors name --out."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from quizgen.errors import BuildError
from quizgen.writers import atomic, destination
from quizgen.writers.atomic import atomic_directory, clean_stale
from quizgen.writers.destination import TEMP_MARKER, Owner

OWNER = Owner("quizgen test", "out", re.compile(r"page-\d+\.txt|README\.md"), ".quizgen-test")


def put(out: Path, text: str) -> None:
    with atomic_directory(out, OWNER) as tmp:
        (tmp / OWNER.marker).write_text("ours\n")
        (tmp / "page-1.txt").write_text(text)


def dead_pid() -> int:
    """The id of a process that has finished (and been reaped)."""
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    return int(done.stdout)


def leftover(parent: Path, name: str, pid: int, host: str | None = None) -> Path:
    """A folder as a killed quizgen leaves it: our marker naming its process inside."""
    folder = parent / name
    folder.mkdir()
    (folder / TEMP_MARKER).write_text(json.dumps({"pid": pid, "host": host or socket.gethostname()}))
    (folder / "page-1.txt").write_text("half")
    return folder


def test_a_foreign_old_folder_beside_the_output_survives(tmp_path):
    """Issue 13: building into `out` deleted any sibling `.out.old`, whoever made it."""
    for name in (".out.old", ".out.building", ".out.old.x1y2"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "thesis.tex").write_text("precious")
    put(tmp_path / "out", "one")
    put(tmp_path / "out", "two")  # replaces the first: the previous output is moved aside, then removed
    assert (tmp_path / "out" / "page-1.txt").read_text() == "two"
    for name in (".out.old", ".out.building", ".out.old.x1y2"):
        assert (tmp_path / name / "thesis.tex").read_text() == "precious", name
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.building", ".out.old", ".out.old.x1y2", "out"]


def test_temporary_folders_are_unique_and_marked_and_gone_afterwards(tmp_path):
    seen = []
    for _ in range(2):
        with atomic_directory(tmp_path / "out", OWNER) as tmp:
            seen.append(tmp)
            assert tmp.parent == tmp_path and tmp.name.startswith(".out.building.")
            assert json.loads((tmp / TEMP_MARKER).read_text())["pid"] == os.getpid()
            (tmp / OWNER.marker).write_text("ours\n")
    assert seen[0] != seen[1]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [OWNER.marker]  # no temp marker left


def test_a_failed_build_removes_its_folder_and_keeps_the_output(tmp_path):
    put(tmp_path / "out", "one")
    with pytest.raises(RuntimeError):
        with atomic_directory(tmp_path / "out", OWNER) as tmp:
            (tmp / "page-1.txt").write_text("half")
            raise RuntimeError("boom")
    assert (tmp_path / "out" / "page-1.txt").read_text() == "one"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_errors_name_the_output_not_the_temporary_folder(tmp_path):
    """Issue 13: errors named the hidden `.site.building.*` folder instead of --out."""
    out = tmp_path / "out"
    with pytest.raises(BuildError) as caught:
        with atomic_directory(out, OWNER) as tmp:
            raise BuildError(f"cannot write {tmp / 'page-1.txt'}", file=str(tmp / "questions" / "q.html"))
    assert caught.value.file == str(out / "questions" / "q.html")
    assert ".building." not in str(caught.value) and str(out / "page-1.txt") in str(caught.value)
    with pytest.raises(BuildError) as caught:
        with atomic_directory(out, OWNER) as tmp:
            (tmp / "missing" / "page-1.txt").write_text("x")  # a raw OSError from a writer
    assert caught.value.file == str(out) and ".building." not in str(caught.value)


def test_stale_folders_of_finished_processes_are_cleaned_and_nothing_else(tmp_path):
    """Issue 13: a killed build left `.site.building.*` behind forever."""
    gone = dead_pid()
    stale = [leftover(tmp_path, ".out.building.aaaa", gone), leftover(tmp_path, ".out.old.bbbb", gone)]
    running = leftover(tmp_path, ".out.building.cccc", os.getpid())  # a build still going on
    elsewhere = leftover(tmp_path, ".out.building.dddd", gone, host="another-machine")  # shared folder
    unmarked = tmp_path / ".out.building.eeee"
    unmarked.mkdir()
    other_name = leftover(tmp_path, ".other.building.ffff", gone)
    (tmp_path / "victim").mkdir()
    (tmp_path / "victim" / TEMP_MARKER).write_text(json.dumps({"pid": gone, "host": socket.gethostname()}))
    (tmp_path / ".out.building.link").symlink_to(tmp_path / "victim", target_is_directory=True)
    assert clean_stale(tmp_path / "out") == stale
    for folder in (running, elsewhere, unmarked, other_name, tmp_path / "victim"):
        assert folder.is_dir(), folder
    assert (tmp_path / ".out.building.link").is_symlink()


def test_a_build_killed_after_moving_the_old_output_aside_gets_it_back(tmp_path):
    aside = leftover(tmp_path, ".out.old.gggg", dead_pid())
    (aside / atomic.PREVIOUS).mkdir()
    (aside / atomic.PREVIOUS / "page-1.txt").write_text("the previous output")
    clean_stale(tmp_path / "out")
    assert (tmp_path / "out" / "page-1.txt").read_text() == "the previous output"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_killed_build_is_cleaned_on_the_next_run(tmp_path):
    """A real process killed inside the swap's temporary folder; the next build removes it."""
    code = ("import os, re, signal, sys\n"
            "from quizgen.writers.atomic import atomic_directory\n"
            "from quizgen.writers.destination import Owner\n"
            "owner = Owner('quizgen test', 'out', re.compile('page-1.txt'), '.quizgen-test')\n"
            "with atomic_directory(sys.argv[1], owner) as tmp:\n"
            "    (tmp / 'page-1.txt').write_text('half')\n"
            "    os.kill(os.getpid(), signal.SIGKILL)\n")
    killed = subprocess.run([sys.executable, "-c", code, str(tmp_path / "out")], capture_output=True)
    assert killed.returncode == -9
    assert [p.name.startswith(".out.building.") for p in tmp_path.iterdir()] == [True]
    put(tmp_path / "out", "whole")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


@pytest.mark.parametrize("name", [".", "..", "/", ""])
def test_the_current_folder_its_parents_and_root_are_refused(tmp_path, monkeypatch, name):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(BuildError, match="current folder or one of its parents"):
        destination.folder(name or str(Path.cwd()), OWNER)


def test_a_folder_we_did_not_write_is_refused(tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "notes.txt").write_text("mine")
    with pytest.raises(BuildError, match=r"holds files quizgen test did not write \(notes.txt\)"):
        put(tmp_path / "out", "x")
    assert (tmp_path / "out" / "notes.txt").read_text() == "mine"


def test_files_added_while_building_stop_the_swap(tmp_path):
    """An owner without a marker (like `quizgen exam`) checks the folder again before replacing it."""
    names_only = Owner("quizgen test", "out", OWNER.names)
    with atomic_directory(tmp_path / "out", names_only) as tmp:
        (tmp / "page-1.txt").write_text("one")
    with pytest.raises(BuildError, match=r"did not write \(notes.txt\)"):
        with atomic_directory(tmp_path / "out", names_only) as tmp:
            (tmp / "page-1.txt").write_text("two")
            (tmp_path / "out" / "notes.txt").write_text("written meanwhile")
    assert (tmp_path / "out" / "page-1.txt").read_text() == "one"
    assert (tmp_path / "out" / "notes.txt").exists() and sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_symlinked_output_is_written_through_and_stays_a_link(tmp_path):
    """Issue 13: a symlinked --out became a plain folder and the next build failed."""
    (tmp_path / "real").mkdir()
    link = tmp_path / "out"
    link.symlink_to(tmp_path / "real" / "site", target_is_directory=True)  # dangling at first
    put(link, "one")
    put(link, "two")
    assert link.is_symlink() and (tmp_path / "real" / "site" / "page-1.txt").read_text() == "two"
    assert sorted(p.name for p in (tmp_path / "real").iterdir()) == ["site"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "real"]


def test_symlink_loops_and_links_into_nowhere_are_one_line_errors(tmp_path):
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    with pytest.raises(BuildError, match="loop") as caught:
        put(tmp_path / "a", "x")
    assert caught.value.file == str(tmp_path / "a")
    (tmp_path / "c").symlink_to(tmp_path / "no" / "such" / "site")
    with pytest.raises(BuildError, match="whose folder does not exist"):
        put(tmp_path / "c", "x")


def test_replacing_a_file_keeps_its_mode_and_names_the_given_path(tmp_path):
    path = tmp_path / "out.json"
    path.write_text("old")
    path.chmod(0o640)
    atomic.atomic_write_text(path, "new")
    assert path.read_text() == "new" and path.stat().st_mode & 0o777 == 0o640
    with pytest.raises(BuildError) as caught:
        atomic.atomic_write_text(tmp_path / "out.json" / "x", "new", shown="--out given")
    assert caught.value.file == "--out given"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]
