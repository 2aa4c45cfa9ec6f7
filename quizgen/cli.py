"""The `quizgen` command: subcommands live in quizgen/commands/, errors are printed only here."""

from __future__ import annotations

import argparse
import importlib
import sys

from quizgen import __version__
from quizgen.errors import QuizgenError

# Each name is a module quizgen.commands.<name> with `register(subparsers)` and `run(args)`.
COMMANDS = ("build", "exam", "practice", "stats", "solve", "show", "check", "export")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="quizgen",
        description="Backpropagation practice problems, exams and a study site, with engine-computed answers.",
    )
    parser.add_argument("--version", action="version", version=f"quizgen {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        module = importlib.import_module(f"quizgen.commands.{name}")
        sub_parser = module.register(sub)
        sub_parser.set_defaults(run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help()
        return 2
    try:
        return args.run(args) or 0
    except QuizgenError as exc:
        print(f"quizgen: {exc}" if not exc.location else str(exc), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("quizgen: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
