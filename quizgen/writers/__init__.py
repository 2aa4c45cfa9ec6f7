"""Thin writers over Question records, and the registry `build` and `export` find them in.

A writer is one module in this package with a module-level `WRITER` (see `Writer`): it renders
each question on its own (in worker processes, so only the rendered result travels back), then
writes the collection. Writers never import the engine or the kinds: all they need is in the
record. A module here without `WRITER` (site_env, atomic, ...) is a helper, not a format.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Protocol

from quizgen.writers.destination import Owner


@dataclass(frozen=True)
class Option:
    """A setting a writer accepts: `--NAME` on the commands that drive it."""

    name: str  # "lang", spelled with underscores; the flag uses dashes
    help: object  # a text (quizgen.messages.text), worded when the flag is added
    default: Any = None
    type: type = str


@dataclass
class Context:
    """What one run of a writer knows besides the questions (picklable: it goes to the workers)."""

    variants: int  # per family
    options: dict = field(default_factory=dict)  # every Option of the writer, defaults filled in
    folder: Path | None = None  # folder writers: the fresh folder being built
    summaries: dict = field(default_factory=dict)  # family id -> summary


class Writer(Protocol):
    """An output format. `output` is "file" (one document, `--out FILE` or standard output) or
    "folder" (a folder built beside `--out` and swapped in whole, guarded by `owner`). A file
    writer whose class sets `binary = True` yields bytes (a zip: anki, qti) instead of text."""

    name: str
    output: str
    options: tuple[Option, ...]
    owner: Owner | None

    def warm_up(self, context: Context) -> None:
        """Compile what every question needs once, before worker processes start."""

    def start(self, context: Context) -> None:
        """Prepare the output once, in the main process, before any question is rendered."""

    def render(self, question, context: Context) -> Any:
        """One question's rendered form (picklable). A folder writer may write its file here."""

    def write(self, rendered: list, context: Context) -> Iterable[str]:
        """The collection: a file writer yields the document's text in pieces; a folder writer
        writes the rest of `context.folder` and returns every path it holds."""

    # Optional: `meanwhile(context)`, work `write` will need that needs no question (compiling the
    # collection's templates, say), run by the main process while the workers render, which
    # would otherwise idle it (quizgen.publish).


class FileWriter:
    """What a one-document writer has unless it says otherwise: no options, no folder to guard,
    text output, nothing to compile or prepare; a format then only renders and writes."""

    output = "file"
    binary = False
    options: tuple[Option, ...] = ()
    owner: Owner | None = None

    def warm_up(self, context: Context) -> None:
        pass

    def start(self, context: Context) -> None:
        pass


_registry: dict[str, Writer] = {}
_discovered = False


def register(writer: Writer) -> Writer:
    """Add (or replace) a writer under its name; return it."""
    if writer.output not in ("file", "folder"):
        raise ValueError(f"writer {writer.name!r}: output must be 'file' or 'folder'")
    _registry[writer.name] = writer
    return writer


def unregister(name: str) -> None:
    _registry.pop(name, None)


def _discover() -> None:
    """Register the `WRITER` of every module in this package (once per process)."""
    global _discovered
    if _discovered:
        return
    _discovered = True
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        if info.name.startswith("_") or info.name in _HELPERS:
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        writer = getattr(module, "WRITER", None)
        if writer is not None and writer.name not in _registry:
            register(writer)


# Modules known to hold no WRITER: skipped so listing formats does not import a browser driver.
_HELPERS = frozenset({"atomic", "destination", "exam", "lms", "pdf", "pdf_browser", "pdf_merge", "pdf_profile",
                      "site_cards", "site_env", "site_math", "site_views",
                      "exam_conventions", "exam_parts", "exam_views", "grade", "site_editions"})


def names() -> list[str]:
    """Every registered format, sorted."""
    _discover()
    return sorted(_registry)


def get(name: str) -> Writer:
    _discover()
    return _registry[name]


def context(writer: Writer, variants: int, options: dict | None = None, **extra) -> Context:
    """A Context with every option of `writer` set (given values, else the defaults)."""
    given = options or {}
    chosen = {o.name: given.get(o.name, o.default) if given.get(o.name) is not None else o.default
              for o in writer.options}
    return Context(variants=variants, options=chosen, **extra)
