"""Run a quizgen command as a subprocess and report what the benchmarks compare: questions per
second of wall clock, CPU per 1,000 questions over every process (steady under load), peak RSS
of the largest process and of all of them together (sampled from /proc where there is one).

The command runs as a user's install runs it: with Python's bytecode cache on (a development
machine may set PYTHONDONTWRITEBYTECODE=1, which would make every run recompile quizgen's ~150
modules and count that as start-up), after one untimed warm-up run that writes the cache.
"""

from __future__ import annotations

import os
import resource
import subprocess
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = 0.02  # seconds between /proc samples of the process tree's memory


def user_env() -> dict[str, str]:
    """This environment with bytecode caching as an installed quizgen has it (on)."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def warm_up(command: list[str]) -> None:
    """Run `command` once, untimed, so the timed run finds every module's bytecode cached."""
    subprocess.run(command, cwd=ROOT, env=user_env(), stdout=subprocess.DEVNULL, check=True)


def _tree_rss(pid: int) -> int:
    """Resident kB of `pid` and every descendant (shared pages of forked workers counted in each,
    so an upper bound); 0 where /proc cannot tell."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/status", encoding="ascii", errors="replace") as fh:
                total += next((int(line.split()[1]) for line in fh if line.startswith("VmRSS:")), 0)
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children", encoding="ascii") as fh:
                    todo += [int(c) for c in fh.read().split()]
        except (OSError, ValueError):
            continue
    return total


def _watch(proc: subprocess.Popen, peak: list[int]) -> None:
    while proc.poll() is None:
        peak[0] = max(peak[0], _tree_rss(proc.pid))
        time.sleep(SAMPLE)


def run_command(label: str, command: list[str], count: int, detail: str) -> None:
    """Run `command` from the repository root (bytecode cached, see the module docstring) and
    print one line of figures for `count` questions."""
    before, start = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
    proc = subprocess.Popen(command, cwd=ROOT, env=user_env(), stdout=subprocess.DEVNULL)
    peak = [0]
    watcher = threading.Thread(target=_watch, args=(proc, peak), daemon=True)
    watcher.start()
    if proc.wait() != 0:
        raise subprocess.CalledProcessError(proc.returncode, command)
    seconds, after = time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN)
    watcher.join()
    user, system = after.ru_utime - before.ru_utime, after.ru_stime - before.ru_stime
    cpu = user + system
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    summed = f", {peak[0] / 1024:.0f} MB summed over all its processes" if peak[0] else ""
    print(f"{label}: {count} questions ({detail}) in {seconds:.2f} s = {count / seconds:.0f} questions/s wall;"
          f" CPU (user+sys, all processes) {cpu:.2f} s = {1000 * cpu / count:.2f} s per 1,000 questions"
          f" (user {user:.2f} s, sys {system:.2f} s); peak RSS {after.ru_maxrss / 1024:.0f} MB (largest process"
          f"{summed}); {os.cpu_count()} CPUs, load average {load}", flush=True)
