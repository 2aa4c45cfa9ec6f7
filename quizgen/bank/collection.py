"""Generate many questions: every family × N variants, in a stable order, on every core."""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys
from contextlib import contextmanager

from quizgen.bank.generate import variant
from quizgen.bank.question import Question
from quizgen.bank.spec import Family

PARALLEL_FROM = 400  # below this many questions a worker pool costs more than it saves


def tasks(families: list[Family], variants: int) -> list[tuple[int, int]]:
    """(family position, variant index) in output order: family id, then index."""
    return [(f, i) for f in range(len(families)) for i in range(variants)]


def cores() -> int:
    """The cores this process may run on (the default of `--jobs`)."""
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def workers(total: int, jobs: int | None = None) -> int:
    """Processes for `total` tasks: `jobs` if given (never more than the tasks), else every core
    once there are enough tasks to pay for a pool. QUIZGEN_WORKERS=1 forces one process."""
    if os.environ.get("QUIZGEN_WORKERS") == "1":
        return 1
    if jobs is not None:
        return max(1, min(jobs, total))
    if total < PARALLEL_FROM:
        return 1
    return min(cores(), 8)


@contextmanager
def no_gc():
    """Pause the cyclic garbage collector while generating, then restore it.

    Generation allocates millions of short-lived containers and keeps thousands of questions
    alive; the collector would rescan them again and again (1.3–1.75× the run time) only to find
    the few cycles that reclaiming at the end frees just as well. Frozen objects (the loaded bank,
    modules) are also never copied into forked workers by a collection touching them.
    """
    enabled = gc.isenabled()
    gc.disable()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
        if enabled:
            gc.enable()


def start_method() -> str:
    """How worker processes start: `fork` on Linux, `spawn` everywhere else.

    A forked worker starts in milliseconds with the bank and compiled templates already in
    memory; macOS (where forking a process that used system frameworks is unsafe) and Windows
    (no fork) spawn fresh interpreters, which `_start` fills with the same bank. Both give the
    same bytes: a worker only ever runs `job(family, index, seed)` on the parent's families.
    """
    if sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods():
        return "fork"
    return "spawn"


def map_variants(families, variants, bank_seed, job, progress=None, method=None, jobs=None):
    """Map `job(family, index, seed)` over every task, in order, in a pool when it pays.

    `job` must be picklable (a module-level function or an instance of a module-level class);
    if it has a `warm_up()` method, each worker calls it once before its first task.
    `method` overrides `start_method()` (tests run the spawn path on Linux with it); `jobs` is
    `--jobs` (see `workers`). The results come back in task order whatever the number of jobs.
    """
    with no_gc():
        return _map_variants(families, variants, bank_seed, job, progress, method or start_method(), jobs)


def _map_variants(families, variants, bank_seed, job, progress, method, jobs):
    todo = tasks(families, variants)
    n = workers(len(todo), jobs)
    if n == 1:
        out = []
        for f, i in todo:
            out.append(job(families[f], i, bank_seed))
            if progress:
                progress(1)
        return out
    ctx = multiprocessing.get_context(method)
    # Small chunks: a chunk is one family's variants, and one of the costly families (find_error
    # takes ~3× the average) left alone at the end would idle the other workers; ~100 µs per chunk.
    chunk = max(1, min(16, len(todo) // (n * 8)))
    out = []
    # fork hands the arguments over in memory; spawn pickles them once per worker, not per task.
    with ctx.Pool(n, initializer=_start, initargs=(families, job, bank_seed)) as pool:
        for result in pool.imap(_run, todo, chunksize=chunk):
            out.append(result)
            if progress:
                progress(1)
    return out


_families: list[Family] = []
_job = None
_seed = 0


def _start(families, job, bank_seed) -> None:
    """Worker initializer: keep the bank and the job for every task this worker runs."""
    global _families, _job, _seed
    _families, _job, _seed = families, job, bank_seed
    warm_up = getattr(job, "warm_up", None)
    if warm_up is not None:
        warm_up()


def _run(task: tuple[int, int]):
    f, i = task
    return _job(_families[f], i, _seed)


def generate(families: list[Family], variants: int, bank_seed: int = 0, progress=None) -> list[Question]:
    """Questions in family-id order, then index order; `progress(n)` is told after each one."""
    return map_variants(families, variants, bank_seed, variant, progress)
