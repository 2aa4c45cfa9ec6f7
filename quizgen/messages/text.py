"""Language-neutral text in records: a message key and its parameters, worded by each writer.

A record field that is prose holds one of these instead of English, and `say()` turns it into
the words of one language when a writer renders it:
    {"key": "area.name", "params": {...}}   a catalog message; a parameter may itself be a text
    {"template": T, "params": {...}}        a prompt with `{{ name }}` placeholders: T is the
                                            family author's own text, or a text naming a default
                                            prompt in the catalog; each placeholder becomes its
                                            worded parameter, once (nothing else is expanded)
    [piece, ...]                            paragraphs, each worded, blank ones dropped
A plain string (bank text a family author wrote, or a record from before schema 3) passes
through unchanged, so every writer can call `say()` on every text field.
"""

from __future__ import annotations

import re
from typing import Any

from quizgen import messages
from quizgen.messages import han_join, t

# The closed placeholder syntax of prompts (bank/prompts.py checks a template against it).
PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")


def text(key: str, **params: Any) -> dict:
    """A message to be worded later: `text("steps.bias_gradient", layer=1)`."""
    return {"key": key, "params": params}


def template(source: Any, **params: Any) -> dict:
    """A prompt to be worded later: `source` (plain text, or a text naming a catalog prompt) with
    its `{{ name }}` placeholders filled from `params` when it is worded."""
    return {"template": source, "params": params}


def key_or_words(key: str, words: str | None = None) -> Any:
    """A registry entry's name: its message key as a text, or (no catalog has that key: a toy
    entry a test registers) `words`, by default the key itself (a plain name)."""
    return text(key) if key in messages.catalog() else (key if words is None else words)  # read live: tests swap it


def is_text(value: Any) -> bool:
    """Whether `value` is a text to be worded (rather than a plain string)."""
    return isinstance(value, dict) and ("key" in value or "template" in value)


def say(value: Any, lang: str | None = None) -> str:
    """The words of a record's text field in `lang` (default: the language in use; parameters
    that are texts are worded too)."""
    if isinstance(value, dict):
        if "key" in value:
            params = value.get("params")
            if not params:
                return t(value["key"], lang)
            frozen = _frozen(value)
            if frozen is not None:  # the same few hundred texts recur in every question: word each once
                catalog, lang_in_use = messages.catalog, lang or messages.current()
                words = catalog(lang_in_use)
                memo = (catalog, lang_in_use, frozen)
                known = _SAID.get(memo)
                if known is not None and known[0] is words:
                    return known[1]
            # only a text or a list of them is worded; every other parameter is its own words
            said = t(value["key"], lang, **{name: say(v, lang) if isinstance(v, (dict, list)) else v
                                             for name, v in params.items()})
            if frozen is not None:
                if len(_SAID) >= _SAID_MAX:
                    _SAID.clear()
                _SAID[memo] = (words, said)
            return said
        if "template" in value:
            source, params = say(value["template"], lang), value.get("params") or {}
            return _fill(source, lambda name: str(say(params.get(name, ""), lang)))
    if isinstance(value, list):
        return "\n\n".join(p for p in (say(v, lang).strip() for v in value) if p)
    return value


# say() of texts already worded, by the catalog function, the language and the text frozen
# (_frozen); each entry keeps the catalog it was worded from, and is used only while that very
# catalog is in use (a catalog swapped in or reloaded, as tests do, is never answered from the
# old one). Bounded, per process.
_SAID: dict = {}
_SAID_MAX = 8192


def _frozen(value: dict):
    """A text with parameters as a hashable key: its key and each parameter, a str, an int or such
    a text (a tuple, so never equal to a string); None for anything else (a float: 1 and 1.0 are
    equal keys that word differently; a bool; a list)."""
    items = []
    for name, v in (value.get("params") or {}).items():
        kind = type(v)
        if kind is str or kind is int:
            items.append((name, v))
        elif kind is dict and "key" in v:
            inner = _frozen(v)
            if inner is None:
                return None
            items.append((name, inner))
        else:
            return None
    return value["key"], tuple(items)


def keys(value: Any):
    """Every catalog key a text uses, its parameters' included (for tests and checks)."""
    if isinstance(value, dict):
        if "key" in value:
            yield value["key"]
        if "template" in value:
            yield from keys(value["template"])
        for v in (value.get("params") or {}).values() if is_text(value) else ():
            yield from keys(v)
    elif isinstance(value, list):
        for v in value:
            yield from keys(v)


def _fill(source: str, value_of) -> str:
    """`source` with each {{ name }} replaced by value_of(name), no space left between two Han
    words ("执行 3 步带动量的 SGD", not "步 带动量的")."""
    if source.isascii():  # no Han character (all are non-ASCII), so no gap to close: one pass in C
        return PLACEHOLDER.sub(lambda m: value_of(m.group(1)), source)
    out, at = [], 0
    for m in PLACEHOLDER.finditer(source):
        value = value_of(m.group(1))
        start, end = han_join(source, m.start(), m.end(), value)
        out += [source[at:max(start, at)], value]
        at = end
    return "".join(out) + source[at:]
