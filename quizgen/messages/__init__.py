"""The message catalog: every user-facing string, by key, per language.

Strings live in quizgen/messages/<lang>/<area>.toml (area = site, exam, practice, grading, ...),
each a table `key = "text with {placeholders}"`; a sub-table `[name]` holds keys "name.key"
(mistakes.toml: `[sign_flipped] name = ...`). Keys are namespaced by area:
`t("site.index_title")`. A zh-CN edition is a new folder with the same keys; a missing key
falls back to English, so a partial translation still runs.

One language is in use at a time: a command chooses it once (`--lang`, checked by
`check_lang`) and runs inside `using(lang)`; every `t()` and `say()` without an explicit
language words its text in it.
"""

from __future__ import annotations

import importlib.util
import marshal
import os
import re
import sys
import tomllib
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path

DEFAULT_LANG = "en"
_ROOT = Path(__file__).parent  # the catalog folders, installed or in a checkout (as quizgen.resources finds data)
_EXTRA: dict[str, object] = {}  # language -> folder added at run time (add_language; tests)
# Other spellings a user may type for a catalog folder, and the tag each folder's pages declare.
ALIASES = {"zh-cn": "zh", "zh-hans": "zh", "zh_cn": "zh", "en-us": "en", "en-gb": "en"}
HTML_TAGS = {"zh": "zh-CN"}
_CURRENT: ContextVar[str] = ContextVar("quizgen_lang", default=DEFAULT_LANG)


def _flatten(table: dict, prefix: str, into: dict[str, str]) -> None:
    for key, value in table.items():
        if isinstance(value, dict):
            _flatten(value, f"{prefix}{key}.", into)
        else:
            into[prefix + key] = value


@lru_cache(maxsize=None)
def catalog(lang: str = DEFAULT_LANG) -> dict[str, str]:
    """All messages of a language (English underneath), keyed "area.key"."""
    # Another language starts from a copy of the cached English instead of parsing it again.
    merged: dict[str, str] = {} if lang == DEFAULT_LANG else dict(catalog(DEFAULT_LANG))
    extra = _EXTRA.get(lang)
    folder = extra or _ROOT / lang
    if folder.is_dir():
        merged.update(_folder(folder, cached=extra is None))
    return merged


def _folder(folder, cached: bool = False) -> dict[str, str]:
    """One folder's messages, flattened; `cached`: through a parsed copy kept like bytecode."""
    if cached:
        return _cached_folder(folder)
    flat: dict[str, str] = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            _flatten(tomllib.loads(entry.read_text(encoding="utf-8")), entry.name[:-5] + ".", flat)
    return flat


_CACHE_FORMAT = 1  # raise when what the cache file holds changes


def _cached_folder(folder: Path) -> dict[str, str]:
    """A shipped catalog folder's messages from a marshal file beside quizgen's bytecode (e.g.
    messages/__pycache__/en.cpython-311.catalog), valid while every .toml in the folder keeps its
    name, size and modification time, as a .pyc is for its source: parsing the TOML is ~20 ms of
    every command's start-up, reading the copy well under 1 ms. The copy is written where Python
    writes bytecode and not when it writes none (PYTHONDONTWRITEBYTECODE); any problem with it
    falls back to parsing."""
    try:
        entries = sorted((e for e in os.scandir(folder) if e.name.endswith(".toml")), key=lambda e: e.name)
        stamp = tuple((e.name, e.stat().st_mtime_ns, e.stat().st_size) for e in entries)
        cache = Path(importlib.util.cache_from_source(str(folder) + ".py")).with_suffix(".catalog")
    except (OSError, NotImplementedError, ValueError):
        return _folder(folder)
    try:
        kept = marshal.loads(cache.read_bytes())
        if kept[0] == _CACHE_FORMAT and kept[1] == stamp and isinstance(kept[2], dict):
            return kept[2]
    except (OSError, EOFError, ValueError, TypeError, IndexError):
        pass
    flat = _folder(folder)
    if not sys.dont_write_bytecode:
        tmp = cache.with_name(f"{cache.name}.{os.getpid()}.tmp")
        try:
            data = marshal.dumps((_CACHE_FORMAT, stamp, flat))
            cache.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_bytes(data)
            os.replace(tmp, cache)  # whole or not at all, whatever runs beside us
        except (OSError, ValueError):  # ValueError: a value marshal cannot hold (a TOML date)
            try:
                tmp.unlink(missing_ok=True)
            except OSError:
                pass
    return flat


@lru_cache(maxsize=1)
def languages() -> tuple[str, ...]:
    """The languages that have a folder of messages, sorted."""
    return tuple(sorted({e.name for e in _ROOT.iterdir()
                         if e.is_dir() and any(f.name.endswith(".toml") for f in e.iterdir())} | set(_EXTRA)))


