"""Where an output may go: the one `--out` guard that build, exam and export all pass through.

An output folder is replaced whole, so quizgen only replaces a folder it wrote itself (its
`Owner`'s marker file inside, or nothing but the owner's own file names), never the current
folder, one of its parents or `/`. A symbolic link is written through: the folder or file it
points to is replaced and the link is kept. A file output that is a device or FIFO is written
to directly, never replaced; one that is this process's standard output is written there.
Every error names the user's own `--out`.
"""

from __future__ import annotations

import os
import re
import stat
import sys
from dataclasses import dataclass
from pathlib import Path

from quizgen.errors import BuildError
from quizgen.messages import t

# Left inside a folder quizgen is building (see atomic.py); never a stranger in an output.
TEMP_MARKER = ".quizgen-temp"


@dataclass(frozen=True)
class Owner:
    """Who writes an output folder, and how to tell its folders from a user's."""

    command: str  # "quizgen build", as named in messages
    example: str  # a good --out for this command
    names: re.Pattern  # names the command itself writes (and README.md, which it keeps)
    marker: str | None = None  # a file inside that says the command wrote the folder


def _real(out: Path) -> Path:
    """`out`, or where it leads if it is a symbolic link (the link itself is kept)."""
    if not os.path.islink(out):
        return out
    real = Path(os.path.realpath(out))
    if os.path.islink(real):
        raise BuildError(t("output.link_loop"), file=str(out))
    if not real.parent.is_dir():
        raise BuildError(t("output.link_no_parent", target=str(real)), file=str(out))
    return real


def folder(out: str | Path, owner: Owner) -> Path:
    """The folder to replace for `--out` (a link's target); BuildError if it is not ours to replace."""
    out = Path(out)
    target = _real(out)
    resolved = Path(os.path.realpath(target))
    try:
        cwd = Path(os.path.realpath(os.getcwd()))
    except OSError:  # run from a folder that was deleted: it cannot be the output either
        cwd = None
    if resolved == Path(resolved.anchor) or (cwd is not None and cwd.is_relative_to(resolved)):
        raise BuildError(t("output.is_cwd", example=owner.example), file=str(out))
    try:
        st = os.stat(target)
    except FileNotFoundError:
        return target
    except OSError as exc:
        raise BuildError(t("output.cannot_read", reason=exc.strerror or exc), file=str(out)) from None
    if not stat.S_ISDIR(st.st_mode):
        raise BuildError(t("output.not_folder"), file=str(out))
    if owner.marker and (target / owner.marker).is_file() and not (target / owner.marker).is_symlink():
        return target
    try:
        names = sorted(os.listdir(target))
    except OSError as exc:
        raise BuildError(t("output.cannot_read", reason=exc.strerror or exc), file=str(out)) from None
    strangers = [n for n in names if n != TEMP_MARKER and not owner.names.fullmatch(n)]
    if strangers:
        more = ", ..." if len(strangers) > 3 else ""
        raise BuildError(t("output.not_ours", command=owner.command, files=", ".join(strangers[:3]) + more),
                         file=str(out))
    return target


@dataclass(frozen=True)
class FileTarget:
    """How to write a file output: `stdout` or `stderr` (the stream itself), `direct` (a device
    or FIFO, opened and written) or `replace` (a regular file at `path`, written beside it and
    renamed over it)."""

    how: str
    path: Path | None


def _stream(st: os.stat_result) -> str | None:
    """"stdout" or "stderr" if `st` is what this process already writes there (/dev/stdout, ...)."""
    for name in ("stdout", "stderr"):
        try:
            own = os.fstat(getattr(sys, name).fileno())
        except (AttributeError, OSError, ValueError):  # no real stream (captured, closed)
            continue
        if (own.st_dev, own.st_ino) == (st.st_dev, st.st_ino):
            return name
    return None


def file(out: str) -> FileTarget:
    """How to write `--out FILE` ("-" is standard output); BuildError for folders and disks."""
    if out == "-":
        return FileTarget("stdout", None)
    path = Path(out)
    try:
        st = os.stat(path)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        if os.path.islink(path):
            raise BuildError(t("output.link_loop"), file=out) from None
        raise BuildError(t("output.cannot_write", reason=exc.strerror or exc), file=out) from None
    if st is None:
        return FileTarget("replace", _real(path))
    if stat.S_ISDIR(st.st_mode):
        raise BuildError(t("output.is_folder"), file=out)
    stream = _stream(st)
    if stream:  # --out /dev/stdout: appending to a redirected file must not truncate or replace it
        return FileTarget(stream, None)
    if stat.S_ISREG(st.st_mode):
        return FileTarget("replace", _real(path))
    if stat.S_ISCHR(st.st_mode) or stat.S_ISFIFO(st.st_mode):
        return FileTarget("direct", path)
    what = "block" if stat.S_ISBLK(st.st_mode) else "socket" if stat.S_ISSOCK(st.st_mode) else "other"
    raise BuildError(t("output.not_regular", what=t(f"output.kind_{what}")), file=out)
