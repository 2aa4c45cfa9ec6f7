"""Exam printing throughput: `python benchmarks/bench_pdf.py [--versions N] [--spec SPEC]`.

Writes N versions (default 30) of examples/midterm.toml as HTML into a temporary folder, then
prints every exam and key to PDF and joins print-all.pdf and keys-all.pdf the way
`quizgen exam --pdf` does, and prints `pdf: N PDFs in T s = R PDFs/s`. The target is 30 versions
with keys in at most 20 s on 2 idle cores. The load average is printed too: other work on the
machine slows a browser down, and the CPU seconds (all processes) are the figure it cannot skew.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

from quizgen.exam.build import pdf_date, prepare
from quizgen.writers import exam as exam_writer
from quizgen.writers import pdf

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spec", default=str(ROOT / "examples" / "midterm.toml"), help="exam spec (default: the midterm)")
    parser.add_argument("--versions", type=int, default=30, help="versions to print, each an exam and a key (default: 30)")
    args = parser.parse_args()
    chromium = pdf.find_chromium()
    if pdf.missing():
        sys.exit(f"bench_pdf: --pdf cannot print here ({pdf.missing()} is missing)")
    exam = prepare(args.spec, args.versions)
    with tempfile.TemporaryDirectory(prefix="quizgen-bench-") as tmp:
        exam_writer.write(exam, tmp)
        load, cpu, start = _load(), _cpu(), time.perf_counter()
        first = []
        names = pdf.print_exam(chromium, Path(tmp), [v.code for v in exam.versions], pdf_date(exam.spec.date),
                               progress=lambda total: lambda n: first or first.append(time.perf_counter() - start))
        seconds, cpu = time.perf_counter() - start, _cpu() - cpu
        printed = len(names) - 2
        merged = sum((Path(tmp) / name).stat().st_size for name in ("print-all.pdf", "keys-all.pdf"))
    print(f"pdf: {printed} PDFs in {seconds:.2f} s = {printed / seconds:.2f} PDFs/s"
          f" ({args.versions} versions with keys, first PDF after {first[0]:.2f} s, print-all + keys-all"
          f" {merged / 1e6:.1f} MB; CPU {cpu:.1f} s over all processes; {os.cpu_count()} cores,"
          f" load average {load} before, {_load()} after)")


def _load() -> str:
    try:
        return "{:.1f}".format(os.getloadavg()[0])
    except OSError:
        return "?"


def _cpu() -> float:
    """CPU seconds of this process and its finished children (the browser and its driver)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


if __name__ == "__main__":
    main()
