"""Names written in one list with a known name ("Stable Diffusion and MVDream", "on MathVerse and
We-Math"): the list types its unknown members like the known one."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

_SEPARATOR = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+|\s*/\s*)")


@dataclass
class KnownSpans:
    """Spans of names already known to be of one type, in text order."""

    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)

    @classmethod
    def of(cls, spans: list[tuple[int, int]]) -> KnownSpans:
        return cls(sorted(s for s, _ in spans), sorted(e for _, e in spans))

    def add(self, start: int, end: int) -> None:
        bisect.insort(self.starts, start)
        bisect.insort(self.ends, end)

    def listed_with(self, text: str, start: int, end: int) -> bool:
        """[start, end) stands in one list with a known span, just after or just before it."""
        i = bisect.bisect_right(self.ends, start)
        if i and _SEPARATOR.fullmatch(text, self.ends[i - 1], start):
            return True
        j = bisect.bisect_left(self.starts, end)
        return j < len(self.starts) and bool(_SEPARATOR.fullmatch(text, end, self.starts[j]))

    def overlaps(self, start: int, end: int) -> bool:
        """[start, end) overlaps a known span (known spans do not overlap one another)."""
        i = bisect.bisect_left(self.starts, end)
        return i > 0 and self.ends[i - 1] > start
