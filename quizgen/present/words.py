"""`say()` memoized for the writers: the same few hundred texts (mistake names, step titles,
precision statements) recur in every question, tens of times per page.

A text is remembered by its key and parameters when these are plain strings and integers or
texts made of them in turn (no floats: 1 and 1.0 are equal keys that word differently), and by
the catalog function and language it was worded with, so a language or a catalog swapped in
(as tests do) is never answered from another one. Anything else is worded afresh by
`messages.text.say`.
"""

from __future__ import annotations

from typing import Any

from quizgen import messages
from quizgen.messages.text import _fill, say as _say

LIMIT = 8192  # remembered texts; the shipped bank words about 200 distinct ones
_said: dict = {}


def _frozen(value: dict):
    """A text {"key", "params"} as a hashable key, or None when a parameter is anything but a
    str, an int or such a text (a nested text is a tuple, so it never equals a str parameter)."""
    params = value.get("params")
    if not params:
        return (value["key"],)
    items = []
    for name, v in params.items():
        kind = type(v)
        if kind is dict:
            if "key" not in v or "template" in v:
                return None
            v = _frozen(v)
            if v is None:
                return None
        elif kind is not str and kind is not int:
            return None
        items.append((name, v))
    return (value["key"], tuple(items))


def say(value: Any, lang: str | None = None) -> str:
    """The words of a record's text field, as `quizgen.messages.text.say` gives them."""
    kind = type(value)
    if kind is str:  # plain bank text words as itself (messages.text.say returns it unchanged)
        return value
    if kind is dict and "key" not in value and "template" in value:
        # a prompt: unique per question, but its parameters are texts that recur (the optimizer's
        # name, the loss): messages.text.say's own steps, with each piece remembered
        source, params = say(value["template"], lang), value.get("params") or {}
        return _fill(source, lambda name: str(say(params.get(name, ""), lang)))
    if kind is list:  # paragraphs, as messages.text.say joins them
        return "\n\n".join(p for p in (say(v, lang).strip() for v in value) if p)
    if kind is not dict or "key" not in value:
        return _say(value, lang)
    frozen = _frozen(value)
    if frozen is None:
        return _say(value, lang)
    key = (messages.catalog, lang or messages.current(), frozen)
    try:
        return _said[key]
    except KeyError:
        pass
    if len(_said) >= LIMIT:
        _said.clear()
    words = _said[key] = _say(value, lang)
    return words
