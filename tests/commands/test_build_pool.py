"""Worker pools start with `spawn` where there is no safe `fork` (macOS, Windows): same bytes.

The spawn path runs here on Linux too, so a job or bank that cannot be pickled, or a worker that
forgets to load the families, fails on every platform's CI rather than on a user's Mac.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from quizgen.bank import collection
from quizgen.bank.load import load_bank
from quizgen.commands.build import build
from quizgen.publish import _Render
from quizgen.writers import context, get

ROOT = Path(__file__).resolve().parents[2]
MINIMAL = ROOT / "tests" / "fixtures" / "bank_minimal"


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def two_workers(monkeypatch):
    """Force a pool of two whatever the machine's core count (the threshold still applies)."""
    monkeypatch.setattr(collection, "workers", lambda total, jobs=None: 2 if total >= collection.PARALLEL_FROM else 1)


def test_start_method_is_fork_on_linux_and_spawn_elsewhere(monkeypatch):
    monkeypatch.setattr(sys, "platform", "darwin")
    assert collection.start_method() == "spawn"
    monkeypatch.setattr(sys, "platform", "win32")
    assert collection.start_method() == "spawn"
    monkeypatch.setattr(sys, "platform", "linux")
    assert collection.start_method() == "fork"


def test_spawned_workers_build_the_same_site_as_one_process(tmp_path, monkeypatch, two_workers):
    variants = -(-collection.PARALLEL_FROM // len(load_bank(MINIMAL)))  # just enough for a pool
    monkeypatch.setattr(collection, "start_method", lambda: "spawn")
    build(MINIMAL, tmp_path / "spawn", variants=variants)
    monkeypatch.setattr(collection, "workers", lambda total, jobs=None: 1)
    build(MINIMAL, tmp_path / "one", variants=variants)
    spawned, single = tree(tmp_path / "spawn"), tree(tmp_path / "one")
    assert list(spawned) == list(single) and [name for name in spawned if spawned[name] != single[name]] == []


def test_spawned_workers_export_the_same_bytes(two_workers):
    families = load_bank(MINIMAL)
    variants = -(-collection.PARALLEL_FROM // len(families))
    job = _Render(get("json"), context(get("json"), variants))
    pooled = b"".join(collection.map_variants(families, variants, 3, job, method="spawn"))
    single = b"".join(job(f, i, 3) for f in families for i in range(variants))
    assert pooled == single
