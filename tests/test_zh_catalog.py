"""The zh-CN edition is complete and speaks one vocabulary (issue 19).

Every key of the English catalog has a zh text with the same {placeholders}; a key added to
English without its Chinese fails here and is named, so it can be filled in. The glossary
(quizgen/messages/glossary.toml) gives each course term one Chinese rendering: where an English
message uses the term, the zh message of the same key uses that rendering, and no zh message uses
a rendering the glossary rules out.
"""

from __future__ import annotations

import re
import string
import tomllib
from importlib import resources
from pathlib import Path

import pytest

from quizgen.messages import _flatten, catalog, check_lang

LANG = "zh"
GLOSSARY = tomllib.loads(resources.files("quizgen.messages").joinpath("glossary.toml").read_text(encoding="utf-8"))
# Text that is not prose: {placeholders}, {{ prompt placeholders }}, `code`, paths and "e.g."/"for example".
NOT_PROSE = re.compile(r"\{\{.*?\}\}|\{[^{}]*\}|`[^`]*`|\b(?:e\.g\.|for example)\b|\S+\.(?:toml|html|csv|json)\b"
                       r"|carried forward|families = \[\.\.\.\]|\$[^$]*\$", re.I)


def _own(lang: str) -> dict[str, str]:
    """A language's own messages, without the English fallback `catalog` merges underneath."""
    into: dict[str, str] = {}
    folder = resources.files("quizgen.messages").joinpath(lang)
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            _flatten(tomllib.loads(entry.read_text(encoding="utf-8")), entry.name[:-5] + ".", into)
    return into


EN, ZH = _own("en"), _own(LANG)


def _fields(text: str) -> list:
    return sorted((name, spec, conv) for _, name, spec, conv in string.Formatter().parse(text) if name is not None)


def test_every_english_key_has_a_zh_text():
    missing = sorted(set(EN) - set(ZH))
    assert not missing, f"{len(missing)} key(s) lack a zh text in quizgen/messages/zh/: " + ", ".join(missing)


def test_zh_holds_no_key_english_lacks():
    stale = sorted(set(ZH) - set(EN))
    assert not stale, "zh keys no longer in the English catalog (remove them): " + ", ".join(stale)


def test_the_zh_files_mirror_the_english_files():
    names = lambda code: sorted(e.name for e in resources.files("quizgen.messages").joinpath(code).iterdir()
                                if e.name.endswith(".toml"))
    assert names(LANG) == names("en")


def test_each_zh_text_has_the_english_placeholders():
    differ = [f"{k}: en {_fields(EN[k])} zh {_fields(ZH[k])}" for k in sorted(set(EN) & set(ZH))
              if _fields(EN[k]) != _fields(ZH[k])]
    assert not differ, "\n".join(differ)


def test_each_zh_text_is_chinese_or_deliberately_the_same():
    """A zh text copied from English by mistake is caught; names kept as they are (ReLU) are allowed."""
    han = re.compile(r"[\u4e00-\u9fff]")
    untranslated = [k for k in ZH if not han.search(ZH[k]) and ZH[k] != EN[k] and re.search(r"[A-Za-z]{4,}\s+[a-z]{3,}", ZH[k])]
    assert not untranslated, untranslated


def _uses(term_spellings: list[str], text: str) -> bool:
    prose = NOT_PROSE.sub(" ", text)
    return any(re.search(r"(?<![\w-])%s(?![\w-])" % re.escape(s), prose, re.I) for s in term_spellings)


@pytest.mark.parametrize("entry", GLOSSARY["zh"], ids=lambda e: e["en"][0])
def test_a_glossary_term_is_rendered_one_way(entry):
    wrong = [f"{k}: {ZH[k]!r}" for k in sorted(EN) if k in ZH and _uses(entry["en"], EN[k]) and entry["term"] not in ZH[k]]
    assert not wrong, f"English uses {entry['en'][0]!r} but zh lacks {entry['term']!r}:\n" + "\n".join(wrong)
    avoided = [f"{k}: {a}" for k in sorted(ZH) for a in entry.get("avoid", []) if a in ZH[k]]
    assert not avoided, f"zh uses a rendering other than {entry['term']!r}: " + ", ".join(avoided)


def test_the_glossary_holds_the_course_terms():
    terms = {e["term"] for e in GLOSSARY["zh"]}
    assert {"反向传播", "梯度", "损失函数", "激活", "交叉熵", "链式法则", "学习率", "批量", "转置", "权重", "偏置",
            "前向传播", "均方误差"} <= terms
    spellings = [s.lower() for e in GLOSSARY["zh"] for s in e["en"]]
    assert len(spellings) == len(set(spellings)), "an English term is listed twice"


def test_zh_is_a_language_and_zh_cn_its_alias():
    assert check_lang("zh") == "zh"
    assert catalog("zh")["site.nav_home"] == "题目"
