"""A zh-CN practice session as a Chinese student types it (issue 19): full-width digits,
brackets and commas from a Chinese input method, ：hint with a full-width colon, verdicts and
mistake names in Chinese, and `quizgen stats` tables aligned by display width.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

from practice_support import BANK, ROOT, assert_in_order, find_family, play
from quizgen.bank.generate import variant
from quizgen.bank.load import load_bank
from quizgen.messages import t, using
from quizgen.messages.text import say
from quizgen.practice.report import _table
from quizgen.render.width import width

WIDE = str.maketrans({**{chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)}, " ": " "})


def full_width(answer: str) -> str:
    """What a Chinese input method in full-width mode types for `answer` (brackets as 【】)."""
    return answer.translate(WIDE).replace("［", "【").replace("］", "】")


def test_a_zh_session_reads_full_width_input_and_answers_in_chinese(tmp_path):
    family, q = find_family(lambda q: q.answer.kind == "matrix" and q.answer.shape[0] * q.answer.shape[1] >= 2)
    typed = full_width(q.answer.display)
    assert typed.isascii() is False and "【" in typed
    with using("zh"):
        out, summary = play(tmp_path / "h.sqlite", [family], ["：ｈｉｎｔ", typed])
    assert_in_order(out, ["━━ 第 1 题，共 1 题", "提示 1/", "✓ 正确——答案是", "━━ 小结 ━━", "得分："])
    assert summary.first_correct == 1 if hasattr(summary, "first_correct") else True
    for english in ("Correct", "Question", "Summary", "Score", "Hint"):
        assert english not in out, english


def test_a_zh_session_names_a_mistake_in_chinese(tmp_path):
    family, q = find_family(lambda q: q.answer.kind == "number" and any(d.name for d in q.distractors))
    wrong = q.distractors[0]
    typed = full_width(str(wrong.value if not isinstance(wrong.value, list) else wrong.value[0]))
    with using("zh"):
        out, _ = play(tmp_path / "h.sqlite", [family], [typed, ":skip"])
        name = say(wrong.name)
    assert re.search(r"[\u4e00-\u9fff]", name) and name.rstrip("。") in " ".join(out.split())
    assert "✗ 不太对" in out


def test_quizgen_practice_and_stats_in_zh_from_the_command_line(tmp_path):
    families = load_bank(BANK)
    db = tmp_path / "h.sqlite"
    env = {**os.environ, "QUIZGEN_LANG": "zh"}
    run = subprocess.run([sys.executable, "-m", "quizgen", "practice", "--bank", str(BANK), "--count", "1", "--db", str(db)],
                         input="０．５\n［１，２］\n:skip\n", capture_output=True, text=True, timeout=120, env=env, cwd=ROOT)
    assert run.returncode == 0 and run.stderr == "", run.stderr
    assert_in_order(run.stdout, ["练习：", "━━ 第 1 题，共 1 题", "━━ 小结 ━━"])
    assert "could not read" not in run.stdout and "Summary" not in run.stdout
    stats = subprocess.run([sys.executable, "-m", "quizgen", "stats", "--db", str(db)], capture_output=True, text=True,
                           timeout=60, env=env, cwd=ROOT)
    assert stats.returncode == 0, stats.stderr
    assert_in_order(stats.stdout, ["练习历史：", "各主题正确率", "复习（SM-2）"])
    assert families


def test_stats_tables_align_by_display_width():
    """A Chinese header is two columns a character: right-aligned columns end at the same column."""
    with using("zh"):
        header = [t("practice.stats_topic"), t("practice.stats_attempts"), t("practice.stats_correct")]
    lines = _table(header, [["反向传播", "12", "7"], ["shapes", "3", "10"]], right={1, 2})
    assert len({width(line) for line in lines}) == 1, lines
    ends = [width(line[: line.rindex(line.split()[1]) + len(line.split()[1])]) for line in lines]
    assert len(set(ends)) == 1, lines  # the second column ends at one column in every row
