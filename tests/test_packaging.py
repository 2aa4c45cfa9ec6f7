"""The installed package carries everything a plain (non-editable) install needs."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_subpackage_is_listed_in_pyproject():
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "quizgen").rglob("__init__.py")}
    assert found - listed == set(), f"add to pyproject [tool.setuptools] packages: {sorted(found - listed)}"


def test_top_level_data_folders_are_mapped_into_the_package():
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    assert setuptools["package-dir"] == {"quizgen.templates": "templates", "quizgen.question_bank": "question_bank"}
    assert {"quizgen.templates", "quizgen.question_bank"} <= set(setuptools["packages"])
