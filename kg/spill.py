"""Keeping papers on disk at scale: when a build does (the spill policy), and the append-only file
of pickled records that a spilled paper index and a spilled graph keep their papers in."""

from __future__ import annotations

import os
import pickle
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Generic, TypeVar

SPILL_AT = 100_000
"""Papers from which a build keeps them in a file rather than in memory (when `spill` is None)."""

T = TypeVar("T")

_FLUSH_BYTES = 1 << 20
_LENGTH_BITS = 32


def _place(handle: int) -> tuple[int, int]:
    """The offset and length of the record a PaperFile handle names."""
    return handle >> _LENGTH_BITS, handle & ((1 << _LENGTH_BITS) - 1)


def record_end(handle: int) -> int:
    """Where the record a PaperFile handle names ends in its file."""
    offset, length = _place(handle)
    return offset + length


def spills(papers: int, spill: bool | None) -> bool:
    """Whether `papers` papers go to a file: as `spill` says, else from SPILL_AT papers."""
    return spill if spill is not None else papers >= SPILL_AT


class PaperFile:
    """Append-only records (pickled) read back by offset: in an unlinked temporary file, or in the
    file `path`, kept (a build state's graph) with its first `keep` bytes (what a commit saw) and
    anything after them dropped."""

    def __init__(self, directory: str | Path | None = None, path: Path | None = None, keep: int = 0) -> None:
        self.path = path
        self._file = tempfile.TemporaryFile(dir=directory) if path is None else open(path, "r+b" if keep else "w+b")
        self._fd = self._file.fileno()
        if keep:
            os.ftruncate(self._fd, keep)
            os.lseek(self._fd, keep, os.SEEK_SET)
        self._written = keep
        self._buffer = bytearray()

    @property
    def length(self) -> int:
        """Bytes written so far, buffered ones included."""
        return self._written + len(self._buffer)

    def append(self, record: Any) -> int:
        """Store a record; returns its handle (offset and length in one int)."""
        data = pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL)
        handle = self.length << _LENGTH_BITS | len(data)
        self._buffer += data
        if len(self._buffer) >= _FLUSH_BYTES:
            self.flush()
        return handle

    def read(self, handle: int) -> Any:
        offset, length = _place(handle)
        if offset >= self._written:
            start = offset - self._written
            return pickle.loads(self._buffer[start:start + length])
        return pickle.loads(os.pread(self._fd, length, offset))

    def flush(self) -> None:
        with memoryview(self._buffer) as view:
            done = 0
            while done < len(view):
                done += os.write(self._fd, view[done:])
        self._written += len(self._buffer)
        self._buffer.clear()

    def close(self) -> None:
        self._file.close()


class SpilledList(Generic[T]):
    """A list kept in a PaperFile: items are appended, read and replaced by position and iterated
    in order, and only their handles stay in memory (each read gives a new copy of the item)."""

    def __init__(self, items: Iterable[T] = (), directory: str | Path | None = None) -> None:
        self._file = PaperFile(directory)
        self._handles: list[int] = []
        for item in items:
            self.append(item)

    def append(self, item: T) -> None:
        self._handles.append(self._file.append(item))

    def __getitem__(self, position: int) -> T:
        return self._file.read(self._handles[position])

    def __setitem__(self, position: int, item: T) -> None:
        """Store the item again; the position then reads the new copy."""
        self._handles[position] = self._file.append(item)

    def __len__(self) -> int:
        return len(self._handles)

    def __iter__(self) -> Iterator[T]:
        return map(self._file.read, self._handles)

    def close(self) -> None:
        self._file.close()
