"""Distance from a mention to the nearest cue of a kind within its sentence."""

from __future__ import annotations

import re

FAR = 10_000


def nearest(pattern: re.Pattern[str], sentence: str, start: int, end: int) -> int:
    """Characters between the span [start, end) of `sentence` and the closest cue outside it."""
    best = FAR
    for cue in pattern.finditer(sentence):
        if cue.start() >= end:
            best = min(best, cue.start() - end)
        elif cue.end() <= start:
            best = min(best, start - cue.end())
    return best
