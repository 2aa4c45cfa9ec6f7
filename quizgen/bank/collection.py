"""Generate many questions: every family × N variants, in a stable order, on every core."""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys
from contextlib import contextmanager
from functools import lru_cache

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


def map_variants(families, variants, bank_seed, job, progress=None, method=None, jobs=None, meanwhile=None):
    """Map `job(family, index, seed)` over every task, in order, in a pool when it pays.

    `job` must be picklable (a module-level function or an instance of a module-level class);
    if it has a `warm_up()` method, each worker calls it once before its first task.
    `method` overrides `start_method()` (tests run the spawn path on Linux with it); `jobs` is
    `--jobs` (see `workers`). The results come back in task order whatever the number of jobs.
    `meanwhile()`, if given, runs once in this process while the workers work (in one process:
    before the tasks): work that needs no result, which would otherwise wait until they finish.
    """
    with no_gc():
        return _map_variants(families, variants, bank_seed, job, progress, method or start_method(), jobs, meanwhile)


def _map_variants(families, variants, bank_seed, job, progress, method, jobs, meanwhile=None):
    todo = tasks(families, variants)
    n = workers(len(todo), jobs)
    if n == 1:
        if meanwhile:
            meanwhile()
        out = []
        for f, i in todo:
            out.append(job(families[f], i, bank_seed))
            if progress:
                progress(1)
        return out
    ctx = multiprocessing.get_context(method)
    if method == "fork":
        import numpy.random  # noqa: F401  (numpy loads it at the first draw: ~15 ms, once here, not per worker)
    out = []
    # fork hands the arguments over in memory; spawn pickles them once per worker, not per task.
    with _pool_class()(n, initializer=_start, initargs=(families, job, bank_seed), context=ctx) as pool:
        pending = pool.imap(_run, chunks(len(families), variants, n))  # the workers start on it now
        if meanwhile:
            meanwhile()
        for results in pending:
            out.extend(results)
            if progress:
                progress(len(results))
    return out


@lru_cache(maxsize=1)
def _pool_class():
    """multiprocessing's Pool without its idle spin (its module is imported only when a pool runs).

    The stock pool's worker-minding thread also wakes on every result waiting in the pipe, so it
    loops until the result thread has read it: ~0.3 s of the main process's CPU per 2,000
    exported questions, taken from the workers on 2 cores. Without maxtasksperchild nothing there
    needs a result: it still wakes when a worker exits (its sentinel) and on close, terminate and
    an emptied task cache (the change notifier)."""
    import multiprocessing.pool

    class Pool(multiprocessing.pool.Pool):
        def _get_sentinels(self):
            notifier = getattr(self, "_change_notifier", None)  # a private name: if a Python renames it,
            if notifier is None:  # the stock behaviour (spin included) is kept rather than broken
                return super()._get_sentinels()
            return [notifier._reader]

    return Pool


MAX_CHUNK = 32  # variants; a costly family (find_error: ~3× the average) in one chunk left last idles the others


def chunks(families: int, variants: int, workers: int) -> list[tuple[int, int, int]]:
    """(family position, first, end) ranges of variant indexes, in task order: each within one
    family, so a worker converts a family's formulas and prose once (its caches are per
    process), and small enough (at most MAX_CHUNK variants, about 8 chunks per worker or more)
    that the workers finish together. The last 4 × `workers` × size tasks go in chunks an eighth
    that size: a worker handed a long chunk last (the bank's last families, train-*, are among its
    costliest: up to ~8 ms a variant) would otherwise keep the others idle for up to that chunk's
    time."""
    per_worker = -(-families * variants // (workers * 8))
    size = max(1, min(MAX_CHUNK, per_worker))
    pieces = -(-variants // size)
    out = []
    for f in range(families):
        out += [(f, a, b) for a, b in _split(0, variants, pieces)]
    tail, fine = 4 * workers * size, max(1, size // 8)
    for k in range(len(out) - 1, -1, -1):  # from the end, while inside the tail
        f, a, b = out[k]
        tail -= b - a
        out[k:k + 1] = [(f, x, y) for x, y in _split(a, b, -(-(b - a) // fine))]
        if tail <= 0:
            break
    return out


def _split(first: int, end: int, pieces: int) -> list[tuple[int, int]]:
    """[first, end) in `pieces` ranges as even as whole numbers allow, none empty."""
    n = end - first
    bounds = [first + n * k // pieces for k in range(pieces + 1)]
    return [(a, b) for a, b in zip(bounds, bounds[1:]) if b > a]


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


def _run(chunk: tuple[int, int, int]) -> list:
    f, first, end = chunk
    family = _families[f]
    return [_job(family, i, _seed) for i in range(first, end)]


def generate(families: list[Family], variants: int, bank_seed: int = 0, progress=None) -> list[Question]:
    """Questions in family-id order, then index order; `progress(n)` is told after each one."""
    return map_variants(families, variants, bank_seed, variant, progress)
