"""Study-site build throughput: `python benchmarks/bench_build.py [--questions N] [--jobs N] [--profile]`.

Runs `quizgen build` on the shipped bank in a subprocess (interpreter start-up, loading, every
page and the folder swap included) with enough variants for `--questions` (default 1,000), into
a temporary folder, and prints wall-clock questions/s, user+sys CPU seconds per 1,000 questions
over every process (the figure other load on the machine skews least), the peak resident memory
of the largest process and the load average. --profile runs it in one process under cProfile
and prints the top functions instead.
"""

from __future__ import annotations

import argparse
import cProfile
import math
import pstats
import sys
import tempfile
from pathlib import Path

from measure import run_command

from quizgen.bank.load import load_bank

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bank", help="question bank (default: ./question_bank or the shipped one)")
    parser.add_argument("--questions", type=int, default=1000, help="at least this many (default: 1000)")
    parser.add_argument("--variants", type=int, help="variants per family (default: from --questions)")
    parser.add_argument("--jobs", type=int, help="worker processes (default: the command's own default)")
    parser.add_argument("--profile", action="store_true", help="one process under cProfile; print the hot spots")
    args = parser.parse_args()
    families = len(load_bank(args.bank))
    variants = args.variants or math.ceil(args.questions / families)
    with tempfile.TemporaryDirectory(prefix="quizgen-bench-") as tmp:
        out = Path(tmp) / "site"
        if args.profile:
            from quizgen.commands.build import build

            profile = cProfile.Profile()
            profile.runcall(build, args.bank, out, variants, jobs=1)
            pstats.Stats(profile).sort_stats("cumulative").print_stats(40)
            return
        command = [sys.executable, "-m", "quizgen", "build", "--variants", str(variants), "--out", str(out)]
        command += ["--bank", args.bank] if args.bank else []
        command += ["--jobs", str(args.jobs)] if args.jobs else []
        run_command("build", command, families * variants, f"{families} families × {variants}")


if __name__ == "__main__":
    main()
