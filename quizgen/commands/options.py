"""Options several commands share: `--lang`, the one language setting every writer words text in."""

from __future__ import annotations

import os

from quizgen.messages import DEFAULT_LANG, check_lang, languages, t

ENV_LANG = "QUIZGEN_LANG"  # the terminal's language (show, practice) when --lang is not given


def add_lang(parser, terminal: bool = False):
    """Add `--lang LANG`; a terminal command also reads QUIZGEN_LANG."""
    key = "cli.opt_lang_terminal" if terminal else "cli.opt_lang"
    parser.add_argument("--lang", metavar="LANG", help=t(key, default=DEFAULT_LANG, available=", ".join(languages()),
                                                          env=ENV_LANG))
    parser.set_defaults(lang_from_env=terminal)
    return parser


def chosen_lang(args) -> str | None:
    """The language the user chose (checked), or None when they chose none."""
    if getattr(args, "lang", None) is not None:
        return check_lang(args.lang, "--lang")
    if getattr(args, "lang_from_env", False) and os.environ.get(ENV_LANG):
        return check_lang(os.environ[ENV_LANG], ENV_LANG)
    return None
