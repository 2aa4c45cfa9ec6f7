"""Study-site build throughput: `python benchmarks/bench_build.py [--variants N] [--profile]`.

Builds the shipped bank with enough variants for at least 1,000 questions into a temporary
folder, the way `quizgen build` does, and prints `build: N questions in T s = Q questions/s`.
--profile runs it in one process under cProfile and prints the top functions instead.
"""

from __future__ import annotations

import argparse
import cProfile
import math
import os
import pstats
import resource
import tempfile
import time
from pathlib import Path

from quizgen.bank.load import load_bank
from quizgen.commands.build import build

MIN_QUESTIONS = 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bank", help="question bank (default: ./question_bank or the shipped one)")
    parser.add_argument("--variants", type=int, help="variants per family (default: enough for 1,000 questions)")
    parser.add_argument("--profile", action="store_true", help="one process under cProfile; print the hot spots")
    args = parser.parse_args()
    families = len(load_bank(args.bank))
    variants = args.variants or math.ceil(MIN_QUESTIONS / families)
    with tempfile.TemporaryDirectory(prefix="quizgen-bench-") as tmp:
        out = Path(tmp) / "site"
        if args.profile:
            os.environ["QUIZGEN_WORKERS"] = "1"
            profile = cProfile.Profile()
            profile.runcall(build, args.bank, out, variants)
            pstats.Stats(profile).sort_stats("cumulative").print_stats(40)
            return
        start, cpu = time.perf_counter(), _cpu()
        result = build(args.bank, out, variants)
        seconds, cpu = time.perf_counter() - start, _cpu() - cpu
    print(f"build: {result.questions} questions in {seconds:.2f} s = {result.questions / seconds:.0f} questions/s"
          f" ({families} families × {variants} variants, {result.pages} pages;"
          f" CPU {cpu:.2f} s = {1000 * cpu / result.questions:.2f} ms per question over all processes)")


def _cpu() -> float:
    """CPU seconds of this process and its finished workers: the figure other load cannot skew."""
    own, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


if __name__ == "__main__":
    main()
