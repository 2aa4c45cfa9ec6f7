"""Worker-pool chunks (issue 15, speed): every task once, in order, each chunk inside one family
(so a worker's caches convert a family's formulas once), none larger than MAX_CHUNK."""

from __future__ import annotations

import pytest

from quizgen.bank import collection


@pytest.mark.parametrize("families,variants,workers", [(50, 20, 2), (50, 200, 2), (3, 140, 2), (1, 1, 2),
                                                       (7, 33, 3), (50, 3, 8), (2, 1000, 64)])
def test_chunks_cover_every_task_once_in_order_within_one_family(families, variants, workers):
    chunks = collection.chunks(families, variants, workers)
    flat = [(f, i) for f, first, end in chunks for i in range(first, end)]
    assert flat == collection.tasks([None] * families, variants)
    assert all(0 < end - first <= collection.MAX_CHUNK for _, first, end in chunks)


@pytest.mark.parametrize("families,variants,workers", [(134, 75, 2), (134, 15, 2), (50, 200, 3)])
def test_the_last_tasks_go_in_small_chunks_so_no_worker_idles_on_a_long_one(families, variants, workers):
    """Guards the finer tail: the bank's last families (train-*) are among its costliest, and one
    of them handed out whole as the last chunk kept the other workers idle (~0.1-0.2 s)."""
    chunks = collection.chunks(families, variants, workers)
    size = max(1, min(collection.MAX_CHUNK, -(-families * variants // (workers * 8))))
    tail, seen = 4 * workers * size, 0
    for _, first, end in reversed(chunks):
        if seen >= tail:
            break
        assert end - first <= max(1, size // 8)
        seen += end - first
