"""Hyperscan databases as the extractors use them: compiled once, then each scan returns all its
matches at once.

The compiled build (PAPERS_KG_COMPILE=1) brings `_hsmatches`, a C extension over the system's
libhs that gathers a scan's matches in C. Without it the `hyperscan` package scans, calling back
into Python once per match; both find the same matches."""

from __future__ import annotations

from typing import cast

import hyperscan

try:
    from kg.extract import _hsmatches
except ImportError:  # the pure-Python install
    _hsmatches = None  # type: ignore[assignment]

NATIVE = _hsmatches is not None
"""Scans gather their matches in C (`_hsmatches` is built)."""


class Patterns:
    """Hyperscan expressions (bytes), with an id and flags each, compiled for block scanning."""

    def __init__(self, expressions: list[bytes], ids: list[int], flags: list[int]) -> None:
        if NATIVE:
            self._native = _hsmatches.Database(expressions, ids, flags)
        else:
            self._database = hyperscan.Database()
            self._database.compile(expressions=expressions, ids=ids, elements=len(expressions), flags=flags)

    def read_cues(self, starts: list[int], widths: list[int], words: list[bool], groups: list[int],
                  kinds: list[str]) -> None:
        """Tell the C scanner how `scan.scan` reads each pattern's matches (where its start is, its
        width, whether it is a whole word, its group, its kind), so that `cues` can read them."""
        if NATIVE:
            names = tuple(dict.fromkeys(kinds))
            number = {name: i for i, name in enumerate(names)}
            self._native.read_cues(starts, widths, words, groups, [number[k] for k in kinds], names)

    def cues(self, data: bytes, text: str) -> dict[str, list[tuple[int, int]]] | None:
        """The spans of each kind of cue in `text` (`data` is its ASCII form), read in C as `scan.scan`
        reads them; None without the C scanner."""
        return self._native.cues(data, text) if NATIVE else None

    def scan(self, data: bytes) -> list[int]:
        """Every match in `data` as three numbers, its pattern's id, start and end (the start is
        0 unless the pattern's flags track it): [id, start, end, id, start, end, ...]."""
        if NATIVE:
            return self._native.scan(data)
        found: list[int] = []
        self._database.scan(data, match_event_handler=_collect, context=found)
        return found


def _collect(pattern: int, start: int, end: int, flags: int, found: object) -> None:
    """The `hyperscan` package's report of one match."""
    cast("list[int]", found).extend((pattern, start, end))
