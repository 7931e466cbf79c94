"""Writing an output again after `kg build --update` without reading or rendering the papers that
did not change.

A writer that renders the graph in id order gives each paper's text one piece per section of its
file (graph.json: the paper's relationships, then its node; the Neo4j CSV folder: one per file the
paper has rows in). When a build state keeps the graph, the writer also saves beside its output
where each piece went and which record of the graph's file it was rendered from
(OUT/build-state-chunks-<output>). On the next update the writer copies, straight from the earlier
output, the piece of every paper whose record is still the same one and was written before the
state last saved the graph (such records never change), and reads and renders only the others: the
same bytes as writing everything. An output or chunk file that was changed or removed, or chunks of
another graph file, make the writer render everything. The site keeps what each paper adds to its
counts the same way (`kg.views.counts.Counting`)."""

from __future__ import annotations

import errno
import logging
import os
import pickle
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import IO, Any, TypeVar

from kg.atomic import atomic_write
from kg.graph import KnowledgeGraph
from kg.schema import ID_PREFIX, PAPER
from kg.spill import record_end
from kg.state import fingerprint
from kg.stored_graph import StoredGraph

CHUNKS_PREFIX = "build-state-chunks-"
WRITER_SOURCES = ("graph.py", "schema.py", "splice.py", "export", "rdf")
"""The parts of kg that decide how the graph is written: chunks written by other code are not used."""
_PAPER = ID_PREFIX[PAPER]
_FLUSH_BYTES = 1 << 20
_COPY_BYTES = 4 << 20
"""Bytes copied at a time where the kernel cannot copy them (read, not mapped: mapped pages would
count as the writer's memory)."""
log = logging.getLogger(__name__)


@dataclass
class Chunks:
    """Where an output file holds each paper's pieces, and what they were rendered from."""

    graph_file: str
    """The name of the graph's file (a graph assembled again gets a new one)."""
    committed: int
    """That file's length when the state saved the graph."""
    output: tuple[int, ...]
    """The output's signature when written (`_signature`)."""
    variant: str
    """What else the pieces depend on: the writers' code, and options (Turtle: the base IRI)."""
    papers: dict[str, tuple[int, ...]]
    """Paper id -> (handle of its record, then where its pieces are: for a `Splicer`, per section
    the start and end of its piece, -1 and -1 where it has none, and the writer's note on it)."""
    base: int = 0
    """Where in the output the positions count from."""
    extra: Any = None
    """What else the writer keeps about the output (GraphML: its keys)."""


K = TypeVar("K")


def number(table: dict[K, int], key: K) -> int:
    """The number of `key` in `table`, the next one if it is new: `list(table)` lists the keys by
    number (what chunks save of a writer's notes, such as GraphML's shapes)."""
    return table.setdefault(key, len(table))


@lru_cache(maxsize=1)
def _writers() -> str:
    return fingerprint(WRITER_SOURCES)


def chunks_path(output: Path) -> Path:
    return output.with_name(CHUNKS_PREFIX + output.name)


def _signature(path: Path) -> tuple[int, ...]:
    """A file's size, modification time (ns) and inode; a folder's modification time and inode,
    then those of each file in it by name."""
    stat = os.stat(path)
    if not path.is_dir():
        return stat.st_size, stat.st_mtime_ns, stat.st_ino
    return (stat.st_mtime_ns, stat.st_ino,
            *[value for child in sorted(path.iterdir()) for value in _signature(child)])


def _previous(graph: StoredGraph, output: Path, variant: str) -> Chunks | None:
    """The chunks saved with `output`, when they describe it, this graph's file and `variant`."""
    try:
        with open(chunks_path(output), "rb") as fh:
            chunks = pickle.load(fh)
        signature = _signature(output)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
        return None
    if (not isinstance(chunks, Chunks) or chunks.graph_file != graph.path.name or chunks.output != signature
            or chunks.variant != variant or signature[0] == 0):
        return None
    return chunks


