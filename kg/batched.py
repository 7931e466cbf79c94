"""Items in lists of a fixed size, keeping those read before their source fails."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """`items` in lists of `size`, the last perhaps shorter. An error raised by `items` comes after
    the list of the items read before it (unlike `itertools.batched`, which drops them)."""
    batch: list[T] = []
    try:
        for item in items:
            batch.append(item)
            if len(batch) == size:
                yield batch
                batch = []
    except Exception:
        if batch:
            yield batch
        raise
    if batch:
        yield batch
