"""Write files and folders so that a failure never leaves a half-written output."""

from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

from quizgen.errors import BuildError


def atomic_write_text(path: str | Path, text: str) -> None:
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; outputs are meant to be shared
        os.replace(tmp, path)
    except OSError as exc:
        raise BuildError(f"cannot write: {exc.strerror or exc}", file=str(path)) from None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


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


@contextmanager
def atomic_directory(target: str | Path):
    """Yield a fresh temporary folder beside `target`; on success it replaces `target` whole."""
    target = Path(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.building."))
    except OSError as exc:
        raise BuildError(f"cannot create the output folder: {exc.strerror or exc}", file=str(target)) from None
    try:
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    old = target.parent / f".{target.name}.old"
    _share(tmp)
    try:
        if old.exists():
            shutil.rmtree(old)
        if target.exists():
            keep = target / "README.md"
            if keep.is_file() and not (tmp / "README.md").exists():
                shutil.copy2(keep, tmp / "README.md")
            os.replace(target, old)
        os.replace(tmp, target)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise BuildError(f"cannot replace the output folder: {exc.strerror or exc}", file=str(target)) from None
    shutil.rmtree(old, ignore_errors=True)