class Reuse:
    """Which papers of an output can be copied from the earlier output (see the module docstring),
    and the chunk file that says so for the next update. Writers iterate `nodes` and `edges`."""

    reused = "copied from the earlier output"
    """What is done with the papers in `unread`, as the log says it."""

    def __init__(self, graph: KnowledgeGraph, output: Path, variant: str = "", reuse: bool = True) -> None:
        self.variant = f"{_writers()} {variant}"
        self.output = output
        self.graph = graph
        self.kept = graph if isinstance(graph, StoredGraph) and graph.committed > 0 else None
        """The graph, when a build state keeps it: the pieces are then recorded."""
        self.handles: dict[str, int] = dict(self.kept.paper_handles()) if self.kept is not None else {}
        self.previous = _previous(self.kept, output, self.variant) if self.kept is not None and reuse else None
        self.unread: set[str] = set()
        """Papers whose pieces are copied from the earlier output."""
        self.extra: Any = None
        """Saved with the chunks; the earlier output's is `previous.extra`."""
        if self.previous is not None:
            before = self.previous
            self.unread = {paper for paper, handle in self.handles.items()
                           if (old := before.papers.get(paper)) is not None and old[0] == handle
                           and record_end(handle) <= before.committed}
            log.info("%s: %d of %d papers %s", output.name, len(self.unread), len(self.handles), self.reused)

    def nodes(self) -> Iterator[tuple[str, dict[str, Any] | None]]:
        """The graph's nodes in id order; a paper in `unread` as (id, None)."""
        return self.kept.sorted_nodes_unread(self.unread) if self.kept is not None else self.graph.sorted_nodes()

    def edges(self) -> Iterator[tuple[str, str, str, dict[str, Any] | None]]:
        """The graph's relationships in (start, end, type) order; those of a paper in `unread` as one
        (id, "", "", None)."""
        if self.kept is not None:
            return self.kept.sorted_edges_unread(self.unread)
        return self.graph.sorted_edges()

    def pieces(self) -> dict[str, tuple[int, ...]]:
        """Paper id -> (handle, then where its pieces went), for `Chunks.papers`."""
        return {paper: (handle,) for paper, handle in self.handles.items()}

    def save(self, base: int = 0) -> None:
        """Once the output is in place: save its chunks beside it when the graph is kept (else
        remove any earlier ones, which no longer describe it). `base`: where in the output the
        positions count from."""
        if self.kept is None:
            chunks_path(self.output).unlink(missing_ok=True)
            return
        chunks = Chunks(self.kept.path.name, self.kept.committed, _signature(self.output), self.variant,
                        self.pieces(), base, self.extra)
        with atomic_write(chunks_path(self.output), "wb") as fh:
            pickle.dump(chunks, fh, protocol=pickle.HIGHEST_PROTOCOL)


def copy_range(source: IO[bytes], start: int, end: int, fh: IO[bytes]) -> None:
    """Copy bytes `start` to `end` of `source` to where `fh` is. The kernel copies them where it
    can (`os.copy_file_range`: the bytes do not pass through this process, which took 2.5 to 4.5
    times less CPU time than reading and writing them); elsewhere they go a block at a time."""
    source.flush()
    fh.flush()
    if not _KERNEL_COPY:
        _copy_blocks(source, start, end, fh)
        return
    position = fh.tell()
    while start < end:
        try:
            copied = os.copy_file_range(source.fileno(), fh.fileno(), end - start, start, position)
        except OSError as exc:
            if exc.errno not in _NO_KERNEL_COPY:
                raise
            fh.seek(position)
            _copy_blocks(source, start, end, fh)
            return
        if not copied:
            raise _cut_short(source)
        start += copied
        position += copied
    fh.seek(position)


_KERNEL_COPY = hasattr(os, "copy_file_range")
"""Linux has it; other systems copy by reading and writing."""
_NO_KERNEL_COPY = frozenset({errno.EXDEV, errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP, errno.EBADF})
"""Why `os.copy_file_range` may refuse two files it cannot copy between (other file systems, an
older kernel, a file opened for appending): they are then copied by reading and writing."""


def _copy_blocks(source: IO[bytes], start: int, end: int, fh: IO[bytes]) -> None:
    while start < end:
        block = os.pread(source.fileno(), min(end - start, _COPY_BYTES), start)
        if not block:
            raise _cut_short(source)
        fh.write(block)
        start += len(block)


