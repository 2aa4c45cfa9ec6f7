"""Paths the exam tests share (a plain module: conftest.py is for fixtures)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SPECS = ROOT / "tests" / "fixtures" / "exam_specs"
THREE = SPECS / "good" / "three_versions.toml"  # 4 sections, 6 questions, shuffles, formula sheet
ONE = SPECS / "good" / "one_question.toml"  # Letter paper, one short question, formula sheet
MIDTERM = ROOT / "examples" / "midterm.toml"
