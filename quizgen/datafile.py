"""Read a TOML or JSON file a stranger wrote: bounded, non-blocking, every failure one line.

Bank families, exam specs and problem files all come through `load`. It refuses anything but
a regular file before opening it (a FIFO or /dev/zero would block or never end), reads at most
MAX_FILE_BYTES + 1 bytes, accepts a UTF-8 byte-order mark, refuses duplicate JSON keys, deep
nesting, NaN/Infinity and absurdly long numbers, and raises the caller's QuizgenError subclass
with the file (and key or line) named.
"""

from __future__ import annotations

import json
import math
import os
import re
import stat
import tomllib
from pathlib import Path

from quizgen.errors import QuizgenError
from quizgen.limits import MAX_DEPTH, MAX_FILE_BYTES, MAX_INT
from quizgen.messages import t

BOM = b"\xef\xbb\xbf"
MAX_DIGITS = 4000  # below Python's int-string limit (4300); shorter numbers are checked by key
_TOML_TOKENS = re.compile(r"""'''[\s\S]*?'''|\"\"\"(?:\\[\s\S]|[^\\])*?\"\"\"|'[^'\n]*'|"(?:\\.|[^"\\\n])*"|#[^\n]*"""
                          r"|[\[\]{}]|[0-9_]{%d,}" % (MAX_DIGITS + 1))
_JSON_TOKENS = re.compile(r'"(?:\\.|[^"\\])*"|[\[\]{}]|[0-9]{%d,}' % (MAX_DIGITS + 1))
_PLAIN_KEY = re.compile(r"[A-Za-z0-9_-]+")
MAX_SHOWN = 80  # characters of a key quoted back in an error


class _Refused(Exception):
    """A problem found while parsing, before the caller's error class is known."""

    def __init__(self, what: str, key: str | None = None):
        super().__init__(what)
        self.what, self.key = what, key


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return t("input.kind_directory")
    if stat.S_ISFIFO(mode):
        return t("input.kind_fifo")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return t("input.kind_device")
    if stat.S_ISSOCK(mode):
        return t("input.kind_socket")
    return t("input.kind_other")


