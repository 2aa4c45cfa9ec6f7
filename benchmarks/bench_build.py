"""Study-site build throughput: `python benchmarks/bench_build.py [--questions N ...] [--jobs N] [--profile | --phases]`.

Runs `quizgen build` on the shipped bank in a subprocess (interpreter start-up, loading, every
page and the folder swap included) with enough variants for each `--questions` (default 1,000,
then 10,000), into a temporary folder (inside `--dir` if given), with Python's bytecode cache on
as an installed quizgen has it, after one untimed warm-up run that writes the cache
(benchmarks/measure.py). For each size it prints wall-clock questions/s, user+sys CPU seconds per
1,000 questions over every process (the figure other load on the machine skews least), the peak
resident memory of the largest process (and summed over all of them) and the load average.
--profile runs it in one process under cProfile and prints the top functions instead; --phases
runs it in one process, phase by phase, and prints the CPU seconds per 1,000 questions of each:
generating, rendering and writing the question pages, the collection pages.
"""

from __future__ import annotations

import argparse
import cProfile
import math
import pstats
import sys
import tempfile
import time
from pathlib import Path

from measure import run_command, warm_up

from quizgen.bank.collection import PARALLEL_FROM
from quizgen.bank.load import load_bank

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bank", help="question bank (default: ./question_bank or the shipped one)")
    parser.add_argument("--questions", type=int, nargs="+", default=[1000, 10000],
                        help="at least this many, one run per size (default: 1000 10000; --phases, --profile: the first)")
    parser.add_argument("--variants", type=int, help="variants per family (default: from --questions)")
    parser.add_argument("--jobs", type=int, help="worker processes (default: the command's own default)")
    parser.add_argument("--dir", help="folder to build in (default: the system's temporary folder); e.g. /dev/shm"
                        " to leave out the file system's cost of creating a file per page")
    parser.add_argument("--profile", action="store_true", help="one process under cProfile; print the hot spots")
    parser.add_argument("--phases", action="store_true", help="one process; CPU of each phase per 1,000 questions")
    args = parser.parse_args()
    families = len(load_bank(args.bank))
    variants = args.variants or math.ceil(min(args.questions) / families)
    with tempfile.TemporaryDirectory(prefix="quizgen-bench-", dir=args.dir) as tmp:
        out = Path(tmp) / "site"
        if args.phases:
            phases(args.bank, out, variants)
            return
        if args.profile:
            from quizgen.commands.build import build

            profile = cProfile.Profile(time.process_time)  # CPU, not the wall clock other load inflates
            profile.runcall(build, args.bank, out, variants, jobs=1)
            pstats.Stats(profile).sort_stats("cumulative").print_stats(40)
            return

        def command(variants: int) -> list[str]:
            return ([sys.executable, "-m", "quizgen", "build", "--variants", str(variants), "--out", str(out)]
                    + (["--bank", args.bank] if args.bank else []) + (["--jobs", str(args.jobs)] if args.jobs else []))

        warm_up(command(math.ceil(PARALLEL_FROM / families)))  # enough questions for the worker pool
        sizes = [variants] if args.variants else [math.ceil(q / families) for q in sorted(args.questions)]
        for variants in sizes:  # ascending: the children's peak RSS only grows
            run_command("build", command(variants), families * variants, f"{families} families × {variants}")


def phases(bank: str | None, out: Path, variants: int) -> None:
    """Generate every question, then render and write every page, then the collection pages, in
    this process (no pool), timing each phase's CPU (the site writer's own steps, as `publish`
    runs them, bar the folder swap)."""
    from quizgen.bank.generate import variant
    from quizgen.bank.collection import no_gc
    from quizgen.writers import context, get

    families = load_bank(bank)
    writer = get("site")
    ctx = context(writer, variants, {}, summaries={f.id: f.summary for f in families})
    out.mkdir()
    ctx.folder = out
    clock = [time.process_time()]

    def lap() -> float:
        clock.append(time.process_time())
        return clock[-1] - clock[-2]

    with no_gc():
        writer.warm_up(ctx)
        writer.start(ctx)
        warm = lap()
        questions = [variant(f, i, 0) for f in families for i in range(variants)]
        generate = lap()
        rendered = [writer.render(q, ctx) for q in questions]
        render = lap()
        writer.write(rendered, ctx)
        collection = lap()
    per = 1000 / len(questions)
    print(f"build phases, {len(questions)} questions, CPU per 1,000 questions: generate {generate * per:.2f} s,"
          f" render+write question pages {render * per:.2f} s, collection pages {collection * per:.2f} s"
          f" ({collection:.2f} s); templates {warm:.2f} s once")


if __name__ == "__main__":
    main()
