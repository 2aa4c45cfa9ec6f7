"""The writer registry: formats are found by name, a new format is one module, and the output
is the same bytes for any --jobs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from quizgen import writers
from quizgen.cli import main
from quizgen.writers import Context, Option

ROOT = Path(__file__).resolve().parents[2]
MINIMAL = ROOT / "tests" / "fixtures" / "bank_minimal"


class ToyWriter:
    """A whole new format in one place: one line per question, ids and answers."""

    name = "toy"
    output = "file"
    options = (Option("separator", "between id and answer", " = "),)
    owner = None

    def warm_up(self, context: Context) -> None:
        pass

    def start(self, context: Context) -> None:
        pass

    def render(self, question, context: Context) -> str:
        return f"{question.id}{context.options['separator']}{question.answer.display}\n"

    def write(self, rendered, context: Context):
        yield f"# {len(rendered)} questions, {context.variants} per family\n"
        yield from rendered


@pytest.fixture
def toy():
    writer = writers.register(ToyWriter())
    yield writer
    writers.unregister("toy")


def test_the_shipped_formats_are_registered():
    assert {"json", "site"} <= set(writers.names())
    assert writers.get("json").output == "file" and writers.get("site").output == "folder"
    assert writers.get("site").owner is not None  # a folder writer says which folders it may replace


def test_a_toy_writer_registered_in_one_place_is_an_export_format(toy, tmp_path, capsys):
    out = tmp_path / "toy.txt"
    assert main(["export", "--bank", str(MINIMAL), "--format", "toy", "--variants", "2", "--out", str(out),
                 "--separator", ": "]) == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "# 6 questions, 2 per family" and len(lines) == 7 and all(": " in line for line in lines[1:])
    assert main(["export", "--bank", str(MINIMAL), "--format", "toy"]) == 0  # default option, stdout
    assert " = " in capsys.readouterr().out.splitlines()[1]


def test_an_unknown_format_is_one_line_naming_the_known_ones(capsys):
    # "anki" was the unknown format here until issue 18 made it one
    assert main(["export", "--bank", str(MINIMAL), "--format", "nope"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "'nope'" in err and "json" in err and "anki" in err and "site" in err


@pytest.mark.parametrize("jobs", ["0", "-3", "65"])
def test_a_bad_jobs_is_refused_before_any_work(jobs, tmp_path, capsys):
    assert main(["export", "--bank", str(MINIMAL), "--jobs", jobs, "--out", str(tmp_path / "x.json")]) == 2
    assert main(["build", "--bank", str(MINIMAL), "--jobs", jobs, "--out", str(tmp_path / "site")]) == 2
    assert "--jobs" in capsys.readouterr().err and not (tmp_path / "x.json").exists()
    assert not (tmp_path / "site").exists()


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_export_is_the_same_bytes_for_one_or_two_jobs(tmp_path):
    """--jobs changes only how fast: one process and a pool of two write identical files."""
    for jobs in ("1", "2"):
        assert main(["export", "--bank", str(MINIMAL), "--variants", "5", "--seed", "4", "--jobs", jobs,
                     "--out", str(tmp_path / f"{jobs}.json")]) == 0
    one, two = (tmp_path / "1.json").read_bytes(), (tmp_path / "2.json").read_bytes()
    assert one == two and len(json.loads(one)["questions"]) == 15


def test_build_is_the_same_bytes_for_one_or_two_jobs(tmp_path):
    for jobs in ("1", "2"):
        assert main(["build", "--bank", str(MINIMAL), "--variants", "4", "--jobs", jobs,
                     "--out", str(tmp_path / jobs)]) == 0
    one, two = tree(tmp_path / "1"), tree(tmp_path / "2")
    assert list(one) == list(two) and [name for name in one if one[name] != two[name]] == []


def test_export_as_a_site_goes_through_the_same_folder_guard(tmp_path, capsys):
    """Every folder writer is guarded alike: a folder holding a stranger's files is refused."""
    out = tmp_path / "mine"
    out.mkdir()
    (out / "thesis.tex").write_text("keep me")
    assert main(["export", "--bank", str(MINIMAL), "--format", "site", "--out", str(out)]) == 2
    assert "thesis.tex" in capsys.readouterr().err and (out / "thesis.tex").read_text() == "keep me"
    assert main(["export", "--bank", str(MINIMAL), "--format", "site", "--out", str(tmp_path / "new")]) == 0
    assert (tmp_path / "new" / "index.html").is_file()


def test_jobs_sets_the_pool_size_and_the_default_is_every_core_once_it_pays(monkeypatch):
    from quizgen.bank import collection

    monkeypatch.delenv("QUIZGEN_WORKERS", raising=False)
    assert collection.workers(10, jobs=2) == 2 and collection.workers(1, jobs=4) == 1
    assert collection.workers(10) == 1  # below PARALLEL_FROM a pool costs more than it saves
    assert collection.workers(collection.PARALLEL_FROM) == min(collection.cores(), 8)
