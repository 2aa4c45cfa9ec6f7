"""Run a quizgen command as a subprocess and report what the benchmarks compare: questions per
second of wall clock, CPU per 1,000 questions over every process (steady under load), peak RSS."""

from __future__ import annotations

import os
import resource
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_command(label: str, command: list[str], count: int, detail: str) -> None:
    """Run `command` from the repository root and print one line of figures for `count` questions."""
    before, start = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
    subprocess.run(command, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    seconds, after = time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN)
    user, system = after.ru_utime - before.ru_utime, after.ru_stime - before.ru_stime
    cpu = user + system
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"{label}: {count} questions ({detail}) in {seconds:.2f} s = {count / seconds:.0f} questions/s wall;"
          f" CPU (user+sys, all processes) {cpu:.2f} s = {1000 * cpu / count:.2f} s per 1,000 questions"
          f" (user {user:.2f} s, sys {system:.2f} s); peak RSS {after.ru_maxrss / 1024:.0f} MB (largest process);"
          f" {os.cpu_count()} CPUs, load average {load}")
