"""The `quizgen` command: subcommands live in quizgen/commands/, errors are printed only here."""

from __future__ import annotations

import importlib
import os
import sys

# The engine's matrices have a few entries each, which BLAS works on in the calling thread; its
# thread pool (one thread per core, started when NumPy loads) only costs start-up CPU, and with
# `--jobs` workers it would oversubscribe the cores. Set before anything imports NumPy; a value
# the user set is kept.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from quizgen import __version__
from quizgen.commands.options import ENV_LANG, chosen_lang
from quizgen.commands.parser import Parser
from quizgen.messages import current, resolve, t, using
from quizgen.errors import ErrorList, QuizgenError
from quizgen.render.terminal import clean

# Each name is a module quizgen.commands.<name> with `register(subparsers)` and `run(args)`.
COMMANDS = ("build", "exam", "grade", "practice", "stats", "solve", "show", "check", "export")


def build_parser(only: str | None = None) -> Parser:
    """The parser of every command, or of `only` that one (its module alone is imported: a run of
    `quizgen export` does not pay for loading the site, exam and practice code)."""
    parser = Parser(prog="quizgen", description=t("cli.description"))
    parser.add_argument("--version", action="version", version=f"quizgen {__version__}", help=t("cli.opt_version"))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in (only,) if only else COMMANDS:
        module = importlib.import_module(f"quizgen.commands.{name}")
        sub_parser = module.register(sub)
        sub_parser.set_defaults(run=module.run)
    return parser


def _line(error: QuizgenError) -> str:
    """The one line a user sees; messages can hold bank text and file names, so it is cleaned."""
    line = clean(str(error) if error.location else f"quizgen: {error}")
    return line.replace("\n", "\\n").replace("\t", " ")  # a newline in a file name must not split the line


def _help_lang(argv: list[str]) -> str:
    """The language `--help` and usage errors are worded in, read before there is a parser: the
    --lang given (its first), else QUIZGEN_LANG, else the current one. A name without a catalog is
    passed over here; the command itself reports it once parsed."""
    given = None
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            given = argv[i + 1]
        elif arg.startswith("--lang="):
            given = arg[len("--lang="):]
    for value in (given, os.environ.get(ENV_LANG)):
        found = resolve(value.split(",")[0].strip()) if value else None
        if found:
            return found
    return current()


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    # A command named first is the one that runs (no top-level option before it can print the
    # list of commands), so only its module is loaded.
    with using(_help_lang(argv)):
        parser = build_parser(argv[0] if argv and argv[0] in COMMANDS else None)
        args = parser.parse_args(argv)
        if not getattr(args, "run", None):
            parser.print_help()
            return 2
    outer = current()
    try:
        with using(_help_lang(argv)):  # a language it cannot use is reported in the language of the help
            lang = chosen_lang(args)
        with using(lang or outer):  # every t() and say() below words in it
            return args.run(args) or 0
    except ErrorList as exc:
        for error in exc.errors:  # one `file: key: what is wrong` line each
            print(_line(error), file=sys.stderr)
        return exc.exit_code
    except QuizgenError as exc:
        print(_line(exc), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print(f"quizgen: {t('cli.interrupted')}", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
