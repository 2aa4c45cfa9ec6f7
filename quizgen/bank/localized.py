"""A family's own words in another language: a `[zh]` table beside its English fields.

The English fields (title, summary, source, hints, prompt) stay where they are; a table named
after a catalog language holds the same fields in that language, checked exactly like the
English ones (`fields.checked_text`: length and LaTeX; a prompt's {{ name }} placeholders).
A question drawn while that language is in use (`quizgen build --lang zh`, an exam spec with
`lang = "zh"`, QUIZGEN_LANG=zh for practice) carries the family's text in it; a field the table
leaves out falls back to English, so a bank written only in English still works in every language.
"""

from __future__ import annotations

from quizgen.bank.fields import add_known, checked_text, visible
from quizgen.bank.prompts import PLACEHOLDER, prompt_problems
from quizgen.bank.texcheck import text_problems
from quizgen.datafile import key_name
from quizgen.limits import MAX_HINTS, MAX_PROMPT, MAX_TEXT
from quizgen.messages import DEFAULT_LANG, current, languages, t

FIELDS = ("title", "summary", "source", "hints", "prompt")


def other_languages() -> tuple[str, ...]:
    """The catalog languages a family may carry a table for (every one but English)."""
    return tuple(code for code in languages() if code != DEFAULT_LANG)


def parse(c, data: dict, english: dict, prompt_names) -> dict[str, dict]:
    """Every language table of a family file, checked; `english` holds the parsed English fields
    (hints as a list, prompt or None). Returns {"zh": {"title": ..., "hints": (...), ...}}."""
    texts = {}
    for code in other_languages():
        if code not in data:
            continue
        table = data[code]
        if not isinstance(table, dict):
            c.add(code, t("family.lang_table", code=code, fields=", ".join(FIELDS)))
            continue
        for key in sorted(set(table) - set(FIELDS)):
            add_known(c, f"{code}.{key_name(key)}", "family.unknown_key", FIELDS)
        texts[code] = _one(c, code, table, english, prompt_names)
    return texts


def _one(c, code: str, table: dict, english: dict, prompt_names) -> dict:
    own: dict = {}
    for name in ("title", "summary", "source"):
        if name not in table:
            continue
        value = table[name]
        if not isinstance(value, str):
            c.add(f"{code}.{name}", t("family.not_string", value=value))
        elif name == "title" and not visible(value):
            c.add(f"{code}.title", t("family.empty"))
        else:
            own[name] = checked_text(c, f"{code}.{name}", value, MAX_TEXT)
    if "hints" in table:
        hints = table["hints"]
        if not isinstance(hints, list) or not all(isinstance(h, str) for h in hints):
            c.add(f"{code}.hints", t("family.hints"))
        elif len(hints) != len(english.get("hints") or ()):
            c.add(f"{code}.hints", t("family.lang_hints_count", count=len(hints), english=len(english.get("hints") or ())))
        elif len(hints) > MAX_HINTS or any(len(h) > MAX_TEXT for h in hints):
            c.add(f"{code}.hints", t("family.hints_too_many", hints=MAX_HINTS, chars=MAX_TEXT))
        else:
            for i, hint in enumerate(hints, start=1):
                for problem in text_problems(hint):
                    c.add(f"{code}.hints[{i}]", problem)
            own["hints"] = tuple(hints)
    if "prompt" in table:
        prompt = table["prompt"]
        if english.get("prompt") is None:
            c.add(f"{code}.prompt", t("family.lang_prompt_unneeded"))
        elif not isinstance(prompt, str):
            c.add(f"{code}.prompt", t("family.prompt_not_string"))
        elif len(prompt) > MAX_PROMPT:
            c.add(f"{code}.prompt", t("family.too_long", length=len(prompt), limit=MAX_PROMPT))
        else:
            problems = prompt_problems(prompt, prompt_names)
            for problem in problems or text_problems(PLACEHOLDER.sub("x", prompt)):
                c.add(f"{code}.prompt", problem)
            own["prompt"] = prompt
    return own


def pick(family, name: str, lang: str | None = None):
    """The family's `name` field in `lang` (default: the language in use), else its English."""
    own = family.texts.get(lang or current(), {})
    return own[name] if name in own else getattr(family, name)
