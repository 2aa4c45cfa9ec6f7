"""`quizgen export` throughput and memory, end to end as a user runs it:

    python benchmarks/bench_export.py                         # json: 2,000 questions (target ≥ 2,000/s), then 10,000 (< 500 MB peak)
    python benchmarks/bench_export.py --questions 2000        # one size only
    python benchmarks/bench_export.py --format site --jobs 1  # any registered writer, any --jobs

Runs `python -m quizgen export` in a subprocess (interpreter start-up, bank loading and writing
included) with Python's bytecode cache on, as an installed quizgen has it, after one untimed
warm-up run that writes the cache (benchmarks/measure.py), and prints for each size: wall-clock
questions/s, user+sys CPU seconds per 1,000 questions over every process (steady on a shared
machine, unlike the wall clock), the peak resident memory of the largest process, and the load
average when it ran.
"""

from __future__ import annotations

import argparse
import math
import sys
import tempfile
from pathlib import Path

from measure import run_command, warm_up

from quizgen.bank.collection import PARALLEL_FROM

ROOT = Path(__file__).resolve().parents[1]


def families(bank: Path) -> int:
    from quizgen.bank.load import load_bank

    return len(load_bank(bank))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bank", type=Path, default=ROOT / "question_bank")
    parser.add_argument("--questions", type=int, nargs="+", default=[2000, 10000],
                        help="at least this many, one run per size (default: 2000 10000)")
    parser.add_argument("--format", default="json")
    parser.add_argument("--jobs", type=int, help="worker processes (default: the command's own default)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    n = families(args.bank)
    with tempfile.TemporaryDirectory(prefix="quizgen-bench-") as folder:
        out = Path(folder) / ("questions.json" if args.format == "json" else "out")

        def command(variants: int) -> list[str]:
            return ([sys.executable, "-m", "quizgen", "export", "--format", args.format, "--bank", str(args.bank),
                     "--variants", str(variants), "--seed", str(args.seed), "--out", str(out)]
                    + (["--jobs", str(args.jobs)] if args.jobs else []))

        warm_up(command(math.ceil(PARALLEL_FROM / n)))  # enough questions for the worker pool
        for questions in sorted(args.questions):  # ascending: the children's peak RSS only grows
            variants = math.ceil(questions / n)
            run_command(f"export --format {args.format}", command(variants), n * variants, f"{n} families × {variants}")


if __name__ == "__main__":
    main()
