"""Language-neutral text in records: a message key and its parameters, worded by each writer.

A record field that is prose holds `{"key": "area.name", "params": {...}}` instead of English;
`say()` turns it into the words of one language when a writer renders it. A plain string
(bank text a family author wrote, or a record from before schema 2) passes through unchanged,
so every writer can call `say()` on every text field.
"""

from __future__ import annotations

from typing import Any

from quizgen.messages import t


def text(key: str, **params: Any) -> dict:
    """A message to be worded later: `text("steps.bias_gradient", layer=1)`."""
    return {"key": key, "params": params}


def is_text(value: Any) -> bool:
    """Whether `value` is a text to be worded (rather than a plain string)."""
    return isinstance(value, dict) and "key" in value


def say(value: Any, lang: str | None = None) -> str:
    """The words of a record's text field in `lang` (default: the language in use; parameters
    that are texts are worded too)."""
    if is_text(value):
        params = {name: say(v, lang) for name, v in (value.get("params") or {}).items()}
        return t(value["key"], lang, **params)
    return value
