"""Generate many questions: every family × N variants, in a stable order, on every core."""

from __future__ import annotations

import gc
import json
import multiprocessing
import os
from contextlib import contextmanager

from quizgen.bank.generate import variant
from quizgen.bank.question import SCHEMA, Question
from quizgen.bank.spec import Family

PARALLEL_FROM = 400  # below this many questions a worker pool costs more than it saves
_families: list[Family] = []


def tasks(families: list[Family], variants: int) -> list[tuple[int, int]]:
    """(family position, variant index) in output order: family id, then index."""
    return [(f, i) for f in range(len(families)) for i in range(variants)]


def workers(total: int) -> int:
    if total < PARALLEL_FROM or os.environ.get("QUIZGEN_WORKERS") == "1":
        return 1
    return max(1, min(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1, 8))


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


def map_variants(families, variants, bank_seed, job, progress=None):
    """Map `job(family, index, seed)` over every task, in order, in a pool when it pays."""
    with no_gc():
        return _map_variants(families, variants, bank_seed, job, progress)


def _map_variants(families, variants, bank_seed, job, progress):
    todo = tasks(families, variants)
    n = workers(len(todo))
    if n == 1:
        out = []
        for f, i in todo:
            out.append(job(families[f], i, bank_seed))
            if progress:
                progress(1)
        return out
    global _families
    _families = families  # inherited by forked workers
    ctx = multiprocessing.get_context("fork")
    chunk = max(1, min(64, len(todo) // (n * 8)))
    out = []
    with ctx.Pool(n) as pool:
        for result in pool.imap(_Worker(job, bank_seed), todo, chunksize=chunk):
            out.append(result)
            if progress:
                progress(1)
    return out


class _Worker:
    def __init__(self, job, bank_seed):
        self.job, self.bank_seed = job, bank_seed

    def __call__(self, task):
        f, i = task
        return self.job(_families[f], i, self.bank_seed)


def generate(families: list[Family], variants: int, bank_seed: int = 0, progress=None) -> list[Question]:
    """Questions in family-id order, then index order; `progress(n)` is told after each one."""
    return map_variants(families, variants, bank_seed, variant, progress)


def _question_json(family: Family, index: int, bank_seed: int) -> str:
    return json.dumps(variant(family, index, bank_seed).to_dict(), ensure_ascii=False, separators=(",", ":"))


def export_json(families: list[Family], variants: int, bank_seed: int = 0, progress=None) -> str:
    """The export document as text; each question is encoded where it was generated."""
    parts = map_variants(families, variants, bank_seed, _question_json, progress)
    return '{"schema":' + json.dumps(SCHEMA) + ',"questions":[' + ",".join(parts) + "]}\n"
