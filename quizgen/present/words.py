"""`say()` memoized for the writers: the same few hundred texts (mistake names, step titles,
precision statements) recur in every question, tens of times per page.

A text is remembered by its key and parameters when these are plain strings and integers (no
floats: 1 and 1.0 are equal keys that word differently), and by the catalog function and
language it was worded with, so a language or a catalog swapped in (as tests do) is never
answered from another one. Anything else is worded afresh by `messages.text.say`.
"""

from __future__ import annotations

from typing import Any

from quizgen import messages
from quizgen.messages.text import say as _say

LIMIT = 8192  # remembered texts; the shipped bank words about 200 distinct ones
_said: dict = {}


def say(value: Any, lang: str | None = None) -> str:
    """The words of a record's text field, as `quizgen.messages.text.say` gives them."""
    if type(value) is not dict or "key" not in value:
        return _say(value, lang)
    params = value.get("params")
    if params:
        if not all(type(v) is str or type(v) is int for v in params.values()):
            return _say(value, lang)
        key = (messages.catalog, lang or messages.current(), value["key"], tuple(params.items()))
    else:
        key = (messages.catalog, lang or messages.current(), value["key"])
    try:
        return _said[key]
    except KeyError:
        pass
    if len(_said) >= LIMIT:
        _said.clear()
    words = _said[key] = _say(value, lang)
    return words
