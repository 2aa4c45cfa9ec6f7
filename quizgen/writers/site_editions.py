"""Editions side by side (`quizgen build --lang en,zh`): DIR/<lang>/ each a whole site, every page
linking the same page of the other editions, and DIR/index.html to choose one.

A page's switch link is relative (`../../zh/questions/<id>.html` from a question page), so the
site still works from disk; each link names its language in that language (English, 中文) and
carries `lang`/`hreflang`, so a screen reader pronounces it right.
"""

from __future__ import annotations

from pathlib import Path

from quizgen.messages import html_tag, t
from quizgen.writers.site_env import render


def split(editions: str) -> tuple[str, ...]:
    """"en,zh" -> ("en", "zh"); "" -> () (a single-language build has no switch)."""
    return tuple(code for code in editions.split(",") if code)


def switch(editions: str, lang: str, path: str, root: str) -> list[dict]:
    """The language links of the page at `path` (inside its edition, `root` up to the edition's
    top): one per edition, the current one marked; empty for a single-language build."""
    codes = split(editions)
    if len(codes) < 2 or not path:
        return []
    return [{"href": f"{root}../{code}/{path}", "tag": html_tag(code), "name": t("site.lang_name", code),
             "current": code == lang} for code in codes]


def index_page(codes: tuple[str, ...]) -> str:
    """DIR/index.html: one link per edition, each worded in its own language."""
    editions = [{"href": f"{code}/index.html", "tag": html_tag(code), "name": t("site.lang_name", code),
                 "title": t("site.index_title", code), "lead": t("site.lang_choose", code)} for code in codes]
    return render("editions.html", editions=editions, lang=html_tag(codes[0]))


def write_index(folder: Path, codes: tuple[str, ...]) -> list[str]:
    """Write DIR/index.html into the site folder being built; return the paths written."""
    with open(folder / "index.html", "w", encoding="utf-8", newline="\n") as fh:
        fh.write(index_page(codes))
    return ["index.html"]
