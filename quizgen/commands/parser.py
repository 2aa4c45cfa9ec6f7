"""The argument parser every command uses: argparse's own words come from the catalog.

argparse words its section titles ("usage:", "options:"), its `-h` help and its usage errors
("error: argument --seed: invalid choice ...") through gettext, looked up when they are shown.
`Parser` routes those lookups to the catalog (quizgen/messages/<lang>/cli.toml, `[argparse]`)
while it builds, formats and parses, so a zh run shows no English of argparse's. A message argparse
adds in a later Python and the table below lacks stays argparse's English.
"""

from __future__ import annotations

import argparse
import re
from contextlib import contextmanager

from quizgen.messages import t
from quizgen.render.width import fill, width

# argparse's message (its gettext id, Python 3.11–3.13) -> our key in cli.toml's [argparse] table.
# Each catalog text writes argparse's %-fields as {name} (named) or in their order (positional).
MESSAGES = {
    "usage: ": "usage",
    "positional arguments": "positional",
    "options": "options",
    "show this help message and exit": "help",
    "%(prog)s: error: %(message)s\n": "error",
    "argument %(argument_name)s: %(message)s": "argument",
    "the following arguments are required: %s": "required",
    "one of the arguments %s is required": "one_required",
    "invalid choice: %(value)r (choose from %(choices)s)": "invalid_choice",
    "invalid %(type)s value: %(value)r": "invalid_type",
    "unrecognized arguments: %s": "unrecognized",
    "ambiguous option: %(option)s could match %(matches)s": "ambiguous",
    "unexpected option string: %s": "unexpected_option",
    "not allowed with argument %s": "not_allowed",
    "ignored explicit argument %r": "ignored_explicit",
    "expected one argument": "expected_one",
    "expected at most one argument": "expected_at_most_one",
    "expected at least one argument": "expected_at_least_one",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "unknown_parser",
}
PLURALS = {"expected %s argument": "expected_n"}  # ngettext's singular -> key stem (_one, _many)
_FIELD = re.compile(r"\{(\w+)(!r)?\}")


def _percent(text: str, named: bool) -> str:
    """A catalog text in argparse's %-syntax: {name} -> %(name)s (or %s where argparse's fields are
    positional), {name!r} -> ...r; a literal % doubled."""
    text = text.replace("%", "%%")
    return _FIELD.sub(lambda m: ("%(" + m[1] + ")" if named else "%") + ("r" if m[2] else "s"), text)


def gettext(message: str) -> str:
    """argparse's `_()`: the catalog's words for `message` in the language in use."""
    key = MESSAGES.get(message)
    return message if key is None else _percent(t(f"cli.argparse.{key}"), "%(" in message)


def ngettext(singular: str, plural: str, n: int) -> str:
    stem = PLURALS.get(singular)
    if stem is None:
        return singular if n == 1 else plural
    return _percent(t(f"cli.argparse.{stem}_{'one' if n == 1 else 'many'}"), False)


@contextmanager
def worded():
    """argparse's words come from the catalog inside the block (restored after it)."""
    saved = argparse._, argparse.ngettext
    argparse._, argparse.ngettext = gettext, ngettext
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved


def whole(text: str) -> int:
    """`type=int` of every option: a whole number, or a usage error worded by the catalog."""
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(t("input.seed_not_whole", value=text[:40])) from None


class Formatter(argparse.HelpFormatter):
    """argparse's layout measured in terminal columns where a text holds Chinese (two columns a
    character): help and descriptions wrap to the terminal, usage lines align under "用法："."""

    def _fill_text(self, text, columns, indent):
        if width(text) == len(text):
            return super()._fill_text(text, columns, indent)
        return fill(self._whitespace_matcher.sub(" ", text).strip(), columns, indent, indent)

    def _split_lines(self, text, columns):
        if width(text) == len(text):
            return super()._split_lines(text, columns)
        return fill(self._whitespace_matcher.sub(" ", text).strip(), columns).split("\n")

    def _format_usage(self, usage, actions, groups, prefix):
        text = super()._format_usage(usage, actions, groups, prefix)
        shown = gettext("usage: ") if prefix is None else prefix
        extra = width(shown) - len(shown)  # argparse indents the next lines by len(prefix)
        first, *rest = text.split("\n")
        return "\n".join([first] + [" " * extra + line if line.strip() else line for line in rest])


class Parser(argparse.ArgumentParser):
    """An ArgumentParser (and, through add_subparsers, its subcommands') that words argparse's
    titles, help and errors in the language in use."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", Formatter)
        with worded():  # the section titles and -h's help are worded here, once
            super().__init__(*args, **kwargs)
        self.register("type", int, whole)

    def parse_args(self, args=None, namespace=None):
        with worded():  # "unrecognized arguments" is worded here, outside parse_known_args
            return super().parse_args(args, namespace)

    def parse_known_args(self, args=None, namespace=None):
        with worded():
            return super().parse_known_args(args, namespace)

    def format_usage(self) -> str:
        with worded():
            return super().format_usage()

    def format_help(self) -> str:
        with worded():
            text = super().format_help()
        for title in (t("cli.argparse.positional"), t("cli.argparse.options")):  # argparse adds ":" itself
            text = text.replace(f"\n{title}:\n", "\n" + t("cli.argparse.section", title=title) + "\n")
        return text

    def error(self, message: str):
        """The usage and one error line; what the user typed is echoed without control characters
        or escape sequences (argparse prints unrecognized arguments as typed)."""
        from quizgen.render.terminal import clean

        with worded():
            super().error(clean(message).replace("\n", "\\n"))
