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
        os.replace(tmp, path)
    except OSError as exc:
        raise BuildError(f"cannot write: {exc.strerror or exc}", file=str(path)) from None


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
