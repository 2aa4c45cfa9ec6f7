"""`quizgen check` reports a family whose draws rarely separate the answer from its mistakes."""

from __future__ import annotations

import shutil
from pathlib import Path

from quizgen.cli import main
from quizgen.commands import check

SHIPPED = Path(__file__).resolve().parents[2] / "question_bank" / "backprop" / "deep-recursion-da1.toml"


def test_check_reports_a_family_whose_draws_rarely_separate(monkeypatch, capsys, tmp_path):
    (tmp_path / "backprop").mkdir()
    shutil.copy(SHIPPED, tmp_path / "backprop" / SHIPPED.name)
    assert main(["check", "--bank", str(tmp_path), "--variants", "20"]) == 0  # 2 of 39 draws: fine (issue 16: 4 more rejected as degenerate)
    capsys.readouterr()
    monkeypatch.setattr(check, "RARELY_SEPARATE", 0.0)  # now any inseparable draw is "rarely"
    assert main(["check", "--bank", str(tmp_path), "--variants", "20"]) == 2
    line = capsys.readouterr().err.splitlines()[0]
    assert line == (f"{tmp_path / 'backprop' / SHIPPED.name}: network: draws rarely separate the answer from its "
                    "mistakes: 2 of 39 draws were thrown away (most often: the mistake derivative_at_output lies "
                    "within the answer's tolerance)")
