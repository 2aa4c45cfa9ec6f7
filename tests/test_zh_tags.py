"""Family tags are worded on the site in the page's language (issue 19).

Regression: tags ("optimizer", "adam", "chain-rule") are bank data and were shown as written on zh
pages. messages/<lang>/tags.toml gives each shipped tag its words; links and filters keep the tag
itself, and a tag no catalog names (a stranger's bank) is shown as written.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from quizgen.cli import main
from quizgen.messages import using
from quizgen.writers.site_env import environment, tag_name

ROOT = Path(__file__).resolve().parents[1]
MINIMAL = ROOT / "tests" / "fixtures" / "bank_minimal"
HAN = re.compile(r"[\u4e00-\u9fff]")
NAMES = {"adam", "elu", "leaky-relu", "mnist", "relu", "rmsprop", "sgd", "sigmoid", "softmax", "softplus", "tanh"}  # kept as names


def _own(lang: str) -> dict:
    return tomllib.loads((ROOT / "quizgen" / "messages" / lang / "tags.toml").read_text(encoding="utf-8"))


def _shipped_tags() -> set[str]:
    return {tag for path in (ROOT / "question_bank").rglob("*.toml")
            for tag in tomllib.loads(path.read_text(encoding="utf-8")).get("tags", [])}


def test_every_shipped_tag_has_an_english_and_a_chinese_word():
    tags, en, zh = _shipped_tags(), _own("en"), _own("zh")
    assert len(tags) > 40
    assert not sorted(tags - set(en)), "tags without words in messages/en/tags.toml: " + ", ".join(sorted(tags - set(en)))
    assert not sorted(tags - set(zh)), "tags without words in messages/zh/tags.toml: " + ", ".join(sorted(tags - set(zh)))
    untranslated = [tag for tag in tags if not HAN.search(zh[tag]) and tag not in NAMES]
    assert not untranslated, untranslated


def test_a_tag_is_worded_in_the_language_in_use_and_an_unknown_one_as_written():
    with using("zh"):
        assert tag_name("chain-rule") == "链式法则" and tag_name("optimizer") == "优化器"
        assert tag_name("my-own-tag") == "my-own-tag"
        page = environment().from_string("{% from 'macros.html' import tags %}{{ tags(m, items) }}")
        html = page.render(m={"tags_label": "标签"}, items=["momentum", "<b>x</b>"])
    assert "<li>动量</li>" in html and "<li>&lt;b&gt;x&lt;/b&gt;</li>" in html
    with using("en"):
        assert tag_name("chain-rule") == "chain-rule"


def test_the_zh_site_shows_tags_in_chinese_and_filters_by_the_tag(tmp_path, capsys):
    out = tmp_path / "site"
    assert main(["build", "--bank", str(MINIMAL), "--out", str(out), "--variants", "1", "--lang", "zh"]) == 0
    index = (out / "index.html").read_text(encoding="utf-8")
    assert '<option value="logistic-regression">逻辑回归</option>' in index
    assert "<li>列记法</li>" in index and 'data-tags="forward|relu|column"' in index
    assert not re.search(r"<li>(?:column|row|forward|formula|multiple-choice|logistic-regression|bce)</li>", index)
    for page in sorted((out / "families").glob("*.html")) + sorted((out / "questions").glob("*.html")):
        shown = re.findall(r"<li>([^<]*)</li>", re.search(r'<ul class="tags".*?</ul>', page.read_text(encoding="utf-8")).group(0))
        assert shown and all(HAN.search(w) or w.lower().replace(" ", "-") in NAMES for w in shown), (page.name, shown)
