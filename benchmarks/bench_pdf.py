"""Exam printing throughput: `python benchmarks/bench_pdf.py [--versions N] [--spec SPEC]`.

Writes N versions (default 30) of examples/midterm.toml as HTML into a temporary folder, then
prints every exam and key to PDF and joins print-all.pdf and keys-all.pdf the way
`quizgen exam --pdf` does, and prints `pdf: N PDFs in T s = R PDFs/s`. The target is 30 versions
with keys in at most 20 s on 2 idle cores. The load average is printed too: other work on the
machine slows a browser down, and the CPU seconds (all processes) are the figure it cannot skew.

The CPU is read from /proc for every process under this one, sampled while they run: Chromium's
renderers are reaped by its zygote, not by us, so getrusage(RUSAGE_CHILDREN) misses most of them
(it reported 17 s where the renderers alone had used over 40).
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import sys
import tempfile
import threading
import time
from pathlib import Path

from quizgen.exam.build import pdf_date, prepare
from quizgen.writers import exam as exam_writer
from quizgen.writers import pdf, pdf_browser

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spec", default=str(ROOT / "examples" / "midterm.toml"), help="exam spec (default: the midterm)")
    parser.add_argument("--versions", type=int, default=30, help="versions to print, each an exam and a key (default: 30)")
    parser.add_argument("--workers", type=int, default=None, help="tabs printing at once (default: one per core)")
    args = parser.parse_args()
    chromium = pdf.find_chromium()
    if pdf.missing():
        sys.exit(f"bench_pdf: --pdf cannot print here ({pdf.missing()} is missing)")
    exam = prepare(args.spec, args.versions)
    with tempfile.TemporaryDirectory(prefix="quizgen-bench-") as tmp:
        exam_writer.write(exam, tmp)
        load, cpu, start = _load(), Tree(), time.perf_counter()
        first = []
        names = pdf.print_exam(chromium, Path(tmp), [v.code for v in exam.versions], pdf_date(exam.spec.date),
                               progress=lambda total: lambda n: first or first.append(time.perf_counter() - start),
                               workers=args.workers)
        seconds, tree = time.perf_counter() - start, cpu
        cpu = tree.stop()
        printed = len(names) - 2
        merged = sum((Path(tmp) / name).stat().st_size for name in ("print-all.pdf", "keys-all.pdf"))
    workers = args.workers or pdf_browser.cores()
    print(f"pdf: {printed} PDFs in {seconds:.2f} s = {printed / seconds:.2f} PDFs/s"
          f" ({args.versions} versions with keys, first PDF after {first[0]:.2f} s, print-all + keys-all"
          f" {merged / 1e6:.1f} MB; CPU {cpu:.1f} s over all processes; {workers} tabs on {os.cpu_count()} cores,"
          f" load average {load} before, {_load()} after)")
    print(f"CPU by process: {tree.by_role()}")


def _load() -> str:
    try:
        return "{:.1f}".format(os.getloadavg()[0])
    except OSError:
        return "?"


def _cpu() -> float:
    """CPU seconds of this process and its reaped children (all there is where /proc is not)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


class Tree:
    """CPU seconds used by this process and every process under it, from /proc every 0.1 s
    (less the CPU the watching thread itself used)."""

    def __init__(self):
        self.tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
        self.proc = Path("/proc/self/stat").exists()
        self.start_rusage = _cpu()
        self.roles: dict[tuple[int, str], str] = {}
        self.base = self._sample() if self.proc else {}
        self.seen = dict(self.base)
        self.running = self.proc
        self.thread = threading.Thread(target=self._watch, daemon=True)
        self.thread.start()

    def _sample(self) -> dict[tuple[int, str], int]:
        parents, ticks = {}, {}
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                text = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            fields = text.rpartition(")")[2].split()
            pid = int(entry)
            parents.setdefault(int(fields[1]), []).append(pid)
            ticks[pid] = (fields[19], int(fields[11]) + int(fields[12]))  # (start time, utime + stime)
        found, todo = {}, [os.getpid()]
        while todo:
            pid = todo.pop()
            if pid in ticks:
                key = (pid, ticks[pid][0])
                found[key] = ticks[pid][1]
                if self.roles.get(key, "other") in ("other", "chromium zygote"):  # not yet exec'd or titled
                    self.roles[key] = _role(pid)
            todo += parents.get(pid, [])
        return found

    def _watch(self) -> None:
        while self.running:
            self.seen.update(self._sample())
            time.sleep(0.1)
        self.own = time.thread_time()  # the watching itself is not the printing's cost

    def stop(self) -> float:
        if not self.proc:
            return _cpu() - self.start_rusage
        self.running = False
        self.thread.join()
        self.seen.update(self._sample())
        return sum(ticks - self.base.get(key, 0) for key, ticks in self.seen.items()) / self.tick - self.own

    def by_role(self) -> str:
        """'renderers 30.1 s, browser 5.2 s, ...': where the CPU went."""
        roles: dict[str, float] = {}
        for key, ticks in self.seen.items():
            role = self.roles.get(key, "other")
            roles[role] = roles.get(role, 0.0) + (ticks - self.base.get(key, 0)) / self.tick
        roles["quizgen"] = roles.get("quizgen", 0.0) - self.own
        return ", ".join(f"{role} {sec:.1f} s" for role, sec in sorted(roles.items(), key=lambda r: -r[1]) if sec >= 0.05)


def _role(pid: int) -> str:
    """quizgen (this process), driver (Playwright's node), browser, renderer, or another Chromium process."""
    if pid == os.getpid():
        return "quizgen"
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes()  # Chromium rewrites its children's titles: no NULs
    except OSError:
        return "other"
    kind = re.search(rb"--type=([a-z-]+)", argv)
    if kind:
        sub = re.search(rb"--utility-sub-type=[a-z_]*\.?mojom\.([A-Za-z]+)", argv)
        return ("renderers" if kind.group(1) == b"renderer" else
                "chromium " + (sub.group(1) if sub else kind.group(1)).decode())
    program = argv.split(b"\0")[0]
    return "browser" if b"chrom" in program else "driver" if b"node" in program else "other"


if __name__ == "__main__":
    main()
