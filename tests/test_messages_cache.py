"""The parsed-catalog copy kept beside the bytecode (issue 15, speed: start-up): the same
messages as parsing the TOML, renewed when a file changes, never trusted when damaged, and not
written where Python writes no bytecode."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from quizgen import messages


@pytest.fixture
def folder(tmp_path, monkeypatch):
    """A catalog folder of two areas, its copies kept under tmp_path/pyc (sys.pycache_prefix)."""
    monkeypatch.setattr(sys, "pycache_prefix", str(tmp_path / "pyc"))
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    lang = tmp_path / "xx"
    lang.mkdir()
    (lang / "site.toml").write_text('title = "Home"\n[nav]\nnext = "Next"\n', encoding="utf-8")
    (lang / "exam.toml").write_text('cover = "Cover {n}"\n', encoding="utf-8")
    return lang


def _copies(tmp_path: Path) -> list[Path]:
    return sorted(p for p in (tmp_path / "pyc").rglob("*.catalog"))


def test_the_copy_holds_what_parsing_gives_and_is_read_back(folder, tmp_path, monkeypatch):
    parsed = messages._folder(folder)
    assert parsed == {"exam.cover": "Cover {n}", "site.title": "Home", "site.nav.next": "Next"}
    assert messages._cached_folder(folder) == parsed
    assert len(_copies(tmp_path)) == 1
    monkeypatch.setattr(messages.tomllib, "loads", lambda text: pytest.fail("parsed again"))
    again = messages._cached_folder(folder)
    assert again == parsed and list(again) == list(parsed)  # same keys in the same order


def test_a_changed_file_is_parsed_again(folder):
    messages._cached_folder(folder)
    (folder / "exam.toml").write_text('cover = "Front page {n}"\n', encoding="utf-8")
    assert messages._cached_folder(folder)["exam.cover"] == "Front page {n}"
    (folder / "extra.toml").write_text('x = "y"\n', encoding="utf-8")
    assert messages._cached_folder(folder)["extra.x"] == "y"


def test_a_damaged_copy_falls_back_to_parsing(folder, tmp_path):
    messages._cached_folder(folder)
    (copy,) = _copies(tmp_path)
    for junk in (b"", b"\x00garbage", copy.read_bytes()[:20]):
        copy.write_bytes(junk)
        assert messages._cached_folder(folder)["site.title"] == "Home"


def test_no_copy_is_written_without_bytecode(folder, tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    assert messages._cached_folder(folder)["site.nav.next"] == "Next"
    assert _copies(tmp_path) == []


def test_shipped_catalogs_read_through_the_copy_equal_the_parsed_ones(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "pycache_prefix", str(tmp_path / "pyc"))
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    for lang in messages.languages():
        folder = messages._ROOT / lang
        parsed = messages._folder(folder)
        for _ in range(2):  # written, then read back
            kept = messages._cached_folder(folder)
            assert kept == parsed and list(kept) == list(parsed)
    assert len(_copies(tmp_path)) == len(messages.languages())
    assert not [p for p in (tmp_path / "pyc").rglob("*.tmp")] and os.listdir(tmp_path / "pyc")
