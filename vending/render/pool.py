"""Rendering many subscriptions at once: one process pool helper for every batch that renders or checks in
parallel, and runs in this process when the batch is too small to pay for processes."""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import contextmanager
from itertools import islice
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def worker_count(workers: int | None, *, cap: int | None = None) -> int:
    """``workers`` when given, else one per core (at most ``cap``)."""
    if workers is not None:
        return workers
    cores = os.cpu_count() or 1
    return min(cores, cap) if cap is not None else cores


@contextmanager
def process_pool(jobs: int, *, workers: int, threshold: int) -> Iterator[Executor | None]:
    """A pool of ``workers`` processes for ``jobs`` jobs, or None (run here) for one worker or fewer jobs
    than ``threshold``."""
    if workers <= 1 or jobs < threshold:
        yield None
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield pool


def map_jobs(pool: Executor | None, function: Callable[[T], R], items: Sequence[T], *, chunks: int = 1) -> list[R]:
    """``function`` over ``items`` in order, in the pool (in about ``chunks`` pieces) or here."""
    if pool is None:
        return [function(item) for item in items]
    size = max(1, -(-len(items) // max(1, chunks)))
    return list(pool.map(function, items, chunksize=size))


def stream_jobs(
    pool: Executor | None, function: Callable[[T], R], items: Iterable[T], *, chunk: int, window: int
) -> Iterator[R]:
    """``function`` over ``items`` in order, yielded one by one: in the pool, ``chunk`` items per task and at
    most ``window`` tasks ahead of the consumer (so memory is bounded by the window, not the batch), or here."""
    if pool is None:
        yield from map(function, items)
        return
    source = iter(items)
    pending: deque[Future[list[R]]] = deque()
    while True:
        while len(pending) < window and (piece := list(islice(source, chunk))):
            pending.append(pool.submit(_apply, function, piece))
        if not pending:
            return
        yield from pending.popleft().result()


def _apply(function: Callable[[T], R], piece: list[T]) -> list[R]:
    return [function(item) for item in piece]