def _cut_short(source: IO[bytes]) -> OSError:
    return OSError(f"{source.name} was cut short while it was copied from")


class Splicer(Reuse):
    """A binary output written as text and copied pieces of the earlier output, a piece per paper
    and section. Writers render items with `item`, or `copy` a paper in `unread`."""

    def __init__(self, fh: IO[bytes], graph: KnowledgeGraph, output: Path, sections: int, variant: str = "",
                 errors: str = "strict", reuse: bool = True) -> None:
        super().__init__(graph, output, variant, reuse)
        self.fh = fh
        self.errors = errors
        """How characters UTF-8 cannot hold are written (GraphML: as character references)."""
        self.sections = sections
        self._old: IO[bytes] | None = open(output, "rb") if self.previous is not None else None
        """The earlier output, closed by `finish`."""
        self._spans: dict[str, list[int]] = {}
        self._text: list[str] = []
        self._text_bytes = 0
        self._copy: list[int] = []
        """The range of the earlier output waiting to be copied: [start, end], or empty."""
        self.position = 0
        """Bytes of the output so far."""

    def write(self, text: str) -> None:
        if self._copy:
            self._write_copy()
        size = len(text) if text.isascii() else len(text.encode("utf-8", self.errors))
        self._text.append(text)
        self._text_bytes += size
        self.position += size
        if self._text_bytes >= _FLUSH_BYTES:
            self._write_text()

    def item(self, key: str, section: int, text: str) -> None:
        """Write one rendered item of node or relationship `key` (its id, or its start's)."""
        start = self.position
        self.write(text)
        if self.kept is not None and key.startswith(_PAPER):
            span = self._span(key)
            if span[3 * section] < 0:
                span[3 * section] = start
            span[3 * section + 1] = self.position

    def note(self, paper: str, section: int, value: int) -> None:
        """Keep `value` with the paper's piece of `section` (a writer's note, such as what it used)."""
        self._span(paper)[3 * section + 2] = value

    def old_note(self, paper: str, section: int) -> int:
        """The note kept with the paper's piece of `section` in the earlier output."""
        assert self.previous is not None
        return self.previous.papers[paper][3 + 3 * section]

    def _span(self, paper: str) -> list[int]:
        span = self._spans.get(paper)
        if span is None:
            span = self._spans[paper] = [-1, -1, 0] * self.sections
        return span

    def copy(self, paper: str, section: int, before: str) -> bool:
        """Write `before` and the paper's piece of `section` from the earlier output; False, and
        nothing written, when the paper has none there."""
        assert self.previous is not None and self._old is not None
        old, base = self.previous.papers[paper], self.previous.base
        if old[1 + 3 * section] < 0:
            return False
        start, end = base + old[1 + 3 * section], base + old[2 + 3 * section]
        gap = before.encode("utf-8", self.errors)
        if self._copy and self._copy[1] + len(gap) == start:
            # pieces of consecutive papers, `before` between them: the writer wrote nothing else there
            self._copy[1] = end
            self.position += len(gap)
        else:
            self.write(before)
            self._write_text()
            self._copy = [start, end]
        span = self._span(paper)
        span[3 * section], span[3 * section + 1], span[3 * section + 2] = (self.position, self.position + end - start,
                                                                            old[3 + 3 * section])
        self.position += end - start
        return True

    def _write_text(self) -> None:
        if self._text:
            self.fh.write("".join(self._text).encode("utf-8", self.errors))
            self._text.clear()
            self._text_bytes = 0

    def _write_copy(self) -> None:
        assert self._old is not None
        start, end = self._copy
        self._copy = []
        copy_range(self._old, start, end, self.fh)

    def finish(self) -> None:
        """Write what is waiting and let go of the earlier output."""
        if self._copy:
            self._write_copy()
        self._write_text()
        if self._old is not None:
            self._old.close()
            self._old = None

    def pieces(self) -> dict[str, tuple[int, ...]]:
        empty = (-1, -1, 0) * self.sections
        return {paper: (handle, *self._spans.get(paper, empty)) for paper, handle in self.handles.items()}
