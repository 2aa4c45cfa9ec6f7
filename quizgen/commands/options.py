"""Options several commands share: `--lang`, the one language setting every writer words text in.

A language is a catalog folder (`en`, `zh`) or an alias of one (`zh-CN`). `quizgen build` also
takes a comma-separated list (`--lang en,zh`): one edition per language, side by side.
"""

from __future__ import annotations

import os

from quizgen.errors import QuizgenError
from quizgen.messages import DEFAULT_LANG, check_lang, languages, t

ENV_LANG = "QUIZGEN_LANG"  # the terminal's language (show, practice) when --lang is not given


def add_lang(parser, terminal: bool = False, several: bool = False):
    """Add `--lang LANG`; a terminal command also reads QUIZGEN_LANG; `several`: LANG,LANG,... too."""
    key = "cli.opt_lang_several" if several else "cli.opt_lang_terminal" if terminal else "cli.opt_lang"
    parser.add_argument("--lang", metavar="LANG", help=t(key, default=DEFAULT_LANG, available=", ".join(languages()),
                                                          env=ENV_LANG))
    parser.set_defaults(lang_from_env=terminal, lang_several=several)
    return parser


def chosen_langs(args) -> tuple[str, ...]:
    """Every language the user chose, checked, in their order without repeats (empty: none chosen)."""
    value = getattr(args, "lang", None)
    if value is not None:
        parts = value.split(",") if getattr(args, "lang_several", False) else [value]
        if any(not p.strip() for p in parts):
            raise QuizgenError("--lang: " + t("cli.empty_lang", value=value))
        return tuple(dict.fromkeys(check_lang(p.strip(), "--lang") for p in parts))
    if getattr(args, "lang_from_env", False) and os.environ.get(ENV_LANG):
        return (check_lang(os.environ[ENV_LANG].strip(), ENV_LANG),)
    return ()


def chosen_lang(args) -> str | None:
    """The language the user chose (checked; the first of several), or None when they chose none."""
    langs = chosen_langs(args)
    return langs[0] if langs else None