def add_language(code: str, folder) -> None:
    """Use `folder` (of <area>.toml files) as language `code`, e.g. a pseudo-language a test
    builds in a temporary folder; `remove_language` undoes it."""
    _EXTRA[code] = folder
    catalog.cache_clear()
    languages.cache_clear()


def remove_language(code: str) -> None:
    _EXTRA.pop(code, None)
    catalog.cache_clear()
    languages.cache_clear()


def check_lang(lang: str | None, where: str = "--lang") -> str:
    """`lang` if a catalog exists for it (None: the default); else a QuizgenError naming those that do."""
    from quizgen.errors import QuizgenError

    if lang is None:
        return DEFAULT_LANG
    found = resolve(lang)
    if found is None:
        raise QuizgenError(f"{where}: " + unknown_lang(lang))
    return found


def resolve(lang) -> str | None:
    """The catalog folder `lang` names ("zh", or an alias such as "zh-CN"), or None if there is none."""
    if not isinstance(lang, str):
        return None
    code = lang if lang in languages() else ALIASES.get(lang.strip().lower())
    return code if code in languages() else None


def html_tag(lang: str) -> str:
    """The language tag a page in catalog `lang` declares (`<html lang="zh-CN">`)."""
    return HTML_TAGS.get(lang, lang)


def unknown_lang(lang) -> str:
    """The one-line complaint about a language without a catalog, naming those with one."""
    return t("cli.unknown_lang", code=lang, available=", ".join(languages()))


def current() -> str:
    """The language in use (set by `using`)."""
    return _CURRENT.get()


@contextmanager
def using(lang: str):
    """Word every message inside the block in `lang` (unless a call names its own)."""
    token = _CURRENT.set(lang)
    try:
        yield lang
    finally:
        _CURRENT.reset(token)


def t(key: str, lang: str | None = None, **values) -> str:
    """The message for `key`, with {placeholders} filled in; an unknown key raises KeyError."""
    text = catalog(lang or _CURRENT.get())[key]
    if not values:
        return text
    for name, before in _han_gaps(text):
        if _han_edge(values.get(name), before):  # "的激活 {act}" with act "恒等函数": no space
            gap = _HAN_BEFORE if before else _HAN_AFTER
            text = re.sub(gap.format(re.escape("{" + name + "}")), "{" + name + "}", text)
    return text.format(**values)


_HAN_CLASS = "[\u3400-\u9fff\uf900-\ufaff]"
_HAN_BEFORE = r"(?<=" + _HAN_CLASS + r") {}"
_HAN_AFTER = r"{} (?=" + _HAN_CLASS + r")"


def _han(ch: str) -> bool:
    """Whether one character is Han (in _HAN_CLASS; compared, not matched: compiling a class this
    wide is ~3 ms of start-up)."""
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


@lru_cache(maxsize=1)
def _gap_patterns():
    """The gap patterns, compiled at the first template that holds anything but ASCII."""
    return re.compile(_HAN_BEFORE.format(r"\{(\w+)\}")), re.compile(_HAN_AFTER.format(r"\{(\w+)\}"))


@lru_cache(maxsize=None)
def _han_gaps(text: str) -> tuple[tuple[str, bool], ...]:
    """Placeholders a space parts from a Han character in the template: (name, space before it).
    A space between Latin or a number and Han is house style; between two Han words it is a
    stray gap, so it goes when the value itself starts (or ends) with Han."""
    if text.isascii():  # no Han character, so no gap (and no pattern to compile)
        return ()
    before, after = _gap_patterns()
    return (tuple((m.group(1), True) for m in before.finditer(text))
            + tuple((m.group(1), False) for m in after.finditer(text)))


def han_join(source: str, start: int, end: int, value: str) -> tuple[int, int]:
    """The span of `source` that `value` replaces in place of source[start:end], widened over a
    space that would part two Han characters (the template's and the value's)."""
    if value and start >= 2 and source[start - 1] == " " and _han(source[start - 2]) and _han(value[0]):
        start -= 1
    if value and end + 1 < len(source) and source[end] == " " and _han(source[end + 1]) and _han(value[-1]):
        end += 1
    return start, end


def _han_edge(value, before: bool) -> bool:
    """Whether the value's character next to the gap is Han."""
    if not isinstance(value, str) or not value:
        return False
    return _han(value[0] if before else value[-1])


def area(name: str, lang: str | None = None) -> dict[str, str]:
    """One area's messages without the prefix (e.g. to embed in a page for JavaScript)."""
    prefix = name + "."
    return {k[len(prefix):]: v for k, v in catalog(lang or _CURRENT.get()).items() if k.startswith(prefix)}
