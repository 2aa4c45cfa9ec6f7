"""Questions per second: every shipped family × N variants, in process and through `quizgen export`.

    python benchmarks/bench_generate.py                  # ≥ 2,000 questions, target ≥ 2,000/s
    python benchmarks/bench_generate.py --variants 100   # more per family
    python benchmarks/bench_generate.py --profile        # cProfile of one single-process run

`generate` uses the same worker pool as `quizgen export` (QUIZGEN_WORKERS=1 forces one process);
`export` runs the real command in a subprocess, interpreter start-up and JSON writing included.
"""

from __future__ import annotations

import argparse
import cProfile
import math
import os
import pstats
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from quizgen.bank.collection import generate
from quizgen.bank.load import load_bank

ROOT = Path(__file__).resolve().parents[1]
TARGET = 2000  # questions per run, and questions per second to aim for


def cpu_seconds() -> float:
    """User + system time of this process and every child it has waited for (workers, `export`)."""
    return sum(r.ru_utime + r.ru_stime for r in (resource.getrusage(resource.RUSAGE_SELF),
                                                  resource.getrusage(resource.RUSAGE_CHILDREN)))


def report(label: str, count: int, seconds: float, cpu: float) -> None:
    """Wall-clock throughput, and CPU per question (steadier on a shared machine)."""
    print(f"{label}: {count} questions in {seconds:.2f} s = {count / seconds:.0f} questions/s; "
          f"CPU {cpu:.2f} s = {1000 * cpu / count:.2f} ms per question", flush=True)


def time_generate(families, variants: int, seed: int) -> tuple[int, float, float]:
    start, cpu = time.perf_counter(), cpu_seconds()
    questions = generate(families, variants, seed)
    return len(questions), time.perf_counter() - start, cpu_seconds() - cpu


def time_export(bank: Path, variants: int, seed: int) -> tuple[int, float, float]:
    """`quizgen export --format json --out FILE` end to end, as a user runs it."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "questions.json"
        command = [sys.executable, "-m", "quizgen", "export", "--format", "json", "--bank", str(bank),
                   "--variants", str(variants), "--seed", str(seed), "--out", str(out)]
        start, cpu = time.perf_counter(), cpu_seconds()
        subprocess.run(command, check=True, cwd=ROOT)
        seconds, cpu = time.perf_counter() - start, cpu_seconds() - cpu
        count = out.read_text(encoding="utf-8").count('"id":"')
    return count, seconds, cpu


def profile(families, variants: int, seed: int, top: int) -> None:
    """Single-process generation under cProfile: where the time goes, by own time and cumulative."""
    os.environ["QUIZGEN_WORKERS"] = "1"
    profiler = cProfile.Profile()
    profiler.enable()
    generate(families, variants, seed)
    profiler.disable()
    stats = pstats.Stats(profiler, stream=sys.stdout).strip_dirs()
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bank", type=Path, default=ROOT / "question_bank")
    parser.add_argument("--variants", type=int, help=f"per family (default: enough for {TARGET} questions)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--profile", action="store_true", help="print a cProfile of single-process generation")
    parser.add_argument("--top", type=int, default=25, help="rows of the profile (default: 25)")
    args = parser.parse_args()

    families = load_bank(args.bank)
    variants = args.variants or math.ceil(TARGET / len(families))
    print(f"{len(families)} families × {variants} variants, {os.cpu_count()} CPUs", flush=True)
    if args.profile:
        profile(families, variants, args.seed, args.top)
        return
    generate(families, 1, args.seed)  # warm caches (grid points, templates, number formats)
    report("generate", *time_generate(families, variants, args.seed))
    os.environ["QUIZGEN_WORKERS"] = "1"
    report("generate (1 process)", *time_generate(families, variants, args.seed))
    del os.environ["QUIZGEN_WORKERS"]
    report("export", *time_export(args.bank, variants, args.seed))


if __name__ == "__main__":
    main()
