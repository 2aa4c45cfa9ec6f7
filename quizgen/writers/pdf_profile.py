"""Chromium's user-data folders: made by us, removed after the run, and swept up after a kill.

Each folder is `<tmp>/quizgen-chromium-XXXXXXXX` holding a marker file with the owner's process
id and start time. A later run removes only folders that carry our marker, belong to this user,
and whose owner process is gone, so a parallel run's profile is never touched.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import tempfile
from contextlib import contextmanager
from pathlib import Path

PREFIX = "quizgen-chromium-"
MARKER = "quizgen-profile.json"


def _started(pid: int) -> str | None:
    """The process's start time in clock ticks since boot (Linux), to tell a reused pid apart."""
    try:
        stat_line = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return None
    return stat_line.rpartition(")")[2].split()[19]  # field 22, counted after "pid (comm)"


def _alive(owner: dict) -> bool:
    pid = owner.get("pid")
    if not isinstance(pid, int) or pid <= 0:
        return False
    if os.name == "nt":  # os.kill(pid, 0) would terminate it there: never judge, never sweep
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, but another user's
        return True
    started = _started(pid)
    return started is None or owner.get("started") in (None, started)


def _ours_and_orphaned(folder: Path) -> bool:
    try:
        info = folder.lstat()
        if not stat.S_ISDIR(info.st_mode) or (hasattr(os, "getuid") and info.st_uid != os.getuid()):
            return False
        owner = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(owner, dict) and not _alive(owner)


def sweep(parent: str | Path | None = None) -> list[Path]:
    """Remove the profiles that killed runs left behind in `parent`; return them."""
    parent = Path(parent or tempfile.gettempdir())
    try:
        candidates = sorted(p for p in parent.iterdir() if p.name.startswith(PREFIX))
    except OSError:
        return []
    removed = [folder for folder in candidates if _ours_and_orphaned(folder)]
    for folder in removed:
        shutil.rmtree(folder, ignore_errors=True)
    return removed


@contextmanager
def profile(parent: str | Path | None = None):
    """A fresh user-data folder marked as this process's, removed on the way out."""
    sweep(parent)
    folder = Path(tempfile.mkdtemp(prefix=PREFIX, dir=parent))
    try:
        pid = os.getpid()
        (folder / MARKER).write_text(json.dumps({"pid": pid, "started": _started(pid)}), encoding="utf-8")
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
