"""argparse's own words follow the language (issue 19): `--help`, usage lines and usage errors.

Regression: a zh run showed "usage:", "options:", "positional arguments:", "show this help message
and exit" and "error: argument --seed: invalid choice ..." in English, argparse's gettext texts.
"""

from __future__ import annotations

import argparse
import inspect
import re

import pytest

from quizgen.cli import COMMANDS, main
from quizgen.commands import parser as worded_parser
from quizgen.messages import using

# argparse's English that a zh run must not show (its section titles, -h help and error words)
ENGLISH = re.compile(r"usage:|options:|positional arguments|show this help|show program|error:|argument |invalid "
                     r"|required|unrecognized|expected |ambiguous|choose from")
# What stays Latin in a zh usage error: flags, METAVARS, quoted values, command names, "quizgen", "-h"
NOT_WORDS = re.compile(r"--?[a-z][a-z-]*|\b[A-Z][A-Z_.]*\b|'[^']*'|\bquizgen\b|\b(?:%s)\b" % "|".join(COMMANDS))


def _run(argv, capsys, monkeypatch) -> tuple[int, str, str]:
    monkeypatch.setenv("QUIZGEN_LANG", "zh")
    try:
        code = main(argv)
    except SystemExit as exc:
        code = exc.code
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("argv", [["--help"], []] + [[c, "--help"] for c in COMMANDS], ids=" ".join)
def test_help_in_zh_has_no_english_section_words(argv, capsys, monkeypatch):
    code, out, err = _run(argv, capsys, monkeypatch)
    assert code in (0, 2) and out.startswith("用法：quizgen"), out
    assert "选项：\n" in out and "显示此帮助信息并退出" in out
    assert not ENGLISH.search(out), ENGLISH.search(out)


@pytest.mark.parametrize("argv", [["build", "--seed", "x"], ["bogus"], ["exam"], ["build", "--frob"],
                                  ["show", "relu-layer", "--index"], ["build", "--variants", "2.5"],
                                  ["export", "--jobs", "many"], ["solve"], ["grade", "r.csv"], ["build", "--bank"]],
                         ids=" ".join)
def test_a_usage_error_in_zh_is_chinese(argv, capsys, monkeypatch):
    code, out, err = _run(argv, capsys, monkeypatch)
    usage, line = err.splitlines()[0], err.splitlines()[-1]
    assert code == 2 and out == "" and usage.startswith("用法：quizgen") and "：错误：" in line, err
    assert not ENGLISH.search(err), err
    assert not re.search(r"[A-Za-z]{3,}", NOT_WORDS.sub(" ", line)), line


def test_the_english_catalog_gives_argparse_its_own_texts():
    """en is argparse's English unchanged: the {name} fields convert back to its %-fields."""
    with using("en"):
        for message in worded_parser.MESSAGES:
            assert worded_parser.gettext(message) == message
        for singular in worded_parser.PLURALS:
            assert worded_parser.ngettext(singular, singular + "s", 1) == singular
            assert worded_parser.ngettext(singular, singular + "s", 2) == singular + "s"


def test_the_texts_worded_are_argparse_s_current_ones():
    """A Python whose argparse renamed a message would show it in English again: say which."""
    source = inspect.getsource(argparse)
    for message in ["usage: ", "positional arguments", "options", "show this help message and exit",
                    "%(prog)s: error: %(message)s\\n", "argument %(argument_name)s: %(message)s",
                    "the following arguments are required: %s", "unrecognized arguments: %s",
                    "invalid choice: %(value)r (choose from %(choices)s)", "expected one argument"]:
        assert f"_('{message}')" in source or f'_("{message}")' in source, message


def test_argparse_is_left_as_it_was():
    """The catalog is routed into argparse only while a quizgen parser works."""
    before = argparse._
    with using("zh"):
        worded_parser.Parser(prog="x").format_help()
    assert argparse._ is before and argparse.ArgumentParser(prog="x").format_help().startswith("usage:")


@pytest.mark.parametrize("command", COMMANDS)
def test_zh_help_is_laid_out_by_display_width(command, capsys, monkeypatch):
    """Chinese fills two columns a character: help wraps to the terminal and usage lines align
    under the first option (argparse alone counts characters, so both came out ragged)."""
    from quizgen.render.width import width

    monkeypatch.setenv("COLUMNS", "80")
    code, out, _ = _run([command, "--help"], capsys, monkeypatch)
    lines = out.splitlines()
    assert all(width(line) <= 80 for line in lines if " " in line.strip()), [l for l in lines if width(l) > 80]
    usage = lines[:next(i for i, line in enumerate(lines) if not line.strip())]
    if len(usage) > 1:
        start = width(f"用法：quizgen {command} ")
        assert all(width(line) - width(line.lstrip()) == start for line in usage[1:]), usage


def test_a_usage_error_echoes_no_escape_sequence(capsys, monkeypatch):
    """argparse printed an unrecognized argument as typed: an ESC [31m turned the terminal red."""
    for argv in (["build", "\x1b[31mred"], ["build", "--seed", "\x1b]0;title\x07"], ["bogus\x1b[2J"]):
        code, _, err = _run(argv, capsys, monkeypatch)
        assert code == 2 and "\x1b" not in err and "\x07" not in err and ("red" in err or "title" in err or "bogus" in err)