def read_text(path: str | Path, error: type[QuizgenError] = QuizgenError, limit: int = MAX_FILE_BYTES) -> str:
    """The file's text: a regular file of at most `limit` bytes (MAX_FILE_BYTES), UTF-8, its BOM dropped."""
    name = str(path)

    def fail(what: str):
        raise error(what, file=name)

    try:
        info = os.stat(name)
    except FileNotFoundError:
        fail(t("input.missing"))
    except OSError as exc:
        fail(t("input.unreadable", reason=exc.strerror or exc))
    if not stat.S_ISREG(info.st_mode):
        fail(t("input.not_regular", kind=_kind(info.st_mode)))
    if info.st_size > limit:
        fail(t("input.too_large", limit=limit))
    try:  # O_NONBLOCK: should the path have become a FIFO since the stat, opening it cannot hang
        fd = os.open(name, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        fail(t("input.unreadable", reason=exc.strerror or exc))
    with os.fdopen(fd, "rb") as handle:
        mode = os.fstat(handle.fileno()).st_mode
        if not stat.S_ISREG(mode):
            fail(t("input.not_regular", kind=_kind(mode)))
        raw = handle.read(limit + 1)
    if len(raw) > limit:
        fail(t("input.too_large", limit=limit))
    if raw.startswith(BOM):
        raw = raw[len(BOM):]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        fail(t("input.not_utf8", line=raw.count(b"\n", 0, exc.start) + 1))


def _scan(text: str, tokens: re.Pattern) -> None:
    """Refuse deep nesting and absurdly long numbers before a recursive parser meets them."""
    depth = 0
    for match in tokens.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise _Refused(t("input.too_deep", limit=MAX_DEPTH, line=text.count("\n", 0, match.start()) + 1))
        elif token in "]}":
            depth -= 1
        elif token[0] in "0123456789_":
            raise _Refused(t("input.long_number", limit=MAX_DIGITS, line=text.count("\n", 0, match.start()) + 1))


def key_name(name) -> str:
    """A key from a file as it may appear in a one-line error: quoted when not plain, cut short."""
    name = str(name)
    shown = name if _PLAIN_KEY.fullmatch(name) else json.dumps(name, ensure_ascii=True)
    return shown if len(shown) <= MAX_SHOWN else shown[:MAX_SHOWN] + "…"


def clip(what: str) -> str:
    """An error text cut to a readable length (a value from a file can be a megabyte long)."""
    return what if len(what) <= 4 * MAX_SHOWN else what[:4 * MAX_SHOWN] + "…"


def _key(path: str, name) -> str:
    shown = key_name(name)
    return f"{path}.{shown}" if path else shown


def _where(node) -> str:
    """The key of a place `_walk` noted as (parent, name or index, is an index), e.g. sections[2].title."""
    parts = []
    while node is not None:
        node, name, index = node
        parts.append((name, index))
    where = ""
    for name, index in reversed(parts):
        where = f"{where}[{name}]" if index else _key(where, name)
    return where


def _walk(data) -> None:
    """Refuse non-finite or huge numbers and deep nesting anywhere in the parsed data."""
    # A place is kept as a (parent, name, is an index) chain and worded only for an error: wording
    # every key of every bank file up front was most of this walk's time.
    stack = [(data, None, 0, False)]
    while stack:
        value, where, depth, listed = stack.pop()
        if isinstance(value, (dict, list)):
            if depth > MAX_DEPTH:
                raise _Refused(t("input.too_deep_key", limit=MAX_DEPTH), _where(where) or None)
            if isinstance(value, dict):
                children = [(item, (where, name, False), False) for name, item in value.items()]
            else:  # a table in a list is keyed like sections[2]; a number in a list by its list
                children = [(item, (where, i, True) if isinstance(item, dict) else where, True)
                            for i, item in enumerate(value, start=1)]
            stack += [(item, key, depth + 1, listed) for item, key, listed in reversed(children)]
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            continue
        if isinstance(value, int) and abs(value) > MAX_INT:
            entry = t("input.an_entry") + " " if listed else ""
            raise _Refused(entry + t("input.huge_int", limit=f"{MAX_INT:,}"), _where(where) or None)
        if isinstance(value, float) and not math.isfinite(value):
            entry = t("input.an_entry") + " " if listed else ""
            raise _Refused(entry + t("input.not_finite"), _where(where) or None)


def _unique(pairs: list) -> dict:
    seen = {}
    for name, value in pairs:
        if name in seen:
            raise _Refused(t("input.duplicate_key"), _key("", name))
        seen[name] = value
    return seen


def _no_constant(name: str):
    raise _Refused(t("input.not_finite_literal", literal=name))


def parse(text: str, fmt: str):
    """TOML or JSON text as Python data; raises _Refused or the parser's own error."""
    if fmt == "json":
        _scan(text, _JSON_TOKENS)
        return json.loads(text, object_pairs_hook=_unique, parse_constant=_no_constant)
    _scan(text, _TOML_TOKENS)
    return tomllib.loads(text)


def load(path: str | Path, error: type[QuizgenError] = QuizgenError, fmt: str | None = None) -> dict:
    """A file's top-level table, checked as the module docstring says; `fmt` defaults to the suffix."""
    name = str(path)
    fmt = fmt or ("json" if Path(name).suffix.lower() == ".json" else "toml")
    text = read_text(name, error)
    label = fmt.upper()
    try:
        data = parse(text, fmt)
        if not isinstance(data, dict):
            raise _Refused(t("input.not_table"))
        _walk(data)
    except _Refused as exc:
        raise error(exc.what, file=name, key=exc.key) from None
    except json.JSONDecodeError as exc:
        place = t("input.syntax_at", line=exc.lineno, column=exc.colno)
        raise error(t("input.syntax", format=label, reason=t("input.syntax_reason", message=exc.msg, place=place)),
                    file=name) from None
    except tomllib.TOMLDecodeError as exc:
        raise error(t("input.syntax", format=label, reason=_parser_reason(str(exc), text)), file=name) from None
    except (ValueError, RecursionError) as exc:  # e.g. a number the parser refuses to convert
        raise error(t("input.syntax", format=label, reason=exc), file=name) from None
    return data


_TOML_PLACE = re.compile(r"^(.*) \(at line (\d+), column (\d+)\)$", re.S)


def _parser_reason(reason: str, text: str) -> str:
    """The parser's own words with the place it names worded by the catalog (tomllib says "at end
    of document" without a line: name the last one)."""
    found = _TOML_PLACE.match(reason)
    if found:
        return t("input.syntax_reason", message=found[1], place=t("input.syntax_at", line=found[2], column=found[3]))
    if "line" not in reason:
        last = text.count("\n") + (0 if text.endswith("\n") else 1)
        return t("input.syntax_reason", message=reason, place=t("input.syntax_line", line=last))
    return reason
