"""The site's feedback labels take their punctuation from the catalog (zh reads 常见错误：)."""

from __future__ import annotations

from pathlib import Path

from quizgen.writers.site_env import messages

ROOT = Path(__file__).resolve().parents[2]


def test_the_common_mistake_label_is_punctuated_by_the_catalog():
    """site.js once appended an ASCII ': ' to "常见错误" on the Chinese practice page."""
    js = (ROOT / "templates" / "static" / "js" / "site.js").read_text(encoding="utf-8")
    assert "msg('mistake') + ': '" not in js and "msg('label', { label: msg('mistake') })" in js
    assert messages("en")["js_label"].format(label="Common mistake") == "Common mistake: "
    assert messages("zh")["js_label"].format(label="常见错误") == "常见错误："


def test_question_page_labels_take_the_catalog_colon():
    """The zh question page once read 形状: 1×2, 输入形式: 0.25 and 漏掉对角项: … with ASCII colons."""
    page = (ROOT / "templates" / "site" / "question.html").read_text(encoding="utf-8")
    assert "}}: " not in page and "</strong>: " not in page
    assert messages("en")["colon"].format(label="Shape") == "Shape: "
    assert messages("zh")["colon"].format(label="形状") == "形状："
