"""A family carries its own Chinese text in a `[zh]` table (issue 19), checked like its English.

Guards: every shipped family has its zh title, summary, source and hints (one per English hint);
a question drawn in zh carries them while the numbers, answer and id stay those of English; a
broken [zh] table is reported as `file: zh.key: what is wrong` like any other field.
"""

from __future__ import annotations

import re

import pytest

from quizgen.bank.generate import variant
from quizgen.bank.load import load_bank
from quizgen.bank.spec import parse_family
from quizgen.messages import using

FAMILIES = load_bank(None)
HAN = re.compile(r"[\u4e00-\u9fff]")
ENGLISH_WORD = re.compile(r"\b(?!softmax|sigmoid|tanh)[a-z]{4,}\b")


@pytest.mark.parametrize("family", FAMILIES, ids=lambda f: f.id)
def test_every_shipped_family_has_its_zh_text(family):
    zh = family.texts.get("zh", {})
    for name in ("title", "summary", "source"):
        assert HAN.search(zh.get(name, "")), f"{family.path}: [zh] {name} missing or not Chinese"
    assert len(zh.get("hints", ())) == len(family.hints)
    assert all(HAN.search(h) or not ENGLISH_WORD.search(h) for h in zh.get("hints", ()))  # a formula alone may stay
    assert ("prompt" in zh) == (family.prompt is not None)


def test_zh_titles_are_unique_in_the_bank():
    titles = [f.texts["zh"]["title"] for f in FAMILIES]
    assert len(titles) == len(set(titles))


def test_a_question_drawn_in_zh_carries_the_family_text_and_the_same_numbers():
    family = next(f for f in FAMILIES if f.hints)
    english = variant(family, 0, 0)
    with using("zh"):
        chinese = variant(family, 0, 0)
    assert chinese.title == family.texts["zh"]["title"] and chinese.hints == list(family.texts["zh"]["hints"])
    assert chinese.id == english.id and chinese.answer.value == english.answer.value
    assert english.title == family.title  # English stays the default


BASE = {"title": "T", "kind": "forward_value", "difficulty": 1, "source": "S",
        "hints": ["one", "two"], "network": {"hidden": []}, "ask": {"quantity": "Z", "layer": 1}}


@pytest.mark.parametrize("zh, line", [
    ({"title": "标题", "hints": ["一"]}, "zh.hints: has 1 hints but the English hints are 2"),
    ({"title": 3}, "zh.title: must be a string, got 3"),
    ({"title": "\u200b"}, "zh.title: must be empty"),
    ({"titel": "标题"}, "zh.titel: unknown key"),
    ({"summary": "$\\frac{1}$"}, "zh.summary: LaTeX"),
    ({"prompt": "计算 {{ asked }}"}, "zh.prompt: gives a prompt but the family has none"),
    ("标题", "zh: must be a table"),
], ids=["hint-count", "not-string", "empty-title", "unknown-key", "bad-latex", "prompt-without-english", "not-table"])
def test_a_broken_zh_table_is_one_line_per_problem(zh, line):
    family, errors = parse_family(dict(BASE, zh=zh), "fam.toml", "fam", "general")
    assert family is None
    assert any(line.replace("must be empty", "must not be empty") in str(e) for e in errors), [str(e) for e in errors]


def test_a_zh_prompt_is_checked_like_the_english_one():
    data = dict(BASE, prompt="Compute ${{ asked }}$.", zh={"prompt": "计算 {% for x in y %}"})
    family, errors = parse_family(data, "fam.toml", "fam", "general")
    assert family is None and any("zh.prompt" in str(e) and "template" in str(e) for e in errors)
    data["zh"] = {"prompt": "计算 ${{ asked }}$。"}
    family, errors = parse_family(data, "fam.toml", "fam", "general")
    assert not errors and family.texts["zh"]["prompt"] == "计算 ${{ asked }}$。"


def test_family_zh_text_uses_the_glossary_terms():
    """A family's Chinese avoids the renderings the glossary rules out (偏差 for bias, 代价函数, ...)."""
    import tomllib
    from importlib import resources

    glossary = tomllib.loads(resources.files("quizgen.messages").joinpath("glossary.toml").read_text(encoding="utf-8"))
    avoided = [(a, e["term"]) for e in glossary["zh"] for a in e.get("avoid", [])]
    found = []
    for f in FAMILIES:
        zh = f.texts["zh"]
        text = " ".join([zh["title"], zh["summary"], zh["source"], *zh.get("hints", ())])
        found += [f"{f.id}: {a} (use {term})" for a, term in avoided if a in text]
    assert not found, found
