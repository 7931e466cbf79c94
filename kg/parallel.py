"""Work over several processes: parsing bulk listings and extraction in a pool of workers, output
writers (and shares of the site's pages) in forked children.

Extraction is a pure function of a merged paper (and parsing one of a run of lines), so papers
go to the workers in chunks and the results come back in input order: the graph assembled from
them is the one a single process builds. At most a few chunks per worker are in flight, so
neither the papers sent nor the results waiting for assembly pile up. The pool is started before
the build reads anything, so each worker starts small (with the gazetteers already loaded)
instead of as a copy of a process holding a million papers."""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from itertools import tee
from multiprocessing.connection import Connection, wait
from types import TracebackType
from typing import Any, Generic, TypeVar

from kg.batched import batched
from kg.extract import Extraction, extract_paper, prepare
from kg.resolve.papers import MergedPaper

T = TypeVar("T")
R = TypeVar("R")

CHUNK = 64
"""Papers per task: sending them costs little next to extracting them."""
WINDOW_PER_JOB = 4


def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's malloc_trim, where the C library has it."""
    try:
        return ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):
        return None


_TRIM = _malloc_trim()


def trim_heap() -> None:
    """Give the C heap's free pages back to the system (glibc keeps them otherwise): texts freed
    after extraction then no longer count in this process, nor in the children forked from it."""
    if _TRIM is not None:
        _TRIM(0)


def resolve_jobs(jobs: int) -> int:
    """The number of processes `jobs` asks for, 0 meaning one per available core."""
    if jobs < 0:
        raise ValueError("jobs must be 0 (all cores) or more")
    if jobs:
        return jobs
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def _context() -> multiprocessing.context.BaseContext:
    """fork where the platform has it (workers inherit what is loaded), else spawn."""
    return multiprocessing.get_context("fork" if can_fork() else "spawn")


def _apply(function: Callable[[T], R], chunk: list[T]) -> list[R]:
    return [function(item) for item in chunk]


class Workers:
    """`jobs` worker processes (0: one per core); with one job everything runs in this process."""

    def __init__(self, jobs: int = 1) -> None:
        self.jobs = resolve_jobs(jobs)
        self._pool: Any = None

    def __enter__(self) -> Workers:
        prepare()
        if self.jobs > 1:
            self._pool = _context().Pool(self.jobs)
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if self._pool is not None:
            if kind is None:
                self._pool.close()
            else:
                self._pool.terminate()
            self._pool.join()
            self._pool = None

    def map(self, function: Callable[[T], R], items: Iterable[T], chunk: int = CHUNK) -> Iterator[R]:
        """`function` (a module-level function) over `items`, results in input order. An error
        raised by `items` comes after the results of the items before it, as with the builtin map."""
        if self._pool is None:
            yield from map(function, items)
            return
        batches = _Batches(items, chunk)
        pending: deque = deque()
        for batch in batches:
            pending.append(self._pool.apply_async(_apply, (function, batch)))
            if len(pending) >= self.jobs * WINDOW_PER_JOB:
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()
        if batches.error is not None:
            raise batches.error


class _Batches(Generic[T]):
    """`items` in lists of `size`, as `batched` makes them; an error raised by `items` ends the
    lists and is kept in `error`, for the caller to raise once their results are out."""

    def __init__(self, items: Iterable[T], size: int) -> None:
        self.items, self.size = items, size
        self.error: Exception | None = None

    def __iter__(self) -> Iterator[list[T]]:
        try:
            yield from batched(self.items, self.size)
        except Exception as exc:  # raised by Workers.map after the results of the batches before it
            self.error = exc


def extract_all(papers: Iterable[MergedPaper],
                workers: Workers | None = None) -> Iterator[tuple[MergedPaper, Extraction]]:
    """Each paper with its extraction, in input order (see `map_papers`)."""
    return map_papers(extract_paper, papers, workers)


def map_papers(function: Callable[[MergedPaper], R], papers: Iterable[MergedPaper],
               workers: Workers | None = None) -> Iterator[tuple[MergedPaper, R]]:
    """Each paper with `function` (module-level) of it, in input order; papers are read as the
    workers take them, so only those in flight are held (an index that keeps papers in a file is
    never loaded whole). An error reading `papers` stops `held` at once and comes out of the pool's
    map after the papers before it, so the zip is strict: it asks the map for its end."""
    held, sent = tee(papers)
    return zip(held, (workers or Workers()).map(function, sent), strict=True)


def run_forked(tasks: Mapping[str, Callable[[], R]], jobs: int,
               done: Callable[[str], None] = lambda name: None) -> dict[str, R]:
    """Run each task in a forked child, at most `jobs` at a time; results (picklable) by name, in
    the order of `tasks`; `done` is told each name as its task ends. A task that raises makes this
    raise with the child's traceback. Without fork, or with one job, the tasks run here."""
    results: dict[str, R] = {}
    if jobs <= 1 or len(tasks) <= 1 or not can_fork():
        for name, task in tasks.items():
            results[name] = task()
            done(name)
        return results
    gc.collect()
    trim_heap()
    gc.freeze()  # children then never touch (so never copy) the pages of objects that exist now
    context = multiprocessing.get_context("fork")
    running: dict[str, tuple[Any, Connection]] = {}
    queue = deque(tasks.items())
    try:
        while queue or running:
            while queue and len(running) < jobs:
                name, task = queue.popleft()
                receive, send = context.Pipe(duplex=False)
                child = context.Process(target=_child, args=(task, send), name=f"kg-{name}")
                child.start()
                send.close()
                running[name] = (child, receive)
            ready = wait([receive for _, receive in running.values()])
            for name in [n for n, (_, receive) in running.items() if receive in ready]:
                child, receive = running.pop(name)
                try:
                    ok, value = receive.recv()
                except EOFError:
                    ok, value = False, "the process ended without a result"
                child.join()
                if not ok:
                    raise RuntimeError(f"{name} failed in a child process:\n{value}")
                results[name] = value
                done(name)
    finally:
        for child, _ in running.values():
            child.terminate()
            child.join()
        gc.unfreeze()
    return {name: results[name] for name in tasks}


def _child(task: Callable[[], Any], send: Connection) -> None:
    try:
        send.send((True, task()))
    except BaseException:  # the parent re-raises it with this traceback
        send.send((False, traceback.format_exc()))
    finally:
        send.close()
