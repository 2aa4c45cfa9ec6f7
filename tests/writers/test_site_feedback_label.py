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
