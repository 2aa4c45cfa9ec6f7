"""Regression: zh text never leaves a space between two Han words where a placeholder meets
the template ("第 1 层的激活 恒等函数", "逐元素应用 恒等函数。", "执行 3 步 带动量的 SGD"); a space
between Latin or a number and Han stays (house style: "第 1 层的激活 sigmoid")."""

from __future__ import annotations

import re

from bankcheck import family_ids, questions

from quizgen.messages import t, using
from quizgen.messages.text import say, template

GAP = re.compile("[\u3400-\u9fff\uf900-\ufaff] [\u3400-\u9fff\uf900-\ufaff]")


def test_a_han_activation_name_joins_its_han_neighbours():
    assert t("steps.activation", "zh", layer=1, act="恒等函数") == "第 1 层的激活恒等函数"
    assert t("steps.activation_why", "zh", act="恒等函数") == "逐元素应用恒等函数。"
    assert t("steps.back_through_why", "zh", act="恒等函数", at="Z1") == "逐元素乘以恒等函数在 Z1 处的导数。"


def test_a_latin_name_keeps_its_spaces():
    assert t("steps.activation", "zh", layer=1, act="sigmoid") == "第 1 层的激活 sigmoid"
    assert t("steps.back_through_why", "zh", act="sigmoid", at="Z1") == "逐元素乘以 sigmoid 在 Z1 处的导数。"


def test_a_prompt_placeholder_joins_its_han_neighbours():
    assert say(template("执行 {{ n }} 步 {{ opt }} 更新", n="3", opt="带动量的 SGD"), "zh") == "执行 3 步带动量的 SGD 更新"
    assert say(template("步 {{ opt }} 更新", opt="Adam"), "zh") == "步 Adam 更新"


def test_no_shipped_question_has_a_gap_between_han_words():
    with using("zh"):
        for fid in family_ids():
            for q in questions(fid)[:2]:
                words = [say(q.prompt)] + [say(s.title) for s in q.steps] + [say(s.explanation) for s in q.steps]
                words += [say(d.name) for d in q.distractors] + [say(d.explanation) for d in q.distractors]
                for w in words:
                    assert not GAP.search(w or ""), (q.id, w)
