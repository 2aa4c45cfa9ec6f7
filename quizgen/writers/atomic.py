"""Write files and folders so that a failure never leaves a half-written output.

A folder is built in a fresh temporary folder beside its target (`.site.building.<random>`),
and swapped in at the end; the previous output is moved aside into another fresh folder
(`.site.old.<random>`) and removed. Both are made by mkdtemp, so their names are unique, and
each holds a marker file naming the process that made it: only folders with our marker are
ever removed, and a killed build's leftovers are cleaned on the next run once the process that
made them is gone. Errors name the user's `--out`, never the temporary folder.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import tempfile
from collections.abc import Iterable
from contextlib import contextmanager
from pathlib import Path

from quizgen.errors import BuildError, ErrorList, QuizgenError
from quizgen.messages import t
from quizgen.writers import destination
from quizgen.writers.destination import TEMP_MARKER, Owner

PREVIOUS = "previous"  # the replaced output, inside its `.NAME.old.*` folder until it is removed


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write_text(path: str | Path, text: str | Iterable[str] | Iterable[bytes], *, shown: str | None = None,
                      binary: bool = False) -> None:
    """Write `text` (a string, or its pieces in order; with `binary`, bytes) beside `path` and
    rename it over `path` (keeping an existing file's mode).

    `shown` is the path errors name (the user's `--out` when `path` is a symbolic link's target).
    """
    path = Path(path)
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            mode = os.stat(path).st_mode & 0o7777
        except FileNotFoundError:
            mode = 0o666 & ~_umask()  # mkstemp makes 0600; outputs are meant to be shared
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        with (os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8", newline="\n")) as fh:
            fh.writelines([text] if isinstance(text, str) else text)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except OSError as exc:
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)
        raise BuildError(t("output.cannot_write", reason=_reason(exc)), file=shown or str(path)) from None


def _share(folder: Path) -> None:
    """Give a folder built by mkdtemp (0700) the permissions a normal mkdir would have."""
    mask = _umask()
    os.chmod(folder, 0o777 & ~mask)
    for root, dirs, files in os.walk(folder):
        for name in dirs:
            os.chmod(os.path.join(root, name), 0o777 & ~mask)
        for name in files:
            path = os.path.join(root, name)
            if not os.stat(path).st_mode & 0o044:
                os.chmod(path, 0o666 & ~mask)


def _made_here() -> dict:
    return {"pid": os.getpid(), "host": socket.gethostname()}


def _temporary(parent: Path, prefix: str) -> Path:
    """A fresh folder `parent/prefix<random>` holding our marker."""
    folder = Path(tempfile.mkdtemp(dir=parent, prefix=prefix))
    (folder / TEMP_MARKER).write_text(json.dumps(_made_here()) + "\n", encoding="utf-8")
    return folder


def _alive(pid: int) -> bool:
    """Whether process `pid` may still run (when unsure: yes, so its folder is kept)."""
    if pid == os.getpid():
        return True
    if os.name != "posix":  # os.kill(pid, 0) would terminate it on Windows
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # PermissionError: it runs, as another user
        return True
    return True


def _maker(folder: Path) -> dict | None:
    """The marker of a folder we made, or None if it is not ours (or not readable as ours)."""
    try:
        if folder.is_symlink() or not folder.is_dir():
            return None
        marker = folder / TEMP_MARKER
        if marker.is_symlink() or not marker.is_file() or marker.stat().st_size > 4096:
            return None
        data = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not (isinstance(data, dict) and isinstance(data.get("pid"), int) and isinstance(data.get("host"), str)):
        return None
    return data


def clean_stale(target: Path) -> list[Path]:
    """Remove `.NAME.building.*` and `.NAME.old.*` folders beside `target` that a quizgen process
    made (our marker inside) and that process is gone; return them. If a build was killed after
    moving the previous output aside, and `target` is missing, the previous output is put back."""
    removed = []
    prefixes = (f".{target.name}.building.", f".{target.name}.old.")
    try:
        names = sorted(os.listdir(target.parent))
    except OSError:
        return removed
    for name in names:
        if not name.startswith(prefixes):
            continue
        folder = target.parent / name
        maker = _maker(folder)
        if maker is None or maker["host"] != socket.gethostname() or _alive(maker["pid"]):
            continue
        previous = folder / PREVIOUS
        try:
            if name.startswith(prefixes[1]) and previous.is_dir() and not os.path.lexists(target):
                os.replace(previous, target)
        except OSError:
            continue
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    return removed


def _renamed(exc: QuizgenError, tmp: Path, out: Path) -> QuizgenError:
    """The same error, naming `out` where it named the temporary folder `tmp`."""
    if isinstance(exc, ErrorList):
        for error in exc.errors:
            _renamed(error, tmp, out)
        return exc
    hidden = str(tmp)
    if exc.file and str(exc.file).startswith(hidden):
        exc.file = str(out) + str(exc.file)[len(hidden):]
    if hidden in exc.message:
        exc.message = exc.message.replace(hidden, str(out))
        exc.args = (exc.message,)
    return exc


@contextmanager
def atomic_directory(out: str | Path, owner: Owner):
    """Yield a fresh temporary folder beside `out`; on success it replaces `out` whole.

    `out` is checked by `destination.folder` first (only a folder `owner` wrote is replaced);
    a symbolic link is kept and the folder it points to is replaced.
    """
    out = Path(out)
    target = destination.folder(out, owner)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        clean_stale(target)
        tmp = _temporary(target.parent, f".{target.name}.building.")
    except OSError as exc:
        raise BuildError(t("output.cannot_create", reason=_reason(exc)), file=str(out)) from None
    try:
        yield tmp
    except QuizgenError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise _renamed(exc, tmp, out)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise BuildError(t("output.cannot_write", reason=_reason(exc)), file=str(out)) from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    try:
        _swap(tmp, target, out, owner)
    except QuizgenError:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise BuildError(t("output.cannot_replace", reason=_reason(exc)), file=str(out)) from None


def _swap(tmp: Path, target: Path, out: Path, owner: Owner) -> None:
    """Put `tmp` in place of `target`, moving the previous output aside into a marked folder."""
    _share(tmp)
    if not target.exists():
        os.replace(tmp, target)
    else:
        destination.folder(out, owner)  # still ours: nobody put files in it while we built
        keep = target / "README.md"
        if keep.is_file() and not (tmp / "README.md").exists():
            shutil.copy2(keep, tmp / "README.md")
        aside = _temporary(target.parent, f".{target.name}.old.")
        os.replace(target, aside / PREVIOUS)
        try:
            os.replace(tmp, target)
        except OSError:
            os.replace(aside / PREVIOUS, target)
            shutil.rmtree(aside, ignore_errors=True)
            raise
        shutil.rmtree(aside, ignore_errors=True)
    try:
        (target / TEMP_MARKER).unlink()
    except OSError:
        pass  # a stray marker in an output is harmless: the guard ignores it
