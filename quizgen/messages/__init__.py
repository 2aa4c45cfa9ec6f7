"""The message catalog: every user-facing string, by key, per language.

Strings live in quizgen/messages/<lang>/<area>.toml (area = site, exam, practice, grading, ...),
each a flat table `key = "text with {placeholders}"`. Keys are namespaced by area:
`t("site.reveal_next")`. A zh-CN edition is a new folder with the same keys; a missing key
falls back to English, so a partial translation still runs.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources

DEFAULT_LANG = "en"


@lru_cache(maxsize=None)
def catalog(lang: str = DEFAULT_LANG) -> dict[str, str]:
    """All messages of a language (English underneath), keyed "area.key"."""
    merged: dict[str, str] = {}
    for code in ([DEFAULT_LANG] if lang == DEFAULT_LANG else [DEFAULT_LANG, lang]):
        folder = resources.files("quizgen.messages").joinpath(code)
        if not folder.is_dir():
            continue
        for entry in sorted(folder.iterdir(), key=lambda e: e.name):
            if entry.name.endswith(".toml"):
                area = entry.name[:-5]
                for key, text in tomllib.loads(entry.read_text(encoding="utf-8")).items():
                    merged[f"{area}.{key}"] = text
    return merged


def t(key: str, lang: str = DEFAULT_LANG, **values) -> str:
    """The message for `key`, with {placeholders} filled in; an unknown key raises KeyError."""
    text = catalog(lang)[key]
    return text.format(**values) if values else text


def area(name: str, lang: str = DEFAULT_LANG) -> dict[str, str]:
    """One area's messages without the prefix (e.g. to embed in a page for JavaScript)."""
    prefix = name + "."
    return {k[len(prefix):]: v for k, v in catalog(lang).items() if k.startswith(prefix)}
