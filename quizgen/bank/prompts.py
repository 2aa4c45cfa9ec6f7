"""Default prompts per kind, and the closed placeholder syntax every prompt is written in.

A prompt is Markdown + LaTeX with `{{ name }}` placeholders, nothing more: each placeholder is
replaced by its value as text, in one pass (a value is never expanded again), and only names
the kind provides exist. There are no expressions, filters, conditionals or comments, so a
prompt from a stranger's bank can compute nothing; words that depend on a value ("example" or
"examples") are context values computed in Python (`prompt_context`).

A record keeps its prompt unworded (`prompt_record`): the family's own text, or the catalog keys
of the default, each with the values its placeholders name, so every writer words it in its own
language (messages.text.say).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

from quizgen.messages import catalog, languages, t
from quizgen.messages.text import PLACEHOLDER, is_text, template, text

@lru_cache(maxsize=1)
def _registry() -> dict:
    """The kind registry itself (one dict, registered into in place), looked up once."""
    from quizgen.bank.kinds import KINDS  # the kind modules import this one: read the registry late

    return KINDS


def default_kinds() -> tuple[str, ...]:
    """The registered kinds whose default prompt lives in the catalog (prompts.<kind>); a kind
    without one (a toy kind in a test) words its own."""
    keys = catalog()
    return tuple(kind for kind in _registry() if f"prompts.{kind}" in keys)


def has_default(kind: str) -> bool:
    """`kind in default_kinds()`, asked of the one kind (once per question: no tuple of them all)."""
    return kind in _registry() and f"prompts.{kind}" in catalog()


def network_kinds() -> tuple[str, ...]:
    """The kinds whose default prompt opens with the network paragraph (Kind.network_prompt)."""
    return tuple(name for name, kind in _registry().items() if kind.network_prompt)


class _Defaults(Mapping):
    """Each kind's default prompt, in the language in use: the words live in prompts.toml."""

    def __getitem__(self, kind: str) -> str:
        if kind not in default_kinds():
            raise KeyError(kind)
        return "".join(t(key) for key in _default_keys(kind))

    def __iter__(self):
        return iter(default_kinds())

    def __len__(self) -> int:
        return len(default_kinds())


DEFAULTS = _Defaults()

_OPENER = re.compile(r"\{\{|\{%|\{#")
_SHOWN = 40  # characters of a bad placeholder quoted back in an error


def prompt_context(context: dict) -> dict:
    """The kind's values plus the words a default prompt derives from them (texts, worded when
    the prompt is)."""
    m, reduction, notation = context.get("m"), context.get("reduction"), context.get("notation")
    words = {"examples": text("prompts.example_one" if m == 1 else "prompts.example_many"),
             "reduced": text("prompts.reduced_mean" if reduction == "mean" else "prompts.reduced_sum")}
    if notation in ("column", "row"):
        words["notation"] = text("prompts.notation_column" if notation == "column" else "prompts.notation_row")
    return {**context, **words}


def _default_keys(kind: str) -> list[str]:
    return (["prompts.network"] if _registry()[kind].network_prompt else []) + [f"prompts.{kind}"]


def default_sources(kind: str) -> list:
    """A shipped kind's default prompt as catalog texts, one per paragraph (the network first)."""
    return [text(key) for key in _default_keys(kind)]


@lru_cache(maxsize=256)
def _catalog_names(key: str, langs: tuple[str, ...]) -> tuple[str, ...]:
    found = (catalog(lang).get(key, "") for lang in langs)
    return tuple(sorted({name for words in found for name in PLACEHOLDER.findall(words)}))


def _names(source) -> tuple[str, ...]:
    """The placeholders a prompt source uses, sorted (a catalog prompt: in any language)."""
    if is_text(source):
        return _catalog_names(source["key"], languages())
    return tuple(sorted(set(PLACEHOLDER.findall(source))))


def _value(value):
    return value if is_text(value) else str(value)


def prompt_record(sources: list, context: dict) -> list:
    """The record's prompt paragraphs: each source with the values its placeholders name (plain
    values as the text they print as, words as texts)."""
    pieces = []
    for source in sources:
        pieces.append(template(source, **{n: _value(context.get(n, "")) for n in _names(source)}))
    return pieces


def prompt_problems(prompt: str, names) -> list[str]:
    """Every way `prompt` leaves the placeholder syntax, each a one-line 'what is wrong'."""
    problems = []
    pos = 0
    while match := _OPENER.search(prompt, pos):
        line = prompt.count("\n", 0, match.start()) + 1
        if match.group() != "{{":
            problems.append(t("input.prompt_not_template", opener=match.group(), line=line))
            pos = match.end()
            continue
        end = prompt.find("}}", match.end())
        if end < 0:
            problems.append(t("input.prompt_unclosed", line=line))
            break
        whole = PLACEHOLDER.fullmatch(prompt, match.start(), end + 2)
        if whole is None:
            inner = " ".join(prompt[match.end():end].split())
            shown = inner if len(inner) <= _SHOWN else inner[:_SHOWN] + "…"
            problems.append(t("input.prompt_not_placeholder", inner=shown, line=line))
        elif whole.group(1) not in names:
            problems.append(t("input.prompt_unknown", name=whole.group(1), available=", ".join(sorted(names))))
        pos = end + 2
    return problems


def render_prompt(source: str, context: dict) -> str:
    """Each `{{ name }}` replaced by str(its value), once; ValueError for anything else."""
    problems = prompt_problems(source, context)
    if problems:
        raise ValueError(problems[0])
    return PLACEHOLDER.sub(lambda m: str(context[m.group(1)]), source)
